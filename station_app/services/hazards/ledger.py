"""The 隐患台账 list: columns, search and filters in SQL (250,000 rows: first screen and any sort or
filter within 300 ms, on indexed columns of ``hazards`` — the joins are LEFT JOINs on primary keys,
which SQLite drops from a count that does not use them).

Filters (``ListQuery.filters``; the 动态清零 dashboard builds these dicts, keep the names):

* ``state`` — a state label or a tuple of them; ``open`` — True: any open state;
* ``level`` — 一般 / 重大; ``overdue`` — True: open and deadline before today;
* ``grid`` (-1 = none), ``supervisor``, ``project``, ``contractor`` — ids (snapshots at discovery);
* ``category``, ``criterion`` (code), ``source``;
* ``listed`` — True: under 挂牌督办 now; or a level (县级 / 市级);
* ``found_from`` / ``found_to``, ``closed_from`` / ``closed_to`` — dates, inclusive;
* ``stock_2023`` — True: found on or before 2023-12-31 (the campaign's 存量);
* ``ids`` — a tuple of hazard ids (bulk export of a selection);
* ``as_of`` — the date 逾期 is judged on (default today), for the overdue filter and 逾期天数.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, Date, Integer, Select, and_, bindparam, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from station_app import clock
from station_app.models import Enterprise, Grid, Hazard, Project, User
from station_app.models.hazard import OPEN_STATES, ListingLevel
from station_app.rules.hazards import stock_cutoff
from station_app.services.deadlines import mark_column
from station_app.services.listing import Column, ListQuery, ListSpec

OPEN_VALUES = tuple(s.value for s in OPEN_STATES)

#: "today" for 逾期, evaluated when the statement runs; the ``as_of`` filter overrides it
TODAY: BindParameter[date] = bindparam("hazard_today", type_=Date, callable_=clock.today)


class days_between(FunctionElement[int]):
    """Whole days from the second date to the first, on SQLite and PostgreSQL."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (f"CAST(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)})"
            " AS INTEGER)")


@compiles(days_between)
def _days_default(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"(CAST({compiler.process(later, **kw)} AS DATE) - {compiler.process(earlier, **kw)})"


def is_overdue(today: Any = TODAY) -> ColumnElement[bool]:
    return and_(Hazard.state.in_(OPEN_VALUES), Hazard.deadline < today)


OVERDUE_DAYS = case((is_overdue(), days_between(TODAY, Hazard.deadline)), else_=None)

Supervisor = aliased(User, name="hazard_supervisor")
Contractor = aliased(Enterprise, name="hazard_contractor")
Responsible = aliased(Enterprise, name="hazard_responsible")


def _base() -> Select[Any]:
    return (
        select(Hazard)
        .outerjoin(Project, Project.id == Hazard.project_id)
        .outerjoin(Grid, Grid.id == Hazard.grid_id)
        .outerjoin(Supervisor, Supervisor.id == Hazard.supervisor_id)
        .outerjoin(Contractor, Contractor.id == Hazard.contractor_id)
        .outerjoin(Responsible, Responsible.id == Hazard.responsible_enterprise_id)
    )


def _values(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _state(stmt: Select[Any], value: str | Sequence[str]) -> Select[Any]:
    values = _values(value)
    return stmt.where(Hazard.state == values[0]) if len(values) == 1 else stmt.where(Hazard.state.in_(values))


def _nullable_id(column: Any) -> Any:
    def apply(stmt: Select[Any], value: int) -> Select[Any]:
        return stmt.where(column.is_(None) if value == -1 else column == value)

    return apply


def _listed(stmt: Select[Any], value: bool | str) -> Select[Any]:
    if value is True:  # IN (…) rather than != '': the index on listing_level serves it
        return stmt.where(Hazard.listing_level.in_([x.value for x in ListingLevel]))
    return stmt.where(Hazard.listing_level == value)


def _as_of(stmt: Select[Any], value: date) -> Select[Any]:
    return stmt.params(hazard_today=value)


HAZARD_FILTERS = {
    "state": _state,
    "open": lambda s, v: s.where(Hazard.state.in_(OPEN_VALUES)) if v else s,
    "level": lambda s, v: s.where(Hazard.level == v),
    "overdue": lambda s, v: s.where(is_overdue()) if v else s,
    "grid": _nullable_id(Hazard.grid_id),
    "supervisor": _nullable_id(Hazard.supervisor_id),
    "project": lambda s, v: s.where(Hazard.project_id == v),
    "contractor": _nullable_id(Hazard.contractor_id),
    "category": lambda s, v: s.where(Hazard.category == v),
    "criterion": lambda s, v: s.where(Hazard.criterion_code == v),
    "source": lambda s, v: s.where(Hazard.source == v),
    "listed": _listed,
    "found_from": lambda s, v: s.where(Hazard.found_on >= v),
    "found_to": lambda s, v: s.where(Hazard.found_on <= v),
    "closed_from": lambda s, v: s.where(Hazard.closed_on >= v),
    "closed_to": lambda s, v: s.where(Hazard.closed_on <= v),
    "stock_2023": lambda s, v: s.where(Hazard.found_on <= stock_cutoff()) if v else s,
    "ids": lambda s, v: s.where(Hazard.id.in_(list(v))),
    "as_of": _as_of,
}

#: sort keys whose column is never NULL (their ORDER BY can walk an index)
_NOT_NULL = frozenset({"code", "project", "found_on", "source", "category", "description", "level", "deadline",
                       "state", "listing"})
#: the join a sort key needs in the narrow id query
_SORT_JOINS: dict[str, tuple[Any, Any]] = {
    "project": (Project, Project.id == Hazard.project_id),
    "grid": (Grid, Grid.id == Hazard.grid_id),
    "supervisor": (Supervisor, Supervisor.id == Hazard.supervisor_id),
    "contractor": (Contractor, Contractor.id == Hazard.contractor_id),
    "responsible": (Responsible, Responsible.id == Hazard.responsible_enterprise_id),
}


@dataclass(frozen=True)
class HazardListSpec(ListSpec):
    """The ledger's ListSpec, shaped for 250,000 rows: the count reads ``hazards`` alone (every filter is
    on its columns), and a page first picks its 200 ids from a narrow query (only the join the sort
    needs; no ``IS NULL`` term on NOT NULL columns, so an index can serve the ORDER BY), then fetches
    the wide rows of just those ids."""

    def count_statement(self, q: ListQuery) -> Select[Any]:
        return self._where(select(func.count()).select_from(Hazard), q)

    def _order(self, q: ListQuery) -> list[Any]:
        if not q.sort_key:
            return [*self.default_sort, Hazard.id]
        expr = self.column(q.sort_key).expr
        order = expr.desc() if q.descending else expr.asc()
        head = [] if q.sort_key in _NOT_NULL else [expr.is_(None)]
        return [*head, order, Hazard.id.desc() if q.descending else Hazard.id]

    def _today(self, stmt: Select[Any], q: ListQuery) -> Select[Any]:
        as_of = q.filters.get("as_of")
        return stmt.params(hazard_today=as_of) if as_of else stmt

    def page_statement(self, q: ListQuery) -> Select[Any]:
        inner = select(Hazard.id)
        if q.sort_key in _SORT_JOINS:
            inner = inner.outerjoin(*_SORT_JOINS[q.sort_key])
        inner = self._where(inner, q).order_by(*self._order(q)).offset(q.offset).limit(q.limit)
        ids = inner.subquery("page_ids")
        outer = (self.base().with_only_columns(self.id_expr, *(c.expr for c in self.columns))
                 .join(ids, ids.c.id == Hazard.id).order_by(*self._order(q)))
        return self._today(outer, q)

    def stream_statement(self, q: ListQuery) -> Select[Any]:
        """Every matching row in the view's order, for an export (streamed, not paged)."""
        stmt = self._where(self.base().with_only_columns(self.id_expr, *(c.expr for c in self.columns)), q)
        return stmt.order_by(*self._order(q))


HAZARD_LIST = HazardListSpec(
    columns=(
        Column("code", "编号", Hazard.code, 110),
        Column("project", "项目", Project.name, 220),
        Column("found_on", "发现日期", Hazard.found_on, 112, "date"),
        Column("source", "来源", Hazard.source, 70),
        Column("category", "类别", Hazard.category, 100),
        Column("description", "隐患描述", Hazard.description, 280),
        Column("level", "等级", Hazard.level, 50),
        Column("criterion", "判定依据", Hazard.criterion_code, 90),
        Column("responsible", "责任单位", Responsible.name, 200),
        Column("deadline", "整改期限", Hazard.deadline, 112, "date"),
        mark_column(Hazard.deadline_provisional, "deadline"),
        Column("state", "状态", Hazard.state, 80),
        Column("overdue_days", "逾期天数", OVERDUE_DAYS, 70, "int"),
        Column("grid", "网格", Grid.name, 90),
        Column("supervisor", "监督员", Supervisor.full_name, 70),
        Column("contractor", "施工总包", Contractor.name, 200),
        Column("listing", "挂牌", Hazard.listing_level, 50),
    ),
    base=_base,
    id_expr=Hazard.id,
    search_expr=Hazard.search_key,
    filters=HAZARD_FILTERS,
    default_sort=(Hazard.found_on.desc(), Hazard.id.desc()),
)

#: states a ledger filter combo offers, in loop order
STATE_CHOICES: tuple[str, ...] = tuple(s for s in (*OPEN_VALUES, "已销号", "已撤销"))
