"""系统设置 → 备份与恢复: back up now, back up to a file, restore a deleted enterprise."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from station_app.db.backup import list_backups
from station_app.formatting import chinese_datetime
from station_app.models import AuditEntry
from station_app.rules.ids import uscc_check_char
from station_app.services.registry.enterprises import (
    EnterpriseData,
    create_enterprise,
    delete_enterprise,
    find_by_uscc,
)
from station_app.views.app_context import AppContext
from station_app.views.main_window import MainWindow
from station_app.views.settings.backup_tab import BackupTab
from station_app.views.settings.settings_page import SettingsPage
from tests.conftest import PASSWORD, Station
from tests.views.conftest import Messages
from tests.views.test_settings_users import click_row

CODE = "91320722MA0000001"
CODE += uscc_check_char(CODE)


def _backup_tab(qtbot: QtBot, win: MainWindow) -> BackupTab:
    settings = win.show_area("settings")
    assert isinstance(settings, SettingsPage)
    settings.show_tab(settings.backup_tab)
    return settings.backup_tab


def _window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    return win


def test_backup_now_creates_a_file_and_updates_the_status_bar(qtbot: QtBot, ctx: AppContext,
                                                               msgs: Messages) -> None:
    win = _window(qtbot, ctx)
    assert win.backup_label.text() == "最近备份：尚未备份"
    tab = _backup_tab(qtbot, win)
    assert tab.model.rowCount() == 0
    qtbot.mouseClick(tab.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)
    files = list_backups(ctx.runtime.data.backups)
    assert len(files) == 1 and files[0].reason == "manual"
    assert tab.model.cell(0, 1) == "手动" and tab.model.cell(0, 3) == files[0].path.name
    assert chinese_datetime(files[0].taken_at) in win.backup_label.text()
    assert "（今天）" in win.backup_label.text()
    assert "备份完成" in msgs.last("info")
    with ctx.db.read() as s:
        logged = s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity_type == "backup"))
    assert logged == 1


def test_backup_to_a_chosen_file(qtbot: QtBot, ctx: AppContext, msgs: Messages, tmp_path: Path,
                                 monkeypatch: object) -> None:
    tab = BackupTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    target = tmp_path / "u盘" / "站备份.sqlite3"
    tab.ask_save_path = lambda default_name: target  # type: ignore[method-assign]
    qtbot.mouseClick(tab.backup_to_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists() and "备份完成" in msgs.last("info"), timeout=10_000)


def test_restore_brings_back_a_deleted_enterprise(qtbot: QtBot, ctx: AppContext, msgs: Messages,
                                                  sqlite_station: Station) -> None:
    with ctx.db.write() as s:
        e = create_enterprise(s, ctx.actor, EnterpriseData("东海建工集团有限公司", CODE, "施工企业"))
    win = _window(qtbot, ctx)
    tab = _backup_tab(qtbot, win)
    qtbot.mouseClick(tab.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)

    with ctx.db.write() as s:
        assert e.id is not None
        delete_enterprise(s, ctx.actor, e.id)
    with ctx.db.read() as s:
        assert find_by_uscc(s, CODE) is None

    old_runtime = ctx.runtime
    click_row(qtbot, tab.view, 0)
    assert tab.restore_selected_button.isEnabled()
    qtbot.mouseClick(tab.restore_selected_button, Qt.MouseButton.LeftButton)
    assert "恢复前" in msgs.last("confirm")
    qtbot.waitUntil(lambda: win.login_dialog is not None, timeout=15_000)
    assert ctx.runtime is not old_runtime
    with ctx.db.read() as s:
        back = find_by_uscc(s, CODE)
    assert back is not None and back.name == "东海建工集团有限公司"
    assert "请重新登录" in msgs.last("info")
    reasons = sorted(b.reason for b in list_backups(ctx.runtime.data.backups))
    assert reasons == ["manual", "pre-restore"]

    dlg = win.login_dialog
    assert dlg is not None and not win.pages  # every page was closed
    qtbot.keyClicks(dlg.password, PASSWORD)
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.nav.isEnabled(), timeout=5000)
    assert win.current_key() == "home"
    with ctx.db.read() as s:
        restored_log = s.scalar(select(AuditEntry.summary).where(AuditEntry.action == "restore"))
    assert restored_log and "恢复数据库" in restored_log


def test_restore_refuses_a_file_that_is_not_a_backup(qtbot: QtBot, ctx: AppContext, msgs: Messages,
                                                     tmp_path: Path) -> None:
    with ctx.db.write() as s:
        create_enterprise(s, ctx.actor, EnterpriseData("东海建工集团有限公司", CODE, "施工企业"))
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"junk" * 1000)
    tab = BackupTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.ask_open_path = lambda: junk  # type: ignore[method-assign]
    qtbot.mouseClick(tab.restore_file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(msgs.texts("warn")), timeout=10_000)
    assert "不能用于恢复" in msgs.last("warn") and "未做任何改动" in msgs.last("warn")
    with ctx.db.read() as s:
        assert find_by_uscc(s, CODE) is not None
