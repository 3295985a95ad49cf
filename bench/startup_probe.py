"""Child process of the start-up benchmark: prints READY once a window is on screen.

    python -m bench.startup_probe app DATA_DIR   # station_app: open + migrate check + main window (项目 page)
    python -m bench.startup_probe bare           # baseline: a bare PySide6 window with one QTableView
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _ready(window) -> None:  # type: ignore[no-untyped-def]
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


def station(data_dir: str) -> None:
    from PySide6.QtWidgets import QApplication

    from station_app.runtime import open_runtime
    from station_app.services.auth import actor_of
    from station_app.views.app_context import AppContext, EntityBus
    from station_app.views.main_window import MainWindow

    app = QApplication(sys.argv)
    rt = open_runtime(data_dir, log_to_file=False)
    from sqlalchemy import select

    from station_app.models import User

    with rt.db.read() as s:  # the login dialog is skipped: its argon2 check is deliberate cost
        admin = actor_of(s.scalars(select(User).where(User.role == "管理员")).first())  # type: ignore[arg-type]
    win = MainWindow(AppContext(rt, admin, EntityBus()))
    win.resize(1280, 800)
    _ready(win)
    rt.close()
    del app


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        station(sys.argv[2])
