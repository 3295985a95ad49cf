"""判定条款待复核 tab, driven like the chief on a real SQLite station whose records went through migration
0011: the list, the dialog that picks the item, an error shown in the dialog, the records updated."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station_app.models import Hazard, InspectionFinding
from station_app.services.hazards import criteria_review
from station_app.views.hazards.criteria_review_tab import ConfirmCriterionDialog, CriteriaReviewTab
from station_app.views.hazards.page import HazardsPage
from tests.conftest import Station
from tests.services.criteria_fixtures import old_records
from tests.services.hazards.hazard_fixtures import HazardSite, make_hazard_site
from tests.services.inspections.inspection_fixtures import make_site
from tests.views.conftest import make_ctx


@pytest.fixture
def hs(sqlite_station: Station, tmp_path: Path) -> HazardSite:
    return make_hazard_site(make_site(sqlite_station), tmp_path)


def _tab(qtbot: QtBot, hs: HazardSite, tmp_path: Path, actor: Any) -> CriteriaReviewTab:
    tab = CriteriaReviewTab(make_ctx(hs.station, actor, tmp_path))
    qtbot.addWidget(tab)
    tab.resize(1400, 600)
    tab.show()
    qtbot.waitUntil(lambda: not tab.loading and tab.status.text() != "", timeout=10_000)
    return tab


def _when_dialog(act: Callable[[ConfirmCriterionDialog], None]) -> list[ConfirmCriterionDialog]:
    """Run ``act`` on the confirm dialog once it is shown modally (exec blocks the test otherwise)."""
    seen: list[ConfirmCriterionDialog] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ConfirmCriterionDialog) and dialog.isVisible():
            seen.append(dialog)
            act(dialog)
        else:
            QTimer.singleShot(30, poll)

    QTimer.singleShot(0, poll)
    return seen


def test_the_chief_picks_the_item_and_the_list_empties(qtbot: QtBot, hs: HazardSite, tmp_path: Path) -> None:
    ids = old_records(hs)
    st = hs.station
    tab = _tab(qtbot, hs, tmp_path, st.chief)
    assert tab.status.text() == "待复核 2 条" and tab.model.rowCount() == 2
    assert [tab.model.cell(r, 0) for r in range(2)] == ["检查发现的问题", "隐患"]
    assert tab.model.cell(1, 5) == "2024-8-6" and tab.model.cell(1, 6).startswith("施工升降机防坠安全器")
    assert tab.model.cell(1, 7).startswith("2024版 第八条第(六)项") and tab.model.cell(1, 8).startswith("2024版 第八条第(五)项")
    tab.table.selectRow(1)

    def pick(dialog: ConfirmCriterionDialog) -> None:
        assert dialog.criterion.value() == "2024-8-5"  # the suggestion is offered first
        dialog.criterion.setCurrentIndex(dialog.criterion.findData("2024-8-4"))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    seen = _when_dialog(pick)
    qtbot.mouseClick(tab.confirm_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    qtbot.waitUntil(lambda: not tab.loading and tab.status.text() == "没有待复核的判定条款", timeout=10_000)
    with st.db.read() as s:
        assert s.get(Hazard, ids["paired"]).criterion_code == "2024-8-4"  # type: ignore[union-attr]
        assert s.get(InspectionFinding, ids["finding"]).criterion_code == "2024-8-4"  # type: ignore[union-attr]


def test_a_choice_made_meanwhile_is_named_in_the_dialog(qtbot: QtBot, hs: HazardSite, tmp_path: Path) -> None:
    old_records(hs)
    st = hs.station
    tab = _tab(qtbot, hs, tmp_path, st.chief)
    tab.table.selectRow(1)
    review_id = tab.current().id  # type: ignore[union-attr]
    errors: list[str] = []

    def another_chief_first(dialog: ConfirmCriterionDialog) -> None:
        with st.db.write() as s:
            criteria_review.confirm(s, st.chief, review_id, "2024-8-5")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(dialog.field_error("判定依据")), timeout=10_000)
        errors.append(dialog.field_error("判定依据"))
        dialog.reject()

    _when_dialog(another_chief_first)
    qtbot.mouseClick(tab.confirm_button, Qt.MouseButton.LeftButton)
    assert errors == ["该记录已复核，请刷新列表。"]


def test_only_the_chief_may_confirm(qtbot: QtBot, hs: HazardSite, tmp_path: Path) -> None:
    old_records(hs)
    tab = _tab(qtbot, hs, tmp_path, hs.station.supervisor)
    assert tab.model.rowCount() == 2 and not tab.confirm_button.isEnabled()
    assert tab.confirm_button.toolTip() == "由站长复核确认"


def test_the_hazard_area_has_the_tab(qtbot: QtBot, hs: HazardSite, tmp_path: Path) -> None:
    page = HazardsPage(make_ctx(hs.station, hs.station.chief, tmp_path))
    qtbot.addWidget(page)
    page.show()
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "判定条款待复核" in titles
    tab = page.extra["判定条款待复核"]
    assert isinstance(tab, CriteriaReviewTab)
    page.tabs.setCurrentWidget(tab)  # a station whose records all matched: the tab says so
    qtbot.waitUntil(lambda: tab.status.text() == "没有待复核的判定条款", timeout=10_000)
    assert tab.model.rowCount() == 0
