"""全覆盖排查 rounds: which projects and contractors a round reached, per grid and per supervisor."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from station_app.errors import DuplicateRecord, PermissionDenied, ValidationError
from station_app.services.supervision.assignments import set_team
from station_app.services.supervision.coverage import (
    Progress,
    coverage_report,
    create_round,
    delete_round,
    list_rounds,
    update_round,
    year_overview,
)
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import (
    add_enterprise,
    add_grid,
    add_inspection,
    add_project,
    add_user,
)


def test_progress_figures() -> None:
    assert Progress(3, 1).percent == Decimal("33.3")
    assert Progress(3, 2).percent == Decimal("66.7")
    assert Progress(0, 0).percent is None
    assert Progress(4, 1).remaining == 3


def test_round_reaches_projects_and_enterprises(station: Station) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    c = add_user(station, "sup3", "孙监督").user_id
    assert a and b and c
    g1, g2 = add_grid(station, "城区网格"), add_grid(station, "开发区网格")
    e1, e2, e3 = (add_enterprise(station, n, i) for i, n in enumerate(("东海建工", "连云建设", "苏北路桥"), 1))
    pa = add_project(station, "A项目", grid_id=g1, contractor_id=e1)
    pb = add_project(station, "B项目", grid_id=g1, contractor_id=e1)
    pc = add_project(station, "C项目", grid_id=g2, contractor_id=e2)
    pd = add_project(station, "D项目", grid_id=g2, contractor_id=e3, status="停工")
    add_project(station, "E项目", grid_id=g2, contractor_id=e2, status="未开工")  # out of scope
    pf = add_project(station, "F项目", contractor_id=e2, status="竣工待验")
    with station.db.write() as s:
        set_team(s, station.chief, pa, a, [b], date(2025, 1, 1))
        set_team(s, station.chief, pb, a, [b], date(2025, 1, 1))
        set_team(s, station.chief, pc, c, [b], date(2025, 1, 1))
        set_team(s, station.chief, pd, c, [a], date(2025, 1, 1))
    add_inspection(station, pa, datetime(2025, 3, 1, 8, 0), (a, b))  # first day counts
    add_inspection(station, pa, datetime(2025, 4, 2, 8, 0), (a, b))
    add_inspection(station, pc, datetime(2025, 2, 28, 17, 0), (c, b))  # before the round
    add_inspection(station, pd, datetime(2025, 6, 30, 16, 0), (c, a), kind="专项检查")  # last day counts
    add_inspection(station, pb, datetime(2025, 7, 1, 9, 0), (a, b))  # after the round
    add_inspection(station, pf, datetime(2025, 5, 5, 9, 0), (a, b))
    with station.db.write() as s:
        rnd = create_round(s, station.clerk, "2025年第一轮全覆盖排查", date(2025, 3, 1), date(2025, 6, 30))
        special = create_round(s, station.chief, "2025年专项排查", date(2025, 3, 1), date(2025, 6, 30),
                               inspection_kind="专项检查")
    with station.db.read() as s:
        report = coverage_report(s, rnd.id, today=date(2025, 8, 1))
        only_special = coverage_report(s, special.id, today=date(2025, 8, 1))
        overview = year_overview(s, 2025, today=date(2025, 8, 1))
    assert report.as_of == date(2025, 6, 30)
    assert (report.projects.total, report.projects.reached) == (5, 3)  # A, D, F of A B C D F
    assert report.projects.percent == Decimal("60.0")
    rows = {r.name: r for r in report.project_rows}
    assert rows["A项目"].first_reached_on == date(2025, 3, 1) and rows["A项目"].inspections == 2
    assert not rows["B项目"].reached and not rows["C项目"].reached and "E项目" not in rows
    # enterprises: 东海建工 (A reached), 连云建设 (F reached, C not), 苏北路桥 (D reached)
    assert (report.enterprises.total, report.enterprises.reached) == (3, 3)
    ents = {e.name: (e.projects, e.reached_projects) for e in report.enterprise_rows}
    assert ents == {"东海建工": (2, 1), "连云建设": (2, 1), "苏北路桥": (1, 1)}
    grids = {g.name: (g.projects.total, g.projects.reached, g.enterprises.total, g.enterprises.reached)
             for g in report.by_grid}
    assert grids == {"城区网格": (2, 1, 1, 1), "开发区网格": (2, 1, 2, 1), "未划分网格": (1, 1, 1, 1)}
    assert [g.name for g in report.by_grid][-1] == "未划分网格"
    sups = {g.name: (g.projects.total, g.projects.reached) for g in report.by_supervisor}
    assert sups == {"张监督": (3, 2), "赵监督": (3, 1), "孙监督": (2, 1), "未安排监督员": (1, 1)}
    assert (only_special.projects.total, only_special.projects.reached) == (5, 1)  # only D had a 专项检查
    assert {r.name for r in only_special.project_rows if r.reached} == {"D项目"}
    assert [(i.name, p.reached) for i, p in overview] == [("2025年专项排查", 1), ("2025年第一轮全覆盖排查", 3)]


def test_round_validation_roles_and_edits(station: Station) -> None:
    with pytest.raises(PermissionDenied, match="全覆盖排查"), station.db.write() as s:
        create_round(s, station.supervisor, "第一轮", date(2025, 3, 1), date(2025, 6, 30))
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        create_round(s, station.clerk, "第一轮", date(2025, 6, 30), date(2025, 3, 1), inspection_kind="随便查")
    assert "结束日期" in err.value.errors and "检查类型" in err.value.errors
    with station.db.write() as s:
        r = create_round(s, station.clerk, "第一轮", date(2025, 3, 1), date(2025, 6, 30))
    with pytest.raises(DuplicateRecord), station.db.write() as s:
        create_round(s, station.clerk, "第一轮", date(2025, 7, 1), date(2025, 12, 31))
    with station.db.write() as s:
        r2 = update_round(s, station.clerk, r.id, name="2025年第一轮", starts_on=date(2025, 3, 1),
                          ends_on=date(2025, 7, 15), expected_version=r.version)
    assert r2.ends_on == date(2025, 7, 15) and r2.version == r.version + 1
    with station.db.read() as s:
        assert [x.name for x in list_rounds(s, 2025)] == ["2025年第一轮"]
        assert list_rounds(s, 2024) == []
    with station.db.write() as s:
        delete_round(s, station.chief, r.id)
    with station.db.read() as s:
        assert list_rounds(s) == []
