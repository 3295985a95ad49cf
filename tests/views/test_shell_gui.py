"""run_gui end to end: refuses a too-new database; first start → login → main window → close with backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station_app.db.backup import list_backups
from station_app.gui import run_gui
from station_app.runtime import open_runtime
from station_app.views.dialogs.first_start import FirstStartDialog
from station_app.views.dialogs.login import LoginDialog
from station_app.views.main_window import MainWindow
from tests.views.conftest import Messages, run_gui_guarded

#: run_gui names the application (QSettings location) and installs an excepthook: undone after each test
pytestmark = pytest.mark.usefixtures("keep_app_identity")


def test_database_newer_than_the_program_is_refused(qtbot: QtBot, tmp_path: Path, msgs: Messages) -> None:
    open_runtime(tmp_path, None, log_to_file=False).close()
    con = sqlite3.connect(tmp_path / "station.sqlite3")
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    assert run_gui(tmp_path, None) == 3
    assert "比本程序新" in msgs.last("error")


def test_first_start_login_main_window_and_close(qtbot: QtBot, tmp_path: Path, msgs: Messages) -> None:
    app = QApplication.instance()
    assert app is not None
    seen: dict[str, object] = {}

    def drive() -> None:
        """Act on whatever window is up: the set-up dialog, the login, then the main window."""
        modal = QApplication.activeModalWidget()
        if isinstance(modal, FirstStartDialog) and not modal.busy and "first" not in seen:
            seen["first"] = True
            modal.station_name.setText("东海县建设工程安全监督站")
            modal.division_code.setText("320722")
            modal.bureau.setText("连云港市住房和城乡建设局")
            modal.full_name.setText("王管理")
            modal.password.setText("Secret123")
            modal.password2.setText("Secret123")
            modal.accept()
        elif isinstance(modal, LoginDialog) and not modal.busy and "login" not in seen:
            seen["login"] = modal.username.text()
            modal.password.setText("Secret123")
            modal.accept()
        else:
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
            if windows and "main" not in seen:
                win = windows[0]
                seen["main"] = win.user_label.text()
                # the start-of-day backup runs off the UI thread; close once it is written
                if list_backups(tmp_path / "backups"):
                    win.close()
                else:
                    seen.pop("main")
        if "closed" not in seen:
            QTimer.singleShot(50, drive)

    QTimer.singleShot(50, drive)
    try:
        code = run_gui_guarded(app, tmp_path)
    finally:
        seen["closed"] = True
    assert code == 0
    assert seen["login"] == "admin"
    assert seen["main"] == "当前用户：王管理（管理员）"
    assert [b.reason for b in list_backups(tmp_path / "backups")] == ["daily"]
    assert msgs.texts("error") == []
