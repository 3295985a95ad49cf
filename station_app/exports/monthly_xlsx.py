"""The report workbook: a template's summary sheet filled by placeholders, plus one sheet per record set.

Template: any .xlsx. A cell holding ``{{在监项目数}}`` (alone) gets the value as a number; inside other
text the placeholder is replaced by the formatted value. A workbook defined name equal to a
placeholder name (e.g. ``在监项目数``) fills the cell it points to. Names the data does not know are
reported all at once (``TemplateError``) and nothing is written. Then the detail sheets are appended
(styled header, frozen header row, widths, auto-filter, A4 print setup with the title rows repeated)
the rows themselves streamed into the saved file (monthly_sheet_rows); the file is written to a temp name
beside the target and ``os.replace``-d into place.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from station_app.errors import ValidationError
from station_app.exports.monthly_sheet_rows import column_letters, rows_xml, splice, style_ids

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
_BAD_SHEET = str.maketrans({c: "_" for c in "[]:*?/\\'"})
_FORMATS = {"money": "#,##0.00", "area": "#,##0.00", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm",
            "int": "0", "percent": "0.0"}


class TemplateError(ValidationError):
    """The template is not a workbook, or uses placeholders the report does not have."""


@dataclass(frozen=True)
class Cell:
    """A placeholder's value: ``value`` for a cell of its own, ``text`` inside other text."""

    value: Any
    text: str
    number_format: str | None = None
    link: str | None = None  # a sheet of this workbook to link to


@dataclass(frozen=True)
class SheetData:
    title: str
    heading: str
    note: str
    headers: Sequence[str]
    kinds: Sequence[str]
    widths: Sequence[int]
    rows: Sequence[Sequence[Any]]


def sheet_name(title: str, taken: set[str]) -> str:
    base = title.translate(_BAD_SHEET)[:31]
    name, n = base, 2
    while name in taken:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def load_template(data: bytes, source: str) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as err:
        raise TemplateError({"报表模板": f"“{source}”不是 Excel 工作簿（.xlsx），无法使用：{err.__class__.__name__}"}) \
            from err
    except Exception as err:  # openpyxl's InvalidFileException and friends
        raise TemplateError({"报表模板": f"“{source}”不是可用的 Excel 工作簿（.xlsx）：{err}"}) from err


def fill_template(wb: Any, cells: Mapping[str, Cell]) -> list[str]:
    """Fill every placeholder and defined name; returns the unknown placeholder names (nothing raised)."""
    from openpyxl.styles import Font

    unknown: list[str] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or "{{" not in c.value:
                    continue
                text = c.value
                whole = PLACEHOLDER.fullmatch(text.strip())
                if whole is not None and whole[1] in cells:
                    cell = cells[whole[1]]
                    c.value = cell.value
                    if cell.number_format:
                        c.number_format = cell.number_format
                    if cell.link:
                        c.hyperlink = f"#'{cell.link}'!A1"
                        c.font = Font(name=c.font.name, size=c.font.size, color="0563C1", underline="single")
                    continue

                def sub(m: re.Match[str]) -> str:
                    if m[1] in cells:
                        return cells[m[1]].text
                    unknown.append(m[1])
                    return m[0]

                c.value = PLACEHOLDER.sub(sub, text)
    for name, dn in list(wb.defined_names.items()):
        if name not in cells:
            continue
        for title, ref in dn.destinations:
            if title in wb.sheetnames:
                target = wb[title][ref.replace("$", "").split(":")[0]]
                target.value = cells[name].value
    return sorted(set(unknown))


def _cell_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "money":
        return float(Decimal(int(value)) / 100)
    if kind == "area" or isinstance(value, Decimal):
        return float(value)
    if kind == "date" and isinstance(value, datetime):
        return value.date()
    if isinstance(value, date | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith("=") else text


def add_detail_sheet(wb: Any, name: str, data: SheetData, back_to: str | None) -> Any:
    """The sheet with its title, header, widths, panes, filter and print setup; the rows are streamed in
    after the workbook is saved (monthly_sheet_rows), so none is written here."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    ws = wb.create_sheet(name)
    ncol = max(1, len(data.headers))
    last = get_column_letter(ncol)
    ws["A1"] = data.heading
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = data.note
    ws["A2"].font = Font(color="555555", size=9)
    ws.merge_cells(f"A2:{last}2")
    if back_to:
        ws.cell(row=2, column=ncol + 1, value="返回汇总表").hyperlink = f"#'{back_to}'!A1"
    side = Side(style="thin", color="808080")
    border = Border(left=side, right=side, top=side, bottom=side)
    fill = PatternFill("solid", start_color="305496")
    for i, (head, width) in enumerate(zip(data.headers, data.widths, strict=True), 1):
        c = ws.cell(row=3, column=i, value=head)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = fill
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = border
        ws.column_dimensions[get_column_letter(i)].width = width
    if not data.rows:
        ws.cell(row=4, column=1, value="（本期无记录）")
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{last}{max(4, len(data.rows) + 3)}"
    ws.print_title_rows = "1:3"
    _a4(ws, landscape=ncol > 6)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    return ws


def _a4(ws: Any, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def render_workbook(template: bytes, source: str, cells: Mapping[str, Cell], sheets: Sequence[tuple[str, SheetData]],
                    progress: Callable[[int, int], None] | None = None) -> bytes:
    """The filled workbook as bytes; ``TemplateError`` (nothing produced) on a bad template."""
    wb = load_template(template, source)
    unknown = fill_template(wb, cells)
    if unknown:
        raise TemplateError({"报表模板": f"“{source}”含有无法识别的占位符：" + "、".join(f"{{{{{u}}}}}" for u in unknown)})
    summary = wb.worksheets[0].title if wb.worksheets else None
    for ws in wb.worksheets:
        if not ws.print_title_rows:
            _a4(ws, landscape=True)
    made = [(add_detail_sheet(wb, name, data, summary), data) for name, data in sheets]
    styles = style_ids(wb, {**_FORMATS, "_date": _FORMATS["date"], "_datetime": _FORMATS["datetime"]})
    out = io.BytesIO()
    wb.save(out)
    parts: dict[str, tuple[str, str]] = {}
    for i, (ws, data) in enumerate(made, 1):
        if data.rows:
            kinds = [styles.get(k) for k in data.kinds]
            xml = rows_xml([[_cell_value(k, v) for k, v in zip(data.kinds, row, strict=False)] for row in data.rows],
                           4, kinds, styles["_date"], styles["_datetime"])
            last = column_letters(max(1, len(data.headers)))[-1]
            parts[ws.path.lstrip("/")] = (xml, f"A1:{last}{len(data.rows) + 3}")
        if progress is not None:
            progress(i, len(made))
    return splice(out.getvalue(), parts)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write to a temp name beside ``path``, then ``os.replace`` (no half-written file under the real name)."""
    import os
    import uuid

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
