"""The 项目分工 list: SQL filters and sort, the names of a page from one teams_on query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from station_app import clock
from station_app.services.listing import ListQuery
from station_app.services.supervision.assignments import set_team
from station_app.services.supervision.team_table import TEAM_LIST, team_page
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import add_grid, add_project, add_user


def _names(station: Station, **filters: object) -> list[str]:
    q = ListQuery(filters=dict(filters))
    with station.db.read() as s:
        rows = team_page(s, q)
        assert TEAM_LIST.count(s, q) == len(rows)
    return [r[1] for r in rows]


@pytest.mark.clock
def test_team_list_filters_and_names(station: Station) -> None:
    sup3 = add_user(station, "sup3", "孙监督")
    a, b, c = station.supervisor.user_id, station.supervisor2.user_id, sup3.user_id
    assert a is not None and b is not None and c is not None
    grid = add_grid(station, "城区网格")
    p1 = add_project(station, "甲工程", grid_id=grid, town="牛山街道")
    p2 = add_project(station, "乙工程", town="石榴街道")
    add_project(station, "丙工程", grid_id=grid)
    add_project(station, "丁工程", status="终止监督")  # not in supervision: never listed
    yesterday = clock.today() - timedelta(days=1)
    with station.db.write() as s:
        set_team(s, station.chief, p1, a, [b, c], yesterday)
        set_team(s, station.chief, p2, b, [a], yesterday)

    assert sorted(_names(station)) == ["丙工程", "乙工程", "甲工程"]
    assert sorted(_names(station, grid_id=grid)) == ["丙工程", "甲工程"]
    assert _names(station, grid_id=-1) == ["乙工程"]
    assert _names(station, town="石榴街道") == ["乙工程"]
    assert sorted(_names(station, supervisor_id=a)) == ["乙工程", "甲工程"]
    assert _names(station, supervisor_id=c) == ["甲工程"]
    assert _names(station, unassigned=True) == ["丙工程"]

    with station.db.read() as s:
        rows = {r[1]: r for r in team_page(s, ListQuery())}
    principal = TEAM_LIST.columns.index(TEAM_LIST.column("principal")) + 1
    seconds = TEAM_LIST.columns.index(TEAM_LIST.column("seconds")) + 1
    since = TEAM_LIST.columns.index(TEAM_LIST.column("since")) + 1
    assert rows["甲工程"][principal] == "张监督" and rows["甲工程"][seconds] == "赵监督、孙监督"
    assert rows["甲工程"][since] == yesterday
    assert rows["丙工程"][principal] is None and rows["丙工程"][seconds] is None

    # sorting by the principal's name is done in SQL (no team last)
    with station.db.read() as s:
        ordered = [r[1] for r in team_page(s, ListQuery(sort_key="principal"))]
    assert ordered[-1] == "丙工程"


def test_a_page_costs_a_fixed_number_of_queries(station: Station) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    assert a is not None and b is not None
    ids = [add_project(station, f"项目{i:02d}") for i in range(12)]
    with station.db.write() as s:
        for pid in ids:
            set_team(s, station.chief, pid, a, [b], clock.today())
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(station.db.engine, "before_cursor_execute", count)
    try:
        with station.db.read() as s:
            rows = team_page(s, ListQuery(limit=200))
    finally:
        event.remove(station.db.engine, "before_cursor_execute", count)
    assert len(rows) == 12
    assert len([x for x in statements if x.lstrip().upper().startswith("SELECT")]) == 2
