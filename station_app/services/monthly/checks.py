"""Cross-checks run before a report is signed: inconsistencies in the records, each with the records behind it.

Each check is a couple of SQL queries over the report period; an empty list means nothing to explain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from station_app.models import Grid, Hazard, Inspection, IssuedDocument, Project
from station_app.models.document import DocumentStatus
from station_app.models.enums import ProjectStatus
from station_app.models.hazard import HazardState
from station_app.services.monthly.figures_common import Period, ReportPeriod, has_tables
from station_app.services.monthly.figures_enforcement import STOP_TYPES
from station_app.services.monthly.figures_projects import in_supervision

_CANCELLED = HazardState.CANCELLED.value
_CLOSED = HazardState.CLOSED.value
_HAZARD_COLS = ("隐患编号", "工程名称", "状态", "发现日期", "销号日期")


@dataclass(frozen=True)
class CheckIssue:
    key: str
    title: str
    message: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def _hazard_rows(session: Session, where: Any, limit: int = 500) -> list[tuple[Any, ...]]:
    stmt = (select(Hazard.code, Project.name, Hazard.state, Hazard.found_on, Hazard.closed_on)
            .join(Project, Project.id == Hazard.project_id).where(where).order_by(Hazard.found_on, Hazard.id)
            .limit(limit))
    return [tuple(r) for r in session.execute(stmt)]


def _hazard_balance(session: Session, p: Period) -> list[CheckIssue]:
    counted = Hazard.state != _CANCELLED
    open_start = session.scalar(select(func.count(Hazard.id)).where(
        counted, Hazard.found_on < p.start, or_(Hazard.closed_on.is_(None), Hazard.closed_on >= p.start))) or 0
    found = session.scalar(select(func.count(Hazard.id)).where(
        counted, Hazard.found_on >= p.start, Hazard.found_on <= p.end)) or 0
    closed_in = and_(counted, Hazard.closed_on >= p.start, Hazard.closed_on <= p.end)
    closed = session.scalar(select(func.count(Hazard.id)).where(closed_in)) or 0
    bad = and_(closed_in, or_(Hazard.closed_on < Hazard.found_on, Hazard.found_on > p.end))
    rows = _hazard_rows(session, bad)
    issues: list[CheckIssue] = []
    if closed > open_start + found or rows:
        issues.append(CheckIssue(
            "hazard_balance", "销号隐患数超过期初未销号与本期发现之和",
            f"本期销号{closed}项，期初未销号{open_start}项、本期发现{found}项（合计{open_start + found}项）；"
            f"其中{len(rows)}项销号日期早于发现日期或发现日期在期末之后", _HAZARD_COLS, rows))
    mismatch = and_(counted, Hazard.found_on <= p.end, or_(
        and_(Hazard.state == _CLOSED, Hazard.closed_on.is_(None)),
        and_(Hazard.state != _CLOSED, Hazard.closed_on.is_not(None))))
    rows = _hazard_rows(session, mismatch)
    if rows:
        issues.append(CheckIssue("hazard_state", "隐患状态与销号日期不一致",
                                 f"{len(rows)}项隐患：状态为已销号却无销号日期，或有销号日期却未销号", _HAZARD_COLS, rows))
    return issues


def _stopped_without_notice(session: Session, p: Period) -> list[CheckIssue]:
    if not has_tables(session, IssuedDocument.__tablename__):
        return []
    inspected = (select(Inspection.project_id, func.count(Inspection.id).label("n"))
                 .where(Inspection.inspected_at >= p.start_dt, Inspection.inspected_at < p.end_dt)
                 .group_by(Inspection.project_id).subquery())
    notice = exists().where(IssuedDocument.project_id == Project.id, IssuedDocument.doc_type.in_(STOP_TYPES),
                            IssuedDocument.status != DocumentStatus.VOID.value, IssuedDocument.issue_date <= p.end)
    stmt = (select(Project.id, Project.name, Grid.name, inspected.c.n)
            .join(inspected, inspected.c.project_id == Project.id).outerjoin(Grid, Grid.id == Project.grid_id)
            .where(Project.status == ProjectStatus.SUSPENDED.value, ~notice).order_by(Project.name))
    rows = [tuple(r) for r in session.execute(stmt)]
    if not rows:
        return []
    return [CheckIssue("stopped_without_notice", "停工项目有检查记录但无停工整改通知书",
                       f"{len(rows)}个停工项目本期有监督检查记录，但没有签发过停工整改通知书",
                       ("项目ID", "工程名称", "网格", "本期检查次数"), rows)]


def _documents_out_of_sequence(session: Session, p: Period) -> list[CheckIssue]:
    if not has_tables(session, IssuedDocument.__tablename__):
        return []
    prev_serial = func.lag(IssuedDocument.serial).over(
        partition_by=(IssuedDocument.doc_type, IssuedDocument.year), order_by=IssuedDocument.serial)
    prev_date = func.lag(IssuedDocument.issue_date).over(
        partition_by=(IssuedDocument.doc_type, IssuedDocument.year), order_by=IssuedDocument.serial)
    seq = (select(IssuedDocument.number, IssuedDocument.doc_type, IssuedDocument.serial, IssuedDocument.issue_date,
                  prev_serial.label("prev_serial"), prev_date.label("prev_date"))
           .where(IssuedDocument.year == p.end.year).subquery())
    stmt = (select(seq.c.number, seq.c.doc_type, seq.c.serial, seq.c.issue_date, seq.c.prev_serial, seq.c.prev_date)
            .where(seq.c.issue_date >= p.start, seq.c.issue_date <= p.end,
                   or_(and_(seq.c.prev_serial.is_(None), seq.c.serial != 1),
                       seq.c.serial - seq.c.prev_serial != 1, seq.c.issue_date < seq.c.prev_date))
            .order_by(seq.c.doc_type, seq.c.serial))
    rows = [tuple(r) for r in session.execute(stmt)]
    if not rows:
        return []
    return [CheckIssue("documents_sequence", "文书编号不连续或与签发日期顺序不符",
                       f"{len(rows)}份文书：编号跳号，或编号在后却早于前一号签发",
                       ("文号", "文书类型", "序号", "签发日期", "前一序号", "前一号签发日期"), rows)]


def _projects_without_grid(session: Session, p: Period) -> list[CheckIssue]:
    stmt = (select(Project.id, Project.name, Project.status, Project.town)
            .where(in_supervision(p), Project.grid_id.is_(None)).order_by(Project.name))
    rows = [tuple(r) for r in session.execute(stmt)]
    if not rows:
        return []
    return [CheckIssue("projects_without_grid", "在监项目未划分网格",
                       f"{len(rows)}个在监项目没有划分网格，按网格统计时列入“未划分网格”",
                       ("项目ID", "工程名称", "状态", "乡镇"), rows)]


def _inspections_outside_supervision(session: Session, p: Period) -> list[CheckIssue]:
    stmt = (select(Inspection.id, Inspection.inspected_at, Project.name, Project.status)
            .join(Project, Project.id == Inspection.project_id)
            .where(Inspection.inspected_at >= p.start_dt, Inspection.inspected_at < p.end_dt, ~in_supervision(p))
            .order_by(Inspection.inspected_at).limit(500))
    rows = [tuple(r) for r in session.execute(stmt)]
    if not rows:
        return []
    return [CheckIssue("inspections_outside", "检查了本期不在监的项目",
                       f"{len(rows)}次检查的项目在本期不处于监督状态（已竣工、终止监督或尚未登记）",
                       ("检查ID", "检查时间", "工程名称", "项目状态"), rows)]


CHECKS = (_hazard_balance, _stopped_without_notice, _documents_out_of_sequence, _projects_without_grid,
          _inspections_outside_supervision)


def run_checks(session: Session, period: ReportPeriod) -> list[CheckIssue]:
    """Every inconsistency found for the report's period (empty = consistent)."""
    p = period.current
    issues: list[CheckIssue] = []
    for check in CHECKS:
        issues.extend(check(session, p))
    return issues


__all__ = ["CHECKS", "CheckIssue", "run_checks"]
