"""Any SQL list (a ``ListSpec`` + the ``ListQuery`` of the current view) → one .xlsx sheet.

What the clerk sees is what they get: the same filters, search and sort, every matching row (not only
the loaded page). Header styled, top row frozen, auto-filter on, column widths from the list's.
Rows are streamed from the database in batches into openpyxl's write-only workbook, so memory stays
flat; ``progress(done, total)`` is called after each batch and returning False cancels (no file is
left behind). Written to a temp name beside the target, then ``os.replace``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from station_app.services.listing import Column, ListQuery, ListSpec

#: (rows written, total rows) → False to cancel
Progress = Callable[[int, int], bool]

_FORMATS = {
    "money": "#,##0.00",
    "area": "#,##0.00",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "int": "0",
    "percent": '0"%"',
}
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class ExportResult:
    path: Path | None  # None when cancelled
    rows: int
    cancelled: bool = False


def _cell_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "money":
        return float(Decimal(int(value)) / 100)
    if kind == "area":
        return float(value)
    if kind in ("int", "percent"):
        return int(value)
    if kind == "date" and isinstance(value, datetime):
        return value.date()
    if isinstance(value, date | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _rows(session: Session, spec: ListSpec, query: ListQuery, batch: int) -> Iterator[Sequence[tuple[Any, ...]]]:
    """Every row of the view in order, batch by batch (streamed when the spec exposes its statement)."""
    statement = getattr(spec, "page_statement", None)
    if statement is not None:
        stmt = statement(query).limit(None).offset(None).execution_options(yield_per=batch)
        result = session.execute(stmt)
        yield from (list(part) for part in result.partitions(batch))
        return
    offset = 0
    while True:
        rows = spec.page(session, replace(query, offset=offset, limit=batch))
        if not rows:
            return
        yield rows
        offset += len(rows)


def _discard(ws: Any) -> None:
    """Finish and drop openpyxl's temp file of a sheet never saved (best effort; openpyxl cleans at exit too)."""
    with suppress(Exception):
        ws.close()
    writer = getattr(ws, "_writer", None)
    if writer is not None:
        with suppress(Exception):
            writer.cleanup()


def export_list_xlsx(
    session: Session,
    spec: ListSpec,
    query: ListQuery,
    path: str | Path,
    *,
    sheet_title: str = "列表",
    columns: Sequence[str] | None = None,
    progress: Progress | None = None,
    batch: int = 2000,
) -> ExportResult:
    """Write the rows of ``spec`` matching ``query`` (all of them, in the view's order) to ``path``.

    ``columns`` picks and orders column keys (default: all of the spec's). Run off the UI thread.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    target = Path(path)
    chosen: list[Column] = [spec.column(k) for k in columns] if columns else list(spec.columns)
    index = {c.key: i for i, c in enumerate(spec.columns)}
    picks = [index[c.key] + 1 for c in chosen]  # +1: row[0] is the id
    total = spec.count(session, query)
    if progress is not None and progress(0, total) is False:
        return ExportResult(None, 0, True)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet((sheet_title or "列表").translate(_BAD_SHEET_CHARS)[:31])
    ws.freeze_panes = "A2"
    for i, col in enumerate(chosen, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(6.0, min(80.0, col.width / 7))
    side = Side(style="thin", color="808080")
    header_style = {
        "font": Font(bold=True, color="FFFFFF"),
        "fill": PatternFill("solid", start_color="305496"),
        "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "border": Border(left=side, right=side, top=side, bottom=side),
    }
    header = []
    for col in chosen:
        head = WriteOnlyCell(ws, value=col.header)
        for attr, style in header_style.items():
            setattr(head, attr, style)
        header.append(head)
    ws.append(header)

    def cell(col: Column, raw: Any) -> Any:
        value = _cell_value(col.kind, raw)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith("="):  # typed text, never a formula
                c = WriteOnlyCell(ws, value=value)
                c.data_type = "s"
                return c
            return value
        fmt = _FORMATS.get(col.kind)
        if fmt is None or value is None:
            return value
        c = WriteOnlyCell(ws, value=value)
        c.number_format = fmt
        return c

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.tmp.xlsx")
    written = 0
    try:
        for rows in _rows(session, spec, query, batch):
            for row in rows:
                ws.append([cell(col, row[i]) for col, i in zip(chosen, picks, strict=True)])
            written += len(rows)
            if progress is not None and progress(written, max(total, written)) is False:
                _discard(ws)
                return ExportResult(None, written, True)
        if chosen:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(chosen))}{written + 1}"
        wb.save(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return ExportResult(target, written, False)
