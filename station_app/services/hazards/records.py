"""隐患台账: register a hazard from any source, edit it while it is still 待整改, read it back.

A hazard is numbered "YH{year of discovery}-{serial:06d}". The number is taken as max+1 inside the
write transaction and inserted under a savepoint; if a concurrent writer took the same number first
(the unique constraint fires) the next one is tried — so two stations' clerks never share a number.

At registration the project's grid, its 主监督员 on the day of discovery and its 施工总承包 are
snapshotted onto the row (the ledger filters and groups on them in SQL, and a later reassignment does
not rewrite history). The deadline defaults by level from the reference data
(``services.deadlines.hazard_deadline``; 暂定 when it reaches a year without holiday data). A major hazard needs a criterion of the 判定标准 edition in
force on the day it was found; the edition is stored with it. Transitions live in
:mod:`station_app.services.hazards.lifecycle`; inspection findings reach the ledger through
:mod:`station_app.services.hazards.from_findings`.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import exc, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from station_app import clock
from station_app.errors import NotFound, StaleRecord, ValidationError
from station_app.formatting import chinese_date
from station_app.models import Enterprise, Grid, Hazard, HazardEvent, Project, ProjectParty, User
from station_app.models.enums import PartyRole
from station_app.models.hazard import HazardAction, HazardLevel, HazardSource, HazardState
from station_app.rules import hazards as hazard_rules
from station_app.rules.errors import RuleInputError
from station_app.services import audit
from station_app.services.attachments import AttachmentStore, store_files
from station_app.services.context import Actor, require
from station_app.services.deadlines import Deadline, hazard_deadline, stored_deadline, stored_flag
from station_app.services.hazards.evidence import attach_evidence
from station_app.services.search import build_search_key
from station_app.services.supervision.assignments import teams_on
from station_app.services.validation import Checker, clean

SOURCES: tuple[str, ...] = tuple(s.value for s in HazardSource)
LEVELS: tuple[str, ...] = tuple(x.value for x in HazardLevel)
#: who must rectify (施工总包 / 分包 / 建设 / 监理)
RESPONSIBLE_ROLES: tuple[str, ...] = (PartyRole.GENERAL_CONTRACTOR.value, PartyRole.SUBCONTRACTOR.value,
                                      PartyRole.OWNER.value, PartyRole.SUPERVISION.value)
_CODE_ATTEMPTS = 20


@dataclass(frozen=True)
class HazardInput:
    """What a clerk types for a hazard. ``deadline`` None → the default period of the rules."""

    project_id: int
    description: str
    found_on: date
    category: str = ""
    level: str = HazardLevel.ORDINARY.value
    source: str = HazardSource.SELF_CHECK.value
    criterion_code: str | None = None
    location: str = ""
    responsible_role: str = PartyRole.GENERAL_CONTRACTOR.value
    responsible_enterprise_id: int | None = None
    responsible_person_name: str = ""
    requirement: str = ""
    deadline: date | None = None
    found_by_names: str = ""
    found_by_id: int | None = None
    #: photos of the hazard to attach (paths), stored content-addressed
    new_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class HazardData:
    """A hazard as the UI shows it (plain values, names resolved)."""

    id: int
    code: str
    version: int
    project_id: int
    project_name: str
    source: str
    inspection_id: int | None
    finding_id: int | None
    found_on: date
    found_by_names: str
    grid_name: str
    supervisor_id: int | None
    supervisor_name: str
    contractor_name: str
    location: str
    category: str
    description: str
    level: str
    criterion_code: str | None
    criterion_label: str
    criterion_edition: str | None
    responsible_role: str
    responsible_enterprise_id: int | None
    responsible_enterprise_name: str
    responsible_person_name: str
    requirement: str
    deadline: date
    first_deadline: date
    state: str
    rectified_on: date | None
    closed_on: date | None
    cancel_reason: str
    listing_level: str
    deadline_provisional: bool = False

    @property
    def deadline_info(self) -> Deadline:
        """The 整改期限 with its 暂定 mark and reason, for display."""
        return stored_deadline(self.deadline, self.deadline_provisional, self.found_on)

    def overdue_days(self, today: date | None = None) -> int:
        """Days past the deadline while open (0 when not overdue). 逾期 is never stored."""
        from station_app.models.hazard import OPEN_STATES

        today = today or clock.today()
        if self.state not in OPEN_STATES or self.deadline >= today:
            return 0
        return (today - self.deadline).days

    @property
    def is_major(self) -> bool:
        return self.level == HazardLevel.MAJOR.value


def criterion_label(code: str | None) -> str:
    if not code:
        return ""
    try:
        return hazard_rules.criterion(code).label
    except RuleInputError:
        return code


def check_content(c: Checker, data: HazardInput, *, label: str = "") -> HazardInput:
    """Validate and normalise the content of a hazard (shared with the inspection sync)."""
    data = replace(data, description=clean(data.description), category=clean(data.category),
                   location=clean(data.location), requirement=clean(data.requirement),
                   responsible_person_name=clean(data.responsible_person_name),
                   found_by_names=clean(data.found_by_names), criterion_code=clean(data.criterion_code) or None)
    c.required(f"{label}隐患描述", data.description)
    c.max_len(f"{label}部位", data.location, 200)
    c.max_len(f"{label}责任人", data.responsible_person_name, 50)
    c.max_len(f"{label}发现人", data.found_by_names, 200)
    c.one_of(f"{label}来源", data.source, SOURCES)
    c.required(f"{label}隐患等级", data.level)
    c.one_of(f"{label}隐患等级", data.level, LEVELS)
    c.one_of(f"{label}责任单位类型", data.responsible_role, RESPONSIBLE_ROLES)
    if not isinstance(data.found_on, date):
        c.add(f"{label}发现日期", "必填")
        return data
    c.not_future(f"{label}发现日期", data.found_on)
    if data.level == HazardLevel.MAJOR.value:
        if not data.criterion_code:
            c.add(f"{label}判定依据", "重大事故隐患须选择《重大事故隐患判定标准》的条款")
        else:
            try:
                crit = hazard_rules.criterion(data.criterion_code)
            except RuleInputError:
                c.add(f"{label}判定依据", f"“{data.criterion_code}”不是重大事故隐患判定标准的条款")
            else:
                in_force: str | None = None
                with suppress(RuleInputError):
                    in_force = hazard_rules.edition_in_force(data.found_on)
                if in_force is not None and crit.edition != in_force:
                    c.add(f"{label}判定依据",
                          f"{crit.label}不适用：{chinese_date(data.found_on)}施行的是{in_force}版判定标准")
                data = replace(data, category=crit.category)
    else:
        if data.criterion_code:
            c.add(f"{label}判定依据", "一般隐患不引用重大事故隐患判定条款（引用条款请将等级设为“重大”）")
        if c.required(f"{label}隐患类别", data.category):
            c.one_of(f"{label}隐患类别", data.category, hazard_rules.hazard_categories())
    if data.deadline is None and data.level in LEVELS:
        with suppress(RuleInputError):
            data = replace(data, deadline=hazard_deadline(data.level, data.found_on).day)
    if data.deadline is None:
        c.add(f"{label}整改期限", "必填")
    elif data.deadline < data.found_on:
        c.add(f"{label}整改期限", f"不能早于发现日期（{chinese_date(data.found_on)}）")
    return data


@dataclass(frozen=True)
class ProjectSnapshot:
    """What a hazard records of its project when found: grid, 主监督员, 施工总承包 and the names its
    search key is built from. Computed once per inspection when many findings are registered."""

    project_id: int
    grid_id: int | None
    supervisor_id: int | None
    contractor_id: int | None
    project_name: str
    contractor_name: str


def project_snapshot(session: Session, project: Project, found_on: date) -> ProjectSnapshot:
    """Grid, 主监督员 (on the day found, else today) and 施工总承包 as they are now."""
    team = teams_on(session, [project.id], found_on).get(project.id) or teams_on(
        session, [project.id]).get(project.id)
    row = session.execute(
        select(ProjectParty.enterprise_id, Enterprise.name).join(Enterprise, Enterprise.id == ProjectParty.enterprise_id)
        .where(ProjectParty.project_id == project.id, ProjectParty.role == PartyRole.GENERAL_CONTRACTOR.value)
        .order_by(ProjectParty.id).limit(1)).first()
    return ProjectSnapshot(project.id, project.grid_id, team.principal_id if team else None,
                           row[0] if row else None, project.name, row[1] if row else "")


def snapshot_assignment(session: Session, h: Hazard, project: Project,
                        snapshot: ProjectSnapshot | None = None) -> ProjectSnapshot:
    snap = snapshot or project_snapshot(session, project, h.found_on)
    h.grid_id, h.supervisor_id, h.contractor_id = snap.grid_id, snap.supervisor_id, snap.contractor_id
    return snap


def refresh_search_key(session: Session, h: Hazard, snapshot: ProjectSnapshot | None = None) -> None:
    if snapshot is not None and snapshot.project_id == h.project_id and snapshot.contractor_id == h.contractor_id:
        names: tuple[str | None, str | None] = (snapshot.project_name, snapshot.contractor_name)
    else:
        project = session.get(Project, h.project_id)
        contractor = session.get(Enterprise, h.contractor_id) if h.contractor_id else None
        names = (project.name if project else None, contractor.name if contractor else None)
    h.search_key = build_search_key(*names, extra=(h.code, h.description[:200], h.location))[:1000]


def apply_content(h: Hazard, data: HazardInput) -> None:
    assert data.deadline is not None
    h.source, h.found_on = data.source, data.found_on
    h.found_by_names, h.found_by_id = data.found_by_names[:200], data.found_by_id
    h.location, h.category, h.description, h.level = data.location, data.category, data.description, data.level
    h.criterion_code = data.criterion_code if data.level == HazardLevel.MAJOR.value else None
    h.criterion_edition = hazard_rules.criterion(h.criterion_code).edition if h.criterion_code else None
    h.responsible_role = data.responsible_role
    h.responsible_enterprise_id = data.responsible_enterprise_id
    h.responsible_person_name = data.responsible_person_name
    h.requirement = data.requirement
    h.deadline = data.deadline
    default: Deadline | None = None
    with suppress(RuleInputError):
        default = hazard_deadline(data.level, data.found_on)
    h.deadline_provisional = stored_flag(data.deadline, default)


def _snap(h: Hazard) -> dict[str, object]:
    return audit.snapshot(h, ("code", "project_id", "source", "found_on", "category", "description", "level",
                              "criterion_code", "location", "responsible_role", "responsible_person_name",
                              "requirement", "deadline", "state", "supervisor_id"))


def insert_with_code(session: Session, h: Hazard, snapshot: ProjectSnapshot | None = None) -> None:
    """Give ``h`` the next free code of its year and insert it (retrying on a concurrent duplicate)."""
    prefix = f"YH{h.found_on.year}-"
    for _ in range(_CODE_ATTEMPTS):
        last = session.scalar(select(Hazard.code).where(Hazard.code >= prefix, Hazard.code < f"{prefix}~")
                              .order_by(Hazard.code.desc()).limit(1))
        serial = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
        h.code = f"{prefix}{serial:06d}"
        refresh_search_key(session, h, snapshot)
        try:
            with session.begin_nested():
                session.add(h)
                session.flush()
            return
        except exc.IntegrityError:
            if h in session:
                session.expunge(h)
            continue
    raise ValidationError({"编号": "隐患编号分配冲突，请稍后重试"})


def add_event(session: Session, actor: Actor, h: Hazard, action: HazardAction, *, on_date: date,
              from_state: str = "", to_state: str = "", comment: str = "", new_deadline: date | None = None,
              inspection_id: int | None = None) -> HazardEvent:
    ev = HazardEvent(hazard_id=h.id, action=action.value, from_state=from_state, to_state=to_state,
                     on_date=on_date, actor_id=actor.user_id, actor_name=actor.full_name[:50],
                     comment=comment, new_deadline=new_deadline, inspection_id=inspection_id)
    session.add(ev)
    session.flush()
    return ev


def register_hazard(session: Session, actor: Actor, data: HazardInput, *,
                    store: AttachmentStore | None = None, inspection_id: int | None = None,
                    finding_id: int | None = None, audit_it: bool = True) -> HazardData:
    """Register a hazard (any source). ``store`` is needed when ``new_files`` carries photos."""
    h = create_hazard(session, actor, data, store=store, inspection_id=inspection_id, finding_id=finding_id,
                      audit_it=audit_it)
    return to_data(session, h)


def create_hazard(session: Session, actor: Actor, data: HazardInput, *,
                  store: AttachmentStore | None = None, inspection_id: int | None = None,
                  finding_id: int | None = None, audit_it: bool = True,
                  snapshot: ProjectSnapshot | None = None) -> Hazard:
    """``register_hazard`` without building its return view; ``snapshot`` (of this project on this day)
    saves its queries when one inspection registers many findings."""
    require(actor, "hazard.write")
    c = Checker()
    project = session.get(Project, data.project_id) if data.project_id else None
    if project is None:
        c.add("工程项目", "必填" if not data.project_id else "所选项目不存在")
    data = check_content(c, data)
    if data.responsible_enterprise_id is not None and session.get(Enterprise, data.responsible_enterprise_id) is None:
        c.add("责任单位", "所选单位不存在")
    c.check()
    assert project is not None
    files = store_files(store, data.new_files)
    if not data.found_by_names and data.found_by_id is None:
        data = replace(data, found_by_names=actor.full_name, found_by_id=actor.user_id)
    h = Hazard(project_id=project.id, inspection_id=inspection_id, finding_id=finding_id,
               state=HazardState.PENDING.value, created_by=actor.user_id)
    apply_content(h, data)
    assert data.deadline is not None
    h.first_deadline = data.deadline
    snap = snapshot_assignment(session, h, project, snapshot)
    if h.responsible_enterprise_id is None and h.responsible_role == PartyRole.GENERAL_CONTRACTOR.value:
        h.responsible_enterprise_id = h.contractor_id
    h.code = ""
    insert_with_code(session, h, snap)
    ev = add_event(session, actor, h, HazardAction.FOUND, on_date=h.found_on, to_state=h.state,
                   comment=f"{h.level}隐患，整改期限{chinese_date(h.deadline)}")
    attach_evidence(session, h, ev, files, kind="隐患照片")
    session.flush()
    if audit_it:
        audit.record(session, actor, "create", "hazard", h.id, after=_snap(h),
                     summary=f"登记隐患 {h.code} {snap.project_name}")
    return h


def load_for_change(session: Session, hazard_id: int, expected_version: int | None) -> Hazard:
    h = session.get(Hazard, hazard_id)
    if h is None:
        raise NotFound("隐患记录不存在。")
    if expected_version is not None and expected_version != h.version:
        raise StaleRecord(f"隐患{h.code}")
    return h


def flush_versioned(session: Session, h: Hazard) -> None:
    """Flush; a concurrent change of the row (version moved on) becomes StaleRecord."""
    code = h.code  # read before: after a failed flush the object cannot be refreshed
    try:
        session.flush()
    except StaleDataError as err:
        raise StaleRecord(f"隐患{code}") from err


def update_hazard(session: Session, actor: Actor, hazard_id: int, data: HazardInput, *,
                  expected_version: int | None = None, store: AttachmentStore | None = None) -> HazardData:
    """Correct a hazard's content while it is 待整改 and not linked to an inspection finding.

    Once rectification started the record is evidence: content is frozen (deadline changes go through
    延长整改期限). A hazard from an inspection is corrected in the inspection (it follows its finding).
    """
    require(actor, "hazard.write")
    h = load_for_change(session, hazard_id, expected_version)
    if h.finding_id is not None:
        raise ValidationError({"": f"隐患{h.code}来自监督检查记录，请在该监督检查记录中修改问题内容"})
    if h.state != HazardState.PENDING.value:
        raise ValidationError({"": f"隐患{h.code}当前状态为“{h.state}”，只有待整改的隐患可以修改内容"})
    c = Checker()
    if data.project_id != h.project_id:
        c.add("工程项目", "已登记隐患不能改到其他项目，请撤销后重新登记")
    data = check_content(c, replace(data, project_id=h.project_id))
    c.check()
    files = store_files(store, data.new_files)
    before = _snap(h)
    with session.no_autoflush:  # one UPDATE, one version step
        apply_content(h, data)  # the code keeps its year even if found_on moves: numbers are never reissued
        h.first_deadline = h.deadline  # still 待整改: no deadline was issued yet
        refresh_search_key(session, h)
    flush_versioned(session, h)
    after = _snap(h)
    if before != after or files:
        ev = add_event(session, actor, h, HazardAction.EDITED, on_date=clock.today(), from_state=h.state,
                       to_state=h.state, comment="修改隐患内容")
        attach_evidence(session, h, ev, files, kind="隐患照片")
        audit.record(session, actor, "update", "hazard", h.id, before=before, after=after,
                     summary=f"修改隐患 {h.code}")
    return to_data(session, h)


def get_hazard(session: Session, hazard_id: int) -> HazardData:
    h = session.get(Hazard, hazard_id)
    if h is None:
        raise NotFound("隐患记录不存在。")
    return to_data(session, h)


def _name(session: Session, model: type, key: int | None, attr: str) -> str:
    if key is None:
        return ""
    obj = session.get(model, key)
    return str(getattr(obj, attr)) if obj is not None else ""


def to_data(session: Session, h: Hazard) -> HazardData:
    return HazardData(
        id=h.id, code=h.code, version=h.version, project_id=h.project_id,
        project_name=_name(session, Project, h.project_id, "name"), source=h.source,
        inspection_id=h.inspection_id, finding_id=h.finding_id, found_on=h.found_on,
        found_by_names=h.found_by_names, grid_name=_name(session, Grid, h.grid_id, "name"),
        supervisor_id=h.supervisor_id, supervisor_name=_name(session, User, h.supervisor_id, "full_name"),
        contractor_name=_name(session, Enterprise, h.contractor_id, "name"), location=h.location,
        category=h.category, description=h.description, level=h.level, criterion_code=h.criterion_code,
        criterion_label=criterion_label(h.criterion_code), criterion_edition=h.criterion_edition,
        responsible_role=h.responsible_role, responsible_enterprise_id=h.responsible_enterprise_id,
        responsible_enterprise_name=_name(session, Enterprise, h.responsible_enterprise_id, "name"),
        responsible_person_name=h.responsible_person_name, requirement=h.requirement, deadline=h.deadline,
        first_deadline=h.first_deadline, state=h.state, rectified_on=h.rectified_on, closed_on=h.closed_on,
        cancel_reason=h.cancel_reason, listing_level=h.listing_level, deadline_provisional=h.deadline_provisional)


def hazard_ids_of_inspection(session: Session, inspection_id: int) -> Sequence[int]:
    return list(session.scalars(select(Hazard.id).where(Hazard.inspection_id == inspection_id)))


__all__ = [
    "LEVELS",
    "RESPONSIBLE_ROLES",
    "SOURCES",
    "HazardData",
    "HazardInput",
    "check_content",
    "create_hazard",
    "criterion_label",
    "get_hazard",
    "project_snapshot",
    "register_hazard",
    "update_hazard",
]
