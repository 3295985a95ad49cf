"""The 监督检查 list: columns, search and filters, all in SQL (60,000 rows open in ≤ 200 ms).

Filters (``ListQuery.filters``):

* ``date_from`` / ``date_to`` — dates, both inclusive;
* ``project_id``; ``grid_id`` (the project's grid on the day; -1 = none);
* ``supervisor_id`` — inspections the user took part in as an inspector;
* ``kind`` — one kind or a list; ``campaign_id`` (-1 = none);
* ``has_major`` — True: only inspections with a major finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from station_app.models import Campaign, Grid, Inspection, InspectionInspector, Jgj59Sheet, Project
from station_app.services.listing import Column, ListSpec


def _base() -> Select[Any]:
    # All joins are LEFT JOINs on unique keys (project_id is NOT NULL, so nothing is lost): SQLite drops
    # a LEFT JOIN whose columns a query does not use, so the count(*) of 60,000 rows stays an index scan.
    return (
        select(Inspection)
        .outerjoin(Project, Project.id == Inspection.project_id)
        .outerjoin(Grid, Grid.id == Inspection.grid_id)
        .outerjoin(Campaign, Campaign.id == Inspection.campaign_id)
        .outerjoin(Jgj59Sheet, Jgj59Sheet.inspection_id == Inspection.id)
    )


def _start(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time.min)


def _date_from(stmt: Select[Any], value: date | datetime) -> Select[Any]:
    return stmt.where(Inspection.inspected_at >= _start(value))


def _date_to(stmt: Select[Any], value: date | datetime) -> Select[Any]:
    if isinstance(value, datetime):
        return stmt.where(Inspection.inspected_at <= value)
    return stmt.where(Inspection.inspected_at < _start(value + timedelta(days=1)))


def _grid(stmt: Select[Any], value: int) -> Select[Any]:
    return stmt.where(Inspection.grid_id.is_(None) if value == -1 else Inspection.grid_id == value)


def _supervisor(stmt: Select[Any], value: int) -> Select[Any]:
    return stmt.where(exists().where(InspectionInspector.inspection_id == Inspection.id,
                                     InspectionInspector.user_id == value))


def _kind(stmt: Select[Any], value: str | Sequence[str]) -> Select[Any]:
    if isinstance(value, str):
        return stmt.where(Inspection.kind == value)
    return stmt.where(Inspection.kind.in_(list(value)))


def _campaign(stmt: Select[Any], value: int) -> Select[Any]:
    return stmt.where(Inspection.campaign_id.is_(None) if value == -1 else Inspection.campaign_id == value)


INSPECTION_LIST = ListSpec(
    columns=(
        Column("inspected_at", "检查时间", Inspection.inspected_at, 130, "datetime"),
        Column("project", "工程名称", Project.name, 260),
        Column("grid", "网格", Grid.name, 90),
        Column("kind", "检查类型", Inspection.kind, 90),
        Column("campaign", "专项行动", Campaign.name, 120),
        Column("inspectors", "检查人员", Inspection.inspector_names, 140),
        Column("finding_count", "问题数", Inspection.finding_count, 60, "int"),
        Column("major_count", "重大隐患", Inspection.major_count, 70, "int"),
        Column("check_item_count", "检查项数", Inspection.check_item_count, 70, "int"),
        Column("jgj59_total", "JGJ 59得分", Jgj59Sheet.total, 80, "area"),
        Column("jgj59_grade", "评定等级", Jgj59Sheet.grade, 70),
        Column("conclusion", "检查结论", Inspection.conclusion, 240),
    ),
    base=_base,
    id_expr=Inspection.id,
    search_expr=Inspection.search_key,
    filters={
        "date_from": _date_from,
        "date_to": _date_to,
        "project_id": lambda s, v: s.where(Inspection.project_id == v),
        "grid_id": _grid,
        "supervisor_id": _supervisor,
        "kind": _kind,
        "campaign_id": _campaign,
        "has_major": lambda s, v: s.where(Inspection.major_count > 0) if v else s,
    },
    default_sort=(Inspection.inspected_at.desc(),),
)


def last_inspection_id(session: Session, project_id: int, *, before: datetime | None = None,
                       exclude_id: int | None = None) -> int | None:
    """The project's latest inspection ("上次检查"): the last one before ``before`` when given,
    ``exclude_id`` (the inspection being edited) left out. One indexed query."""
    stmt = select(Inspection.id).where(Inspection.project_id == project_id)
    if before is not None:
        stmt = stmt.where(Inspection.inspected_at < before)
    if exclude_id is not None:
        stmt = stmt.where(Inspection.id != exclude_id)
    return session.scalar(stmt.order_by(Inspection.inspected_at.desc(), Inspection.id.desc()).limit(1))
