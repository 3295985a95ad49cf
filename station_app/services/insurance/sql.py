"""SQL building blocks of the 安责险 lists and checks: date arithmetic on both backends, a policy's
effective end, and the statutory minimum per person as a CASE over the versioned reference data.

``day_shift(d, n)`` and ``day_diff(a, b)`` compile to ``date(d, '+n day')`` / ``julianday`` on SQLite and
to ``d + n`` / ``a - b`` on PostgreSQL, so the checks stay one statement on either database.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, and_, case, literal, or_, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from station_app.models import InsurancePolicy, Project
from station_app.rules.errors import RuleInputError
from station_app.rules.insurance import insurance_minimum

#: policy states
VALID, SURRENDERED, CANCELLED = "有效", "退保", "注销"
STATUSES = (VALID, SURRENDERED, CANCELLED)
#: an open end (至竣工验收备案 before the filing date is entered) compares as this day
OPEN_END = date(9999, 12, 31)


class day_shift(FunctionElement[date]):
    """``d`` moved by ``n`` days (n an int)."""

    type = Date()
    inherit_cache = True


@compiles(day_shift, "sqlite")
def _shift_sqlite(element: day_shift, compiler: Any, **kw: Any) -> str:
    d, n = list(element.clauses)
    return f"date({compiler.process(d, **kw)}, {compiler.process(n, **kw)} || ' days')"


@compiles(day_shift, "postgresql")
def _shift_pg(element: day_shift, compiler: Any, **kw: Any) -> str:
    d, n = list(element.clauses)
    return f"(CAST({compiler.process(d, **kw)} AS DATE) + CAST({compiler.process(n, **kw)} AS INTEGER))"


class day_diff(FunctionElement[int]):
    """Days from ``b`` to ``a`` (a − b)."""

    type = Integer()
    inherit_cache = True


@compiles(day_diff, "sqlite")
def _diff_sqlite(element: day_diff, compiler: Any, **kw: Any) -> str:
    a, b = (compiler.process(x, **kw) for x in element.clauses)
    return f"CAST(julianday({a}) - julianday({b}) AS INTEGER)"


@compiles(day_diff, "postgresql")
def _diff_pg(element: day_diff, compiler: Any, **kw: Any) -> str:
    a, b = (compiler.process(x, **kw) for x in element.clauses)
    return f"(CAST({a} AS DATE) - CAST({b} AS DATE))"


def shift(expr: Any, days: int) -> ColumnElement[date]:
    return day_shift(expr, literal(days, Integer))


def base_end() -> ColumnElement[date]:
    """The end as written: the date, or the project's filing date for “至竣工验收备案” (NULL = open).
    Needs ``projects`` in the FROM."""
    return case((InsurancePolicy.until_completion == true(), Project.completion_filing_date),
                else_=InsurancePolicy.end_date)


def effective_end() -> ColumnElement[date]:
    """The last day of cover: :func:`base_end`, or the 退保/注销 date where that is earlier."""
    end = base_end()
    ended_early = and_(InsurancePolicy.status != VALID, InsurancePolicy.status_date.is_not(None),
                       or_(end.is_(None), InsurancePolicy.status_date < end))
    return case((ended_early, InsurancePolicy.status_date), else_=end)


def effective_end_or_open() -> ColumnElement[date]:
    return case((effective_end().is_(None), literal(OPEN_END, Date)), else_=effective_end())


def minimum_steps(province: str | None = None) -> list[tuple[date | None, int | None, str]]:
    """The statutory minimum as steps: (from day, yuan or None before any rule, regulation), in order.

    Built from the active reference data at call time, so an admin's edit applies at once."""
    from station_app.rules import refdata

    bounds = {date.min}
    for row in refdata.active_rows("insurance_minimums"):
        for key in ("effective_from", "effective_to"):
            if row.get(key):
                bounds.add(refdata.parse_date(row[key]))
    steps: list[tuple[date | None, int | None, str]] = []
    for day in sorted(bounds):
        try:
            m = insurance_minimum(day, province)
            value: tuple[int | None, str] = (m.amount_yuan, m.regulation)
        except RuleInputError:
            value = (None, "")
        if not steps or (steps[-1][1], steps[-1][2]) != value:
            steps.append((None if day == date.min else day, *value))
    return steps


def minimum_fen_expr(day: Any, province: str | None = None) -> ColumnElement[int]:
    """The minimum per person (fen) in force on the date expression ``day`` (NULL before any rule)."""
    whens = [(day >= start, literal(yuan * 100 if yuan is not None else None, Integer))
             for start, yuan, _rule in reversed(minimum_steps(province)) if start is not None]
    first = minimum_steps(province)[0][1]
    return case(*whens, else_=literal(first * 100 if first is not None else None, Integer)) if whens else \
        literal(first * 100 if first is not None else None, Integer)


def minimum_rule_expr(day: Any, province: str | None = None) -> ColumnElement[str]:
    steps = minimum_steps(province)
    whens = [(day >= start, literal(rule)) for start, _yuan, rule in reversed(steps) if start is not None]
    return case(*whens, else_=literal(steps[0][2])) if whens else literal(steps[0][2])


def minimum_on(day: date, province: str | None = None) -> tuple[int | None, str]:
    """(minimum in fen or None, regulation) on ``day`` — the Python twin of :func:`minimum_fen_expr`."""
    try:
        m = insurance_minimum(day, province)
    except RuleInputError:
        return None, ""
    return m.amount_yuan * 100, m.regulation


