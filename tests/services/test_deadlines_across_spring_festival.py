"""Checked by hand across 春节: a 暂定 deadline computed with weekends only becomes the exact date once the
year's arrangement is entered. The 2027 arrangement is the INVENTED one of ``tests.rules.holiday_data``
(春节 off 2月5日–13日, 调休上班 1月31日 and 2月20日) — not the State Council's real 2027 notice.

By hand, a major hazard found Friday 2027-01-08 (default 30 calendar days, 届满遇休息日顺延):
  1月8日 + 30 = 2月7日, a Sunday.
  * weekends only: Monday 2月8日 — 暂定;
  * with the arrangement: 2月7日–13日 are 春节 days off, 2月14日 is a Sunday (not a 调休 day), so the last
    day moves to Monday 2月15日.
Five working days from Wednesday 2027-02-03 (the start day not counted):
  * weekends only: 2月4日, 5日, 8日, 9日, 10日 → 2月10日;
  * with the arrangement: 2月4日, then 5日–13日 off and 14日 a Sunday, then 15日, 16日, 17日, 18日 → 2月18日.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine

from station_app.models import Hazard
from station_app.rules import calendar
from station_app.services.calendar_years import save_and_reload
from station_app.services.deadlines import compute_deadline
from tests.conftest import Station
from tests.rules.holiday_data import INVENTED_2027
from tests.services.hazards.hazard_fixtures import HazardSite, major_input, make_hazard_site, register
from tests.services.inspections.inspection_fixtures import make_site


@pytest.fixture
def hs(station: Station, tmp_path: Path) -> Iterator[HazardSite]:
    with time_machine.travel(datetime(2027, 1, 8, 9, 0), tick=False):
        yield make_hazard_site(make_site(station), tmp_path)


def test_a_major_hazards_deadline_across_the_spring_festival(hs: HazardSite) -> None:
    assert 2027 not in calendar.known_years()  # the premise: nothing ships 2027
    st = hs.station
    found = register(hs, major_input(hs, found_on=date(2027, 1, 8)))
    with st.db.read() as s:
        h = s.get(Hazard, found.id)
        assert h is not None and (h.deadline, h.deadline_provisional) == (date(2027, 2, 8), True)
    five = compute_deadline(lambda: calendar.add_working_days(date(2027, 2, 3), 5))
    assert (five.day, five.provisional) == (date(2027, 2, 10), True)

    result = save_and_reload(st.db, st.admin, INVENTED_2027)
    assert [(m.old_day, m.new_day) for m in result.moved if m.record_id == found.id and m.kind == "hazard"] == [
        (date(2027, 2, 8), date(2027, 2, 15))]
    with st.db.read() as s:
        h = s.get(Hazard, found.id)
        assert h is not None and (h.deadline, h.deadline_provisional) == (date(2027, 2, 15), False)
    five = compute_deadline(lambda: calendar.add_working_days(date(2027, 2, 3), 5))
    assert (five.day, five.provisional) == (date(2027, 2, 18), False)
