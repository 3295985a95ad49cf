"""The generic list → xlsx exporter, reopened with openpyxl: header, rows, types, frozen pane, cancel."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from station_app.exports.excel_list import export_list_xlsx
from station_app.services.inspections.forms import FindingData
from station_app.services.inspections.records import create_inspection
from station_app.services.inspections.table import INSPECTION_LIST
from station_app.services.listing import ListQuery
from station_app.services.registry.project_table import PROJECT_LIST
from station_app.services.registry.projects import ProjectData, create_project
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import form, make_site


def test_inspection_view_exported(station: Station, tmp_path: Path) -> None:
    site = make_site(station)
    with station.db.write() as s:
        for day in range(1, 6):
            create_inspection(s, station.clerk, form(
                site, inspected_at=datetime(2026, 2, day, 9, 30), conclusion="=HYPERLINK(\"x\")" if day == 3 else "好",
                kind="夜查" if day % 2 else "日常巡查",
                findings=(FindingData("临边防护缺失", category="高处作业"),) * (day % 3)))
    q = ListQuery(filters={"kind": "夜查"}, sort_key="inspected_at", limit=2)  # limit is the page, not the export
    calls: list[tuple[int, int]] = []
    target = tmp_path / "out" / "监督检查.xlsx"
    with station.db.read() as s:
        result = export_list_xlsx(s, INSPECTION_LIST, q, target, sheet_title="监督检查记录",
                                  progress=lambda done, total: calls.append((done, total)) is None, batch=2)
    assert result.path == target and result.rows == 3 and not result.cancelled
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)
    wb = load_workbook(target)
    ws = wb["监督检查记录"]
    assert str(ws["A1"].value).startswith("监督检查记录　导出时间：") and ws["A1"].font.bold
    assert re.fullmatch(r"监督检查记录　导出时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", str(ws["A1"].value))
    assert ws.freeze_panes == "A3"  # title and header stay on screen
    assert [c.value for c in ws[2]] == [c.header for c in INSPECTION_LIST.columns]
    assert ws["A2"].font.bold and ws.auto_filter.ref == f"A2:L{2 + 3}"
    assert ws.column_dimensions["B"].width == pytest.approx(260 / 7)
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert [r[0] for r in rows] == [datetime(2026, 2, d, 9, 30) for d in (1, 3, 5)]
    assert ws["A3"].number_format == "yyyy-mm-dd hh:mm"
    assert [r[1] for r in rows] == ["东海新区安置房一期"] * 3 and [r[3] for r in rows] == ["夜查"] * 3
    assert [r[6] for r in rows] == [1, 0, 2]  # 问题数
    assert rows[1][11] == "=HYPERLINK(\"x\")" and ws["L4"].data_type == "s"  # typed text stays text
    assert not [p for p in target.parent.iterdir() if p.name != target.name]


def test_any_list_spec_and_cancel(station: Station, tmp_path: Path) -> None:
    with station.db.write() as s:
        for i in range(7):
            create_project(s, station.clerk, ProjectData(
                name=f"项目{i}", project_type="市政公用工程", status="在建", actual_start=date(2025, 1, 1 + i),
                contract_cost_fen=123_456_78 * (i + 1)))
    out = tmp_path / "exports"
    target = out / "项目.xlsx"
    with station.db.read() as s:
        done = export_list_xlsx(s, PROJECT_LIST, ListQuery(sort_key="actual_start"), target,
                                columns=["name", "contract_cost_fen", "actual_start"])
    ws = load_workbook(target).active
    assert ws is not None
    assert [c.value for c in ws[2]] == ["工程名称", "建安造价（元）", "实际开工"]
    assert ws["A3"].value == "项目0" and ws["B3"].value == pytest.approx(123456.78)
    assert ws["B3"].number_format == "#,##0.00" and ws["C3"].value == datetime(2025, 1, 1)
    assert done.rows == 7 and ws.max_row == 9
    cancelled_target = out / "取消.xlsx"
    with station.db.read() as s:
        result = export_list_xlsx(s, PROJECT_LIST, ListQuery(), cancelled_target, batch=3,
                                  progress=lambda n, total: n < 3)
    assert result.cancelled and result.path is None and result.rows == 3
    assert sorted(p.name for p in out.iterdir()) == ["项目.xlsx"]  # nothing half-written left


def test_paging_fallback_without_statement(station: Station, tmp_path: Path) -> None:
    """A spec-like object with only count/page/column (an older ListSpec) is paged through."""
    with station.db.write() as s:
        for i in range(5):
            create_project(s, station.clerk, ProjectData(name=f"甲{i}", project_type="市政公用工程"))

    class Paged:
        columns = PROJECT_LIST.columns
        column = PROJECT_LIST.column

        def count(self, session: Any, q: ListQuery) -> int:
            return PROJECT_LIST.count(session, q)

        def page(self, session: Any, q: ListQuery) -> list[tuple[Any, ...]]:
            return PROJECT_LIST.page(session, replace(q, sort_key="name"))

    with station.db.read() as s:
        result = export_list_xlsx(s, Paged(), ListQuery(), tmp_path / "p.xlsx", batch=2)  # type: ignore[arg-type]
    ws = load_workbook(tmp_path / "p.xlsx").active
    assert ws is not None and result.rows == 5
    assert [ws.cell(row=r, column=1).value for r in range(3, 8)] == [f"甲{i}" for i in range(5)]
