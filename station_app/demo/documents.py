"""Demo 执法文书: documents of every type issued through ``issue_document`` (so numbers, files, hashes and
contexts are exactly what a clerk gets), in date order so each type's serials follow the dates and restart
each year. Inspections with hazards get 整改通知书 (some 局部停工/停工整改 with a later 复工通知书), some
抽查记录 and 约谈记录; a few sets of 行政处罚 forms; two documents are voided by the chief.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select

from station_app.demo.context import GenContext
from station_app.errors import StationError
from station_app.models import AuditEntry, Enterprise, Hazard, Inspection, ProjectParty, User
from station_app.models.enums import Role
from station_app.services.context import Actor
from station_app.services.documents.issuing import IssueRequest, issue_document, void_document

COUNTS = {"small": 30, "county": 90}


@dataclass(order=True)
class _Plan:
    on: date
    seq: int
    request: IssueRequest = field(compare=False)
    #: the plan whose number this one cites as 原通知书文号 (a 复工通知书 cites its 停工 notice)
    cites: int | None = field(default=None, compare=False)


def _actor(ctx: GenContext, role: Role) -> Actor | None:
    ids = ctx.users.get(role.value) or []
    if not ids:
        return None
    user = ctx.session.get(User, ids[0])
    return Actor(user.id, user.username, user.full_name, role) if user else None


def _inspections(ctx: GenContext, count: int) -> list[tuple[int, int, date, list[tuple[int, date, str, str]]]]:
    """(inspection id, project id, day, [(hazard id, deadline, level, location)]) spread over the span."""
    rows = ctx.session.execute(
        select(Hazard.inspection_id, Inspection.project_id, Inspection.inspected_at, Hazard.id, Hazard.deadline,
               Hazard.level, Hazard.location)
        .join(Inspection, Inspection.id == Hazard.inspection_id)
        .where(Inspection.inspected_at >= datetime.combine(ctx.span_start, time.min))
        .order_by(Hazard.inspection_id, Hazard.id))
    grouped: dict[int, tuple[int, date, list[tuple[int, date, str, str]]]] = {}
    for insp_id, project_id, at, hid, deadline, level, location in rows:
        if insp_id is None:
            continue
        grouped.setdefault(insp_id, (project_id, at.date(), []))[2].append((hid, deadline, level, location))
    ids = sorted(grouped)
    if not ids:
        return []
    step = max(1, len(ids) // count)
    majors = [i for i in ids if any(h[2] == "重大" for h in grouped[i][2])]
    chosen = set(ids[::step][:count]) | set(majors[::max(1, len(majors) // max(1, count // 5))][: count // 5])
    return [(i, *grouped[i]) for i in sorted(chosen)]


def _plans(ctx: GenContext, signer: str) -> list[_Plan]:
    plans: list[_Plan] = []
    seq = stops = 0

    def add(on: date, req: IssueRequest, cites: int | None = None) -> int:
        nonlocal seq
        seq += 1
        plans.append(_Plan(on, seq, req, cites))
        return seq

    for n, (insp_id, project_id, day, hazards) in enumerate(_inspections(ctx, COUNTS.get(ctx.scale.name, 30))):
        ok = [h for h in hazards if h[1] >= day][:25]
        if not ok:
            continue
        ids = tuple(h[0] for h in ok)
        kind = "安全隐患整改通知书"
        if any(h[2] == "重大" for h in ok):
            stops += 1
            kind = "局部停工整改通知书" if stops % 3 == 0 else "停工整改通知书"
        extra: dict[str, Any] = {"停工部位": ok[0][3] or "存在隐患的作业区域"} if kind == "局部停工整改通知书" else {}
        notice = add(day, IssueRequest(kind, day, signer, inspection_id=insp_id, hazard_ids=ids, extra=extra))
        if kind != "安全隐患整改通知书":
            back = max(h[1] for h in ok) + timedelta(days=2)
            if back <= ctx.today:
                add(back, IssueRequest("复工通知书", back, signer, inspection_id=insp_id, extra={
                    "原通知书文号": kind, "复查日期": back, "复工范围": "全部", "复工日期": back}), cites=notice)
        if n % 5 == 0:
            add(day, IssueRequest("建设工程安全生产监督抽查记录", day, signer, inspection_id=insp_id, hazard_ids=ids))
        if n % 12 == 6:
            add(day + timedelta(days=1), IssueRequest(
                "安全生产约谈记录", day + timedelta(days=1), signer, project_id=project_id,
                deadline=max(h[1] for h in ok) + timedelta(days=1),
                extra={"约谈时间": day + timedelta(days=1), "约谈地点": "监督站会议室", "约谈对象": "项目负责人",
                       "约谈事由": "施工现场安全隐患多次整改不到位", "约谈内容": "通报检查发现的问题，提出整改要求",
                       "整改要求": "落实安全生产主体责任，全面排查整改"}))
    return plans


def _case_sets(ctx: GenContext, signer: str, start_seq: int) -> list[_Plan]:
    """A few sets of 行政处罚 forms (the case step links its own documents to its cases)."""
    contractor = ctx.session.execute(
        select(ProjectParty.project_id, Enterprise.name, Enterprise.uscc)
        .join(Enterprise, Enterprise.id == ProjectParty.enterprise_id).where(ProjectParty.role == "施工总承包")
        .order_by(ProjectParty.id).limit(1)).first()
    if contractor is None:
        return []
    project_id, party, uscc = contractor
    base = {"案由": "未按规定编制危险性较大的分部分项工程专项施工方案案", "当事人": party, "证件号码": uscc or "",
            "违法事实": "在施工中未对达到一定规模的危险性较大的分部分项工程编制专项施工方案。",
            "证据": "现场检查笔录、现场照片、询问笔录", "法律依据": "《建设工程安全生产管理条例》第二十六条",
            "处罚依据": "《建设工程安全生产管理条例》第六十五条", "处罚内容": "罚款人民币100,000.00元"}
    out: list[_Plan] = []
    steps: list[tuple[str, int, dict[str, Any]]]
    for k in range(2 if ctx.scale.name == "small" else 4):
        day = ctx.today - timedelta(days=120 + 200 * k)
        steps = [("立案审批表", 0, {}), ("行政处罚事先告知书", 20, {"陈述申辩期限": day + timedelta(days=27)}),
                 ("行政处罚听证告知书", 20, {"听证申请期限": day + timedelta(days=27)}),
                 ("行政处罚决定书", 40, {"告知日期": day + timedelta(days=20), "缴款银行": "指定的代收银行"}),
                 ("送达回证", 41, {"送达文书": "行政处罚决定书", "送达方式": "直接送达"}),
                 ("结案审批表", 80, {"执行情况": "罚款已缴清", "审批意见": "同意结案"})]
        for i, (doc_type, offset, extra) in enumerate(steps):
            on = day + timedelta(days=offset)
            out.append(_Plan(on, start_seq + 10 * k + i, IssueRequest(
                doc_type, on, signer, project_id=project_id, addressee=party, extra={**base, **extra})))
    return out


def make_documents(ctx: GenContext) -> None:
    chief = _actor(ctx, Role.CHIEF)
    clerk = _actor(ctx, Role.CLERK) or chief
    if chief is None or clerk is None:
        return
    ctx.progress("正在签发执法文书…")
    plans = _plans(ctx, chief.full_name)
    plans += _case_sets(ctx, chief.full_name, len(plans) + 1)
    made: dict[str, int] = defaultdict(int)
    issued: list[int] = []
    numbers: dict[int, str] = {}
    for plan in sorted(plans):
        if plan.on > ctx.today or (plan.cites is not None and plan.cites not in numbers):
            continue
        if plan.cites is not None:
            plan.request.extra["原通知书文号"] = numbers[plan.cites]
        try:
            with ctx.session.begin_nested():
                doc = issue_document(ctx.session, clerk, plan.request)
            made[plan.request.doc_type] += 1
            issued.append(doc.id)
            numbers[plan.seq] = doc.number
        except StationError:
            continue
    for doc_id in issued[3:4] + issued[-5:-4]:
        void_document(ctx.session, chief, doc_id, "受文单位名称有误，已另行签发")
    # demo data logs one summary row, not one per record
    ctx.session.execute(delete(AuditEntry).where(AuditEntry.entity_type == "document"))
    ctx.counts["执法文书"] = sum(made.values())
