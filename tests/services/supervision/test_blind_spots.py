"""监管盲区 on SQLite and PostgreSQL: no grid, no principal/second, disabled account, overdue."""

from __future__ import annotations

from datetime import date, datetime

from station_app.services.supervision.assignments import set_team
from station_app.services.supervision.blind_spots import (
    BlindSpotReason,
    blind_spot_counts,
    count_blind_spots,
    list_blind_spots,
)
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import (
    add_grid,
    add_inspection,
    add_project,
    add_user,
    disable_user,
)

TODAY = date(2025, 6, 30)


def test_blind_spots_list_each_reason(station: Station) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    c = add_user(station, "sup3", "孙监督").user_id
    assert a and b and c
    grid = add_grid(station, "城区网格")
    healthy = add_project(station, "健康项目", grid_id=grid)
    no_grid = add_project(station, "无网格项目")
    add_project(station, "无人监督项目", grid_id=grid, status="未开工")
    disabled = add_project(station, "停用账号项目", grid_id=grid)
    overdue = add_project(station, "超期项目", grid_id=grid)
    add_project(station, "竣工待验项目", status="竣工待验", grid_id=grid)  # 在监, no team; no visit due
    with station.db.write() as s:
        for pid in (healthy, no_grid, overdue):
            set_team(s, station.chief, pid, a, [b], date(2025, 1, 1))
        set_team(s, station.chief, disabled, c, [b], date(2025, 1, 1))
    disable_user(station, c)
    for pid in (healthy, no_grid, disabled):
        add_inspection(station, pid, datetime(2025, 6, 20, 9, 30), (a, b))
    add_inspection(station, overdue, datetime(2025, 5, 20, 9, 30), (a, b))
    add_inspection(station, overdue, datetime(2025, 7, 2, 9, 30), (a, b))  # after "today": not counted
    with station.db.read() as s:
        spots = {x.project_name: x for x in list_blind_spots(s, TODAY)}
        assert count_blind_spots(s, TODAY) == 5
        counts = blind_spot_counts(s, TODAY)
        mine = {x.project_name for x in list_blind_spots(s, TODAY, user_id=a)}
        no_grid_only = [x.project_name for x in list_blind_spots(s, TODAY, grid_id=-1)]
        overdue_only = [x.project_name for x in list_blind_spots(s, TODAY, reasons=[BlindSpotReason.OVERDUE])]
    assert "健康项目" not in spots
    assert spots["无网格项目"].reasons == ("未划分网格",)
    assert spots["无人监督项目"].reasons == ("无主监督员", "无第二监督员")  # 未开工: no inspection due
    assert spots["停用账号项目"].reasons == ("监督员账号已停用",)
    assert spots["停用账号项目"].disabled_supervisors == ("孙监督",)
    assert spots["停用账号项目"].team == "孙监督（主）、赵监督"
    o = spots["超期项目"]
    assert o.reasons == ("超期未检查",) and o.last_inspected_on == date(2025, 5, 20)
    assert o.required_interval_days == 30 and o.overdue_days == 41 - 30
    assert spots["竣工待验项目"].reasons == ("无主监督员", "无第二监督员")
    assert counts["无主监督员"] == 2 and counts["超期未检查"] == 1 and counts["未划分网格"] == 1
    assert mine == {"无网格项目", "超期项目"}
    assert no_grid_only == ["无网格项目"]
    assert overdue_only == ["超期项目"]


def test_never_inspected_project_counts_from_its_start(station: Station) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    assert a and b
    grid = add_grid(station, "城区网格")
    recent = add_project(station, "新开工项目", grid_id=grid, start=date(2025, 6, 10))
    old = add_project(station, "久未检查项目", grid_id=grid, start=date(2025, 5, 1))
    with station.db.write() as s:
        for pid in (recent, old):
            set_team(s, station.chief, pid, a, [b], date(2025, 5, 1))
    with station.db.read() as s:
        spots = list_blind_spots(s, TODAY)
    assert [(x.project_name, x.overdue_days) for x in spots] == [("久未检查项目", 60 - 30)]
