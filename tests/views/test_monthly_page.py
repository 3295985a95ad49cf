"""月报 page: a clerk types the narrative, drills into a figure, generates the pack; the 站长 signs it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from station_app.services.monthly.signoff import get_report
from station_app.services.monthly.stats import ReportPeriod
from station_app.views.monthly.detail_dialog import RowsDialog
from station_app.views.monthly.page import MonthlyPage
from tests.conftest import Station
from tests.services.monthly.monthly_fixtures import OCT, build
from tests.views.conftest import Messages, make_ctx, type_text


def _page(qtbot: QtBot, station: Station, actor: object, root: Path) -> MonthlyPage:
    page = MonthlyPage(make_ctx(station, actor, root))  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.period_edit.setText("")
    type_text(qtbot, page.period_edit, OCT)
    qtbot.keyClick(page.period_edit, Qt.Key.Key_Return)
    return page


def test_clerk_generates_the_pack_from_the_page(qtbot: QtBot, sqlite_station: Station, tmp_path: Path,
                                                msgs: Messages, monkeypatch: object) -> None:
    build(sqlite_station)
    page = _page(qtbot, sqlite_station, sqlite_station.clerk, tmp_path / "data")
    assert page.table.rowCount() > 20
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 1).text() == "在监项目数")
    assert page.table.item(row, 3).text() == "6"
    assert "交叉核对（" in page.tabs.tabText(2) and page.checks.rowCount() >= 2
    seen: list[int] = []
    monkeypatch.setattr(RowsDialog, "exec", lambda self: seen.append(self.table.rowCount()) or QDialog.DialogCode.Accepted)  # type: ignore[attr-defined]
    page.open_detail(row)
    assert seen == [6]
    page.tabs.setCurrentIndex(1)
    type_text(qtbot, page.editors["work_summary"], "开展冬季施工专项检查。")
    type_text(qtbot, page.signer_edit, "李站长")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    with sqlite_station.db.read() as s:
        assert get_report(s, ReportPeriod.parse(OCT)).narrative.work_summary == "开展冬季施工专项检查。"
    out = tmp_path / "pack"
    task = page.generate(str(out))
    assert task is not None
    qtbot.waitUntil(lambda: page.task is None, timeout=30_000)
    assert page.last_result is not None, msgs.shown
    ws = load_workbook(page.last_result.xlsx).worksheets[0]
    assert any(r[1].value == "在监项目数" and r[3].value == 6 for r in ws.iter_rows(min_row=4))
    assert page.last_result.docx.exists()
    assert not page.sign_button.isVisible() or not page.ctx.can("monthly.sign")


def test_chief_signs_and_the_page_locks(qtbot: QtBot, sqlite_station: Station, tmp_path: Path,
                                        msgs: Messages) -> None:
    build(sqlite_station)
    page = _page(qtbot, sqlite_station, sqlite_station.chief, tmp_path / "data")
    msgs.answer = True
    page.sign()
    assert "已签发" in page.status_label.text() or "签发" in page.status_label.text()
    assert page.editors["work_summary"].isReadOnly() and not page.save_button.isEnabled()
    assert page.diff_button.isEnabled()
    page.generate(str(tmp_path / "again"))
    qtbot.waitUntil(lambda: page.task is None, timeout=30_000)
    assert page.last_result is None
    assert any("不再重新生成" in t for _, t in msgs.shown)
