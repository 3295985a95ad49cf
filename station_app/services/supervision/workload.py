"""Workload (工作量) per supervisor and per grid: projects, 在建 area and cost, inspections this
month / this year, and open hazards on their projects.

All figures are SQL aggregates (GROUP BY), a fixed number of queries whatever the data size.
Open hazards come from the hazard ledger through :func:`open_hazards_subquery` — a ``(project_id, n)``
subquery of hazards in an open state; were it None, every ``open_hazards`` figure would be None
("not tracked"), never a misleading 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Subquery, case, func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.db.base import ScaledDecimal
from station_app.models import Grid, Inspection, InspectionInspector, Project, SupervisionAssignment, User
from station_app.models.enums import ProjectStatus
from station_app.services.supervision.common import (
    IN_SUPERVISION_VALUES,
    SUPERVISING_ROLES,
    AssignmentRole,
    assignment_in_force,
    day_end,
    day_start,
)

NO_GRID_LABEL = "未划分网格"
_UC = ProjectStatus.UNDER_CONSTRUCTION.value
_ZERO_AREA = Decimal("0.00")


@dataclass(frozen=True)
class SupervisorLoad:
    user_id: int
    name: str
    active: bool
    principal_projects: int
    second_projects: int
    #: distinct projects in supervision (在监) this person supervises on the day, any role
    projects: int
    under_construction_projects: int
    under_construction_area: Decimal
    under_construction_cost_fen: int
    inspections_month: int
    inspections_year: int
    #: open hazards (隐患台账) on the projects they supervise on the day
    open_hazards: int | None


@dataclass(frozen=True)
class GridLoad:
    #: None: the projects without a grid (未划分网格)
    grid_id: int | None
    name: str
    leader_name: str
    projects: int
    under_construction_projects: int
    under_construction_area: Decimal
    under_construction_cost_fen: int
    #: distinct supervisors on the grid's projects on the day
    supervisors: int
    #: inspections recorded under this grid (the project's grid on the inspection day)
    inspections_month: int
    inspections_year: int
    open_hazards: int | None


def open_hazards_subquery() -> Subquery | None:
    """``(project_id, n)``: open hazards per project (any open state of the hazard ledger)."""
    from station_app.models import Hazard
    from station_app.models.hazard import OPEN_STATES

    return (select(Hazard.project_id.label("project_id"), func.count(Hazard.id).label("n"))
            .where(Hazard.state.in_([st.value for st in OPEN_STATES]))
            .group_by(Hazard.project_id).subquery("open_hazards"))


def _period(on: date) -> tuple[Any, Any, Any]:
    return day_start(on.replace(day=1)), day_start(on.replace(month=1, day=1)), day_end(on)


def _project_sums() -> tuple[Any, ...]:
    uc = Project.status == _UC
    return (
        func.count(func.distinct(case((uc, Project.id)))),
        func.sum(case((uc, Project.building_area)), type_=ScaledDecimal(2)),
        func.sum(case((uc, Project.contract_cost_fen))),
    )


def supervisor_workload(session: Session, on: date | None = None) -> list[SupervisorLoad]:
    """One row per supervising account (active ones, and disabled ones still named on projects)."""
    on = on or clock.today()
    month_start, year_start, end = _period(on)
    in_sup = Project.status.in_(IN_SUPERVISION_VALUES)
    role_rows = session.execute(
        select(SupervisionAssignment.user_id,
               func.count(func.distinct(case((SupervisionAssignment.role == AssignmentRole.PRINCIPAL.value,
                                              Project.id)))),
               func.count(func.distinct(case((SupervisionAssignment.role == AssignmentRole.SECOND.value,
                                              Project.id)))),
               func.count(func.distinct(Project.id)), *_project_sums())
        .join(Project, Project.id == SupervisionAssignment.project_id)
        .where(assignment_in_force(on), in_sup)
        .group_by(SupervisionAssignment.user_id)).all()
    by_user = {r[0]: r[1:] for r in role_rows}
    insp = session.execute(
        select(InspectionInspector.user_id,
               func.sum(case((Inspection.inspected_at >= month_start, 1), else_=0)), func.count())
        .join(Inspection, Inspection.id == InspectionInspector.inspection_id)
        .where(Inspection.inspected_at >= year_start, Inspection.inspected_at < end)
        .group_by(InspectionInspector.user_id)).all()
    by_insp = {uid: (int(m or 0), int(y or 0)) for uid, m, y in insp}
    hazards: dict[int, int] | None = None
    sub = open_hazards_subquery()
    if sub is not None:
        hazards = {uid: int(n or 0) for uid, n in session.execute(
            select(SupervisionAssignment.user_id, func.sum(sub.c.n))
            .join(Project, Project.id == SupervisionAssignment.project_id)
            .join(sub, sub.c.project_id == Project.id)
            .where(assignment_in_force(on), in_sup).group_by(SupervisionAssignment.user_id))}
    users = session.execute(select(User.id, User.full_name, User.active).where(
        User.role.in_([r.value for r in SUPERVISING_ROLES])).order_by(User.full_name, User.id)).all()
    out: list[SupervisorLoad] = []
    for uid, name, active in users:
        if not active and uid not in by_user:
            continue
        p, s, n, ucn, area, cost = by_user.get(uid, (0, 0, 0, 0, None, None))
        m, y = by_insp.get(uid, (0, 0))
        out.append(SupervisorLoad(uid, name, bool(active), int(p), int(s), int(n), int(ucn), area or _ZERO_AREA,
                                  int(cost or 0), m, y, None if hazards is None else hazards.get(uid, 0)))
    return out


def grid_workload(session: Session, on: date | None = None) -> list[GridLoad]:
    """One row per active grid (and disabled grids still holding projects), then 未划分网格 if any."""
    on = on or clock.today()
    month_start, year_start, end = _period(on)
    in_sup = Project.status.in_(IN_SUPERVISION_VALUES)
    proj = {gid: rest for gid, *rest in session.execute(
        select(Project.grid_id, func.count(Project.id), *_project_sums())
        .where(in_sup).group_by(Project.grid_id))}
    sups = {gid: int(n) for gid, n in session.execute(
        select(Project.grid_id, func.count(func.distinct(SupervisionAssignment.user_id)))
        .join(SupervisionAssignment, SupervisionAssignment.project_id == Project.id)
        .where(in_sup, assignment_in_force(on)).group_by(Project.grid_id))}
    insp = {gid: (int(m or 0), int(y or 0)) for gid, m, y in session.execute(
        select(Inspection.grid_id, func.sum(case((Inspection.inspected_at >= month_start, 1), else_=0)),
               func.count(Inspection.id))
        .where(Inspection.inspected_at >= year_start, Inspection.inspected_at < end)
        .group_by(Inspection.grid_id))}
    hazards: dict[int | None, int] | None = None
    sub = open_hazards_subquery()
    if sub is not None:
        hazards = {gid: int(n or 0) for gid, n in session.execute(
            select(Project.grid_id, func.sum(sub.c.n)).join(sub, sub.c.project_id == Project.id)
            .where(in_sup).group_by(Project.grid_id))}
    grids = session.execute(select(Grid.id, Grid.name, Grid.active, User.full_name)
                            .outerjoin(User, User.id == Grid.leader_id).order_by(Grid.name)).all()
    keys: list[tuple[int | None, str, str]] = [(gid, name, leader or "") for gid, name, active, leader in grids
                                               if active or gid in proj]
    if None in proj or None in insp:
        keys.append((None, NO_GRID_LABEL, ""))
    out: list[GridLoad] = []
    for gid, name, leader in keys:
        n, ucn, area, cost = proj.get(gid, (0, 0, None, None))
        m, y = insp.get(gid, (0, 0))
        out.append(GridLoad(gid, name, leader, int(n), int(ucn), area or _ZERO_AREA, int(cost or 0),
                            sups.get(gid, 0), m, y, None if hazards is None else hazards.get(gid, 0)))
    return out


__all__ = [
    "NO_GRID_LABEL",
    "GridLoad",
    "SupervisorLoad",
    "grid_workload",
    "open_hazards_subquery",
    "supervisor_workload",
]
