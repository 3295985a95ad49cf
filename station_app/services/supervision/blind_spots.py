"""监管盲区: projects in supervision that nobody effectively supervises.

A project in supervision (在监) is a blind spot when it has no grid (or its grid is disabled), no
主监督员, no 第二监督员, a supervisor whose account is disabled, or no inspection within its
required interval (:mod:`station_app.services.supervision.frequency`). A fixed handful of SQL queries over all
projects (no per-project query): projects with their grid and plan, the teams in force, the last
inspection per project (GROUP BY on ``ix_inspections_project_inspected``), and the raise facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.models import Grid, Inspection, Project, SupervisionAssignment, SupervisionPlan, User
from station_app.services.supervision.common import (
    IN_SUPERVISION_VALUES,
    AssignmentRole,
    assignment_in_force,
    day_end,
    principal_first,
)
from station_app.services.supervision.frequency import (
    NO_FACTS,
    FrequencySubject,
    SupervisionFacts,
    collect_facts,
    required_frequency,
)


class BlindSpotReason(StrEnum):
    NO_GRID = "未划分网格"
    GRID_INACTIVE = "所属网格已停用"
    NO_PRINCIPAL = "无主监督员"
    NO_SECOND = "无第二监督员"
    DISABLED_ACCOUNT = "监督员账号已停用"
    OVERDUE = "超期未检查"


@dataclass(frozen=True)
class BlindSpot:
    project_id: int
    project_name: str
    status: str
    town: str
    grid_id: int | None
    grid_name: str
    #: 张三（主）、李四 — the team in force today, disabled accounts included
    team: str
    principal_id: int | None
    disabled_supervisors: tuple[str, ...]
    last_inspected_on: date | None
    required_interval_days: int | None
    #: days past the required interval (None when not overdue)
    overdue_days: int | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Member:
    user_id: int
    name: str
    role: str
    active: bool


def _last_inspected_at(today: date) -> Any:
    """Correlated MAX per project: one index seek each on ``ix_inspections_project_inspected``
    (measured 2–4× faster than GROUP BY over the whole table on both backends)."""
    return (select(func.max(Inspection.inspected_at))
            .where(Inspection.project_id == Project.id, Inspection.inspected_at < day_end(today))
            .scalar_subquery())


def last_inspection_dates(session: Session, today: date) -> dict[int, date]:
    """project id → date of its last inspection up to ``today``, for projects in supervision."""
    stmt = select(Project.id, _last_inspected_at(today)).where(Project.status.in_(IN_SUPERVISION_VALUES))
    return {pid: at.date() for pid, at in session.execute(stmt) if at is not None}


def _members(session: Session, today: date) -> dict[int, list[_Member]]:
    stmt = (select(SupervisionAssignment.project_id, SupervisionAssignment.user_id, SupervisionAssignment.role,
                   User.full_name, User.active)
            .join(User, User.id == SupervisionAssignment.user_id)
            .join(Project, Project.id == SupervisionAssignment.project_id)
            .where(assignment_in_force(today), Project.status.in_(IN_SUPERVISION_VALUES))
            .order_by(SupervisionAssignment.project_id, principal_first(), SupervisionAssignment.id))
    out: dict[int, list[_Member]] = {}
    for pid, uid, role, name, active in session.execute(stmt):
        out.setdefault(pid, []).append(_Member(uid, name, role, bool(active)))
    return out


def _team_label(members: list[_Member]) -> str:
    return "、".join(f"{m.name}（主）" if m.role == AssignmentRole.PRINCIPAL else m.name for m in members)


def _assess(session: Session, today: date) -> list[BlindSpot]:
    stmt = (select(Project.id, Project.name, Project.status, Project.town, Project.grid_id, Grid.name, Grid.active,
                   Project.actual_start, Project.created_at, SupervisionPlan.interval_days,
                   _last_inspected_at(today))
            .outerjoin(Grid, Grid.id == Project.grid_id)
            .outerjoin(SupervisionPlan, SupervisionPlan.project_id == Project.id)
            .where(Project.status.in_(IN_SUPERVISION_VALUES))
            .order_by(Project.name, Project.id))
    members = _members(session, today)
    facts = collect_facts(session, None, today)
    intervals: dict[tuple[str, int | None, SupervisionFacts], int | None] = {}
    out: list[BlindSpot] = []
    for (pid, name, status, town, grid_id, grid_name, grid_active, started, created, plan,
         last_at) in session.execute(stmt):
        reasons: list[str] = []
        if grid_id is None:
            reasons.append(BlindSpotReason.NO_GRID)
        elif not grid_active:
            reasons.append(BlindSpotReason.GRID_INACTIVE)
        team = members.get(pid, [])
        principal = next((m for m in team if m.role == AssignmentRole.PRINCIPAL), None)
        if principal is None:
            reasons.append(BlindSpotReason.NO_PRINCIPAL)
        if not any(m.role == AssignmentRole.SECOND for m in team):
            reasons.append(BlindSpotReason.NO_SECOND)
        disabled = tuple(m.name for m in team if not m.active)
        if disabled:
            reasons.append(BlindSpotReason.DISABLED_ACCOUNT)
        key = (status, plan, facts.get(pid, NO_FACTS))
        if key not in intervals:  # most projects share status, plan and facts: compute each once
            intervals[key] = required_frequency(FrequencySubject(status, plan), key[2], today).interval_days
        interval = intervals[key]
        last_on = last_at.date() if last_at is not None else None
        overdue: int | None = None
        if interval is not None:
            anchor = last_on or started or (created.date() if created else today)
            late = (today - anchor).days - interval
            if late > 0:
                overdue = late
                reasons.append(BlindSpotReason.OVERDUE)
        if reasons:
            out.append(BlindSpot(pid, name, status, town, grid_id, grid_name or "", _team_label(team),
                                 principal.user_id if principal else None, disabled, last_on, interval, overdue,
                                 tuple(str(r) for r in reasons)))
    return out


def list_blind_spots(session: Session, today: date | None = None, *, grid_id: int | None = None,
                     user_id: int | None = None, reasons: Collection[str] | None = None) -> list[BlindSpot]:
    """Blind spots by project name. ``grid_id`` -1 = projects without a grid; ``user_id``: projects this
    person supervises today; ``reasons``: only blind spots with at least one of these reasons."""
    today = today or clock.today()
    spots = _assess(session, today)
    if grid_id is not None:
        spots = [s for s in spots if (s.grid_id is None if grid_id == -1 else s.grid_id == grid_id)]
    if user_id is not None:
        mine = set(session.scalars(select(SupervisionAssignment.project_id).where(
            SupervisionAssignment.user_id == user_id, assignment_in_force(today))))
        spots = [s for s in spots if s.project_id in mine]
    if reasons:
        wanted = set(reasons)
        spots = [s for s in spots if wanted & set(s.reasons)]
    return spots


def count_blind_spots(session: Session, today: date | None = None) -> int:
    """The figure on the home page."""
    return len(_assess(session, today or clock.today()))


def blind_spot_counts(session: Session, today: date | None = None) -> dict[str, int]:
    """Number of blind spots per reason (a project can count under several), every reason present."""
    counter = Counter(r for s in _assess(session, today or clock.today()) for r in s.reasons)
    return {r.value: counter.get(r.value, 0) for r in BlindSpotReason}


__all__ = [
    "BlindSpot",
    "BlindSpotReason",
    "blind_spot_counts",
    "count_blind_spots",
    "last_inspection_dates",
    "list_blind_spots",
]
