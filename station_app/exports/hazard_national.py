"""Major hazards → one .xlsx sheet in the national 重大事故隐患数据库 re-key order.

Row 1 is a title (station, period), row 2 the header, data from row 3; title and header repeat on
every printed page, A4 landscape, top two rows frozen. Dates are real date cells shown ISO 8601
(yyyy-mm-dd). Written to a temp name beside the target, then ``os.replace``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from station_app.services.hazards.national_export import COLUMNS, NationalRow

#: (rows written, total) → False to cancel
Progress = Callable[[int, int], bool]

_WIDTHS = {"seq": 6, "found_on": 12, "inspecting_unit": 24, "inspectors": 14, "project_name": 30,
           "project_address": 26, "description": 40, "category": 14, "criterion": 22, "requirement": 36,
           "deadline": 12, "responsible_unit": 26, "responsible_person": 12, "rectified_on": 13,
           "close_status": 20, "listing": 26, "supervisor": 10, "code": 15}
_WRAP = {"description", "requirement", "project_name", "project_address", "responsible_unit", "listing"}


def write_national_xlsx(rows: Sequence[NationalRow], path: str | Path, *, title: str,
                        progress: Progress | None = None) -> Path | None:
    """Write ``rows``; returns the path, or None when ``progress`` returned False (nothing left behind)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    target = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "重大事故隐患"
    n_cols = len(COLUMNS)
    last = get_column_letter(n_cols)
    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    side = Side(style="thin", color="808080")
    border = Border(left=side, right=side, top=side, bottom=side)
    ws.append([header for _, header in COLUMNS])
    for cell in ws[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color="305496")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for i, (attr, _) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(attr, 14)
    wrap = Alignment(vertical="top", wrap_text=True)
    top = Alignment(vertical="top")
    total = len(rows)
    for done, r in enumerate(rows, 1):
        values = []
        for attr, _ in COLUMNS:
            value = getattr(r, attr)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            values.append(value)
        ws.append(values)
        for (attr, _), cell in zip(COLUMNS, ws[ws.max_row], strict=True):
            cell.border = border
            cell.alignment = wrap if attr in _WRAP else top
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text, never a formula
        if progress is not None and done % 200 == 0 and progress(done, total) is False:
            return None
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last}{total + 2}"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.tmp.xlsx")
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    if progress is not None:
        progress(total, total)
    return target
