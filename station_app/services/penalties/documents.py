"""The documents of a penalty case, issued through the documents service and linked to the case.

Keys sent in ``IssueRequest.extra`` (the templates' placeholders, see services/documents/context.py):
案由, 案件来源, 受案日期, 当事人, 证件号码, 当事人地址, 法定代表人, 违法事实, 证据, 法律依据, 处罚依据,
处罚内容 (with the fine in 元), 联系人, 承办人, 承办人意见, 审核意见, 审批意见, 陈述申辩期限, 听证申请期限,
告知日期, 陈述申辩情况, 缴款银行, 送达文书, 送达地点, 送达方式, 送达人, 备注, 立案日期, 决定书文号,
决定日期, 执行情况. Dates are passed as dates (printed in Chinese by the documents service).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.formatting import chinese_date, format_yuan
from station_app.models import CaseDocument, CaseEvidence, PenaltyCase
from station_app.models.penalty_case import CaseClock
from station_app.rules.errors import RuleInputError
from station_app.rules.penalties import penalty_range
from station_app.services.context import Actor
from station_app.services.deadline_refresh import DOCUMENT_CLOCKS
from station_app.services.deadlines import Deadline, stored_deadline
from station_app.services.penalties import stages as st
from station_app.services.penalties.clocks import find
from station_app.services.penalties.fines import money


def penalty_text(case: PenaltyCase, fine_fen: int | None) -> str:
    parts = [m for m in case.other_measures.split("、") if m] if case.other_measures else []
    if fine_fen:
        parts.append(f"罚款人民币{format_yuan(fine_fen)}元")
    if not parts:
        return "不予行政处罚" if "不予处罚" in case.factors else "（无）"
    return "，".join(parts)


def _bases(case: PenaltyCase) -> tuple[str, str]:
    if not case.violation_code:
        return "", ""
    try:
        spec = penalty_range(case.violation_code)
    except RuleInputError:
        return "", ""
    law = spec.source.split("；")[0].split(" ")[0]
    return f"《{law}》{spec.article}", spec.source


def case_fields(case: PenaltyCase, fine_fen: int | None) -> dict[str, Any]:
    law_basis, penalty_basis = _bases(case)
    return {
        "案由": case.cause, "当事人": case.party_name, "证件号码": case.party_code,
        "当事人地址": case.party_address, "法定代表人": case.party_legal_rep, "违法事实": case.facts,
        "证据": case.evidence_summary, "法律依据": law_basis, "处罚依据": penalty_basis,
        "处罚内容": penalty_text(case, fine_fen), "联系人": case.handlers, "承办人": case.handlers,
    }


def linked_number(session: Session, case_id: int, doc_type: str) -> str:
    return session.scalar(select(CaseDocument.doc_number).where(
        CaseDocument.case_id == case_id, CaseDocument.doc_type == doc_type).order_by(CaseDocument.id.desc())
        .limit(1)) or ""


def _last_day(case_clock: CaseClock | None) -> Deadline | None:
    if case_clock is None:
        return None
    return stored_deadline(case_clock.deadline, case_clock.provisional, case_clock.start)


def _printed(deadline: Deadline | None) -> date | str | None:
    """A clock's last day as a document field: the date, or its text with （暂定）."""
    if deadline is None or not deadline.provisional:
        return deadline.day if deadline else None
    return deadline.text


def _stage_date(case: PenaltyCase, stage: str) -> date | None:
    return next((r.on_date for r in reversed(case.stages) if r.stage == stage), None)


def _requests(session: Session, case: PenaltyCase, stage: str, note: str, method: str
              ) -> list[tuple[str, str, Deadline | None, dict[str, Any]]]:
    """(doc_type, addressee, deadline, extra) of each document the stage issues."""
    fine = case.decided_fine_fen if case.decided_on else case.proposed_fine_fen
    base = case_fields(case, fine)
    out: list[tuple[str, str, Deadline | None, dict[str, Any]]] = []
    if stage == st.FILING:
        out.append(("立案审批表", "", None, {**base, "案件来源": f"{case.source}{'：' + case.source_note if case.source_note else ''}",
                                            "受案日期": case.clue_on, "承办人意见": note or "建议立案调查",
                                            "审核意见": "", "审批意见": "同意立案"}))
    elif stage == st.NOTICE:
        # the 期限 is the clock's last day (deadline_refresh follows the same table when it recomputes)
        for doc_type, field in (("行政处罚事先告知书", "陈述申辩期限"), ("行政处罚听证告知书", "听证申请期限")):
            case_clock = find(case, DOCUMENT_CLOCKS[doc_type])
            if case_clock is not None or doc_type == "行政处罚事先告知书":
                last = _last_day(case_clock)
                out.append((doc_type, case.party_name, last, {**base, field: _printed(last)}))
    elif stage == st.DECISION:
        out.append(("行政处罚决定书", case.party_name, None, {
            **base, "告知日期": _stage_date(case, st.NOTICE),
            "陈述申辩情况": note or "你（单位）在规定期限内未提出陈述、申辩。", "缴款银行": "指定的代收银行"}))
    elif stage == st.SERVICE:
        number = linked_number(session, case.id, "行政处罚决定书")
        out.append(("送达回证", case.party_name, None, {
            "送达文书": f"行政处罚决定书（{number}）" if number else "行政处罚决定书",
            "送达地点": case.party_address, "送达方式": method, "送达人": case.handlers, "备注": note}))
    elif stage == st.CLOSING:
        m = money(case, case.closed_on or clock.today())
        if m.fine_fen:
            done = f"罚款{format_yuan(m.fine_fen)}元，已缴{format_yuan(m.paid_fen)}元"
            if m.surcharge_fen:
                done += f"（含加处罚款{format_yuan(m.surcharge_fen)}元）"
            if case.enforcement_applied_on and m.outstanding_fen:
                done += f"，已于{chinese_date(case.enforcement_applied_on)}申请人民法院强制执行"
        else:
            done = "无罚款"
        out.append(("结案审批表", "", None, {
            **base, "立案日期": case.filed_on, "决定书文号": linked_number(session, case.id, "行政处罚决定书"),
            "决定日期": case.decided_on, "执行情况": done, "承办人意见": note or "建议结案", "审批意见": "同意结案"}))
    return out


def issue_stage_documents(session: Session, actor: Actor, case: PenaltyCase, inp: Any) -> list[CaseDocument]:
    """Issue (number, render, store) the documents of the stage just recorded and link them to the case."""
    from station_app.services.documents.issuing import IssueRequest, issue_document

    blobs = tuple(session.scalars(select(CaseEvidence.blob_id).where(CaseEvidence.case_id == case.id)
                                  .order_by(CaseEvidence.id)))
    links = []
    for doc_type, addressee, deadline, extra in _requests(session, case, inp.target, inp.note, inp.service_method):
        with_evidence = doc_type in ("行政处罚事先告知书", "行政处罚决定书")
        request = IssueRequest(doc_type=doc_type, issue_date=inp.on_date, signer_name=inp.signer_name or
                               actor.full_name, project_id=case.project_id, inspection_id=case.inspection_id,
                               addressee=addressee, deadline=deadline.day if deadline else None,
                               deadline_provisional=deadline is not None and deadline.provisional,
                               evidence_blob_ids=blobs if with_evidence else (), extra=extra)
        issued = issue_document(session, actor, request)
        link = CaseDocument(case_id=case.id, document_id=issued.id, stage=inp.target, doc_type=doc_type,
                            doc_number=str(getattr(issued, "number", "") or "")[:60])
        session.add(link)
        links.append(link)
    session.flush()
    return links
