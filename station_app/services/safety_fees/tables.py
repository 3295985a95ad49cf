"""安全生产费用 lists over SQL: the station overview by project, flagged usage entries, a project's ledger.

Everything a list shows or filters on is a SQL expression, so count, sort and page stay in the database
on SQLite and PostgreSQL alike. The figures depend on "today" (``as_of``), so the specs are built by
factories for one day and one version of the reference data (cached).

* 开工日期 of the 50 % check: ``safety_fee_bases.start_date`` when entered, else the project's
  实际开工日期, else its 施工许可日期 unless it is still 未开工 (the permit is the earliest lawful start, so
  without an actual start the check runs from it — the strictest date the station has on file).
* 支付期限: that date + ``safety_fee_first_payment_months`` months, as :func:`rules.calendar.add_months`
  counts them (the SQL below mirrors it on both backends).
* 形象进度: the project's entered 形象进度（%） when there is one; else 100 once it has an 实际竣工日期;
  else the elapsed share of start → 计划竣工日期 (linear); else unknown (no 使用偏低 check).
* 使用偏低: progress ≥ 10 % and used (entries not 不予认可) < required × progress × the warning ratio.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, Integer, Select, and_, case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

from station_app.models import (
    Enterprise,
    Grid,
    Project,
    ProjectParty,
    SafetyFeeBasis,
    SafetyFeePayment,
    SafetyFeeSubcontract,
    SafetyFeeUsage,
)
from station_app.models.enums import IN_SUPERVISION, PartyRole, ProjectStatus
from station_app.models.safety_fee import ReviewState
from station_app.rules import refdata
from station_app.rules import safety_fee_usage as fee_rules
from station_app.services.listing import Column, ListSpec

#: problem filters of the overview (``filters["problem"]``) and their labels
PROBLEMS: dict[str, str] = {
    "late": "首期支付不足（建设单位）",
    "sub_late": "首期支付不足（分包）",
    "underuse": "使用偏低",
    "flagged": "有待复核支出",
    "no_basis": "未登记费用基数",
}


class add_months(FunctionElement[date]):
    """``expr`` + n months, the month's last day when there is no corresponding day."""

    type = Date()
    name = "add_months"
    # cacheable: ``months`` is part of the cache key (it is written into the SQL, not bound)
    inherit_cache = True
    _traverse_internals = [*FunctionElement._traverse_internals, ("months", InternalTraversal.dp_plain_obj)]  # noqa: RUF012

    def __init__(self, expr: Any, months: int) -> None:
        super().__init__(expr)
        self.months = int(months)


@compiles(add_months, "sqlite")
def _add_months_sqlite(element: add_months, compiler: SQLCompiler, **kw: Any) -> str:
    arg = compiler.process(next(iter(element.clauses)), **kw)
    n = element.months
    return (f"min(date({arg}, '+{n} months'), "
            f"date({arg}, 'start of month', '+{n + 1} months', '-1 day'))")


@compiles(add_months)
def _add_months_default(element: add_months, compiler: SQLCompiler, **kw: Any) -> str:
    arg = compiler.process(next(iter(element.clauses)), **kw)
    return f"CAST(({arg}) + INTERVAL '{element.months} month' AS DATE)"


class day_number(FunctionElement[int]):
    """A day count (differences of two are days between)."""

    type = Integer()
    inherit_cache = True
    name = "day_number"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(day_number)
def _day_number_default(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(({compiler.process(element.clauses, **kw)}) - DATE '2000-01-01')"


# --------------------------------------------------------------------------- shared expressions

GcParty = aliased(ProjectParty, name="gc_party")
GcEnterprise = aliased(Enterprise, name="gc_enterprise")


def start_expr() -> Any:
    # a project still 未开工 has not started: its permit date is not a start
    permit = case((Project.status != ProjectStatus.NOT_STARTED.value, Project.permit_date), else_=None)
    return func.coalesce(SafetyFeeBasis.start_date, Project.actual_start, permit)


def owner_paid(until: Any | None = None) -> Any:
    """Sum paid by the 建设单位 to the 总包 (up to ``until`` inclusive when given)."""
    conds = [SafetyFeePayment.project_id == Project.id, SafetyFeePayment.subcontract_id.is_(None)]
    if until is not None:
        conds.append(SafetyFeePayment.paid_on <= until)
    # the deadline reads the basis' start date: correlate both, or the basis would join in as a cross product
    return (select(func.coalesce(func.sum(SafetyFeePayment.amount_fen), 0)).where(*conds)
            .correlate(Project, SafetyFeeBasis).scalar_subquery())


def _counted_usage() -> Any:
    """Usage entries that count as used: all but those 不予认可."""
    return SafetyFeeUsage.review_state != ReviewState.REJECTED.value


def used_total() -> Any:
    return (select(func.coalesce(func.sum(SafetyFeeUsage.amount_fen), 0))
            .where(SafetyFeeUsage.project_id == Project.id, _counted_usage())
            .correlate(Project).scalar_subquery())


def used_by_project() -> Any:
    """SELECT project_id, used: :func:`used_total` of every project at once (a subquery to join)."""
    return (select(SafetyFeeUsage.project_id.label("project_id"), func.sum(SafetyFeeUsage.amount_fen).label("used"))
            .where(_counted_usage()).group_by(SafetyFeeUsage.project_id).subquery("used"))


def pending_reviews() -> Any:
    return (select(func.count(SafetyFeeUsage.id))
            .where(SafetyFeeUsage.review_state == ReviewState.PENDING.value,
                   SafetyFeeUsage.project_id == Project.id)
            .correlate(Project).scalar_subquery())


def late_subcontracts(as_of: date, months: int, *, registered_before: datetime | None = None) -> Any:
    """How many of the project's 专业分包 were not paid their first share by the deadline (passed by
    ``as_of``); only those registered before ``registered_before`` when given."""
    sub_due = add_months(SafetyFeeSubcontract.start_date, months)
    paid = (select(func.coalesce(func.sum(SafetyFeePayment.amount_fen), 0))
            .where(SafetyFeePayment.subcontract_id == SafetyFeeSubcontract.id, SafetyFeePayment.paid_on <= sub_due)
            .correlate(SafetyFeeSubcontract).scalar_subquery())
    conds = [SafetyFeeSubcontract.project_id == Project.id, sub_due < as_of, paid < SafetyFeeSubcontract.first_due_fen]
    if registered_before is not None:
        conds.append(SafetyFeeSubcontract.created_at < registered_before)
    return select(func.count(SafetyFeeSubcontract.id)).where(*conds).correlate(Project).scalar_subquery()


def progress_expr(as_of: date) -> Any:
    start = func.coalesce(Project.actual_start, Project.permit_date, Project.planned_start)
    span = day_number(Project.planned_finish) - day_number(start)
    elapsed = day_number(literal(as_of, Date)) - day_number(start)
    derived = case(
        (Project.actual_finish.is_not(None), 100),
        (or_(start.is_(None), Project.planned_finish.is_(None), span <= 0), None),
        (elapsed <= 0, 0),
        (elapsed >= span, 100),
        else_=(elapsed * 100) / span,
    )
    return func.coalesce(Project.progress_percent, derived)


class DayFigures:
    """The expressions of the overview for one day (also counted per day by ``safety_fee_history``).

    ``used``: the project's usage total, by default a correlated subquery; a query over several days
    passes a column it sums once per project instead."""

    def __init__(self, as_of: date, *, used: Any | None = None) -> None:
        months = fee_rules.first_payment_months()
        ratio_pct = int((fee_rules.underuse_ratio() * 100).to_integral_value())
        self.start = start_expr()
        self.due = add_months(self.start, months)
        self.paid_by_due = owner_paid(self.due)
        self.paid = owner_paid()
        self.used = used_total() if used is None else used
        self.pending = pending_reviews()
        self.sub_late = late_subcontracts(as_of, months)
        self.progress = progress_expr(as_of)
        self.late = and_(SafetyFeeBasis.id.is_not(None), self.start.is_not(None), self.due < as_of,
                         self.paid_by_due < SafetyFeeBasis.first_due_fen)
        self.underuse = and_(SafetyFeeBasis.id.is_not(None), self.progress >= 10,
                             self.used * 10000 < SafetyFeeBasis.required_fen * self.progress * ratio_pct)
        self.problem = case(
            (SafetyFeeBasis.id.is_(None), PROBLEMS["no_basis"]),
            (self.late, PROBLEMS["late"]),
            (self.sub_late > 0, PROBLEMS["sub_late"]),
            (self.underuse, PROBLEMS["underuse"]),
            (self.pending > 0, PROBLEMS["flagged"]),
            else_="",
        )


def _overview_base() -> Select[Any]:
    return (select(Project)
            .outerjoin(SafetyFeeBasis, SafetyFeeBasis.project_id == Project.id)
            .outerjoin(Grid, Grid.id == Project.grid_id)
            .outerjoin(GcParty, and_(GcParty.project_id == Project.id,
                                     GcParty.role == PartyRole.GENERAL_CONTRACTOR.value))
            .outerjoin(GcEnterprise, GcEnterprise.id == GcParty.enterprise_id)
            .where(or_(Project.status.in_([s.value for s in IN_SUPERVISION]), SafetyFeeBasis.id.is_not(None))))


def _grid(stmt: Select[Any], value: int) -> Select[Any]:
    return stmt.where(Project.grid_id.is_(None) if value == -1 else Project.grid_id == value)


def _status(stmt: Select[Any], value: str | tuple[str, ...] | list[str]) -> Select[Any]:
    return stmt.where(Project.status == value if isinstance(value, str) else Project.status.in_(list(value)))


def _contractor(stmt: Select[Any], value: int) -> Select[Any]:
    return stmt.where(GcParty.enterprise_id == value)


@lru_cache(maxsize=4)
def _overview(as_of: date, ref_version: int) -> ListSpec:
    f = DayFigures(as_of)
    problems = {"late": f.late, "sub_late": f.sub_late > 0, "underuse": f.underuse, "flagged": f.pending > 0,
                "no_basis": SafetyFeeBasis.id.is_(None)}
    return ListSpec(
        columns=(
            Column("project", "工程名称", Project.name, 240),
            Column("grid", "网格", Grid.name, 90),
            Column("contractor", "施工总承包", GcEnterprise.name, 200),
            Column("status", "项目状态", Project.status, 70),
            Column("problem", "问题", f.problem, 180),
            Column("required", "应列费用（元）", SafetyFeeBasis.required_fen, 110, "money"),
            Column("start", "开工日期", f.start, 90, "date"),
            Column("due", "首期支付期限", f.due, 100, "date"),
            Column("first_due", "首期应付（元）", SafetyFeeBasis.first_due_fen, 110, "money"),
            Column("paid_by_due", "期限内已付（元）", f.paid_by_due, 120, "money"),
            Column("paid", "累计支付（元）", f.paid, 110, "money"),
            Column("used", "累计使用（元）", f.used, 110, "money"),
            Column("progress", "形象进度", f.progress, 70, "percent"),
            Column("sub_late", "分包付款不足", f.sub_late, 90, "int"),
            Column("pending", "待复核支出", f.pending, 80, "int"),
        ),
        base=_overview_base,
        id_expr=Project.id,
        search_expr=Project.search_key,
        filters={
            "grid_id": _grid,
            "status": _status,
            "contractor_id": _contractor,
            "problem": lambda s, v: s.where(problems[v]),
        },
        default_sort=(Project.name,),
    )


def overview_list(as_of: date) -> ListSpec:
    """Projects in supervision (or with a fee basis) and their fee figures on ``as_of``."""
    return _overview(as_of, refdata.version())


def category_label_expr() -> Any:
    labels = {c.key: c.name for c in fee_rules.usage_categories()}
    return case(labels, value=SafetyFeeUsage.category, else_=SafetyFeeUsage.category) if labels \
        else SafetyFeeUsage.category


def _usage_base() -> Select[Any]:
    return (select(SafetyFeeUsage)
            .join(Project, Project.id == SafetyFeeUsage.project_id)
            .outerjoin(Grid, Grid.id == Project.grid_id)
            .outerjoin(GcParty, and_(GcParty.project_id == Project.id,
                                     GcParty.role == PartyRole.GENERAL_CONTRACTOR.value))
            .outerjoin(GcEnterprise, GcEnterprise.id == GcParty.enterprise_id))


def _review(stmt: Select[Any], value: str) -> Select[Any]:
    if value == "flagged":
        return stmt.where(SafetyFeeUsage.flagged.is_(True))
    return stmt.where(SafetyFeeUsage.review_state == value)


def _date_from(stmt: Select[Any], value: date) -> Select[Any]:
    return stmt.where(SafetyFeeUsage.used_on >= value)


def _date_to(stmt: Select[Any], value: date) -> Select[Any]:
    return stmt.where(SafetyFeeUsage.used_on <= value)


#: key of the ledger's row-version column (what the row was when loaded: a delete passes it back)
VERSION_COLUMN = "version"


@lru_cache(maxsize=4)
def _usages(ref_version: int, with_project: bool) -> ListSpec:
    project_cols = (Column("project", "工程名称", Project.name, 220),
                    Column("contractor", "施工总承包", GcEnterprise.name, 180)) if with_project else ()
    # the project ledger edits and deletes rows: it carries each row's version (a hidden column of the page)
    version_col = () if with_project else (Column(VERSION_COLUMN, "版本", SafetyFeeUsage.version, 50, "int"),)
    return ListSpec(
        columns=(
            Column("used_on", "日期", SafetyFeeUsage.used_on, 90, "date"),
            *project_cols,
            Column("category", "使用范围", category_label_expr(), 200),
            Column("amount", "金额（元）", SafetyFeeUsage.amount_fen, 100, "money"),
            Column("voucher", "凭证号", SafetyFeeUsage.voucher_no, 90),
            Column("description", "摘要", SafetyFeeUsage.description, 240),
            Column("review", "复核", SafetyFeeUsage.review_state, 70),
            Column("flag_reason", "标记原因", SafetyFeeUsage.flag_reason, 240),
            Column("review_comment", "复核意见", SafetyFeeUsage.review_comment, 160),
            Column("file", "附件", SafetyFeeUsage.file_name, 100),
            *version_col,
        ),
        base=_usage_base,
        id_expr=SafetyFeeUsage.id,
        search_expr=(Project.search_key + "|" + func.lower(SafetyFeeUsage.description) + "|"
                     + func.lower(SafetyFeeUsage.voucher_no)) if with_project
        else func.lower(SafetyFeeUsage.description + "|" + SafetyFeeUsage.voucher_no),
        filters={
            "project_id": lambda s, v: s.where(SafetyFeeUsage.project_id == v),
            "category": lambda s, v: s.where(SafetyFeeUsage.category == v),
            "review": _review,
            "grid_id": _grid,
            "status": _status,
            "contractor_id": _contractor,
            "date_from": _date_from,
            "date_to": _date_to,
        },
        default_sort=(SafetyFeeUsage.used_on.desc(),),
    )


def usage_list() -> ListSpec:
    """One project's 分类使用台账 (filter ``project_id``): date, category, amount, voucher, review, and the
    row's version (``VERSION_COLUMN``, for optimistic locking; the page hides it)."""
    return _usages(refdata.version(), False)


def flagged_list() -> ListSpec:
    """Usage entries station-wide with their project; the page filters ``review`` (flagged / 待复核 …)."""
    return _usages(refdata.version(), True)
