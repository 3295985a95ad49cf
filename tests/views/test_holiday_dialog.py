"""The admin enters next year's holidays like a clerk would: from the home card, typing the notice's dates,
watching the preview, saving, and reading which 暂定 deadlines moved. Also: errors beside the rows,
confirmation before replacing, import from a file, who sees what. Qt warnings fail these tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station_app.rules import calendar
from station_app.rules.holiday_arrangement import HOLIDAY_NAMES
from station_app.services import calendar_years as cy
from station_app.views.app_context import AppContext
from station_app.views.home import HomePage
from station_app.views.settings.holiday_dialog import HolidayDialog
from station_app.views.settings.month_grid import KINDS, REST, WEEKEND, WORKDAY, WORKED
from station_app.views.settings.moved_dialog import MovedDialog
from station_app.views.settings.reference_tab import ReferenceTab
from station_app.views.settings.settings_page import SettingsPage
from tests.conftest import Station
from tests.rules.holiday_data import INVENTED_2027, holiday_cn_text
from tests.services.hazards.hazard_fixtures import hazard_input, make_hazard_site, register
from tests.services.inspections.inspection_fixtures import make_site
from tests.views.conftest import Messages, make_ctx, type_text

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]

NOW = datetime(2026, 12, 28, 10, 0)
#: the INVENTED 2027 arrangement as a clerk types it: (start, end, 调休上班)
TYPED = {e.name: (f"{e.off_from:%Y%m%d}", f"{e.off_to:%Y%m%d}", "、".join(f"{d:%Y-%m-%d}" for d in e.work_days))
         for e in INVENTED_2027.entries}


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _dialog(qtbot: QtBot, ctx: AppContext, year: int = 2027) -> HolidayDialog:
    dlg = HolidayDialog(ctx, year)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _type_row(qtbot: QtBot, dlg: HolidayDialog, name: str, start: str, end: str, work: str = "") -> None:
    """Type into a row and Tab through it (the active window: focus moves, dates read back in Chinese)."""
    if not dlg.isActiveWindow():
        dlg.activateWindow()
        qtbot.waitUntil(dlg.isActiveWindow, timeout=5000)
    row = dlg.rows[name]
    for edit, text in ((row.start, start), (row.end, end), (row.work, work)):
        edit.clear()
        if text:
            type_text(qtbot, edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Tab)


def _painted(dlg: HolidayDialog, day: date) -> str:
    """The colour the preview actually painted in ``day``'s cell (near its corner, clear of the digits)."""
    image = dlg.preview.grab().toImage()
    return image.pixelColor(dlg.preview.day_rect(day).topLeft() + QPoint(3, 3)).name()


def test_admin_enters_the_year_from_the_home_card(qtbot: QtBot, ctx: AppContext, sqlite_station: Station,
                                                  tmp_path: Path, msgs: Messages) -> None:
    hs = make_hazard_site(make_site(sqlite_station), tmp_path)
    hazard = register(hs, hazard_input(hs, found_on=date(2026, 12, 25)))  # 7 days → 2027-01-01, 暂定
    home = HomePage(ctx)
    qtbot.addWidget(home)
    home.resize(1100, 800)
    home.show()
    card = home.calendar_card
    qtbot.waitUntil(lambda: card.isVisible(), timeout=10_000)
    assert card.title.text() == "2027年法定节假日安排尚未录入" and "目前 1 项" in card.detail.text()
    qtbot.mouseClick(card.open_button, Qt.MouseButton.LeftButton)
    dlg = card.dialog
    assert isinstance(dlg, HolidayDialog) and dlg.isVisible() and dlg.year == 2027
    assert dlg.rows["春节"].hint.text() == "法定节假日：2月5日（除夕）、2月6日（正月初一）、2月7日（正月初二）、2月8日（正月初三）"

    feb8 = date(2027, 2, 8)  # a Monday inside the (invented) 春节 range
    assert dlg.preview.day_kind(feb8) == WORKDAY and _painted(dlg, feb8) == KINDS[WORKDAY][0]
    _type_row(qtbot, dlg, "春节", *TYPED["春节"])
    assert dlg.rows["春节"].start.text() == "2027年2月5日"  # read back in the Chinese form
    assert dlg.preview.day_kind(feb8) == REST and _painted(dlg, feb8) == KINDS[REST][0]
    assert dlg.preview.day_kind(date(2027, 2, 20)) == WORKED and _painted(dlg, date(2027, 2, 20)) == KINDS[WORKED][0]
    assert dlg.preview.day_kind(date(2027, 3, 6)) == WEEKEND
    for name in HOLIDAY_NAMES:
        if name != "春节":
            _type_row(qtbot, dlg, name, *TYPED[name])
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    assert msgs.texts("confirm") == []  # a year without data needs no confirmation

    moved = dlg.moved_dialog
    assert isinstance(moved, MovedDialog) and moved.isVisible()
    assert moved.rows() == [(f"隐患 {hazard.code} 整改期限", "2027年1月1日（暂定）", "2027年1月4日")]
    assert "暂定期限 1 项" in moved.summary.text()
    assert calendar.calendar_source(2027) == "admin"
    qtbot.waitUntil(lambda: not card.isVisible(), timeout=10_000)  # the card goes once the year is entered
    moved.close()


def test_problems_show_beside_their_rows_and_nothing_is_saved(qtbot: QtBot, ctx: AppContext) -> None:
    dlg = _dialog(qtbot, ctx)
    for name in HOLIDAY_NAMES:
        _type_row(qtbot, dlg, name, *TYPED[name])
    _type_row(qtbot, dlg, "春节", "20270206", "20270213", "2027-02-03")  # 除夕 left out, a Wednesday worked
    _type_row(qtbot, dlg, "中秋节", "2027-09-15", "2027-09-1x")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.rows["中秋节"].error.text().startswith("放假日期：“2027-09-1x”不是有效日期")
    _type_row(qtbot, dlg, "中秋节", "20270915", "")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.rows["春节"].error.text() == "调休上班日：2027年2月3日是星期三，调休上班日应为周六或周日"
    assert dlg.rows["中秋节"].error.isHidden() and "请修正标红的项目" in dlg.banner.text()
    _type_row(qtbot, dlg, "春节", "20270206", "20270213", "2027-02-20")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.rows["春节"].error.text() == "放假期间：应包含法定节假日2027年2月5日（除夕）"
    assert dlg.isVisible()
    with ctx.db.read() as s:
        assert cy.existing_arrangement(s, 2027) == (None, "")


def test_replacing_a_year_asks_with_the_changes(qtbot: QtBot, ctx: AppContext, msgs: Messages) -> None:
    cy.save_and_reload(ctx.db, ctx.actor, INVENTED_2027)
    dlg = _dialog(qtbot, ctx)
    assert dlg.rows["国庆节"].work.text() == "2027年9月26日、2027年10月9日" and "管理员录入" in dlg.origin_label.text()
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert msgs.last("info") == "2027年的安排与已保存的相同，无需保存。"
    _type_row(qtbot, dlg, "春节", "20270204", "20270212", "2027-01-31、2027-02-20")
    msgs.answer = False
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert "2月4日由工作日改为休息日" in msgs.last("confirm") and dlg.isVisible()
    assert calendar.is_working_day(date(2027, 2, 4))  # not saved
    msgs.answer = True
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    assert not calendar.is_working_day(date(2027, 2, 4))
    assert dlg.moved_dialog is not None and dlg.moved_dialog.rows() == []
    assert dlg.moved_dialog.summary.text() == "没有需要重新计算的暂定期限。"
    dlg.moved_dialog.close()


def test_import_from_a_file_fills_the_rows(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    dlg = _dialog(qtbot, ctx, 2028)
    bad = tmp_path / "bad.json"
    bad.write_text(holiday_cn_text(INVENTED_2027).replace('"name": "端午节"', '"name": "龙舟节"', 1), encoding="utf-8")
    dlg.choose_file(str(bad))
    assert "bad.json 未能导入" in dlg.banner.text() and "未知的节日名称“龙舟节”" in dlg.banner.text()
    assert dlg.year == 2028 and dlg.rows["端午节"].start.text() == ""
    good = tmp_path / "2027.json"
    good.write_text(holiday_cn_text(INVENTED_2027), encoding="utf-8")
    dlg.choose_file(str(good))
    assert dlg.year == 2027 and dlg.banner.isHidden()
    assert dlg.rows["端午节"].start.text() == "2027年6月9日" and dlg.preview.day_kind(date(2027, 6, 9)) == REST
    assert dlg.read() == INVENTED_2027


def test_who_sees_the_card_and_where_the_dialog_lives(qtbot: QtBot, sqlite_station: Station, tmp_path: Path) -> None:
    chief = make_ctx(sqlite_station, sqlite_station.chief, tmp_path)
    home = HomePage(chief)
    qtbot.addWidget(home)
    home.show()
    qtbot.waitUntil(lambda: home.calendar_card.isVisible(), timeout=10_000)
    assert home.calendar_card.open_button.text() == "查看…" and "请提醒管理员录入" in home.calendar_card.detail.text()
    qtbot.mouseClick(home.calendar_card.open_button, Qt.MouseButton.LeftButton)
    dlg = home.calendar_card.dialog
    assert dlg is not None and not dlg.save_button.isVisible() and not dlg.rows["春节"].start.isEnabled()
    dlg.close()

    supervisor = make_ctx(sqlite_station, sqlite_station.supervisor, tmp_path / "sup")
    other = HomePage(supervisor)
    qtbot.addWidget(other)
    other.show()
    with qtbot.waitSignal(other.calendar_card.loaded, timeout=10_000):
        other.refresh()
    assert not other.calendar_card.isVisible()

    admin = make_ctx(sqlite_station, sqlite_station.admin, tmp_path / "adm")
    page = SettingsPage(admin)
    qtbot.addWidget(page)
    page.show()
    assert "法定节假日" in page.tab_titles()
    tab = page.holidays_tab
    qtbot.waitUntil(lambda: "2004—2026年 程序自带" in tab.status_label.text(), timeout=10_000)
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert isinstance(tab.dialog, HolidayDialog) and tab.dialog.year == 2027
    tab.dialog.close()
    refs = ReferenceTab(admin)
    qtbot.addWidget(refs)
    refs.show()
    refs.select_dataset("calendar_years")
    qtbot.mouseClick(refs.add_button, Qt.MouseButton.LeftButton)  # the raw form is gone for this dataset
    assert isinstance(refs.dialog, HolidayDialog) and refs.dialog.year == 2027
    refs.dialog.close()
    QApplication.processEvents()
