"""The hazard figures (index-friendly COUNTs, one per figure) against a plain recount of the ledger in Python,
for all four columns, on SQLite and PostgreSQL — including 已撤销, closed after the period, never closed and
the 2023年及以前 stock."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from station_app.db.database import Database
from station_app.models import Hazard
from station_app.rules.hazards import stock_cutoff
from station_app.services.monthly.figures_hazards import compute
from station_app.services.monthly.stats import ReportPeriod
from tests.conftest import make_station
from tests.services.monthly.monthly_fixtures import _hazard, _project

STATES = ("待整改", "整改中", "待复查", "待确认销号", "已销号", "已撤销")


def test_hazard_counts_match_a_recount_of_the_ledger(db: Database) -> None:
    make_station(db)
    rnd = random.Random(7)
    with db.write() as s:
        pid = _project(s, "随机隐患工程", "在建", date(2022, 1, 1), start=date(2022, 2, 1), grid=None)
        for n in range(300):
            found = date(2022, 6, 1) + timedelta(days=rnd.randrange(0, 1600))
            state = rnd.choice(STATES)
            closed = found + timedelta(days=rnd.randrange(0, 200)) if state == "已销号" else None
            _hazard(s, f"H{n:04d}", pid, found, level=rnd.choice(("一般", "一般", "重大")), state=state, closed=closed)
    with db.read() as s:
        ledger = [(h.found_on, h.closed_on, h.level, h.state) for h in s.scalars(select(Hazard))]
        period = ReportPeriod.parse("2025-10")
        for span in (period.current, period.ytd, period.last_year, period.last_ytd):
            got = compute(s, span)
            kept = [h for h in ledger if h[3] != "已撤销"]
            found = [h for h in kept if span.start <= h[0] <= span.end]

            def open_at_end(h: tuple, e: date = span.end) -> bool:
                return h[0] <= e and (h[1] is None or h[1] > e)

            closed = [h for h in kept if h[1] is not None and span.start <= h[1] <= span.end]
            assert got["hazards_found"] == len(found) > 0, span
            assert got["hazards_major"] == sum(h[2] == "重大" for h in found)
            assert got["hazards_rectified"] == sum(h[1] is not None and h[1] <= span.end for h in found)
            assert got["hazards_closed"] == len(closed)
            assert got["major_closed"] == sum(h[2] == "重大" for h in closed)
            assert got["major_open"] == sum(h[2] == "重大" and open_at_end(h) for h in kept)
            assert got["legacy_open"] == sum(h[0] <= stock_cutoff() and open_at_end(h) for h in kept) > 0
