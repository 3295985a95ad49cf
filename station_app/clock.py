"""The one place that reads the system clock.

Everything else asks here for "today" and "now", so that a test (``time-machine``) or a support
session can move the whole program to another day — a year end, a year whose holidays are not yet
published, the day a standard was replaced — and so that the architecture test can hold the rule:
no ``date.today()``, ``datetime.now()`` or ``datetime.today()`` anywhere else.

Times are naive local wall-clock time to the second: what the clerk's own clock says, the same
convention the database columns use (``db.base.LocalDateTime``).
"""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["now", "today"]


def now() -> datetime:
    """Local wall-clock time, to the second."""
    return datetime.now().replace(microsecond=0)


def today() -> date:
    """Today's date on the clerk's clock."""
    return now().date()
