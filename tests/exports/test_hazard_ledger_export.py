"""The 隐患台账 view exported and reopened: title row, styled header, frozen panes, print titles, A4
landscape, widths, the view's filter and sort, derived 逾期天数."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from station_app.exports.excel_list import export_list_xlsx
from station_app.services.hazards.ledger import HAZARD_LIST
from station_app.services.listing import ListQuery
from tests.conftest import Station
from tests.services.hazards.hazard_fixtures import hazard_input, major_input, make_hazard_site, register
from tests.services.inspections.inspection_fixtures import make_site


def test_ledger_view_exported_with_print_layout(station: Station, tmp_path: Path) -> None:
    hs = make_hazard_site(make_site(station), tmp_path)
    register(hs, hazard_input(hs, deadline=date(2026, 3, 20)))
    register(hs, major_input(hs))
    register(hs, hazard_input(hs, description="=1+1 不是公式", category="消防"))
    q = ListQuery(filters={"level": "一般", "as_of": date(2026, 4, 1)}, sort_key="code", descending=True)
    target = tmp_path / "台账.xlsx"
    with station.db.read() as s:
        result = export_list_xlsx(s, HAZARD_LIST, q, target, sheet_title="隐患台账")
    assert result.rows == 2
    wb = load_workbook(target)
    ws = wb["隐患台账"]
    assert str(ws["A1"].value).startswith("隐患台账　导出时间：") and ws["A1"].font.bold
    header = [c.value for c in ws[2]]
    assert header == [c.header for c in HAZARD_LIST.columns] and header[:3] == ["编号", "项目", "发现日期"]
    h = ws["A2"]
    assert h.font.bold and h.fill.fgColor.rgb.endswith("305496") and h.style == "列表表头"
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.column_dimensions["F"].width == pytest.approx(280 / 7)  # 隐患描述
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["YH2026-000003", "YH2026-000001"]
    overdue = header.index("逾期天数")
    assert (rows[0][overdue], rows[1][overdue]) == (15, 12)  # deadlines 03-17 and 03-20 vs as_of 04-01
    assert ws["F3"].value == "=1+1 不是公式" and ws["F3"].data_type == "s"
    assert ws["C3"].number_format == "yyyy-mm-dd" and ws["C3"].style == "列表_date"
