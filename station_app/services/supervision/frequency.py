"""Required supervision frequency (监督检查频次) of a project: its plan, the default, and the raises.

The default and the raises come from the ``supervision_frequency`` reference data through
``rules.supervision.required_visits_per_month`` (建质〔2014〕154号 第五条: more checks for 超规模危大
work under way, an accident on the project or by its contractor in the last 12 months, open major
hazards, many open ordinary hazards). A project's plan (``supervision_plans.interval_days``) replaces
the default; the raises still tighten it.

The raise inputs belong to later issues (危大工程, 事故, 隐患). They reach this module through
:class:`SupervisionFacts`; :func:`collect_facts` is the one place that gathers them for many projects
at once, one GROUP BY query per kind of fact — today the open hazards of the hazard ledger.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.errors import NotFound, StaleRecord
from station_app.models import Project, SupervisionPlan
from station_app.models.enums import ProjectStatus
from station_app.rules.supervision import required_visits_per_month
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.supervision.common import IN_SUPERVISION_VALUES
from station_app.services.validation import Checker, clean

#: the mean Gregorian month (365.2425 / 12 days): converts "N visits a month" into an interval
DAYS_PER_MONTH = Decimal("365.2425") / 12

#: the longest plan interval a clerk may set (one year)
MAX_PLAN_INTERVAL_DAYS = 366


@dataclass(frozen=True)
class SupervisionFacts:
    """What raises a project's frequency. Later issues fill it; all defaults = nothing raises."""

    super_scale_dangerous_active: bool = False
    #: the last 生产安全事故 on the project, and by its 施工总承包 on any project
    last_accident_on: date | None = None
    contractor_last_accident_on: date | None = None
    open_major_hazards: int = 0
    open_ordinary_hazards: int = 0


NO_FACTS = SupervisionFacts()


@dataclass(frozen=True)
class FrequencySubject:
    """The project as the frequency rule sees it."""

    status: str
    plan_interval_days: int | None = None


@dataclass(frozen=True)
class RequiredFrequency:
    #: at most this many days between two inspections; None = no scheduled inspection
    interval_days: int | None
    #: from the reference data for the project's status, before plan and raises
    default_interval_days: int | None
    plan_interval_days: int | None
    raised: bool
    #: why: the default or plan, then each raise rule that applies (Chinese labels)
    reasons: tuple[str, ...]


def interval_for_visits(visits_per_month: int) -> int | None:
    """1 a month → 30 days, 2 → 15, 4 → 7; 0 → None (no scheduled visit)."""
    if visits_per_month <= 0:
        return None
    return max(1, math.floor(DAYS_PER_MONTH / visits_per_month))


def _latest(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return max(known) if known else None


def required_frequency(project: FrequencySubject, facts: SupervisionFacts = NO_FACTS,
                       on: date | None = None) -> RequiredFrequency:
    """The interval a project must be inspected within on ``on`` (today by default)."""
    on = on or clock.today()
    if project.status not in IN_SUPERVISION_VALUES:
        return RequiredFrequency(None, None, project.plan_interval_days, False, ())
    under_construction = project.status == ProjectStatus.UNDER_CONSTRUCTION
    base = required_visits_per_month(under_construction=under_construction, today=on)
    full = required_visits_per_month(
        under_construction=under_construction,
        super_scale_dangerous_active=facts.super_scale_dangerous_active,
        last_accident_on=_latest(facts.last_accident_on, facts.contractor_last_accident_on),
        open_major_hazards=facts.open_major_hazards,
        open_ordinary_hazards=facts.open_ordinary_hazards,
        today=on,
    )
    default = interval_for_visits(base.visits_per_month)
    if project.plan_interval_days is not None:
        interval: int | None = project.plan_interval_days
        reasons: list[str] = [f"监督计划：每{project.plan_interval_days}天至少检查一次"]
    else:
        interval = default
        reasons = [f"默认（{label}每月{base.visits_per_month}次）" for label in base.reasons]
    raised = False
    if full.visits_per_month > base.visits_per_month:
        raised_interval = interval_for_visits(full.visits_per_month)
        if raised_interval is not None and (interval is None or raised_interval < interval):
            interval, raised = raised_interval, True
        reasons.extend(f"加密：{label}" for label in full.reasons if label not in base.reasons)
    return RequiredFrequency(interval, default, project.plan_interval_days, raised, tuple(reasons))


def required_interval_days(project: FrequencySubject, facts: SupervisionFacts = NO_FACTS,
                           on: date | None = None) -> int | None:
    """Days allowed between two inspections; None when the project needs no scheduled inspection."""
    return required_frequency(project, facts, on).interval_days


def collect_facts(session: Session, project_ids: Collection[int] | None, on: date) -> dict[int, SupervisionFacts]:
    """The raise facts of many projects (``None`` = every project in supervision), by project id.

    Projects missing from the result have no facts (:data:`NO_FACTS`). One aggregate query per kind
    of fact: open hazards by level (the hazard ledger, GROUP BY project_id, level); later issues add
    the last accident by project and by 施工总承包 and 超规模危大 works under way, merged likewise.
    """
    del on  # open hazards are counted as they stand now
    from station_app.models import Hazard
    from station_app.models.hazard import OPEN_STATES, HazardLevel

    stmt = (select(Hazard.project_id, Hazard.level, func.count(Hazard.id))
            .where(Hazard.state.in_([st.value for st in OPEN_STATES])).group_by(Hazard.project_id, Hazard.level))
    if project_ids is not None:
        ids = list(project_ids)
        if not ids:
            return {}
        stmt = stmt.where(Hazard.project_id.in_(ids))
    counts: dict[int, dict[str, int]] = {}
    for pid, level, n in session.execute(stmt):
        counts.setdefault(int(pid), {})[level] = int(n)
    return {pid: SupervisionFacts(open_major_hazards=c.get(HazardLevel.MAJOR.value, 0),
                                  open_ordinary_hazards=c.get(HazardLevel.ORDINARY.value, 0))
            for pid, c in counts.items()}


# --------------------------------------------------------------------------- the per-project plan


@dataclass(frozen=True)
class ProjectFrequency:
    project_id: int
    project_name: str
    status: str
    plan_interval_days: int | None
    plan_note: str
    plan_version: int | None
    required: RequiredFrequency


def get_frequency(session: Session, project_id: int, on: date | None = None) -> ProjectFrequency:
    p = session.get(Project, project_id)
    if p is None:
        raise NotFound("项目不存在。")
    plan = session.get(SupervisionPlan, project_id)
    facts = collect_facts(session, [project_id], on or clock.today()).get(project_id, NO_FACTS)
    interval = plan.interval_days if plan else None
    return ProjectFrequency(p.id, p.name, p.status, interval, plan.note if plan else "",
                            plan.version if plan else None,
                            required_frequency(FrequencySubject(p.status, interval), facts, on))


def plan_intervals(session: Session) -> dict[int, int]:
    """project id → planned interval, for the projects with a plan of their own."""
    stmt = select(SupervisionPlan.project_id, SupervisionPlan.interval_days).where(
        SupervisionPlan.interval_days.is_not(None))
    return {pid: int(days) for pid, days in session.execute(stmt) if days is not None}


def set_plan_interval(session: Session, actor: Actor, project_id: int, interval_days: int | None,
                      note: str = "", expected_version: int | None = None) -> ProjectFrequency:
    """Set (or with None clear) a project's planned interval; the raise rules still apply on top."""
    require(actor, "supervision.plan")
    p = session.get(Project, project_id)
    if p is None:
        raise NotFound("项目不存在。")
    c = Checker()
    if interval_days is not None:
        if isinstance(interval_days, bool) or not isinstance(interval_days, int):
            c.add("检查间隔（天）", "应为整数")
        elif not 1 <= interval_days <= MAX_PLAN_INTERVAL_DAYS:
            c.add("检查间隔（天）", f"应在1到{MAX_PLAN_INTERVAL_DAYS}之间")
    note = clean(note)
    c.max_len("计划说明", note, 500)
    c.check()
    plan = session.get(SupervisionPlan, project_id)
    if expected_version is not None and (plan is None or plan.version != expected_version):
        raise StaleRecord(f"项目“{p.name}”的监督计划")
    before = {"interval_days": plan.interval_days if plan else None, "note": plan.note if plan else ""}
    if plan is None:
        plan = SupervisionPlan(project_id=project_id, interval_days=interval_days, note=note,
                               updated_by=actor.user_id)
        session.add(plan)
    else:
        plan.interval_days, plan.note, plan.updated_by = interval_days, note, actor.user_id
    session.flush()
    after = {"interval_days": interval_days, "note": note}
    if before != after:
        text = "默认" if interval_days is None else f"每{interval_days}天"
        audit.record(session, actor, "update", "supervision_plan", project_id, before=before, after=after,
                     summary=f"项目“{p.name}”监督检查频次改为{text}")
    return get_frequency(session, project_id)


__all__ = [
    "DAYS_PER_MONTH",
    "NO_FACTS",
    "FrequencySubject",
    "ProjectFrequency",
    "RequiredFrequency",
    "SupervisionFacts",
    "collect_facts",
    "get_frequency",
    "interval_for_visits",
    "plan_intervals",
    "required_frequency",
    "required_interval_days",
    "set_plan_interval",
]
