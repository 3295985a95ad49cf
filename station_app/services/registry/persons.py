"""人员 registry: people with their 居民身份证号 (checked, unique, masked for roles that do not need it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from station_app import clock
from station_app.errors import DuplicateRecord, NotFound, StaleRecord, ValidationError
from station_app.models import Enterprise, Person, Project, ProjectParty, ProjectPartyPerson
from station_app.rules.ids import is_valid_resident_id, mask_resident_id, resident_id_gender
from station_app.services import audit
from station_app.services.context import Actor, can, require
from station_app.services.listing import Column, ListQuery, ListSpec
from station_app.services.search import build_search_key, like_pattern
from station_app.services.validation import Checker, clean


@dataclass(frozen=True)
class PersonData:
    name: str
    id_number: str | None = None
    phone: str = ""
    employer_id: int | None = None
    title: str = ""
    note: str = ""
    gender: str = ""
    employer_name: str = ""
    id: int | None = None
    version: int | None = None


_FIELDS = ("name", "id_number", "phone", "employer_id", "title", "note")


def show_id(actor: Actor, number: str | None) -> str:
    """The ID number as this actor may see it: whole for roles that need it, masked otherwise."""
    if not number:
        return ""
    return number if can(actor, "person.read_full_id") else mask_resident_id(number)


def _validate(session: Session, data: PersonData) -> PersonData:
    number = clean(data.id_number).replace(" ", "").upper() or None
    data = replace(data, name=clean(data.name), id_number=number, phone=clean(data.phone))
    c = Checker()
    c.required("姓名", data.name)
    c.max_len("姓名", data.name, 50)
    if number and not is_valid_resident_id(number, today=clock.today()):
        c.add("身份证号", "不符合GB 11643校验规则（18位，地区码、出生日期和末位校验码须正确）")
    if data.employer_id is not None and session.get(Enterprise, data.employer_id) is None:
        c.add("所在单位", "所选企业不存在")
    c.check()
    return data


def _to_data(p: Person, actor: Actor) -> PersonData:
    return PersonData(name=p.name, id_number=show_id(actor, p.id_number) or None, phone=p.phone,
                      employer_id=p.employer_id, title=p.title, note=p.note, gender=p.gender,
                      employer_name=p.employer.name if p.employer else "", id=p.id, version=p.version)


def _apply(session: Session, p: Person, data: PersonData) -> None:
    for f in _FIELDS:
        setattr(p, f, getattr(data, f))
    p.gender = resident_id_gender(data.id_number) if data.id_number else ""
    employer = session.get(Enterprise, data.employer_id) if data.employer_id else None
    p.search_key = build_search_key(data.name, extra=(data.id_number, data.phone,
                                                      employer.name if employer else None))


def _check_unique(session: Session, number: str | None, own_id: int | None) -> None:
    if not number:
        return
    other = session.scalar(select(Person).where(Person.id_number == number))
    if other is not None and other.id != own_id:
        raise DuplicateRecord(f"身份证号 {mask_resident_id(number)} 已登记为“{other.name}”。")


def _snap(p: Person) -> dict[str, Any]:
    snap = audit.snapshot(p, _FIELDS)
    if snap.get("id_number"):
        snap["id_number"] = mask_resident_id(snap["id_number"])  # the log never holds whole ID numbers
    return snap


def create_person(session: Session, actor: Actor, data: PersonData) -> PersonData:
    require(actor, "registry.write")
    data = _validate(session, data)
    _check_unique(session, data.id_number, None)
    p = Person()
    _apply(session, p, data)
    session.add(p)
    session.flush()
    audit.record(session, actor, "create", "person", p.id, after=_snap(p), summary=f"新增人员 {p.name}")
    return _to_data(p, actor)


def get_person(session: Session, actor: Actor, person_id: int) -> PersonData:
    p = session.get(Person, person_id)
    if p is None:
        raise NotFound("人员不存在。")
    return _to_data(p, actor)


def update_person(session: Session, actor: Actor, data: PersonData) -> PersonData:
    require(actor, "registry.write")
    p = session.get(Person, data.id) if data.id is not None else None
    if p is None:
        raise NotFound("人员不存在。")
    if data.version is not None and data.version != p.version:
        raise StaleRecord(f"人员“{p.name}”")
    if data.id_number and "*" in data.id_number:
        # a masked number came back from a form the actor could not see in full: keep the stored one
        data = replace(data, id_number=p.id_number)
    data = _validate(session, data)
    _check_unique(session, data.id_number, p.id)
    before = _snap(p)
    _apply(session, p, data)
    session.flush()
    audit.record(session, actor, "update", "person", p.id, before=before, after=_snap(p),
                 summary=f"修改人员 {p.name}")
    return _to_data(p, actor)


def delete_person(session: Session, actor: Actor, person_id: int) -> None:
    require(actor, "registry.delete")
    p = session.get(Person, person_id)
    if p is None:
        raise NotFound("人员不存在。")
    posts = session.scalar(select(func.count(ProjectPartyPerson.id)).where(ProjectPartyPerson.person_id == p.id))
    if posts:
        raise ValidationError(f"“{p.name}”在{posts}个项目岗位上任职，不能删除。")
    before = _snap(p)
    session.delete(p)
    audit.record(session, actor, "delete", "person", person_id, before=before, summary=f"删除人员 {p.name}")


@dataclass(frozen=True)
class PersonPost:
    project_id: int
    project_name: str
    role: str
    enterprise_name: str
    post: str


def person_posts(session: Session, person_id: int) -> list[PersonPost]:
    """The person's roles on projects (项目负责人 of X, 专职安全员 of Y …)."""
    stmt = (select(Project.id, Project.name, ProjectParty.role, Enterprise.name, ProjectPartyPerson.post)
            .join(ProjectParty, ProjectParty.id == ProjectPartyPerson.party_id)
            .join(Project, Project.id == ProjectParty.project_id)
            .join(Enterprise, Enterprise.id == ProjectParty.enterprise_id)
            .where(ProjectPartyPerson.person_id == person_id).order_by(Project.name))
    return [PersonPost(*row) for row in session.execute(stmt)]


_Employer = aliased(Enterprise)

PERSON_LIST = ListSpec(
    columns=(
        Column("name", "姓名", Person.name, 90),
        Column("id_number", "身份证号", Person.id_number, 170),
        Column("gender", "性别", Person.gender, 50),
        Column("phone", "电话", Person.phone, 110),
        Column("employer", "所在单位", _Employer.name, 240),
        Column("title", "职务/岗位", Person.title, 110),
    ),
    base=lambda: select(Person).outerjoin(_Employer, _Employer.id == Person.employer_id),
    id_expr=Person.id,
    search_expr=Person.search_key,
    filters={"employer_id": lambda s, v: s.where(Person.employer_id == v)},
    default_sort=(Person.name,),
)


def person_page(session: Session, actor: Actor, q: ListQuery) -> list[tuple[Any, ...]]:
    """PERSON_LIST.page with the ID column masked for roles that do not need it."""
    rows = PERSON_LIST.page(session, q)
    if can(actor, "person.read_full_id"):
        return rows
    return [(r[0], r[1], show_id(actor, r[2]), *r[3:]) for r in rows]


# --------------------------------------------------------------------------- completion (person picker)


@dataclass(frozen=True)
class PersonChoice:
    id: int
    name: str
    id_number: str  # as this actor may see it (masked for roles without person.read_full_id)
    employer_id: int | None
    employer_name: str


def search_persons(session: Session, actor: Actor, text: str, limit: int = 20, *,
                   prefer_employer_id: int | None = None) -> list[PersonChoice]:
    """People whose name, 拼音首字母, ID number, phone or employer contain every typed term (one query).

    ``prefer_employer_id`` lists that enterprise's employees first (the party being edited).
    """
    stmt = (select(Person.id, Person.name, Person.id_number, Person.employer_id, _Employer.name)
            .outerjoin(_Employer, _Employer.id == Person.employer_id))
    for term in text.split():
        stmt = stmt.where(Person.search_key.like(like_pattern(term), escape="\\"))
    order = [case((Person.employer_id == prefer_employer_id, 0), else_=1)] if prefer_employer_id else []
    stmt = stmt.order_by(*order, Person.name, Person.id).limit(limit)
    return [PersonChoice(pid, name, show_id(actor, number), employer_id, employer or "")
            for pid, name, number, employer_id, employer in session.execute(stmt)]
