"""动态清零 / 督办 / 多发隐患 tabs, the 挂牌督办 dialog and the national export, driven like a clerk on a
real SQLite station: every figure clicked opens the ledger with filters that list exactly its records."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from station_app import clock
from station_app.models import ContractorReview, Hazard, HazardListing
from station_app.models.hazard import HazardState
from station_app.views.app_context import AppContext
from station_app.views.hazards.dashboard_tab import DashboardTab
from station_app.views.hazards.escalation_tab import EscalationTab
from station_app.views.hazards.listing_dialog import ListingDialog
from station_app.views.hazards.national_export_dialog import NationalExportDialog
from station_app.views.hazards.recurring_tab import RecurringTab
from station_app.views.hazards.reviews_tab import ReviewsTab
from tests.conftest import Station
from tests.services.hazards.hazard_b_fixtures import World, add_hazard, count_ledger, make_world
from tests.views.conftest import Messages, make_ctx, type_text

MAJOR = {"level": "重大", "criterion": "2022-8-1", "category": "基坑工程"}


@pytest.fixture
def today() -> date:
    """The clock's today: the figures below are built around it and must hold on any day."""
    return clock.today()


@pytest.fixture
def world(sqlite_station: Station, today: date) -> World:
    w = make_world(sqlite_station)
    st = sqlite_station
    snap = {"grid_id": w.grid_a, "contractor_id": w.gc1, "supervisor_id": st.supervisor.user_id}
    add_hazard(st, w.p1, found_on=today - timedelta(days=3), deadline=today - timedelta(days=1), **MAJOR, **snap)
    found = max(today - timedelta(days=40), date(today.year, 1, 1))  # this year, for the 整改率
    add_hazard(st, w.p1, found_on=found, deadline=today - timedelta(days=20), **snap)
    add_hazard(st, w.p3, found_on=today - timedelta(days=2), deadline=today + timedelta(days=5), **MAJOR)
    add_hazard(st, w.p3, found_on=date(2023, 6, 1), state=HazardState.CLOSED, closed_on=date(2023, 7, 1), **MAJOR)
    add_hazard(st, w.p2, found_on=today, state=HazardState.CLOSED, closed_on=today, category="脚手架")
    return w


def _ctx(station: Station, tmp_path: Path, actor: Any = None) -> AppContext:
    return make_ctx(station, actor or station.chief, tmp_path)


def _wait(qtbot: QtBot, tab: Any) -> None:
    qtbot.waitUntil(lambda: not tab.loading and tab.status.text() not in ("", "正在统计…"), timeout=10_000)


@pytest.mark.clock
def test_dashboard_click_opens_ledger(qtbot: QtBot, sqlite_station: Station, world: World, tmp_path: Path) -> None:
    opened: list[dict[str, Any]] = []
    tab = DashboardTab(_ctx(sqlite_station, tmp_path), opened.append)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    _wait(qtbot, tab)
    assert tab.major_open.value_label.text() == "2" and tab.major_overdue.value_label.text() == "1"
    assert tab.stock_total.value_label.text() == "1" and tab.stock_rate.value_label.text() == "100.0%"
    assert tab.ord_rate.value_label.text() == "50.0%"
    with sqlite_station.db.read() as s:
        for card, expected in ((tab.major_open, 2), (tab.major_overdue, 1), (tab.ord_overdue, 1),
                               (tab.band_cards[0], 2), (tab.stock_closed, 1)):
            qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
            assert count_ledger(s, opened[-1]) == expected, card.caption
        # the trend: this month's ordinary 销号 bar
        chart = tab.ordinary_chart
        rect = chart.bar_rect(11, closed=True)
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(int(rect.center().x()), int(rect.bottom()) - 3))
        assert opened[-1]["state"] == "已销号" and count_ledger(s, opened[-1]) == 1
    # a day typed by the clerk: at the end of 2022 nothing had been found yet
    tab.day.clear()
    type_text(qtbot, tab.day, "2022-12-31")
    qtbot.mouseClick(tab.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.as_of == date(2022, 12, 31), timeout=10_000)
    assert tab.major_found_year.value_label.text() == "0" and tab.stock_total.value_label.text() == "1"
    tab.grab().save(str(tmp_path / "dashboard.png"))


@pytest.mark.clock
def test_escalation_and_recurring(qtbot: QtBot, sqlite_station: Station, world: World, tmp_path: Path,
                                  msgs: Messages) -> None:
    opened: list[dict[str, Any]] = []
    ctx = _ctx(sqlite_station, tmp_path, sqlite_station.clerk)
    tab = EscalationTab(ctx, opened.append)
    qtbot.addWidget(tab)
    tab.show()
    _wait(qtbot, tab)
    assert tab.model.rowCount() == 1 and tab.model.cell(0, 0) == "城东花园一期" and tab.model.cell(0, 1) == "2"
    assert tab.model.cell(0, 3) == "20"
    rect = tab.table.visualRect(tab.model.index(0, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with sqlite_station.db.read() as s:
        assert count_ledger(s, opened[-1]) == 2
    tab.grouping.setCurrentIndex(3)  # 网格
    qtbot.waitUntil(lambda: not tab.loading and tab.model.cell(0, 0) == "城东网格", timeout=10_000)

    rec = RecurringTab(ctx, opened.append)
    qtbot.addWidget(rec)
    rec.show()
    qtbot.waitUntil(lambda: not rec.loading and rec.group_model.rowCount() == 1, timeout=10_000)
    top = rec.category_model.cell(0, 0)
    rect = rec.category_table.visualRect(rec.category_model.index(0, 0))
    qtbot.mouseClick(rec.category_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(rec.category_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened[-1]["category"] == top


def test_listing_dialog_and_review(qtbot: QtBot, sqlite_station: Station, world: World, tmp_path: Path,
                                   msgs: Messages, today: date) -> None:
    ctx = _ctx(sqlite_station, tmp_path)
    with sqlite_station.db.read() as s:
        hid = s.scalars(select(Hazard.id).where(Hazard.project_id == world.p1, Hazard.level == "重大")).one()
    dlg = ListingDialog(ctx, hid)
    qtbot.addWidget(dlg)
    dlg.unit.clear()
    dlg.required_by.clear()
    type_text(qtbot, dlg.required_by, (today - timedelta(days=10)).isoformat())
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.busy and bool(dlg.field_error("责任单位")), timeout=10_000)
    assert "不能早于挂牌日期" in dlg.field_error("要求完成日期")
    type_text(qtbot, dlg.unit, "江苏宏达建设有限公司")
    dlg.level.setCurrentIndex(1)  # 市级
    dlg.required_by.clear()
    type_text(qtbot, dlg.required_by, (today + timedelta(days=15)).isoformat())
    msgs.answer = True
    with qtbot.waitSignal(dlg.finished, timeout=10_000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.review_offered and "安排检查" in msgs.last("confirm")
    with sqlite_station.db.read() as s:
        assert s.get(Hazard, hid).listing_level == "市级"  # type: ignore[union-attr]
        assert s.scalars(select(HazardListing.responsible_unit)).one() == "江苏宏达建设有限公司"
        review = s.scalars(select(ContractorReview)).one()
    # the review window shows the contractor's other project (p2), ready to schedule
    window = dlg.review_window
    assert window is not None
    qtbot.addWidget(window)
    tab = window.findChild(ReviewsTab)
    qtbot.waitUntil(lambda: tab.item_model.rowCount() == 1, timeout=10_000)
    assert tab.item_model.cell(0, 0) == "西湖学校扩建" and tab.current_review().id == review.id
    # listed now: the dialog offers 摘牌 instead; a supervisor may not
    lift = ListingDialog(_ctx(sqlite_station, tmp_path, sqlite_station.supervisor), hid)
    qtbot.addWidget(lift)
    assert lift.lifting and not lift.ok_button.isEnabled()


def test_national_export_dialog(qtbot: QtBot, sqlite_station: Station, world: World, tmp_path: Path,
                                msgs: Messages) -> None:
    dlg = NationalExportDialog(_ctx(sqlite_station, tmp_path, sqlite_station.clerk))
    qtbot.addWidget(dlg)
    dlg.date_from.clear()
    type_text(qtbot, dlg.date_from, "2023-01-01")
    qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.checked_period is not None, timeout=10_000)
    assert len(dlg.rows) == 3 and dlg.problem_list.count() > 0
    assert any("工程地点" in dlg.problem_list.item(i).text() for i in range(dlg.problem_list.count()))
    target = tmp_path / "national.xlsx"
    dlg.write_to(target)
    qtbot.waitUntil(lambda: dlg.exported is not None, timeout=10_000)
    ws = load_workbook(target).active
    assert ws["A2"].value == "序号" and ws.max_row == 5 and ws["E3"].value == "安居小区三期"


def test_an_empty_review_list_says_why_and_where_reviews_come_from(qtbot: QtBot, sqlite_station: Station,
                                                                     tmp_path: Path) -> None:
    tab = ReviewsTab(_ctx(sqlite_station, tmp_path))
    qtbot.addWidget(tab)
    tab.show()
    tab.reload()
    qtbot.waitUntil(lambda: tab.status.text().startswith("没有未完成的排查"), timeout=10_000)
    assert "取消勾选" in tab.status.text()
    tab.open_only.setChecked(False)
    tab.reload()
    qtbot.waitUntil(lambda: tab.status.text().startswith("没有排查记录"), timeout=10_000)
    assert "挂牌督办" in tab.status.text()


def test_a_mistyped_report_day_is_named_and_nothing_is_counted(qtbot: QtBot, sqlite_station: Station, world: World,
                                                              tmp_path: Path, msgs: Messages) -> None:
    tab = DashboardTab(_ctx(sqlite_station, tmp_path), lambda _f: None)
    qtbot.addWidget(tab)
    tab.show()
    _wait(qtbot, tab)
    shown = tab.status.text()
    tab.day.clear()
    type_text(qtbot, tab.day, "2026-13-45")
    qtbot.mouseClick(tab.refresh_button, Qt.MouseButton.LeftButton)
    assert msgs.last("warn") == "统计日期：“2026-13-45”不是有效日期（例：2026-11-23 或 20261123）"
    assert not tab.loading and tab.status.text() == shown
