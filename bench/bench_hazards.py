"""隐患台账 on county data (≈250,000 hazards), each figure beside a baseline measured in the same run.

- Ledger first screen: the 隐患台账 tab (LedgerTab: HAZARD_LIST count + first page through the lazy
  SqlTableModel, widget shown offscreen) beside raw sqlite3 running the same count + page SQL.
- Sort by 3 columns and 4 filters through the Qt model (one reload each) beside the same SQL raw.
- 动态清零 dashboard: ``hazard_stats.zeroing_dashboard`` beside its own aggregate statements (captured
  at the cursor) replayed by raw sqlite3.
- Export 100,000 rows with ``exports.excel_list.export_list_xlsx`` beside a bare openpyxl write-only
  loop over the same rows (fetched by raw sqlite3 with the same SQL).
- RSS of a process with the ledger open (first page, a sort, 2,000 rows scrolled in) beside a bare
  PySide6 window process (bench/hazards_probe.py).
- The UI thread's longest block: a 5 ms QTimer heartbeat's largest gap while the ledger opens, sorts,
  filters, the dashboard tab opens and a 100,000-row export runs through the ledger's own background
  task — beside the heartbeat's largest gap over an idle event loop.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import sqlite as sqlite_dialect

from bench.bench_inspections import captured_sql, replay
from bench.common import ROOT, Figure, best_of, settle, spin_until_loaded
from station_app.db.database import Database
from station_app.models import Hazard
from station_app.services.hazards.ledger import HAZARD_LIST
from station_app.services.listing import ListQuery

EXPORT_ROWS = 100_000
SORTS = (("project", "项目"), ("deadline", "整改期限"), ("overdue_days", "逾期天数"), ("responsible", "责任单位"))
#: a common term (thousands of matches: the capped count stops early) and a rare one (one short page,
#: no count at all — but the page scans the table)
SEARCHES = ("脚手架", "YH2025-0001")


def compiled(stmt: Any) -> str:
    return str(stmt.compile(dialect=sqlite_dialect.dialect(), compile_kwargs={"literal_binds": True}))


def raw_list(raw: sqlite3.Connection, q: ListQuery) -> float:
    """The count + first page of ``q`` run by bare sqlite3 (literal SQL compiled from HAZARD_LIST)."""
    count_sql, page_sql = compiled(HAZARD_LIST.count_statement(q)), compiled(HAZARD_LIST.page_statement(q))

    def run() -> None:
        raw.execute(count_sql).fetchone()
        raw.execute(page_sql).fetchall()

    return best_of(run)


def raw_search(raw: sqlite3.Connection, text: str) -> float:
    """What the ledger runs for a search, by bare sqlite3: the first page, then (only when it is full)
    the count capped at the registry pages' TEXT_COUNT_CAP."""
    from station_app.views.registry.common import TEXT_COUNT_CAP

    q = ListQuery(text=text)
    capped = HAZARD_LIST.count_statement(q).with_only_columns(Hazard.id).limit(TEXT_COUNT_CAP).subquery()
    count_sql = compiled(select(func.count()).select_from(capped))
    page_sql = compiled(HAZARD_LIST.page_statement(q))

    def run() -> None:
        if len(raw.execute(page_sql).fetchall()) == q.limit:
            raw.execute(count_sql).fetchone()

    return best_of(run)


class Heartbeat:
    """A 5 ms QTimer on the UI thread; ``worst`` is the largest gap between two ticks (ms)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.worst = 0.0
        self.where = ""
        self.label = ""

    def _tick(self) -> None:
        t = time.perf_counter()
        gap = (t - self.last) * 1000
        if gap > self.worst:
            self.worst, self.where = gap, self.label
        self.last = t

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst, self.where = 0.0, ""
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


def _spin(app: Any, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def _export_filter(db: Database) -> dict[str, Any]:
    """found_from such that about EXPORT_ROWS hazards (the most recent) match."""
    with db.read() as s:
        day = s.scalar(select(Hazard.found_on).order_by(Hazard.found_on.desc()).offset(EXPORT_ROWS - 1).limit(1))
    return {"found_from": day}


def _export_figure(db: Database, raw: sqlite3.Connection, tmp: Path) -> Figure:
    from openpyxl import Workbook

    from station_app.exports.excel_list import export_list_xlsx

    q = ListQuery(filters=_export_filter(db))
    stmt = HAZARD_LIST.page_statement(replace(q, limit=10**9))
    sql = compiled(stmt)

    def bare() -> int:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("隐患台账")
        ws.append([c.header for c in HAZARD_LIST.columns])
        n = 0
        for row in raw.execute(sql):
            ws.append(row[1:])
            n += 1
        wb.save(tmp / "bare.xlsx")
        return n

    t = time.perf_counter()
    rows = bare()
    base = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    with db.read() as s:
        result = export_list_xlsx(s, HAZARD_LIST, q, tmp / "app.xlsx", sheet_title="隐患台账")
    app = (time.perf_counter() - t) * 1000
    assert result.rows == rows, (result.rows, rows)
    return Figure(f"导出 {rows:,} 条 xlsx (export_list_xlsx)", app, "bare openpyxl write-only loop", base,
                  "≤1.3× bare")


def _dashboard_figure(db: Database, raw: sqlite3.Connection) -> Figure:
    from station_app.services.hazards.stats import zeroing_dashboard

    def app_side() -> None:
        with db.read() as s:
            zeroing_dashboard(s)

    with captured_sql(db.engine) as statements:
        app_side()
    return Figure("动态清零 dashboard (zeroing_dashboard)", best_of(app_side), "raw sqlite3, same aggregates",
                  best_of(replay(raw, statements)), "≤300 ms")


def _rss(data_dir: Path) -> list[Figure]:
    def probe(*args: str) -> dict[str, float]:
        out = subprocess.run([sys.executable, "-m", "bench.hazards_probe", *args], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout
        return {k: float(v) for k, v in (line.split("=", 1) for line in out.split() if "=" in line)}

    app, bare = probe("ledger", str(data_dir)), probe("bare")
    # Figure prints milliseconds; these two are megabytes
    return [Figure("RSS ledger open (MB, not ms)", app["rss_mb"], "bare PySide6 window (MB)", bare["rss_mb"],
                   "≤250 MB")]


def _ui_figures(data_dir: Path, db: Database, raw: sqlite3.Connection, tmp: Path) -> list[Figure]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from station_app.models import User
    from station_app.runtime import open_runtime
    from station_app.services.auth import actor_of
    from station_app.views.app_context import AppContext, EntityBus
    from station_app.views.hazards.ledger_tab import LedgerTab

    app = QApplication.instance() or QApplication([])
    rt = open_runtime(data_dir, log_to_file=False)
    with rt.db.read() as s:
        admin = actor_of(s.scalars(select(User).where(User.role == "站长")).first())  # type: ignore[arg-type]
        busiest_grid = s.scalar(select(Hazard.grid_id).where(Hazard.grid_id.is_not(None)).group_by(Hazard.grid_id)
                                .order_by(func.count().desc()).limit(1))
        busiest_contractor = s.scalar(select(Hazard.contractor_id).where(Hazard.contractor_id.is_not(None))
                                      .group_by(Hazard.contractor_id).order_by(func.count().desc()).limit(1))
    ctx = AppContext(rt, admin, EntityBus())
    beat = Heartbeat()

    def open_ledger() -> None:
        page = LedgerTab(ctx)
        page.resize(1400, 800)
        page.show()
        settle(app)
        page.close()
        page.deleteLater()

    figures = [Figure("隐患台账 first screen (tab + model)", best_of(open_ledger), "raw sqlite3 count + page",
                      raw_list(raw, ListQuery()), "≤300 ms")]
    page = LedgerTab(ctx)
    page.resize(1400, 800)
    page.show()
    settle(app)
    model = page.model
    keys = [c.key for c in HAZARD_LIST.columns]
    for key, label in SORTS:
        col = keys.index(key)
        flip = [Qt.SortOrder.AscendingOrder]

        def sort(col: int = col, flip: list[Any] = flip) -> None:  # one reload per call, alternating order
            flip[0] = (Qt.SortOrder.DescendingOrder if flip[0] == Qt.SortOrder.AscendingOrder
                       else Qt.SortOrder.AscendingOrder)
            model.sort(col, flip[0])
            settle(app)

        figures.append(Figure(f"sort {label} (Qt model)", best_of(sort), "raw sqlite3 same SQL",
                              raw_list(raw, ListQuery(sort_key=key, descending=True)), "≤300 ms"))
    model.sort(-1)
    filters: list[tuple[str, dict[str, Any]]] = [
        ("逾期", {"overdue": True}), ("网格 (busiest)", {"grid": busiest_grid}),
        ("施工总包 (busiest)", {"contractor": busiest_contractor}),
        ("重大+整改中", {"level": "重大", "state": "整改中"}), ("挂牌", {"listed": True})]
    for label, values in filters:
        def apply(values: dict[str, Any] = values) -> None:  # set then clear: two reloads, halved below
            for name, v in values.items():
                model.set_filter(name, v)
            settle(app)
            for name in values:
                model.set_filter(name, None)
            settle(app)

        # each set_filter reloads: count the reloads the figure covers
        figures.append(Figure(f"filter {label} (Qt model)", best_of(apply) / (2 * len(values)),
                              "raw sqlite3 same SQL", raw_list(raw, ListQuery(filters=values)), "≤300 ms"))

    for term in SEARCHES:
        def search(term: str = term) -> None:  # set then clear: two reloads, halved below
            model.set_text(term)
            settle(app)
            model.set_text("")
            settle(app)

        model.set_text(term)
        settle(app)
        shown = page.count_label.text()
        model.set_text("")
        figures.append(Figure(f"search {term} → {shown} (Qt model)", best_of(search) / 2,
                              "raw sqlite3 same SQL", raw_search(raw, term), "≤300 ms"))

    # the UI thread's longest block over a clerk's session, export included (the tab's own background task)
    _spin(app, 0.2)
    beat.start()
    _spin(app, 1.0)
    beat.stop()
    idle = beat.worst
    out = tmp / "ui-export.xlsx"
    from station_app.views import list_export

    list_export.QFileDialog.getSaveFileName = lambda *a, **k: (str(out), "")  # type: ignore[method-assign]
    list_export.messages.info = lambda *a, **k: None
    beat.start()
    steps: list[tuple[str, Callable[[], object]]] = [
        ("open ledger", open_ledger),
        *((f"sort {label}", lambda k=key: model.sort(keys.index(k), Qt.SortOrder.DescendingOrder))
          for key, label in SORTS),
        *((f"filter {label}", lambda v=values: _set_filters(app, model, v)) for label, values in filters),
        ("dashboard tab", lambda: _open_dashboard(ctx, app)),
    ]
    for label, fn in steps:
        beat.label = label
        fn()
        spin_until_loaded(app, 0.05)
    # back to the export's filter, one change per event-loop turn (one click each, as a clerk makes them)
    beat.label = "filters cleared, export filter set"
    _set_filters(app, model, {**dict.fromkeys(("overdue", "grid", "contractor", "level", "state")),
                              "found_from": _export_filter(db)["found_from"]})
    spin_until_loaded(app, 0.05)
    beat.label = "export 100k (background task)"
    task = page.export_excel()
    assert task is not None
    while page.export_task is not None:
        app.processEvents()
        time.sleep(0.002)
    beat.stop()
    figures.append(Figure(f"UI thread longest block ({beat.where})", beat.worst, "idle event loop, same timer",
                          idle, "≤100 ms"))
    assert page.last_export is not None and out.exists()
    page.close()
    rt.close()
    return figures


def _set_filters(app: Any, model: Any, values: dict[str, Any]) -> None:
    """Each filter as its own click: the event loop turns (and the rows arrive) between two of them."""
    for name, value in values.items():
        model.set_filter(name, value)
        spin_until_loaded(app, 0.01)


def _open_dashboard(ctx: Any, app: Any) -> None:
    from station_app.views.hazards.dashboard_tab import DashboardTab

    tab = DashboardTab(ctx, lambda *a, **k: None)
    tab.resize(1400, 800)
    tab.show()
    app.processEvents()
    tab.close()
    tab.deleteLater()


def run(data_dir: Path) -> list[Figure]:
    db = Database(f"sqlite:///{data_dir / 'station.sqlite3'}")
    raw = sqlite3.connect(data_dir / "station.sqlite3")
    with tempfile.TemporaryDirectory(prefix="bench-hazards-") as tmp:
        figures = _ui_figures(data_dir, db, raw, Path(tmp))
        figures.append(_dashboard_figure(db, raw))
        figures.append(_export_figure(db, raw, Path(tmp)))
    figures += _rss(data_dir)
    raw.close()
    db.dispose()
    return figures


if __name__ == "__main__":
    import os

    from bench.common import county_data_dir, print_table

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    print_table("隐患台账 — app vs raw sqlite3 / bare openpyxl / bare Qt", run(county_data_dir()[0]))
