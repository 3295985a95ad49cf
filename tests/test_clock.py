"""The one clock, and the suite's ways of moving it: ``frozen_today``, ``clock_at`` and ``--clock-at``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import pytest

from station_app import clock
from station_app.rules import refdata
from station_app.rules.calendar import known_years
from tests.conftest import FROZEN_AT, clock_at_day


def test_frozen_today_stands_still_on_the_agreed_morning(frozen_today: date) -> None:
    assert frozen_today == date(2026, 11, 24) == clock.today()
    time.sleep(0.02)
    assert clock.now() == FROZEN_AT  # tick=False: the clock does not move during the test


def test_clock_at_moves_the_clock_and_can_move_it_again(clock_at: Callable[[date | datetime], date]) -> None:
    assert clock_at(date(2028, 2, 29)) == date(2028, 2, 29) == clock.today()
    assert clock.now() == datetime(2028, 2, 29, 9, 30)  # a bare day: 09:30, office hours
    assert clock_at(datetime(2026, 12, 31, 23, 59, 30)) == date(2026, 12, 31)
    assert clock.now().microsecond == 0


@pytest.fixture
def china_time() -> Iterator[None]:
    """The process runs in China Standard Time (UTC+8), as on a station's Windows machine."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset() is not available on this platform")
    mp = pytest.MonkeyPatch()
    mp.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    mp.undo()
    time.tzset()


@pytest.mark.usefixtures("china_time")
def test_a_moved_clock_is_the_local_wall_clock(clock_at: Callable[[date | datetime], date]) -> None:
    """time-machine reads a naive datetime as UTC; the fixtures give it the local offset, so 23:30 on
    New Year's Eve in Beijing is still 31 December to the program (not 1 January 07:30)."""
    assert clock_at(datetime(2026, 12, 31, 23, 30)) == date(2026, 12, 31)
    assert clock.now() == datetime(2026, 12, 31, 23, 30)


def test_after_calendar_follows_the_years_an_admin_enters() -> None:
    last = max(known_years())
    assert clock_at_day("after-calendar") == date(last + 1, 3, 1)
    refdata.install({"calendar_years": [{
        "key": str(last + 1), "year": last + 1, "holidays": [f"{last + 1}-01-01"], "workdays": [],
        "source": "国务院办公厅关于节假日安排的通知（测试）", "confidence": "V"}]})
    try:
        assert clock_at_day("after-calendar") == date(last + 2, 3, 1)
    finally:
        refdata.reset()
    assert clock_at_day("2027-10-08") == date(2027, 10, 8)


@pytest.mark.parametrize("bad", ["2027-02-30", "next-year", ""])
def test_a_mistyped_clock_at_is_refused_naming_the_forms(bad: str) -> None:
    with pytest.raises(pytest.UsageError, match="YYYY-MM-DD 或 after-calendar"):
        clock_at_day(bad)


@pytest.mark.clock
def test_the_whole_run_stands_on_the_clock_at_day(request: pytest.FixtureRequest) -> None:
    """Under ``--clock-at`` every test (in every xdist worker) sees that day; the clock ticks on from it."""
    value = request.config.getoption("--clock-at")
    if not value:
        pytest.skip("the run was not given --clock-at")
    day = clock_at_day(value)
    assert clock.today() in (day, day + timedelta(days=1))  # a run may pass midnight
