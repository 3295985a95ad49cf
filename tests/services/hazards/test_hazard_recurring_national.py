"""多发隐患 top-N (overall, by grid, by contractor) and the national-database export with its pre-check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from station_app.errors import ValidationError
from station_app.exports.hazard_national import write_national_xlsx
from station_app.models.hazard import HazardState
from station_app.services.hazards.national_export import COLUMNS, national_rows, precheck
from station_app.services.hazards.recurring import recurring_hazards
from tests.conftest import Station
from tests.services.hazards.hazard_b_fixtures import add_hazard, count_ledger, make_world

Q1 = (date(2025, 1, 1), date(2025, 3, 31))


def test_recurring_top_n(station: Station) -> None:
    w = make_world(station)
    a = {"grid_id": w.grid_a, "contractor_id": w.gc1}
    b = {"grid_id": w.grid_b, "contractor_id": w.gc2}
    for _ in range(3):
        add_hazard(station, w.p1, found_on=date(2025, 1, 1), category="脚手架", **a)
    add_hazard(station, w.p1, found_on=date(2025, 3, 31), category="模板支架", **a)
    add_hazard(station, w.p1, found_on=date(2025, 2, 1), category="基坑工程", level="重大", criterion="2022-8-1", **a)
    add_hazard(station, w.p2, found_on=date(2025, 2, 1), category="基坑工程", level="重大", criterion="2022-8-1", **b)
    add_hazard(station, w.p2, found_on=date(2025, 2, 2), category="高处作业", level="重大", criterion="2022-6-1", **b)
    add_hazard(station, w.p3, found_on=date(2025, 2, 2), category="脚手架")  # no grid / contractor on record
    # outside the quarter, or cancelled: not counted
    add_hazard(station, w.p1, found_on=date(2024, 12, 31), category="模板支架", **a)
    add_hazard(station, w.p1, found_on=date(2025, 4, 1), category="模板支架", **a)
    add_hazard(station, w.p1, found_on=date(2025, 2, 1), category="模板支架", state=HazardState.CANCELLED, **a)

    with station.db.read() as s:
        (overall,) = recurring_hazards(s, *Q1, by="overall", top_n=2)
        assert overall.total.value == 8 and overall.majors == 3
        assert [(e.label, e.figure.value, e.share) for e in overall.categories] == [
            ("脚手架", 4, Decimal("50.0")), ("基坑工程", 2, Decimal("25.0"))]
        crit = overall.criteria[0]
        assert (crit.code, crit.figure.value, crit.share) == ("2022-8-1", 2, Decimal("66.7"))
        assert crit.label.startswith("2022版 第八条") and crit.text
        by_grid = recurring_hazards(s, *Q1, by="grid", top_n=5)
        assert [(g.label, g.total.value) for g in by_grid] == [("城东网格", 5), ("城西网格", 2), ("（未记录）", 1)]
        assert [(e.label, e.figure.value) for e in by_grid[0].categories] == [
            ("脚手架", 3), ("基坑工程", 1), ("模板支架", 1)]
        by_gc = recurring_hazards(s, *Q1, by="contractor")
        assert [(g.label, g.total.value, g.majors) for g in by_gc] == [
            ("江苏宏达建设有限公司", 5, 1), ("东海县安居建筑有限公司", 2, 2), ("（未记录）", 1, 0)]
        for groups in ([overall], by_grid, by_gc):
            for g in groups:
                assert count_ledger(s, g.total.filters) == g.total.value
                for e in (*g.categories, *g.criteria):
                    assert count_ledger(s, e.figure.filters) == e.figure.value, (g.label, e.label)
        with pytest.raises(ValidationError):
            recurring_hazards(s, date(2025, 4, 1), date(2025, 3, 1))


def test_national_rows_precheck_and_workbook(station: Station, tmp_path: Path) -> None:
    w = make_world(station)
    full = {"level": "重大", "criterion": "2022-8-1", "found_by_names": "张监督、赵监督",
            "requirement": "立即停止作业，按方案加固", "responsible_enterprise_id": w.gc1,
            "responsible_person_name": "王经理", "supervisor_id": station.supervisor.user_id,
            "category": "基坑工程"}
    ok = add_hazard(station, w.p1, found_on=date(2025, 2, 1), deadline=date(2025, 2, 15),
                    description="=基坑未按方案放坡", **full)
    add_hazard(station, w.p1, found_on=date(2025, 2, 3), state=HazardState.CLOSED, closed_on=date(2025, 2, 20),
               rectified_on=date(2025, 2, 18), listing_level="", **full)
    missing = {**full, "criterion": None, "requirement": "", "responsible_person_name": ""}
    bad = add_hazard(station, w.p2, found_on=date(2025, 3, 1), state=HazardState.CLOSED, **missing)
    add_hazard(station, w.p2, found_on=date(2025, 3, 2), **{**full, "level": "一般", "criterion": None})  # ordinary
    add_hazard(station, w.p2, found_on=date(2025, 3, 3), state=HazardState.CANCELLED, **full)  # cancelled
    add_hazard(station, w.p2, found_on=date(2025, 4, 1), **full)  # outside the period
    with station.db.read() as s:
        rows = national_rows(s, date(2025, 2, 1), date(2025, 3, 31))
    assert rows[0].hazard_id == ok and [r.seq for r in rows] == [1, 2, 3]
    first = rows[0]
    assert (first.inspecting_unit, first.inspectors, first.project_name, first.category) == (
        "东海县建设工程安全监督站", "张监督、赵监督", "城东花园一期", "基坑工程")
    assert first.criterion.startswith("2022版 第八条") and first.responsible_unit == "江苏宏达建设有限公司"
    assert first.close_status == "未销号（待整改）" and rows[1].close_status == "已销号（2025-02-20）"
    problems = precheck(rows)
    # the project address is empty for every project here; the bad row also lacks the rest
    texts = [p.text for p in problems if p.hazard_id == bad]
    assert {p.field for p in problems if p.hazard_id == bad} == {
        "工程地点", "判定依据", "整改要求", "整改责任人", "整改完成日期"}
    assert any(t.startswith("第3行") and "判定依据" in t for t in texts)
    assert {p.field for p in problems if p.hazard_id == ok} == {"工程地点"}

    target = tmp_path / "out" / "重大事故隐患.xlsx"
    seen: list[tuple[int, int]] = []
    assert write_national_xlsx(rows, target, title="东海县 重大事故隐患（2025-02-01至2025-03-31）",
                               progress=lambda d, t: seen.append((d, t)) is None) == target
    assert seen[-1] == (3, 3)
    assert [p.name for p in target.parent.iterdir()] == ["重大事故隐患.xlsx"]  # no temp file left
    ws = load_workbook(target).active
    assert ws["A1"].value.startswith("东海县 重大事故隐患")
    assert [c.value for c in ws[2]] == [h for _, h in COLUMNS]
    assert [c.value for c in ws[2]][:15] == ["序号", "检查时间", "检查单位", "检查人", "工程名称", "工程地点",
                                            "隐患描述", "隐患类别", "判定依据", "整改要求", "整改期限",
                                            "整改责任单位", "整改责任人", "整改完成日期", "销号情况"]
    row3 = [c.value for c in ws[3]]
    assert row3[0] == 1 and row3[1].date() == date(2025, 2, 1) and ws["B3"].number_format == "yyyy-mm-dd"
    assert row3[6] == "=基坑未按方案放坡" and ws["G3"].data_type == "s"
    assert ws.max_row == 5 and ws.freeze_panes == "A3" and ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape"
    with pytest.raises(ValidationError), station.db.read() as s:
        national_rows(s, date(2025, 4, 1), date(2025, 3, 1))
