"""网格与分工 reports: a coverage round's progress, a reproducible 双随机 draw with 复核, the blind-spot
list and the supervisor portraits (a 监督员 sees only their own) — on a real SQLite station."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_app.services.supervision.assignments import set_team
from station_app.services.supervision.coverage import list_rounds
from station_app.views.supervision.page import SupervisionPage
from station_app.views.supervision.team_dialog import TeamDialog
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import (
    add_enterprise,
    add_grid,
    add_inspection,
    add_project,
)
from tests.views.conftest import Messages, make_ctx, type_text
from tests.views.test_supervision_flow import closed, open_page, show, uid


@pytest.fixture
def county(sqlite_station: Station) -> dict[str, int]:
    """Two grids, four projects under way with their contractors, two teams, three inspections."""
    zhang, zhao = uid(sqlite_station, "supervisor"), uid(sqlite_station, "supervisor2")
    east, west = add_grid(sqlite_station, "东部网格"), add_grid(sqlite_station, "西部网格")
    ids = {"east": east, "west": west}
    for n, (key, name, grid) in enumerate((("p1", "白塔埠镇中心小学", east), ("p2", "黄川镇卫生院", east),
                                           ("p3", "温泉镇安置小区", west), ("p4", "双店镇农贸市场", west)), 1):
        gc = add_enterprise(sqlite_station, f"东海第{n}建筑工程有限公司", n)
        ids[key] = add_project(sqlite_station, name, grid_id=grid, contractor_id=gc)
    with sqlite_station.db.write() as s:
        set_team(s, sqlite_station.chief, ids["p1"], zhang, [zhao], date(2025, 1, 2))
        set_team(s, sqlite_station.chief, ids["p3"], zhao, [zhang], date(2025, 1, 2))
    add_inspection(sqlite_station, ids["p1"], datetime(2025, 3, 1, 9), (zhang, zhao))
    add_inspection(sqlite_station, ids["p1"], datetime(2025, 5, 6, 9), (zhang, zhao))
    add_inspection(sqlite_station, ids["p3"], datetime(2025, 4, 8, 14), (zhao, zhang))
    return ids


def test_coverage_round_shows_progress(qtbot: QtBot, sqlite_station: Station, county: dict[str, int],
                                       tmp_path: Path, msgs: Messages) -> None:
    page = open_page(qtbot, make_ctx(sqlite_station, sqlite_station.clerk, tmp_path))  # 内勤 keeps the rounds
    tab = page.coverage
    show(qtbot, page, tab)
    assert tab.round_model.rowCount() == 0 and tab.add_button.isEnabled()
    dialog = tab.add_round()
    assert dialog is not None
    dialog.name.clear()
    type_text(qtbot, dialog.name, "2025年上半年全覆盖排查")
    dialog.starts.set_value(date(2025, 1, 1))
    dialog.ends.clear()
    type_text(qtbot, dialog.ends, "2025-02-30")  # not a date: stays open with the error under the field
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "不是有效日期" in dialog.field_error("结束日期")
    dialog.ends.set_value(date(2025, 4, 30))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=10_000)
    qtbot.waitUntil(lambda: tab.report is not None and not tab.loading, timeout=10_000)
    report = tab.report
    assert report is not None and report.round.name == "2025年上半年全覆盖排查"
    assert tab.project_bar.format() == "2/4 个项目（50.0%）"
    assert tab.enterprise_bar.format() == "2/4 个企业（50.0%）"
    by_grid = {tab.grid_model.cell(r, 0): tab.grid_model.cell(r, 4) for r in range(tab.grid_model.rowCount())}
    assert by_grid == {"东部网格": "50.0%", "西部网格": "50.0%"}
    users = tab.user_model.column_texts(0)
    assert "张监督" in users and "未安排监督员" in users
    assert sorted(tab.project_model.column_texts(0)) == ["双店镇农贸市场", "黄川镇卫生院"]
    assert tab.details.tabText(2) == "未覆盖项目（2）" and tab.enterprise_model.rowCount() == 2

    # edit: a shorter period reaches fewer projects
    edit = tab.edit_round()
    assert edit is not None
    edit.ends.set_value(date(2025, 3, 31))
    qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(edit), timeout=10_000)
    qtbot.waitUntil(lambda: tab.project_bar.format() == "1/4 个项目（25.0%）", timeout=10_000)
    # delete, after confirming
    tab.delete_selected()
    assert "删除排查轮次" in msgs.last("confirm")
    with sqlite_station.db.read() as s:
        assert list_rounds(s) == []
    qtbot.waitUntil(lambda: tab.round_model.rowCount() == 0)
    assert tab.project_bar.format() == "—"


def test_draw_with_a_seed_repeats_and_verifies(qtbot: QtBot, sqlite_station: Station, county: dict[str, int],
                                               tmp_path: Path, msgs: Messages) -> None:
    page = open_page(qtbot, make_ctx(sqlite_station, sqlite_station.chief, tmp_path))
    tab = page.draws
    show(qtbot, page, tab)
    assert tab.pool_label.text() == "符合条件的项目：4 个"
    tab.grids.set_values([county["east"]])
    assert tab.pool_label.text() == "符合条件的项目：2 个"
    tab.grids.set_values([])
    assert tab.grids.text() == "全部网格"
    tab.n_projects.setValue(2)
    tab.exclude_own_grid.setChecked(False)
    type_text(qtbot, tab.seed, "20250601")
    results = []
    for _ in range(2):
        before = tab.record.id if tab.record is not None else None

        def drawn(previous: int | None = before) -> bool:
            return tab.record is not None and tab.record.id != previous

        qtbot.mouseClick(tab.draw_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(drawn, timeout=10_000)
        record = tab.record
        assert record is not None and record.seed == 20250601
        assert "随机种子 20250601" in tab.result_title.text()
        results.append([(tab.result_model.cell(r, 1), tab.result_model.cell(r, 2))
                        for r in range(tab.result_model.rowCount())])
    assert len(results[0]) == 2 and results[0] == results[1]
    qtbot.waitUntil(lambda: tab.history_model.rowCount() == 2)
    assert tab.history_model.column_texts(5) == ["20250601", "20250601"]
    # nobody checks a project they supervise (回避)
    zhang = "张监督"
    for project, team in results[0]:
        if project in ("白塔埠镇中心小学", "温泉镇安置小区"):
            assert zhang not in team.split("、")
    assert tab.verify() is True
    assert "复核一致" in msgs.last("info")
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    assert len(msgs.texts("info")) == 2


def test_draw_needs_the_right_role(qtbot: QtBot, sqlite_station: Station, county: dict[str, int],
                                   tmp_path: Path) -> None:
    page = open_page(qtbot, make_ctx(sqlite_station, sqlite_station.supervisor, tmp_path))
    show(qtbot, page, page.draws)
    assert not page.draws.draw_button.isEnabled() and page.draws.permission_hint.isVisible()


def test_blind_spots_filter_and_open_the_team(qtbot: QtBot, sqlite_station: Station, county: dict[str, int],
                                              tmp_path: Path) -> None:
    nobody = add_project(sqlite_station, "无网格项目", status="未开工")
    page = open_page(qtbot, make_ctx(sqlite_station, sqlite_station.chief, tmp_path))
    tab = page.blind_spots
    show(qtbot, page, tab)
    names = set(tab.model.column_texts(0))
    assert {"黄川镇卫生院", "双店镇农贸市场", "无网格项目"} <= names
    assert tab.counts["未划分网格"] == 1 and tab.counts["无主监督员"] == 3
    assert "未划分网格</a> <b>1</b>" in tab.counts_label.text()
    tab.counts_label.linkActivated.emit("未划分网格")  # clicking a count filters by that reason
    assert tab.model.column_texts(0) == ["无网格项目"]
    tab.reason_filter.set_value(None)
    tab.grid_filter.set_value(county["east"])
    assert "黄川镇卫生院" in tab.model.column_texts(0) and "无网格项目" not in tab.model.column_texts(0)
    tab.grid_filter.set_value(None)
    tab.table.selectRow(tab.model.row_of(nobody) or 0)
    tab.table.doubleClicked.emit(tab.table.currentIndex())
    dialog = tab.dialog
    assert isinstance(dialog, TeamDialog) and dialog.project_id == nobody and dialog.ok_button.isEnabled()
    dialog.reject()


def test_portraits_for_the_chief_and_for_a_supervisor(qtbot: QtBot, sqlite_station: Station, county: dict[str, int],
                                                      tmp_path: Path) -> None:
    def query(page: SupervisionPage) -> None:
        tab = page.portraits
        show(qtbot, page, tab)
        tab.date_from.set_value(date(2025, 1, 1))
        tab.date_to.set_value(date(2025, 12, 31))
        qtbot.mouseClick(tab.query_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.report is not None and tab.report.date_from == date(2025, 1, 1)
                        and not tab.loading, timeout=10_000)

    chief_page = open_page(qtbot, make_ctx(sqlite_station, sqlite_station.chief, tmp_path))
    query(chief_page)
    tab = chief_page.portraits
    rows = {tab.model.cell(r, 0): r for r in range(tab.model.rowCount())}
    assert {"李站长", "张监督", "赵监督"} <= set(rows)
    zhang = rows["张监督"]
    assert tab.model.cell(zhang, 2) == "3"  # inspections
    assert tab.model.cell(zhang, 4) == "2" and tab.model.cell(zhang, 6) == "100.0%"  # 2 assigned, both inspected
    assert [g.label for g in tab.chart.groups] == tab.model.column_texts(0)
    assert tab.chart.grab().width() > 0
    assert not tab.scope_hint.isVisible()

    sup_page = open_page(qtbot, make_ctx(sqlite_station, sqlite_station.supervisor2, tmp_path / "sup"))
    query(sup_page)
    assert sup_page.portraits.model.column_texts(0) == ["赵监督"]
    assert "本人" in sup_page.portraits.scope_hint.text()

    clerk_page = open_page(qtbot, make_ctx(sqlite_station, sqlite_station.clerk, tmp_path / "clerk"))
    show(qtbot, clerk_page, clerk_page.portraits)
    assert not clerk_page.portraits.query_button.isEnabled()
    assert "无权" in clerk_page.portraits.scope_hint.text()
