"""The 项目 page as a clerk meets it: widget + lazy model open, then search, filter and sort through the
Qt model — beside the same count + first-page SQL run by raw sqlite3 in the same run."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import sqlite as sqlite_dialect

from bench.common import Figure, best_of, settle
from station_app.services.listing import ListQuery
from station_app.services.registry.project_table import PROJECT_LIST


def _raw(raw: sqlite3.Connection, q: ListQuery) -> float:
    def compiled(stmt: Any) -> str:
        return str(stmt.compile(dialect=sqlite_dialect.dialect(), compile_kwargs={"literal_binds": True}))

    count_sql, page_sql = compiled(PROJECT_LIST.count_statement(q)), compiled(PROJECT_LIST.page_statement(q))

    def run() -> None:
        raw.execute(count_sql).fetchone()
        raw.execute(page_sql).fetchall()

    return best_of(run)


def run(data_dir: Path) -> list[Figure]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from station_app.models import User
    from station_app.runtime import open_runtime
    from station_app.services.auth import actor_of
    from station_app.views.app_context import AppContext, EntityBus
    from station_app.views.registry.projects_page import ProjectsPage

    app = QApplication.instance() or QApplication([])
    rt = open_runtime(data_dir, log_to_file=False)
    with rt.db.read() as s:
        admin = actor_of(s.scalars(select(User).where(User.role == "管理员")).first())  # type: ignore[arg-type]
    ctx = AppContext(rt, admin, EntityBus())
    raw = sqlite3.connect(data_dir / "station.sqlite3")

    def open_page() -> None:
        page = ProjectsPage(ctx)
        page.resize(1280, 760)
        page.show()
        settle(app)
        page.close()
        page.deleteLater()

    figures = [Figure("项目 page open (widget + model)", best_of(open_page), "raw sqlite3 count + page",
                      _raw(raw, ListQuery()), "≤150 ms")]
    page = ProjectsPage(ctx)
    page.show()
    settle(app)
    model = page.model
    sort_col = next(i for i, c in enumerate(PROJECT_LIST.columns) if c.key == "contract_cost_fen")
    cases: list[tuple[str, Any, ListQuery]] = [
        ("search 'dh' (拼音首字母)", lambda: (model.set_text(""), model.set_text("dh")), ListQuery(text="dh")),
        ("filter 状态=在建", lambda: (model.set_filter("status", None), model.set_filter("status", "在建")),
         ListQuery(filters={"status": "在建"})),
        ("sort 建安造价 desc", lambda: (model.sort(0), model.sort(sort_col, Qt.SortOrder.DescendingOrder)),
         ListQuery(sort_key="contract_cost_fen", descending=True)),
    ]
    for name, action, q in cases:
        def timed(action: Any = action) -> None:
            action()
            settle(app)

        # each action resets then applies, so the figure covers two model reloads: halve it
        figures.append(Figure(f"项目 {name} (Qt model)", best_of(timed) / 2, "raw sqlite3 same SQL",
                              _raw(raw, q), "≤100 ms, ≤2× raw"))
    page.close()
    raw.close()
    rt.close()
    return figures
