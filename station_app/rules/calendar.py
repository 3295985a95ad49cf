"""Chinese working-day calendar for statutory deadlines.

Sources, in order of precedence for a given year:

1. years an admin entered in the ``calendar_years`` dataset (the State Council publishes next
   year's 节假日安排 each November/December);
2. the ``chinese-calendar`` package (2004 up to the last year it ships).

A year in neither raises :class:`CalendarYearUnknown`: a legal deadline is never guessed. A caller
that wants a provisional answer must ask for it explicitly with
:func:`weekends_only_for_unknown_years` — inside that block an unknown year counts only Saturdays and
Sundays as rest days, and the block reports which years it assumed (the services mark such a result
暂定 and recompute it once the year's arrangement is entered).

Period rules (行政处罚法 第八十五条; 民法典 第二百零一～二百零三条):
the start day is not counted; "二日、三日、五日、七日" are working days; for other periods the
last day, when it is not a working day, moves to the next working day; a period in months
ends on the corresponding day of the final month, or on that month's last day when there is
no corresponding day.
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from chinese_calendar import constants as _cc

from . import refdata
from .errors import CalendarYearUnknown, RuleInputError

__all__ = [
    "CalendarYearUnknown",
    "add_calendar_days",
    "add_months",
    "add_months_period",
    "add_working_days",
    "calendar_source",
    "is_working_day",
    "known_years",
    "next_working_day",
    "weekends_only_for_unknown_years",
    "working_day_under",
    "working_days_between",
]


@dataclass(frozen=True)
class _Year:
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str


def _package_years() -> dict[int, _Year]:
    holidays: dict[int, set[date]] = {}
    workdays: dict[int, set[date]] = {}
    for day in _cc.holidays:
        holidays.setdefault(day.year, set()).add(day)
    for day in _cc.workdays:
        workdays.setdefault(day.year, set()).add(day)
    years = set(holidays) | set(workdays)
    return {
        y: _Year(frozenset(holidays.get(y, ())), frozenset(workdays.get(y, ())), "chinese-calendar")
        for y in years
    }


_PACKAGE = _package_years()
_admin_cache: tuple[int, dict[int, _Year]] = (-1, {})


def _admin_years() -> dict[int, _Year]:
    global _admin_cache
    version = refdata.version()
    if _admin_cache[0] == version:
        return _admin_cache[1]
    years: dict[int, _Year] = {}
    for row in refdata.active_rows("calendar_years"):
        year = int(row["year"])
        holidays = frozenset(refdata.parse_date(d, "holidays") for d in row["holidays"])
        workdays = frozenset(refdata.parse_date(d, "workdays") for d in row["workdays"])
        if any(d.year != year for d in holidays | workdays):
            raise RuleInputError(f"{year}年节假日数据中含有其他年份的日期")
        years[year] = _Year(holidays, workdays, "admin")
    _admin_cache = (version, years)
    return years


_WEEKENDS_ONLY = _Year(frozenset(), frozenset(), "weekends-only")
#: the years assumed weekends-only inside the innermost :func:`weekends_only_for_unknown_years` block
_assumed_years: ContextVar[set[int] | None] = ContextVar("assumed_years", default=None)


@contextmanager
def weekends_only_for_unknown_years() -> Iterator[set[int]]:
    """Inside the block a year without holiday data has only weekends as rest days (no 调休).

    Yields the set of years that were assumed that way, filled as the block computes. Outside such
    a block an unknown year raises :class:`CalendarYearUnknown`, as always.
    """
    assumed: set[int] = set()
    token = _assumed_years.set(assumed)
    try:
        yield assumed
    finally:
        _assumed_years.reset(token)


def _year(year: int) -> _Year:
    admin = _admin_years()
    if year in admin:
        return admin[year]
    if year in _PACKAGE:
        return _PACKAGE[year]
    assumed = _assumed_years.get()
    if assumed is not None:
        assumed.add(year)
        return _WEEKENDS_ONLY
    raise CalendarYearUnknown(year)


def known_years() -> list[int]:
    """Years for which working days can be computed (package and admin-entered)."""
    return sorted(set(_PACKAGE) | set(_admin_years()))


def calendar_source(year: int) -> str:
    """'admin' or 'chinese-calendar' ('weekends-only' inside :func:`weekends_only_for_unknown_years`);
    CalendarYearUnknown when neither has the year."""
    return _year(year).source


def _check_date(value: object, name: str) -> date:
    if not isinstance(value, date):
        raise RuleInputError(f"参数 {name} 应为日期：{value!r}")
    return value


def _check_count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleInputError(f"参数 {name} 应为整数：{value!r}")
    if value < 0:
        raise RuleInputError(f"参数 {name} 不能为负数：{value}")
    return value


def working_day_under(d: date, holidays: frozenset[date] | set[date], workdays: frozenset[date] | set[date]) -> bool:
    """The one definition of a working day, for a given arrangement: a weekend day worked (调休), or a
    Monday–Friday that is not a holiday. :func:`is_working_day` applies it to the known calendar."""
    return d in workdays or (d.weekday() < 5 and d not in holidays)


def is_working_day(d: date) -> bool:
    """True on Monday–Friday that are not statutory holidays, and on weekend days worked (调休)."""
    d = _check_date(d, "d")
    data = _year(d.year)
    return working_day_under(d, data.holidays, data.workdays)


def next_working_day(d: date) -> date:
    """``d`` itself when it is a working day, else the next working day."""
    d = _check_date(d, "d")
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def add_working_days(start: date, n: int) -> date:
    """Last day of a period of ``n`` working days counted from ``start`` (start not counted).

    ``n == 0`` returns ``start``. Basis: 行政处罚法 第八十五条.
    """
    day = _check_date(start, "start")
    remaining = _check_count(n, "n")
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def add_calendar_days(start: date, n: int) -> date:
    """``start + n`` days; when that day is not a working day, the next working day.

    Basis: 民法典 第二百零一条（开始当日不计入）、第二百零三条（最后一日是法定休假日的顺延）.
    """
    start = _check_date(start, "start")
    return next_working_day(start + timedelta(days=_check_count(n, "n")))


def add_months(start: date, n: int) -> date:
    """Corresponding day ``n`` months later; the month's last day when there is none.

    Pure date arithmetic (no holiday shift); 民法典 第二百零二条. ``n`` may be negative.
    """
    start = _check_date(start, "start")
    if isinstance(n, bool) or not isinstance(n, int):
        raise RuleInputError(f"参数 n 应为整数：{n!r}")
    index = start.year * 12 + (start.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise RuleInputError(f"参数 n 超出可计算范围：{n}")
    return date(year, month, min(start.day, _stdcal.monthrange(year, month)[1]))


def add_months_period(start: date, n: int) -> date:
    """End of a period of ``n`` months from ``start``, moved to the next working day if needed."""
    return next_working_day(add_months(start, _check_count(n, "n")))


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end] — the count :func:`add_working_days` would have used."""
    start = _check_date(start, "start")
    end = _check_date(end, "end")
    if end < start:
        raise RuleInputError(f"参数 end 不能早于 start：{end} < {start}")
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
