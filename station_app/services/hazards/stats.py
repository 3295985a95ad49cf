"""The 动态清零 dashboard: where the station stands on major hazards (and ordinary ones) on a day.

All figures are SQL aggregates (GROUP BY; no hazard rows are loaded) in six queries. Each comes with
the hazard-ledger filters that list the records it counts.

Definitions (``as_of`` is the day the dashboard is for, normally today):

- *open* is the hazard's current state (待整改 / 整改中 / 待复查 / 待确认销号); *overdue* is open with a
  deadline before ``as_of``; an open hazard's *age* is ``as_of - found_on`` in days (bands ≤7, 8–30,
  31–90, >90; a hazard found after ``as_of`` is in no band).
- *found* in a period: ``found_on`` in it, state not 已撤销 (a cancelled record was entered in error).
- *closed* in a period: state 已销号 and ``closed_on`` in it. "This month" / "this year" run from the
  first of ``as_of``'s month / year to ``as_of`` inclusive.
- the *2023 stock*: major hazards found on or before 2023-12-31, not cancelled; *closed* = 已销号 now.
- *average days to close*: mean of ``closed_on - found_on`` over the major hazards closed this year.
- *整改率* (ordinary hazards): of the ordinary hazards found this year (1 January to ``as_of``, not
  cancelled), the share that are 已销号 now — closed ÷ found, as a percentage with one decimal; ``None``
  when none were found.
- the *trend*: the twelve calendar months ending with ``as_of``'s month (the last one up to ``as_of``),
  found and closed per month, major and ordinary.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.models import Hazard
from station_app.models.hazard import HazardLevel
from station_app.rules.hazards import stock_cutoff
from station_app.services.hazards.figures import (
    CLOSED_VALUE,
    COUNTED_VALUES,
    OPEN_VALUES,
    Figure,
    add_months,
    days_stats,
    month_start,
    year_start,
)

MAJOR, ORDINARY = HazardLevel.MAJOR.value, HazardLevel.ORDINARY.value
#: the campaign's stock: found on or before this day
#: (label, min age, max age in days; None = no upper bound)
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("7天以内", 0, 7), ("8–30天", 8, 30), ("31–90天", 31, 90), ("90天以上", 91, None))


@dataclass(frozen=True)
class TrendMonth:
    month: date  # the first of the month
    major_found: Figure
    major_closed: Figure
    ordinary_found: Figure
    ordinary_closed: Figure

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


@dataclass(frozen=True)
class ZeroingDashboard:
    as_of: date
    major_open: Figure
    major_overdue: Figure
    major_listed: Figure
    major_found_month: Figure
    major_found_year: Figure
    major_closed_month: Figure
    major_closed_year: Figure
    stock_total: Figure
    stock_closed: Figure
    stock_open: Figure
    #: mean days from found to closed over ``major_closed_year``; None when none closed
    avg_days_to_close: float | None
    age_bands: tuple[tuple[str, Figure], ...]
    ordinary_found_year: Figure
    ordinary_closed_year: Figure
    ordinary_open: Figure
    ordinary_overdue: Figure
    trend: tuple[TrendMonth, ...]

    @property
    def ordinary_rate(self) -> Decimal | None:
        """整改率 in % (one decimal), see the module docstring."""
        return rate(self.ordinary_closed_year.value, self.ordinary_found_year.value)


def rate(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _found(level: str, lo: date, hi: date, state: Any = COUNTED_VALUES) -> dict[str, Any]:
    return {"level": level, "found_from": lo, "found_to": hi, "state": state}


def _closed(level: str, lo: date, hi: date) -> dict[str, Any]:
    return {"level": level, "state": CLOSED_VALUE, "closed_from": lo, "closed_to": hi}


def _sum(counts: dict[date, int], lo: date, hi: date) -> int:
    return sum(n for d, n in counts.items() if lo <= d <= hi)


def zeroing_dashboard(session: Session, as_of: date | None = None) -> ZeroingDashboard:
    as_of = as_of or clock.today()
    m0, y0 = month_start(as_of), year_start(as_of)
    t0 = add_months(m0, -11)
    lo = min(y0, t0)

    # The queries are shaped for the covering indexes (level, state, found_on, closed_on),
    # (found_on, level, state) and (closed_on, level, state): no table rows are read. States that are
    # not counted are dropped in Python rather than in WHERE, so SQLite keeps to the date range.
    levels = (MAJOR, ORDINARY)
    # open hazards now: by level and day found (ages), then overdue and listed
    open_by_day: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for level, found_on, n in session.execute(
            select(Hazard.level, Hazard.found_on, func.count())
            .where(Hazard.level.in_(levels), Hazard.state.in_(OPEN_VALUES))
            .group_by(Hazard.level, Hazard.found_on)):
        open_by_day[level][found_on] += n
    overdue = dict(session.execute(
        select(Hazard.level, func.count()).where(Hazard.state.in_(OPEN_VALUES), Hazard.deadline < as_of)
        .group_by(Hazard.level)).all())
    listed = session.scalar(select(func.count()).select_from(Hazard).where(
        Hazard.level == MAJOR, Hazard.state.in_(OPEN_VALUES), Hazard.listing_level != "")) or 0

    # found since ``lo``: by level, day and whether closed now
    found: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    found_closed: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for found_on, level, state, n in session.execute(
            select(Hazard.found_on, Hazard.level, Hazard.state, func.count())
            .where(Hazard.found_on >= lo, Hazard.found_on <= as_of)
            .group_by(Hazard.found_on, Hazard.level, Hazard.state)):
        if state not in COUNTED_VALUES:
            continue
        found[level][found_on] += n
        if state == CLOSED_VALUE:
            found_closed[level][found_on] += n

    # closed since ``lo``: by level and day closed
    closed: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for closed_on, level, state, n in session.execute(
            select(Hazard.closed_on, Hazard.level, Hazard.state, func.count())
            .where(Hazard.closed_on >= lo, Hazard.closed_on <= as_of)
            .group_by(Hazard.closed_on, Hazard.level, Hazard.state)):
        if state == CLOSED_VALUE and closed_on is not None:
            closed[level][closed_on] += n

    # days to close of the major hazards closed this year
    pairs = session.execute(
        select(Hazard.closed_on, Hazard.found_on, func.count())
        .where(Hazard.level == MAJOR, Hazard.state == CLOSED_VALUE, Hazard.closed_on >= y0,
               Hazard.closed_on <= as_of)
        .group_by(Hazard.closed_on, Hazard.found_on)).all()
    n_closed, _, mean = days_stats(((c - f).days, n) for c, f, n in pairs if c is not None)

    stock = {state: n for state, n in session.execute(
        select(Hazard.state, func.count())
        .where(Hazard.level == MAJOR, Hazard.found_on <= stock_cutoff())
        .group_by(Hazard.state)) if state in COUNTED_VALUES}

    major_open_days = open_by_day[MAJOR]
    bands = []
    for label, young, old in AGE_BANDS:
        hi = as_of - timedelta(days=young)
        band_lo = as_of - timedelta(days=old) if old is not None else None
        n = sum(c for d, c in major_open_days.items() if d <= hi and (band_lo is None or d >= band_lo))
        filters = {"level": MAJOR, "open": True, "found_to": hi}
        if band_lo is not None:
            filters["found_from"] = band_lo
        bands.append((label, Figure(n, filters)))

    trend = []
    for i in range(12):
        first = add_months(t0, i)
        last = min(add_months(first, 1) - timedelta(days=1), as_of)
        trend.append(TrendMonth(
            first,
            Figure(_sum(found[MAJOR], first, last), _found(MAJOR, first, last)),
            Figure(_sum(closed[MAJOR], first, last), _closed(MAJOR, first, last)),
            Figure(_sum(found[ORDINARY], first, last), _found(ORDINARY, first, last)),
            Figure(_sum(closed[ORDINARY], first, last), _closed(ORDINARY, first, last))))

    stock_open = sum(n for s, n in stock.items() if s in OPEN_VALUES)
    stock_filters = {"level": MAJOR, "found_to": stock_cutoff()}
    return ZeroingDashboard(
        as_of=as_of,
        major_open=Figure(sum(major_open_days.values()), {"level": MAJOR, "open": True}),
        major_overdue=Figure(overdue.get(MAJOR, 0), {"level": MAJOR, "overdue": True, "as_of": as_of}),
        major_listed=Figure(listed, {"level": MAJOR, "open": True, "listed": True}),
        major_found_month=Figure(_sum(found[MAJOR], m0, as_of), _found(MAJOR, m0, as_of)),
        major_found_year=Figure(_sum(found[MAJOR], y0, as_of), _found(MAJOR, y0, as_of)),
        major_closed_month=Figure(_sum(closed[MAJOR], m0, as_of), _closed(MAJOR, m0, as_of)),
        major_closed_year=Figure(n_closed, _closed(MAJOR, y0, as_of)),
        stock_total=Figure(sum(stock.values()), {**stock_filters, "state": COUNTED_VALUES}),
        stock_closed=Figure(stock.get(CLOSED_VALUE, 0), {**stock_filters, "state": CLOSED_VALUE}),
        stock_open=Figure(stock_open, {**stock_filters, "open": True}),
        avg_days_to_close=mean if n_closed else None,
        age_bands=tuple(bands),
        ordinary_found_year=Figure(_sum(found[ORDINARY], y0, as_of), _found(ORDINARY, y0, as_of)),
        ordinary_closed_year=Figure(_sum(found_closed[ORDINARY], y0, as_of),
                                    _found(ORDINARY, y0, as_of, CLOSED_VALUE)),
        ordinary_open=Figure(sum(open_by_day[ORDINARY].values()), {"level": ORDINARY, "open": True}),
        ordinary_overdue=Figure(overdue.get(ORDINARY, 0), {"level": ORDINARY, "overdue": True, "as_of": as_of}),
        trend=tuple(trend),
    )


def home_counts(session: Session, as_of: date | None = None) -> tuple[Figure, Figure]:
    """(逾期隐患, 重大隐患未销号) for the home page: two index-only counts."""
    as_of = as_of or clock.today()
    overdue = session.scalar(select(func.count()).select_from(Hazard).where(
        Hazard.state.in_(OPEN_VALUES), Hazard.deadline < as_of)) or 0
    major_open = session.scalar(select(func.count()).select_from(Hazard).where(
        Hazard.level == MAJOR, Hazard.state.in_(OPEN_VALUES))) or 0
    return (Figure(overdue, {"overdue": True, "as_of": as_of}),
            Figure(major_open, {"level": MAJOR, "open": True}))
