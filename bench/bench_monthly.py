"""Monthly report pack on county data (the last full month), each beside a bare-library baseline.

- 月报 figures: ``compute_figures`` (every section, 4 periods) beside raw sqlite3 replaying the SQL it
  sent (captured at the cursor with its bound parameters): what is left is the app's Python.
- full pack: ``build_pack`` (figures, every detail sheet, the breakdowns, template filled, workbook and
  Word report rendered) beside a bare openpyxl write of the same cells (every detail row, no template,
  no styles) plus a bare docxtpl render of the same template with the same context.
"""

from __future__ import annotations

import io
import sqlite3
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.common import Figure, best_of
from station_app import clock
from station_app.db.database import Database
from station_app.paths import resource_path
from station_app.services.monthly.pack import DOCX_NAME, build_pack
from station_app.services.monthly.stats import ReportPeriod, compute_figures
from station_app.services.reference import load_into_rules


def _last_month(today: date) -> ReportPeriod:
    first = today.replace(day=1)
    return ReportPeriod("month", first.year - (first.month == 1), (first.month - 2) % 12 + 1)


def _captured(db: Database, fn: Any) -> list[tuple[str, Any]]:
    sent: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cur: Any, stmt: str, params: Any, _ctx: Any, _many: bool) -> None:
        sent.append((stmt, params))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        with db.read() as s:
            fn(s)
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    return sent


def run(data_dir: Path) -> list[Figure]:
    db = Database(f"sqlite:///{data_dir / 'station.sqlite3'}")
    load_into_rules(db)
    period = _last_month(clock.today())
    raw = sqlite3.connect(data_dir / "station.sqlite3")

    def figures() -> None:
        with db.read() as s:
            compute_figures(s, period)

    sent = [(sql, p) for sql, p in _captured(db, lambda s: compute_figures(s, period))
            if sql.lstrip().upper().startswith(("SELECT", "WITH"))]

    def replay() -> None:
        for sql, params in sent:
            raw.execute(sql, params).fetchall()

    pack_holder: dict[str, Any] = {}

    def pack() -> None:
        with db.read() as s:
            pack_holder["pack"] = build_pack(s, period, templates_dir=data_dir / "templates")

    t_pack = best_of(pack, repeat=3)
    built = pack_holder["pack"]

    from docxtpl import DocxTemplate
    from openpyxl import Workbook, load_workbook

    sheets = [[list(r) for r in ws.iter_rows(values_only=True)] for ws in load_workbook(io.BytesIO(built.xlsx))]
    template = resource_path("templates_docx", DOCX_NAME).read_bytes()
    with db.read() as s:
        from station_app.services.monthly.figures_breakdown import by_grid
        from station_app.services.monthly.pack import _context, load_narrative

        meta = {"站名": "站", "上级主管部门": "局", "填报日期": "今天", "签发人": "", "未建台账": "", "全覆盖排查轮次": ""}
        context = _context(built.figures, load_narrative(s, period), meta, by_grid(s, period))

    def bare() -> None:
        wb = Workbook(write_only=True)
        for rows in sheets:
            ws = wb.create_sheet()
            for row in rows:
                ws.append(row)
        wb.save(io.BytesIO())
        tpl = DocxTemplate(io.BytesIO(template))
        tpl.render(context, autoescape=True)
        tpl.save(io.BytesIO())

    t = time.perf_counter()
    figures_ms = best_of(figures)
    replay_ms = best_of(replay)
    bare_ms = best_of(bare, repeat=3)
    del t
    rows = sum(len(r) for r in sheets)
    raw.close()
    db.dispose()
    return [
        Figure(f"月报统计 compute_figures {period.key}", figures_ms, f"raw sqlite3 ({len(sent)} queries)", replay_ms,
               "≤500 ms"),
        Figure(f"月报全套 build_pack ({len(sheets)} sheets, {rows:,} rows)", t_pack,
               "bare openpyxl + docxtpl, same cells", bare_ms, "≤3000 ms"),
    ]
