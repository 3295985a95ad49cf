"""Links between the hazard ledger and the inspection log, clicked like a clerk:

* the 复查 dialog offers the project's inspections since the hazard was found (latest first, Chinese
  dates) as 关联复查检查记录; the choice is stored on the review step and shown in the history dialog;
* the inspection form's 问题隐患 tab opens the hazard a finding became (查看隐患 button, context menu,
  double-click), and says why not for a finding not saved yet.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from station_app import clock
from station_app.errors import ValidationError
from station_app.formatting import chinese_date
from station_app.models import HazardEvent, InspectionFinding
from station_app.models.hazard import HazardAction
from station_app.services.hazards.evidence import review_inspections
from station_app.services.hazards.from_findings import hazard_of_finding
from station_app.services.hazards.lifecycle import transition
from station_app.services.hazards.records import get_hazard, hazard_ids_of_inspection
from station_app.services.inspections.forms import FindingData
from station_app.services.inspections.records import create_inspection
from station_app.views.hazards.history_dialog import INSPECTION_COLUMN, HistoryDialog
from station_app.views.hazards.page import HazardsPage
from station_app.views.hazards.transition_dialog import TransitionDialog
from station_app.views.inspections.finding_hazard import NO_ROW, UNSAVED
from tests.conftest import Station
from tests.services.hazards.hazard_fixtures import HazardSite, make_hazard_site
from tests.services.inspections.inspection_fixtures import form, make_site
from tests.views.conftest import Messages, make_ctx, type_text
from tests.views.test_inspection_support import open_page, visible_form, wait_active

FOUND_AT = datetime(2026, 3, 10, 9, 30)


def _inspect(hs: HazardSite, when: datetime, kind: str = "日常巡查", *, project: int | None = None,
             findings: tuple[FindingData, ...] = ()) -> int:
    st = hs.station
    with st.db.write() as s:
        saved = create_inspection(s, st.supervisor, form(hs.site, inspected_at=when, kind=kind, findings=findings,
                                                          project_id=project or hs.site.project))
    assert saved.id is not None
    return saved.id


@pytest.fixture
def awaiting_review(sqlite_station: Station, tmp_path: Path) -> tuple[HazardSite, int, dict[str, int]]:
    """A hazard found at an inspection on 2026-03-10, rectified and reported (待复查); the project's other
    inspections before and after, and one of another project."""
    st = sqlite_station
    (tmp_path / "files").mkdir()
    hs = make_hazard_site(make_site(st), tmp_path / "files")
    ids = {"before": _inspect(hs, datetime(2026, 2, 5, 10)),
           "found": _inspect(hs, FOUND_AT, findings=(FindingData("2号楼卸料平台未设置防护栏杆", category="高处作业",
                                                                 location="2号楼5层"),)),
           "daily": _inspect(hs, datetime(2026, 3, 20, 14)),
           "recheck": _inspect(hs, datetime(2026, 4, 2, 9), "复查"),
           "other": _inspect(hs, datetime(2026, 3, 25, 9), project=hs.site.project_b)}
    with st.db.write() as s:
        (hid,) = hazard_ids_of_inspection(s, ids["found"])
        transition(s, st.clerk, hid, "start", on_date=date(2026, 3, 11), new_deadline=date(2026, 3, 31))
        transition(s, st.clerk, hid, "report", on_date=date(2026, 3, 30), files=[str(hs.photo)], store=hs.store)
    return hs, hid, ids


def _review_dialog(qtbot: QtBot, st: Station, root: Path, label: str) -> tuple[HazardsPage, TransitionDialog]:
    page = HazardsPage(make_ctx(st, st.supervisor2, root))
    qtbot.addWidget(page)
    page.resize(1500, 700)
    page.show()
    ledger = page.ledger
    assert ledger.model.rowCount() == 1
    ledger.table.selectRow(0)
    ledger._fill_menu(ledger.act_menu)
    actions = {a.text(): a for a in ledger.act_menu.actions()}
    actions[f"{label}…"].trigger()
    dialog = ledger.dialog
    assert isinstance(dialog, TransitionDialog) and dialog.isVisible()
    return page, dialog


def test_review_names_its_reinspection_and_the_history_shows_it(
        qtbot: QtBot, awaiting_review: tuple[HazardSite, int, dict[str, int]], tmp_path: Path,
        msgs: Messages) -> None:
    hs, hid, ids = awaiting_review
    st = hs.station
    page, dialog = _review_dialog(qtbot, st, tmp_path / "data", "复查合格")
    combo = dialog.inspection
    assert combo is not None and combo.isEnabled()
    offered = [combo.itemText(i) for i in range(combo.count())]
    # optional, then the project's inspections since the hazard was found, latest first, Chinese dates
    assert offered == ["不关联", "2026年4月2日 复查（张监督、赵监督）", "2026年3月20日 日常巡查（张监督、赵监督）",
                       "2026年3月10日 日常巡查（张监督、赵监督）"]
    assert combo.value() is None
    assert dialog.fields.form.labelForField(combo.parentWidget()).text() == "关联复查检查记录："  # type: ignore[union-attr]

    # the clerk takes the 复查 with the keyboard, attaches the review photo, types the comment, saves
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.value() == ids["recheck"]
    dialog.evidence.add_files([str(hs.photo)])  # type: ignore[union-attr]
    type_text(qtbot, dialog.comment, "4月2日复查，卸料平台防护栏杆已设置")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    assert not msgs.texts("warn") and not msgs.texts("error")
    with st.db.read() as s:
        assert get_hazard(s, hid).state == "已销号"
        linked = s.execute(select(HazardEvent.action, HazardEvent.inspection_id)
                           .where(HazardEvent.hazard_id == hid, HazardEvent.inspection_id.is_not(None))).all()
    assert linked == [(HazardAction.REVIEW_PASSED.value, ids["recheck"])]

    # the history, a double-click away, names the re-inspection on the 复查合格 row only
    ledger = page.ledger
    ledger.apply_filters({})
    where = ledger.table.visualRect(ledger.model.index(0, 0)).center()
    qtbot.mouseClick(ledger.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(ledger.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    history = ledger.dialog
    assert isinstance(history, HistoryDialog)
    header = history.table.horizontalHeaderItem(INSPECTION_COLUMN)
    assert header is not None and header.text() == "关联检查记录"
    steps = history.step_texts()
    links = history.column_texts(INSPECTION_COLUMN)
    assert steps == ["登记", "下达整改期限", "报告整改完成", "复查合格"]
    assert links == ["", "", "", "2026年4月2日 复查"]
    linked = history.table.item(3, INSPECTION_COLUMN)
    assert linked is not None and linked.toolTip() == "2026年4月2日 复查（张监督、赵监督）"


def test_a_failed_review_may_name_one_too_and_none_is_fine(
        qtbot: QtBot, awaiting_review: tuple[HazardSite, int, dict[str, int]], tmp_path: Path) -> None:
    hs, hid, ids = awaiting_review
    st = hs.station
    _page, dialog = _review_dialog(qtbot, st, tmp_path / "data", "复查不合格")
    combo = dialog.inspection
    assert combo is not None
    assert combo.count() == 4
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.value() == ids["daily"]
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert combo.value() is None  # back to 不关联: the link stays optional
    assert dialog.deadline is not None
    type_text(qtbot, dialog.deadline, clock.today().isoformat())
    type_text(qtbot, dialog.comment, "防护栏杆高度不足")
    dialog.evidence.add_files([str(hs.photo)])  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    with st.db.read() as s:
        assert get_hazard(s, hid).state == "整改中"
        failed = s.execute(select(HazardEvent.inspection_id)
                           .where(HazardEvent.action == HazardAction.REVIEW_FAILED.value)).scalar_one()
    assert failed is None


def test_review_choices_and_refusals_in_the_service(
        awaiting_review: tuple[HazardSite, int, dict[str, int]]) -> None:
    hs, hid, ids = awaiting_review
    st = hs.station
    with st.db.read() as s:
        refs = review_inspections(s, hid)
    assert [r.id for r in refs] == [ids["recheck"], ids["daily"], ids["found"]]
    assert chinese_date(refs[0].inspected_at) == "2026年4月2日" and refs[0].kind == "复查"
    for other, message in ((ids["other"], "所选监督检查记录不存在或不是本项目的"),
                           (ids["before"], "所选监督检查记录（2026年2月5日）早于隐患发现日期（2026年3月10日）")):
        with pytest.raises(ValidationError) as err, st.db.write() as s:
            transition(s, st.supervisor2, hid, "pass", files=[str(hs.photo)], store=hs.store, inspection_id=other)
        assert err.value.errors["复查记录"] == message


# ------------------------------------------------------------------ 查看隐患 from the inspection form


def _open_inspection(qtbot: QtBot, st: Station, who: str, root: Path) -> tuple[object, object]:
    page = open_page(qtbot, make_ctx(st, getattr(st, who), root))
    page.table.selectRow(0)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    inspection = visible_form(page)
    wait_active(qtbot, inspection)
    return page, inspection


def test_a_finding_opens_the_hazard_it_became(qtbot: QtBot, sqlite_station: Station, tmp_path: Path,
                                                msgs: Messages) -> None:
    st = sqlite_station
    (tmp_path / "files").mkdir()
    hs = make_hazard_site(make_site(st), tmp_path / "files")
    iid = _inspect(hs, FOUND_AT, findings=(
        FindingData("2号楼卸料平台未设置防护栏杆", category="高处作业", location="2号楼5层"),
        FindingData("配电箱无门无锁", category="施工用电", location="生活区")))
    with st.db.read() as s:
        finding_ids = s.scalars(select(InspectionFinding.id).where(InspectionFinding.inspection_id == iid)
                                .order_by(InspectionFinding.seq)).all()
        hazards = [hazard_of_finding(s, f) for f in finding_ids]
    codes = [h.code for h in hazards if h is not None]
    assert len(codes) == 2
    _page, inspection = _open_inspection(qtbot, st, "clerk", tmp_path / "data")
    findings = inspection.parts.findings  # type: ignore[attr-defined]
    inspection.tabs.setCurrentWidget(findings)  # type: ignore[attr-defined]
    button = findings.hazard_link.button
    assert isinstance(button, QPushButton) and button.text() == "查看隐患…" and button.isVisible()
    assert not button.isEnabled() and button.toolTip() == NO_ROW

    # click the first finding: the button names its hazard; clicking it opens the hazard's history
    table = findings.table
    first = table.visualRect(table.model().index(0, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    assert button.isEnabled() and codes[0] in button.toolTip() and "待整改" in button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    history = findings.hazard_link.dialog
    assert isinstance(history, HistoryDialog) and history.isVisible()
    assert history.hazard.code == codes[0] and history.windowTitle() == f"隐患办理记录 — {codes[0]}"
    assert history.step_texts() == ["登记"] and "2号楼卸料平台未设置防护栏杆" in history.summary.text()
    history.reject()

    # a double-click on the second finding opens its own hazard
    second = table.visualRect(table.model().index(1, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=second)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=second)
    history = findings.hazard_link.dialog
    assert isinstance(history, HistoryDialog) and history.hazard.code == codes[1] and history.isVisible()
    history.reject()

    # the context menu of the first row offers the same
    menu = findings.hazard_link.menu()
    (action,) = menu.actions()
    assert action.text() == "查看隐患…" and action.isEnabled()
    table.selectRow(0)
    findings.hazard_link.menu().actions()[0].trigger()
    assert findings.hazard_link.dialog.hazard.code == codes[0]
    findings.hazard_link.dialog.reject()

    # a finding added now has no hazard until the inspection is saved: off, and the tooltip says why
    qtbot.mouseClick(findings.add_button, Qt.MouseButton.LeftButton)
    assert findings.current_index() == 2
    assert not button.isEnabled() and button.toolTip() == UNSAVED
    assert not findings.hazard_link.menu().actions()[0].isEnabled()
    third = table.visualRect(table.model().index(2, 1)).center()
    opened = findings.hazard_link.dialog
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=third)
    assert findings.hazard_link.dialog is opened  # nothing new opened
    assert not msgs.texts("warn") and not msgs.texts("error")


def test_a_read_only_viewer_can_still_open_the_hazard(qtbot: QtBot, sqlite_station: Station,
                                                      tmp_path: Path) -> None:
    st = sqlite_station
    (tmp_path / "files").mkdir()
    hs = make_hazard_site(make_site(st), tmp_path / "files")
    iid = _inspect(hs, FOUND_AT, findings=(FindingData("配电箱无门无锁", category="施工用电"),))
    with st.db.read() as s:
        (hid,) = hazard_ids_of_inspection(s, iid)
        code = get_hazard(s, hid).code
    _page, inspection = _open_inspection(qtbot, st, "admin", tmp_path / "data")  # admin: no inspection.write
    assert "只读" in inspection.windowTitle()  # type: ignore[attr-defined]
    findings = inspection.parts.findings  # type: ignore[attr-defined]
    inspection.tabs.setCurrentWidget(findings)  # type: ignore[attr-defined]
    table = findings.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(table.model().index(0, 1)).center())
    assert not findings.add_button.isEnabled() and not findings.remove_button.isEnabled()
    assert findings.hazard_link.button.isEnabled()
    qtbot.mouseClick(findings.hazard_link.button, Qt.MouseButton.LeftButton)
    assert findings.hazard_link.dialog.hazard.code == code
