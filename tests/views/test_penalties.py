"""行政处罚 area: a clerk opens a case from the list, sees its clocks, and advances it through two stages by
typing and clicking; the chief's stages stay closed to the clerk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_app.services import case_stages as st
from station_app.services.case_view import get_case
from station_app.views.penalties.dialogs import PenaltyDialog, StageDialog
from station_app.views.penalties.page import CasesPage
from tests.conftest import Station
from tests.services.case_fixtures import make_case_site, new_case, step
from tests.views.conftest import make_ctx, type_text


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
    assert window.clocks.item(row, 3).text() == "2026-12-28"
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
    assert window.clocks.item(held, 3).text() == "2026-10-14"
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
    from station_app.services.case_events import decide_preservation

    with sqlite_station.db.write() as s:
        decide_preservation(s, sqlite_station.clerk, case_id, date(2026, 10, 9), "解除保存")
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
