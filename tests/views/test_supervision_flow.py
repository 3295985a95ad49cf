"""网格与分工, driven like a clerk: the 站长 creates a grid, assigns a project's team, watches the blind
spots drop, runs a bulk reassignment (preview, then apply) and asks who supervised a project on a day;
a 监督员 may look but not reassign — on a real SQLite station."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from station_app.errors import PermissionDenied
from station_app.services.audit import AuditFilter, list_audit
from station_app.services.supervision.assignments import set_team, team_on
from station_app.services.supervision.grids import list_grid_rows
from station_app.services.supervision.reassignment import (
    ReassignmentSpec,
    apply_reassignment,
    preview_reassignment,
)
from station_app.views.app_context import AppContext
from station_app.views.home import HomePage
from station_app.views.main_window import MainWindow
from station_app.views.supervision.common import MUTED, PROBLEM
from station_app.views.supervision.page import SupervisionPage
from station_app.views.supervision.team_dialog import TeamDialog
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import add_grid, add_project, add_user
from tests.views.conftest import Messages, make_ctx, type_text


@pytest.fixture
def seeded(sqlite_station: Station) -> dict[str, int]:
    """Three projects not started (so none is overdue) in 开发区网格, nobody assigned; a third supervisor."""
    sup3 = add_user(sqlite_station, "sup3", "孙监督")
    grid = add_grid(sqlite_station, "开发区网格")
    ids = {"grid": grid, "sup3": sup3.user_id or 0}
    for key, name in (("a", "东海花园1#楼"), ("b", "东海花园2#楼"), ("c", "石榴街道农贸市场")):
        ids[key] = add_project(sqlite_station, name, grid_id=grid, status="未开工", town="东海经济开发区")
    return ids


def open_page(qtbot: QtBot, ctx: AppContext) -> SupervisionPage:
    page = SupervisionPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def show(qtbot: QtBot, page: SupervisionPage, tab: QWidget) -> None:
    page.show_tab(tab)
    qtbot.waitUntil(lambda: not getattr(tab, "loading", False), timeout=10_000)


def spot_count(qtbot: QtBot, page: SupervisionPage) -> int:
    tab = page.blind_spots
    show(qtbot, page, tab)
    return len(tab.spots)


def closed(dialog: QWidget) -> bool:
    """The dialog is gone (hidden, or already deleted: they close with WA_DeleteOnClose)."""
    try:
        return not dialog.isVisible()
    except RuntimeError:
        return True


def uid(station: Station, who: str) -> int:
    value = getattr(station, who).user_id
    assert value is not None
    return int(value)


def test_chief_grid_team_blind_spots_bulk_and_history(qtbot: QtBot, sqlite_station: Station, seeded: dict[str, int],
                                                      tmp_path: Path, msgs: Messages) -> None:
    ctx = make_ctx(sqlite_station, sqlite_station.chief, tmp_path)
    page = open_page(qtbot, ctx)
    home = HomePage(ctx)
    qtbot.addWidget(home)
    home.show()
    assert home.blind_spots_card.value.text() == "3"
    zhang, zhao, sun = uid(sqlite_station, "supervisor"), uid(sqlite_station, "supervisor2"), seeded["sup3"]

    # 网格: a new grid with its 网格长 from a date
    grids = page.grids
    show(qtbot, page, grids)
    assert grids.model.rowCount() == 1
    qtbot.mouseClick(grids.add_button, Qt.MouseButton.LeftButton)
    dialog = grids.dialog
    assert dialog is not None and dialog.isVisible()
    type_text(qtbot, dialog.name, "城区网格")  # type: ignore[attr-defined]
    type_text(qtbot, dialog.towns, "牛山街道、石榴街道")  # type: ignore[attr-defined]
    dialog.leader.set_value(zhang)  # type: ignore[attr-defined]
    dialog.leader_from.set_value(date(2025, 1, 2))  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=10_000)
    qtbot.waitUntil(lambda: grids.model.rowCount() == 2)
    row = grids.model.column_texts(0).index("城区网格")
    assert grids.model.cell(row, 2) == "张监督"
    grids.table.selectRow(row)
    assert grids.history_model.cell(0, 0) == "张监督" and grids.history_model.cell(0, 1) == "2025年1月2日"
    with ctx.db.read() as s:
        new_grid = next(g.id for g in list_grid_rows(s) if g.name == "城区网格")

    # 项目分工: every project listed, none assigned; set project A's team in the dialog
    assert spot_count(qtbot, page) == 3
    teams = page.teams
    show(qtbot, page, teams)
    qtbot.waitUntil(lambda: teams.model.rowCount() == 3)
    teams.unassigned.setChecked(True)
    assert teams.model.total_count() == 3
    teams.select_id(seeded["a"])
    assert teams.assign_button.isEnabled()
    qtbot.mouseClick(teams.assign_button, Qt.MouseButton.LeftButton)
    team_dialog = teams.dialog
    assert isinstance(team_dialog, TeamDialog) and team_dialog.isVisible()
    team_dialog.principal.set_value(zhang)
    team_dialog.seconds.set_values([zhao])
    team_dialog.effective.clear()
    type_text(qtbot, team_dialog.effective, "20250110")
    type_text(qtbot, team_dialog.note, "开工前安排")
    qtbot.mouseClick(team_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(team_dialog), timeout=10_000)
    qtbot.waitUntil(lambda: teams.model.total_count() == 2)  # 仅未配齐: A has left the list
    teams.unassigned.setChecked(False)
    row_a = teams.model.row_of_id(seeded["a"])
    assert row_a is not None
    assert teams.model.row_values(row_a)[4:6] == ("张监督", "赵监督")
    teams.supervisor_filter.set_value(zhao)
    assert teams.model.total_count() == 1
    teams.supervisor_filter.set_value(None)

    # the blind spots drop, on the tab and on the home page
    assert spot_count(qtbot, page) == 2
    qtbot.waitUntil(lambda: home.blind_spots_card.value.text() == "2")

    # 批量调整: the old grid's projects move to 城区网格 with 孙监督 as principal from 2025-04-01
    bulk = page.reassign
    show(qtbot, page, bulk)
    bulk.scope.set_value("grid")
    bulk.from_grid.set_value(seeded["grid"])
    bulk.new_grid.set_value(new_grid)
    bulk.principal.set_value(sun)
    bulk.reassign_seconds.setChecked(True)
    bulk.seconds.set_values([zhao])
    bulk.effective.clear()
    type_text(qtbot, bulk.effective, "2025-04-01")
    type_text(qtbot, bulk.reason, "开发区网格并入城区网格")
    assert not bulk.apply_button.isEnabled()  # nothing to confirm before a preview
    qtbot.mouseClick(bulk.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bulk.preview is not None, timeout=10_000)
    assert bulk.model.rowCount() == 3 and bulk.apply_button.isEnabled()
    row_a = bulk.model.row_of(seeded["a"])
    assert row_a is not None
    assert bulk.model.cell(row_a, 1) == "开发区网格 → 城区网格"
    assert bulk.model.cell(row_a, 2) == "张监督 → 孙监督"
    assert "将调整 3 个" in bulk.summary.text()
    # changing an input voids the preview: confirm needs a fresh one
    type_text(qtbot, bulk.reason, "。")
    assert bulk.preview is None and not bulk.apply_button.isEnabled()
    qtbot.mouseClick(bulk.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bulk.preview is not None, timeout=10_000)
    qtbot.mouseClick(bulk.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bulk.applied is not None, timeout=10_000)
    assert "确定按预览调整 3 个项目" in msgs.last("confirm")
    assert "已调整 3 个项目" in bulk.summary.text()
    with ctx.db.read() as s:
        entries = [e for e in list_audit(s, ctx.actor, AuditFilter(entity_type="supervision"))
                   if e.action == "reassign"]
        assert len(entries) == 1 and "3个项目" in entries[0].summary  # one entry for the whole operation
        assert team_on(s, seeded["b"]).label == "孙监督（主）、赵监督"
    assert spot_count(qtbot, page) == 0
    qtbot.waitUntil(lambda: home.blind_spots_card.value.text() == "0")
    show(qtbot, page, grids)
    qtbot.waitUntil(lambda: grids.model.cell(grids.model.column_texts(0).index("城区网格"), 3) == "3")

    # the history answers "who supervised project A in March 2025?"
    show(qtbot, page, teams)
    teams.select_id(seeded["a"])
    history = {(teams.history_model.cell(r, 0), teams.history_model.cell(r, 1), teams.history_model.cell(r, 2))
               for r in range(teams.history_model.rowCount())}
    assert history == {("孙监督（主）", "2025年4月1日", "至今"), ("张监督（主）", "2025年1月10日", "2025年4月1日"),
                       ("赵监督", "2025年1月10日", "至今")}
    type_text(qtbot, teams.day, "20250315")
    qtbot.mouseClick(teams.ask_button, Qt.MouseButton.LeftButton)
    assert teams.answer.text() == "2025年3月15日：张监督（主）、赵监督"
    teams.day.clear()
    type_text(qtbot, teams.day, "2025-04-02")
    qtbot.keyClick(teams.day, Qt.Key.Key_Return)
    assert teams.answer.text() == "2025年4月2日：孙监督（主）、赵监督"
    teams.day.clear()
    type_text(qtbot, teams.day, "20250105")
    teams.ask()
    assert teams.answer.text() == "2025年1月5日：未安排监督员"


def test_preview_highlights_problems_and_refuses_to_apply(qtbot: QtBot, sqlite_station: Station,
                                                          seeded: dict[str, int], tmp_path: Path) -> None:
    zhang, zhao = uid(sqlite_station, "supervisor"), uid(sqlite_station, "supervisor2")
    with sqlite_station.db.write() as s:
        set_team(s, sqlite_station.chief, seeded["a"], zhang, [seeded["sup3"]], date(2025, 1, 10))
        set_team(s, sqlite_station.chief, seeded["b"], zhao, [zhang], date(2025, 1, 10))
    page = open_page(qtbot, make_ctx(sqlite_station, sqlite_station.chief, tmp_path))
    bulk = page.reassign
    show(qtbot, page, bulk)
    # 张监督 leaves and 赵监督 takes over: on project B 赵监督 would be alone
    bulk.from_user.set_value(zhang)
    bulk.successor.set_value(zhao)
    type_text(qtbot, bulk.reason, "张监督调离")
    bulk.run_preview()
    qtbot.waitUntil(lambda: bulk.preview is not None, timeout=10_000)
    styles = {bulk.model.row_id(r): bulk.model.style(r) for r in range(bulk.model.rowCount())}
    assert styles[seeded["b"]] == PROBLEM and styles[seeded["a"]] != PROBLEM
    assert "第二监督员" in bulk.model.cell(bulk.model.row_of(seeded["b"]) or 0, 4)
    assert "有问题 1 个" in bulk.summary.text()
    assert not bulk.apply_button.isEnabled()


def test_supervisor_cannot_reassign(qtbot: QtBot, sqlite_station: Station, seeded: dict[str, int],
                                    tmp_path: Path, msgs: Messages) -> None:
    sup = sqlite_station.supervisor
    page = open_page(qtbot, make_ctx(sqlite_station, sup, tmp_path))
    show(qtbot, page, page.grids)
    page.grids.table.selectRow(0)
    assert not page.grids.add_button.isEnabled() and not page.grids.toggle_button.isEnabled()
    teams = page.teams
    show(qtbot, page, teams)
    qtbot.waitUntil(lambda: teams.model.rowCount() == 3)
    teams.select_id(seeded["a"])
    assert not teams.assign_button.isEnabled()
    dialog = teams.open_team(seeded["a"])  # double-click still shows the team, read-only
    assert dialog is not None and not dialog.ok_button.isEnabled() and "只读" in dialog.windowTitle()
    dialog.reject()

    bulk = page.reassign
    show(qtbot, page, bulk)
    assert bulk.permission_hint.isVisible()
    assert not bulk.preview_button.isEnabled() and not bulk.apply_button.isEnabled()
    bulk.from_grid.set_value(seeded["grid"])
    bulk.run_preview()  # a disabled action does nothing
    assert bulk.preview is None and not bulk.busy

    # and the services refuse whatever the screen does
    spec = ReassignmentSpec(effective_from=date(2025, 4, 1), reason="试图调整", from_grid_id=seeded["grid"],
                            new_principal_id=uid(sqlite_station, "supervisor2"), new_second_ids=(sup.user_id or 0,))
    with sqlite_station.db.read() as s, pytest.raises(PermissionDenied):
        preview_reassignment(s, sup, spec)
    with sqlite_station.db.write() as s, pytest.raises(PermissionDenied):
        apply_reassignment(s, sup, spec)
    with sqlite_station.db.write() as s, pytest.raises(PermissionDenied):
        set_team(s, sup, seeded["a"], sup.user_id, [uid(sqlite_station, "supervisor2")])


def test_deactivating_a_grid_with_projects_is_refused(qtbot: QtBot, sqlite_station: Station, seeded: dict[str, int],
                                                      tmp_path: Path, msgs: Messages) -> None:
    page = open_page(qtbot, make_ctx(sqlite_station, sqlite_station.chief, tmp_path))
    grids = page.grids
    show(qtbot, page, grids)
    grids.select_grid(seeded["grid"])
    assert grids.toggle_button.text() == "停用"
    qtbot.mouseClick(grids.toggle_button, Qt.MouseButton.LeftButton)
    assert "3个在监项目" in msgs.last("warn")
    with sqlite_station.db.read() as s:
        assert all(g.active for g in list_grid_rows(s))
    # an empty grid can be deactivated; it then shows greyed with 显示已停用
    empty = add_grid(sqlite_station, "备用网格")
    page.ctx.notify("grid")
    grids.select_grid(empty)
    qtbot.mouseClick(grids.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: grids.model.row_of(empty) is None)
    grids.show_inactive.setChecked(True)
    row = grids.model.row_of(empty)
    assert row is not None and grids.model.style(row) == MUTED and grids.model.cell(row, 4) == "已停用"


def test_workload_shows_open_hazards(qtbot: QtBot, sqlite_station: Station, seeded: dict[str, int],
                                              tmp_path: Path) -> None:
    with sqlite_station.db.write() as s:
        set_team(s, sqlite_station.chief, seeded["a"], uid(sqlite_station, "supervisor"),
                 [uid(sqlite_station, "supervisor2")], date(2025, 1, 10))
    page = open_page(qtbot, make_ctx(sqlite_station, sqlite_station.chief, tmp_path))
    tab = page.workload
    show(qtbot, page, tab)
    assert tab.data is not None
    names = tab.supervisor_model.column_texts(0)
    zhang = names.index("张监督")
    assert tab.supervisor_model.cell(zhang, 1) == "1" and tab.supervisor_model.cell(zhang, 3) == "1"
    assert set(tab.supervisor_model.column_texts(9)) == {"0"}  # the hazard ledger is empty
    assert set(tab.grid_model.column_texts(9)) == {"0"}
    assert tab.grid_model.cell(tab.grid_model.column_texts(0).index("开发区网格"), 2) == "3"


def test_main_window_opens_the_area(qtbot: QtBot, sqlite_station: Station, tmp_path: Path) -> None:
    ctx = make_ctx(sqlite_station, sqlite_station.chief, tmp_path)
    win = MainWindow(ctx, remember_geometry=False)
    qtbot.addWidget(win)
    win.show()
    page = win.show_area("grids")
    assert isinstance(page, SupervisionPage)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "网格", "项目分工", "批量调整", "监管盲区", "工作量", "全覆盖排查", "双随机抽查", "数据画像"]
