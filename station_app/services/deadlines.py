"""One calendar policy for every date the program computes: exact, or 暂定 (provisional).

A deadline whose period reaches a year with no published holiday arrangement (next year's
国务院节假日安排 comes out each November or December) is computed as if only Saturdays and Sundays
were rest days, stored with its ``provisional`` flag and shown as 暂定 with the reason. Nothing
crashes and nothing blocks the clerk; once an admin enters that year's arrangement the provisional
dates are recomputed. The rules kernel never guesses: it raises ``CalendarYearUnknown``, and this
module — the one place that does so — asks it again under an explicit weekends-only assumption.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case

from station_app.formatting import chinese_date
from station_app.rules import calendar as work_calendar
from station_app.rules import procedure, supervision
from station_app.rules.errors import CalendarYearUnknown
from station_app.services.listing import Column, Expr

__all__ = ["PROVISIONAL", "Deadline", "compute_deadline", "deadline_text", "hazard_deadline", "mark_column",
           "provisional_reason", "report_due", "step_deadline", "stored_deadline", "stored_flag"]

#: the word shown beside a provisional date, on screen and in documents
PROVISIONAL = "暂定"


def provisional_reason(years: tuple[int, ...] | list[int]) -> str:
    """Why a date is provisional, for a tooltip or a note."""
    names = "、".join(f"{y}年" for y in sorted(years)) or "所涉年份"
    return (f"{names}法定节假日安排尚未录入，暂按仅周六、周日休息计算；"
            "管理员在「系统设置 → 法定节假日」录入后自动重算")


@dataclass(frozen=True)
class Deadline:
    """A computed date and whether it rests on an assumed (weekends-only) calendar year."""

    day: date
    provisional: bool = False
    #: the years without holiday data that the computation assumed weekends-only
    assumed_years: tuple[int, ...] = ()

    @property
    def reason(self) -> str:
        return provisional_reason(self.assumed_years) if self.provisional else ""

    @property
    def text(self) -> str:
        return deadline_text(self.day, self.provisional)


def compute_deadline(compute: Callable[[], date]) -> Deadline:
    """Run ``compute`` (a rules-kernel date computation); exact when every year it touches is known,
    else again with unknown years taken as weekends-only, marked provisional."""
    try:
        return Deadline(compute())
    except CalendarYearUnknown:
        with work_calendar.weekends_only_for_unknown_years() as assumed:
            day = compute()
        return Deadline(day, True, tuple(sorted(assumed)))


def deadline_text(day: date | None, provisional: bool) -> str:
    """'2027年1月8日' or '2027年1月8日（暂定）'; '' for no date."""
    if day is None:
        return ""
    text = chinese_date(day)
    return f"{text}（{PROVISIONAL}）" if provisional else text


def stored_deadline(day: date, provisional: bool, start: date | None = None) -> Deadline:
    """A stored date and its flag as a :class:`Deadline` (for its text and reason): the assumed years
    are those from ``start`` (or the date's own year) to the date that have no holiday data yet."""
    if not provisional:
        return Deadline(day)
    known = set(work_calendar.known_years())
    years = tuple(y for y in range((start or day).year, day.year + 1) if y not in known)
    return Deadline(day, True, years or (day.year,))


def stored_flag(day: date | None, default: Deadline | None) -> bool:
    """The 暂定 flag to store beside ``day``: on only when it is the provisional default itself (a date
    the clerk chose is exact, even in an unknown year — it is his date, not a computed one)."""
    return default is not None and default.provisional and day == default.day


def mark_column(flag: Expr, day_key: str, key: str = "deadline_mark", header: str = "期限说明") -> Column:
    """A list column reading 暂定 where ``flag`` is set, the reason as its tooltip (the date is the
    column ``day_key`` of the same list). An export writes it as a note column."""

    def tooltip(values: dict[str, Any]) -> str:
        day = values.get(day_key)
        return stored_deadline(day, True).reason if values.get(key) and isinstance(day, date) else ""

    return Column(key, header, case((flag.is_(True), PROVISIONAL), else_=""), 64, tooltip=tooltip)


# --------------------------------------------------------------- the computed dates of the program

def hazard_deadline(level: str, found_on: date) -> Deadline:
    """Default 整改期限 of a hazard or finding of ``level`` found on ``found_on``."""
    return compute_deadline(lambda: supervision.hazard_due_date(level, found_on))


def step_deadline(step: str, start: date) -> Deadline:
    """Last day of a penalty-procedure step counted from ``start``."""
    return compute_deadline(lambda: procedure.step_deadline(step, start))


def report_due(year: int, month: int, report: str = "monthly_report") -> Deadline:
    """Due day of the report of ``year``-``month``."""
    return compute_deadline(lambda: supervision.monthly_report_due(year, month, report))
