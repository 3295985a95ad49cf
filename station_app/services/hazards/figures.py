"""What the 督办 / 动态清零 / 多发隐患 services share: a figure with the ledger filters behind it,
state groups, period bounds, and portable date arithmetic.

A ``Figure`` carries the ``filters`` dict of the hazard ledger (``services.hazard_list.HAZARD_LIST``) that
lists exactly the records counted, so every number on screen opens its records.

Date arithmetic stays portable (SQLite and PostgreSQL): queries GROUP BY the date itself and Python
turns (date, count) rows into days — never ``julianday`` or date subtraction in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from station_app.models.hazard import OPEN_STATES, HazardState

#: label values for SQL ``IN``
OPEN_VALUES: tuple[str, ...] = tuple(s.value for s in OPEN_STATES)
#: every state but 已撤销 (entered in error: never counted as found)
COUNTED_VALUES: tuple[str, ...] = tuple(s.value for s in HazardState if s != HazardState.CANCELLED)
CLOSED_VALUE = HazardState.CLOSED.value


@dataclass(frozen=True)
class Figure:
    """A count and the ledger filters that list the records behind it."""

    value: int
    filters: dict[str, Any] = field(default_factory=dict)


def month_start(d: date) -> date:
    return d.replace(day=1)


def year_start(d: date) -> date:
    return d.replace(month=1, day=1)


def add_months(d: date, months: int) -> date:
    """First of the month ``months`` after (or before) ``d``'s month."""
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_bounds(d: date) -> tuple[date, date]:
    """(first day, last day) of ``d``'s quarter."""
    first = date(d.year, (d.month - 1) // 3 * 3 + 1, 1)
    return first, add_months(first, 3) - timedelta(days=1)


def days_stats(pairs: Iterable[tuple[int, int]]) -> tuple[int, int, float]:
    """(count, max, mean) of days given (days, how many) pairs; (0, 0, 0.0) when empty."""
    total = n = 0
    most = 0
    for days, count in pairs:
        n += count
        total += days * count
        most = max(most, days)
    return n, most, (total / n if n else 0.0)
