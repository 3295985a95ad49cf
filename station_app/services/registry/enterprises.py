"""企业 registry: one enterprise per 统一社会信用代码; merging keeps every link."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from station_app.errors import DuplicateRecord, NotFound, ValidationError
from station_app.models import Enterprise, EnterpriseQualification, Person, ProjectParty
from station_app.models.enums import EnterpriseKind, PermitStatus
from station_app.rules.ids import is_valid_uscc
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.listing import Column, ListSpec, base_from
from station_app.services.registry.projects import refresh_search_keys_for_enterprise
from station_app.services.search import build_search_key, like_pattern
from station_app.services.supervision.conflicts import repoint_conflicts
from station_app.services.validation import Checker, clean


@dataclass(frozen=True)
class QualificationData:
    name: str
    grade: str = ""
    certificate_no: str = ""
    valid_until: date | None = None


@dataclass(frozen=True)
class EnterpriseData:
    name: str
    uscc: str
    kind: str
    legal_representative: str = ""
    address: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    safety_permit_no: str = ""
    safety_permit_valid_until: date | None = None
    safety_permit_status: str = ""
    note: str = ""
    qualifications: tuple[QualificationData, ...] = field(default_factory=tuple)
    id: int | None = None
    version: int | None = None


_SCALARS = ("name", "uscc", "kind", "legal_representative", "address", "contact_person", "contact_phone",
            "safety_permit_no", "safety_permit_valid_until", "safety_permit_status", "note")


def normalize_uscc(code: str) -> str:
    return clean(code).replace(" ", "").upper()


def _validate(data: EnterpriseData) -> EnterpriseData:
    data = replace(data, name=clean(data.name), uscc=normalize_uscc(data.uscc),
                   safety_permit_no=clean(data.safety_permit_no))
    c = Checker()
    c.required("企业名称", data.name)
    c.max_len("企业名称", data.name, 120)
    if c.required("统一社会信用代码", data.uscc) and not is_valid_uscc(data.uscc):
        c.add("统一社会信用代码", f"“{data.uscc}”不符合GB 32100校验规则（18位，末位校验码）")
    c.required("企业类型", data.kind)
    c.one_of("企业类型", data.kind, [k.value for k in EnterpriseKind])
    c.one_of("安全生产许可证状态", data.safety_permit_status or None, [s.value for s in PermitStatus])
    if data.safety_permit_status and not data.safety_permit_no:
        c.add("安全生产许可证号", "填写了许可证状态，须填写许可证号")
    for i, q in enumerate(data.qualifications, 1):
        if not clean(q.name):
            c.add(f"资质第{i}行", "资质名称必填")
    c.check()
    return data


def _to_data(e: Enterprise) -> EnterpriseData:
    return EnterpriseData(
        **{f: getattr(e, f) for f in _SCALARS},
        qualifications=tuple(QualificationData(q.name, q.grade, q.certificate_no, q.valid_until)
                             for q in e.qualifications),
        id=e.id, version=e.version,
    )


def _snap(e: Enterprise) -> dict[str, object]:
    snap = audit.snapshot(e, _SCALARS)
    snap["qualifications"] = [f"{q.name} {q.grade} {q.certificate_no}".strip() for q in e.qualifications]
    return snap


def _apply(e: Enterprise, data: EnterpriseData) -> None:
    for f in _SCALARS:
        setattr(e, f, getattr(data, f))
    e.qualifications = [EnterpriseQualification(name=clean(q.name), grade=clean(q.grade),
                                                certificate_no=clean(q.certificate_no), valid_until=q.valid_until)
                        for q in data.qualifications]
    e.search_key = build_search_key(data.name, extra=(data.uscc, data.safety_permit_no, data.contact_person))


def _check_unique(session: Session, uscc: str, own_id: int | None) -> None:
    other = session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
    if other is not None and other.id != own_id:
        raise DuplicateRecord(f"统一社会信用代码 {uscc} 已登记为“{other.name}”，同一代码只能登记一个企业。")


def create_enterprise(session: Session, actor: Actor, data: EnterpriseData) -> EnterpriseData:
    require(actor, "registry.write")
    data = _validate(data)
    _check_unique(session, data.uscc, None)
    e = Enterprise()
    _apply(e, data)
    session.add(e)
    session.flush()
    audit.record(session, actor, "create", "enterprise", e.id, after=_snap(e), summary=f"新增企业 {e.name}")
    return _to_data(e)


def get_enterprise(session: Session, enterprise_id: int) -> EnterpriseData:
    e = session.get(Enterprise, enterprise_id)
    if e is None:
        raise NotFound("企业不存在或已被合并。")
    return _to_data(e)


def find_by_uscc(session: Session, uscc: str) -> EnterpriseData | None:
    e = session.scalar(select(Enterprise).where(Enterprise.uscc == normalize_uscc(uscc)))
    return None if e is None else _to_data(e)


def update_enterprise(session: Session, actor: Actor, data: EnterpriseData) -> EnterpriseData:
    require(actor, "registry.write")
    if data.id is None:
        raise ValidationError("缺少企业编号")
    data = _validate(data)
    e = session.get(Enterprise, data.id)
    if e is None:
        raise NotFound("企业不存在或已被合并。")
    if data.version is not None and e.version != data.version:
        from station_app.errors import StaleRecord

        raise StaleRecord(f"企业“{e.name}”")
    _check_unique(session, data.uscc, e.id)
    before = _snap(e)
    _apply(e, data)
    session.flush()
    if (before["name"], before["uscc"]) != (e.name, e.uscc):  # projects are found by these: follow them
        refresh_search_keys_for_enterprise(session, e.id)
    audit.record(session, actor, "update", "enterprise", e.id, before=before, after=_snap(e),
                 summary=f"修改企业 {e.name}")
    return _to_data(e)


def merge_enterprises(session: Session, actor: Actor, keep_id: int, remove_id: int) -> EnterpriseData:
    """Move every link (project parties, employees) from ``remove_id`` to ``keep_id``, then delete it."""
    require(actor, "enterprise.merge")
    if keep_id == remove_id:
        raise ValidationError("不能把企业与自身合并")
    keep, gone = session.get(Enterprise, keep_id), session.get(Enterprise, remove_id)
    if keep is None or gone is None:
        raise NotFound("要合并的企业不存在。")
    gone_snap = _snap(gone)
    # A project where both were in the same role keeps one party row (with both sets of people).
    moved_parties = 0
    for party in session.scalars(select(ProjectParty).where(ProjectParty.enterprise_id == gone.id)).all():
        twin = session.scalar(select(ProjectParty).where(
            ProjectParty.project_id == party.project_id, ProjectParty.role == party.role,
            ProjectParty.enterprise_id == keep.id))
        if twin is not None:
            for link in list(party.people):
                if not any(p.person_id == link.person_id and p.post == link.post for p in twin.people):
                    link.party = twin
            session.flush()
            session.delete(party)
        else:
            party.enterprise_id = keep.id
            moved_parties += 1
    moved_people = len(session.scalars(
        update(Person).where(Person.employer_id == gone.id).values(employer_id=keep.id).returning(Person.id)
    ).all())
    repoint_conflicts(session, gone.id, keep.id)
    for q in gone.qualifications:
        if not any(k.name == q.name and k.certificate_no == q.certificate_no for k in keep.qualifications):
            keep.qualifications.append(EnterpriseQualification(
                name=q.name, grade=q.grade, certificate_no=q.certificate_no, valid_until=q.valid_until))
    session.flush()
    session.delete(gone)
    session.flush()
    refresh_search_keys_for_enterprise(session, keep.id)
    audit.record(session, actor, "merge", "enterprise", keep.id, before=gone_snap,
                 after={"merged_into": keep.id, "项目参建记录": moved_parties, "人员": moved_people},
                 summary=f"将企业“{gone_snap['name']}”（{gone_snap['uscc']}）合并入“{keep.name}”")
    return _to_data(keep)


def count_links(session: Session, enterprise_id: int) -> tuple[int, int]:
    parties = session.scalar(select(func.count(ProjectParty.id)).where(ProjectParty.enterprise_id == enterprise_id))
    people = session.scalar(select(func.count(Person.id)).where(Person.employer_id == enterprise_id))
    return parties or 0, people or 0


def delete_enterprise(session: Session, actor: Actor, enterprise_id: int) -> None:
    require(actor, "registry.delete")
    e = session.get(Enterprise, enterprise_id)
    if e is None:
        raise NotFound("企业不存在。")
    parties, _people = count_links(session, enterprise_id)
    if parties:
        raise ValidationError(f"企业“{e.name}”参建了{parties}个项目，不能删除；如为重复登记，请使用“合并”。")
    before = _snap(e)
    session.delete(e)
    audit.record(session, actor, "delete", "enterprise", enterprise_id, before=before,
                 summary=f"删除企业 {before['name']}")


ENTERPRISE_LIST = ListSpec(
    columns=(
        Column("name", "企业名称", Enterprise.name, 260),
        Column("uscc", "统一社会信用代码", Enterprise.uscc, 170),
        Column("kind", "企业类型", Enterprise.kind, 100),
        Column("legal_representative", "法定代表人", Enterprise.legal_representative, 90),
        Column("safety_permit_no", "安全生产许可证号", Enterprise.safety_permit_no, 190),
        Column("safety_permit_valid_until", "许可证有效期至", Enterprise.safety_permit_valid_until, 110, "date"),
        Column("safety_permit_status", "许可证状态", Enterprise.safety_permit_status, 80),
        Column("contact_phone", "联系电话", Enterprise.contact_phone, 110),
    ),
    base=base_from(Enterprise),
    id_expr=Enterprise.id,
    search_expr=Enterprise.search_key,
    filters={
        "kind": lambda s, v: s.where(Enterprise.kind == v),
        "permit_status": lambda s, v: s.where(Enterprise.safety_permit_status == v),
        "permit_expiring_before": lambda s, v: s.where(Enterprise.safety_permit_valid_until < v),
    },
    default_sort=(Enterprise.name,),
)


# --------------------------------------------------------------------------- completion (enterprise picker)


@dataclass(frozen=True)
class EnterpriseChoice:
    id: int
    name: str
    uscc: str
    kind: str


def search_enterprises(session: Session, text: str, limit: int = 20, *,
                       prefer_kind: str | None = None) -> list[EnterpriseChoice]:
    """Enterprises whose name, 拼音首字母, USCC or permit number contain every typed term (one SQL query).

    ``prefer_kind`` lists that kind first (e.g. 监理企业 when picking the 监理 of a project).
    """
    stmt = select(Enterprise.id, Enterprise.name, Enterprise.uscc, Enterprise.kind)
    for term in text.split():
        stmt = stmt.where(Enterprise.search_key.like(like_pattern(term), escape="\\"))
    order = [case((Enterprise.kind == prefer_kind, 0), else_=1)] if prefer_kind else []
    stmt = stmt.order_by(*order, func.length(Enterprise.name), Enterprise.name, Enterprise.id).limit(limit)
    return [EnterpriseChoice(*row) for row in session.execute(stmt)]
