"""Child process of the start-up benchmark: prints READY once a window is on screen.

    python -m bench.startup_probe app DATA_DIR   # station_app's start-up, the login skipped (see below)
    python -m bench.startup_probe bare           # baseline: a bare PySide6 window with one QTableView

``app`` follows ``run_gui``: the main window's shell is shown first (navigation, menus, the home page's
cards showing "…") and the database opens behind it on a worker (``views.startup.open_for_window``).
READY: the shell is on screen and takes clicks; an area chosen before the database is open shows
"正在打开数据库…" and opens as soon as it is. Instead of the login dialog (its argon2 check is deliberate
cost) the worker picks the admin, and the window is attached as after a login. Then it prints
OPENED (database open, the home page's quick cards filled, every area can open) and FILLED (the
home page's ledger cards counted on their worker too), so the benchmark reports the whole way.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from station_app.services.context import Actor
    from station_app.views.startup import Opened

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _ready(window: QWidget) -> None:
    from PySide6.QtWidgets import QApplication

    window.show()
    QApplication.processEvents()
    print("READY", flush=True)


def bare() -> None:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv)
    win = QMainWindow()
    view = QTableView()
    view.setModel(QStandardItemModel(0, 11))
    win.setCentralWidget(view)
    win.resize(1280, 800)
    _ready(win)
    del app


def _open_as_admin(data_dir: str) -> tuple[Opened, Actor]:
    """On the worker: what run_gui opens, then the admin instead of a login."""
    from sqlalchemy import select

    from station_app.models import User
    from station_app.services.auth import actor_of
    from station_app.views.startup import open_for_window

    opened = open_for_window(data_dir, None, log_to_file=False)
    with opened.runtime.db.read() as s:
        admin = actor_of(s.scalars(select(User).where(User.role == "管理员")).first())  # type: ignore[arg-type]
    return opened, admin


def station(data_dir: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from station_app.views.app_context import AppContext, EntityBus
    from station_app.views.home import HomePage
    from station_app.views.main_window import MainWindow

    app = QApplication(sys.argv)
    win = MainWindow(None, remember_geometry=False)
    win.resize(1280, 800)
    _ready(win)
    home = win.pages["home"]
    assert isinstance(home, HomePage)
    home.ledgers_loaded.connect(lambda: (print("FILLED", flush=True), app.quit()))

    def attach(result: tuple[Opened, Actor]) -> None:
        opened, admin = result
        win.attach(AppContext(opened.runtime, admin, EntityBus()), opened.home)
        app.processEvents()
        print("OPENED", flush=True)

    def failed(err: BaseException) -> bool:
        print(f"FAILED {err!r}", flush=True)
        app.exit(1)
        return True

    win.tasks.run(lambda _p, _c: _open_as_admin(data_dir), title="打开数据库", on_success=attach, on_failure=failed,
                  cancellable=False, show_after_ms=-1)
    QTimer.singleShot(60_000, lambda: app.exit(2))  # never hang the benchmark
    code = app.exec()
    win.tasks.wait()
    if win.is_attached:
        win.ctx.runtime.close()
    sys.exit(code)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        station(sys.argv[2])
