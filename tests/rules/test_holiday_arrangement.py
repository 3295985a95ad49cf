"""A year's 节假日安排: statutory days (lunar dates, counts as reference data), validation, the stored row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from chinese_calendar import constants as cc
from chinese_calendar import is_workday

from station_app.rules import calendar, refdata
from station_app.rules import holiday_arrangement as ha
from station_app.rules.errors import RuleInputError
from station_app.rules.holiday_arrangement import Arrangement, ArrangementError, HolidayEntry
from tests.rules.holiday_data import INVENTED_2027, REAL_2026, entry

D = date


def _days(year: int) -> dict[str, list[tuple[date, str]]]:
    out: dict[str, list[tuple[date, str]]] = {}
    for s in ha.statutory_days(year):
        out.setdefault(s.holiday, []).append((s.day, s.label))
    return out


def _with(arr: Arrangement, name: str, new: HolidayEntry | None) -> Arrangement:
    entries = [new if e.name == name else e for e in arr.entries]
    return Arrangement(arr.year, tuple(e for e in entries if e is not None))


def test_statutory_days_follow_the_lunar_calendar() -> None:
    d2025, d2026 = _days(2025), _days(2026)
    assert d2025["春节"] == [(D(2025, 1, 28), "除夕"), (D(2025, 1, 29), "正月初一"), (D(2025, 1, 30), "正月初二"),
                           (D(2025, 1, 31), "正月初三")]
    assert d2026["春节"][1] == (D(2026, 2, 17), "正月初一") and d2026["春节"][0][0] == D(2026, 2, 16)
    assert d2025["端午节"] == [(D(2025, 5, 31), "五月初五")] and d2025["中秋节"] == [(D(2025, 10, 6), "八月十五")]
    assert d2026["清明节"] == [(D(2026, 4, 5), "清明")] and d2025["清明节"] == [(D(2025, 4, 4), "清明")]
    assert [d for d, _ in d2026["劳动节"]] == [D(2026, 5, 1), D(2026, 5, 2)]
    assert [d for d, _ in d2026["国庆节"]] == [D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 3)]
    assert len(ha.statutory_days(2026)) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3 since 2025


def test_the_2024_amendment_is_reference_data_by_edition() -> None:
    # 2024 still counts 春节 初一–初三 and 劳动节 one day; from 2025 除夕 and 5月2日 are added
    d2024 = _days(2024)
    assert [label for _, label in d2024["春节"]] == ["正月初一", "正月初二", "正月初三"]
    assert d2024["春节"][0][0] == D(2024, 2, 10) and [d for d, _ in d2024["劳动节"]] == [D(2024, 5, 1)]
    rows = refdata.rows("statutory_holidays")
    for row in rows:
        if row["holiday"] == "劳动节" and row["effective_to"] is None:
            row["days"] = 6  # an admin's (imagined) edition
    refdata.install({"statutory_holidays": rows})
    found = ha.problems(REAL_2026)
    assert found == [("劳动节 放假期间", "应包含法定节假日2026年5月6日（5月6日）")]


def test_real_2026_arrangement_validates_and_matches_chinese_calendar() -> None:
    assert ha.validate(REAL_2026) is REAL_2026
    package_rest = {d for d in cc.holidays if d.year == 2026}
    package_work = {d for d in cc.workdays if d.year == 2026}
    assert set(REAL_2026.holidays()) == package_rest and set(REAL_2026.workdays()) == package_work
    # entered as the admin's row, it gives exactly the package's working days for every day of 2026
    refdata.install({"calendar_years": [ha.to_row(REAL_2026)]})
    assert calendar.calendar_source(2026) == "admin"
    day = D(2026, 1, 1)
    while day.year == 2026:
        assert calendar.is_working_day(day) is is_workday(day), day
        day += timedelta(days=1)


def test_invented_2027_validates_and_feeds_the_calendar() -> None:
    ha.validate(INVENTED_2027)
    refdata.install({"calendar_years": [ha.to_row(INVENTED_2027)]})
    assert calendar.calendar_source(2027) == "admin"
    assert not calendar.is_working_day(D(2027, 2, 8)) and calendar.is_working_day(D(2027, 2, 20))
    assert calendar.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 15)  # 5th–13th off, Sun 14th → Mon 15th


@pytest.mark.parametrize(("arr", "expected"), [
    (_with(INVENTED_2027, "元旦", entry("元旦", "2026-12-31", "2027-01-03")),
     ("元旦 放假起始日", "2026年12月31日不在2027年内")),
    (_with(INVENTED_2027, "端午节", entry("端午节", "2027-06-09", "2027-06-07")),
     ("端午节 放假结束日", "2027年6月7日早于放假起始日2027年6月9日")),
    (_with(INVENTED_2027, "清明节", entry("清明节", "2027-04-03", "2027-04-05", "2027-04-07")),
     ("清明节 调休上班日", "2027年4月7日是星期三，调休上班日应为周六或周日")),
    (_with(INVENTED_2027, "清明节", entry("清明节", "2027-04-03", "2027-04-05", "2027-04-03")),
     ("清明节 调休上班日", "2027年4月3日在放假期间内，不能同时是调休上班日")),
    (_with(INVENTED_2027, "端午节", entry("端午节", "2027-05-05", "2027-05-06")),
     ("端午节 放假起始日", "与劳动节的放假期间（2027年5月1日至2027年5月5日）重叠")),
    (_with(INVENTED_2027, "端午节", entry("重阳节", "2027-06-09", "2027-06-09")),
     ("重阳节", "未知的节日名称“重阳节”（应为 元旦、春节、清明节、劳动节、端午节、中秋节、国庆节）")),
    (_with(INVENTED_2027, "春节", entry("春节", "2027-02-06", "2027-02-13", "2027-01-31")),
     ("春节 放假期间", "应包含法定节假日2027年2月5日（除夕）")),
    (_with(INVENTED_2027, "中秋节", None),
     ("中秋节", "未填写放假日期：法定节假日2027年9月15日（八月十五）不在任何放假期间内")),
])
def test_each_problem_names_its_field(arr: Arrangement, expected: tuple[str, str]) -> None:
    with pytest.raises(ArrangementError) as info:
        ha.validate(arr)
    assert info.value.problems == [expected]
    assert expected[1] in str(info.value)


def test_same_holiday_twice_and_a_duplicated_work_day() -> None:
    arr = Arrangement(2027, (*INVENTED_2027.entries, entry("元旦", "2027-12-31", "2027-12-31")))
    assert ("元旦", "元旦重复录入") in ha.problems(arr)
    twice = _with(INVENTED_2027, "端午节", entry("端午节", "2027-06-09", "2027-06-09", "2027-05-08"))
    assert ("端午节 调休上班日", "2027年5月8日重复录入") in ha.problems(twice)


def test_holidays_taken_together_may_share_one_range() -> None:
    # 中秋 (9-15) inside a joint range, named as holiday-cn names it — or left out, its day covered
    joint = Arrangement(2027, (*[e for e in INVENTED_2027.entries if e.name not in ("中秋节", "国庆节")],
                               entry("中秋节、国庆节", "2027-09-15", "2027-09-21")))
    assert ha.problems(joint) == [("中秋节、国庆节 放假期间", "应包含法定节假日2027年10月1日（10月1日）；"
                                   "应包含法定节假日2027年10月2日（10月2日）；应包含法定节假日2027年10月3日（10月3日）")]
    covered = _with(INVENTED_2027, "中秋节", None)
    covered = _with(covered, "国庆节", entry("国庆节", "2027-09-15", "2027-10-03"))
    assert ha.problems(covered) == []


def test_row_round_trip_and_the_row_validates() -> None:
    row = ha.to_row(INVENTED_2027, source="国务院办公厅通知（测试用）", confidence="P")
    assert row["key"] == "2027" and row["holiday_ranges"][1] == "春节：2027-02-05至2027-02-13；调休上班 2027-01-31、2027-02-20"
    assert refdata.validate_row("calendar_years", row) == []
    back = ha.from_row(row)
    assert back == Arrangement(2027, tuple(sorted(INVENTED_2027.entries, key=lambda e: e.off_from)))
    with pytest.raises(RuleInputError, match="节日放假记录格式不对"):
        ha.from_row({**row, "holiday_ranges": ["春节 2027-02-05"]})


def test_a_row_from_before_the_ranges_were_kept_is_rebuilt_by_holiday() -> None:
    row = ha.to_row(REAL_2026)
    del row["holiday_ranges"]
    rebuilt = ha.from_row(row)
    assert [e.name for e in rebuilt.entries] == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
    assert rebuilt.entry("春节") == REAL_2026.entries[1]
    # a 调休 day goes to the nearest holiday: 9月20日 to 中秋节 here, where the notice lists it under 国庆节
    assert rebuilt.holidays() == REAL_2026.holidays() and rebuilt.workdays() == REAL_2026.workdays()
    assert ha.problems(rebuilt) == []


def test_reminder_day_is_reference_data() -> None:
    assert ha.reminder_from(2026) == D(2026, 11, 1)
    rows = refdata.rows("rule_constants")
    for row in rows:
        if row["key"] == "calendar_reminder_day":
            row["value"] = "31"
    refdata.install({"rule_constants": rows})
    with pytest.raises(RuleInputError, match="11月31日"):
        ha.reminder_from(2026)



def test_a_holiday_inside_another_range_is_named_with_it() -> None:
    without = _with(_with(INVENTED_2027, "中秋节", None), "国庆节", entry("国庆节", "2027-09-15", "2027-10-03"))
    joined = ha.join_covered(without)
    assert [e.name for e in joined.entries][-1] == "中秋节、国庆节" and joined.entry("中秋节") == joined.entries[-1]
    assert ha.join_covered(INVENTED_2027) == INVENTED_2027 and ha.problems(joined) == []
