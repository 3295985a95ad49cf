from datetime import datetime, timedelta

import pytest

from station_app.rules import RuleInputError, refdata
from station_app.rules.accidents import grade_accident, reporting_deadlines


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "expected"),
    [
        (0, 0, 0, None),
        (0, 0, 999_999, None),
        (0, 0, 1_000_000, "一般"),  # 建质〔2013〕4号 floor, inclusive
        (1, 0, 0, "一般"),
        (0, 1, 0, "一般"),
        (2, 9, 9_999_999, "一般"),
        (3, 0, 0, "较大"),
        (0, 10, 0, "较大"),
        (0, 0, 10_000_000, "较大"),
        (9, 49, 49_999_999, "较大"),
        (10, 0, 0, "重大"),
        (0, 50, 0, "重大"),
        (0, 0, 50_000_000, "重大"),
        (29, 99, 99_999_999, "重大"),
        (30, 0, 0, "特别重大"),
        (0, 100, 0, "特别重大"),
        (0, 0, 100_000_000, "特别重大"),
        (1, 0, 60_000_000, "重大"),  # highest tier reached by any one measure
        (2, 55, 0, "重大"),
        (31, 0, 5, "特别重大"),
    ],
)
def test_grade_boundaries(deaths: int, injuries: int, loss: int, expected: str | None) -> None:
    assert grade_accident(deaths, injuries, loss) == expected


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((-1, 0, 0), "deaths"),
        ((0, -1, 0), "serious_injuries"),
        ((0, 0, -1), "direct_loss_yuan"),
        ((1.0, 0, 0), "deaths"),
        ((True, 0, 0), "deaths"),
        ((0, 0, "100"), "direct_loss_yuan"),
    ],
)
def test_grade_rejects_bad_input(args: tuple, name: str) -> None:
    with pytest.raises(RuleInputError, match=name):
        grade_accident(*args)


T0 = datetime(2025, 10, 1, 8, 30)


def test_reporting_chain_general_accident_stops_at_province() -> None:
    steps = reporting_deadlines(T0, "一般")
    by_target = {s.to_level: s.due for s in steps}
    assert by_target["本单位负责人"] == T0
    assert by_target["县级住房城乡建设主管部门和应急管理部门"] == T0 + timedelta(hours=1)
    assert by_target["设区的市级住房城乡建设主管部门"] == T0 + timedelta(hours=3)
    assert by_target["省级住房城乡建设主管部门"] == T0 + timedelta(hours=5)
    assert "住房和城乡建设部" not in by_target
    assert "国务院" not in by_target
    change = [s for s in steps if "补报" in s.step]
    assert len(change) == 1 and change[0].due == datetime(2025, 10, 31, 8, 30)
    assert all(s.basis for s in steps)


def test_reporting_chain_larger_accident_reaches_ministry() -> None:
    steps = reporting_deadlines(T0, "较大")
    by_target = {s.to_level: s.due for s in steps}
    assert by_target["住房和城乡建设部"] == T0 + timedelta(hours=7)
    assert "国务院" not in by_target


@pytest.mark.parametrize("grade", ["重大", "特别重大"])
def test_reporting_chain_major_accident_reaches_state_council(grade: str) -> None:
    by_target = {s.to_level: s.due for s in reporting_deadlines(T0, grade)}
    assert by_target["国务院"] == T0 + timedelta(hours=7)


def test_reporting_rejects_bad_input() -> None:
    with pytest.raises(RuleInputError, match="grade"):
        reporting_deadlines(T0, "特大")
    with pytest.raises(RuleInputError, match="occurred_at"):
        reporting_deadlines("2025-10-01", "一般")  # type: ignore[arg-type]


def test_admin_edit_of_grade_floor_takes_effect() -> None:
    edited = refdata.rows("accident_grades")
    for row in edited:
        if row["grade"] == "一般":
            row["min_direct_loss_yuan"] = 2_000_000
    refdata.install({"accident_grades": edited})
    assert grade_accident(0, 0, 1_500_000) is None
    refdata.reset()
    assert grade_accident(0, 0, 1_500_000) == "一般"
