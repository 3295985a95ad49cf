"""What each document type needs and the context it is rendered from, filled from the records.

The context is plain JSON (stored with the issued document): ``station``, ``doc``, ``project``,
``inspection``, ``hazards`` (rows with concrete deadline dates), ``evidence`` (IDs + hash prefixes),
``rights`` (the 复议/诉讼 paragraph and its legal basis), and the type's own fields (``案由`` …) both at the
top level and under ``extra``. A type field the caller left out prints as a blank line to fill by hand.

The legal wording (the basis of an order, the rights granted, the 复议/诉讼 periods) is reference data
(``document_texts``, see rules/documents.py) an admin can edit; the row in force on the issue date is
used. A caller may pass ``extra["依据"]`` to print another basis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from station_app.errors import NotFound
from station_app.formatting import chinese_date, chinese_datetime, format_yuan
from station_app.models import (
    AttachmentBlob,
    Hazard,
    HazardAttachment,
    Inspection,
    InspectionAttachment,
    Project,
    ProjectParty,
    Station,
)
from station_app.rules import documents as doc_rules
from station_app.rules import procedure, refdata
from station_app.rules.errors import RuleInputError
from station_app.services.deadlines import deadline_text

BLANK = "__________"
PREVIEW_NUMBER = "（签发时编号）"
_CASE_FIELDS = ("案由", "当事人", "证件号码", "当事人地址", "法定代表人", "违法事实", "证据", "法律依据",
                "处罚依据", "处罚内容", "联系人")


@dataclass(frozen=True)
class TypeSpec:
    doc_type: str
    numbered: bool = True
    #: whose name heads the document: the station (监督文书) or the bureau (行政处罚文书)
    authority: str = "station"
    needs_project: bool = True
    needs_deadline: bool = False
    needs_addressee: bool = True
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    copies: str = "受文单位一份、监督站存档一份"


TYPE_SPECS: dict[str, TypeSpec] = {s.doc_type: s for s in (
    TypeSpec("安全隐患整改通知书", needs_deadline=True),
    TypeSpec("局部停工整改通知书", needs_deadline=True, fields=("停工部位",), required=("停工部位",)),
    TypeSpec("停工整改通知书", needs_deadline=True),
    TypeSpec("复工通知书", fields=("原通知书文号", "复查日期", "复工范围", "复工日期"),
             required=("原通知书文号",)),
    TypeSpec("建设工程安全生产监督抽查记录", needs_addressee=False, copies="受检单位一份、监督站存档一份"),
    TypeSpec("安全生产约谈记录", needs_deadline=True,
             fields=("约谈时间", "约谈地点", "约谈对象", "记录人", "约谈事由", "约谈内容", "整改要求"),
             required=("约谈对象", "约谈事由")),
    TypeSpec("立案审批表", authority="bureau", needs_project=False, needs_addressee=False,
             fields=(*_CASE_FIELDS, "案件来源", "受案日期", "承办人", "承办人意见", "审核意见", "审批意见"),
             required=("案由", "当事人"), copies="存档"),
    TypeSpec("行政处罚事先告知书", authority="bureau", needs_project=False,
             fields=(*_CASE_FIELDS, "陈述申辩期限"), required=("违法事实", "法律依据", "处罚依据", "处罚内容")),
    TypeSpec("行政处罚听证告知书", authority="bureau", needs_project=False,
             fields=(*_CASE_FIELDS, "听证申请期限"), required=("违法事实", "法律依据", "处罚依据", "处罚内容")),
    TypeSpec("行政处罚决定书", authority="bureau", needs_project=False,
             fields=(*_CASE_FIELDS, "告知日期", "陈述申辩情况", "缴款银行"),
             required=("当事人", "违法事实", "法律依据", "处罚依据", "处罚内容"), copies="当事人一份、存档一份"),
    TypeSpec("送达回证", authority="bureau", needs_project=False,
             fields=("送达文书", "送达地点", "送达方式", "送达人", "备注"), required=("送达文书",), copies="存档"),
    TypeSpec("结案审批表", authority="bureau", needs_project=False, needs_addressee=False,
             fields=(*_CASE_FIELDS, "立案日期", "决定书文号", "决定日期", "执行情况", "承办人", "承办人意见",
                     "审批意见"), required=("案由",), copies="存档"),
    # forms a contractor fills in and returns: printed blank or pre-filled, never numbered
    TypeSpec("隐患整改完成报告", numbered=False, needs_addressee=False, fields=("原通知书文号",)),
    TypeSpec("复工申请", numbered=False, needs_addressee=False, fields=("原通知书文号",)),
)}

#: top-level names the context reserves (a type field may not use them)
RESERVED = frozenset({"station", "doc", "project", "inspection", "hazards", "evidence", "rights", "extra"})


def type_spec(doc_type: str) -> TypeSpec | None:
    return TYPE_SPECS.get(doc_type)


def all_types() -> list[str]:
    return list(TYPE_SPECS)


def document_extra_fields(doc_type: str) -> tuple[str, ...]:
    """The type-specific fields a caller may pass in ``IssueRequest.extra`` (e.g. 案由, 违法事实)."""
    spec = TYPE_SPECS.get(doc_type)
    return spec.fields if spec else ()


# --------------------------------------------------------------------------- pieces


def station_context(session: Session) -> dict[str, str]:
    st = session.scalar(select(Station).limit(1))
    if st is None:
        return {"name": "", "short_name": "", "bureau": "", "county": "", "address": "", "phone": ""}
    return {"name": st.name, "short_name": st.short_name or st.county[:1], "bureau": st.bureau,
            "county": st.county, "address": st.address or BLANK, "phone": st.phone or BLANK}


def _party_maps(project: Project) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    firms: dict[str, str] = {}
    people: dict[tuple[str, str], str] = {}
    for party in project.parties:
        firms.setdefault(party.role, party.enterprise.name)
        for pp in party.people:
            people.setdefault((party.role, pp.post), pp.person.name)
    return firms, people


def project_context(session: Session, project_id: int | None) -> dict[str, str]:
    keys = ("name", "address", "permit_no", "supervision_no", "status", "owner", "contractor",
            "supervisor_firm", "contractor_manager", "safety_officer", "chief_supervisor")
    if project_id is None:
        ctx = dict.fromkeys(keys, BLANK)
        ctx["contractor_or_blank"] = ctx["located"] = BLANK
        return ctx
    project = session.scalar(select(Project).where(Project.id == project_id).options(
        selectinload(Project.parties).selectinload(ProjectParty.enterprise),
        selectinload(Project.parties).selectinload(ProjectParty.people)))
    if project is None:
        raise NotFound("项目不存在。")
    firms, people = _party_maps(project)
    ctx = {
        "name": project.name, "address": project.address or BLANK, "permit_no": project.permit_no or BLANK,
        "supervision_no": project.supervision_no or BLANK, "status": project.status,
        "owner": firms.get("建设单位", BLANK), "contractor": firms.get("施工总承包", BLANK),
        "supervisor_firm": firms.get("监理", BLANK),
        "contractor_manager": people.get(("施工总承包", "项目负责人"), BLANK),
        "safety_officer": people.get(("施工总承包", "专职安全员"), BLANK),
        "chief_supervisor": people.get(("监理", "项目总监"), BLANK),
    }
    ctx["contractor_or_blank"] = firms.get("施工总承包", BLANK)
    ctx["located"] = f"{project.name}（{project.address}）" if project.address else project.name
    return ctx


def inspection_context(session: Session, inspection_id: int | None) -> dict[str, Any]:
    if inspection_id is None:
        return {"date_cn": BLANK, "datetime_cn": BLANK, "inspectors": BLANK, "kind": BLANK, "weather": BLANK,
                "site_parts": BLANK, "conclusion": BLANK, "presence": BLANK}
    insp = session.scalar(select(Inspection).where(Inspection.id == inspection_id).options(
        selectinload(Inspection.inspectors), selectinload(Inspection.presence)))
    if insp is None:
        raise NotFound("监督检查记录不存在。")
    presence = "；".join(f"{p.party_role}{p.post}{p.person_name}{'在岗' if p.present else '不在岗'}"
                        for p in insp.presence)
    return {
        "date_cn": chinese_date(insp.inspected_at), "datetime_cn": chinese_datetime(insp.inspected_at),
        "inspectors": "、".join(i.name for i in insp.inspectors) or insp.inspector_names or BLANK,
        "kind": insp.kind, "weather": insp.weather or BLANK, "site_parts": insp.site_parts or BLANK,
        "conclusion": insp.conclusion or BLANK, "presence": presence or BLANK,
    }


def hazard_rows(session: Session, hazard_ids: Sequence[int]) -> list[Hazard]:
    """The hazards in the order asked; NotFound naming the first missing id."""
    if not hazard_ids:
        return []
    found = {h.id: h for h in session.scalars(select(Hazard).where(Hazard.id.in_(list(hazard_ids))))}
    missing = [i for i in hazard_ids if i not in found]
    if missing:
        raise NotFound(f"隐患（编号 id={missing[0]}）不存在。")
    return [found[i] for i in hazard_ids]


def hazards_context(hazards: Sequence[Hazard]) -> list[dict[str, Any]]:
    rows = []
    for seq, h in enumerate(hazards, start=1):
        criterion = f"（重大事故隐患，判定标准 {h.criterion_code}）" if h.level == "重大" and h.criterion_code \
            else ("（重大事故隐患）" if h.level == "重大" else "")
        rows.append({"seq": seq, "code": h.code, "location": h.location or "—", "description": h.description,
                     "level": h.level, "criterion_text": criterion, "requirement": h.requirement or "按规范整改",
                     "deadline": h.deadline.isoformat(),
                     "deadline_cn": deadline_text(h.deadline, h.deadline_provisional),
                     "responsible": h.responsible_person_name})
    return rows


def evidence_context(session: Session, blob_ids: Sequence[int]) -> list[dict[str, Any]]:
    if not blob_ids:
        return []
    blobs = {b.id: b for b in session.scalars(select(AttachmentBlob).where(AttachmentBlob.id.in_(list(blob_ids))))}
    missing = [i for i in blob_ids if i not in blobs]
    if missing:
        raise NotFound(f"证据文件（id={missing[0]}）不存在。")
    names: dict[int, str] = {}
    for blob_id, name, caption in session.execute(
            select(InspectionAttachment.blob_id, InspectionAttachment.original_name, InspectionAttachment.caption)
            .where(InspectionAttachment.blob_id.in_(list(blob_ids)))):
        names.setdefault(blob_id, caption or name)
    for blob_id, kind, name, caption in session.execute(
            select(HazardAttachment.blob_id, HazardAttachment.kind, HazardAttachment.file_name,
                   HazardAttachment.caption).where(HazardAttachment.blob_id.in_(list(blob_ids)))):
        names.setdefault(blob_id, caption or f"{kind} {name}".strip())
    out = []
    for seq, blob_id in enumerate(blob_ids, start=1):
        b = blobs[blob_id]
        taken = f"（拍摄于{chinese_datetime(b.taken_at)}）" if b.taken_at else ""
        out.append({"seq": seq, "blob_id": b.id, "code": evidence_code(b.id), "sha_prefix": b.sha256[:12],
                    "caption": (names.get(blob_id) or ("照片" if b.mime.startswith("image/") else "文件")) + taken})
    return out


def evidence_code(blob_id: int) -> str:
    """The stable short ID of a stored file: the same photo carries the same ID on every document."""
    return f"ZJ{blob_id:06d}"


def texts_gap(doc_type: str, on: date) -> str:
    """Why the type's legal basis cannot be printed on ``on`` (its texts ended, the next not entered); ""."""
    try:
        doc_rules.document_texts(doc_type, on)
    except RuleInputError:
        return refdata.not_in_force_message("document_texts", on, lambda r: r["doc_type"] == doc_type)
    return ""


def rights_context(spec: TypeSpec, county: str, on: date | None = None) -> dict[str, Any]:
    """The rights paragraph and periods from reference data (``document_texts`` and ``procedure_steps``)."""
    texts = doc_rules.document_texts(spec.doc_type, on)
    try:
        hearing = procedure.procedure_step("hearing_request").n
        payment = procedure.procedure_step("fine_payment").n
    except RuleInputError:  # an admin removed a row: print a blank to fill by hand
        hearing = payment = 0
    text = doc_rules.rights_paragraph(
        texts, subject="本决定" if spec.authority == "bureau" else "本通知",
        reconsideration_body=f"{county}人民政府" if county else "本级人民政府")
    return {"text": text, "basis": texts.rights_basis or BLANK,
            "reconsideration_days": texts.reconsideration_days or "", "litigation": texts.litigation_months or "",
            "hearing_days": hearing or BLANK, "payment_days": payment or BLANK}


def extra_context(spec: TypeSpec, extra: dict[str, Any]) -> dict[str, Any]:
    """The type's fields (blank where not given) plus anything else the caller passed, formatted."""
    out: dict[str, Any] = dict.fromkeys(spec.fields, BLANK)
    for key, value in extra.items():
        if isinstance(value, date):
            value = chinese_date(value)
        out[key] = BLANK if value is None or value == "" else value
    fen = extra.get("罚款金额_fen")
    out["罚款金额_text"] = f"，罚款人民币{format_yuan(int(fen))}元" if isinstance(fen, int) and fen > 0 else ""
    return out


def build_context(session: Session, spec: TypeSpec, *, project_id: int | None, inspection_id: int | None,
                  hazards: Sequence[Hazard], evidence_blob_ids: Sequence[int], addressee: str, signer: str,
                  issue_date: date | None, deadline: date | None, extra: dict[str, Any], number: str,
                  preview: bool, deadline_provisional: bool = False) -> dict[str, Any]:
    station = station_context(session)
    extras = extra_context(spec, extra)
    doc = {
        "type": spec.doc_type, "title": spec.doc_type, "number": number, "preview": preview,
        "authority": station["bureau"] if spec.authority == "bureau" else station["name"],
        "addressee": addressee or BLANK, "signer": signer or BLANK,
        "issue_date": issue_date.isoformat() if issue_date else "",
        "issue_date_cn": chinese_date(issue_date, style="upper") if issue_date else "　　年　　月　　日",
        "issue_date_text": chinese_date(issue_date) if issue_date else BLANK,
        "deadline": deadline.isoformat() if deadline else "",
        "deadline_cn": deadline_text(deadline, deadline_provisional) if deadline else BLANK,
        "basis": str(extra.get("依据") or doc_rules.document_texts(spec.doc_type, issue_date).basis or BLANK),
        "copies": "二" if "、" in spec.copies else "一", "copies_note": spec.copies,
    }
    ctx: dict[str, Any] = {
        "station": station, "doc": doc, "project": project_context(session, project_id),
        "inspection": inspection_context(session, inspection_id), "hazards": hazards_context(hazards),
        "evidence": evidence_context(session, evidence_blob_ids),
        "rights": rights_context(spec, station["county"], issue_date), "extra": extras,
    }
    for key, value in extras.items():
        if key not in RESERVED:
            ctx[key] = value
    return ctx
