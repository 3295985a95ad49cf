"""安责险 figures on several days at once, each day as the records describe it (the monthly report's 本期 and
去年同期): three aggregate statements whatever the number of days — one over the projects, one over the
gaps, one over the policies — each day a column of its own.

Unlike :func:`insurance_checks.insurance_summary` (today's records judged on one day: the home card and
the check lists), a past day is reconstructed from dates, never from today's status:

* ``active_projects`` — 在建/停工 on the day (``monthly_figures_projects.under_construction_on``: started by
  then, not yet finished or 终止监督 — read from the project's dates); ``insured`` / ``uninsured`` — of
  those, with / without a policy whose term covers the day (起期 … 止期, or its 退保/注销 date if earlier:
  a policy surrendered later still covered the day);
* ``gaps`` / ``gap_projects`` — stretches without cover from 实际开工 up to the day (or the 竣工验收备案 if
  earlier). Cover is fixed by the policy terms, so the gaps up to an earlier day are those up to the
  latest day cut at the earlier one: :func:`insurance_gaps.gap_rows` runs once, for the latest day;
* ``low_limit`` — policies begun by the day (起期 ≤ day) with a per-person limit below the minimum in force
  on their start; ``early_surrender`` — policies 退保/注销 by the day (退保/注销日期 ≤ day) before the
  project's 竣工验收备案, not replaced by a new policy.

Two figures depend on facts the records keep only as they stand now, so for a past day they are what
today's records say about it, not what the station could see then: ``expiring`` (a renewal entered
later, today's policy and project status) and ``wrong_insured`` (today's 施工总承包; no history of the
parties). :data:`AS_RECORDED_NOW` names them; the monthly report shows them for its own period only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Date, and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from station_app.models import Enterprise, InsurancePolicy, Project, ProjectParty
from station_app.services.insurance.checks import (
    GC,
    InsuranceSummary,
    early_surrender_where,
    expiring_where,
    in_force_on,
    low_limit_where,
    warn_days,
    wrong_insured_where,
)
from station_app.services.insurance.gaps import gap_rows, window
from station_app.services.monthly.figures_projects import under_construction_on

#: fields whose value on a past day comes from today's records (see the module docstring)
AS_RECORDED_NOW = ("expiring", "wrong_insured")
#: the project's 施工总承包 (party and enterprise), outer-joined for ``wrong_insured``
_GC_PARTY, _GC = aliased(ProjectParty, name="gc_party"), aliased(Enterprise, name="gc")


def _n(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _policies(cond: Any) -> Any:
    """Distinct policies meeting ``cond`` (a policy of a project with two 总包 rows is still one)."""
    return func.count(func.distinct(case((cond, InsurancePolicy.id))))


def insurance_summaries(session: Session, days: Sequence[date]) -> dict[date, InsuranceSummary]:
    """The 安责险 figures on each of ``days`` (see the module docstring for what a past day means)."""
    wanted = sorted(set(days))
    if not wanted:
        return {}
    projects = session.execute(select(*(
        col for d in wanted for col in (_n(under_construction_on(d)),
                                        _n(and_(under_construction_on(d), in_force_on(literal(d, Date)))))
    )).select_from(Project)).one()
    g = gap_rows(literal(wanted[-1], Date)).subquery("g")
    gap_cols = []
    for d in wanted:
        reached = g.c.gap_from <= window(literal(d, Date))[1]  # the stretch began within the day's window
        gap_cols += [_n(reached), func.count(func.distinct(case((reached, g.c.project_id))))]
    gaps = session.execute(select(*gap_cols).select_from(g).join(Project, Project.id == g.c.project_id)).one()
    gc_party, gc = _GC_PARTY, _GC
    warn = warn_days()
    policy_cols = []
    for d in wanted:
        today = literal(d, Date)
        policy_cols += [_policies(expiring_where(today, warn)),
                        _policies(and_(low_limit_where(), InsurancePolicy.start_date <= d)),
                        _policies(wrong_insured_where(today, gc)),
                        _policies(and_(early_surrender_where(), InsurancePolicy.status_date <= d))]
    policies = session.execute(
        select(*policy_cols).select_from(InsurancePolicy).join(Project, Project.id == InsurancePolicy.project_id)
        .outerjoin(gc_party, and_(gc_party.project_id == Project.id, gc_party.role == GC))
        .outerjoin(gc, gc.id == gc_party.enterprise_id)).one()
    out: dict[date, InsuranceSummary] = {}
    for i, d in enumerate(wanted):
        active, insured = int(projects[2 * i]), int(projects[2 * i + 1])
        n_gaps, gap_projects = int(gaps[2 * i]), int(gaps[2 * i + 1])
        expiring, low, wrong, early = (int(v) for v in policies[4 * i:4 * i + 4])
        out[d] = InsuranceSummary(d, active, insured, active - insured, gap_projects, n_gaps, expiring, low, wrong,
                                  early)
    return out
