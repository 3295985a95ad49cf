"""Events inside a stage of a penalty case: the party asks for a hearing (and the hearing notice is
served), the decision on 先行登记保存 evidence, the approved extension of the 办案期限, evidence files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.base import now
from station_app.errors import ValidationError
from station_app.formatting import chinese_date
from station_app.models import AttachmentBlob, CaseEvidence
from station_app.services import audit
from station_app.services.attachments import AttachmentStore, store_files
from station_app.services.context import Actor, require
from station_app.services.penalties import stages as st
from station_app.services.penalties.cases import load_case, snap
from station_app.services.penalties.clocks import close_clock, find, open_clock
from station_app.services.validation import Checker, clean

EVIDENCE_KINDS = ("询问笔录", "现场勘验笔录", "照片", "先行登记保存", "其他")


def _dates(c: Checker, label: str, on: date | None, after: date | None, after_label: str) -> None:
    if on is None:
        c.add(label, "必填")
    c.not_future(label, on)
    c.date_order(after_label, after, label, on)


def record_hearing_request(session: Session, actor: Actor, case_id: int, requested_on: date | None,
                           notice_on: date | None = None, version: int | None = None) -> None:
    """The party asked for a hearing (within the period); ``notice_on`` starts the 7-day notice clock."""
    require(actor, "case.write")
    case = load_case(session, case_id, version)
    if case.stage != st.NOTICE:
        raise ValidationError({"听证": f"案件处于“{case.stage}”环节，只有告知后才能登记听证申请"})
    if not case.hearing_eligible:
        raise ValidationError({"听证": "本案拟作出的处罚不属于应告知听证权利的情形"})
    clock = find(case, "hearing_request")
    c = Checker()
    _dates(c, "申请日期", requested_on, case.stage_on, "告知书送达日期")
    if notice_on is not None:
        _dates(c, "听证通知送达日期", notice_on, requested_on, "申请日期")
    c.check()
    assert requested_on is not None
    if clock is not None and clock.done_on is None and requested_on > clock.deadline:
        raise ValidationError({"申请日期": f"已超过听证申请期限（{chinese_date(clock.deadline)}），视为放弃听证"})
    before = snap(case)
    case.hearing_requested = True
    close_clock(case, "hearing_request", requested_on, "当事人申请听证")
    if notice_on is not None:
        open_clock(case, "hearing_notice", notice_on, "听证通知送达日期")
    session.flush()
    audit.record(session, actor, "update", "penalty_case", case.id, before=before, after=snap(case),
                 summary=f"登记听证申请 {case.code}（{chinese_date(requested_on)}）")


def decide_preservation(session: Session, actor: Actor, case_id: int, on: date | None, note: str,
                        version: int | None = None) -> None:
    """The decision on evidence held under 先行登记保存 (行政处罚法 第五十六条: within 7 days)."""
    require(actor, "case.write")
    case = load_case(session, case_id, version)
    clock = find(case, "evidence_preservation")
    if clock is None or clock.done_on is not None:
        raise ValidationError({"先行登记保存": "本案没有待处理的先行登记保存"})
    c = Checker()
    _dates(c, "处理决定日期", on, clock.start, "先行登记保存日期")
    c.required("处理决定", clean(note))
    c.check()
    assert on is not None
    close_clock(case, "evidence_preservation", on, clean(note))
    session.flush()
    audit.record(session, actor, "update", "penalty_case", case.id, after={"先行登记保存处理": clean(note)},
                 summary=f"先行登记保存处理决定 {case.code}（{chinese_date(on)}）")


def record_preservation(session: Session, actor: Actor, case_id: int, on: date | None,
                        version: int | None = None) -> None:
    """先行登记保存 during the investigation: starts the 7-day decision clock."""
    require(actor, "case.write")
    case = load_case(session, case_id, version)
    if case.stage not in (st.FILING, st.INVESTIGATION):
        raise ValidationError({"先行登记保存": "只能在立案后、调查终结前先行登记保存证据"})
    c = Checker()
    _dates(c, "先行登记保存日期", on, case.filed_on, "立案日期")
    c.check()
    assert on is not None
    open_clock(case, "evidence_preservation", on, "先行登记保存日期")
    session.flush()
    audit.record(session, actor, "update", "penalty_case", case.id, after={"先行登记保存": on.isoformat()},
                 summary=f"先行登记保存 {case.code}（{chinese_date(on)}）")


def extend_deadline(session: Session, actor: Actor, case_id: int, new_deadline: date | None, reason: str,
                    version: int | None = None) -> None:
    """Extend the 办案期限 (行政处罚法 第六十条 “法律、法规、规章另有规定的从其规定”; the chief approves)."""
    require(actor, "case.approve")
    case = load_case(session, case_id, version)
    clock = find(case, "decision")
    if clock is None or clock.done_on is not None or case.case_deadline is None:
        raise ValidationError({"办案期限": "只有已立案、尚未作出决定的案件可以延长办案期限"})
    c = Checker()
    if new_deadline is None:
        c.add("延长至", "必填")
    elif new_deadline <= case.case_deadline:
        c.add("延长至", f"须晚于现办案期限（{chinese_date(case.case_deadline)}）")
    c.required("延长理由", clean(reason))
    c.check()
    assert new_deadline is not None
    before = snap(case)
    case.case_deadline = clock.deadline = new_deadline
    clock.provisional = False  # an approved date is exact
    case.extended_by_name, case.extension_reason = actor.full_name[:50], clean(reason)
    clock.note = f"经{actor.full_name}批准延长：{clean(reason)}"[:200]
    session.flush()
    audit.record(session, actor, "update", "penalty_case", case.id, before=before, after=snap(case),
                 summary=f"延长办案期限 {case.code} 至{chinese_date(new_deadline)}")


def add_evidence(session: Session, actor: Actor, store: AttachmentStore | None, case_id: int,
                 paths: Sequence[str | Path], kind: str, caption: str = "") -> int:
    """Store evidence files (笔录 scans, photos …) and link them to the case. Returns how many were new."""
    require(actor, "case.write")
    case = load_case(session, case_id)
    c = Checker()
    c.one_of("证据类别", kind, EVIDENCE_KINDS)
    if not paths:
        c.add("证据文件", "请选择文件")
    c.check()
    stored = store_files(store, paths)
    added = 0
    for f in stored:
        blob = session.scalar(select(AttachmentBlob).where(AttachmentBlob.sha256 == f.sha256))
        if blob is None:
            blob = AttachmentBlob(sha256=f.sha256, size=f.size, mime=f.mime, width=f.width, height=f.height,
                                  taken_at=f.taken_at)
            session.add(blob)
            session.flush()
        if session.scalar(select(CaseEvidence.id).where(CaseEvidence.case_id == case.id,
                                                        CaseEvidence.blob_id == blob.id)):
            continue
        session.add(CaseEvidence(case_id=case.id, blob_id=blob.id, kind=kind, original_name=f.original_name[:200],
                                 caption=clean(caption)[:200], added_at=now(), added_by_name=actor.full_name[:50]))
        added += 1
    session.flush()
    audit.record(session, actor, "update", "penalty_case", case.id, after={"证据": f"{kind} {added}份"},
                 summary=f"添加证据 {case.code}：{kind} {added}份")
    return added
