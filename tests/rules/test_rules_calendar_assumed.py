"""An unknown year is refused, unless the caller explicitly asks for the weekends-only assumption."""

from __future__ import annotations

from datetime import date

import pytest

from station_app.rules import calendar
from station_app.rules.errors import CalendarYearUnknown
from station_app.services.deadlines import compute_deadline, deadline_text

FAR = max(calendar.known_years()) + 1  # a year the shipped calendar does not know


def test_unknown_year_still_raises_outside_the_block() -> None:
    with pytest.raises(CalendarYearUnknown):
        calendar.is_working_day(date(FAR, 3, 2))


def test_block_assumes_weekends_only_and_reports_the_year() -> None:
    saturday = next(date(FAR, 1, d) for d in range(1, 8) if date(FAR, 1, d).weekday() == 5)
    with calendar.weekends_only_for_unknown_years() as assumed:
        assert calendar.is_working_day(saturday) is False
        assert calendar.is_working_day(date(FAR, 1, 1)) is (date(FAR, 1, 1).weekday() < 5)
        assert calendar.calendar_source(FAR) == "weekends-only"
    assert assumed == {FAR}
    with pytest.raises(CalendarYearUnknown):  # the assumption ends with the block
        calendar.is_working_day(saturday)


def test_compute_deadline_exact_and_provisional() -> None:
    last_known = FAR - 1
    exact = compute_deadline(lambda: calendar.add_working_days(date(last_known, 6, 1), 5))
    assert exact.provisional is False and exact.assumed_years == () and exact.reason == ""
    # from 20 December of the last known year, 15 working days reach into the unknown year
    start = date(last_known, 12, 20)
    result = compute_deadline(lambda: calendar.add_working_days(start, 15))
    assert result.provisional and result.assumed_years == (FAR,)
    assert result.day.year == FAR and result.day.weekday() < 5
    assert f"{FAR}年法定节假日安排尚未录入" in result.reason
    assert result.text.endswith("（暂定）")
    assert deadline_text(date(2026, 3, 2), False) == "2026年3月2日"
