"""项目 and 监督检查 figures of the monthly report.

在监 over a period (the app keeps no history of a project's status, so it is read from its dates):
a project is in supervision during the period when it was registered (``created_at``) before the
period ended and had not left supervision before it began. It leaves supervision on completion
(已竣工: ``actual_finish``, else ``completion_filing_date``, else the day of its last change) or
when supervision is terminated (终止监督: the day of its last change). A project completed in the
month is still counted for that month — it was supervised and may have been inspected in it.

- 新开工: ``actual_start`` in the period; 竣工: ``actual_finish`` in the period.
- 停工: a project now 停工 whose last change (the day it was set to 停工) falls in the period.
- 在监面积 / 在监造价: sums of ``building_area`` (m² → 万m²) and ``contract_cost_fen`` (→ 万元).
- 检查次数: inspections dated in the period; 检查人次: their inspectors; 检查项目数: distinct projects.
- 覆盖率: in-supervision projects inspected in the period ÷ in-supervision projects.
- 全覆盖排查: the latest coverage round that started by the period's end: projects reached ÷ projects
  in its scope (在建/停工/竣工待验, or reached), as of the period's end.

``under_construction_on(day)`` (在建 or 停工 on a day, for the 安责险 and 安全生产费用 figures) reads the same
dates: see its docstring.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, not_, or_, select
from sqlalchemy.orm import Session

from station_app.models import CoverageRound, Grid, Inspection, InspectionInspector, Project
from station_app.models.enums import ProjectStatus
from station_app.services.monthly.figures_common import (
    DetailColumn,
    DetailDef,
    FigureDef,
    Period,
    Section,
    Value,
    percent,
    wan,
)
from station_app.services.supervision.coverage import ROUND_SCOPE_STATUSES

_DONE = ProjectStatus.COMPLETED.value
_ENDED = ProjectStatus.TERMINATED.value
_STOPPED = ProjectStatus.SUSPENDED.value


def in_supervision(p: Period) -> Any:
    """SQL condition: the project was in supervision at some time during ``p``."""
    finish = func.coalesce(Project.actual_finish, Project.completion_filing_date)
    left_before = or_(
        and_(Project.status == _DONE, finish.is_not(None), finish < p.start),
        and_(Project.status == _DONE, finish.is_(None), Project.updated_at < p.start_dt),
        and_(Project.status == _ENDED, Project.updated_at < p.start_dt),
    )
    return and_(Project.created_at < p.end_dt, not_(left_before))


def under_construction_on(day: date) -> Any:
    """SQL condition: the project was 在建 or 停工 on ``day``, read from its dates (no status history is kept).

    It had started: its 实际开工日期 is on or before the day — for a project whose status says the work has
    begun (在建, 停工, 竣工待验, 已竣工) but that has no 实际开工日期, its 施工许可日期, else the day it was
    registered; a 终止监督 project without one never counts. And it was not yet finished: a project now
    在建/停工 still is; one now 竣工待验/已竣工 until its 实际竣工日期 (else 竣工验收备案日期, else its last
    change); one now 终止监督 until its last change. On today's date it agrees with the status (but for a
    start date typed in the future). A change made after the status did (a late edit) moves the "last
    change", so such a project may count a little longer than it really was under way.
    """
    next_day = datetime.combine(day + timedelta(days=1), time.min)
    building = (ProjectStatus.UNDER_CONSTRUCTION.value, _STOPPED)
    done = (ProjectStatus.AWAITING_ACCEPTANCE.value, _DONE)
    start = case((Project.status == _ENDED, Project.actual_start),
                 else_=func.coalesce(Project.actual_start, Project.permit_date))
    started = or_(start <= day, and_(start.is_(None), Project.status.in_(building + done),
                                     Project.created_at < next_day))
    finish = func.coalesce(Project.actual_finish, Project.completion_filing_date)
    not_finished = or_(
        Project.status.in_(building),
        and_(Project.status.in_(done), or_(finish > day, and_(finish.is_(None), Project.updated_at >= next_day))),
        and_(Project.status == _ENDED, Project.updated_at >= next_day),
    )
    return and_(started, not_finished)


def _between(col: Any, p: Period) -> Any:
    return and_(col >= p.start, col <= p.end)


def _dt_between(col: Any, p: Period) -> Any:
    return and_(col >= p.start_dt, col < p.end_dt)


def _stopped(p: Period) -> Any:
    return and_(Project.status == _STOPPED, _dt_between(Project.updated_at, p))


def _one(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def latest_round(session: Session, p: Period) -> CoverageRound | None:
    return session.scalars(select(CoverageRound).where(CoverageRound.starts_on <= p.end)
                           .order_by(CoverageRound.starts_on.desc(), CoverageRound.id.desc()).limit(1)).first()


def _round_counts(session: Session, p: Period) -> tuple[int, int]:
    r = latest_round(session, p)
    if r is None:
        return 0, 0
    end = min(r.ends_on, p.end)
    reached = (select(Inspection.project_id)
               .where(Inspection.inspected_at >= Period(r.starts_on, end).start_dt,
                      Inspection.inspected_at < Period(r.starts_on, end).end_dt))
    if r.inspection_kind:
        reached = reached.where(Inspection.kind == r.inspection_kind)
    reached_ids = reached.distinct().subquery()
    row = session.execute(
        select(func.count(Project.id), _one(reached_ids.c.project_id.is_not(None)))
        .outerjoin(reached_ids, reached_ids.c.project_id == Project.id)
        .where(or_(Project.status.in_(ROUND_SCOPE_STATUSES), reached_ids.c.project_id.is_not(None)))).one()
    return int(row[0] or 0), int(row[1] or 0)


def compute(session: Session, p: Period) -> dict[str, Value]:
    sup = in_supervision(p)
    row = session.execute(select(
        func.count(Project.id), func.sum(Project.building_area), func.sum(Project.contract_cost_fen),
        _one(_between(Project.actual_start, p)), _one(_between(Project.actual_finish, p)), _one(_stopped(p)),
    ).where(sup)).one()
    active = int(row[0] or 0)
    insp = session.execute(select(func.count(Inspection.id), func.count(func.distinct(Inspection.project_id)))
                           .where(_dt_between(Inspection.inspected_at, p))).one()
    person_times = session.scalar(select(func.count()).select_from(InspectionInspector)
                                  .join(Inspection, Inspection.id == InspectionInspector.inspection_id)
                                  .where(_dt_between(Inspection.inspected_at, p))) or 0
    checked_active = session.scalar(
        select(func.count(func.distinct(Inspection.project_id)))
        .join(Project, Project.id == Inspection.project_id)
        .where(_dt_between(Inspection.inspected_at, p), sup)) or 0
    round_total, round_reached = _round_counts(session, p)
    return {
        "projects_active": active,
        "projects_started": int(row[3] or 0),
        "projects_completed": int(row[4] or 0),
        "projects_stopped": int(row[5] or 0),
        "area_wan_m2": wan(row[1], 10_000),
        "cost_wan_yuan": wan(row[2], 1_000_000),
        "inspections": int(insp[0] or 0),
        "inspector_times": int(person_times),
        "projects_inspected": int(insp[1] or 0),
        "coverage_rate": percent(checked_active, active),
        "round_total": round_total,
        "round_reached": round_reached,
        "round_rate": percent(round_reached, round_total),
    }


# --- details: the records behind each figure -------------------------------------------------------

_PROJECT_COLS = (DetailColumn("项目ID", "int", 8), DetailColumn("工程名称", "text", 40), DetailColumn("状态", "text", 10),
                 DetailColumn("网格", "text", 14), DetailColumn("建筑面积(m²)", "area", 14),
                 DetailColumn("合同造价(元)", "money", 16), DetailColumn("登记时间", "datetime", 17),
                 DetailColumn("实际开工", "date", 12), DetailColumn("实际竣工", "date", 12))


def _projects(where: Any) -> Any:
    return (select(Project.id, Project.name, Project.status, Grid.name, Project.building_area,
                   Project.contract_cost_fen, Project.created_at, Project.actual_start, Project.actual_finish)
            .outerjoin(Grid, Grid.id == Project.grid_id).where(where).order_by(Project.name, Project.id))


def _coverage_detail(p: Period) -> Any:
    n = (select(Inspection.project_id, func.count(Inspection.id).label("n"))
         .where(_dt_between(Inspection.inspected_at, p)).group_by(Inspection.project_id).subquery())
    return (select(Project.id, Project.name, Project.status, Grid.name, func.coalesce(n.c.n, 0),
                   case((n.c.n.is_not(None), literal("是")), else_=literal("否")))
            .outerjoin(Grid, Grid.id == Project.grid_id).outerjoin(n, n.c.project_id == Project.id)
            .where(in_supervision(p)).order_by(n.c.n.is_(None).desc(), Project.name, Project.id))


def _inspected_detail(p: Period) -> Any:
    n = (select(Inspection.project_id, func.count(Inspection.id).label("n"),
                func.min(Inspection.inspected_at).label("first"))
         .where(_dt_between(Inspection.inspected_at, p)).group_by(Inspection.project_id).subquery())
    return (select(Project.id, Project.name, Project.status, Grid.name, n.c.n, n.c.first)
            .join(n, n.c.project_id == Project.id).outerjoin(Grid, Grid.id == Project.grid_id)
            .order_by(Project.name, Project.id))


def _inspection_detail(p: Period) -> Any:
    return (select(Inspection.id, Inspection.inspected_at, Project.name, Grid.name, Inspection.kind,
                   Inspection.inspector_names, Inspection.finding_count, Inspection.major_count)
            .join(Project, Project.id == Inspection.project_id).outerjoin(Grid, Grid.id == Inspection.grid_id)
            .where(_dt_between(Inspection.inspected_at, p)).order_by(Inspection.inspected_at, Inspection.id))


DETAILS = (
    DetailDef("projects_active", "在监项目", _PROJECT_COLS, lambda p: _projects(in_supervision(p))),
    DetailDef("projects_started", "新开工项目", _PROJECT_COLS, lambda p: _projects(_between(Project.actual_start, p))),
    DetailDef("projects_completed", "竣工项目", _PROJECT_COLS,
              lambda p: _projects(_between(Project.actual_finish, p))),
    DetailDef("projects_stopped", "停工项目", _PROJECT_COLS, lambda p: _projects(_stopped(p))),
    DetailDef("inspections", "监督检查记录", (
        DetailColumn("检查ID", "int", 8), DetailColumn("检查时间", "datetime", 17), DetailColumn("工程名称", "text", 40),
        DetailColumn("网格", "text", 14), DetailColumn("检查类型", "text", 12), DetailColumn("检查人员", "text", 20),
        DetailColumn("发现问题", "int", 10), DetailColumn("其中重大", "int", 10)), _inspection_detail),
    DetailDef("projects_inspected", "被检查项目", (
        DetailColumn("项目ID", "int", 8), DetailColumn("工程名称", "text", 40), DetailColumn("状态", "text", 10),
        DetailColumn("网格", "text", 14), DetailColumn("本期检查次数", "int", 12),
        DetailColumn("首次检查", "datetime", 17)), _inspected_detail),
    DetailDef("coverage", "在监项目检查情况", (
        DetailColumn("项目ID", "int", 8), DetailColumn("工程名称", "text", 40), DetailColumn("状态", "text", 10),
        DetailColumn("网格", "text", 14), DetailColumn("本期检查次数", "int", 12), DetailColumn("已检查", "text", 8)),
        _coverage_detail),
)

FIGURES = (
    FigureDef("projects_active", "在监项目数", "个", "本期内任一时间处于监督状态的项目", "projects_active"),
    FigureDef("projects_started", "新开工项目数", "个", "实际开工日期在本期内的项目", "projects_started"),
    FigureDef("projects_completed", "竣工项目数", "个", "实际竣工日期在本期内的项目", "projects_completed"),
    FigureDef("projects_stopped", "停工项目数", "个", "现为停工状态、且停工（最后变更）发生在本期内的项目",
              "projects_stopped"),
    FigureDef("area_wan_m2", "在监面积", "万m²", "在监项目建筑面积合计", "projects_active", digits=2),
    FigureDef("cost_wan_yuan", "在监造价", "万元", "在监项目合同造价合计", "projects_active", digits=2),
    FigureDef("inspections", "检查次数", "次", "检查日期在本期内的监督检查记录数", "inspections"),
    FigureDef("inspector_times", "检查人次", "人次", "上述检查的检查人员人次合计", "inspections"),
    FigureDef("projects_inspected", "检查项目数", "个", "本期内被检查过的项目（去重）", "projects_inspected"),
    FigureDef("coverage_rate", "覆盖率", "%", "本期被检查的在监项目 ÷ 在监项目数", "coverage", digits=1, rate=True),
    FigureDef("round_total", "全覆盖排查应查项目数", "个", "最近一轮全覆盖排查范围内的项目（截至期末）",
              stock=True),
    FigureDef("round_reached", "全覆盖排查已查项目数", "个", "该轮次内已检查到的项目（截至期末）", stock=True),
    FigureDef("round_rate", "全覆盖排查进度", "%", "已查 ÷ 应查", digits=1, rate=True, stock=True),
)

SECTION = Section("projects", "在监项目与监督检查", FIGURES, compute, DETAILS)
