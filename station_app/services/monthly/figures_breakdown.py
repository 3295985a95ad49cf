"""Per-grid and per-supervisor breakdowns of the report period (GROUP BY queries, one row per group).

Per grid: the project's current grid for 在监项目; the grid stored on the inspection / hazard (as it
was on the day) for 检查 and 隐患. Per supervisor: projects where they were 主监督员 on the period's
last day; inspections they took part in; hazards recorded with them as responsible supervisor.
Rows without a grid / supervisor are grouped under 未划分网格 / 未安排监督员.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from station_app.models import (
    Grid,
    Hazard,
    Inspection,
    InspectionInspector,
    Project,
    SupervisionAssignment,
    User,
)
from station_app.models.hazard import HazardLevel, HazardState
from station_app.services.monthly.figures_common import Period, ReportPeriod, percent
from station_app.services.monthly.figures_projects import in_supervision
from station_app.services.monthly.stats import DetailTable
from station_app.services.supervision.common import AssignmentRole, assignment_in_force

NO_GRID = "未划分网格"
NO_SUPERVISOR = "未安排监督员"
_HEADERS = ("名称", "在监项目", "检查次数", "检查项目数", "覆盖率(%)", "发现隐患", "其中重大", "已整改", "整改率(%)")
_KINDS = ("text", "int", "int", "int", "percent", "int", "int", "int", "percent")
_WIDTHS = (18, 10, 10, 11, 10, 10, 10, 10, 10)


def _in(col: Any, p: Period) -> Any:
    return and_(col >= p.start_dt, col < p.end_dt)


def _table(title: str, key: str, names: dict[Any, str], data: dict[Any, list[int]], none_label: str) -> DetailTable:
    rows: list[tuple[Any, ...]] = []
    keys = sorted(data, key=lambda k: (k is None, names.get(k, "")))
    totals = [0] * 7
    for k in keys:
        active, insp, checked, checked_active, found, major, fixed = data[k]
        rows.append((names.get(k, none_label) if k is not None else none_label, active, insp, checked,
                     _pct(checked_active, active), found, major, fixed, _pct(fixed, found)))
        totals = [a + b for a, b in zip(totals, data[k], strict=True)]
    active, insp, checked, checked_active, found, major, fixed = totals
    if key == "by_grid":
        rows.append(("合计", active, insp, checked, _pct(checked_active, active), found, major, fixed, _pct(fixed, found)))
    return DetailTable(key, title, _HEADERS, _KINDS, _WIDTHS, rows)


def _pct(part: int, whole: int) -> Decimal | None:
    return percent(part, whole)


def _slot(data: dict[Any, list[int]], k: Any) -> list[int]:
    return data.setdefault(k, [0] * 7)


def by_grid(session: Session, period: ReportPeriod) -> DetailTable:
    p = period.current
    data: dict[Any, list[int]] = {}
    sup = in_supervision(p)
    for gid, n in session.execute(select(Project.grid_id, func.count(Project.id)).where(sup).group_by(Project.grid_id)):
        _slot(data, gid)[0] = int(n)
    for gid, n, d in session.execute(select(Inspection.grid_id, func.count(Inspection.id),
                                            func.count(func.distinct(Inspection.project_id)))
                                     .where(_in(Inspection.inspected_at, p)).group_by(Inspection.grid_id)):
        s = _slot(data, gid)
        s[1], s[2] = int(n), int(d)
    for gid, n in session.execute(select(Project.grid_id, func.count(func.distinct(Project.id)))
                                  .join(Inspection, Inspection.project_id == Project.id)
                                  .where(_in(Inspection.inspected_at, p), sup).group_by(Project.grid_id)):
        _slot(data, gid)[3] = int(n)
    for gid, found, major, fixed in session.execute(_hazard_stmt(Hazard.grid_id, p)):
        s = _slot(data, gid)
        s[4], s[5], s[6] = int(found), int(major or 0), int(fixed or 0)
    names = {gid: name for gid, name in session.execute(select(Grid.id, Grid.name))}
    return _table("按网格统计", "by_grid", names, data, NO_GRID)


def _hazard_stmt(group_col: Any, p: Period) -> Any:
    found = and_(Hazard.state != HazardState.CANCELLED.value, Hazard.found_on >= p.start, Hazard.found_on <= p.end)
    major = case((Hazard.level == HazardLevel.MAJOR.value, 1), else_=0)
    fixed = case((and_(Hazard.closed_on.is_not(None), Hazard.closed_on <= p.end), 1), else_=0)
    return select(group_col, func.count(Hazard.id), func.sum(major), func.sum(fixed)).where(found).group_by(group_col)


def by_supervisor(session: Session, period: ReportPeriod) -> DetailTable:
    p = period.current
    data: dict[Any, list[int]] = {}
    principal = and_(assignment_in_force(p.end), SupervisionAssignment.role == AssignmentRole.PRINCIPAL.value)
    sup = in_supervision(p)
    for uid, n in session.execute(select(SupervisionAssignment.user_id, func.count(func.distinct(Project.id)))
                                  .join(Project, Project.id == SupervisionAssignment.project_id)
                                  .where(principal, sup).group_by(SupervisionAssignment.user_id)):
        _slot(data, uid)[0] = int(n)
    for uid, n, d in session.execute(select(InspectionInspector.user_id, func.count(Inspection.id),
                                            func.count(func.distinct(Inspection.project_id)))
                                     .join(Inspection, Inspection.id == InspectionInspector.inspection_id)
                                     .where(_in(Inspection.inspected_at, p)).group_by(InspectionInspector.user_id)):
        s = _slot(data, uid)
        s[1], s[2] = int(n), int(d)
    for uid, n in session.execute(select(SupervisionAssignment.user_id, func.count(func.distinct(Project.id)))
                                  .join(Project, Project.id == SupervisionAssignment.project_id)
                                  .join(Inspection, Inspection.project_id == Project.id)
                                  .where(principal, sup, _in(Inspection.inspected_at, p))
                                  .group_by(SupervisionAssignment.user_id)):
        _slot(data, uid)[3] = int(n)
    for uid, found, major, fixed in session.execute(_hazard_stmt(Hazard.supervisor_id, p)):
        s = _slot(data, uid)
        s[4], s[5], s[6] = int(found), int(major or 0), int(fixed or 0)
    ids = [k for k in data if k is not None]
    names = {uid: name for uid, name in session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))} \
        if ids else {}
    return _table("按监督员统计", "by_supervisor", names, data, NO_SUPERVISOR)
