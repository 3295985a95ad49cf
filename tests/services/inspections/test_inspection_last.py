"""The "上次检查" query the inspection form offers on F3, and one version step per save of an inspection."""

from __future__ import annotations

from datetime import datetime

from station_app.services.inspections.records import create_inspection
from station_app.services.inspections.table import last_inspection_id
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import form, make_site


def test_last_inspection_of_a_project(station: Station) -> None:
    site = make_site(station)
    st = station
    with st.db.write() as s:
        first = create_inspection(s, st.clerk, form(site, inspected_at=datetime(2026, 1, 5, 9))).id
        second = create_inspection(s, st.clerk, form(site, inspected_at=datetime(2026, 2, 5, 9))).id
        other = create_inspection(s, st.clerk, form(site, project_id=site.project_b,
                                                    inspected_at=datetime(2026, 3, 1, 9))).id
    with st.db.read() as s:
        assert last_inspection_id(s, site.project) == second
        assert last_inspection_id(s, site.project_b) == other
        assert last_inspection_id(s, site.completed) is None
        # editing the latest one: its own row is not "the last inspection"
        assert last_inspection_id(s, site.project, exclude_id=second) == first
        # a new inspection typed for an earlier day sees only what came before it
        assert last_inspection_id(s, site.project, before=datetime(2026, 2, 1)) == first
        assert last_inspection_id(s, site.project, before=datetime(2026, 1, 5, 9)) is None


def test_each_save_bumps_the_version_once(station: Station) -> None:
    """A save that changes the inspection's own fields and one that only changes its findings: +1 each."""
    from dataclasses import replace

    from station_app.services.inspections.forms import FindingData
    from station_app.services.inspections.records import update_inspection

    site = make_site(station)
    st = station
    with st.db.write() as s:
        saved = create_inspection(s, st.clerk, form(site))
    with st.db.write() as s:
        second = update_inspection(s, st.clerk, replace(saved, conclusion="补充结论"))
    assert second.version == 2 and second.conclusion == "补充结论"
    with st.db.write() as s:
        third = update_inspection(s, st.clerk, replace(second, findings=(
            FindingData("安全网破损", category="高处作业"),)))
    assert third.version == 3
