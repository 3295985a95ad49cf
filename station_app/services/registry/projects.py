"""项目 registry: a project, its status and dates, and its parties with their responsible people."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from station_app.errors import DuplicateRecord, NotFound, StaleRecord, ValidationError
from station_app.models import Enterprise, Grid, Inspection, Person, Project, ProjectParty, ProjectPartyPerson
from station_app.models.enums import PARTY_POSTS, PROJECT_SUBTYPES, PartyRole, ProjectStatus, ProjectType
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.search import build_search_key
from station_app.services.validation import Checker, clean

SINGLE_ROLES = (PartyRole.OWNER, PartyRole.GENERAL_CONTRACTOR, PartyRole.SUPERVISION, PartyRole.SURVEY,
                PartyRole.DESIGN)


@dataclass(frozen=True)
class PartyPersonData:
    person_id: int
    post: str
    certificate_no: str = ""
    person_name: str = ""


@dataclass(frozen=True)
class PartyData:
    role: str
    enterprise_id: int
    scope: str = ""
    start_date: date | None = None
    end_date: date | None = None
    people: tuple[PartyPersonData, ...] = ()
    enterprise_name: str = ""
    enterprise_uscc: str = ""


@dataclass(frozen=True)
class ProjectData:
    name: str
    project_type: str
    status: str = ProjectStatus.NOT_STARTED.value
    address: str = ""
    town: str = ""
    grid_id: int | None = None
    sub_type: str = ""
    structure_type: str = ""
    building_area: Decimal | None = None
    contract_cost_fen: int | None = None
    permit_no: str | None = None
    permit_date: date | None = None
    supervision_no: str | None = None
    planned_start: date | None = None
    planned_finish: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    completion_filing_date: date | None = None
    progress: str = ""
    progress_percent: int | None = None
    note: str = ""
    parties: tuple[PartyData, ...] = field(default_factory=tuple)
    grid_name: str = ""
    id: int | None = None
    version: int | None = None


_SCALARS = ("name", "project_type", "status", "address", "town", "grid_id", "sub_type", "structure_type",
            "building_area", "contract_cost_fen", "permit_no", "permit_date", "supervision_no", "planned_start",
            "planned_finish", "actual_start", "actual_finish", "completion_filing_date", "progress",
            "progress_percent", "note")


def _validate(session: Session, data: ProjectData) -> ProjectData:
    data = replace(data, name=clean(data.name), address=clean(data.address), town=clean(data.town),
                   permit_no=clean(data.permit_no) or None, supervision_no=clean(data.supervision_no) or None)
    c = Checker()
    c.required("工程名称", data.name)
    c.max_len("工程名称", data.name, 200)
    c.required("工程类别", data.project_type)
    c.one_of("工程类别", data.project_type, [t.value for t in ProjectType])
    c.one_of("项目状态", data.status, [s.value for s in ProjectStatus])
    if data.sub_type and data.project_type in [t.value for t in ProjectType]:
        c.one_of("工程子类", data.sub_type, PROJECT_SUBTYPES[ProjectType(data.project_type)])
    c.non_negative("建筑面积", data.building_area)
    c.non_negative("建安造价", data.contract_cost_fen)
    if data.progress_percent is not None and not 0 <= data.progress_percent <= 100:
        c.add("形象进度（%）", "应在0到100之间")
    c.date_order("计划开工日期", data.planned_start, "计划竣工日期", data.planned_finish)
    c.date_order("实际开工日期", data.actual_start, "实际竣工日期", data.actual_finish)
    c.date_order("实际竣工日期", data.actual_finish, "竣工验收备案日期", data.completion_filing_date)
    c.not_future("施工许可日期", data.permit_date)
    c.not_future("实际开工日期", data.actual_start)
    c.not_future("实际竣工日期", data.actual_finish)
    if data.status in (ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.SUSPENDED) and not data.actual_start:
        c.add("实际开工日期", f"状态为“{data.status}”的项目须填写实际开工日期")
    if data.status in (ProjectStatus.COMPLETED,) and not data.actual_finish:
        c.add("实际竣工日期", "状态为“已竣工”的项目须填写实际竣工日期")
    if data.grid_id is not None and session.get(Grid, data.grid_id) is None:
        c.add("网格", "所选网格不存在")
    c.check()
    return data


def _validate_parties(session: Session, parties: tuple[PartyData, ...]) -> None:
    c = Checker()
    seen: dict[str, int] = {}
    for i, party in enumerate(parties, 1):
        label = f"参建单位第{i}行"
        c.one_of(label, party.role, [r.value for r in PartyRole])
        if party.role in SINGLE_ROLES:
            seen[party.role] = seen.get(party.role, 0) + 1
            if seen[party.role] > 1:
                c.add(label, f"一个项目只能有一个{party.role}（专业分包可有多个）")
        if session.get(Enterprise, party.enterprise_id) is None:
            c.add(label, "所选企业不存在")
        c.date_order(f"{label}进场日期", party.start_date, f"{label}退场日期", party.end_date)
        allowed = PARTY_POSTS.get(PartyRole(party.role), ()) if party.role in PartyRole else ()
        for j, link in enumerate(party.people, 1):
            if link.post not in allowed:
                c.add(f"{label}人员第{j}行", f"岗位“{link.post}”不属于{party.role}，可选：{'、'.join(allowed)}")
            if session.get(Person, link.person_id) is None:
                c.add(f"{label}人员第{j}行", "所选人员不存在")
    c.check()


def _party_snapshot(p: Project) -> list[str]:
    out = []
    for party in p.parties:
        people = "、".join(f"{x.post}:{x.person.name}" for x in party.people)
        out.append(f"{party.role}:{party.enterprise.name}" + (f"（{people}）" if people else ""))
    return out


def _snap(p: Project) -> dict[str, Any]:
    snap = audit.snapshot(p, _SCALARS)
    snap["parties"] = _party_snapshot(p)
    return snap


def project_search_key(name: str, town: str, permit_no: str | None, supervision_no: str | None,
                       parties: list[tuple[str, str]]) -> str:
    """The project's search key: its names and those of its parties (name, USCC), and its numbers."""
    return build_search_key(name, town, *(n for n, _ in parties),
                            extra=(permit_no, supervision_no, *(u for _, u in parties)))


def _refresh_search_key(p: Project) -> None:
    p.search_key = project_search_key(p.name, p.town, p.permit_no, p.supervision_no,
                                      [(x.enterprise.name, x.enterprise.uscc) for x in p.parties])


def _to_data(p: Project) -> ProjectData:
    parties = tuple(
        PartyData(role=x.role, enterprise_id=x.enterprise_id, scope=x.scope, start_date=x.start_date,
                  end_date=x.end_date, enterprise_name=x.enterprise.name, enterprise_uscc=x.enterprise.uscc,
                  people=tuple(PartyPersonData(y.person_id, y.post, y.certificate_no, y.person.name)
                               for y in x.people))
        for x in p.parties
    )
    return ProjectData(**{f: getattr(p, f) for f in _SCALARS}, parties=parties,
                       grid_name=p.grid.name if p.grid else "", id=p.id, version=p.version)


def _check_unique(session: Session, data: ProjectData, own_id: int | None) -> None:
    for col, label, value in ((Project.permit_no, "施工许可证号", data.permit_no),
                              (Project.supervision_no, "监督登记号", data.supervision_no)):
        if not value:
            continue
        other = session.scalar(select(Project).where(col == value))
        if other is not None and other.id != own_id:
            raise DuplicateRecord(f"{label} {value} 已用于项目“{other.name}”，不能重复登记。")


def _set_parties(session: Session, p: Project, parties: tuple[PartyData, ...]) -> None:
    p.parties = [
        ProjectParty(role=x.role, enterprise_id=x.enterprise_id, scope=clean(x.scope), start_date=x.start_date,
                     end_date=x.end_date,
                     people=[ProjectPartyPerson(person_id=y.person_id, post=y.post,
                                                certificate_no=clean(y.certificate_no)) for y in x.people])
        for x in parties
    ]
    session.flush()
    for party in p.parties:
        session.refresh(party)


def create_project(session: Session, actor: Actor, data: ProjectData) -> ProjectData:
    require(actor, "registry.write")
    data = _validate(session, data)
    _validate_parties(session, data.parties)
    _check_unique(session, data, None)
    p = Project(**{f: getattr(data, f) for f in _SCALARS})
    session.add(p)
    session.flush()
    _set_parties(session, p, data.parties)
    _refresh_search_key(p)
    session.flush()
    audit.record(session, actor, "create", "project", p.id, after=_snap(p), summary=f"新增项目 {p.name}")
    return _to_data(p)


def get_project(session: Session, project_id: int) -> ProjectData:
    p = session.get(Project, project_id)
    if p is None:
        raise NotFound("项目不存在。")
    return _to_data(p)


def update_project(session: Session, actor: Actor, data: ProjectData, *, parties: bool = True) -> ProjectData:
    """Save the form. With ``parties`` the party list is replaced by ``data.parties`` too."""
    require(actor, "registry.write")
    p = session.get(Project, data.id) if data.id is not None else None
    if p is None:
        raise NotFound("项目不存在。")
    if data.version is not None and data.version != p.version:
        raise StaleRecord(f"项目“{p.name}”")
    data = _validate(session, data)
    if parties:
        _validate_parties(session, data.parties)
    _check_unique(session, data, p.id)
    before = _snap(p)
    for f in _SCALARS:
        setattr(p, f, getattr(data, f))
    if parties:
        _set_parties(session, p, data.parties)
    _refresh_search_key(p)
    session.flush()
    after = _snap(p)
    if before != after:
        audit.record(session, actor, "update", "project", p.id, before=before, after=after,
                     summary=f"修改项目 {p.name}")
    return _to_data(p)


def delete_project(session: Session, actor: Actor, project_id: int) -> None:
    require(actor, "registry.delete")
    p = session.get(Project, project_id)
    if p is None:
        raise NotFound("项目不存在。")
    inspections = session.scalar(select(func.count(Inspection.id)).where(Inspection.project_id == project_id))
    if inspections:
        raise ValidationError(f"项目“{p.name}”已有{inspections}次监督检查记录，检查记录是执法档案，项目不能删除；"
                              "如已不再监督，请将状态改为“终止监督”。")
    before = _snap(p)
    session.delete(p)
    audit.record(session, actor, "delete", "project", project_id, before=before, summary=f"删除项目 {p.name}")


def refresh_search_keys_for_enterprise(session: Session, enterprise_id: int) -> None:
    """After an enterprise is renamed or merged, its projects' search keys follow.

    A plain UPDATE of the derived column: the projects' versions do not change, so a clerk with one of
    them open in an editor can still save it.
    """
    session.flush()
    ids = select(ProjectParty.project_id).where(ProjectParty.enterprise_id == enterprise_id).scalar_subquery()
    heads = session.execute(select(Project.id, Project.name, Project.town, Project.permit_no,
                                   Project.supervision_no).where(Project.id.in_(ids))).all()
    parties: dict[int, list[tuple[str, str]]] = {}
    for pid, name, uscc in session.execute(
            select(ProjectParty.project_id, Enterprise.name, Enterprise.uscc)
            .join(Enterprise, Enterprise.id == ProjectParty.enterprise_id)
            .where(ProjectParty.project_id.in_(ids)).order_by(ProjectParty.id)):
        parties.setdefault(pid, []).append((name, uscc))
    if heads:
        table = Project.__table__  # Core, not the ORM: the versions of open forms stay valid
        session.execute(update(table).where(table.c.id == bindparam("pid"))  # type: ignore[arg-type]
                        .values(search_key=bindparam("key")), [
            {"pid": pid, "key": project_search_key(name, town, permit, sup, parties.get(pid, []))}
            for pid, name, town, permit, sup in heads])


def towns(session: Session) -> list[str]:
    return [t for t in session.scalars(select(Project.town).distinct().order_by(Project.town)) if t]

