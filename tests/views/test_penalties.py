"""行政处罚 area: a clerk opens a case from the list, sees its clocks, and advances it through two stages by
typing and clicking; the chief's stages stay closed to the clerk."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from station_app import clock
from station_app.models import AuditEntry, CaseEvidence, Enterprise
from station_app.services.inspections.forms import FindingData
from station_app.services.inspections.records import create_inspection
from station_app.services.penalties import stages as st
from station_app.services.penalties.case_view import get_case
from station_app.services.penalties.cases import load_case
from station_app.services.penalties.table import CASE_LIST
from station_app.views.inspections.page import InspectionsPage
from station_app.views.penalties.case_window import CaseWindow
from station_app.views.penalties.dialogs import PenaltyDialog, StageDialog
from station_app.views.penalties.event_dialogs import (
    EnforcementDialog,
    EvidenceDialog,
    ExtendDialog,
    NotFileDialog,
    PreservationDialog,
)
from station_app.views.penalties.new_case import NewCaseDialog
from station_app.views.penalties.page import CasesPage
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import form, jpeg
from tests.services.penalties.case_fixtures import CaseSite, make_case_site, new_case, penalty, step
from tests.views.conftest import make_ctx, type_text


@pytest.mark.usefixtures("frozen_today")  # the filed case's 办案期限 (2026-12-28) is still running
def test_clerk_opens_a_case_and_advances_it_through_two_stages(qtbot: QtBot, sqlite_station: Station,
                                                                tmp_path: Path) -> None:
    cs = make_case_site(sqlite_station)
    case_id = new_case(cs, date(2026, 9, 21))
    step(cs, case_id, st.FILING, date(2026, 9, 28), chief=True)
    other = new_case(cs, date(2025, 12, 1), cause="另一线索")
    ctx = make_ctx(sqlite_station, sqlite_station.clerk, tmp_path)
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 600)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    page.overdue_only.setChecked(True)  # the old clue's 立案审查 ran out long ago; the filed case's clock runs
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.row_id(0) == other)
    page.overdue_only.setChecked(False)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)

    page.select_id(case_id)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    window = page.windows[case_id]
    qtbot.waitExposed(window)
    assert "CF2026-0001" in window.windowTitle() and "立案审批" in window.header.text()
    labels = [window.clocks.item(r, 0).text() for r in range(window.clocks.rowCount())]
    assert "办案期限（作出处罚决定）" in labels
    row = labels.index("办案期限（作出处罚决定）")
    assert window.clocks.item(row, 3).text() == "2026年12月28日"
    assert "第六十条" in window.clocks.item(row, 5).text()
    assert window.next_button.text().startswith("办理：调查取证")

    # stage 1: 调查取证 with 先行登记保存 — its 7-working-day clock shows, red once past (today is later)
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    dlg = window.last_dialog
    assert isinstance(dlg, StageDialog)
    dlg.on_date.clear()
    type_text(qtbot, dlg.on_date, "2026-10-09")
    type_text(qtbot, dlg.preservation, "2026-09-29")
    type_text(qtbot, dlg.note, "已制作询问笔录和现场勘验笔录")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.view is not None and window.view.stage == st.INVESTIGATION)
    held = next(r for r in range(window.clocks.rowCount()) if window.clocks.item(r, 0).text() == "先行登记保存处理决定")
    assert window.clocks.item(held, 3).text() == "2026年10月14日"
    assert window.clocks.item(held, 4).foreground().color().name() == "#c0392b"
    assert "逾期" in window.clocks.item(held, 4).text() and "逾期" in window.header.text()

    # the penalty, typed in; then stage 2 is refused until the preservation is decided
    qtbot.mouseClick(window.penalty_button, Qt.MouseButton.LeftButton)
    pen = window.last_dialog
    assert isinstance(pen, PenaltyDialog)
    pen.violation.set_value("条例62")
    type_text(qtbot, pen.fine, "50000")
    qtbot.mouseClick(pen.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.view is not None and window.view.proposed_fine_fen == 5_000_000)
    assert "50,000.00" in window.penalty_label.text()

    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    dlg = window.last_dialog
    assert isinstance(dlg, StageDialog) and dlg.target == st.REVIEW
    dlg.on_date.clear()
    type_text(qtbot, dlg.on_date, "2026-10-12")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "先行登记保存的证据须先作出处理决定" in dlg.general_error.text())
    dlg.reject()

    # the 处理决定 through its button: the decision text is required, then the clock closes (grey)
    assert window.preservation_button.text() == "先行登记保存处理决定…"
    qtbot.mouseClick(window.preservation_button, Qt.MouseButton.LeftButton)
    keep = window.last_dialog
    assert isinstance(keep, PreservationDialog) and keep.deciding
    keep.on_date.clear()
    type_text(qtbot, keep.on_date, "2026-10-09")
    qtbot.mouseClick(keep.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "必填" in keep.field_error("decision"))
    type_text(qtbot, keep.decision, "解除先行登记保存")
    qtbot.mouseClick(keep.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.preservation_button.text() == "先行登记保存…")
    held = next(r for r in range(window.clocks.rowCount()) if window.clocks.item(r, 0).text() == "先行登记保存处理决定")
    assert window.clocks.item(held, 4).foreground().color().name() == "#888888"

    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    dlg = window.last_dialog
    assert isinstance(dlg, StageDialog) and dlg.target == st.REVIEW
    dlg.on_date.clear()
    type_text(qtbot, dlg.on_date, "2026-10-12")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.view is not None and window.view.stage == st.REVIEW)
    assert window.next_button.text().startswith("办理：告知")
    with sqlite_station.db.read() as s:
        view = get_case(s, case_id)
    assert [r.stage for r in view.stages][-2:] == [st.INVESTIGATION, st.REVIEW]
    assert view.stages[-1].actor_name == "陈内勤"
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and st.REVIEW in page.model.row_values(
        page.model.row_of_id(case_id) or 0))


def test_approval_stage_is_closed_to_the_clerk(qtbot: QtBot, sqlite_station: Station, tmp_path: Path) -> None:
    cs = make_case_site(sqlite_station)
    case_id = new_case(cs, date(2026, 9, 21))
    page = CasesPage(make_ctx(sqlite_station, sqlite_station.clerk, tmp_path))
    qtbot.addWidget(page)
    window = page.open_case(case_id)
    assert window.next_button.text().startswith("办理：立案审批")
    assert not window.next_button.isEnabled() and "站长" in window.next_button.toolTip()


def _to_execution(cs: CaseSite, case_id: int) -> None:
    """From 立案 to 执行 by the services: 20,000元 served Thu 2026-10-22, to be paid by Fri 11-06."""
    step(cs, case_id, st.INVESTIGATION, date(2026, 10, 9))
    penalty(cs, case_id, 20_000)
    step(cs, case_id, st.REVIEW, date(2026, 10, 12))
    step(cs, case_id, st.NOTICE, date(2026, 10, 13))
    step(cs, case_id, st.DECISION, date(2026, 10, 21), chief=True)
    step(cs, case_id, st.SERVICE, date(2026, 10, 22))
    step(cs, case_id, st.EXECUTION, date(2026, 10, 23))


def test_chief_extends_the_deadline_and_clerk_reminds_then_applies_for_enforcement(
        qtbot: QtBot, sqlite_station: Station, tmp_path: Path) -> None:
    cs = make_case_site(sqlite_station)
    case_id = new_case(cs, date(2026, 9, 21))
    step(cs, case_id, st.FILING, date(2026, 9, 28), chief=True)

    # the clerk sees the extension but may not grant it
    clerk_window = CaseWindow(make_ctx(sqlite_station, sqlite_station.clerk, tmp_path), case_id,
                              today=date(2026, 11, 24))
    qtbot.addWidget(clerk_window)
    assert not clerk_window.extend_button.isEnabled()
    assert "站长" in clerk_window.extend_button.toolTip()

    chief = CaseWindow(make_ctx(sqlite_station, sqlite_station.chief, tmp_path / "chief"), case_id,
                       today=date(2026, 11, 24))
    qtbot.addWidget(chief)
    chief.show()
    qtbot.waitExposed(chief)
    assert chief.extend_button.isVisible() and chief.extend_button.isEnabled()
    qtbot.mouseClick(chief.extend_button, Qt.MouseButton.LeftButton)
    ext = chief.last_dialog
    assert isinstance(ext, ExtendDialog)
    type_text(qtbot, ext.until, "2026-12-01")  # earlier than the statutory 2026-12-28
    qtbot.mouseClick(ext.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "须晚于现办案期限（2026年12月28日）" in ext.field_error("until"))
    assert "必填" in ext.field_error("reason")
    ext.until.clear()
    type_text(qtbot, ext.until, "2027年1月28日")
    type_text(qtbot, ext.reason, "案情复杂，需委托检测机构鉴定")
    qtbot.mouseClick(ext.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chief.view is not None and chief.view.case_deadline == date(2027, 1, 28))
    assert "2027年1月28日" in chief.header.text() and "经李站长批准延长：案情复杂" in chief.header.text()
    row = next(r for r in range(chief.clocks.rowCount())
               if chief.clocks.item(r, 0).text() == "办案期限（作出处罚决定）")
    assert chief.clocks.item(row, 3).text() == "2027年1月28日"

    _to_execution(cs, case_id)
    window = CaseWindow(make_ctx(sqlite_station, sqlite_station.clerk, tmp_path / "clerk2"), case_id,
                        today=date(2026, 11, 24))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not window.extend_button.isVisible()  # decided: nothing left to extend
    assert window.remind_button.isEnabled() and not window.enforce_button.isEnabled()
    assert "先催告" in window.enforce_button.toolTip()

    qtbot.mouseClick(window.remind_button, Qt.MouseButton.LeftButton)
    remind = window.last_dialog
    assert isinstance(remind, EnforcementDialog) and remind.kind == "催告"
    assert "2026年11月6日" in remind.info.text()
    remind.on_date.clear()
    type_text(qtbot, remind.on_date, "2026-11-06")  # the last day to pay: too early
    qtbot.mouseClick(remind.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "届满后才能催告" in remind.field_error("date"))
    remind.on_date.clear()
    type_text(qtbot, remind.on_date, "2026-11-10")
    qtbot.mouseClick(remind.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.view is not None and window.view.reminded_on == date(2026, 11, 10))
    assert window.enforce_button.isEnabled() and window.remind_button.text() == "再次催告…"

    qtbot.mouseClick(window.enforce_button, Qt.MouseButton.LeftButton)
    enforce = window.last_dialog
    assert isinstance(enforce, EnforcementDialog) and enforce.kind == "申请强制执行"
    enforce.on_date.clear()
    type_text(qtbot, enforce.on_date, "2026-11-20")
    qtbot.mouseClick(enforce.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.view is not None and window.view.enforcement_applied_on == date(2026, 11, 20))
    assert not window.enforce_button.isEnabled()
    with sqlite_station.db.read() as s:
        case = load_case(s, case_id)
        assert (case.reminded_on, case.enforcement_applied_on) == (date(2026, 11, 10), date(2026, 11, 20))
        summaries = list(s.scalars(select(AuditEntry.summary).where(AuditEntry.entity_id == case_id,
                                                                   AuditEntry.entity_type == "penalty_case")))
    assert any(x.startswith("催告") for x in summaries) and any(x.startswith("申请强制执行") for x in summaries)
    assert any(x.startswith("延长办案期限") for x in summaries)


def test_chief_declines_to_file_a_clue_with_a_reason(qtbot: QtBot, sqlite_station: Station, tmp_path: Path) -> None:
    cs = make_case_site(sqlite_station)
    case_id = new_case(cs, date(2026, 9, 21))
    clerk = CaseWindow(make_ctx(sqlite_station, sqlite_station.clerk, tmp_path), case_id)
    qtbot.addWidget(clerk)
    assert not clerk.not_file_button.isEnabled() and "站长" in clerk.not_file_button.toolTip()
    window = CaseWindow(make_ctx(sqlite_station, sqlite_station.chief, tmp_path / "chief"), case_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.not_file_button.isVisible() and window.not_file_button.isEnabled()
    qtbot.mouseClick(window.not_file_button, Qt.MouseButton.LeftButton)
    dlg = window.last_dialog
    assert isinstance(dlg, NotFileDialog)
    dlg.on_date.clear()
    type_text(qtbot, dlg.on_date, "2026-09-20")  # before the clue
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "必填" in dlg.field_error("reason"))
    assert "发现线索日期" in dlg.field_error("date")
    assert window.view is not None and window.view.stage == st.CLUE
    dlg.on_date.clear()
    type_text(qtbot, dlg.on_date, "2026-09-25")
    type_text(qtbot, dlg.reason, "违法行为轻微并已及时改正，没有造成危害后果")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.view is not None and window.view.stage == st.NOT_FILED)
    assert "不予立案" in window.timeline.text() and not window.not_file_button.isVisible()
    assert window.log.item(window.log.rowCount() - 1, 3).text().startswith("违法行为轻微")


def test_clerk_adds_evidence_files_to_a_case(qtbot: QtBot, sqlite_station: Station, tmp_path: Path) -> None:
    cs = make_case_site(sqlite_station)
    case_id = new_case(cs, date(2026, 9, 21))
    step(cs, case_id, st.FILING, date(2026, 9, 28), chief=True)
    window = CaseWindow(make_ctx(sqlite_station, sqlite_station.clerk, tmp_path / "data"), case_id)
    qtbot.addWidget(window)
    qtbot.mouseClick(window.evidence_button, Qt.MouseButton.LeftButton)
    dlg = window.last_dialog
    assert isinstance(dlg, EvidenceDialog)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "请选择文件" in dlg.field_error("files"))
    photo = jpeg(tmp_path / "脚手架现场.jpg")
    record = tmp_path / "询问笔录.pdf"
    record.write_bytes(b"%PDF-1.4 interview record")
    dlg.kind.set_value("照片")
    dlg.choose_files([str(photo), str(record)])
    assert "脚手架现场.jpg" in dlg.files_label.text()
    type_text(qtbot, dlg.caption, "2026年9月21日现场照片及询问笔录")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.evidence.rowCount() == 2)
    assert window.tabs.tabText(4) == "证据（2）"
    names = {window.evidence.item(r, 2).text() for r in range(2)}
    assert names == {"脚手架现场.jpg", "询问笔录.pdf"}
    assert [window.evidence.horizontalHeaderItem(c).text() for c in range(5)] == [
        "证据编号", "类别", "文件", "SHA-256前缀", "说明"]
    # the evidence ID and hash prefix the documents print: ZJ + the stored file's id, its SHA-256's first 12
    with sqlite_station.db.read() as s:
        blob_of = {e.original_name: e.blob_id for e in s.scalars(select(CaseEvidence).where(CaseEvidence.case_id == case_id))}
    for r in range(2):
        name = window.evidence.item(r, 2).text()
        content = (photo if name == photo.name else record).read_bytes()
        assert window.evidence.item(r, 0).text() == f"ZJ{blob_of[name]:06d}"
        assert window.evidence.item(r, 3).text() == hashlib.sha256(content).hexdigest()[:12]
        assert window.evidence.item(r, 4).text() == "2026年9月21日现场照片及询问笔录"


@pytest.mark.clock
def test_overdue_column_is_blank_when_nothing_is_overdue_and_header_shows_statistics(
        qtbot: QtBot, sqlite_station: Station, tmp_path: Path) -> None:
    cs = make_case_site(sqlite_station)
    today = clock.today()
    fresh = new_case(cs, today)  # its 立案审查 clock runs
    old = new_case(cs, date(2025, 12, 1), cause="另一线索")  # long past its 立案审查 deadline
    page = CasesPage(make_ctx(sqlite_station, sqlite_station.clerk, tmp_path))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    col = [c.key for c in CASE_LIST.columns].index("overdue")

    def cell(case_id: int) -> str:
        row = page.model.row_of_id(case_id)
        assert row is not None
        return str(page.model.data(page.model.index(row, col)))

    assert cell(fresh) == "" and cell(old) == "1"
    assert page.stats_label.text().startswith("办理中 2 件")
    assert f"{today.year}年立案 0 件" in page.stats_label.text() and "已收缴 0.00 万元" in page.stats_label.text()


def test_case_from_an_inspection_prefills_project_contractor_and_facts(qtbot: QtBot, sqlite_station: Station,
                                                                      tmp_path: Path) -> None:
    cs = make_case_site(sqlite_station)
    findings = (FindingData("2号楼东侧临边防护缺失 <B区> & 电梯井口", category="高处作业", location="2号楼5层"),
                FindingData("1号楼基坑土方超挖且未采取有效措施", level="重大", criterion_code="2024-5-2",
                            location="1号楼基坑"))
    with sqlite_station.db.write() as s:
        insp = create_inspection(s, sqlite_station.supervisor, form(cs.site, findings=findings)).id
    assert insp is not None
    ctx = make_ctx(sqlite_station, sqlite_station.clerk, tmp_path)
    page = InspectionsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.select_id(insp)
    assert page.case_button.isEnabled()
    qtbot.mouseClick(page.case_button, Qt.MouseButton.LeftButton)
    dlg = page.findChild(NewCaseDialog)
    assert isinstance(dlg, NewCaseDialog)
    assert dlg.project.value() == cs.site.project and dlg.project.text() == "东海新区安置房一期"
    assert dlg.enterprise.value() == cs.contractor_id and dlg.enterprise.text() == "江苏东海建工集团有限公司"
    assert dlg.clue_on.value() == date(2026, 3, 10) and dlg.source.value() == "监督检查"
    facts = dlg.facts.toPlainText()
    assert facts.startswith("2026年3月10日监督检查东海新区安置房一期")
    assert "1. 2号楼东侧临边防护缺失 <B区> & 电梯井口（2号楼5层）" in facts and "【重大事故隐患】" in facts
    assert dlg.cause.text().endswith("等安全生产违法行为")
    dlg.cause.clear()
    type_text(qtbot, dlg.cause, "未按规定设置临边防护")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(page, "case_window", None) is not None)
    window = page.case_window
    assert window.view is not None and window.view.basics.inspection_id == insp
    with sqlite_station.db.read() as s:
        uscc = s.scalar(select(Enterprise.uscc).where(Enterprise.id == cs.contractor_id))
    assert (window.view.basics.party_name, window.view.basics.party_code) == ("江苏东海建工集团有限公司", uscc)
    assert window.view.basics.cause == "未按规定设置临边防护"
    assert window.view.basics.source == "监督检查" and window.view.project_name == "东海新区安置房一期"
