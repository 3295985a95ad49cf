"""The 隐患台账 list (SQLite and PostgreSQL): each filter, sort by every column, search, the derived
逾期天数 with ``as_of``, and bulk actions all-or-nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from station_app import clock
from station_app.errors import PermissionDenied, ValidationError
from station_app.models import Hazard, HazardEvent
from station_app.services.hazards.bulk import bulk_assign_supervisor, bulk_extend_deadline
from station_app.services.hazards.ledger import HAZARD_LIST
from station_app.services.hazards.lifecycle import (
    cancel_hazard,
    report_rectification,
    review,
    start_rectification,
)
from station_app.services.listing import ListQuery
from tests.conftest import Station
from tests.services.hazards.hazard_fixtures import (
    HazardSite,
    hazard_input,
    major_input,
    make_hazard_site,
    register,
)
from tests.services.inspections.inspection_fixtures import make_site

AS_OF = date(2026, 4, 1)


@pytest.fixture
def ledger(station: Station, tmp_path: Path) -> tuple[HazardSite, dict[str, int]]:
    """Five hazards: open overdue, open major listed, closed, cancelled, 2023 stock on project B."""
    hs = make_hazard_site(make_site(station), tmp_path)
    st = hs.station
    ids = {
        "overdue": register(hs, hazard_input(hs, description="临边防护缺失", deadline=date(2026, 3, 20))).id,
        "major": register(hs, major_input(hs, deadline=date(2026, 4, 30)), actor=st.supervisor).id,
        "closed": register(hs, hazard_input(hs, category="施工用电", description="配电箱无门无锁",
                                            found_on=date(2026, 2, 1))).id,
        "cancelled": register(hs, hazard_input(hs, description="重复登记的隐患")).id,
        "stock": register(hs, hazard_input(hs, project_id=hs.site.project_b, found_on=date(2023, 11, 5),
                                           description="2023年遗留的脚手架问题", category="脚手架",
                                           source="上级督查", deadline=date(2023, 11, 20))).id,
    }
    with st.db.write() as s:
        report_rectification(s, st.clerk, ids["closed"], files=[str(hs.photo)], store=hs.store,
                             on_date=date(2026, 2, 5))
        review(s, st.supervisor, ids["closed"], passed=True, files=[str(hs.photo)], store=hs.store,
               on_date=date(2026, 2, 6))
        cancel_hazard(s, st.chief, ids["cancelled"], reason="重复")
        start_rectification(s, st.clerk, ids["major"])
        s.get(Hazard, ids["major"]).listing_level = "市级"  # type: ignore[union-attr]  # B's 挂牌督办 sets it
    return hs, ids


def _ids(st: Station, **filters: Any) -> set[int]:
    with st.db.read() as s:
        q = ListQuery(filters={"as_of": AS_OF, **filters}, limit=100)
        rows = HAZARD_LIST.page(s, q)
        assert HAZARD_LIST.count(s, q) == len(rows)
    return {r[0] for r in rows}


def test_each_filter(ledger: tuple[HazardSite, dict[str, int]]) -> None:
    hs, ids = ledger
    st, site = hs.station, hs.site
    every = set(ids.values())
    open_ = {ids["overdue"], ids["major"], ids["stock"]}
    cases: list[tuple[dict[str, Any], set[int]]] = [
        ({}, every),
        ({"state": "已销号"}, {ids["closed"]}),
        ({"state": ("已销号", "已撤销")}, {ids["closed"], ids["cancelled"]}),
        ({"open": True}, open_),
        ({"level": "重大"}, {ids["major"]}),
        ({"overdue": True}, {ids["overdue"], ids["stock"]}),
        ({"overdue": True, "as_of": date(2026, 3, 15)}, {ids["stock"]}),
        ({"grid": site.grid_b}, {ids["stock"]}),
        ({"grid": -1}, set()),
        ({"supervisor": st.supervisor.user_id}, every - {ids["stock"]}),
        ({"project": site.project_b}, {ids["stock"]}),
        ({"contractor": -1}, {ids["stock"]}),
        ({"category": "施工用电"}, {ids["closed"]}),
        ({"criterion": "2024-5-2"}, {ids["major"]}),
        ({"source": "上级督查"}, {ids["stock"]}),
        ({"listed": True}, {ids["major"]}),
        ({"listed": "县级"}, set()),
        ({"found_from": date(2026, 3, 1), "found_to": date(2026, 3, 31)},
         {ids["overdue"], ids["major"], ids["cancelled"]}),
        ({"closed_from": date(2026, 2, 6), "closed_to": date(2026, 2, 6)}, {ids["closed"]}),
        ({"stock_2023": True}, {ids["stock"]}),
        ({"stock_2023": True, "open": True, "overdue": True}, {ids["stock"]}),
        ({"ids": (ids["major"], ids["closed"])}, {ids["major"], ids["closed"]}),
    ]
    for filters, expected in cases:
        assert _ids(st, **filters) == expected, filters


@pytest.mark.clock
def test_overdue_days_derived_and_sort_by_every_column(ledger: tuple[HazardSite, dict[str, int]]) -> None:
    hs, ids = ledger
    st = hs.station
    col = [c.key for c in HAZARD_LIST.columns].index("overdue_days") + 1
    with st.db.read() as s:
        rows = {r[0]: r for r in HAZARD_LIST.page(s, ListQuery(filters={"as_of": AS_OF}))}
        assert rows[ids["overdue"]][col] == 12 and rows[ids["stock"]][col] == (AS_OF - date(2023, 11, 20)).days
        assert rows[ids["closed"]][col] is None and rows[ids["major"]][col] is None
        today_rows = {r[0]: r for r in HAZARD_LIST.page(s, ListQuery())}
        assert today_rows[ids["overdue"]][col] == (clock.today() - date(2026, 3, 20)).days
        default = [r[0] for r in HAZARD_LIST.page(s, ListQuery())]
        assert default[-1] == ids["stock"]  # newest found first
        for key in ("state", "grid", None):  # pages of 2 follow on from each other in the view's order
            q = ListQuery(sort_key=key, limit=2)
            whole = [r[0] for r in HAZARD_LIST.page(s, replace(q, limit=10))]
            paged = [r[0] for off in (0, 2, 4) for r in HAZARD_LIST.page(s, replace(q, offset=off))]
            assert paged == whole == [r[0] for r in s.execute(HAZARD_LIST.stream_statement(q))]
        for i, c in enumerate(HAZARD_LIST.columns, 1):
            for desc in (False, True):
                got = HAZARD_LIST.page(s, ListQuery(filters={"as_of": AS_OF}, sort_key=c.key, descending=desc))
                values = [r[i] for r in got if r[i] is not None]
                assert values == sorted(values, reverse=desc), (c.key, desc)
                assert all(r[i] is None for r in got[len(values):]), c.key  # NULLs last


def test_search(ledger: tuple[HazardSite, dict[str, int]]) -> None:
    hs, ids = ledger
    st = hs.station
    with st.db.read() as s:
        def find(text: str) -> set[int]:
            return {r[0] for r in HAZARD_LIST.page(s, ListQuery(text=text))}

        assert find("YH2023-000001") == {ids["stock"]}
        assert find("配电箱") == {ids["closed"]}
        assert find("kfqbzcf") == {ids["stock"]}  # 开发区标准厂房 by 拼音首字母
        assert ids["major"] in find("东海建工")


@pytest.mark.clock
def test_bulk_extend_all_or_nothing(ledger: tuple[HazardSite, dict[str, int]]) -> None:
    hs, ids = ledger
    st = hs.station
    new = clock.today() + timedelta(days=15)
    with st.db.read() as s:
        events = len(list(s.scalars(select(HazardEvent.id))))
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        bulk_extend_deadline(s, st.clerk, [ids["overdue"], ids["closed"], ids["stock"]], new_deadline=new,
                             reason="雨季停工")
    assert list(err.value.errors) == ["YH2026-000003"]
    assert "当前状态为“已销号”，不能延长整改期限" in err.value.errors["YH2026-000003"]
    with st.db.read() as s:
        assert s.get(Hazard, ids["overdue"]).deadline == date(2026, 3, 20)  # type: ignore[union-attr]
        assert len(list(s.scalars(select(HazardEvent.id)))) == events  # nothing half-saved
    with st.db.write() as s:
        result = bulk_extend_deadline(s, st.clerk, [ids["overdue"], ids["stock"]], new_deadline=new,
                                      reason="雨季停工")
    assert result.done == 2 and result.codes == ("YH2026-000001", "YH2023-000001")
    assert _ids(st, overdue=True, as_of=clock.today()) == {ids["major"]}  # its deadline (04-30) passed too
    with pytest.raises(PermissionDenied), st.db.write() as s:
        bulk_assign_supervisor(s, st.clerk, [ids["overdue"]], supervisor_id=st.supervisor2.user_id or 0)
    with st.db.write() as s:
        done = bulk_assign_supervisor(s, st.chief, [ids["overdue"], ids["major"], ids["stock"]],
                                      supervisor_id=st.supervisor2.user_id or 0)
    assert done.done == 3
    assert _ids(st, supervisor=st.supervisor2.user_id) == {ids["overdue"], ids["major"], ids["stock"]}
