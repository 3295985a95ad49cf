"""Detail rows streamed into the saved workbook: values, types and number formats survive a reopen."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from station_app.exports.monthly_xlsx import SheetData, render_workbook


def _template() -> bytes:
    wb = Workbook()
    wb.active.title = "汇总"
    wb.active["A1"] = "{{站名}}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_streamed_detail_rows_reopen_with_their_types_and_formats() -> None:
    from station_app.exports.monthly_xlsx import Cell

    kinds = ("text", "int", "money", "area", "date", "datetime", "percent", "text")
    rows = [("A<B & C\x01", 7, 123456, Decimal("12.50"), date(2026, 10, 3), datetime(2026, 10, 3, 14, 30),
             Decimal("33.3"), "=SUM(A1)"),
            ("  空格 ", None, 0, None, datetime(2026, 10, 4, 9, 0), None, None, "")]
    sheet = SheetData("明细", "标题", "说明", [f"列{i}" for i in range(len(kinds))], kinds, [10] * len(kinds), rows)
    empty = SheetData("空表", "标题", "说明", ["列"], ("text",), (10,), [])
    data = render_workbook(_template(), "t", {"站名": Cell("某站", "某站")}, [("明细", sheet), ("空表", empty)])
    wb = load_workbook(io.BytesIO(data))
    assert wb["汇总"]["A1"].value == "某站"
    ws = wb["明细"]
    assert ws.freeze_panes == "A4" and ws["A3"].value == "列0" and ws["A3"].font.bold
    first = [c for c in ws[4]][:8]
    assert [c.value for c in first] == ["A<B & C", 7, 1234.56, 12.5, datetime(2026, 10, 3),
                                        datetime(2026, 10, 3, 14, 30), 33.3, "'=SUM(A1)"]
    assert [c.number_format for c in first[1:7]] == ["0", "#,##0.00", "#,##0.00", "yyyy-mm-dd", "yyyy-mm-dd hh:mm",
                                                    "0.0"]
    second = [c for c in ws[5]][:5]
    assert second[0].value == "  空格 " and second[1].value is None and second[2].value == 0
    assert second[4].value == datetime(2026, 10, 4) and second[4].number_format == "yyyy-mm-dd"
    assert ws.max_row == 5 and ws.auto_filter.ref == "A3:H5"
    assert wb["空表"]["A4"].value == "（本期无记录）"
