"""Advancing a penalty case through its stages (services/penalties/stages.py), one stage at a time.

Each step records who, when and the note, closes the clocks it satisfies, opens the next statutory
clock (rules.procedure over the working-day calendar), issues the stage's documents through the
documents service, and writes an audit row — all in the caller's transaction. A skipped stage, a
decision before the 陈述申辩 period has run out, a decision after the 办案期限, or closing a case with
an unpaid fine or a pending 一案双查 is refused with a Chinese message; nothing is half-saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from station_app.errors import ValidationError
from station_app.formatting import chinese_date, format_yuan
from station_app.models import CaseStageRecord, PenaltyCase
from station_app.rules.errors import RuleInputError
from station_app.rules.penalties import check_penalty
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.penalties import stages as st
from station_app.services.penalties.cases import load_case, snap
from station_app.services.penalties.clocks import (
    ALARM_STEPS,
    close_clock,
    find,
    open_clock,
    refresh_provisional,
)
from station_app.services.penalties.double_checks import open_reviews, require_reviews_done
from station_app.services.validation import Checker, clean


@dataclass(frozen=True)
class StageInput:
    target: str
    on_date: date | None
    note: str = ""
    #: the signer printed on the stage's documents (e.g. the station chief)
    signer_name: str = ""
    issue_documents: bool = True
    #: 调查取证: the day evidence was registered and preserved (先行登记保存), starting its 7-day clock
    preservation_on: date | None = None
    #: 决定: the party has made its statement (or waived it) before the period ran out
    statement_done: bool = False
    #: 决定: the fine decided, when different from the proposal (still within the range)
    decided_fine_fen: int | None = None
    #: 送达: how the decision was served, as printed on the 送达回证
    service_method: str = "直接送达"
    archive_no: str = ""


def log_stage(case: PenaltyCase, actor: Actor, stage: str, on: date, note: str) -> None:
    case.stages.append(CaseStageRecord(stage=stage, on_date=on, actor_id=actor.user_id,
                                       actor_name=actor.full_name[:50], note=note))
    case.stage, case.stage_on = stage, on


def flags(case: PenaltyCase) -> dict[str, bool]:
    fine = case.decided_fine_fen if case.decided_on is not None else case.proposed_fine_fen
    return {"hearing_requested": case.hearing_requested, "serious": case.serious or case.hearing_eligible,
            "has_fine": bool(fine)}


def expected_next(case: PenaltyCase) -> str | None:
    return st.next_stage(case.stage, **flags(case))


def _check_target(case: PenaltyCase, target: str) -> None:
    if case.stage in (st.NOT_FILED, st.ARCHIVE):
        raise ValidationError({"环节": f"案件已{case.stage}，不能再办理"})
    if target not in st.STAGE_KEYS:
        raise ValidationError({"环节": f"“{target}”不是案件办理环节"})
    expected = expected_next(case)
    if target == expected:
        return
    cur, tgt = st.STAGE_KEYS.index(case.stage), st.STAGE_KEYS.index(target)
    if tgt <= cur:
        raise ValidationError({"环节": f"案件已在“{case.stage}”环节，不能再办理“{target}”"})
    skipped = st.skipped_between(case.stage, target, **flags(case))
    if skipped:
        raise ValidationError({"环节": f"不能跳过“{'”“'.join(skipped)}”环节，下一环节应为“{expected}”"})
    why = {st.HEARING: "当事人未申请听证", st.DISCUSSION: "本案不属于情节复杂或重大违法案件",
           st.EXECUTION: "本案没有罚款"}.get(target, "")
    raise ValidationError({"环节": f"本案无需“{target}”环节（{why}），下一环节应为“{expected}”"})


def _statement_period(case: PenaltyCase, on: date, inp: StageInput) -> None:
    """No decision before the party's 陈述申辩 / 听证申请 periods ran out (unless made or waived)."""
    if inp.statement_done:
        return
    for step in ("statement_defense", "hearing_request"):
        clock = find(case, step)
        if clock is not None and clock.done_on is None and on <= clock.deadline:
            raise ValidationError({"日期": f"{clock.label}期间至{chinese_date(clock.deadline)}届满，期满前不能"
                                          f"作出处罚决定（当事人已陈述申辩或明确放弃的，请勾选“已陈述申辩或放弃”）"})


def _enter(session: Session, case: PenaltyCase, inp: StageInput, on: date) -> list[str]:
    """Stage-specific checks and clocks; returns warnings for the clerk."""
    warnings: list[str] = []
    t = inp.target
    if t == st.FILING:
        close_clock(case, "case_filing_review", on)
        case.filed_on = on
        case.case_deadline = open_clock(case, "decision", on, "立案日期").deadline
        open_reviews(session, case)
    elif t == st.INVESTIGATION:
        if not case.facts:
            raise ValidationError({"违法事实": "调查终结前须填写违法事实"})
        if inp.preservation_on is not None:
            if case.filed_on and inp.preservation_on < case.filed_on:
                raise ValidationError({"先行登记保存日期": f"不能早于立案日期（{chinese_date(case.filed_on)}）"})
            open_clock(case, "evidence_preservation", inp.preservation_on, "先行登记保存日期")
    elif t == st.REVIEW:
        held = find(case, "evidence_preservation")
        if held is not None and held.done_on is None:
            raise ValidationError({"先行登记保存": f"先行登记保存的证据须先作出处理决定（期限{chinese_date(held.deadline)}）"})
        if case.violation_code is None:
            raise ValidationError({"处罚": "审核前须先拟定处罚（违法行为、罚款金额、裁量情节）"})
    elif t == st.NOTICE:
        open_clock(case, "statement_defense", on, "告知书送达日期")
        if case.hearing_eligible:
            open_clock(case, "hearing_request", on, "告知书送达日期")
    elif t == st.HEARING:
        notice = find(case, "hearing_notice")
        if notice is None:
            raise ValidationError({"听证通知": "举行听证前须登记听证通知的送达日期"})
        if on < notice.deadline:
            raise ValidationError({"日期": f"听证应在通知送达七日后举行，最早为{chinese_date(notice.deadline)}"})
        close_clock(case, "hearing_notice", on)
    elif t == st.DISCUSSION:
        _statement_period(case, on, inp)
    elif t == st.DECISION:
        _decide(case, inp, on)
    elif t == st.SERVICE:
        warnings += _serve(case, on)
    elif t == st.CLOSING:
        warnings += _close(case, on)
    elif t == st.ARCHIVE:
        case.archived_on, case.archive_no = on, clean(inp.archive_no)[:40]
    return warnings


def _decide(case: PenaltyCase, inp: StageInput, on: date) -> None:
    _statement_period(case, on, inp)
    if case.case_deadline is not None and on > case.case_deadline:
        raise ValidationError({"日期": f"已超过办案期限（{chinese_date(case.case_deadline)}），"
                                      f"须先经站长批准延长办案期限"})
    fine = case.proposed_fine_fen if inp.decided_fine_fen is None else inp.decided_fine_fen
    if case.proposed_fine_fen and not fine:
        raise ValidationError({"决定罚款": "决定不予罚款须在审核前拟定“不予处罚”或修改拟处罚款"})
    if fine != case.proposed_fine_fen and fine:
        if fine < 0 or fine % 100:
            raise ValidationError({"决定罚款": "须为不小于0的整元金额"})
        try:
            ok = check_penalty(case.violation_code or "", fine // 100,
                               None if case.base_amount_fen is None else case.base_amount_fen // 100)
        except RuleInputError as err:
            raise ValidationError({"决定罚款": str(err)}) from err
        if not ok:
            raise ValidationError({"决定罚款": f"{format_yuan(fine)}元超出法定幅度；超幅度处罚须在审核前经站长批准"})
    case.decided_fine_fen, case.decided_on = fine, on
    for step in ("decision", "statement_defense", "hearing_request"):
        close_clock(case, step, on)
    open_clock(case, "service", on, "决定日期")


def _serve(case: PenaltyCase, on: date) -> list[str]:
    warnings = []
    clock = close_clock(case, "service", on)
    if clock is not None and on > clock.deadline:
        warnings.append(f"决定书送达晚于法定期限（{chinese_date(clock.deadline)}）")
    case.served_on = on
    if case.decided_fine_fen:
        pay = open_clock(case, "fine_payment", on, "送达日期")
        case.payment_due = pay.deadline
    open_clock(case, "reconsideration", on, "送达日期")
    open_clock(case, "litigation", on, "送达日期")
    return warnings


def _close(case: PenaltyCase, on: date) -> list[str]:
    require_reviews_done(case)
    fine = case.decided_fine_fen or 0
    if fine and case.paid_in_full_on is None and case.enforcement_applied_on is None:
        raise ValidationError({"执行": f"罚款尚未缴清（已缴{format_yuan(case.paid_fen)}元），"
                                      f"须缴清或申请强制执行后才能结案"})
    case.closed_on = on
    for clock in case.clocks:  # nothing is left running on a closed case
        if clock.done_on is None and clock.step in ALARM_STEPS:
            close_clock(case, clock.step, on, "已申请强制执行" if clock.step == "fine_payment" else "结案")
    no_penalty = not fine and not case.other_measures
    case.zero_penalty_flag = bool(case.accident_note or case.source == "事故") and no_penalty
    if case.zero_penalty_flag:
        return ["本案关联生产安全事故，结案时没有任何行政处罚（零处罚），请核实并说明理由"]
    return []


def advance(session: Session, actor: Actor, case_id: int, inp: StageInput, version: int | None = None
            ) -> list[str]:
    """Record the case's next stage. Returns warnings (e.g. 零处罚) the clerk should see."""
    require(actor, "case.write")
    case = load_case(session, case_id, version)
    _check_target(case, inp.target)
    if st.stage(inp.target).approval:
        require(actor, "case.approve")
    c = Checker()
    label = st.stage(inp.target).date_label
    if inp.on_date is None:
        c.add(label, "必填")
    c.not_future(label, inp.on_date)
    c.date_order(f"上一环节（{case.stage}）日期", case.stage_on, label, inp.on_date)
    c.max_len("办理意见", inp.note, 2000)
    c.check()
    assert inp.on_date is not None
    before = snap(case)
    with session.no_autoflush:
        refresh_provisional(session, actor, case)
        warnings = _enter(session, case, inp, inp.on_date)
        log_stage(case, actor, inp.target, inp.on_date, clean(inp.note))
    session.flush()
    if inp.issue_documents:
        from station_app.services.penalties.documents import issue_stage_documents

        issue_stage_documents(session, actor, case, inp)
    audit.record(session, actor, "update", "penalty_case", case.id, before=before, after=snap(case),
                 summary=f"案件{case.code}进入“{inp.target}”环节（{chinese_date(inp.on_date)}）")
    return warnings


def not_file(session: Session, actor: Actor, case_id: int, on: date | None, reason: str,
             version: int | None = None) -> None:
    """不予立案: the clue is closed without a case (chief's approval, reason required)."""
    require(actor, "case.approve")
    case = load_case(session, case_id, version)
    if case.stage != st.CLUE:
        raise ValidationError({"环节": f"案件已在“{case.stage}”环节，只有线索可以不予立案"})
    c = Checker()
    if on is None:
        c.add("日期", "必填")
    c.not_future("日期", on)
    c.date_order("发现线索日期", case.clue_on, "日期", on)
    c.required("理由", clean(reason))
    c.check()
    assert on is not None
    before = snap(case)
    close_clock(case, "case_filing_review", on, "不予立案")
    log_stage(case, actor, st.NOT_FILED, on, clean(reason))
    session.flush()
    audit.record(session, actor, "update", "penalty_case", case.id, before=before, after=snap(case),
                 summary=f"不予立案 {case.code}")


__all__ = ["StageInput", "advance", "expected_next", "flags", "log_stage", "not_file"]
