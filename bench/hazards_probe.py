"""Child process of the hazard benchmark: prints its RSS (MB) with the 隐患台账 open, or as a bare window.

    python -m bench.hazards_probe ledger DATA_DIR   # LedgerTab shown, first page, a sort, 2,000 rows scrolled in
    python -m bench.hazards_probe bare              # baseline: a bare PySide6 window with one QTableView
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _rss_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB, from /proc/self/status."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def bare() -> None:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv)
    win = QMainWindow()
    view = QTableView()
    view.setModel(QStandardItemModel(0, 16))
    win.setCentralWidget(view)
    win.resize(1400, 800)
    win.show()
    app.processEvents()
    rss, peak = _rss_mb()
    print(f"rss_mb={rss:.1f} peak_mb={peak:.1f}")


def ledger(data_dir: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from station_app.models import User
    from station_app.runtime import open_runtime
    from station_app.services.auth import actor_of
    from station_app.views.app_context import AppContext, EntityBus
    from station_app.views.hazards.ledger_tab import LedgerTab

    app = QApplication(sys.argv)
    rt = open_runtime(data_dir, log_to_file=False)
    with rt.db.read() as s:
        chief = actor_of(s.scalars(select(User).where(User.role == "站长")).first())  # type: ignore[arg-type]
    page = LedgerTab(AppContext(rt, chief, EntityBus()))
    page.resize(1400, 800)
    page.show()
    app.processEvents()
    model = page.model
    model.sort(1, Qt.SortOrder.AscendingOrder)
    model.wait_loaded()
    app.processEvents()
    model.wait_loaded()
    while model.canFetchMore() and model.rowCount() < 2000:
        model.fetchMore()
        model.wait_loaded()
        page.table.scrollToBottom()
        app.processEvents()
    rss, peak = _rss_mb()
    print(f"rss_mb={rss:.1f} peak_mb={peak:.1f} rows={model.rowCount()}")
    rt.close()


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        ledger(sys.argv[2])
