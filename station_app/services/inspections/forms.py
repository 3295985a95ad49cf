"""The inspection form's data (plain dataclasses the UI fills and gets back), its choice lists and
pre-fills (who may inspect, whose presence to ask about, the default rectification deadline)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.models import Person, ProjectParty, ProjectPartyPerson, User
from station_app.models.enums import PartyRole, Role
from station_app.models.inspection import CheckResult, FindingLevel, FindingOrigin, InspectionKind
from station_app.services.attachments import AttachmentInfo
from station_app.services.deadlines import Deadline, hazard_deadline
from station_app.services.inspections.jgj59 import Jgj59EntryData, Jgj59Result

KINDS: tuple[str, ...] = tuple(k.value for k in InspectionKind)
LEVELS: tuple[str, ...] = tuple(x.value for x in FindingLevel)
RESULTS: tuple[str, ...] = tuple(x.value for x in CheckResult)
#: suggestions for the weather box (free text is accepted)
WEATHER_CHOICES = ("晴", "多云", "阴", "小雨", "中雨", "大雨", "雷阵雨", "雪", "雾", "大风", "高温")
#: suggestions for 检查部位 (free text is accepted)
SITE_PART_CHOICES = ("基坑", "主体结构", "脚手架", "模板支架", "塔式起重机", "施工升降机", "物料提升机",
                     "临时用电", "高处作业", "有限空间", "消防设施", "材料堆场", "生活区", "办公区")
#: the posts whose presence the form asks about first (关键岗位人员到岗履职)
KEY_POSTS: tuple[tuple[str, str], ...] = (
    (PartyRole.GENERAL_CONTRACTOR.value, "项目负责人"),
    (PartyRole.GENERAL_CONTRACTOR.value, "专职安全员"),
    (PartyRole.SUPERVISION.value, "项目总监"),
)
MIN_INSPECTORS = 2
#: inspectors must be active accounts of these roles (管理员/内勤/只读 are not supervision staff)
INSPECTOR_ROLES = (Role.SUPERVISOR.value, Role.CHIEF.value)


@dataclass(frozen=True)
class PresenceData:
    """Was this responsible person on site? An absence becomes a finding of its own."""

    party_role: str
    post: str
    present: bool
    person_id: int | None = None
    person_name: str = ""
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.party_role}/{self.post}/{self.person_name}"[:60]


@dataclass(frozen=True)
class CheckItemData:
    """A check item gone through. ``source``: JGJ59 / 重大隐患 / 专项 / 自定; ``code`` from the catalog."""

    source: str
    label: str = ""
    result: str = CheckResult.CONFORMS.value
    code: str = ""
    note: str = ""


@dataclass(frozen=True)
class FindingData:
    """A problem found. ``id`` None = new; a saved finding keeps its id (the hazard ledger links to it).

    Major findings (重大) need ``criterion_code`` from the criteria in force on the inspection date; their
    category is the criterion's. ``deadline`` None gets the default period of the rules. ``new_files``
    are paths to attach on save; ``attachments``, ``criterion_edition`` and ``deadline_provisional`` are
    filled on read.
    """

    description: str
    category: str = ""
    level: str = FindingLevel.ORDINARY.value
    criterion_code: str | None = None
    location: str = ""
    requirement: str = ""
    deadline: date | None = None
    check_item_code: str = ""
    origin: str = FindingOrigin.CHECK.value
    origin_key: str = ""
    new_files: tuple[str, ...] = ()
    id: int | None = None
    criterion_edition: str | None = None
    attachments: tuple[AttachmentInfo, ...] = ()
    #: filled on read: the stored deadline is the 暂定 default
    deadline_provisional: bool = False


@dataclass(frozen=True)
class InspectionData:
    """The whole inspection form. Fields after ``new_files`` are filled on read and ignored on save."""

    inspected_at: datetime
    project_id: int
    inspector_ids: tuple[int, ...]
    kind: str = InspectionKind.DAILY.value
    campaign_id: int | None = None
    weather: str = ""
    site_parts: tuple[str, ...] = ()
    conclusion: str = ""
    presence: tuple[PresenceData, ...] = ()
    check_items: tuple[CheckItemData, ...] = ()
    findings: tuple[FindingData, ...] = ()
    jgj59_entries: tuple[Jgj59EntryData, ...] = ()
    new_files: tuple[str, ...] = ()
    id: int | None = None
    version: int | None = None
    project_name: str = ""
    grid_id: int | None = None
    grid_name: str = ""
    campaign_name: str = ""
    inspector_names: tuple[str, ...] = ()
    jgj59: Jgj59Result | None = None
    attachments: tuple[AttachmentInfo, ...] = ()
    created_by: int | None = None


@dataclass(frozen=True)
class InspectorOption:
    id: int
    name: str
    role: str


def _build(cls: type, raw: dict[str, Any], nested: dict[str, type]) -> Any:
    names = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in names or key in ("attachments", "jgj59"):
            continue
        if key in nested:
            value = tuple(_build(nested[key], v, {}) for v in value or ())
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[key] = value
    return cls(**kwargs)


def inspection_from_dict(payload: dict[str, Any]) -> InspectionData:
    """An InspectionData from a draft (``DraftStore.load(...).payload`` of a saved InspectionData)."""
    payload = dict(payload)
    if isinstance(payload.get("inspected_at"), str):
        payload["inspected_at"] = datetime.fromisoformat(payload["inspected_at"])
    entries = []
    for e in payload.pop("jgj59_entries", None) or ():
        entries.append(Jgj59EntryData(e["item_key"], Decimal(str(e["earned"])), e.get("note", "")))
    data: InspectionData = _build(InspectionData, payload, {
        "presence": PresenceData, "check_items": CheckItemData, "findings": FindingData})
    return replace(data, jgj59_entries=tuple(entries))


def eligible_inspectors(session: Session) -> list[InspectorOption]:
    """Who may be named as an inspector: active 监督员 and 站长 accounts."""
    stmt = (select(User).where(User.active.is_(True), User.role.in_(INSPECTOR_ROLES))
            .order_by(User.role.desc(), User.full_name))
    return [InspectorOption(u.id, u.full_name, u.role) for u in session.scalars(stmt)]


def expected_presence(session: Session, project_id: int) -> list[PresenceData]:
    """Rows for the form's 到岗情况: the key posts, named from the project's parties; present by default."""
    rows = session.execute(
        select(ProjectParty.role, ProjectParty.id).where(ProjectParty.project_id == project_id)).all()
    names: dict[tuple[str, str], list[tuple[int, str]]] = {}
    party_ids = {pid: role for role, pid in rows}
    if party_ids:
        for party_id, post, person_id, name in session.execute(
                select(ProjectPartyPerson.party_id, ProjectPartyPerson.post, Person.id, Person.name)
                .join(Person, Person.id == ProjectPartyPerson.person_id)
                .where(ProjectPartyPerson.party_id.in_(party_ids)).order_by(ProjectPartyPerson.id)):
            names.setdefault((party_ids[party_id], post), []).append((person_id, name))
    out: list[PresenceData] = []
    for role, post in KEY_POSTS:
        people: list[tuple[int | None, str]] = list(names.get((role, post), [])) or [(None, "")]
        out.extend(PresenceData(role, post, True, pid, name) for pid, name in people)
    return out


def suggested_deadline(level: str, found_on: date) -> Deadline:
    """The default 整改期限 of the rules data for a finding of ``level`` found on ``found_on``
    (暂定 when it reaches a year without holiday data)."""
    return hazard_deadline(level, found_on)
