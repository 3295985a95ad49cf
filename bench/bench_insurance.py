"""安责险 lists and checks on county data, each beside raw sqlite3 running the very same SQL.

- 保单 list: open (count + first page), and filtered by a problem type (限额不足 — an IN over the check);
- each check (未投保, 断保, 即将到期, 限额不足, 被保险人不符, 提前退保): count + first page — the list a tab shows;
- 断保 over every project's whole history: all gap rows fetched (window functions over all policies);
- ``insurance_summary`` (the home card and the monthly report): every count at once;
- the page widget: InsurancePage built and shown with its 保单 tab (check tabs query when first shown;
  their counts for the tab titles run off the UI thread — the figure ``check_counts`` below).

Baselines replay the statements the app sent (captured at the cursor, parameters as bound) through the
bare sqlite3 module, so the difference is SQLAlchemy and the app's own Python.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bench.bench_inspections import app_vs_raw, captured_sql, replay
from bench.common import Figure, best_of, settle
from station_app.db.database import Database
from station_app.services.insurance.checks import CHECK_TITLES, check_counts, check_spec, insurance_summary
from station_app.services.insurance.policy_table import POLICY_LIST
from station_app.services.listing import ListQuery


def _page_figure(db: Database, raw: sqlite3.Connection) -> Figure:
    from PySide6.QtWidgets import QApplication

    from station_app.models.enums import Role
    from station_app.paths import DataDir
    from station_app.runtime import Runtime
    from station_app.services.context import Actor
    from station_app.views.app_context import AppContext, EntityBus
    from station_app.views.insurance.page import InsurancePage

    app = QApplication.instance() or QApplication([])
    data = DataDir(Path(db.engine.url.database or ".").parent)
    ctx = AppContext(Runtime(data=data, db=db), Actor(None, "bench", "基准", Role.CLERK), EntityBus())

    import statistics
    import time

    from PySide6.QtCore import QThreadPool

    def open_page() -> float:
        """ms until the page is shown with its 保单 tab; the tab counts then finish off the UI thread."""
        t = time.perf_counter()
        page = InsurancePage(ctx)
        page.resize(1400, 800)
        page.show()
        settle(app)
        shown = (time.perf_counter() - t) * 1000
        QThreadPool.globalInstance().waitForDone()
        settle(app)
        page.close()
        page.deleteLater()
        settle(app)
        return shown

    with captured_sql(db.engine) as statements:
        open_page()
    first = [s for s in statements if "insurance_policies" in s[0]][:2]  # the 保单 tab: count + first page
    times = [open_page() for _ in range(4)][1:]
    return Figure("安责险 page open (保单 tab shown)", statistics.median(times), "raw sqlite3, same SQL",
                  best_of(replay(raw, first)), "≤200 ms")


def run(data_dir: Path) -> list[Figure]:
    db = Database(f"sqlite:///{data_dir / 'station.sqlite3'}")
    raw = sqlite3.connect(data_dir / "station.sqlite3")
    figures = []

    def listed(spec: Any, q: ListQuery) -> Any:
        def both(s: Any) -> None:
            spec.count(s, q)
            spec.page(s, q)

        return both

    figures.append(app_vs_raw(db, raw, "保单 list open", listed(POLICY_LIST, ListQuery()), "≤200 ms"))
    figures.append(app_vs_raw(db, raw, "保单 list, problem = 限额不足",
                              listed(POLICY_LIST, ListQuery(filters={"problem": "low_limit"})), "≤200 ms"))
    for kind, title in CHECK_TITLES.items():
        figures.append(app_vs_raw(db, raw, f"check {title} (count + page)", listed(check_spec(kind), ListQuery()),
                                  "≤200 ms"))
    gaps = check_spec("gaps")

    def all_gaps(s: Any) -> None:
        gaps.page(s, ListQuery(limit=1_000_000))

    with db.read() as s:
        n = gaps.count(s, ListQuery())
    figures.append(app_vs_raw(db, raw, f"断保 all {n} gaps, every project", all_gaps, "≤300 ms"))
    figures.append(app_vs_raw(db, raw, "check_counts (tab titles, off UI thread)", check_counts, "≤300 ms"))
    figures.append(app_vs_raw(db, raw, "insurance_summary (home card)", insurance_summary, "≤300 ms"))
    figures.append(_page_figure(db, raw))
    raw.close()
    db.dispose()
    return figures


if __name__ == "__main__":
    import os
    import sys

    from bench.common import print_table

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print_table("安责险 lists and checks — app vs raw sqlite3 (same SQL)", run(Path(sys.argv[1])))
