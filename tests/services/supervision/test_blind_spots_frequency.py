"""Required inspection frequency: reference-data default, per-project plan, raise rules, and their
effect on the blind spots."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from station_app.errors import PermissionDenied, ValidationError
from station_app.rules import refdata
from station_app.services.supervision import blind_spots
from station_app.services.supervision.assignments import set_team
from station_app.services.supervision.blind_spots import list_blind_spots
from station_app.services.supervision.frequency import (
    FrequencySubject,
    SupervisionFacts,
    get_frequency,
    interval_for_visits,
    required_frequency,
    required_interval_days,
    set_plan_interval,
)
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import add_grid, add_inspection, add_project

TODAY = date(2025, 6, 30)
UC = FrequencySubject("在建")


@pytest.fixture(autouse=True)
def _shipped_reference_data() -> object:
    refdata.reset()
    yield None
    refdata.reset()


def test_visits_per_month_to_interval() -> None:
    assert [interval_for_visits(v) for v in (0, 1, 2, 3, 4)] == [None, 30, 15, 10, 7]


def test_raise_rules_shorten_the_interval() -> None:
    assert required_interval_days(UC, on=TODAY) == 30
    assert required_interval_days(UC, SupervisionFacts(super_scale_dangerous_active=True), TODAY) == 15
    assert required_interval_days(UC, SupervisionFacts(open_major_hazards=1), TODAY) == 7
    assert required_interval_days(UC, SupervisionFacts(open_ordinary_hazards=9), TODAY) == 30
    assert required_interval_days(UC, SupervisionFacts(open_ordinary_hazards=10), TODAY) == 15
    assert required_interval_days(UC, SupervisionFacts(last_accident_on=date(2025, 1, 5)), TODAY) == 15
    assert required_interval_days(UC, SupervisionFacts(contractor_last_accident_on=date(2024, 9, 1)), TODAY) == 15
    assert required_interval_days(UC, SupervisionFacts(last_accident_on=date(2024, 5, 1)), TODAY) == 30  # > 12 months
    both = required_frequency(UC, SupervisionFacts(super_scale_dangerous_active=True, open_major_hazards=2), TODAY)
    assert both.interval_days == 7 and both.raised
    assert both.reasons == ("默认（在建项目每月1次）", "加密：超过一定规模的危大工程正在施工", "加密：存在未销号的重大事故隐患")
    assert required_interval_days(FrequencySubject("停工"), SupervisionFacts(open_major_hazards=1), TODAY) is None
    assert required_interval_days(FrequencySubject("已竣工", 10), on=TODAY) is None


def test_plan_replaces_default_and_raises_still_apply() -> None:
    assert required_interval_days(FrequencySubject("在建", 10), on=TODAY) == 10
    assert required_interval_days(FrequencySubject("在建", 60), on=TODAY) == 60
    assert required_interval_days(FrequencySubject("在建", 10), SupervisionFacts(super_scale_dangerous_active=True),
                                  TODAY) == 10  # a raise never loosens the plan
    assert required_interval_days(FrequencySubject("在建", 60), SupervisionFacts(open_major_hazards=1), TODAY) == 7
    assert required_interval_days(FrequencySubject("停工", 90), on=TODAY) == 90


def test_edited_reference_data_changes_the_interval() -> None:
    rows = refdata.rows("supervision_frequency")
    for row in rows:
        if row["key"] == "base":
            row["min_visits_per_month"] = 2
        if row["key"] == "super_scale_dangerous_active":
            row["min_visits_per_month"] = 3
    refdata.install({"supervision_frequency": rows})
    assert required_interval_days(UC, on=TODAY) == 15
    assert required_interval_days(UC, SupervisionFacts(super_scale_dangerous_active=True), TODAY) == 10


def test_plan_edit_roles_validation_and_blind_spot_effect(station: Station, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    assert a and b
    grid = add_grid(station, "城区网格")
    p1 = add_project(station, "一号项目", grid_id=grid)
    p2 = add_project(station, "二号项目", grid_id=grid)
    with station.db.write() as s:
        for pid in (p1, p2):
            set_team(s, station.chief, pid, a, [b], date(2025, 1, 1))
    for pid in (p1, p2):
        add_inspection(station, pid, datetime(2025, 6, 10, 10, 0), (a, b))
    with station.db.read() as s:
        assert list_blind_spots(s, TODAY) == []  # 20 days < 30
    with pytest.raises(PermissionDenied, match="监督检查频次"), station.db.write() as s:
        set_plan_interval(s, station.supervisor, p1, 14)
    for bad in (0, 400):
        with pytest.raises(ValidationError) as err, station.db.write() as s:
            set_plan_interval(s, station.chief, p1, bad)
        assert "检查间隔（天）" in err.value.errors
    with station.db.write() as s:
        f = set_plan_interval(s, station.chief, p1, 14, note="深基坑施工阶段")
    assert f.plan_interval_days == 14 and f.required.interval_days == 14 and f.plan_version == 1
    # the raise facts come through collect_facts (later issues fill it): p2 has an open major hazard
    monkeypatch.setattr(blind_spots, "collect_facts",
                        lambda session, ids, on: {p2: SupervisionFacts(open_major_hazards=1)})
    with station.db.read() as s:
        spots = {x.project_name: x for x in list_blind_spots(s, TODAY)}
    assert spots["一号项目"].required_interval_days == 14 and spots["一号项目"].overdue_days == 6
    assert spots["二号项目"].required_interval_days == 7 and spots["二号项目"].overdue_days == 13
    with station.db.write() as s:
        f = set_plan_interval(s, station.chief, p1, None, expected_version=1)
    assert f.plan_interval_days is None and f.required.interval_days == 30
    with station.db.read() as s:
        assert get_frequency(s, p1, TODAY).required.reasons == ("默认（在建项目每月1次）",)
