"""The 隐患台账 tab as a clerk uses it: register a hazard (a refused deadline shown under its field),
filter, select two and extend both deadlines at once, export the view to Excel off the UI thread."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from station_app import clock
from station_app.services.hazards.records import get_hazard
from station_app.views.hazards.hazard_editor import HazardEditor
from station_app.views.hazards.page import HazardsPage
from station_app.views.hazards.transition_dialog import TransitionDialog
from tests.conftest import Station
from tests.services.hazards.hazard_fixtures import hazard_input, major_input, make_hazard_site, register
from tests.services.inspections.inspection_fixtures import make_site
from tests.views.conftest import Messages, make_ctx, type_text


@pytest.mark.clock
def test_register_filter_bulk_extend_and_export(qtbot: QtBot, sqlite_station: Station, tmp_path: Path,
                                                msgs: Messages, monkeypatch: pytest.MonkeyPatch) -> None:
    st = sqlite_station
    (tmp_path / "files").mkdir()
    hs = make_hazard_site(make_site(st), tmp_path / "files")
    register(hs, major_input(hs))
    page = HazardsPage(make_ctx(st, st.clerk, tmp_path / "data"))
    qtbot.addWidget(page)
    page.show()
    ledger = page.ledger
    assert ledger.model.rowCount() == 1

    # register a hazard: a deadline before the finding date is refused under its field
    qtbot.mouseClick(ledger.add_button, Qt.MouseButton.LeftButton)
    editor = ledger.dialog
    assert isinstance(editor, HazardEditor)
    editor.project.set_value(hs.site.project, "东海新区安置房一期")
    editor.found_on.clear()
    type_text(qtbot, editor.found_on, "2026-03-10")
    type_text(qtbot, editor.description, "塔吊司机无证上岗")
    editor.category.set_value("塔式起重机与起重吊装")
    assert editor.deadline.value() == date(2026, 3, 17)  # 一般: 7 days by default, follows the date
    editor.deadline.clear()
    type_text(qtbot, editor.deadline, "2026-03-01")
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(editor.field_error("deadline")), timeout=10_000)
    assert editor.field_error("deadline") == "不能早于发现日期（2026年3月10日）"
    editor.deadline.clear()
    type_text(qtbot, editor.deadline, "2026-03-20")
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not isValid(editor) or not editor.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: ledger.model.rowCount() == 2)

    # filters
    ledger.level_filter.set_value("一般")
    assert ledger.model.rowCount() == 1
    ledger.level_filter.set_value(None)
    ledger.overdue_only.setChecked(True)  # both deadlines (03-20, 04-09) are past
    assert ledger.model.rowCount() == 2
    ledger.apply_filters({"category": "基坑、边坡工程"})
    assert ledger.model.rowCount() == 1 and ledger.category_filter.value() == "基坑、边坡工程"
    assert not ledger.overdue_only.isChecked() and ledger.drill_label.text()
    ledger.clear_filters()

    # select both and extend their deadlines at once
    selection = ledger.table.selectionModel()
    for row in range(2):
        selection.select(ledger.model.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    ledger._fill_menu(ledger.act_menu)
    labels = {a.text(): a for a in ledger.act_menu.actions()}
    assert "批量指派监督员（2条）…" in labels and not labels["批量指派监督员（2条）…"].isEnabled()  # a clerk
    labels["批量延长整改期限（2条）…"].trigger()
    dialog = ledger.dialog
    assert isinstance(dialog, TransitionDialog) and dialog.deadline is not None
    new = clock.today() + timedelta(days=10)
    type_text(qtbot, dialog.deadline, new.isoformat())
    type_text(qtbot, dialog.comment, "连续降雨")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    with st.db.read() as s:
        assert {get_hazard(s, i).deadline for i in (1, 2)} == {new}
    ledger.overdue_only.setChecked(True)
    assert ledger.model.rowCount() == 0
    ledger.overdue_only.setChecked(False)

    # export the view
    target = tmp_path / "台账.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(target), "")))
    ledger.table.clearSelection()
    task = ledger.export_excel()
    assert task is not None
    qtbot.waitUntil(lambda: ledger.export_task is None, timeout=15_000)
    assert ledger.last_export is not None and ledger.last_export.rows == 2
    ws = load_workbook(target).active
    assert ws is not None and ws["A2"].value == "编号"
    assert sorted(str(ws.cell(row=r, column=1).value) for r in (3, 4)) == ["YH2026-000001", "YH2026-000002"]
    assert "已导出 2 条隐患" in msgs.last("info")


def test_edit_refused_for_inspection_hazards_and_readonly_sees_no_writes(
        qtbot: QtBot, sqlite_station: Station, tmp_path: Path, msgs: Messages) -> None:
    st = sqlite_station
    (tmp_path / "files").mkdir()
    hs = make_hazard_site(make_site(st), tmp_path / "files")
    h = register(hs, hazard_input(hs))
    from station_app.services.hazards.lifecycle import start_rectification

    with st.db.write() as s:
        start_rectification(s, st.clerk, h.id)
    page = HazardsPage(make_ctx(st, st.clerk, tmp_path / "data"))
    qtbot.addWidget(page)
    page.ledger.table.selectRow(0)
    assert page.ledger.open_editor(h.id) is None
    assert "只有待整改的隐患可以修改内容" in msgs.last("info")
    viewer = HazardsPage(make_ctx(st, st.readonly, tmp_path / "data"))
    qtbot.addWidget(viewer)
    viewer.ledger.table.selectRow(0)
    assert not viewer.ledger.add_button.isEnabled() and not viewer.ledger.edit_button.isEnabled()
    viewer.ledger._fill_menu(viewer.ledger.act_menu)
    texts = [a.text() for a in viewer.ledger.act_menu.actions() if a.text()]
    assert texts[0] == "当前状态“整改中”无可办理事项" and "办理记录…" in texts
