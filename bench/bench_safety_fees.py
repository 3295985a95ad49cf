"""安全费用 lists and check pages on county data (≈50,000 ledger entries), each beside raw sqlite3.

- Lists: the overview (count + first page) for every problem tab, the 支出复核 list, one project's ledger —
  the app (ListSpec through a read session) beside the very statements it sent, replayed by bare sqlite3.
- Checks: ``project_fees`` of the busiest project (the fee page's data) and ``fee_summary`` (home card,
  monthly report), same replay baseline.
- Qt: the 安全费用 page and a project's fee page opened as a clerk meets them (widget + models + summary),
  beside the raw replay of every statement they sent.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.bench_inspections import app_vs_raw, captured_sql, replay
from bench.common import Figure, best_of, settle
from station_app import clock
from station_app.db.database import Database
from station_app.models import SafetyFeeUsage
from station_app.services.listing import ListQuery, ListSpec
from station_app.services.reference import load_into_rules
from station_app.services.safety_fees.checks import fee_summary, project_fees
from station_app.services.safety_fees.tables import PROBLEMS, flagged_list, overview_list, usage_list


def _open(spec: ListSpec, q: ListQuery) -> Any:
    def both(s: Any) -> None:
        spec.count(s, q)
        spec.page(s, q)

    return both


def _busiest(db: Database) -> int:
    with db.read() as s:
        pid = s.scalar(select(SafetyFeeUsage.project_id).group_by(SafetyFeeUsage.project_id)
                       .order_by(func.count().desc()).limit(1))
    assert pid is not None, "county data without a usage ledger: regenerate with --regenerate"
    return int(pid)


def _qt_figures(data_dir: Path, raw: sqlite3.Connection, project_id: int, today: date) -> list[Figure]:
    from PySide6.QtWidgets import QApplication

    from station_app.models import User
    from station_app.runtime import open_runtime
    from station_app.services.auth import actor_of
    from station_app.views.app_context import AppContext, EntityBus
    from station_app.views.safety_fees.page import SafetyFeesPage
    from station_app.views.safety_fees.project_page import ProjectFeePage

    app = QApplication.instance() or QApplication([])
    rt = open_runtime(data_dir, log_to_file=False)
    with rt.db.read() as s:
        user = s.scalars(select(User).where(User.role == "内勤")).first() \
            or s.scalars(select(User).where(User.role == "管理员")).first()
        actor = actor_of(user)  # type: ignore[arg-type]
    ctx = AppContext(rt, actor, EntityBus())
    figures = []
    for name, make in (("安全费用 page open (widget + 2 models + counts)", lambda: SafetyFeesPage(ctx, as_of=today)),
                       ("项目费用 page open (figures + ledger model)",
                        lambda: ProjectFeePage(ctx, project_id, as_of=today))):
        def open_page(make: Any = make) -> None:
            page = make()
            page.resize(1280, 760)
            page.show()
            settle(app)
            page.close()
            page.deleteLater()
            settle(app)

        with captured_sql(rt.db.engine) as statements:
            open_page()
        figures.append(Figure(name, best_of(open_page), "raw sqlite3, same SQL", best_of(replay(raw, statements)),
                              "≤200 ms"))
    rt.close()
    return figures


def run(data_dir: Path, today: date | None = None) -> list[Figure]:
    today = today or clock.today()
    db = Database(f"sqlite:///{data_dir / 'station.sqlite3'}", data_dir=data_dir)
    load_into_rules(db)
    raw = sqlite3.connect(data_dir / "station.sqlite3")
    pid = _busiest(db)
    overview = overview_list(today)
    figures = [app_vs_raw(db, raw, "总览 open (全部项目)", _open(overview, ListQuery()), "≤200 ms")]
    for key, label in PROBLEMS.items():
        figures.append(app_vs_raw(db, raw, f"总览 {label}", _open(overview, ListQuery(filters={"problem": key})),
                                  "≤200 ms"))
    figures.append(app_vs_raw(db, raw, "总览 sort 期限内已付 desc",
                              _open(overview, ListQuery(sort_key="paid_by_due", descending=True)), "≤200 ms"))
    figures.append(app_vs_raw(db, raw, "支出复核 待复核", _open(flagged_list(), ListQuery(filters={"review": "待复核"})),
                              "≤200 ms"))
    figures.append(app_vs_raw(db, raw, "支出复核 全部标记 sort 金额",
                              _open(flagged_list(), ListQuery(filters={"review": "flagged"}, sort_key="amount",
                                                              descending=True)), "≤200 ms"))
    figures.append(app_vs_raw(db, raw, "使用台账 (busiest project)",
                              _open(usage_list(), ListQuery(filters={"project_id": pid})), "≤200 ms"))
    figures.append(app_vs_raw(db, raw, "project_fees (busiest project)", lambda s: project_fees(s, pid, today),
                              "≤200 ms"))
    figures.append(app_vs_raw(db, raw, "fee_summary (home card)", lambda s: fee_summary(s, today), "≤200 ms"))
    db.dispose()
    figures += _qt_figures(data_dir, raw, pid, today)
    raw.close()
    return figures


if __name__ == "__main__":
    import os
    import sys

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench.common import county_data_dir, print_table

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else county_data_dir()[0]
    print_table("安全费用 lists and checks — app vs raw sqlite3 (same SQL)", run(folder))
