"""The fee page's delete buttons and the ledger import dialog, clicked like a clerk."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_app.views.safety_fees.import_dialog import LedgerImportDialog
from station_app.views.safety_fees.project_page import ProjectFeePage
from tests.conftest import Station
from tests.services.safety_fees.safety_fee_fixtures import AS_OF, make_fee_site
from tests.services.safety_fees.test_safety_fee_import import write_xlsx
from tests.views.conftest import Messages, make_ctx, type_text


def _page(qtbot: QtBot, station: Station, tmp_path: Path, actor_name: str = "clerk") -> tuple[ProjectFeePage, int]:
    fs = make_fee_site(station)
    ctx = make_ctx(station, getattr(station, actor_name), tmp_path)
    page = ProjectFeePage(ctx, fs.project, as_of=AS_OF)
    qtbot.addWidget(page)
    page.show()
    return page, fs.project


def _click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_delete_payment_and_subcontract_buttons(qtbot: QtBot, sqlite_station: Station, tmp_path: Path,
                                                msgs: Messages) -> None:
    page, _ = _page(qtbot, sqlite_station, tmp_path)
    tab = page.payments_tab
    assert tab.payments.rowCount() == 3 and tab.subs.rowCount() == 1

    _click(qtbot, tab.delete_pay_button)  # nothing selected
    assert msgs.shown[-1] == ("info", "请先在支付列表中选择要删除的支付记录。") and tab.payments.rowCount() == 3

    tab.subs.selectRow(0)
    _click(qtbot, tab.delete_sub_button)
    assert msgs.shown[-2][0] == "confirm" and "江苏恒安幕墙工程有限公司" in msgs.shown[-2][1]
    assert msgs.shown[-1][0] == "warn" and "已有1笔支付记录" in msgs.shown[-1][1]
    assert tab.subs.rowCount() == 1

    sub_row = next(r for r in range(3) if "幕墙" in tab.payments.item(r, 1).text())
    tab.payments.selectRow(sub_row)
    msgs.answer = False  # 取消 keeps it
    _click(qtbot, tab.delete_pay_button)
    assert tab.payments.rowCount() == 3
    msgs.answer = True
    _click(qtbot, tab.delete_pay_button)
    assert msgs.shown[-1] == ("confirm", "确定删除所选支付记录吗？删除将记入操作日志。")
    assert tab.payments.rowCount() == 2

    tab.subs.selectRow(0)
    _click(qtbot, tab.delete_sub_button)
    assert tab.subs.rowCount() == 0 and "江苏恒安幕墙" not in page.problems.text()


def test_supervisor_cannot_delete(qtbot: QtBot, sqlite_station: Station, tmp_path: Path) -> None:
    page, _ = _page(qtbot, sqlite_station, tmp_path, "supervisor")
    assert not page.payments_tab.delete_pay_button.isEnabled()
    assert not page.payments_tab.delete_sub_button.isEnabled()
    assert page.import_button.isEnabled()  # supervisors may enter fee records


def test_import_dialog_lists_bad_rows_then_imports_a_good_file(qtbot: QtBot, sqlite_station: Station,
                                                               tmp_path: Path, msgs: Messages) -> None:
    page, _ = _page(qtbot, sqlite_station, tmp_path)
    qtbot.waitUntil(lambda: page.model.total_count() == 2)
    _click(qtbot, page.import_button)
    dlg = page.last_dialog
    assert isinstance(dlg, LedgerImportDialog) and not dlg.import_button.isEnabled()

    template = dlg.save_template(str(tmp_path / "模板"))
    assert template == tmp_path / "模板.xlsx" and msgs.shown[-1][0] == "info"
    assert [c.value for c in load_workbook(template)["使用台账"][1]] == ["日期", "类别", "金额(元)", "凭证号", "说明"]

    bad = write_xlsx(tmp_path / "有误.xlsx", [
        ["2025-05-06", "19-1", 1000, "记-301", "安全网"],
        ["2025-05-07", "19-1", "abc", "记-302", "安全网"],
        ["2025-05-08", "19-1", 300, "记-101", "安全网"],
    ])
    dlg.choose_file(str(bad))
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=10_000)
    assert not dlg.import_button.isEnabled() and "2 行有误，未导入任何记录" in dlg.summary.text()
    results = [dlg.table.item(r, 6).text() for r in range(dlg.table.rowCount())]
    assert results[0] == "正确" and results[1].startswith("金额：") and "已在本项目台账中登记" in results[2]
    assert [dlg.table.item(r, 0).text() for r in range(3)] == ["4", "5", "6"]

    dlg.choose_file(str(tmp_path / "不存在.xlsx"))
    qtbot.waitUntil(lambda: "找不到文件" in dlg.summary.text(), timeout=10_000)
    assert dlg.table.rowCount() == 0 and not dlg.import_button.isEnabled()

    good = write_xlsx(tmp_path / "台账.xlsx", [
        ["2025-05-06", "19-1", 1000, "记-301", "安全网"],
        ["2025-05-07", "19-5", "250.5", "记-302", "交通事故赔偿款"],
    ])
    dlg.path.clear()
    type_text(qtbot, dlg.path, str(good))
    qtbot.keyClick(dlg.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.import_button.isEnabled(), timeout=10_000)
    assert "全部检查通过，其中 1 行疑似负面清单" in dlg.summary.text()
    assert "导入后待复核" in dlg.table.item(1, 6).text()
    _click(qtbot, dlg.import_button)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dlg) or not dlg.isVisible(), timeout=10_000)
    assert msgs.shown[-1] == ("info", "已导入 2 条使用台账记录，其中 1 条标记为“待复核”。")
    qtbot.waitUntil(lambda: page.model.total_count() == 4)
    assert page.tabs.tabText(4) == "待复核支出（2）"
