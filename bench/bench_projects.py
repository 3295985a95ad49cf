"""项目 page queries on county data: open, search, filter, sort — beside the same SQL in raw sqlite3."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy.dialects import sqlite as sqlite_dialect

from bench.common import Figure, best_of
from station_app.db.database import Database
from station_app.services.listing import ListQuery
from station_app.services.registry.project_table import PROJECT_LIST

CASES: list[tuple[str, ListQuery]] = [
    ("open (count + first page)", ListQuery()),
    ("search 拼音首字母 'dh'", ListQuery(text="dh")),
    ("search substring '安置'", ListQuery(text="安置")),
    ("filter 在建 + town", ListQuery(filters={"status": "在建", "town": "牛山街道"})),
    ("sort 建安造价 desc", ListQuery(sort_key="contract_cost_fen", descending=True)),
    ("sort 施工总承包", ListQuery(sort_key="contractor")),
]


def _raw_sql(stmt: Any) -> str:
    return str(stmt.compile(dialect=sqlite_dialect.dialect(), compile_kwargs={"literal_binds": True}))


def run(data_dir: Path) -> list[Figure]:
    db = Database(f"sqlite:///{data_dir / 'station.sqlite3'}")
    raw = sqlite3.connect(data_dir / "station.sqlite3")
    figures = []
    for name, q in CASES:
        def app_side(q: ListQuery = q) -> None:
            with db.read() as s:
                PROJECT_LIST.count(s, q)
                PROJECT_LIST.page(s, q)

        # the same two statements, compiled once, executed by the bare sqlite3 module
        count_sql = _raw_sql(PROJECT_LIST.count_statement(q))
        page_sql = _raw_sql(PROJECT_LIST.page_statement(q))

        def bare(count_sql: str = count_sql, page_sql: str = page_sql) -> None:
            raw.execute(count_sql).fetchone()
            raw.execute(page_sql).fetchall()

        figures.append(Figure(f"项目 {name}", best_of(app_side), "raw sqlite3, same SQL", best_of(bare),
                              "≤150 ms open / ≤100 ms, ≤2× raw"))
    raw.close()
    db.dispose()
    return figures

