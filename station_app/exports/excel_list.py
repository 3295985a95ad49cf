"""Any SQL list (a ``ListSpec`` + the ``ListQuery`` of the current view) → one .xlsx sheet.

What the clerk sees is what they get: the same filters, search and sort, every matching row (not only
the loaded page). A title row (list name + 导出时间) above a styled header; both frozen and printed
on every page (A4 landscape, fit to width); auto-filter on; column widths from the list's.
Rows are streamed from the database in batches into openpyxl's write-only workbook, so memory stays
flat (each row through ``xlsx_rows``: one reusable cell per column, no per-value type sniffing);
``progress(done, total)`` is called after each batch and returning False cancels (no file is left
behind). Written to a temp name beside the target, then ``os.replace``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from station_app import clock
from station_app.exports.xlsx_rows import install_row_writer
from station_app.formatting import chinese_datetime
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
#: the title is row 1, the header row 2; data starts on row 3
HEADER_ROW = 2
TITLE_STYLE = "列表标题"
HEADER_STYLE = "列表表头"


@dataclass(frozen=True)
class ExportResult:
    path: Path | None  # None when cancelled
    rows: int
    cancelled: bool = False


def _rows(session: Session, spec: ListSpec, query: ListQuery, batch: int) -> Iterator[Sequence[tuple[Any, ...]]]:
    """Every row of the view in order, batch by batch (streamed when the spec exposes its statement)."""
    stream = getattr(spec, "stream_statement", None)  # a spec whose page query is not the full view's
    statement = getattr(spec, "page_statement", None)
    if stream is not None or statement is not None:
        full = stream(query) if stream is not None else statement(query).limit(None).offset(None)  # type: ignore[misc]
        stmt = full.execution_options(yield_per=batch)
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


def _named_styles(wb: Any) -> dict[str, str]:
    """Register the sheet's styles once (title, header, one per number format); kind → style name."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    side = Side(style="thin", color="808080")
    wb.add_named_style(NamedStyle(TITLE_STYLE, font=Font(bold=True, size=14),
                                  alignment=Alignment(vertical="center")))
    wb.add_named_style(NamedStyle(
        HEADER_STYLE, font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", start_color="305496"),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        border=Border(left=side, right=side, top=side, bottom=side)))
    names: dict[str, str] = {}
    for kind, fmt in _FORMATS.items():
        name = f"列表_{kind}"
        wb.add_named_style(NamedStyle(name, number_format=fmt))
        names[kind] = name
    return names


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
    title: str | None = None,
) -> ExportResult:
    """Write the rows of ``spec`` matching ``query`` (all of them, in the view's order) to ``path``.

    Row 1: the title (``title`` or ``sheet_title``) and 导出时间; row 2: the header (bold on a fill);
    both frozen and repeated on every printed page; A4 landscape, fit to the page width; column
    widths from the list's. ``columns`` picks and orders column keys (default: all of the spec's).
    Styles are named styles registered once, so a row costs no new style objects. Run off the UI thread.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    target = Path(path)
    chosen: list[Column] = [spec.column(k) for k in columns] if columns else list(spec.columns)
    index = {c.key: i for i, c in enumerate(spec.columns)}
    picks = [index[c.key] + 1 for c in chosen]  # +1: row[0] is the id
    total = spec.count(session, query)
    if progress is not None and progress(0, total) is False:
        return ExportResult(None, 0, True)

    wb = Workbook(write_only=True)
    styles = _named_styles(wb)
    ws = wb.create_sheet((sheet_title or "列表").translate(_BAD_SHEET_CHARS)[:31])
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"1:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    for i, col in enumerate(chosen, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(6.0, min(80.0, col.width / 7))

    def styled(value: Any, style: str) -> Any:
        c = WriteOnlyCell(ws, value=value)
        c.style = style
        return c

    heading = f"{title or sheet_title or '列表'}　导出时间：{chinese_datetime(clock.now())}"
    ws.append([styled(heading, TITLE_STYLE)])
    ws.append([styled(col.header, HEADER_STYLE) for col in chosen])

    install_row_writer(ws, [(i, col.kind, styles.get(col.kind)) for i, col in zip(picks, chosen, strict=True)])

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.tmp.xlsx")
    written = 0
    try:
        for rows in _rows(session, spec, query, batch):
            for row in rows:
                ws.append(tuple(row))
            written += len(rows)
            if progress is not None and progress(written, max(total, written)) is False:
                _discard(ws)
                return ExportResult(None, written, True)
        if chosen:
            ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(chosen))}{written + HEADER_ROW}"
        wb.save(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return ExportResult(target, written, False)
