from datetime import date

import pytest

from station_app.rules import RuleInputError, refdata
from station_app.rules.supervision import (
    hazard_deadline,
    hazard_due_date,
    monthly_report_due,
    required_visits_per_month,
)

D = date
TODAY = D(2025, 6, 15)


def test_hazard_deadlines() -> None:
    assert hazard_deadline("一般").n == 7
    assert hazard_deadline("重大").n == 30
    assert "停工" in hazard_deadline("重大").action
    assert hazard_due_date("一般", D(2025, 9, 24)) == D(2025, 10, 9)  # +7 = 10-01
    assert hazard_due_date("一般", D(2025, 3, 3)) == D(2025, 3, 10)
    with pytest.raises(RuleInputError, match="level"):
        hazard_deadline("较大")
    with pytest.raises(RuleInputError, match="found_on"):
        hazard_due_date("一般", "2025-03-03")  # type: ignore[arg-type]


def test_base_frequency_and_raises() -> None:
    assert required_visits_per_month(today=TODAY).visits_per_month == 1
    assert required_visits_per_month(super_scale_dangerous_active=True, today=TODAY).visits_per_month == 2
    assert required_visits_per_month(open_major_hazards=1, today=TODAY).visits_per_month == 4
    assert required_visits_per_month(open_ordinary_hazards=9, today=TODAY).visits_per_month == 1
    assert required_visits_per_month(open_ordinary_hazards=10, today=TODAY).visits_per_month == 2
    both = required_visits_per_month(super_scale_dangerous_active=True, open_major_hazards=2, today=TODAY)
    assert both.visits_per_month == 4 and len(both.reasons) == 3
    assert (
        required_visits_per_month(
            under_construction=False, open_major_hazards=3, today=TODAY
        ).visits_per_month
        == 0
    )


def test_accident_lookback_12_months() -> None:
    assert required_visits_per_month(last_accident_on=D(2024, 6, 16), today=TODAY).visits_per_month == 2
    assert required_visits_per_month(last_accident_on=D(2024, 6, 15), today=TODAY).visits_per_month == 1


def test_frequency_bad_input() -> None:
    with pytest.raises(RuleInputError, match="open_major_hazards"):
        required_visits_per_month(open_major_hazards=-1, today=TODAY)
    with pytest.raises(RuleInputError, match="last_accident_on"):
        required_visits_per_month(last_accident_on="2025-01-01", today=TODAY)  # type: ignore[arg-type]
    with pytest.raises(RuleInputError, match="today（判定日期）"):
        required_visits_per_month(today=None)  # type: ignore[arg-type]


def test_monthly_report_due() -> None:
    assert monthly_report_due(2025, 5) == D(2025, 6, 3)
    assert monthly_report_due(2025, 9) == D(2025, 10, 9)  # 10-03 in the National Day holiday
    assert monthly_report_due(2025, 12) == D(2026, 1, 4)  # 01-03 holiday, 01-04 worked Sunday
    assert monthly_report_due(2025, 4) == D(2025, 5, 6)  # 05-03 in the May Day holiday


def test_monthly_report_due_without_moving() -> None:
    edited = refdata.rows("report_due")
    edited[0]["move_to_next_working_day"] = False
    refdata.install({"report_due": edited})
    assert monthly_report_due(2025, 9) == D(2025, 10, 3)


@pytest.mark.parametrize(
    ("year", "month", "needle"),
    [(2025, 13, "report_month"), (2025, 0, "report_month"), (25, 1, "report_year")],
)
def test_monthly_report_bad_input(year: int, month: int, needle: str) -> None:
    with pytest.raises(RuleInputError, match=needle):
        monthly_report_due(year, month)
