"""The issue's "done when" walk through the 隐患台账 page, clicking and typing like the people involved:
a supervisor records a major hazard on an inspection → the clerk issues its rectification deadline →
the contractor's report (with a file) moves it to 待复查 → the re-inspection review passes → the chief
confirms 销号 → the history dialog shows every step; then the 动态清零 figures count it closed, a
figure's drill-down lists it in the ledger, and the national export carries it as 已销号."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from station_app import clock
from station_app.services.hazards.records import get_hazard
from station_app.services.inspections.forms import FindingData
from station_app.services.inspections.records import create_inspection
from station_app.views.hazards.history_dialog import HistoryDialog
from station_app.views.hazards.page import HazardsPage
from station_app.views.hazards.transition_dialog import TransitionDialog
from tests.conftest import Station
from tests.services.hazards.hazard_fixtures import make_hazard_site
from tests.services.inspections.inspection_fixtures import form, make_site
from tests.views.conftest import Messages, make_ctx, type_text


def _page(qtbot: QtBot, station: Station, who: str, root: Path) -> HazardsPage:
    page = HazardsPage(make_ctx(station, getattr(station, who), root))
    qtbot.addWidget(page)
    page.resize(1500, 700)
    page.show()
    return page


def _step(qtbot: QtBot, page: HazardsPage, label: str) -> TransitionDialog:
    """Select the only major hazard, open the 办理 menu and click ``label``."""
    ledger = page.ledger
    ledger.apply_filters({"level": "重大"})
    assert ledger.model.rowCount() == 1
    ledger.table.selectRow(0)
    ledger._fill_menu(ledger.act_menu)
    actions = {a.text(): a for a in ledger.act_menu.actions()}
    assert f"{label}…" in actions, list(actions)
    actions[f"{label}…"].trigger()
    dialog = ledger.dialog
    assert isinstance(dialog, TransitionDialog) and dialog.isVisible()
    return dialog


def _ok(qtbot: QtBot, dialog: TransitionDialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=10_000)


def _state(station: Station, hid: int) -> str:
    with station.db.read() as s:
        return get_hazard(s, hid).state


def _deadline(station: Station, hid: int) -> date:
    with station.db.read() as s:
        return get_hazard(s, hid).deadline


@pytest.mark.clock
def test_major_hazard_walk(qtbot: QtBot, sqlite_station: Station, tmp_path: Path, msgs: Messages,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    st = sqlite_station
    today = clock.today()
    (tmp_path / "files").mkdir()
    hs = make_hazard_site(make_site(st), tmp_path / "files")
    # 1. the supervisor records the inspection with a major finding (the inspection form has its own tests)
    when = datetime.combine(today - timedelta(days=1), time(9, 30))
    with st.db.write() as s:
        create_inspection(s, st.supervisor, form(hs.site, inspected_at=when, findings=(FindingData(
            "1号楼基坑土方超挖且未采取有效措施", level="重大", criterion_code="2024-5-2", location="1号楼基坑"),)))
    root = tmp_path / "data"
    clerk = _page(qtbot, st, "clerk", root)
    assert clerk.ledger.model.rowCount() == 1
    hid = clerk.ledger.model.row_id(0)
    assert _state(st, hid) == "待整改"

    # 2. the clerk issues the rectification deadline
    dialog = _step(qtbot, clerk, "下达整改期限")
    # the default: the registered 30 days (moved on to a working day when the 30th is a rest day)
    registered = _deadline(st, hid)
    assert dialog.deadline is not None and dialog.deadline.value() == registered
    assert when.date() + timedelta(30) <= registered <= when.date() + timedelta(40)
    deadline = today + timedelta(days=14)
    dialog.deadline.clear()
    type_text(qtbot, dialog.deadline, deadline.isoformat())
    type_text(qtbot, dialog.comment, "责令立即停止基坑开挖，限期回填并加固")
    _ok(qtbot, dialog)
    assert _state(st, hid) == "整改中"

    # 3. the contractor's report arrives: without a file it is refused, with the report it goes to 待复查
    dialog = _step(qtbot, clerk, "报告整改完成")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.field_error("evidence")), timeout=10_000)
    assert dialog.field_error("evidence") == "报告整改完成须附整改报告或整改照片" and dialog.isVisible()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *_a, **_k: ([str(hs.report), str(hs.photo)], "")))
    qtbot.mouseClick(dialog.evidence.add_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    type_text(qtbot, dialog.comment, "施工单位报告：已回填超挖部分并加固支护")
    _ok(qtbot, dialog)
    assert _state(st, hid) == "待复查"

    # 4. the re-inspection: another supervisor's review passes, with photos
    sup = _page(qtbot, st, "supervisor2", root)
    dialog = _step(qtbot, sup, "复查合格")
    dialog.evidence.add_files([str(hs.photo)])  # type: ignore[union-attr]
    type_text(qtbot, dialog.comment, "现场复查，整改到位")
    _ok(qtbot, dialog)
    assert _state(st, hid) == "待确认销号"  # a major hazard waits for the chief

    # 5. the chief confirms 销号
    chief = _page(qtbot, st, "chief", root)
    dialog = _step(qtbot, chief, "确认销号")
    _ok(qtbot, dialog)
    assert _state(st, hid) == "已销号"
    assert not msgs.texts("error") and not msgs.texts("warn")

    # 6. the history, one double-click away, shows every step
    ledger = chief.ledger
    ledger.apply_filters({"level": "重大"})
    index = ledger.model.index(0, 0)
    where = ledger.table.visualRect(index).center()
    qtbot.mouseClick(ledger.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(ledger.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    history = ledger.dialog
    assert isinstance(history, HistoryDialog)
    assert history.step_texts() == ["登记", "下达整改期限", "报告整改完成", "复查合格", "确认销号"]
    names = [history.table.item(r, 3).text() for r in range(history.table.rowCount())]  # type: ignore[union-attr]
    assert names == ["张监督", "陈内勤", "陈内勤", "赵监督", "李站长"]
    assert history.files.count() == 3  # report + photo, review photo
    grabbed = history.grab()
    grabbed.save(str(tmp_path / "history.png"))

    # 7. the dashboard counts it closed, and its figure lists exactly it; the national export carries it
    stats = pytest.importorskip("station_app.services.hazards.stats")
    with st.db.read() as s:
        board: Any = stats.zeroing_dashboard(s, today)
    assert board.major_closed_year.value == 1 and board.major_open.value == 0
    chief.open_ledger(board.major_closed_year.filters)
    assert chief.tabs.currentWidget() is chief.ledger
    assert [chief.ledger.model.row_id(r) for r in range(chief.ledger.model.rowCount())] == [hid]
    national = pytest.importorskip("station_app.services.hazards.national_export")
    writer = pytest.importorskip("station_app.exports.hazard_national")
    with st.db.read() as s:
        rows = national.national_rows(s, today - timedelta(days=7), today)
    out = writer.write_national_xlsx(rows, tmp_path / "national.xlsx", title="重大事故隐患")
    ws = load_workbook(out).active
    values = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    flat = [str(v) for r in values for v in r if v is not None]
    assert "1号楼基坑土方超挖且未采取有效措施" in flat and any("已销号" in v for v in flat)
