"""全覆盖排查 rounds: "逐企业、逐项目" — which projects and contractors a round has reached.

A round is a named period (and optionally one inspection kind). Its scope is every project under
way (在建, 停工, 竣工待验) plus any project inspected in the round; its enterprises are the
施工总承包 of those projects. A project is reached when it has an inspection in the period (of the
round's kind, if set); an enterprise when one of its projects is. Progress is reported overall, per
grid and per supervisor (the team in force at the end of the round, or today while it runs).
Five SQL queries whatever the data size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.errors import DuplicateRecord, NotFound, StaleRecord
from station_app.formatting import chinese_date
from station_app.models import CoverageRound, Enterprise, Grid, Inspection, Project, ProjectParty
from station_app.models.enums import PartyRole, ProjectStatus
from station_app.models.inspection import InspectionKind
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.supervision.assignments import teams_on
from station_app.services.supervision.common import day_end, day_start
from station_app.services.validation import Checker, clean

#: statuses of the projects a round must reach (under way, 未开工 excluded)
ROUND_SCOPE_STATUSES: tuple[str, ...] = (ProjectStatus.UNDER_CONSTRUCTION.value, ProjectStatus.SUSPENDED.value,
                                         ProjectStatus.AWAITING_ACCEPTANCE.value)
NO_TEAM_LABEL = "未安排监督员"
NO_GRID_LABEL = "未划分网格"


@dataclass(frozen=True)
class RoundInfo:
    id: int
    name: str
    starts_on: date
    ends_on: date
    inspection_kind: str
    note: str
    version: int


@dataclass(frozen=True)
class Progress:
    total: int
    reached: int

    @property
    def remaining(self) -> int:
        return self.total - self.reached

    @property
    def percent(self) -> Decimal | None:
        """Reached share in %, one decimal; None when there is nothing to reach."""
        if not self.total:
            return None
        return (Decimal(100 * self.reached) / self.total).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class CoverageProject:
    project_id: int
    name: str
    status: str
    grid_id: int | None
    grid_name: str
    team: str
    contractor_id: int | None
    contractor_name: str
    first_reached_on: date | None
    inspections: int

    @property
    def reached(self) -> bool:
        return self.first_reached_on is not None


@dataclass(frozen=True)
class CoverageEnterprise:
    enterprise_id: int
    name: str
    projects: int
    reached_projects: int

    @property
    def reached(self) -> bool:
        return self.reached_projects > 0


@dataclass(frozen=True)
class CoverageGroup:
    #: grid id or user id; None for 未划分网格 / 未安排监督员
    key: int | None
    name: str
    projects: Progress
    enterprises: Progress


@dataclass(frozen=True)
class CoverageReport:
    round: RoundInfo
    as_of: date
    projects: Progress
    enterprises: Progress
    by_grid: tuple[CoverageGroup, ...]
    by_supervisor: tuple[CoverageGroup, ...]
    project_rows: tuple[CoverageProject, ...] = field(repr=False)
    enterprise_rows: tuple[CoverageEnterprise, ...] = field(repr=False)


def _info(r: CoverageRound) -> RoundInfo:
    return RoundInfo(r.id, r.name, r.starts_on, r.ends_on, r.inspection_kind, r.note, r.version)


def _check(session: Session, name: str, starts_on: date | None, ends_on: date | None, kind: str, note: str,
           own_id: int | None) -> None:
    c = Checker()
    if c.required("轮次名称", name):
        c.max_len("轮次名称", name, 100)
        if session.scalar(select(func.count(CoverageRound.id)).where(CoverageRound.name == name,
                                                                       CoverageRound.id != (own_id or -1))):
            raise DuplicateRecord(f"排查轮次“{name}”已存在。")
    c.required("开始日期", starts_on)
    c.required("结束日期", ends_on)
    c.date_order("开始日期", starts_on, "结束日期", ends_on)
    c.one_of("检查类型", kind, [k.value for k in InspectionKind])
    c.max_len("说明", note, 1000)
    c.check()


def create_round(session: Session, actor: Actor, name: str, starts_on: date, ends_on: date,
                 inspection_kind: str = "", note: str = "") -> RoundInfo:
    require(actor, "coverage.manage")
    name, kind, note = clean(name), clean(inspection_kind), clean(note)
    _check(session, name, starts_on, ends_on, kind, note, None)
    r = CoverageRound(name=name, starts_on=starts_on, ends_on=ends_on, inspection_kind=kind, note=note,
                      created_by=actor.user_id)
    session.add(r)
    session.flush()
    audit.record(session, actor, "create", "coverage_round", r.id,
                 after=audit.snapshot(r, ("name", "starts_on", "ends_on", "inspection_kind")),
                 summary=f"新增全覆盖排查轮次 {name}（{chinese_date(starts_on)}至{chinese_date(ends_on)}）")
    return _info(r)


def update_round(session: Session, actor: Actor, round_id: int, *, name: str, starts_on: date, ends_on: date,
                 inspection_kind: str = "", note: str = "", expected_version: int | None = None) -> RoundInfo:
    require(actor, "coverage.manage")
    r = session.get(CoverageRound, round_id)
    if r is None:
        raise NotFound("排查轮次不存在。")
    if expected_version is not None and r.version != expected_version:
        raise StaleRecord(f"排查轮次“{r.name}”")
    name, kind, note = clean(name), clean(inspection_kind), clean(note)
    _check(session, name, starts_on, ends_on, kind, note, r.id)
    fields = ("name", "starts_on", "ends_on", "inspection_kind", "note")
    before = audit.snapshot(r, fields)
    r.name, r.starts_on, r.ends_on, r.inspection_kind, r.note = name, starts_on, ends_on, kind, note
    session.flush()
    after = audit.snapshot(r, fields)
    if before != after:
        audit.record(session, actor, "update", "coverage_round", r.id, before=before, after=after,
                     summary=f"修改全覆盖排查轮次 {name}")
    return _info(r)


def delete_round(session: Session, actor: Actor, round_id: int) -> None:
    require(actor, "coverage.manage")
    r = session.get(CoverageRound, round_id)
    if r is None:
        raise NotFound("排查轮次不存在。")
    before = audit.snapshot(r, ("name", "starts_on", "ends_on", "inspection_kind"))
    session.delete(r)
    audit.record(session, actor, "delete", "coverage_round", round_id, before=before,
                 summary=f"删除全覆盖排查轮次 {before['name']}")


def list_rounds(session: Session, year: int | None = None) -> list[RoundInfo]:
    """Rounds (overlapping ``year`` if given), latest first."""
    stmt = select(CoverageRound).order_by(CoverageRound.starts_on.desc(), CoverageRound.id.desc())
    if year is not None:
        stmt = stmt.where(CoverageRound.starts_on <= date(year, 12, 31), CoverageRound.ends_on >= date(year, 1, 1))
    return [_info(r) for r in session.scalars(stmt)]


def _group(key: int | None, name: str, rows: list[CoverageProject]) -> CoverageGroup:
    ents: dict[int, bool] = {}
    for row in rows:
        if row.contractor_id is not None:
            ents[row.contractor_id] = ents.get(row.contractor_id, False) or row.reached
    return CoverageGroup(key, name, Progress(len(rows), sum(1 for r in rows if r.reached)),
                         Progress(len(ents), sum(1 for v in ents.values() if v)))


def coverage_report(session: Session, round_id: int, today: date | None = None) -> CoverageReport:
    r = session.get(CoverageRound, round_id)
    if r is None:
        raise NotFound("排查轮次不存在。")
    info = _info(r)
    as_of = min(info.ends_on, today or clock.today())
    reached_q = (select(Inspection.project_id, func.min(Inspection.inspected_at).label("first_at"),
                        func.count(Inspection.id).label("n"))
                 .where(Inspection.inspected_at >= day_start(info.starts_on),
                        Inspection.inspected_at < day_end(info.ends_on)))
    if info.inspection_kind:
        reached_q = reached_q.where(Inspection.kind == info.inspection_kind)
    reached_sq = reached_q.group_by(Inspection.project_id).subquery()
    gc = (select(ProjectParty.project_id, func.min(ProjectParty.enterprise_id).label("enterprise_id"))
          .where(ProjectParty.role == PartyRole.GENERAL_CONTRACTOR.value)
          .group_by(ProjectParty.project_id).subquery())
    stmt = (select(Project.id, Project.name, Project.status, Project.grid_id, Grid.name, gc.c.enterprise_id,
                   Enterprise.name, reached_sq.c.first_at, reached_sq.c.n)
            .outerjoin(Grid, Grid.id == Project.grid_id)
            .outerjoin(reached_sq, reached_sq.c.project_id == Project.id)
            .outerjoin(gc, gc.c.project_id == Project.id)
            .outerjoin(Enterprise, Enterprise.id == gc.c.enterprise_id)
            .where(or_(Project.status.in_(ROUND_SCOPE_STATUSES), reached_sq.c.project_id.is_not(None)))
            .order_by(Project.name, Project.id))
    raw = session.execute(stmt).all()
    teams = teams_on(session, None, as_of) if raw else {}
    rows: list[CoverageProject] = []
    for pid, name, status, gid, gname, eid, ename, first_at, n in raw:
        team = teams.get(pid)
        rows.append(CoverageProject(pid, name, status, gid, gname or "", team.label if team else "", eid,
                                    ename or "", first_at.date() if first_at else None, int(n or 0)))
    by_grid: dict[int | None, list[CoverageProject]] = {}
    grid_name: dict[int | None, str] = {None: NO_GRID_LABEL}
    by_user: dict[int | None, list[CoverageProject]] = {}
    user_name: dict[int | None, str] = {None: NO_TEAM_LABEL}
    for row in rows:
        by_grid.setdefault(row.grid_id, []).append(row)
        if row.grid_id is not None:
            grid_name[row.grid_id] = row.grid_name
        team = teams.get(row.project_id)
        if team is None or not team.member_ids:
            by_user.setdefault(None, []).append(row)
            continue
        for uid, uname in zip(team.member_ids, (team.principal_name, *team.second_names), strict=False):
            by_user.setdefault(uid, []).append(row)
            user_name[uid] = uname
    ents: dict[int, list[CoverageProject]] = {}
    for row in rows:
        if row.contractor_id is not None:
            ents.setdefault(row.contractor_id, []).append(row)
    enterprise_rows = tuple(sorted(
        (CoverageEnterprise(eid, rs[0].contractor_name, len(rs), sum(1 for x in rs if x.reached))
         for eid, rs in ents.items()), key=lambda e: (e.reached, e.name)))
    overall = _group(None, "合计", rows)

    def by_name(groups: dict[int | None, list[CoverageProject]], names: dict[int | None, str]) -> tuple[
            CoverageGroup, ...]:
        out = [_group(k, names[k], v) for k, v in groups.items()]
        return tuple(sorted(out, key=lambda g: (g.key is None, g.name)))

    return CoverageReport(info, as_of, overall.projects, overall.enterprises, by_name(by_grid, grid_name),
                          by_name(by_user, user_name), tuple(rows), enterprise_rows)


def year_overview(session: Session, year: int, today: date | None = None) -> list[tuple[RoundInfo, Progress]]:
    """The rounds touching ``year`` with their project progress (the plan asks for 2 full rounds a year)."""
    return [(info, coverage_report(session, info.id, today).projects) for info in list_rounds(session, year)]


__all__ = [
    "NO_GRID_LABEL",
    "NO_TEAM_LABEL",
    "ROUND_SCOPE_STATUSES",
    "CoverageEnterprise",
    "CoverageGroup",
    "CoverageProject",
    "CoverageReport",
    "Progress",
    "RoundInfo",
    "coverage_report",
    "create_round",
    "delete_round",
    "list_rounds",
    "update_round",
    "year_overview",
]
