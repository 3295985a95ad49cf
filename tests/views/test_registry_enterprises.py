"""企业 and 人员 pages: USCC / ID checks in the editors, merge, masked ID numbers, renames followed by search."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from station_app.errors import PermissionDenied
from station_app.models import Enterprise, ProjectParty
from station_app.models.enums import EnterpriseKind, ProjectType
from station_app.paths import DataDir
from station_app.rules.ids import resident_id_check_char, uscc_check_char
from station_app.runtime import Runtime
from station_app.services.context import Actor
from station_app.services.listing import ListQuery
from station_app.services.registry.enterprises import (
    EnterpriseData,
    count_links,
    create_enterprise,
    get_enterprise,
    merge_enterprises,
    update_enterprise,
)
from station_app.services.registry.persons import PersonData, create_person, get_person
from station_app.services.registry.project_table import PROJECT_LIST
from station_app.services.registry.projects import PartyData, PartyPersonData, ProjectData, create_project
from station_app.views.app_context import AppContext, EntityBus
from station_app.views.dialogs import messages
from station_app.views.registry.common import RegistryPage
from station_app.views.registry.editor_base import EditorDialog
from station_app.views.registry.enterprise_editor import EnterpriseEditor, uscc_feedback
from station_app.views.registry.enterprises_page import EnterprisesPage
from station_app.views.registry.person_editor import PersonEditor, resident_id_feedback
from station_app.views.registry.persons_page import PersonsPage


def uscc(n: int) -> str:
    body = f"91320722MA{n:07d}"
    return body + uscc_check_char(body)


def resident_id(n: int) -> str:
    body = f"32072219850101{n:03d}"
    return body + resident_id_check_char(body)


def id_of(record: Any) -> int:
    assert record.id is not None
    return int(record.id)


def opened[E: EditorDialog](page: RegistryPage, record_id: int | None, kind: type[E]) -> E:
    editor = page.open_editor(record_id)
    assert isinstance(editor, kind)
    return editor


def saved_id(editor: EditorDialog) -> int:
    assert editor.saved_id is not None
    return editor.saved_id


def cell(table: QTableWidget, row: int, col: int) -> QTableWidgetItem:
    item = table.item(row, col)
    assert item is not None
    return item


def row_of(page: RegistryPage, record_id: int) -> int:
    row = page.model.row_of_id(record_id)
    assert row is not None
    return row


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


@pytest.fixture
def make_ctx(sqlite_station, tmp_path: Path) -> Callable[[Actor], AppContext]:
    runtime = Runtime(data=DataDir(tmp_path).ensure(), db=sqlite_station.db)
    return lambda actor: AppContext(runtime, actor, EntityBus())


def enterprise(ctx: AppContext, actor: Actor, n: int, name: str,
               kind: EnterpriseKind = EnterpriseKind.CONTRACTOR) -> int:
    with ctx.db.write() as s:
        return id_of(create_enterprise(s, actor, EnterpriseData(name, uscc(n), kind.value)))


def show[W: QWidget](qtbot: QtBot, page: W) -> W:
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    return page


def enterprise_count(ctx: AppContext) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count(Enterprise.id))) or 0


# ------------------------------------------------------------------ 企业


def test_bad_uscc_shows_the_field_error_and_saves_nothing(qtbot, make_ctx, sqlite_station) -> None:
    ctx = make_ctx(sqlite_station.clerk)
    page = show(qtbot, EnterprisesPage(ctx))
    editor = opened(page, None, EnterpriseEditor)
    type_text(qtbot, editor.name, "东海县恒信建设有限公司")
    good = uscc(7)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    type_text(qtbot, editor.uscc, bad[:10])
    assert editor.uscc_hint.text() == "已输入 10/18 位"
    type_text(qtbot, editor.uscc, bad[10:])
    assert editor.uscc_hint.text() == f"✗ 校验码不符：末位应为 {good[-1]}"  # live feedback while typing
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert "GB 32100" in editor.errors.message_for("统一社会信用代码")
    assert enterprise_count(ctx) == 0

    editor.uscc.clear()
    type_text(qtbot, editor.uscc, good.lower())
    assert editor.uscc_hint.text() == "✓ 校验通过"
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible())
    with ctx.db.read() as s:
        saved = get_enterprise(s, saved_id(editor))
    assert saved.uscc == good and saved.name == "东海县恒信建设有限公司"
    qtbot.waitUntil(lambda: page.model.total_count() == 1)


def test_qualifications_and_permit_in_the_editor(qtbot, make_ctx, sqlite_station) -> None:
    ctx = make_ctx(sqlite_station.clerk)
    eid = enterprise(ctx, ctx.actor, 1, "江苏东海建工集团有限公司")
    page = show(qtbot, EnterprisesPage(ctx))
    editor = opened(page, eid, EnterpriseEditor)
    type_text(qtbot, editor.permit_no, "(苏)JZ安许证字[2024]000123")
    type_text(qtbot, editor.permit_valid, "2027/3/1")
    editor.permit_status.set_value("有效")
    editor.add_qualification()
    for col, text in enumerate(("建筑工程施工总承包", "二级", "D232012345", "2028-06-30x")):
        cell(editor.qualifications, 0, col).setText(text)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "不是有效日期" in editor.errors.shown()["资质第1行"]  # the table's own error line
    cell(editor.qualifications, 0, 3).setText("2028-06-30")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible())
    with ctx.db.read() as s:
        saved = get_enterprise(s, eid)
    assert saved.safety_permit_valid_until is not None and saved.safety_permit_valid_until.isoformat() == "2027-03-01"
    assert saved.qualifications[0].name == "建筑工程施工总承包" and saved.qualifications[0].grade == "二级"


def test_merge_keeps_the_project_links(qtbot, make_ctx, sqlite_station) -> None:
    ctx = make_ctx(sqlite_station.chief)
    keep = enterprise(ctx, ctx.actor, 1, "江苏东海建工集团有限公司")
    dup = enterprise(ctx, ctx.actor, 2, "江苏东海建工集团公司")
    with ctx.db.write() as s:
        person = id_of(create_person(s, ctx.actor, PersonData("张伟", resident_id(1), employer_id=dup)))
        pid = create_project(s, ctx.actor, ProjectData(
            name="东海新区安置房", project_type=ProjectType.BUILDING.value,
            parties=(PartyData("施工总承包", dup, people=(PartyPersonData(person, "项目负责人"),)),))).id
    page = show(qtbot, EnterprisesPage(ctx))
    assert not page.merge_button.isEnabled()
    page.table.selectRow(row_of(page, keep))
    page.table.selectionModel().select(page.model.index(row_of(page, dup), 0),
                                       QItemSelectionModel.SelectionFlag.Select
                                       | QItemSelectionModel.SelectionFlag.Rows)
    assert page.merge_button.isEnabled()
    dialog = page.merge_selected()
    assert dialog is not None
    # the one with links is proposed as the one to keep; the clerk chooses the proper name instead
    assert dialog.records[dialog.keep_index()].id == dup
    dialog.keep_buttons[[r.id for r in dialog.records].index(keep)].click()
    assert "1 条项目参建记录、1 名人员" in dialog.summary.text()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with ctx.db.read() as s:
        assert s.get(Enterprise, dup) is None
        assert s.scalar(select(ProjectParty.enterprise_id).where(ProjectParty.project_id == pid)) == keep
        assert get_person(s, ctx.actor, person).employer_id == keep
        assert count_links(s, keep) == (1, 1)
        # the project is now found by the kept enterprise's name
        assert PROJECT_LIST.count(s, ListQuery(text="东海建工集团有限公司")) == 1
    qtbot.waitUntil(lambda: page.model.total_count() == 1)


def test_deleting_an_enterprise_with_projects_is_refused(qtbot, make_ctx, sqlite_station,
                                                        monkeypatch) -> None:
    ctx = make_ctx(sqlite_station.clerk)
    eid = enterprise(ctx, ctx.actor, 1, "江苏东海建工集团有限公司")
    with ctx.db.write() as s:
        create_project(s, ctx.actor, ProjectData(name="项目甲", project_type=ProjectType.BUILDING.value,
                                                 parties=(PartyData("施工总承包", eid),)))
    warned: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(messages, "warn", lambda parent, text, title="": warned.append(text))
    page = show(qtbot, EnterprisesPage(ctx))
    page.table.selectRow(0)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert "不能删除" in warned[0] and "合并" in warned[0]
    assert enterprise_count(ctx) == 1


def test_merge_is_for_chief_and_admin_only(qtbot, make_ctx, sqlite_station) -> None:
    clerk = make_ctx(sqlite_station.clerk)
    a = enterprise(clerk, clerk.actor, 1, "甲公司")
    b = enterprise(clerk, clerk.actor, 2, "乙公司")
    for actor, allowed in ((sqlite_station.clerk, False), (sqlite_station.supervisor, False),
                           (sqlite_station.chief, True), (sqlite_station.admin, True)):
        page = show(qtbot, EnterprisesPage(make_ctx(actor)))
        page.table.selectAll()
        assert len(page.selected_ids()) == 2
        assert page.merge_button.isEnabled() is allowed
        assert (page.merge_selected() is not None) is allowed
    with pytest.raises(PermissionDenied), clerk.db.write() as s:
        merge_enterprises(s, clerk.actor, a, b)


def test_rename_updates_the_projects_search_keys(make_ctx, sqlite_station) -> None:
    ctx = make_ctx(sqlite_station.clerk)
    eid = enterprise(ctx, ctx.actor, 1, "江苏东海建工集团有限公司")
    with ctx.db.write() as s:
        create_project(s, ctx.actor, ProjectData(name="项目甲", project_type=ProjectType.BUILDING.value,
                                                 parties=(PartyData("施工总承包", eid),)))
        data = get_enterprise(s, eid)
        update_enterprise(s, ctx.actor, EnterpriseData(**{**data.__dict__, "name": "江苏海州建设集团有限公司"}))
    with ctx.db.read() as s:
        assert PROJECT_LIST.count(s, ListQuery(text="hzjs")) == 1  # 海州建设 by 拼音首字母
        assert PROJECT_LIST.count(s, ListQuery(text="东海建工")) == 0


def test_enterprise_filters(qtbot, make_ctx, sqlite_station) -> None:
    ctx = make_ctx(sqlite_station.clerk)
    enterprise(ctx, ctx.actor, 1, "江苏东海建工集团有限公司")
    enterprise(ctx, ctx.actor, 2, "江苏正信工程监理有限公司", EnterpriseKind.SUPERVISION)
    page = show(qtbot, EnterprisesPage(ctx))
    assert page.model.total_count() == 2
    page.kind_filter.set_value(EnterpriseKind.SUPERVISION.value)
    assert page.model.total_count() == 1
    assert page.model.data(page.model.index(0, 0)) == "江苏正信工程监理有限公司"
    type_text(qtbot, page.search, "dhjg")
    qtbot.waitUntil(lambda: page.model.query().text == "dhjg")
    assert page.model.total_count() == 0  # both: the filter still holds
    page.kind_filter.set_value(None)
    assert page.model.total_count() == 1


def test_uscc_feedback() -> None:
    code = uscc(5)
    assert uscc_feedback("") == (None, "")
    assert uscc_feedback(code[:5]) == (None, "已输入 5/18 位")
    assert uscc_feedback(code) == (True, "✓ 校验通过")
    assert uscc_feedback(code + "1")[0] is False
    assert uscc_feedback("91320722MA1O") == (False, "含有无效字符：O（不使用 I、O、S、V、Z）")


# ------------------------------------------------------------------ 人员


def test_supervisor_sees_masked_id_numbers(qtbot, make_ctx, sqlite_station) -> None:
    clerk = make_ctx(sqlite_station.clerk)
    with clerk.db.write() as s:
        create_person(s, clerk.actor, PersonData("张伟", resident_id(1)))
    full = resident_id(1)
    masked = full[:4] + "*" * 10 + full[-4:]
    column = None
    for ctx, expected in ((make_ctx(sqlite_station.supervisor), masked), (clerk, full),
                          (make_ctx(sqlite_station.readonly), masked)):
        page = show(qtbot, PersonsPage(ctx))
        column = page.model.column_index("id_number")
        assert page.model.data(page.model.index(0, column)) == expected
    # the supervisor's editor shows the masked number too, and saving keeps the stored one
    sup = make_ctx(sqlite_station.supervisor)
    page = show(qtbot, PersonsPage(sup))
    editor = opened(page, page.model.row_id(0), PersonEditor)
    assert editor.id_number.text() == masked
    assert "已部分隐藏" in editor.id_hint.text()
    type_text(qtbot, editor.phone, "13912345678")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible())
    with clerk.db.read() as s:
        person = get_person(s, clerk.actor, page.model.row_id(0))
    assert person.id_number == full and person.phone == "13912345678"


def test_person_editor_checks_the_id_and_picks_the_employer(qtbot, make_ctx, sqlite_station) -> None:
    ctx = make_ctx(sqlite_station.clerk)
    eid = enterprise(ctx, ctx.actor, 1, "江苏东海建工集团有限公司")
    page = show(qtbot, PersonsPage(ctx))
    editor = opened(page, None, PersonEditor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    type_text(qtbot, editor.name, "王芳")
    number = resident_id(2)
    type_text(qtbot, editor.id_number, number[:-1] + ("0" if number[-1] != "0" else "1"))
    assert editor.id_hint.text() == f"✗ 校验码不符：末位应为 {number[-1]}"
    editor.id_number.clear()
    type_text(qtbot, editor.id_number, number)
    assert editor.id_hint.text().startswith("✓ 校验通过")
    type_text(qtbot, editor.employer, "东海建工")
    assert editor.employer.value() is None
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "未从列表中选择" in editor.errors.message_for("所在单位")  # a typed name is not a link
    popup = editor.employer.completer().popup()
    assert popup is not None
    type_text(qtbot, editor.employer, "集团")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.employer.value() == eid
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible())
    with ctx.db.read() as s:
        saved = get_person(s, ctx.actor, saved_id(editor))
    assert saved.employer_id == eid and saved.gender in ("男", "女")
    qtbot.waitUntil(lambda: page.model.total_count() == 1)


def test_person_editor_lists_the_posts(qtbot, make_ctx, sqlite_station) -> None:
    ctx = make_ctx(sqlite_station.clerk)
    eid = enterprise(ctx, ctx.actor, 1, "江苏东海建工集团有限公司")
    with ctx.db.write() as s:
        pid = id_of(create_person(s, ctx.actor, PersonData("张伟", employer_id=eid)))
        create_project(s, ctx.actor, ProjectData(
            name="东海新区安置房", project_type=ProjectType.BUILDING.value,
            parties=(PartyData("施工总承包", eid, people=(PartyPersonData(pid, "项目负责人"),
                                                          PartyPersonData(pid, "安全总监"))),)))
    page = show(qtbot, PersonsPage(ctx))
    editor = opened(page, pid, PersonEditor)
    rows = [[cell(editor.posts, r, c).text() for c in range(4)] for r in range(editor.posts.rowCount())]
    assert sorted(rows) == sorted([["东海新区安置房", "施工总承包", "江苏东海建工集团有限公司", "项目负责人"],
                                   ["东海新区安置房", "施工总承包", "江苏东海建工集团有限公司", "安全总监"]])


def test_resident_id_feedback() -> None:
    number = resident_id(3)
    assert resident_id_feedback("")[0] is None
    assert resident_id_feedback(number[:6]) == (None, "已输入 6/18 位")
    ok, text = resident_id_feedback(number)
    assert ok is True and "1985年1月1日出生" in text
    assert resident_id_feedback("990722198501010030") == (False, "✗ 地区码无效")
