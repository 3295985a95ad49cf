"""安全费用 pages as a clerk uses them: a year of fee records typed in, and the page shows the late
50 % payment and the flagged entry with the records behind each claim; review, export, bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import shiboken6
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from station_app.views.dialogs.form import FormDialog
from station_app.views.safety_fees.editors import BasisDialog, PaymentDialog
from station_app.views.safety_fees.ledger_dialogs import ReviewDialog, UsageDialog
from station_app.views.safety_fees.page import SafetyFeesPage
from station_app.views.safety_fees.project_page import ProjectFeePage
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import make_site
from tests.views.conftest import Messages, make_ctx, type_text

AS_OF = date(2026, 3, 31)
#: a year of the contractor's ledger: (date, category key, 元, voucher, description); one 工作服 entry
LEDGER = [(f"2025-{m:02d}-15" if m <= 12 else f"2026-{m - 12:02d}-15", cat, amount, f"记-{m:03d}", text)
          for m, cat, amount, text in (
              (4, "19-1", "23500", "临边洞口防护栏杆"), (5, "19-5", "8600", "安全帽安全带更新"),
              (6, "19-6", "4200", "三级安全教育培训"), (7, "19-5", "9800", "购买夏季工作服200套"),
              (8, "19-2", "6000", "防汛应急演练"), (9, "19-8", "5200", "塔吊检测"),
              (10, "19-1", "31000", "外架安全网更换"), (11, "19-3", "7400", "隐患排查治理"),
              (12, "19-9", "18000", "安全生产责任保险保费"), (13, "19-4", "3000", "安全标准化咨询"),
              (14, "19-7", "12000", "智慧工地安全监测"), (15, "19-1", "15500", "临时用电改造"))]


def _submit(qtbot: QtBot, dlg: FormDialog) -> None:
    """Click 保存 and wait for the save off the UI thread to finish (closed, or errors shown)."""
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dlg) or not dlg.busy, timeout=10_000)


def _dlg[T](page: ProjectFeePage, kind: type[T]) -> T:
    dlg = page.last_dialog
    assert isinstance(dlg, kind)
    return dlg


def _rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_clerk_enters_a_year_and_the_page_shows_the_late_payment_and_the_flagged_entry(
        qtbot: QtBot, sqlite_station: Station, tmp_path: Path, msgs: Messages) -> None:
    site = make_site(sqlite_station)
    ctx = make_ctx(sqlite_station, sqlite_station.clerk, tmp_path)
    overview = SafetyFeesPage(ctx, as_of=AS_OF)
    qtbot.addWidget(overview)
    page = overview.open_project(site.project)
    assert "尚未登记费用基数" in page.basis_line.text() and not page.use_button.isEnabled()

    page.edit_basis()
    basis = _dlg(page, BasisDialog)
    type_text(qtbot, basis.cost, "10000000")
    type_text(qtbot, basis.contract_date, "2025-01-10")
    _submit(qtbot, basis)
    assert "30.00万元" in page.figures.text() and "财资〔2022〕136号" in page.basis_line.text()

    for day, amount, voucher in (("2025-03-20", "100000", "付-001"), ("2025-05-10", "200000", "付-002")):
        page.add_payment()
        pay = _dlg(page, PaymentDialog)
        type_text(qtbot, pay.paid_on, day)
        type_text(qtbot, pay.amount, amount)
        type_text(qtbot, pay.voucher, voucher)
        _submit(qtbot, pay)

    # bad input stays in the dialog with the message under the field
    page.add_usage()
    bad = _dlg(page, UsageDialog)
    type_text(qtbot, bad.used_on, "2025-04-01")
    type_text(qtbot, bad.amount, "-5")
    qtbot.mouseClick(bad.ok_button, Qt.MouseButton.LeftButton)
    assert bad.isVisible() and "负数" in bad.field_error("金额")
    bad.amount.clear()
    type_text(qtbot, bad.amount, "100")
    type_text(qtbot, bad.description, "测试")
    _submit(qtbot, bad)
    assert bad.isVisible() and bad.field_error("使用范围") == "必填"
    bad.reject()

    for day, cat, amount, voucher, text in LEDGER:
        page.add_usage()
        u = _dlg(page, UsageDialog)
        u.used_on.clear()
        type_text(qtbot, u.used_on, day)
        u.category.set_value(cat)
        type_text(qtbot, u.amount, amount)
        type_text(qtbot, u.voucher, voucher)
        type_text(qtbot, u.description, text)
        _submit(qtbot, u)
    qtbot.waitUntil(lambda: page.model.total_count() == 12)

    # the claims and the records behind them
    assert "首期支付不足" in page.problems.text() and "2025年4月1日" in page.problems.text()
    assert "不少于150,000.00元，仅付100,000.00元" in page.payments_tab.owner_verdict.text()
    payments = _rows(page.payments_tab.payments)
    assert [(r[0], r[3], r[4]) for r in payments] == [("2025年3月20日", "付-001", "计入首期"),
                                                     ("2025年5月10日", "付-002", "期限后支付，不计入首期")]
    flagged = _rows(page.flagged_tab.table)
    assert len(flagged) == 1 and flagged[0][0] == "2025年7月15日" and flagged[0][3] == "记-007"
    assert "工作服" in flagged[0][5] and flagged[0][6] == "待复核"
    assert page.tabs.tabText(4) == "待复核支出（1）"
    assert "待复核支出 1 笔" in page.problems.text()
    months = _rows(page.months_tab.table)
    assert months[0][0] == "2026年3月" and months[0][3] == "300,000.00" and months[0][4] == "144,200.00"
    categories = {r[0]: r[2] for r in _rows(page.category_tab.table)}
    assert categories["完善、改造和维护安全防护设施设备"] == "70,000.00"

    # the station overview lists the project under its problems
    overview.problem_bar.setCurrentIndex(1)
    qtbot.waitUntil(lambda: overview.projects.total_count() == 1)
    assert overview.projects.row_id(0) == site.project
    qtbot.waitUntil(lambda: overview.problem_bar.tabText(1) == "首期支付不足（建设单位）（1）", timeout=10_000)
    overview.view_bar.setCurrentIndex(1)
    assert overview.entries.total_count() == 1 and overview.count_label.text() == "共 1 条"
    page.reject()


def test_supervisor_reviews_and_exports(qtbot: QtBot, sqlite_station: Station, tmp_path: Path,
                                        msgs: Messages) -> None:
    from tests.services.safety_fees.safety_fee_fixtures import make_fee_site

    fs = make_fee_site(sqlite_station)
    ctx = make_ctx(sqlite_station, sqlite_station.supervisor, tmp_path)
    overview = SafetyFeesPage(ctx, as_of=AS_OF)
    qtbot.addWidget(overview)
    page = overview.open_project(fs.project)
    page.review(fs.flagged_usage)
    dlg = _dlg(page, ReviewDialog)
    dlg.decision.set_value("不予认可")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.field_error("复核意见")), timeout=10_000)
    type_text(qtbot, dlg.comment, "普通工作服不属于安全防护用品")
    _submit(qtbot, dlg)
    assert _rows(page.flagged_tab.table)[0][6] == "不予认可"
    assert "不予认可 0.80万元" in page.figures.text()
    page.reject()

    overview.view_bar.setCurrentIndex(1)
    overview.review_bar.setCurrentIndex(2)  # 不予认可
    qtbot.waitUntil(lambda: overview.entries.total_count() == 1)
    target = tmp_path / "复核.xlsx"
    task = overview.export_excel(str(target))
    assert task is not None
    qtbot.waitUntil(lambda: overview.last_export is not None, timeout=15_000)
    ws = load_workbook(target).active
    rows = list(ws.iter_rows(values_only=True))
    rows = rows[next(i for i, r in enumerate(rows) if r[0] == "日期"):]  # after any title rows
    assert rows[0][:4] == ("日期", "工程名称", "施工总承包", "使用范围")
    assert len(rows) == 2 and rows[1][1] == "东海新区安置房一期" and rows[1][4] == 8000
    assert "工作服" in rows[1][6] and rows[1][7] == "不予认可" and "负面清单" in rows[1][8]
    assert rows[1][9] == "普通工作服不属于安全防护用品"


def test_project_editor_shows_the_fee_summary(qtbot: QtBot, sqlite_station: Station, tmp_path: Path) -> None:
    from station_app.views.registry.project_editor import ProjectEditor
    from tests.services.safety_fees.safety_fee_fixtures import make_fee_site

    fs = make_fee_site(sqlite_station)
    ctx = make_ctx(sqlite_station, sqlite_station.clerk, tmp_path)
    editor = ProjectEditor(ctx, fs.project)
    qtbot.addWidget(editor)
    text = editor.fee_summary.label.text()
    assert "应列 30.00万元" in text and "首期支付不足" in text and "待复核1笔" in text
    assert not editor.fee_summary.isHidden() and editor.fee_summary.button.isEnabled()


def test_deleting_an_entry_someone_else_just_edited_is_refused(qtbot: QtBot, sqlite_station: Station, tmp_path: Path,
                                                               msgs: Messages) -> None:
    from sqlalchemy import select

    from station_app.models import AuditEntry, SafetyFeeUsage
    from station_app.services.safety_fees.ledger import UsageData, save_usage
    from tests.services.safety_fees.safety_fee_fixtures import make_fee_site

    fs = make_fee_site(sqlite_station)
    page = ProjectFeePage(make_ctx(sqlite_station, sqlite_station.clerk, tmp_path), fs.project, as_of=AS_OF)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.total_count() == 2)
    description = page.model.column_index("description")
    assert page.ledger.isColumnHidden(page.model.column_index("version"))

    def select_entry() -> None:
        row = page.model.row_of_id(fs.ok_usage)
        assert row is not None
        page.ledger.selectRow(row)

    select_entry()
    # the chief corrects the entry at another desk; the clerk's list still shows it as it was
    with sqlite_station.db.write() as s:
        u = s.get(SafetyFeeUsage, fs.ok_usage)
        assert u is not None
        save_usage(s, sqlite_station.chief, UsageData(fs.project, u.used_on, u.category, u.amount_fen, u.voucher_no,
                                                      "临边防护栏杆及安全网（更正）", id=u.id, version=u.version),
                   today=AS_OF)
    assert page.model.row_values(page.model.row_of_id(fs.ok_usage) or 0)[description] == "临边防护栏杆及安全网"
    qtbot.mouseClick(page.ledger_buttons["删除"], Qt.MouseButton.LeftButton)
    assert msgs.shown[-1] == ("warn", "使用台账记录已被他人修改，请刷新后重试。")
    with sqlite_station.db.read() as s:
        kept = s.get(SafetyFeeUsage, fs.ok_usage)
        assert kept is not None and kept.description == "临边防护栏杆及安全网（更正）"
    # the list reloaded: the clerk now sees the corrected entry, and deleting it as shown goes through
    qtbot.waitUntil(lambda: page.model.row_values(page.model.row_of_id(fs.ok_usage) or 0)[description]
                    == "临边防护栏杆及安全网（更正）")
    select_entry()
    qtbot.mouseClick(page.ledger_buttons["删除"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.total_count() == 1)
    assert msgs.shown[-1][0] == "confirm"
    with sqlite_station.db.read() as s:
        assert s.get(SafetyFeeUsage, fs.ok_usage) is None
        assert s.scalar(select(AuditEntry.summary).where(AuditEntry.entity_type == "safety_fee_usage",
                                                         AuditEntry.action == "delete")) == "删除安全生产费用使用台账记录"


def test_ledger_delete_edit_and_review_act_on_one_entry_only(qtbot: QtBot, sqlite_station: Station, tmp_path: Path,
                                                             msgs: Messages) -> None:
    """As on the other list pages: with several entries selected 删除 (and 编辑/复核) are off, so a click
    can never delete just the first of them; 记录检查 still takes them all."""
    from PySide6.QtCore import QItemSelectionModel

    from station_app.models import SafetyFeeUsage
    from tests.services.safety_fees.safety_fee_fixtures import make_fee_site

    fs = make_fee_site(sqlite_station)
    page = ProjectFeePage(make_ctx(sqlite_station, sqlite_station.clerk, tmp_path), fs.project, as_of=AS_OF)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.total_count() == 2)
    delete, edit, review = (page.ledger_buttons[k] for k in ("删除", "编辑(&E)…", "复核…"))
    assert not delete.isEnabled() and not edit.isEnabled()  # nothing selected
    page.ledger.selectAll()
    assert len(page._ledger_ids()) == 2
    assert not delete.isEnabled() and not edit.isEnabled() and not review.isEnabled()
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)  # a disabled button does nothing
    page.delete_usage()  # nor does the action itself (a shortcut, a stale click)
    assert not msgs.shown
    with sqlite_station.db.read() as s:
        assert s.get(SafetyFeeUsage, fs.ok_usage) is not None and s.get(SafetyFeeUsage, fs.flagged_usage) is not None
    assert page.record_check() is not None  # several entries checked at one inspection
    page.last_dialog.close()
    # one entry: the button is on, the confirmation names it, only it goes
    row = page.model.row_of_id(fs.ok_usage)
    assert row is not None
    page.ledger.selectionModel().select(page.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                        | QItemSelectionModel.SelectionFlag.Rows)
    assert delete.isEnabled() and edit.isEnabled() and review.isEnabled()
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.total_count() == 1)
    assert msgs.shown[-1] == ("confirm", "确定删除使用台账记录“2025年4月2日 临边防护栏杆及安全网”吗？删除将记入操作日志。")
    with sqlite_station.db.read() as s:
        assert s.get(SafetyFeeUsage, fs.ok_usage) is None and s.get(SafetyFeeUsage, fs.flagged_usage) is not None
