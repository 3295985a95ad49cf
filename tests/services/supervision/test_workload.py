"""Workload per supervisor and per grid, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Subquery, func, select

from station_app.models import Inspection
from station_app.services.supervision import workload
from station_app.services.supervision.assignments import set_team
from station_app.services.supervision.workload import grid_workload, supervisor_workload
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import (
    add_grid,
    add_inspection,
    add_project,
    add_user,
    disable_user,
)

ON = date(2025, 6, 30)


def test_supervisor_and_grid_workload(station: Station, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    c = add_user(station, "sup3", "孙监督").user_id
    gone = add_user(station, "sup4", "钱离职").user_id
    idle = add_user(station, "sup5", "周空闲").user_id
    assert a and b and c and gone and idle
    g1, g2 = add_grid(station, "城区网格"), add_grid(station, "开发区网格")
    p1 = add_project(station, "一号", grid_id=g1, area=Decimal("1000.50"), cost_fen=10_000_000)
    p2 = add_project(station, "二号", grid_id=g1, status="停工", area=Decimal("500"), cost_fen=5_000_000)
    p3 = add_project(station, "三号", grid_id=g2, area=Decimal("200.25"), cost_fen=2_000_000)
    p4 = add_project(station, "四号", area=Decimal("80"))  # no grid
    done = add_project(station, "已结束", grid_id=g2, status="竣工待验")
    with station.db.write() as s:
        set_team(s, station.chief, p1, a, [b], date(2025, 1, 1))
        set_team(s, station.chief, p2, a, [b], date(2025, 1, 1))
        set_team(s, station.chief, p3, b, [a, c], date(2025, 1, 1))
        set_team(s, station.chief, p4, gone, [c], date(2025, 1, 1))
        set_team(s, station.chief, done, c, [b], date(2025, 1, 1))
    disable_user(station, gone)
    add_inspection(station, p1, datetime(2025, 6, 3, 9, 0), (a, b))
    add_inspection(station, p3, datetime(2025, 6, 30, 23, 0), (a, c))  # the last evening counts
    add_inspection(station, p1, datetime(2025, 2, 3, 9, 0), (a, b))
    add_inspection(station, p1, datetime(2024, 12, 3, 9, 0), (a, b))  # last year
    add_inspection(station, p3, datetime(2025, 7, 1, 9, 0), (b, c))  # after the day
    with station.db.read() as s:
        people = {r.name: r for r in supervisor_workload(s, ON)}
        grids = {r.name: r for r in grid_workload(s, ON)}
    assert set(people) == {"李站长", "张监督", "赵监督", "孙监督", "钱离职", "周空闲"}
    z = people["张监督"]
    assert (z.principal_projects, z.second_projects, z.projects, z.under_construction_projects) == (2, 1, 3, 2)
    assert z.under_construction_area == Decimal("1200.75") and z.under_construction_cost_fen == 12_000_000
    assert (z.inspections_month, z.inspections_year) == (2, 3)
    assert z.open_hazards == 0  # no hazard in the ledger
    zh = people["赵监督"]
    assert (zh.principal_projects, zh.second_projects, zh.projects) == (1, 3, 4)  # 竣工待验 is still 在监
    assert (zh.inspections_month, zh.inspections_year) == (1, 2)
    assert not people["钱离职"].active and people["钱离职"].principal_projects == 1
    assert people["周空闲"].projects == 0 and people["周空闲"].under_construction_area == Decimal("0.00")
    city = grids["城区网格"]
    assert (city.projects, city.under_construction_projects, city.supervisors) == (2, 1, 2)
    assert city.under_construction_area == Decimal("1000.50") and city.under_construction_cost_fen == 10_000_000
    assert (city.inspections_month, city.inspections_year) == (1, 2)
    dev = grids["开发区网格"]
    assert (dev.projects, dev.under_construction_projects, dev.supervisors, dev.inspections_month) == (2, 1, 3, 1)
    assert grids["未划分网格"].projects == 1 and grids["未划分网格"].grid_id is None
    assert list(grids)[-1] == "未划分网格"

    # the open-hazard term plugs in as one (project_id, n) subquery: here, findings per project
    def fake_open_hazards() -> Subquery:
        return (select(Inspection.project_id.label("project_id"), func.sum(Inspection.finding_count).label("n"))
                .group_by(Inspection.project_id).subquery())

    monkeypatch.setattr(workload, "open_hazards_subquery", fake_open_hazards)
    with station.db.write() as s:
        for insp in s.scalars(select(Inspection)):
            insp.finding_count = 2
    with station.db.read() as s:
        people = {r.name: r for r in supervisor_workload(s, ON)}
        grids = {r.name: r for r in grid_workload(s, ON)}
    assert people["张监督"].open_hazards == 6 + 4  # 一号: 3 inspections × 2; 三号: 2 × 2
    assert people["周空闲"].open_hazards == 0
    assert grids["城区网格"].open_hazards == 6 and grids["未划分网格"].open_hazards == 0
