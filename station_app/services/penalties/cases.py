"""行政处罚案件: register a clue, edit the case's basics, read a case back with its clocks.

The stage flow is in services/penalties/flow.py, the penalty and the money in case_penalty.py, 一案双查 in
case_reviews.py. Every write checks ``case.write`` (approvals ``case.approve``) and writes an audit row
in the caller's transaction.

当事人 is a 单位 with a valid 统一社会信用代码 or a 个人 with a valid 居民身份证号 (GB 32100 / GB 11643);
picking an enterprise or person from the registry fills the name and code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.errors import NotFound, StaleRecord, ValidationError
from station_app.models import Enterprise, Hazard, Inspection, PenaltyCase, Person, Project
from station_app.rules.ids import is_valid_resident_id, is_valid_uscc
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.penalties import stages as st
from station_app.services.penalties.clocks import open_clock
from station_app.services.search import build_search_key
from station_app.services.validation import Checker, clean

SOURCES = ("监督检查", "隐患", "投诉举报", "事故", "上级交办", "其他")
PARTY_KINDS = ("单位", "个人")


@dataclass(frozen=True)
class CaseInput:
    cause: str
    clue_on: date | None
    party_kind: str = "单位"
    enterprise_id: int | None = None
    person_id: int | None = None
    party_name: str = ""
    party_code: str = ""
    party_address: str = ""
    party_legal_rep: str = ""
    source: str = "监督检查"
    source_note: str = ""
    project_id: int | None = None
    inspection_id: int | None = None
    hazard_id: int | None = None
    accident_note: str = ""
    facts: str = ""
    evidence_summary: str = ""
    handlers: str = ""
    serious: bool = False
    id: int | None = None
    version: int | None = None


_FIELDS = ("cause", "clue_on", "party_kind", "enterprise_id", "person_id", "party_name", "party_code",
           "party_address", "party_legal_rep", "source", "source_note", "project_id", "inspection_id",
           "hazard_id", "accident_note", "facts", "evidence_summary", "handlers", "serious")


def _fill_party(session: Session, c: Checker, data: CaseInput) -> CaseInput:
    if data.party_kind == "单位":
        ent = session.get(Enterprise, data.enterprise_id) if data.enterprise_id else None
        if data.enterprise_id and ent is None:
            c.add("当事人", "所选企业不存在")
        if ent is not None:
            data = replace(data, party_name=data.party_name or ent.name, party_code=data.party_code or ent.uscc,
                           party_address=data.party_address or ent.address,
                           party_legal_rep=data.party_legal_rep or ent.legal_representative)
        data = replace(data, person_id=None)
        code = data.party_code.replace(" ", "").upper()
        if not code:
            c.add("统一社会信用代码", "单位当事人须填写统一社会信用代码")
        elif not is_valid_uscc(code):
            c.add("统一社会信用代码", "不符合GB 32100校验规则（18位，末位校验码须正确）")
        return replace(data, party_code=code)
    person = session.get(Person, data.person_id) if data.person_id else None
    if data.person_id and person is None:
        c.add("当事人", "所选人员不存在")
    if person is not None:
        data = replace(data, party_name=data.party_name or person.name,
                       party_code=data.party_code or (person.id_number or ""))
    data = replace(data, enterprise_id=None)
    code = data.party_code.replace(" ", "").upper()
    if not code:
        c.add("身份证号", "个人当事人须填写居民身份证号")
    elif not is_valid_resident_id(code, today=clock.today()):
        c.add("身份证号", "不符合GB 11643校验规则（18位，地区码、出生日期和末位校验码须正确）")
    return replace(data, party_code=code)


def _validate(session: Session, data: CaseInput) -> CaseInput:
    texts: dict[str, Any] = {k: clean(getattr(data, k)) for k in (
        "cause", "party_name", "party_code", "party_address", "party_legal_rep", "source_note",
        "accident_note", "facts", "evidence_summary", "handlers")}
    data = replace(data, **texts)
    c = Checker()
    c.required("案由", data.cause)
    c.max_len("案由", data.cause, 300)
    if data.clue_on is None:
        c.add("发现线索日期", "必填")
    c.not_future("发现线索日期", data.clue_on)
    c.one_of("线索来源", data.source, SOURCES)
    if data.party_kind not in PARTY_KINDS:
        c.add("当事人类型", f"“{data.party_kind}”不是有效选项，可选：单位、个人")
    else:
        data = _fill_party(session, c, data)
    c.required("当事人", data.party_name)
    c.max_len("当事人", data.party_name, 120)
    c.max_len("当事人地址", data.party_address, 200)
    c.max_len("承办人", data.handlers, 100)
    c.max_len("关联事故", data.accident_note, 300)
    c.max_len("来源说明", data.source_note, 300)
    if data.project_id is not None and session.get(Project, data.project_id) is None:
        c.add("工程项目", "所选项目不存在")
    if data.inspection_id is not None:
        insp = session.get(Inspection, data.inspection_id)
        if insp is None:
            c.add("监督检查", "所选检查记录不存在")
        elif data.project_id is None:
            data = replace(data, project_id=insp.project_id)
    if data.hazard_id is not None:
        hz = session.get(Hazard, data.hazard_id)
        if hz is None:
            c.add("隐患", "所选隐患不存在")
        elif data.project_id is None:
            data = replace(data, project_id=hz.project_id)
    if data.source == "事故" and not data.accident_note:
        c.add("关联事故", "线索来源为事故时须填写事故概况")
    c.check()
    return data


def _search_key(session: Session, case: PenaltyCase) -> str:
    project = session.get(Project, case.project_id) if case.project_id else None
    return build_search_key(case.code, case.party_name, case.cause, case.handlers,
                            project.name if project else None)[:800]


def _next_code(session: Session, year: int) -> str:
    prefix = f"CF{year}-"
    last = session.scalar(select(func.max(PenaltyCase.code)).where(PenaltyCase.code.like(f"{prefix}%")))
    serial = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{serial:04d}"


def snap(case: PenaltyCase) -> dict[str, Any]:
    return audit.snapshot(case, (*_FIELDS, "stage", "stage_on", "violation_code", "proposed_fine_fen", "factors",
                                 "in_range", "range_approval_reason", "hearing_requested", "filed_on",
                                 "case_deadline", "extension_reason", "decided_on", "decided_fine_fen",
                                 "served_on", "paid_fen", "surcharge_fen", "reminded_on", "enforcement_applied_on",
                                 "closed_on", "archived_on", "archive_no"))


def load_case(session: Session, case_id: int, version: int | None = None) -> PenaltyCase:
    case = session.get(PenaltyCase, case_id)
    if case is None:
        raise NotFound("行政处罚案件不存在。")
    if version is not None and version != case.version:
        raise StaleRecord("该案件")
    return case


def create_case(session: Session, actor: Actor, data: CaseInput) -> int:
    """Register a clue (线索登记): the case starts its 立案审查 clock. Returns the case id."""
    require(actor, "case.write")
    data = _validate(session, data)
    assert data.clue_on is not None
    case = PenaltyCase(code=_next_code(session, data.clue_on.year), stage=st.CLUE, stage_on=data.clue_on,
                       created_by=actor.user_id, **{k: getattr(data, k) for k in _FIELDS})
    session.add(case)
    from station_app.services.penalties.flow import log_stage  # the flow module imports this one

    log_stage(case, actor, st.CLUE, data.clue_on, data.source_note)
    open_clock(case, "case_filing_review", data.clue_on, "发现线索日期")
    session.flush()
    case.search_key = _search_key(session, case)
    audit.record(session, actor, "create", "penalty_case", case.id, after=snap(case),
                 summary=f"登记行政处罚线索 {case.code} {case.party_name}")
    return case.id


def update_case(session: Session, actor: Actor, data: CaseInput) -> None:
    """Edit the basics; the 当事人 and the clue date are fixed once the notice (告知) went out."""
    require(actor, "case.write")
    if data.id is None:
        raise NotFound("行政处罚案件不存在。")
    case = load_case(session, data.id, data.version)
    data = _validate(session, data)
    fixed = st.STAGE_KEYS.index(case.stage) >= st.STAGE_KEYS.index(st.NOTICE) if case.stage in st.STAGE_KEYS \
        else True
    if fixed and (data.party_name != case.party_name or data.party_code != case.party_code):
        raise ValidationError({"当事人": "已送达告知书，不能再更改当事人"})
    if case.stage != st.CLUE and data.clue_on != case.clue_on:
        raise ValidationError({"发现线索日期": "已立案，不能再更改发现线索日期"})
    before = snap(case)
    for k in _FIELDS:
        setattr(case, k, getattr(data, k))
    if case.stage == st.CLUE:
        assert data.clue_on is not None
        case.stage_on = data.clue_on
        case.stages[0].on_date = data.clue_on
        open_clock(case, "case_filing_review", data.clue_on, "发现线索日期")
    case.search_key = _search_key(session, case)
    session.flush()
    audit.record(session, actor, "update", "penalty_case", case.id, before=before, after=snap(case),
                 summary=f"修改行政处罚案件 {case.code}")
