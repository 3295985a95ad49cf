"""Helpers shared by the 监督检查 view tests (no tests here): a clerk's context on the inspection test
site, the project's assigned pair, picking from a completion popup, small JPEGs, opening the form."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from station_app.paths import DataDir
from station_app.runtime import Runtime
from station_app.services.context import Actor
from station_app.services.supervision.assignments import set_team
from station_app.views.app_context import AppContext, EntityBus
from station_app.views.inspections.form import InspectionForm
from station_app.views.inspections.page import InspectionsPage
from station_app.views.widgets import RecordPicker
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import Site, jpeg, make_site
from tests.views.conftest import type_text

__all__ = ["Site", "jpeg", "make_site"]


def context(station: Station, actor: Actor, root: Path) -> AppContext:
    return AppContext(runtime=Runtime(data=DataDir(root).ensure(), db=station.db), actor=actor, bus=EntityBus())


def assign_pair(site: Site) -> tuple[int, int]:
    """The project's 主监督员 张监督 and 第二监督员 赵监督, from today."""
    st = site.station
    assert st.supervisor.user_id and st.supervisor2.user_id
    with st.db.write() as s:
        set_team(s, st.chief, site.project, st.supervisor.user_id, (st.supervisor2.user_id,))
    return st.supervisor.user_id, st.supervisor2.user_id


def pick(qtbot: QtBot, picker: RecordPicker, text: str) -> None:
    """Type into a picker, wait for the completion popup, take the first match with ↓ and Enter."""
    picker.clear()
    type_text(qtbot, picker, text)
    popup = picker.completer().popup()
    qtbot.waitUntil(lambda: popup is not None and popup.isVisible())
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: picker.value() is not None)


def open_page(qtbot: QtBot, ctx: AppContext) -> InspectionsPage:
    page = InspectionsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    return page


def visible_form(page: QWidget) -> InspectionForm:
    forms = [f for f in page.findChildren(InspectionForm) if f.isVisible()]
    assert len(forms) == 1
    return forms[0]


def wait_active(qtbot: QtBot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def photos(folder: Path, n: int, prefix: str = "photo") -> list[str]:
    colors = [(200, 30, 30), (30, 120, 200), (40, 160, 60), (220, 180, 20)]
    return [str(jpeg(folder / f"{prefix}{i + 1}.jpg", colors[i % len(colors)], taken="2026:03:10 09:12:00"))
            for i in range(n)]


def thumbnails_loaded(strip: object) -> bool:
    """Every file of an AttachmentStrip has its thumbnail or its problem."""
    files = strip.files()  # type: ignore[attr-defined]
    return bool(files) and all(f.thumb or f.problem for f in files)
