"""The 项目分工 list: projects in supervision with their grid and the team in force today, in SQL.

Columns, search, filters and sort are SQL (a :class:`ListSpec`, paged by the lazy table model); the
supervisor names of a page come from :func:`assignments.teams_on` for that page's project ids — one
query per page, never one per row. "Today" is bound when each query runs, not when the module loads.

Filters (``ListQuery.filters``): ``grid_id`` (-1 = no grid), ``town``, ``supervisor_id`` (projects this
person supervises today, any role), ``unassigned`` (True: no 主监督员 or no 第二监督员 today).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, bindparam, exists, func, not_, select
from sqlalchemy.orm import Session, aliased

from station_app import clock
from station_app.models import Grid, Project, SupervisionAssignment, User
from station_app.services.listing import Column, ListQuery, ListSpec
from station_app.services.supervision.assignments import teams_on
from station_app.services.supervision.common import IN_SUPERVISION_VALUES, AssignmentRole, in_force

_SA = aliased(SupervisionAssignment)
_U = aliased(User)


def _today() -> Any:
    """A bind parameter evaluated at execution time (a list left open over midnight stays right)."""
    return bindparam("team_list_today", callable_=clock.today)


def _in_force_on_project(role: str | None = None) -> Any:
    cond = and_(_SA.project_id == Project.id, in_force(_SA.effective_from, _SA.effective_to, _today()))
    return and_(cond, _SA.role == role) if role is not None else cond


def _principal_name() -> Any:
    return (select(_U.full_name).join(_SA, _SA.user_id == _U.id)
            .where(_in_force_on_project(AssignmentRole.PRINCIPAL.value))
            .order_by(_SA.id).limit(1).correlate(Project).scalar_subquery())


def _first_second_name() -> Any:
    """Sort key of the 第二监督员 column (the names themselves come from ``teams_on``)."""
    return (select(func.min(_U.full_name)).join(_SA, _SA.user_id == _U.id)
            .where(_in_force_on_project(AssignmentRole.SECOND.value)).correlate(Project).scalar_subquery())


def _since() -> Any:
    return (select(func.max(_SA.effective_from)).where(_in_force_on_project())
            .correlate(Project).scalar_subquery())


def _base() -> Select[Any]:
    return (select(Project).outerjoin(Grid, Grid.id == Project.grid_id)
            .where(Project.status.in_(IN_SUPERVISION_VALUES)))


def _has(role: str) -> Any:
    return exists().where(_in_force_on_project(role))


def _supervisor(stmt: Select[Any], user_id: int) -> Select[Any]:
    return stmt.where(exists().where(_in_force_on_project(), _SA.user_id == user_id))


def _unassigned(stmt: Select[Any], value: bool) -> Select[Any]:
    if not value:
        return stmt
    return stmt.where(not_(and_(_has(AssignmentRole.PRINCIPAL.value), _has(AssignmentRole.SECOND.value))))


TEAM_LIST = ListSpec(
    columns=(
        Column("name", "工程名称", Project.name, 240),
        Column("status", "状态", Project.status, 64),
        Column("town", "乡镇/片区", Project.town, 80),
        Column("grid", "网格", Grid.name, 80),
        Column("principal", "主监督员", _principal_name(), 70),
        Column("seconds", "第二监督员", _first_second_name(), 120),
        Column("since", "分工起始", _since(), 90, "date"),
    ),
    base=_base,
    id_expr=Project.id,
    search_expr=Project.search_key,
    filters={
        "grid_id": lambda s, v: s.where(Project.grid_id.is_(None) if v == -1 else Project.grid_id == v),
        "town": lambda s, v: s.where(Project.town == v),
        "supervisor_id": _supervisor,
        "unassigned": _unassigned,
    },
    default_sort=(Project.name,),
)

_PRINCIPAL = 4  # positions of the name columns in a row (after the id)
_SECONDS = 5


def team_page(session: Session, q: ListQuery) -> list[tuple[Any, ...]]:
    """One page of :data:`TEAM_LIST`, the supervisor names filled in from one ``teams_on`` query."""
    rows = TEAM_LIST.page(session, q)
    teams = teams_on(session, [r[0] for r in rows]) if rows else {}
    out: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(row)
        team = teams.get(row[0])
        values[_PRINCIPAL + 1] = team.principal_name if team and team.principal_id is not None else None
        values[_SECONDS + 1] = "、".join(team.second_names) if team and team.second_names else None
        out.append(tuple(values))
    return out


__all__ = ["TEAM_LIST", "team_page"]
