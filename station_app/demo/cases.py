"""Demo penalty cases: a modest number across every stage (some across holidays, some overdue, one
accident case closed without a penalty), written through the case services themselves so every clock
is what a clerk would get. Documents are not issued here (the documents step makes its own)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from station_app.demo.context import GenContext
from station_app.errors import StationError
from station_app.models import AuditEntry, Enterprise, Project, ProjectParty, User
from station_app.models.enums import Role
from station_app.services.context import Actor
from station_app.services.penalties import stages as st
from station_app.services.penalties.cases import CaseInput, create_case, load_case
from station_app.services.penalties.double_checks import decide_review
from station_app.services.penalties.events import decide_preservation, record_hearing_request
from station_app.services.penalties.fines import PenaltyInput, record_enforcement, record_payment, set_penalty
from station_app.services.penalties.flow import StageInput, advance, not_file

#: (code, fine in yuan) — within the ranges of rules/data/violations.json
PENALTIES = (("条例62", 20_000), ("条例62", 50_000), ("条例62", 100_000), ("条例64", 60_000),
             ("条例65", 150_000), ("条例62", 30_000))
CAUSES = ("未按规定配备专职安全生产管理人员", "特种作业人员未持证上岗", "危险部位未设置明显的安全警示标志",
          "未对危大工程编制专项施工方案", "起重机械验收合格后未办理使用登记", "未向作业人员提供安全防护用具")
#: stages the demo cases stop in, repeated to reach the scale's count
TARGETS = (st.CLUE, st.NOT_FILED, st.FILING, st.INVESTIGATION, st.REVIEW, st.NOTICE, st.DECISION, st.SERVICE,
           st.EXECUTION, st.CLOSING, st.ARCHIVE, st.EXECUTION, st.CLOSING, st.CLUE, st.FILING)


def _actors(ctx: GenContext) -> tuple[Actor, Actor]:
    def actor(role: Role) -> Actor:
        user = ctx.session.get(User, ctx.users[role.value][0])
        assert user is not None
        return Actor(user.id, user.username, user.full_name, role)

    return actor(Role.CHIEF), actor(Role.CLERK if ctx.users.get(Role.CLERK.value) else Role.SUPERVISOR)


def _parties(ctx: GenContext, n: int) -> list[tuple[int, int]]:
    rows = ctx.session.execute(
        select(ProjectParty.project_id, ProjectParty.enterprise_id).join(Project, Project.id == ProjectParty.project_id)
        .where(ProjectParty.role == "施工总承包").order_by(ProjectParty.id)).all()
    return [(p, e) for p, e in ctx.rng.sample(rows, min(n, len(rows)))] if rows else []


def _run_case(ctx: GenContext, chief: Actor, clerk: Actor, n: int, project_id: int, enterprise_id: int,
              target: str) -> None:
    rng, s = ctx.rng, ctx.session
    code, fine = PENALTIES[n % len(PENALTIES)]
    accident = n % 9 == 4
    day = ctx.today - timedelta(days=rng.randint(25, 260) if target not in (st.CLUE,) else rng.randint(3, 40))
    firm = s.get(Enterprise, enterprise_id)
    case_id = create_case(s, clerk, CaseInput(
        cause=CAUSES[n % len(CAUSES)], clue_on=day, party_kind="单位", enterprise_id=enterprise_id,
        project_id=project_id, source="事故" if accident else "监督检查",
        accident_note="施工现场高处坠落，一人轻伤" if accident else "",
        facts=f"经查，{firm.name if firm else '该单位'}在本项目施工中{CAUSES[n % len(CAUSES)]}。",
        evidence_summary="现场检查记录、询问笔录、现场照片", handlers="、".join(
            u.full_name for u in s.scalars(select(User).where(User.id.in_(ctx.users.get("监督员", [])[:2]))))))
    if target == st.CLUE:
        return
    if target == st.NOT_FILED:
        not_file(s, chief, case_id, day + timedelta(days=5), "经核查，违法事实不成立")
        return

    def go(stage: str, gap: int, actor: Actor = clerk, **kw: object) -> bool:
        nonlocal day
        case = load_case(s, case_id)
        if case.stage == target or (stage != case.stage and st.next_stage(
                case.stage, hearing_requested=case.hearing_requested, serious=case.serious or case.hearing_eligible,
                has_fine=bool(case.decided_fine_fen if case.decided_on else case.proposed_fine_fen)) != stage):
            return False
        if day + timedelta(days=gap) > ctx.today:
            return False
        day += timedelta(days=gap)
        advance(s, actor, case_id, StageInput(target=stage, on_date=day, issue_documents=False,
                                              **kw))  # type: ignore[arg-type]
        return True

    if not go(st.FILING, rng.randint(3, 12), chief):
        return
    held = n % 4 == 1
    if not go(st.INVESTIGATION, rng.randint(10, 25), preservation_on=day + timedelta(days=2) if held else None):
        return
    if held:
        decide_preservation(s, clerk, case_id, day, "解除先行登记保存")
    no_penalty = accident and n % 2 == 0
    set_penalty(s, clerk, case_id, PenaltyInput(code, None if no_penalty else fine * 100,
                                                factors=("不予处罚",) if no_penalty else (),
                                                factor_note="违法行为轻微并及时改正" if no_penalty else "",
                                                other_measures="责令限期改正"))
    if not go(st.REVIEW, rng.randint(2, 6)) or not go(st.NOTICE, rng.randint(1, 4)):
        return
    case = load_case(s, case_id)
    if case.hearing_eligible and n % 2 == 1 and day + timedelta(days=14) <= ctx.today:
        record_hearing_request(s, clerk, case_id, day + timedelta(days=2), notice_on=day + timedelta(days=3))
        day = next(c.deadline for c in load_case(s, case_id).clocks if c.step == "hearing_notice") - timedelta(days=1)
        if not go(st.HEARING, 1):
            return
    statement = next((c for c in load_case(s, case_id).clocks if c.step == "statement_defense"), None)
    if statement is not None:
        day = max(day, statement.deadline)
    if not go(st.DISCUSSION, 1, chief) and load_case(s, case_id).stage == target:
        return
    if not go(st.DECISION, rng.randint(1, 5), chief) or not go(st.SERVICE, rng.randint(1, 5)):
        return
    case = load_case(s, case_id)
    if case.decided_fine_fen:
        if not go(st.EXECUTION, 1):
            return
        due = case.payment_due or day
        if target != st.EXECUTION and due + timedelta(days=3) <= ctx.today:
            paid_on = due + timedelta(days=rng.choice((-5, -1, 3)))
            paid_on = max(paid_on, day)
            record_payment(s, clerk, case_id, paid_on, case.decided_fine_fen * 103 // 100 if paid_on > due
                           else case.decided_fine_fen)
            paid = load_case(s, case_id)
            if paid.paid_in_full_on is None:  # a late payment not covering the whole surcharge: remind
                record_enforcement(s, clerk, case_id, "催告", paid_on + timedelta(days=1))
                record_enforcement(s, clerk, case_id, "申请强制执行", paid_on + timedelta(days=2))
            day = max(day, paid_on + timedelta(days=2))
        elif target == st.EXECUTION:
            return
    for r in load_case(s, case_id).reviews:
        decide_review(s, clerk, r.id, "处罚" if n % 3 else "不予处罚", "另案处理" if n % 3 else "已履行安全职责",
                      min(day, ctx.today))
    if go(st.CLOSING, rng.randint(2, 8), chief):
        go(st.ARCHIVE, rng.randint(3, 10))


def make_cases(ctx: GenContext) -> None:
    """Penalty cases in every stage (≈15 small, ≈45 county); a case whose dates would run past today or into
    a year without holiday data simply stops in the stage it reached."""
    if not ctx.users.get(Role.CHIEF.value):
        return
    ctx.progress("正在生成行政处罚案件…")
    chief, clerk = _actors(ctx)
    count = 15 if ctx.scale.name == "small" else 45
    made = 0
    # the services audit each step; the demo run keeps its single summary row (write_summary)
    first_audit = int(ctx.session.scalar(select(func.coalesce(func.max(AuditEntry.id), 0))) or 0)
    for n, (project_id, enterprise_id) in enumerate(_parties(ctx, count)):
        try:
            with ctx.session.begin_nested():
                _run_case(ctx, chief, clerk, n, project_id, enterprise_id, TARGETS[n % len(TARGETS)])
            made += 1
        except StationError:
            continue
    ctx.session.execute(delete(AuditEntry).where(AuditEntry.id > first_audit))
    ctx.counts["行政处罚案件"] = made
