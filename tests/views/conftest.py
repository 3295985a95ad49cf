"""Fixtures for the Qt tests: an AppContext on a set-up SQLite station, recorded message boxes.

Message boxes are modal (``exec``) and would block a test, so every helper in
``station_app.views.dialogs.messages`` is replaced by a recorder for all view tests; ``confirm``
answers ``msgs.answer`` (True unless a test says otherwise).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QThreadPool, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from station_app.paths import DataDir
from station_app.runtime import Runtime
from station_app.services.context import Actor
from station_app.views.app_context import AppContext, EntityBus
from station_app.views.dialogs import messages
from station_app.views.table_models import SqlTableModel
from tests.conftest import Station


@dataclass
class Messages:
    """What the code under test showed: (kind, text) in order."""

    shown: list[tuple[str, str]] = field(default_factory=list)
    answer: bool = True

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, t in self.shown if kind is None or k == kind]

    def last(self, kind: str | None = None) -> str:
        texts = self.texts(kind)
        return texts[-1] if texts else ""


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a clerk: Latin characters as key presses, Chinese as an input method commits them.

    (QTest.keyClicks cannot synthesise key events for characters outside Latin-1.)
    """
    widget.setFocus()
    for chunk in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


@pytest.fixture(scope="session", autouse=True)
def _isolated_qsettings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Window geometry etc. go to a temp folder, never to the developer's own settings."""
    QCoreApplication.setOrganizationName("station_app-tests")
    QCoreApplication.setApplicationName("station_app-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.mktemp("qsettings")))


def run_gui_guarded(app: QApplication, data_dir: Path, timeout_ms: int = 30_000) -> int:
    """``run_gui`` on ``data_dir``, its event loop quit after ``timeout_ms`` whatever the test's driver
    did (a driver that missed its dialog must fail the test, never hang the run)."""
    from station_app.gui import run_gui

    failsafe = QTimer()
    failsafe.setSingleShot(True)
    failsafe.timeout.connect(app.quit)
    failsafe.start(timeout_ms)
    try:
        return run_gui(data_dir, None)
    finally:
        failsafe.stop()


@pytest.fixture
def keep_app_identity(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """For tests that run ``run_gui``: it names the application (QSettings location) and installs an
    excepthook; both are undone afterwards."""
    org, name = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    yield
    QCoreApplication.setOrganizationName(org)
    QCoreApplication.setApplicationName(name)


@pytest.fixture(autouse=True)
def _lists_load_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Page tests check what a clerk sees once a list has loaded: a list model waits for its worker
    thread up to 30 s here (40 ms in the app), so a loaded CI machine cannot make them flaky. The
    late-arrival path has its own tests (test_table_model_async.py)."""
    monkeypatch.setattr(SqlTableModel, "sync_wait_s", 30.0)


@pytest.fixture(autouse=True)
def msgs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Messages]:
    rec = Messages()

    def recorder(kind: str) -> Callable[..., None]:
        def show(parent: object, text: str, title: str = "") -> None:
            rec.shown.append((kind, text))

        return show

    monkeypatch.setattr(messages, "warn", recorder("warn"))
    monkeypatch.setattr(messages, "info", recorder("info"))
    monkeypatch.setattr(messages, "error", recorder("error"))
    monkeypatch.setattr(messages, "about", lambda parent, title, text: rec.shown.append(("about", text)))

    def confirm(parent: object, text: str, title: str = "", **_kw: object) -> bool:
        rec.shown.append(("confirm", text))
        return rec.answer

    monkeypatch.setattr(messages, "confirm", confirm)
    yield rec
    QThreadPool.globalInstance().waitForDone(10_000)
    app = QApplication.instance()
    if app is not None:
        app.processEvents()


def make_ctx(station: Station, actor: Actor, root: Path) -> AppContext:
    return AppContext(runtime=Runtime(data=DataDir(root).ensure(), db=station.db), actor=actor, bus=EntityBus())


@pytest.fixture
def ctx(sqlite_station: Station, tmp_path: Path) -> Iterator[AppContext]:
    """The admin's context on a set-up SQLite station whose data dir is tmp_path."""
    context = make_ctx(sqlite_station, sqlite_station.admin, tmp_path)
    yield context
    QThreadPool.globalInstance().waitForDone(10_000)
    context.runtime.close()
