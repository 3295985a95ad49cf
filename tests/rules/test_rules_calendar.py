from datetime import date, timedelta

import pytest

from station_app.rules import CalendarYearUnknown, RuleInputError, refdata
from station_app.rules.calendar import (
    add_calendar_days,
    add_months,
    add_months_period,
    add_working_days,
    calendar_source,
    is_working_day,
    known_years,
    next_working_day,
    working_days_between,
)

D = date


def test_national_day_2025() -> None:
    for day in range(1, 9):
        assert not is_working_day(D(2025, 10, day)), day
    assert is_working_day(D(2025, 9, 28))  # Sunday worked (调休)
    assert is_working_day(D(2025, 10, 11))  # Saturday worked (调休)
    assert is_working_day(D(2025, 10, 9))
    assert not is_working_day(D(2025, 10, 12))  # ordinary Sunday
    assert not is_working_day(D(2025, 9, 27))  # ordinary Saturday


def test_spring_festival_2025_and_2026() -> None:
    assert is_working_day(D(2025, 1, 26))  # Sunday worked
    for day in (D(2025, 1, 28), D(2025, 1, 31), D(2025, 2, 3), D(2025, 2, 4)):
        assert not is_working_day(day)
    assert is_working_day(D(2025, 2, 5))
    assert is_working_day(D(2025, 2, 8))  # Saturday worked
    assert is_working_day(D(2026, 2, 14))  # Saturday worked
    assert not is_working_day(D(2026, 2, 16))  # Monday in the holiday
    assert not is_working_day(D(2026, 2, 23))
    assert is_working_day(D(2026, 2, 24))
    assert is_working_day(D(2026, 2, 28))  # Saturday worked


def test_add_working_days_across_national_day() -> None:
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    # 10-09 Thu, 10-10 Fri, 10-11 Sat (worked), 10-13 Mon, 10-14 Tue
    assert add_working_days(D(2025, 9, 30), 5) == D(2025, 10, 14)
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)  # Fri → worked Sunday
    assert add_working_days(D(2025, 9, 26), 2) == D(2025, 9, 29)
    assert add_working_days(D(2025, 10, 10), 1) == D(2025, 10, 11)


def test_add_working_days_start_not_counted_and_zero() -> None:
    assert add_working_days(D(2025, 3, 3), 1) == D(2025, 3, 4)
    assert add_working_days(D(2025, 3, 3), 0) == D(2025, 3, 3)
    assert add_working_days(D(2025, 3, 1), 1) == D(2025, 3, 3)  # from a Saturday
    assert add_working_days(D(2025, 3, 3), 7) == D(2025, 3, 12)


def test_add_calendar_days_moves_off_rest_days() -> None:
    assert add_calendar_days(D(2025, 9, 24), 7) == D(2025, 10, 9)  # lands on 10-01
    assert add_calendar_days(D(2025, 10, 4), 7) == D(2025, 10, 11)  # worked Saturday stays
    assert add_calendar_days(D(2025, 3, 3), 5) == D(2025, 3, 10)  # Sat 03-08 → Mon
    assert add_calendar_days(D(2025, 3, 3), 4) == D(2025, 3, 7)
    assert add_calendar_days(D(2025, 3, 3), 0) == D(2025, 3, 3)


def test_next_working_day_and_between() -> None:
    assert next_working_day(D(2025, 10, 1)) == D(2025, 10, 9)
    assert next_working_day(D(2025, 10, 9)) == D(2025, 10, 9)
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 14)) == 5
    assert working_days_between(D(2025, 9, 30), D(2025, 9, 30)) == 0


def test_add_months() -> None:
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2025, 4, 30), 6) == D(2025, 10, 30)
    assert add_months(D(2025, 5, 31), -3) == D(2025, 2, 28)
    assert add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)
    assert add_months_period(D(2025, 4, 1), 6) == D(2025, 10, 9)  # 10-01 is a holiday


def test_year_without_data_raises_naming_the_year() -> None:
    with pytest.raises(CalendarYearUnknown) as info:
        is_working_day(D(2035, 6, 1))
    assert info.value.year == 2035
    assert "2035" in str(info.value)
    assert "节假日" in str(info.value)
    assert isinstance(info.value, LookupError)
    assert not isinstance(info.value, ValueError)
    with pytest.raises(CalendarYearUnknown) as early:
        is_working_day(D(2003, 12, 31))
    assert early.value.year == 2003


def test_counting_into_an_unknown_year_raises() -> None:
    first_unknown = max(known_years()) + 1
    with pytest.raises(CalendarYearUnknown) as info:
        add_working_days(D(first_unknown - 1, 12, 24), 10)
    assert info.value.year == first_unknown
    with pytest.raises(CalendarYearUnknown):
        add_calendar_days(D(first_unknown - 1, 12, 20), 30)


def test_package_covers_2004_onwards() -> None:
    years = known_years()
    assert years[0] == 2004
    assert set(range(2004, 2027)) <= set(years)
    assert calendar_source(2025) == "chinese-calendar"


def _saturday(year: int) -> date:
    day = D(year, 1, 1)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day


def test_admin_entered_year_works_and_is_removed_by_reset() -> None:
    saturday = _saturday(2035)
    refdata.install(
        {
            "calendar_years": [
                {
                    "key": "2035",
                    "year": 2035,
                    "holidays": ["2035-01-01", "2035-10-01"],
                    "workdays": [saturday.isoformat()],
                    "source": "国务院办公厅关于2035年部分节假日安排的通知（测试）",
                    "confidence": "V",
                }
            ]
        }
    )
    assert calendar_source(2035) == "admin"
    assert not is_working_day(D(2035, 1, 1))  # a Monday made a holiday
    assert is_working_day(saturday)
    assert not is_working_day(saturday + timedelta(days=7))
    assert is_working_day(D(2035, 1, 2))
    assert 2035 in known_years()
    refdata.reset()
    with pytest.raises(CalendarYearUnknown):
        is_working_day(D(2035, 1, 2))


def test_admin_year_overrides_package() -> None:
    refdata.install(
        {
            "calendar_years": [
                {
                    "key": "2025",
                    "year": 2025,
                    "holidays": [],
                    "workdays": [],
                    "source": "测试",
                    "confidence": "M",
                }
            ]
        }
    )
    assert is_working_day(D(2025, 10, 1))  # Wednesday, no holiday in the override
    assert not is_working_day(D(2025, 9, 28))
    refdata.reset()
    assert not is_working_day(D(2025, 10, 1))


def test_admin_year_with_foreign_dates_is_rejected() -> None:
    with pytest.raises(RuleInputError, match="2036"):
        refdata.install(
            {
                "calendar_years": [
                    {
                        "key": "2036",
                        "year": 2036,
                        "holidays": ["2037-01-01"],
                        "workdays": [],
                        "source": "x",
                        "confidence": "M",
                    }
                ]
            }
        )


@pytest.mark.parametrize("n", [-1, 1.5, True, "3"])
def test_bad_counts(n: object) -> None:
    with pytest.raises(RuleInputError, match="参数 n"):
        add_working_days(D(2025, 3, 3), n)  # type: ignore[arg-type]
    with pytest.raises(RuleInputError, match="参数 n"):
        add_calendar_days(D(2025, 3, 3), n)  # type: ignore[arg-type]


def test_bad_dates() -> None:
    with pytest.raises(RuleInputError, match="参数 start"):
        add_working_days("2025-03-03", 1)  # type: ignore[arg-type]
    with pytest.raises(RuleInputError, match="参数 d"):
        is_working_day(None)  # type: ignore[arg-type]
