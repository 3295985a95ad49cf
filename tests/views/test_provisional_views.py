"""On 2026-12-08 (no 2027 holiday data) a supervisor marks a finding 重大 or turns a failed criterion
into a finding: no error, the 整改期限 reads （暂定） with the reason on hover, and it is saved 暂定.
The hazard ledger shows the same mark in its 期限说明 column, with the reason as the cell's tooltip."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from station_app.models.inspection import InspectionFinding
from station_app.rules import calendar
from station_app.views.app_context import AppContext
from tests.conftest import Station
from tests.views.conftest import Messages, type_text
from tests.views.test_inspection_form import new_form_on_site, save_and_close
from tests.views.test_inspection_support import Site, context, make_site

REASON = "2027年法定节假日安排尚未录入"


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 12, 8, 10, 0), tick=False):
        yield


@pytest.fixture
def site(sqlite_station: Station, frozen: None) -> Site:
    assert 2027 not in calendar.known_years()  # the premise: nothing ships 2027 yet
    return make_site(sqlite_station)


@pytest.fixture
def supervisor(site: Site, tmp_path: Path) -> AppContext:
    return context(site.station, site.station.supervisor, tmp_path / "data")


def test_marking_a_finding_major_gives_a_provisional_deadline(qtbot: QtBot, site: Site, supervisor: AppContext,
                                                               msgs: Messages) -> None:
    form, day = new_form_on_site(qtbot, site, supervisor)
    assert day == date(2026, 12, 8)
    f = form.parts.findings
    form.tabs.setCurrentWidget(f)
    f.add_blank()
    type_text(qtbot, f.description, "1号楼基坑土方超挖且未采取有效措施")
    f.category.set_value("基坑工程")
    assert f.table.item(0, 6).text() == "2026年12月15日"  # type: ignore[union-attr]  # 一般: 7 days, exact
    assert f.deadline_hint.toolTip() == ""

    f.level.set_value("重大")  # 30 days → 2027-01-07, counted weekends-only
    cell = f.table.item(0, 6)
    assert cell is not None and cell.text() == "2027年1月7日（暂定）"
    assert REASON in cell.toolTip()
    assert f.deadline_hint.text() == "按规定默认期限（暂定）" and REASON in f.deadline_hint.toolTip()
    assert f.deadline.text() == "2027年1月7日"  # the field itself holds a plain date
    f.criterion.set_value("2024-5-2")
    saved_id = save_and_close(qtbot, form)

    assert not [m for m in msgs.shown if m[0] in ("warn", "error")]
    with supervisor.db.read() as s:
        finding = s.scalars(select(InspectionFinding).where(InspectionFinding.inspection_id == saved_id)).one()
    assert (finding.level, finding.deadline, finding.deadline_provisional) == ("重大", date(2027, 1, 7), True)


def test_a_typed_date_is_exact(qtbot: QtBot, site: Site, supervisor: AppContext) -> None:
    form, _day = new_form_on_site(qtbot, site, supervisor)
    f = form.parts.findings
    form.tabs.setCurrentWidget(f)
    f.add_blank()
    type_text(qtbot, f.description, "1号楼基坑土方超挖且未采取有效措施")
    f.level.set_value("重大")
    f.criterion.set_value("2024-5-2")
    assert REASON in f.deadline.toolTip()
    f.deadline.selectAll()
    type_text(qtbot, f.deadline, "20270120")
    assert f.table.item(0, 6).text() == "2027年1月20日"  # type: ignore[union-attr]
    assert f.deadline_hint.text() == "" and f.deadline.toolTip() == ""
    saved_id = save_and_close(qtbot, form)
    with supervisor.db.read() as s:
        finding = s.scalars(select(InspectionFinding).where(InspectionFinding.inspection_id == saved_id)).one()
    assert (finding.deadline, finding.deadline_provisional) == (date(2027, 1, 20), False)


def test_turning_a_failed_criterion_into_a_finding(qtbot: QtBot, site: Site, supervisor: AppContext,
                                                  msgs: Messages) -> None:
    form, _day = new_form_on_site(qtbot, site, supervisor)
    p = form.parts
    form.tabs.setCurrentWidget(p.checks)
    type_text(qtbot, p.checks.filter, "2024-8-1")
    qtbot.keyClick(p.checks.filter, Qt.Key.Key_Return)
    qtbot.keyClick(p.checks.tree, Qt.Key.Key_2)  # 不符合
    qtbot.mouseClick(p.checks.convert_button, Qt.MouseButton.LeftButton)  # 转为隐患
    f = p.findings
    assert f.rows[0].data.level == "重大"
    cell = f.table.item(0, 6)
    assert cell is not None and cell.text() == "2027年1月7日（暂定）" and REASON in cell.toolTip()
    saved_id = save_and_close(qtbot, form)
    assert not [m for m in msgs.shown if m[0] in ("warn", "error")]

    # the ledger: the hazard the finding became reads 暂定 in 期限说明, the reason on hover
    from station_app.views.hazards.ledger_tab import LedgerTab

    tab = LedgerTab(supervisor)
    qtbot.addWidget(tab)
    model = tab.model
    model.wait_loaded()
    row = next(r for r in range(model.rowCount()) if model.index(r, model.column_index("deadline")).data()
               == "2027年1月7日")
    mark = model.index(row, model.column_index("deadline_mark"))
    assert mark.data() == "暂定" and REASON in mark.data(Qt.ItemDataRole.ToolTipRole)
    assert saved_id


def test_the_december_reports_due_day_reads_provisional(qtbot: QtBot, sqlite_station: Station,
                                                        tmp_path: Path) -> None:
    from station_app.views.monthly.page import MonthlyPage
    from tests.views.conftest import make_ctx

    with time_machine.travel(datetime(2027, 1, 2, 9, 0), tick=False):  # 2027 still not entered
        page = MonthlyPage(make_ctx(sqlite_station, sqlite_station.clerk, tmp_path / "data"))
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        page.period_edit.setText("")
        type_text(qtbot, page.period_edit, "2026-12")
        qtbot.keyClick(page.period_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "报送期限" in page.status_label.text(), timeout=15_000)
    # due on the 3rd (a Sunday) → Monday 4 January, counted weekends-only
    assert "报送期限 2027年1月4日（暂定）" in page.status_label.text()
    assert REASON in page.status_label.toolTip()
