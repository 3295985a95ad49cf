"""Every kind of list column through the exporter's reusable-cell row writer, reopened with openpyxl:
the usual value of each kind and the odd ones (text in a date column, a datetime in a date column,
a day before 1900-03-01, control characters, over-long text, text that looks like a formula or an
Excel error)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Date, DateTime, Float, Integer, Numeric, String, literal, select

from station_app.exports.excel_list import export_list_xlsx
from station_app.exports.xlsx_rows import MAX_TEXT
from station_app.models import Project
from station_app.services.listing import Column, ListQuery, ListSpec
from station_app.services.registry.projects import ProjectData, create_project
from tests.conftest import Station

LONG = "长" * (MAX_TEXT + 10)


def _spec() -> ListSpec:
    def lit(value: Any, type_: Any) -> Any:
        return literal(value, type_)

    cols = (
        Column("name", "名称", Project.name),
        Column("formula", "公式样", lit("=SUM(A1:A2)", String)),
        Column("error", "错误样", lit("#N/A", String)),
        Column("control", "控制字符", lit("甲\x01乙\x1f丙", String)),
        Column("long", "长文本", lit(LONG, String)),
        Column("number_text", "数字在文本列", lit(7, Integer)),
        Column("start", "开工", Project.actual_start, kind="date"),
        Column("old_day", "早日期", lit(date(1900, 1, 15), Date), kind="date"),
        Column("stamp_day", "时刻在日期列", lit(datetime(2026, 3, 4, 5, 6), DateTime), kind="date"),
        Column("text_day", "文本在日期列", lit("不详", String), kind="date"),
        Column("cost", "造价", Project.contract_cost_fen, kind="money"),
        Column("cost_dec", "造价(Decimal)", lit(Decimal("12345"), Numeric(12, 0)), kind="money"),
        Column("area", "面积", lit(12.5, Float), kind="area"),
        Column("n", "次数", lit(5, Integer), kind="int"),
        Column("pct", "比例", lit(Decimal("42"), Numeric(5, 0)), kind="percent"),
        Column("at", "时刻", lit(datetime(2026, 3, 4, 5, 6), DateTime), kind="datetime"),
        Column("blank", "空", Project.permit_no, kind="date"),
    )
    return ListSpec(columns=cols, base=lambda: select(Project), id_expr=Project.id,
                    search_expr=Project.search_key, filters={}, default_sort=(Project.name,))


def test_every_kind_written_as_before(station: Station, tmp_path: Path) -> None:
    with station.db.write() as s:
        for i, cost in enumerate((123_456_78, 1)):
            create_project(s, station.clerk, ProjectData(
                name=f"项目{i}", project_type="市政公用工程", status="在建", actual_start=date(2025, 1, 1 + i),
                contract_cost_fen=cost))
    target = tmp_path / "全类型.xlsx"
    with station.db.read() as s:
        result = export_list_xlsx(s, _spec(), ListQuery(), target, sheet_title="全类型")
    assert result.rows == 2
    ws = load_workbook(target)["全类型"]
    header = [c.value for c in ws[2]]
    assert header[0] == "名称" and header[-1] == "空" and ws["A2"].style == "列表表头"
    rows = list(ws.iter_rows(min_row=3, max_row=4))
    first = {h: c for h, c in zip(header, rows[0], strict=True)}
    assert [r[0].value for r in rows] == ["项目0", "项目1"]
    assert first["公式样"].value == "=SUM(A1:A2)" and first["公式样"].data_type == "s"  # text, not a formula
    assert first["错误样"].value == "#N/A" and first["错误样"].data_type == "s"  # text, not an error value
    assert first["控制字符"].value == "甲乙丙"
    assert first["长文本"].value == LONG[:MAX_TEXT]
    assert first["数字在文本列"].value == 7 and first["数字在文本列"].data_type == "n"
    assert first["开工"].value == datetime(2025, 1, 1) and first["开工"].style == "列表_date"
    assert first["开工"].number_format == "yyyy-mm-dd"
    assert first["早日期"].value == datetime(1900, 1, 15)  # Excel's 1900 leap-year bug: serial 15, not 16
    assert first["时刻在日期列"].value == datetime(2026, 3, 4) and first["时刻在日期列"].style == "列表_date"
    assert first["文本在日期列"].value == "不详" and first["文本在日期列"].style == "Normal"
    assert first["造价"].value == pytest.approx(123456.78) and first["造价"].number_format == "#,##0.00"
    assert rows[1][header.index("造价")].value == pytest.approx(0.01)
    assert first["造价(Decimal)"].value == pytest.approx(123.45) and first["造价(Decimal)"].style == "列表_money"
    assert first["面积"].value == pytest.approx(12.5) and first["面积"].style == "列表_area"
    assert first["次数"].value == 5 and first["次数"].number_format == "0"
    assert first["比例"].value == 42 and first["比例"].number_format == '0"%"'
    assert first["时刻"].value == datetime(2026, 3, 4, 5, 6) and first["时刻"].number_format == "yyyy-mm-dd hh:mm"
    assert first["空"].value is None
    assert ws.max_column == len(header) and ws.auto_filter.ref == f"A2:Q{2 + 2}"
