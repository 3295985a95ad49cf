"""安全生产费用 counts on several days at once, each day as the records describe it (the monthly report's 本期
and 去年同期): two aggregate statements whatever the number of days — one over the projects with their
fee basis, one over the flagged usage entries — each day a column of its own.

Unlike :func:`safety_fee_checks.fee_summary` (today's records judged on one day: the home card and the
overview lists), a past day is reconstructed from the dates the records carry:

* ``projects_with_basis`` — bases registered (``created_at``) by the end of the day;
* ``missing_basis`` — projects 在建/停工 on the day (``monthly_figures_projects.under_construction_on``)
  without a basis registered by then;
* ``first_payment_late`` — a basis registered by the day whose first-share deadline (开工 + 1 month, as
  in :mod:`safety_fees.tables`) had passed with less than the first share paid by it (payments by their
  支付日期); ``subcontract_late`` — projects with a 专业分包 registered by the day in the same case;
* ``flagged_pending`` (and its projects) — entries flagged, entered by the day and not reviewed by it
  (``reviewed_at`` later or none); ``rejected`` — 不予认可 by the day; ``flagged_total`` — flagged and
  entered by the day. The flag and verdict are the ones an entry carries now: an entry whose edit later
  changed its flag counts with today's flag.

``underuse`` depends on the 形象进度 a clerk entered, of which only today's value is kept, and on today's
verdicts: for a past day it is what today's records say about it (:data:`AS_RECORDED_NOW`); the monthly
report shows it for its own period only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from station_app.models import Project, SafetyFeeBasis, SafetyFeeUsage
from station_app.models.safety_fee import ReviewState
from station_app.rules import safety_fee_usage as fee_rules
from station_app.services.monthly.figures_projects import under_construction_on
from station_app.services.safety_fees.checks import FeeSummary
from station_app.services.safety_fees.tables import DayFigures, late_subcontracts, used_by_project

#: fields whose value on a past day comes from today's records (see the module docstring)
AS_RECORDED_NOW = ("underuse",)
_REVIEWED = (ReviewState.PENDING.value, ReviewState.ACCEPTED.value, ReviewState.REJECTED.value)


def _n(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _end_of(day: date) -> datetime:
    """The first moment after ``day`` (compare timestamps with ``<``)."""
    return datetime.combine(day + timedelta(days=1), time.min)


def _project_columns(day: date, months: int, used: Any) -> list[Any]:
    f = DayFigures(day, used=used)
    registered = and_(SafetyFeeBasis.id.is_not(None), SafetyFeeBasis.created_at < _end_of(day))
    return [_n(registered),
            _n(and_(under_construction_on(day), ~registered)),
            _n(and_(registered, f.late)),
            _n(late_subcontracts(day, months, registered_before=_end_of(day)) > 0),
            _n(f.underuse)]


def _usage_columns(day: date) -> list[Any]:
    end = _end_of(day)
    entered = SafetyFeeUsage.created_at < end
    pending = and_(entered, or_(SafetyFeeUsage.reviewed_at.is_(None), SafetyFeeUsage.reviewed_at >= end))
    rejected = and_(entered, SafetyFeeUsage.review_state == ReviewState.REJECTED.value,
                    SafetyFeeUsage.reviewed_at < end)
    return [_n(pending), func.count(func.distinct(case((pending, SafetyFeeUsage.project_id)))), _n(entered),
            _n(rejected)]


def fee_summaries(session: Session, days: Sequence[date]) -> dict[date, FeeSummary]:
    """The 安全生产费用 counts on each of ``days`` (see the module docstring for what a past day means)."""
    wanted = sorted(set(days))
    if not wanted:
        return {}
    months = fee_rules.first_payment_months()
    used = used_by_project()  # summed once per project, not once per project and day
    projects = session.execute(
        select(*(c for d in wanted for c in _project_columns(d, months, func.coalesce(used.c.used, 0))))
        .select_from(Project).outerjoin(SafetyFeeBasis, SafetyFeeBasis.project_id == Project.id)
        .outerjoin(used, used.c.project_id == Project.id)).one()
    usages = session.execute(
        select(*(c for d in wanted for c in _usage_columns(d)))
        .where(SafetyFeeUsage.review_state.in_(_REVIEWED), SafetyFeeUsage.flagged.is_(True))).one()
    out: dict[date, FeeSummary] = {}
    for i, d in enumerate(wanted):
        with_basis, missing, late, sub_late, underuse = (int(v) for v in projects[5 * i:5 * i + 5])
        pending, pending_projects, flagged, rejected = (int(v) for v in usages[4 * i:4 * i + 4])
        out[d] = FeeSummary(as_of=d, projects_with_basis=with_basis, missing_basis=missing, first_payment_late=late,
                            subcontract_late=sub_late, underuse=underuse, flagged_pending=pending,
                            flagged_pending_projects=pending_projects, flagged_total=flagged, rejected=rejected)
    return out
