"""The inspection list: filters by date, project, grid, supervisor, kind and campaign, pushed into SQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from station_app.services import auth
from station_app.services.inspections.forms import FindingData
from station_app.services.inspections.jgj59 import Jgj59EntryData
from station_app.services.inspections.records import create_inspection
from station_app.services.inspections.table import INSPECTION_LIST
from station_app.services.listing import ListQuery
from tests.conftest import PASSWORD, Station
from tests.services.inspections.inspection_fixtures import Site, form, make_site


@pytest.fixture
def listed(station: Station) -> tuple[Site, dict[str, int]]:
    site = make_site(station)
    st = station
    with st.db.write() as s:
        third = auth.create_user(s, st.admin, "sup3", "钱监督", "监督员", PASSWORD).id
    sup1, sup2, chief = st.supervisor.user_id, st.supervisor2.user_id, st.chief.user_id
    assert sup1 and sup2 and chief
    fire = site.campaigns["消防“生命至上 隐患必除”"]
    rows = {
        "a": form(site, inspected_at=datetime(2026, 1, 5, 9), inspector_ids=(sup1, sup2)),
        "b": form(site, inspected_at=datetime(2026, 2, 5, 21), kind="夜查", inspector_ids=(sup1, third),
                  findings=(FindingData("塔吊未办理使用登记即投入使用", level="重大", criterion_code="2024-8-1"),)),
        "c": form(site, project_id=site.project_b, inspected_at=datetime(2026, 2, 20, 10), kind="专项检查",
                  campaign_id=fire, inspector_ids=(sup2, third), jgj59_entries=(Jgj59EntryData("B.1-1", 9),)),
        "d": form(site, project_id=site.project_b, inspected_at=datetime(2026, 3, 1, 10), kind="四不两直",
                  inspector_ids=(chief, third)),
    }
    ids = {}
    with st.db.write() as s:
        for key, data in rows.items():
            ids[key] = create_inspection(s, st.clerk, data).id
    ids["third"] = third
    return site, ids


def _ids(station: Station, **filters: object) -> set[int]:
    q = ListQuery(filters=filters, limit=1000)
    with station.db.read() as s:
        rows = INSPECTION_LIST.page(s, q)
        assert INSPECTION_LIST.count(s, q) == len(rows)
    return {r[0] for r in rows}


def test_filters(listed: tuple[Site, dict[str, int]]) -> None:
    site, ids = listed
    st = site.station
    a, b, c, d = ids["a"], ids["b"], ids["c"], ids["d"]
    assert _ids(st) == {a, b, c, d}
    assert _ids(st, date_from=date(2026, 2, 5), date_to=date(2026, 2, 20)) == {b, c}  # both ends inclusive
    assert _ids(st, project_id=site.project) == {a, b}
    assert _ids(st, grid_id=site.grid_b) == {c, d}
    assert _ids(st, grid_id=-1) == set()
    assert _ids(st, supervisor_id=st.supervisor.user_id) == {a, b}
    assert _ids(st, supervisor_id=ids["third"]) == {b, c, d}
    assert _ids(st, kind="夜查") == {b}
    assert _ids(st, kind=["夜查", "四不两直"]) == {b, d}
    assert _ids(st, campaign_id=site.campaigns["消防“生命至上 隐患必除”"]) == {c}
    assert _ids(st, campaign_id=-1) == {a, b, d}
    assert _ids(st, has_major=True) == {b}
    assert _ids(st, supervisor_id=ids["third"], grid_id=site.grid_b, kind="专项检查") == {c}


def test_columns_sort_and_search(listed: tuple[Site, dict[str, int]]) -> None:
    site, ids = listed
    st = site.station
    keys = [c.key for c in INSPECTION_LIST.columns]
    with st.db.read() as s:
        rows = INSPECTION_LIST.page(s, ListQuery())
        assert [r[0] for r in rows] == [ids["d"], ids["c"], ids["b"], ids["a"]]  # newest first
        by_id = {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}
        assert by_id[ids["b"]]["inspectors"] == "张监督、钱监督" and by_id[ids["b"]]["major_count"] == 1
        assert by_id[ids["c"]]["campaign"] == "消防“生命至上 隐患必除”" and by_id[ids["c"]]["grid"] == "开发区网格"
        assert by_id[ids["c"]]["jgj59_grade"] in ("优良", "合格", "不合格")
        asc = INSPECTION_LIST.page(s, ListQuery(sort_key="inspected_at"))
        assert [r[0] for r in asc] == [ids["a"], ids["b"], ids["c"], ids["d"]]
        assert {r[0] for r in INSPECTION_LIST.page(s, ListQuery(text="qjd"))} == {ids["b"], ids["c"], ids["d"]}
        assert {r[0] for r in INSPECTION_LIST.page(s, ListQuery(text="标准厂房"))} == {ids["c"], ids["d"]}
