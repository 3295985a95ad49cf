"""Start-up: the main window's shell comes first, the database opens behind it, then the window fills."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from station_app import APP_TITLE
from station_app.__main__ import main as cli
from station_app.db.backup import list_backups
from station_app.views.app_context import AppContext
from station_app.views.dialogs.login import LoginDialog
from station_app.views.home import HomePage
from station_app.views.main_window import MainWindow
from station_app.views.registry.projects_page import ProjectsPage
from station_app.views.startup import open_for_window
from tests.views.conftest import Messages, run_gui_guarded

#: run_gui names the application (QSettings location) and installs an excepthook: undone after each test
pytestmark = pytest.mark.usefixtures("keep_app_identity")


def _click_area(qtbot: QtBot, win: MainWindow, key: str) -> None:
    rect = win.nav.visualItemRect(win.nav_item(key))
    qtbot.mouseClick(win.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_shell_navigates_before_the_database_is_open_and_fills_on_attach(qtbot: QtBot, ctx: AppContext) -> None:
    win = MainWindow(None, remember_geometry=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    home = win.stack.currentWidget()
    assert isinstance(home, HomePage) and not home.attached
    assert home.station_label.text() == "正在打开数据库…" and home.persons_card.value.text() == "…"
    assert win.nav.isEnabled() and not win.logout_action.isEnabled() and not win.change_password_action.isEnabled()

    _click_area(qtbot, win, "projects")  # a click while the database opens: the area waits for it
    waiting = win.stack.currentWidget()
    assert isinstance(waiting, QLabel) and "正在打开数据库" in waiting.text()
    assert list(win.pages) == ["home"]

    with qtbot.waitSignal(win.attached, timeout=5000):
        win.attach(ctx)
    assert isinstance(win.stack.currentWidget(), ProjectsPage) and win.current_key() == "projects"
    assert win.user_label.text() == "当前用户：王管理（管理员）"
    assert win.windowTitle().startswith("东海县建设工程安全监督站") and win.logout_action.isEnabled()
    assert home.attached and home.station_label.text() == "东海县建设工程安全监督站"
    assert home.persons_card.value.text() == "0"
    qtbot.waitUntil(lambda: home.overdue_card.value.text() == "0", timeout=5000)


def test_closing_the_shell_before_the_database_opened_takes_no_backup(qtbot: QtBot, tmp_path: Path) -> None:
    win = MainWindow(None, backup_on_close=True, remember_geometry=False)
    qtbot.addWidget(win)
    win.show()
    win.close()
    assert not win.isVisible()
    assert list_backups(tmp_path / "backups") == []


def _init_station(data: Path) -> None:
    assert cli(["--data-dir", str(data), "init", "--station", "东海县建设工程安全监督站", "--division", "320722",
                "--bureau", "连云港市住房和城乡建设局", "--admin", "admin", "--password", "Secret123"]) == 0


def test_open_for_window_reads_what_the_first_screens_show(tmp_path: Path) -> None:
    _init_station(tmp_path)
    opened = open_for_window(tmp_path, None, log_to_file=False)
    try:
        assert opened.initialized and opened.station_name == "东海县建设工程安全监督站"
        assert opened.home is not None and opened.home.counts.persons == 0 and opened.home.is_sqlite
    finally:
        opened.runtime.close()
    empty = open_for_window(tmp_path / "new", None, log_to_file=False)
    try:
        assert not empty.initialized and empty.station_name == "" and empty.home is None
    finally:
        empty.runtime.close()


def test_run_gui_shows_the_locked_shell_with_the_login_over_it(qtbot: QtBot, tmp_path: Path, msgs: Messages) -> None:
    """Cancelling the login closes the app (exit 0) without touching the database."""
    _init_station(tmp_path)
    app = QApplication.instance()
    assert app is not None
    seen: dict[str, object] = {}

    def drive() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, LoginDialog):
            win = modal.parent()
            assert isinstance(win, MainWindow)
            home = win.pages["home"]
            assert isinstance(home, HomePage)
            seen.update(visible=win.isVisible(), nav=win.nav.isEnabled(), user=win.user_label.text(),
                        title=win.windowTitle(), home=home.station_label.text(),
                        card=home.persons_card.detail.text())
            modal.reject()
            return
        QTimer.singleShot(20, drive)

    QTimer.singleShot(0, drive)
    assert run_gui_guarded(app, tmp_path) == 0
    assert seen == {"visible": True, "nav": False, "user": "请登录", "title": f"东海县建设工程安全监督站 — {APP_TITLE}",
                    "home": "东海县建设工程安全监督站", "card": "登录后显示"}
    assert list_backups(tmp_path / "backups") == [] and msgs.texts("error") == []


def test_the_shell_is_shown_before_the_database_layer_is_imported() -> None:
    """What makes the first window quick: building and showing it loads neither SQLAlchemy nor the models."""
    code = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        from station_app.views.main_window import MainWindow
        app = QApplication([])
        win = MainWindow(None, remember_geometry=False)
        win.show()
        app.processEvents()
        print(sorted(m for m in sys.modules if m.startswith(("sqlalchemy", "station_app.models", "station_app.db"))))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
