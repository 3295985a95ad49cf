"""Data rows into an openpyxl write-only sheet, one reusable cell per column.

``WriteOnlyWorksheet.append`` binds each value to a cell again (type sniffing, a string check) and,
for a styled cell handed in, first tries it as a value, catches the ValueError and makes a fresh cell
after it: at 100,000 rows × 16 columns that cost a third more than a bare write-only loop. Here each
column gets one cell, styled once, that every row reuses (openpyxl writes a row's cells before it
takes the next row). The column's kind converts the value and puts it straight in: dates as Excel
serials (what openpyxl writes for them), text always as text — never a formula or an error value.
Values of another type than the column's usual one take the slow road (a fresh cell, as ``append``).

This relies on ``WriteOnlyWorksheet._values_to_row`` (openpyxl 3.1); tests/exports reopen the files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

#: the longest text a cell holds (openpyxl cuts there too)
MAX_TEXT = 32767
_SERIAL_BASE = date(1899, 12, 30).toordinal()
#: before this day Excel's 1900 leap-year bug shifts the serial: ``to_excel`` knows it
_FIRST_PLAIN_DAY = date(1900, 3, 1)
# kinds with a fast road
_TEXT, _DATE, _INT, _MONEY, _OTHER = range(5)
_FAST = {"text": _TEXT, "date": _DATE, "int": _INT, "percent": _INT, "money": _MONEY}


def clean_text(value: str) -> str:
    """Without the control characters a worksheet may not hold, at most MAX_TEXT long."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value[:MAX_TEXT]


def cell_value(kind: str, value: Any) -> Any:
    """A database value as the sheet stores it (money in fen → 元, Decimal → float, other → text)."""
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


def text_cell(ws: Any, value: str) -> Any:
    """A cell holding ``value`` as typed text (a leading ``=`` stays text)."""
    cell = WriteOnlyCell(ws)
    cell._value = clean_text(value)
    cell.data_type = "s"
    return cell


def _slow(ws: Any, kind: str, style: str | None) -> Callable[[Any], Any]:
    """A fresh cell for a value off the column's fast road (styled when it is not text)."""

    def make(raw: Any) -> Any:
        value = cell_value(kind, raw)
        if isinstance(value, str):
            return text_cell(ws, value)
        cell = WriteOnlyCell(ws, value=value)
        if style:
            cell.style = style
        return cell

    return make


def install_row_writer(ws: Any, columns: Sequence[tuple[int, str, str | None]]) -> None:
    """From now on ``ws.append(row)`` takes a database row: ``columns`` gives, per sheet column, the
    row index to read, the column kind and its named style (None: unstyled). Title and header rows go
    in before this."""
    plan = []
    for col, (index, kind, style) in enumerate(columns, 1):
        fast = _FAST.get(kind, _OTHER)
        cell = WriteOnlyCell(ws)
        cell.column = col
        cell.data_type = "s" if fast == _TEXT else "n"
        if style and fast != _TEXT:
            cell.style = style
        plan.append((index, col, fast, cell, _slow(ws, kind, style)))
    search = ILLEGAL_CHARACTERS_RE.search

    def values_to_row(row: Sequence[Any], row_idx: int) -> list[Any]:
        cells = []
        for index, col, fast, cell, slow in plan:
            v = row[index]
            if v is None:
                continue
            cls = v.__class__
            if fast == _TEXT and cls is str:
                cell._value = clean_text(v) if len(v) > MAX_TEXT or search(v) else v
            elif fast == _DATE and cls is date and v >= _FIRST_PLAIN_DAY:
                cell._value = v.toordinal() - _SERIAL_BASE
            elif fast == _INT and cls is int:
                cell._value = v
            elif fast == _MONEY and cls is int:
                cell._value = v / 100  # int / int is correctly rounded, as float(Decimal(v) / 100)
            else:
                cell = slow(v)
                cell.column = col
            cell.row = row_idx
            cells.append(cell)
        return cells

    if not callable(getattr(ws, "_values_to_row", None)):  # openpyxl changed: fail loudly, not silently
        raise RuntimeError("openpyxl WriteOnlyWorksheet has no _values_to_row")
    ws._values_to_row = values_to_row
