"""The hazard ledger feeds workload (open hazards per supervisor and grid), the required inspection
frequency (open major hazards raise it) and the supervisor portraits (found, closed, 整改率, overdue)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from station_app import clock
from station_app.services.hazards.lifecycle import cancel_hazard, report_rectification, review
from station_app.services.supervision.frequency import collect_facts, get_frequency
from station_app.services.supervision.portraits import supervisor_portraits
from station_app.services.supervision.workload import grid_workload, supervisor_workload
from tests.conftest import Station
from tests.services.hazards.hazard_fixtures import (
    HazardSite,
    hazard_input,
    major_input,
    make_hazard_site,
    register,
)
from tests.services.inspections.inspection_fixtures import make_site


@pytest.fixture
def hs(station: Station, tmp_path: Path) -> HazardSite:
    return make_hazard_site(make_site(station), tmp_path)


@pytest.mark.clock
def test_workload_frequency_and_portraits(hs: HazardSite) -> None:
    st, site = hs.station, hs.site
    with st.db.read() as s:
        base = get_frequency(s, site.project).required
        assert collect_facts(s, None, clock.today()) == {}
    major = register(hs, major_input(hs))
    register(hs, hazard_input(hs, deadline=date(2026, 3, 12)))  # open and overdue
    closed = register(hs, hazard_input(hs, description="安全通道未搭设防护棚"))
    gone = register(hs, hazard_input(hs, description="重复"))
    with st.db.write() as s:
        report_rectification(s, st.clerk, closed.id, files=[str(hs.photo)], store=hs.store,
                             on_date=date(2026, 3, 11))
        review(s, st.supervisor, closed.id, passed=True, files=[str(hs.photo)], store=hs.store,
               on_date=date(2026, 3, 12))
        cancel_hazard(s, st.chief, gone.id, reason="重复登记")
    with st.db.read() as s:
        facts = collect_facts(s, [site.project, site.project_b], clock.today())
        assert set(facts) == {site.project}
        assert (facts[site.project].open_major_hazards, facts[site.project].open_ordinary_hazards) == (1, 1)
        raised = get_frequency(s, site.project).required
        assert raised.raised and raised.interval_days is not None and base.interval_days is not None
        assert raised.interval_days < base.interval_days
        assert any("重大" in r for r in raised.reasons)
        people = {r.name: r for r in supervisor_workload(s)}
        grids = {r.name: r for r in grid_workload(s)}
        assert people["张监督"].open_hazards == 2 == people["赵监督"].open_hazards  # both on the project's team
        assert people["李站长"].open_hazards == 0
        assert grids["城区网格"].open_hazards == 2 and grids["开发区网格"].open_hazards == 0
        report = supervisor_portraits(s, st.chief, date(2026, 3, 1), date(2026, 3, 31))
        zhang = next(r for r in report.rows if r.name == "张监督")
        assert (zhang.hazards_found, zhang.hazards_found_closed, zhang.hazards_closed) == (4, 1, 1)
        assert zhang.hazards_overdue == 2  # the overdue ordinary one and the major one (deadline 04-09)
        assert str(zhang.hazard_rectification_rate) == "0.2500"
        earlier = supervisor_portraits(s, st.chief, date(2026, 1, 1), date(2026, 1, 31))
        assert next(r for r in earlier.rows if r.name == "张监督").hazards_found == 0
    assert major.deadline == date(2026, 3, 10) + timedelta(days=30)
