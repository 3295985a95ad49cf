"""断保: every stretch of days without 安责险 cover, over all projects' policy intervals in one statement.

A project needs cover from 实际开工 until the day, or until its 竣工验收备案 if that came earlier (the
*window*). Its policies are ordered by start; a running maximum of the ends of the policies before each
one (a window function) says how far cover reached. A gap is

* before a policy: it starts after the window start and after the day following that running maximum;
* after the last policy: the maximum end of all of them is before the window's last day;
* a whole window without any policy.

Ends are the *effective* ends (至竣工验收备案 → the filing date, open while empty; 退保/注销 → that day).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Date,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from station_app.models import InsurancePolicy, Project
from station_app.models.enums import ProjectStatus
from station_app.services.insurance.sql import OPEN_END, effective_end_or_open, shift


def window(today: Any) -> tuple[Any, Any]:
    """(first, last day that needs cover) of ``Project``: 实际开工 … today, or the 竣工验收备案 if earlier —
    for a project already 已竣工/终止监督 without a filing date, its 实际竣工 if earlier."""
    filing, finish = Project.completion_filing_date, Project.actual_finish
    closed = Project.status.in_((ProjectStatus.COMPLETED.value, ProjectStatus.TERMINATED.value))
    until = case((and_(filing.is_not(None), filing < today), filing),
                 (and_(filing.is_(None), closed, finish.is_not(None), finish < today), finish), else_=today)
    return Project.actual_start, until


def needs_cover() -> Any:
    """Projects whose window is known: started, and not closed without any end date."""
    closed = Project.status.in_((ProjectStatus.COMPLETED.value, ProjectStatus.TERMINATED.value))
    return and_(Project.actual_start.is_not(None),
                or_(~closed, Project.completion_filing_date.is_not(None), Project.actual_finish.is_not(None)))


def gap_rows(today: Any) -> Select[Any]:
    """SELECT project_id, gap_from, gap_to, before_no, after_no, policy_id — one row per gap.

    ``before_no``/``after_no``: the policy numbers on either side (NULL at the edges); ``policy_id``: the
    policy after the gap, or the project's latest one for a gap running to the end (NULL: none at all).
    """
    cov_start, cov_until = window(today)
    base = (select(InsurancePolicy.project_id.label("project_id"), InsurancePolicy.id.label("policy_id"),
                   InsurancePolicy.policy_no.label("policy_no"), InsurancePolicy.start_date.label("start"),
                   effective_end_or_open().label("end"), cov_start.label("cov_start"), cov_until.label("cov_until"))
            .join(Project, Project.id == InsurancePolicy.project_id)
            .where(needs_cover())).subquery("ends")
    b = base.c
    order = (b.start, b.policy_id)
    ordered = select(
        b.project_id, b.policy_id, b.policy_no, b.start, b.end, b.cov_start, b.cov_until,
        func.max(b.end).over(partition_by=b.project_id, order_by=order, rows=(None, -1)).label("prev_end"),
        func.lag(b.policy_no).over(partition_by=b.project_id, order_by=order).label("prev_no"),
        func.row_number().over(partition_by=b.project_id, order_by=(b.start.desc(), b.policy_id.desc()))
        .label("rank_last"),
    ).cte("ordered")
    o = ordered.c
    no_type = InsurancePolicy.policy_no.type

    before = select(
        o.project_id,
        case((or_(o.prev_end.is_(None), o.prev_end < o.cov_start), o.cov_start),
             else_=shift(o.prev_end, 1)).label("gap_from"),
        case((o.start <= o.cov_until, shift(o.start, -1)), else_=o.cov_until).label("gap_to"),
        o.prev_no.label("before_no"), o.policy_no.label("after_no"), o.policy_id.label("policy_id"),
    ).where(o.start > o.cov_start, o.cov_start <= o.cov_until,
            or_(o.prev_end.is_(None), and_(shift(o.start, -1) > o.prev_end, o.prev_end < o.cov_until)))

    reach = (select(o.project_id, func.max(o.end).label("max_end")).group_by(o.project_id)).subquery("reach")
    latest = select(o.project_id, o.policy_id, o.policy_no, o.cov_start, o.cov_until).where(
        o.rank_last == 1).subquery("latest")
    trailing = select(
        latest.c.project_id,
        case((reach.c.max_end < latest.c.cov_start, latest.c.cov_start),
             else_=shift(reach.c.max_end, 1)).label("gap_from"),
        latest.c.cov_until.label("gap_to"), latest.c.policy_no.label("before_no"),
        cast(null(), no_type).label("after_no"), latest.c.policy_id.label("policy_id"),
    ).join(reach, reach.c.project_id == latest.c.project_id).where(
        reach.c.max_end < latest.c.cov_until, latest.c.cov_start <= latest.c.cov_until,
        reach.c.max_end != literal(OPEN_END, Date))

    n_start, n_until = window(today)
    nothing = select(
        Project.id.label("project_id"), n_start.label("gap_from"), n_until.label("gap_to"),
        cast(null(), String(60)).label("before_no"), cast(null(), String(60)).label("after_no"),
        cast(null(), InsurancePolicy.id.type).label("policy_id"),
    ).where(needs_cover(), n_start <= n_until,
            ~exists().where(InsurancePolicy.project_id == Project.id))
    return union_all(before, trailing, nothing)  # type: ignore[return-value]
