"""The 安责险 checks, each a SQL list (``ListSpec``) showing the records behind it, and a count for the home page.

* 未投保 ``uninsured``: projects 在建/停工 with no policy in force on the day;
* 断保 ``gaps``: each stretch without cover since 实际开工 (``insurance_gaps.gap_rows``);
* 即将到期 ``expiring``: valid policies of projects not yet filed (竣工验收备案) whose cover ends within N
  days with no renewal entered (N: reference constant ``insurance_expiry_warn_days``, else 30);
* 限额不足 ``low_limit``: a per-person death/disability limit below the minimum in force on the start date
  (a CASE built from the versioned reference data, so an admin's edit applies at once);
* 被保险人不符 ``wrong_insured``: a policy in force or to come whose insured is not the project's 施工总承包
  (or, where there is none, not one of its contractor parties);
* 提前退保 ``early_surrender``: 退保/注销 before the completion filing (a replaced policy is not surrendered).

``check_spec(kind, as_of)``: ``as_of`` None means "today" at each query (a bind evaluated at execution),
so a page left open overnight stays right. ``id`` of a row: the project (未投保, 断保) or the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, Select, and_, bindparam, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from station_app import clock
from station_app.models import Enterprise, Grid, InsurancePolicy, Project, ProjectParty
from station_app.models.enums import PartyRole, ProjectStatus
from station_app.services.insurance.gaps import gap_rows
from station_app.services.insurance.sql import (
    VALID,
    day_diff,
    effective_end,
    effective_end_or_open,
    minimum_fen_expr,
    minimum_rule_expr,
    shift,
)
from station_app.services.listing import Column, ListQuery, ListSpec

ACTIVE = (ProjectStatus.UNDER_CONSTRUCTION.value, ProjectStatus.SUSPENDED.value)
CLOSED = (ProjectStatus.COMPLETED.value, ProjectStatus.TERMINATED.value)
DEFAULT_WARN_DAYS = 30
GC = PartyRole.GENERAL_CONTRACTOR.value

CHECK_TITLES: dict[str, str] = {
    "uninsured": "未投保",
    "gaps": "断保",
    "expiring": "即将到期",
    "low_limit": "限额不足",
    "wrong_insured": "被保险人不符",
    "early_surrender": "提前退保",
}
#: checks whose rows are projects (the others' rows are policies)
PROJECT_CHECKS = ("uninsured", "gaps")


def warn_days() -> int:
    """Days ahead to warn of an ending policy: reference constant ``insurance_expiry_warn_days``, else 30."""
    from station_app.rules import refdata
    from station_app.rules.errors import RuleInputError

    try:
        return int(refdata.row_by_key("rule_constants", "insurance_expiry_warn_days")["value"])
    except (RuleInputError, KeyError, ValueError, TypeError):
        return DEFAULT_WARN_DAYS


def today_expr(as_of: date | None) -> Any:
    if as_of is not None:
        return literal(as_of, Date)
    return bindparam("insurance_today", callable_=clock.today, type_=Date)


def _grid(stmt: Select[Any], value: int) -> Select[Any]:
    return stmt.where(Project.grid_id.is_(None) if value == -1 else Project.grid_id == value)


def _with_gc(stmt: Select[Any], gc_party: Any, gc: Any) -> Select[Any]:
    return (stmt.outerjoin(gc_party, and_(gc_party.project_id == Project.id, gc_party.role == GC))
            .outerjoin(gc, gc.id == gc_party.enterprise_id))


def _project_filters(gc: Any) -> dict[str, Any]:
    return {"grid_id": _grid, "contractor_id": lambda s, v: s.where(gc.id == v),
            "project_id": lambda s, v: s.where(Project.id == v), "status": lambda s, v: s}


# --------------------------------------------------------------------------- project checks


def in_force_on(today: Any) -> Any:
    """SQL condition on ``Project``: a policy of it is in force on ``today`` (its term as cut short by a
    退保/注销, so a policy surrendered later still covered the day)."""
    return exists().where(InsurancePolicy.project_id == Project.id, InsurancePolicy.start_date <= today,
                          effective_end_or_open() >= today)


def _uninsured(today: Any) -> ListSpec:
    gc_party, gc = aliased(ProjectParty), aliased(Enterprise)
    in_force = in_force_on(today)
    last_end = (select(func.max(effective_end())).where(InsurancePolicy.project_id == Project.id,
                                                       InsurancePolicy.start_date <= today)
                .correlate(Project).scalar_subquery())
    last_no = (select(InsurancePolicy.policy_no).where(InsurancePolicy.project_id == Project.id)
               .order_by(InsurancePolicy.start_date.desc(), InsurancePolicy.id.desc()).limit(1)
               .correlate(Project).scalar_subquery())

    def base() -> Select[Any]:
        return _with_gc(select(Project).outerjoin(Grid, Grid.id == Project.grid_id), gc_party, gc).where(
            Project.status.in_(ACTIVE), ~in_force)

    return ListSpec(
        columns=(Column("project", "工程名称", Project.name, 240), Column("grid", "网格", Grid.name, 80),
                 Column("status", "项目状态", Project.status, 70),
                 Column("actual_start", "实际开工", Project.actual_start, 95, "date"),
                 Column("contractor", "施工总承包", gc.name, 200), Column("uscc", "统一社会信用代码", gc.uscc, 150),
                 Column("last_no", "最近保单", last_no, 150),
                 Column("last_end", "最近保单止期", last_end, 100, "date")),
        base=base, id_expr=Project.id, search_expr=Project.search_key, filters=_project_filters(gc),
        default_sort=(Project.actual_start, Project.name))


def _gaps(today: Any) -> ListSpec:
    g = gap_rows(today).subquery("g")
    gc_party, gc = aliased(ProjectParty), aliased(Enterprise)

    def base() -> Select[Any]:
        stmt = select(g).join(Project, Project.id == g.c.project_id).outerjoin(Grid, Grid.id == Project.grid_id)
        return _with_gc(stmt, gc_party, gc)

    filters = _project_filters(gc)
    filters["project_id"] = lambda s, v: s.where(g.c.project_id == v)
    return ListSpec(
        columns=(Column("project", "工程名称", Project.name, 240), Column("grid", "网格", Grid.name, 80),
                 Column("status", "项目状态", Project.status, 70),
                 Column("contractor", "施工总承包", gc.name, 200),
                 Column("gap_from", "断保起", g.c.gap_from, 95, "date"),
                 Column("gap_to", "断保止", g.c.gap_to, 95, "date"),
                 Column("days", "天数", day_diff(g.c.gap_to, g.c.gap_from) + 1, 55, "int"),
                 Column("ongoing", "现状", case((g.c.gap_to == today, "至今未续保"), else_="已续保"), 80),
                 Column("before_no", "断保前保单", g.c.before_no, 150),
                 Column("after_no", "断保后保单", g.c.after_no, 150)),
        base=base, id_expr=g.c.project_id, search_expr=Project.search_key, filters=filters,
        default_sort=(g.c.gap_from.desc(), Project.name))


# --------------------------------------------------------------------------- policy checks


def _policy_spec(where: Any, extra: tuple[Column, ...], *, gc_columns: bool = False,
                 sort: tuple[Any, ...] = ()) -> ListSpec:
    insured = aliased(Enterprise)
    gc_party, gc = aliased(ProjectParty), aliased(Enterprise)

    def base() -> Select[Any]:
        stmt = (select(InsurancePolicy).join(Project, Project.id == InsurancePolicy.project_id)
                .outerjoin(Grid, Grid.id == Project.grid_id).join(insured, insured.id == InsurancePolicy.insured_id))
        return _with_gc(stmt, gc_party, gc).where(where(insured, gc))

    cols: tuple[Column, ...] = (Column("project", "工程名称", Project.name, 220), Column("grid", "网格", Grid.name, 80),
            Column("insured", "投保单位", insured.name, 190), Column("insurer", "保险机构", InsurancePolicy.insurer, 130),
            Column("policy_no", "保单号", InsurancePolicy.policy_no, 150),
            Column("start", "起期", InsurancePolicy.start_date, 95, "date"))
    if gc_columns:
        cols += (Column("insured_uscc", "投保单位信用代码", insured.uscc, 150),
                 Column("contractor", "现施工总承包", gc.name, 190), Column("gc_uscc", "总包信用代码", gc.uscc, 150))
    return ListSpec(
        columns=cols + extra, base=base, id_expr=InsurancePolicy.id, search_expr=InsurancePolicy.search_key,
        filters={"grid_id": _grid, "contractor_id": lambda s, v: s.where(InsurancePolicy.insured_id == v),
                 "project_id": lambda s, v: s.where(InsurancePolicy.project_id == v),
                 "status": lambda s, v: s.where(InsurancePolicy.status == v)},
        default_sort=sort or (Project.name, InsurancePolicy.start_date))


# the conditions of the policy checks (on ``InsurancePolicy`` joined to its ``Project``), shared with the
# multi-day counts of insurance_history


#: a renewal of the policy in ``expiring_where`` (one alias: building its columns is not free)
_LATER = aliased(InsurancePolicy, name="later")


def expiring_where(today: Any, days: int) -> Any:
    later = _LATER
    end = effective_end()
    renewed = exists().where(later.project_id == InsurancePolicy.project_id, later.id != InsurancePolicy.id,
                             later.start_date > InsurancePolicy.start_date, shift(later.start_date, -1) <= end)
    return and_(InsurancePolicy.status == VALID, Project.status.not_in(CLOSED),
                Project.completion_filing_date.is_(None), end.is_not(None), end >= today,
                day_diff(end, today) <= days, ~renewed)


def low_limit_where() -> Any:
    minimum = minimum_fen_expr(InsurancePolicy.start_date)
    return and_(minimum.is_not(None), InsurancePolicy.death_limit_fen < minimum)


def wrong_insured_where(today: Any, gc: Any) -> Any:
    """``gc``: the project's 施工总承包 enterprise, outer-joined (NULL where there is none)."""
    contractor = exists().where(ProjectParty.project_id == Project.id,
                                ProjectParty.enterprise_id == InsurancePolicy.insured_id,
                                ProjectParty.role.in_((GC, PartyRole.SUBCONTRACTOR.value)))
    return and_(InsurancePolicy.status == VALID, Project.status.not_in(CLOSED), effective_end_or_open() >= today,
                or_(and_(gc.id.is_not(None), gc.id != InsurancePolicy.insured_id),
                    and_(gc.id.is_(None), ~contractor)))


def early_surrender_where() -> Any:
    filing = Project.completion_filing_date
    return and_(InsurancePolicy.status != VALID, InsurancePolicy.replaced_by_id.is_(None),
                or_(filing.is_(None), InsurancePolicy.status_date < filing))


def _expiring(today: Any, days: int) -> ListSpec:
    end = effective_end()
    return _policy_spec(
        lambda _i, _g: expiring_where(today, days),
        (Column("end", "止期", end, 95, "date"), Column("left", "剩余天数", day_diff(end, today), 70, "int"),
         Column("planned_finish", "计划竣工", Project.planned_finish, 95, "date")),
        sort=(end, Project.name))


def _low_limit() -> ListSpec:
    minimum = minimum_fen_expr(InsurancePolicy.start_date)
    return _policy_spec(
        lambda _i, _g: low_limit_where(),
        (Column("limit", "每人死亡伤残限额", InsurancePolicy.death_limit_fen, 110, "money"),
         Column("minimum", "最低限额", minimum, 100, "money"),
         Column("rule", "依据", minimum_rule_expr(InsurancePolicy.start_date), 150),
         Column("reason", "录入说明", InsurancePolicy.below_minimum_reason, 200),
         Column("status", "状态", InsurancePolicy.status, 60)))


def _wrong_insured(today: Any) -> ListSpec:
    return _policy_spec(lambda _i, gc: wrong_insured_where(today, gc),
                        (Column("end", "止期", effective_end(), 95, "date"),), gc_columns=True)


def _early_surrender() -> ListSpec:
    filing = Project.completion_filing_date
    return _policy_spec(
        lambda _i, _g: early_surrender_where(),
        (Column("status", "状态", InsurancePolicy.status, 60),
         Column("status_date", "退保/注销日期", InsurancePolicy.status_date, 100, "date"),
         Column("reason", "原因", InsurancePolicy.status_reason, 180),
         Column("project_status", "项目状态", Project.status, 80),
         Column("filing", "竣工验收备案", filing, 100, "date")),
        sort=(InsurancePolicy.status_date.desc(), Project.name))


def check_spec(kind: str, as_of: date | None = None, *, days: int | None = None) -> ListSpec:
    """The list of one check (a key of ``CHECK_TITLES``) on ``as_of`` (None: today at each query)."""
    today = today_expr(as_of)
    if kind == "uninsured":
        return _uninsured(today)
    if kind == "gaps":
        return _gaps(today)
    if kind == "expiring":
        return _expiring(today, warn_days() if days is None else days)
    if kind == "low_limit":
        return _low_limit()
    if kind == "wrong_insured":
        return _wrong_insured(today)
    if kind == "early_surrender":
        return _early_surrender()
    raise KeyError(kind)


def check_ids(kind: str, as_of: date | None = None) -> Select[Any]:
    """SELECT of the ids behind a check (projects or policies), for ``IN (…)`` filters elsewhere."""
    spec = check_spec(kind, as_of)
    return spec._where(spec.base().with_only_columns(spec.id_expr), ListQuery()).correlate(None)


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class InsuranceSummary:
    """安责险 figures on one day, for the home page and the monthly report."""

    as_of: date
    active_projects: int  #: 在建/停工
    insured: int  #: active projects with a policy in force
    uninsured: int  #: active projects without
    gap_projects: int  #: projects with at least one gap since construction start
    gaps: int  #: gaps found
    expiring: int
    low_limit: int
    wrong_insured: int
    early_surrender: int

    def counts(self) -> dict[str, int]:
        """Check key → count (the keys of ``CHECK_TITLES``)."""
        return {"uninsured": self.uninsured, "gaps": self.gaps, "expiring": self.expiring,
                "low_limit": self.low_limit, "wrong_insured": self.wrong_insured,
                "early_surrender": self.early_surrender}


def check_counts(session: Session, as_of: date | None = None) -> dict[str, int]:
    q = ListQuery()
    return {kind: check_spec(kind, as_of).count(session, q) for kind in CHECK_TITLES}


def insurance_summary(session: Session, as_of: date | None = None) -> InsuranceSummary:
    """Counts for the monthly report and the home page, on ``as_of`` (default today).

    ``active_projects`` / ``insured`` / ``uninsured``: projects 在建 or 停工, with and without a policy in
    force on the day; ``gaps``: every stretch without cover since construction start up to the day (and
    ``gap_projects``: how many projects have one); then the policy checks (see the module docstring).
    Today's records judged on the day (what the lists show); the monthly report's figures on past days
    come from ``insurance_history.insurance_summaries`` (same fields, reconstructed from dates).
    """
    day = as_of or clock.today()
    q = ListQuery()
    counts = {kind: check_spec(kind, day).count(session, q) for kind in CHECK_TITLES if kind != "gaps"}
    active = session.scalar(select(func.count(Project.id)).where(Project.status.in_(ACTIVE))) or 0
    g = gap_rows(literal(day, Date)).subquery()
    gaps, gap_projects = session.execute(select(func.count(), func.count(func.distinct(g.c.project_id)))).one()
    return InsuranceSummary(day, active, active - counts["uninsured"], counts["uninsured"], gap_projects or 0,
                            gaps or 0, counts["expiring"], counts["low_limit"], counts["wrong_insured"],
                            counts["early_surrender"])
