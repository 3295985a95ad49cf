"""系统设置 → 用户管理 and 监督站信息, driven like the admin would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from station_app.errors import AuthError
from station_app.services import auth
from station_app.services.station import get_station
from station_app.views.app_context import AppContext
from station_app.views.settings.settings_page import SettingsPage
from station_app.views.settings.user_dialogs import AddUserDialog, ResetPasswordDialog
from tests.conftest import PASSWORD, Station
from tests.views.conftest import Messages, make_ctx, type_text


def click_row(qtbot: QtBot, view: QTableView, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _settings(qtbot: QtBot, ctx: AppContext) -> SettingsPage:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    return page


def test_admin_adds_a_user_and_resets_a_password(qtbot: QtBot, ctx: AppContext, msgs: Messages) -> None:
    page = _settings(qtbot, ctx)
    tab = page.users_tab
    assert tab is not None
    page.show_tab(tab)
    assert tab.model.rowCount() == 6

    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dlg = tab.dialog
    assert isinstance(dlg, AddUserDialog) and dlg.isVisible()
    qtbot.keyClicks(dlg.username, "liu")
    type_text(qtbot, dlg.full_name, "刘监督")
    dlg.role.setCurrentIndex(dlg.role.findText("监督员"))
    qtbot.keyClicks(dlg.password, "Start2026")
    qtbot.keyClicks(dlg.password2, "Start2026")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 7, timeout=5000)
    row = [u.username for u in tab.users].index("liu")
    assert [tab.model.cell(row, c) for c in range(4)] == ["liu", "刘监督", "监督员", "启用"]
    assert auth.login(ctx.db, "liu", "Start2026").full_name == "刘监督"

    # a duplicate user name is refused in the dialog, next to the field
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dup = tab.dialog
    assert isinstance(dup, AddUserDialog)
    qtbot.keyClicks(dup.username, "LIU")
    type_text(qtbot, dup.full_name, "重复")
    qtbot.keyClicks(dup.password, "Start2026")
    qtbot.keyClicks(dup.password2, "Start2026")
    qtbot.mouseClick(dup.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dup.general_error.text()), timeout=5000)
    assert "已存在" in dup.general_error.text() and dup.isVisible()
    dup.reject()

    # lock sup1 out, then the admin resets the password: unlocked, new password works
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.login(ctx.db, "sup1", "wrong-pass1")
    tab.reload()
    sup_row = [u.username for u in tab.users].index("sup1")
    assert tab.model.cell(sup_row, 4)  # 锁定至
    click_row(qtbot, tab.view, sup_row)
    assert tab.selected_user() is not None and tab.selected_user().username == "sup1"  # type: ignore[union-attr]
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    reset = tab.dialog
    assert isinstance(reset, ResetPasswordDialog)
    qtbot.keyClicks(reset.password, "Fresh2026x")
    qtbot.keyClicks(reset.password2, "Fresh2026x")
    qtbot.keyClick(reset.password2, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "已重置" in msgs.last("info"), timeout=5000)
    assert tab.model.cell(sup_row, 4) == ""
    assert auth.login(ctx.db, "sup1", "Fresh2026x").username == "sup1"


def test_disable_user_and_change_role(qtbot: QtBot, ctx: AppContext, msgs: Messages) -> None:
    page = _settings(qtbot, ctx)
    tab = page.users_tab
    assert tab is not None
    row = [u.username for u in tab.users].index("clerk")
    click_row(qtbot, tab.view, row)
    assert tab.toggle_button.text() == "停用"
    qtbot.mouseClick(tab.toggle_button, Qt.MouseButton.LeftButton)
    assert "停用" in msgs.last("confirm")
    assert tab.model.cell(row, 3) == "已停用" and tab.toggle_button.text() == "启用"
    with pytest.raises(AuthError, match="停用"):
        auth.login(ctx.db, "clerk", PASSWORD)

    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    dlg = tab.dialog
    assert dlg is not None
    dlg.role.setCurrentIndex(dlg.role.findText("站长"))  # type: ignore[attr-defined]
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: tab.model.cell(row, 2) == "站长", timeout=5000)

    # the admin cannot take away their own admin role: the service says so in the dialog
    click_row(qtbot, tab.view, [u.username for u in tab.users].index("admin"))
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    own = tab.dialog
    own.role.setCurrentIndex(own.role.findText("只读"))  # type: ignore[union-attr]
    qtbot.mouseClick(own.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: bool(own.field_error("角色")), timeout=5000)  # type: ignore[union-attr]
    assert "管理员" in own.field_error("角色")  # type: ignore[union-attr]


def test_tabs_follow_the_role(qtbot: QtBot, sqlite_station: Station, tmp_path: Path) -> None:
    chief = _settings(qtbot, make_ctx(sqlite_station, sqlite_station.chief, tmp_path))
    assert chief.tab_titles() == ["监督站信息", "操作日志", "备份与恢复", "参考数据", "法定节假日"]
    clerk = _settings(qtbot, make_ctx(sqlite_station, sqlite_station.clerk, tmp_path))
    assert clerk.tab_titles() == ["监督站信息", "备份与恢复", "参考数据", "法定节假日"]
    assert clerk.station_tab.name.isReadOnly() and not clerk.station_tab.save_button.isVisible()
    assert not clerk.backup_tab.restore_file_button.isEnabled()
    assert clerk.backup_tab.backup_button.isEnabled()
    assert not clerk.reference_tab.add_button.isEnabled()


def test_admin_edits_station_details(qtbot: QtBot, ctx: AppContext, msgs: Messages) -> None:
    page = _settings(qtbot, ctx)
    tab = page.station_tab
    assert tab.name.text() == "东海县建设工程安全监督站"
    tab.division_code.clear()
    qtbot.keyClicks(tab.division_code, "0207")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "6位数字" in tab.fields.error("行政区划代码")
    with ctx.db.read() as s:
        assert get_station(s).division_code == "320722"
    tab.division_code.clear()
    qtbot.keyClicks(tab.division_code, "320723")
    tab.phone.clear()
    qtbot.keyClicks(tab.phone, "0518-87654321")
    qtbot.keyClick(tab.phone, Qt.Key.Key_Return)
    assert msgs.last("info") == "监督站信息已保存。"
    with ctx.db.read() as s:
        info = get_station(s)
    assert (info.division_code, info.phone) == ("320723", "0518-87654321")
