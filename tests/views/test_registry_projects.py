"""项目 page and editor, driven like a clerk: typing, clicking, Ctrl+S, Esc — on a real SQLite station."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from station_app.errors import PermissionDenied
from station_app.models import Project
from station_app.models.enums import EnterpriseKind, ProjectStatus, ProjectType
from station_app.paths import DataDir
from station_app.rules.ids import resident_id_check_char, uscc_check_char
from station_app.runtime import Runtime
from station_app.services.audit import AuditFilter, list_audit
from station_app.services.context import Actor
from station_app.services.registry.enterprises import EnterpriseData, create_enterprise
from station_app.services.registry.persons import PersonData, create_person
from station_app.services.registry.projects import ProjectData, create_project, get_project
from station_app.services.station import create_grid
from station_app.views.app_context import AppContext, EntityBus
from station_app.views.dialogs import messages
from station_app.views.registry.project_editor import ProjectEditor
from station_app.views.registry.projects_page import ProjectsPage
from station_app.views.widgets import RecordPicker

# ------------------------------------------------------------------ helpers (this file's own)


def uscc(n: int) -> str:
    body = f"91320722MA{n:07d}"
    return body + uscc_check_char(body)


def resident_id(n: int) -> str:
    body = f"32072219850101{n:03d}"
    return body + resident_id_check_char(body)


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Latin text as key presses; Chinese as an input method commits it (keyClicks cannot)."""
    widget.setFocus()
    for chunk in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def pick(qtbot, picker: RecordPicker, text: str) -> None:
    """Type into a picker, wait for the completion popup, take the first match with ↓ and Enter."""
    picker.clear()
    type_text(qtbot, picker, text)
    popup = picker.completer().popup()
    qtbot.waitUntil(lambda: popup is not None and popup.isVisible())
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: picker.value() is not None)


@pytest.fixture
def make_ctx(sqlite_station, tmp_path: Path) -> Callable[[Actor], AppContext]:
    runtime = Runtime(data=DataDir(tmp_path).ensure(), db=sqlite_station.db)
    return lambda actor: AppContext(runtime, actor, EntityBus())


@pytest.fixture
def ctx(make_ctx, sqlite_station) -> AppContext:
    return make_ctx(sqlite_station.clerk)


@pytest.fixture
def registry(ctx: AppContext, sqlite_station) -> dict[str, int | None]:
    """Two contractors, a supervision firm, people, a grid."""
    admin = sqlite_station.admin
    with ctx.db.write() as s:
        ids = {
            "gc": create_enterprise(s, admin, EnterpriseData("江苏东海建工集团有限公司", uscc(1),
                                                             EnterpriseKind.CONTRACTOR.value)).id,
            "gc2": create_enterprise(s, admin, EnterpriseData("连云港市华建建设工程有限公司", uscc(2),
                                                              EnterpriseKind.CONTRACTOR.value)).id,
            "sv": create_enterprise(s, admin, EnterpriseData("江苏正信工程监理有限公司", uscc(3),
                                                             EnterpriseKind.SUPERVISION.value)).id,
            "grid": create_grid(s, admin, "城区网格", "牛山街道").id,
        }
        ids["zhang"] = create_person(s, admin, PersonData("张伟", resident_id(1), employer_id=ids["gc"])).id
        ids["li"] = create_person(s, admin, PersonData("李强", resident_id(2), employer_id=ids["sv"])).id
    return ids


def open_page(qtbot, ctx: AppContext) -> ProjectsPage:
    page = ProjectsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    return page


def editor_of(page: QWidget) -> ProjectEditor:
    editors = [e for e in page.findChildren(ProjectEditor) if e.isVisible()]
    assert len(editors) == 1
    return editors[0]


def opened(page: ProjectsPage, record_id: int | None) -> ProjectEditor:
    editor = page.open_editor(record_id)
    assert isinstance(editor, ProjectEditor)
    return editor


def wait_active(qtbot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def project_count(ctx: AppContext) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count(Project.id))) or 0


# ------------------------------------------------------------------ tests


def test_clerk_types_a_new_project_and_saves(qtbot, ctx: AppContext, registry) -> None:
    page = open_page(qtbot, ctx)
    assert page.count_label.text() == "共 0 条"
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    editor = editor_of(page)
    wait_active(qtbot, editor)
    assert editor.name.hasFocus()
    type_text(qtbot, editor.name, "东海新区安置房")
    editor.sub_type.set_value("安置房")
    type_text(qtbot, editor.town, "牛山街道")
    editor.grid.set_value(registry["grid"])
    type_text(qtbot, editor.area, "12345.678")
    type_text(qtbot, editor.cost, "12,345,678.9")
    type_text(qtbot, editor.permit_no, "320722202503010101")
    type_text(qtbot, editor.actual_start, "20250301")
    editor.status.set_value(ProjectStatus.UNDER_CONSTRUCTION.value)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not editor.isVisible())
    assert editor.saved_id is not None
    with ctx.db.read() as s:
        assert editor.saved_id is not None
        saved = get_project(s, editor.saved_id)
    assert saved.name == "东海新区安置房" and saved.sub_type == "安置房"
    assert saved.contract_cost_fen == 1_234_567_890
    assert str(saved.building_area) == "12345.68"
    assert saved.actual_start is not None and saved.actual_start.isoformat() == "2025-03-01"
    assert saved.grid_id == registry["grid"]
    # the list refreshed through the bus and selected the new project
    qtbot.waitUntil(lambda: page.count_label.text() == "共 1 条")
    assert page.current_id() == editor.saved_id
    # search by 拼音首字母 finds it
    type_text(qtbot, page.search, "dhxq")
    qtbot.waitUntil(lambda: page.model.query().text == "dhxq")
    assert page.model.total_count() == 1
    page.search.clear()
    type_text(qtbot, page.search, "zzzz")
    qtbot.waitUntil(lambda: page.model.total_count() == 0)


def test_editing_parties_is_audited_with_before_and_after(qtbot, ctx: AppContext, registry,
                                                         sqlite_station) -> None:
    with ctx.db.write() as s:
        pid = create_project(s, ctx.actor, ProjectData(name="牛山街道中心小学扩建工程",
                                                        project_type=ProjectType.BUILDING.value)).id
    assert pid is not None
    page = open_page(qtbot, ctx)
    page.table.selectRow(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter opens the editor
    editor = editor_of(page)
    wait_active(qtbot, editor)
    parties = editor.parties
    editor.tabs.setCurrentWidget(parties)

    qtbot.mouseClick(parties.add_party_button, Qt.MouseButton.LeftButton)
    assert parties.role.value() == "建设单位"  # the first role not yet taken
    parties.role.set_value("施工总承包")
    pick(qtbot, parties.enterprise, "dhjg")  # 江苏东海建工 by 拼音首字母
    assert parties.enterprise.value() == registry["gc"]
    pick(qtbot, parties.person, "zw")  # 张伟
    parties.post.set_value("项目负责人")
    type_text(qtbot, parties.certificate, "苏建安B(2020)0012345")
    qtbot.mouseClick(parties.add_person_button, Qt.MouseButton.LeftButton)
    assert parties.people_table.rowCount() == 1

    qtbot.mouseClick(parties.add_party_button, Qt.MouseButton.LeftButton)
    parties.role.set_value("监理")
    assert parties.post.itemText(0) == "项目总监"  # posts limited to the role
    pick(qtbot, parties.enterprise, uscc(3)[:12])  # by USCC
    pick(qtbot, parties.person, "李强")
    parties.post.set_value("项目总监")
    qtbot.keyClick(parties.certificate, Qt.Key.Key_Return)  # Enter in the row adds the person, not saves
    assert editor.isVisible()
    summary = parties.table.item(1, 3)
    assert summary is not None and summary.text() == "项目总监：李强"

    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    qtbot.waitUntil(lambda: not editor.isVisible())
    with ctx.db.read() as s:
        saved = get_project(s, pid)
        audit = list_audit(s, sqlite_station.admin, AuditFilter(entity_type="project", entity_id=pid))
    assert [(p.role, p.enterprise_id) for p in saved.parties] == [("施工总承包", registry["gc"]),
                                                                   ("监理", registry["sv"])]
    assert saved.parties[0].people[0].certificate_no == "苏建安B(2020)0012345"
    update = audit[0]
    assert update.action == "update" and update.username == "clerk"
    assert update.before == {"parties": []}
    assert update.after == {"parties": ["施工总承包:江苏东海建工集团有限公司（项目负责人:张伟）",
                                        "监理:江苏正信工程监理有限公司（项目总监:李强）"]}
    # the contractor shows in the list, and the project is found by the contractor's name
    qtbot.waitUntil(lambda: page.model.data(page.model.index(0, page.model.column_index("contractor")))
                    == "江苏东海建工集团有限公司")
    page.model.set_text("dhjg")
    assert page.model.total_count() == 1


def test_errors_keep_the_dialog_open_with_the_input(qtbot, ctx: AppContext, registry,
                                                    monkeypatch) -> None:
    with ctx.db.write() as s:
        create_project(s, ctx.actor, ProjectData(name="已有项目", project_type=ProjectType.BUILDING.value,
                                                 permit_no="P-001"))
    page = open_page(qtbot, ctx)
    editor = opened(page, None)
    wait_active(qtbot, editor)
    type_text(qtbot, editor.actual_start, "2025-13-01")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert "不是有效日期" in editor.errors.message_for("实际开工日期")
    assert editor.errors.banner.isVisible()

    editor.actual_start.clear()
    editor.status.set_value(ProjectStatus.UNDER_CONSTRUCTION.value)
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)  # Enter saves
    shown = editor.errors.shown()
    assert shown["工程名称"] == "必填"
    assert "实际开工日期" in shown  # 在建 needs an actual start
    assert editor.errors.message_for("工程名称") == "必填"
    assert editor.name.hasFocus()

    type_text(qtbot, editor.name, "新项目")
    editor.status.set_value(ProjectStatus.NOT_STARTED.value)
    type_text(qtbot, editor.permit_no, "P-001")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert "P-001" in editor.errors.banner.text() and "不能重复登记" in editor.errors.banner.text()
    assert editor.name.text() == "新项目" and editor.permit_no.text() == "P-001"  # input intact
    assert project_count(ctx) == 1

    # Esc with unsaved changes asks; "继续编辑" keeps the dialog
    answers: list[str] = []
    def keep_editing(parent: object, text: str, title: str = "", **kw: object) -> bool:
        answers.append(text)
        return False

    monkeypatch.setattr(messages, "confirm", keep_editing)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert answers and editor.isVisible()
    monkeypatch.setattr(messages, "confirm", lambda parent, text, title="", **kw: True)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert project_count(ctx) == 1


def test_esc_on_an_unchanged_editor_closes_without_asking(qtbot, ctx: AppContext, registry,
                                                          monkeypatch) -> None:
    with ctx.db.write() as s:
        pid = create_project(s, ctx.actor, ProjectData(name="已有项目", project_type=ProjectType.MUNICIPAL.value,
                                                       sub_type="道路", contract_cost_fen=100_000_00)).id
    page = open_page(qtbot, ctx)
    editor = opened(page, pid)
    assert editor.sub_type.value() == "道路" and editor.cost.text() == "100,000.00"
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: pytest.fail("asked without changes"))
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()


def test_type_and_sub_type_are_linked(qtbot, ctx: AppContext) -> None:
    editor = ProjectEditor(ctx)
    qtbot.addWidget(editor)
    editor.project_type.set_value(ProjectType.MUNICIPAL.value)
    offered = [editor.sub_type.itemText(i) for i in range(editor.sub_type.count())]
    assert "桥梁" in offered and "住宅" not in offered


def test_readonly_user_sees_add_disabled_and_the_service_refuses(qtbot, make_ctx, sqlite_station,
                                                                  registry) -> None:
    viewer = make_ctx(sqlite_station.readonly)
    with viewer.db.write() as s:
        pid = create_project(s, sqlite_station.clerk, ProjectData(name="项目", project_type="房屋建筑工程")).id
    page = open_page(qtbot, viewer)
    assert not page.add_button.isEnabled()
    page.table.selectRow(0)
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()
    editor = opened(page, pid)  # double-click still shows the record, read-only
    assert not editor.save_button.isEnabled() and editor.name.isReadOnly()
    assert not editor.parties.add_party_button.isEnabled()
    with pytest.raises(PermissionDenied), viewer.db.write() as s:
        create_project(s, viewer.actor, ProjectData(name="不许", project_type="房屋建筑工程"))


def test_filters_on_the_page(qtbot, ctx: AppContext, registry) -> None:
    with ctx.db.write() as s:
        for i, (status, grid, town) in enumerate(((ProjectStatus.UNDER_CONSTRUCTION, registry["grid"], "牛山街道"),
                                                  (ProjectStatus.COMPLETED, None, "温泉镇"),
                                                  (ProjectStatus.NOT_STARTED, None, "温泉镇"))):
            create_project(s, ctx.actor, ProjectData(
                name=f"项目{i}", project_type=ProjectType.BUILDING.value, status=status.value, grid_id=grid,
                town=town, actual_start=None if status == ProjectStatus.NOT_STARTED else date(2025, 1, 1),
                actual_finish=date(2025, 6, 1) if status == ProjectStatus.COMPLETED else None))
    page = open_page(qtbot, ctx)
    assert page.model.total_count() == 3
    qtbot.mouseClick(page.in_supervision, Qt.MouseButton.LeftButton)
    assert page.model.total_count() == 2
    page.grid_filter.set_value(-1)  # 未分网格
    assert page.model.total_count() == 1
    page.grid_filter.set_value(None)
    page.town_filter.set_value("牛山街道")
    assert page.model.total_count() == 1
    page.town_filter.set_value(None)
    qtbot.mouseClick(page.in_supervision, Qt.MouseButton.LeftButton)
    page.status_filter.set_value(ProjectStatus.COMPLETED.value)
    assert page.model.total_count() == 1
    assert page.count_label.text() == "共 1 条"


def test_delete_asks_and_refreshes(qtbot, ctx: AppContext, monkeypatch) -> None:
    with ctx.db.write() as s:
        create_project(s, ctx.actor, ProjectData(name="要删除的项目", project_type="房屋建筑工程"))
    page = open_page(qtbot, ctx)
    page.table.selectRow(0)
    asked: list[str] = []
    def yes(parent: object, text: str, title: str = "", **kw: object) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(messages, "confirm", yes)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert "要删除的项目" in asked[0]
    assert page.model.total_count() == 0 and project_count(ctx) == 0


def test_opening_a_project_deleted_meanwhile_warns_and_refreshes(qtbot, ctx: AppContext,
                                                                 monkeypatch) -> None:
    with ctx.db.write() as s:
        pid = create_project(s, ctx.actor, ProjectData(name="被别人删除的项目", project_type="房屋建筑工程")).id
    page = open_page(qtbot, ctx)
    with ctx.db.write() as s:
        s.delete(s.get(Project, pid))
    warned: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda parent, text, title="": warned.append(text))
    page.table.selectRow(0)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert warned == ["项目不存在。"]
    assert page.model.total_count() == 0
