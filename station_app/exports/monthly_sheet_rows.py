"""Streamed detail rows: the rows of the pack's detail sheets written straight into the saved workbook.

openpyxl builds every sheet (the filled template, each detail sheet's title, styled header, widths,
frozen panes, filter, print setup) but no detail row; after it saves, each detail sheet's part gets
its rows spliced into ``<sheetData>`` as plain SpreadsheetML (numbers with the pre-registered number
format's style id, text as inline strings), the way a write-only writer streams them. On a county
month (~450,000 cells) this replaces openpyxl's per-cell objects and per-cell XML elements, the bulk
of the pack's time. The result opens in openpyxl, Excel and LibreOffice like any other workbook.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_EPOCH = datetime(1899, 12, 30)


def column_letters(n: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i) for i in range(1, n + 1)]


def style_ids(wb: Any, formats: dict[str, str]) -> dict[str, int]:
    """The cellXfs index of a plain cell carrying each number format (registered in ``wb`` before it saves)."""
    from openpyxl.cell.cell import Cell

    ids: dict[str, int] = {}
    probe_sheet = wb.worksheets[0]
    for key, fmt in formats.items():
        probe = Cell(probe_sheet)
        probe.number_format = fmt
        ids[key] = wb._cell_styles.add(probe._style)
    return ids


def _escape(text: str) -> str:
    text = _ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _serial(value: date | datetime) -> float:
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    return float((value - _EPOCH.date()).days)


def rows_xml(rows: Sequence[Sequence[Any]], first_row: int, styles: Sequence[int | None],
             date_style: int, datetime_style: int) -> str:
    """``<row>`` elements for ``rows`` (already cell values: str, int, float, date, datetime or None)."""
    letters = column_letters(len(styles))
    parts: list[str] = []
    add = parts.append
    for r, row in enumerate(rows, first_row):
        add(f'<row r="{r}">')
        for letter, style, value in zip(letters, styles, row, strict=False):
            if value is None:
                continue
            ref = f"{letter}{r}"
            if isinstance(value, str):
                add(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_escape(value)}</t></is></c>')
            elif isinstance(value, bool):
                add(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                if isinstance(value, float) and not math.isfinite(value):
                    continue
                s = f' s="{style}"' if style is not None else ""
                add(f'<c r="{ref}"{s}><v>{value!r}</v></c>')
            elif isinstance(value, date):
                sid = style if style is not None else (datetime_style if isinstance(value, datetime) else date_style)
                add(f'<c r="{ref}" s="{sid}"><v>{_serial(value)!r}</v></c>')
            else:
                add(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_escape(str(value))}</t></is></c>')
        add("</row>")
    return "".join(parts)


def splice(workbook: bytes, parts: dict[str, tuple[str, str]]) -> bytes:
    """``workbook`` with ``rows`` appended to the sheetData of each part (``path → (rows xml, dimension)``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            extra = parts.get(info.filename)
            if extra is not None:
                rows, dimension = extra
                data = _DIMENSION.sub(f'<dimension ref="{dimension}"/>'.encode(), data, count=1)
                if b"</sheetData>" in data:
                    data = data.replace(b"</sheetData>", rows.encode("utf-8") + b"</sheetData>", 1)
                else:  # an empty sheetData is written self-closed
                    data = data.replace(b"<sheetData/>", b"<sheetData>" + rows.encode("utf-8") + b"</sheetData>", 1)
            dst.writestr(info.filename, data)
    return out.getvalue()
