"""The 监督检查 form driven like a clerk: picking the project by 拼音首字母, check items turned into
findings, photos, Ctrl+S — on a real SQLite station, with the database checked afterwards."""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QCalendarWidget, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from station_app import clock
from station_app.formatting import chinese_date
from station_app.models import AuditEntry, Inspection, InspectionAttachment
from station_app.models.inspection import CheckSource
from station_app.services.attachments import AttachmentStore
from station_app.services.drafts import DraftStore
from station_app.services.inspections.forms import FindingData, suggested_deadline
from station_app.services.inspections.records import create_inspection, get_inspection
from station_app.views.app_context import AppContext
from station_app.views.inspections.form import InspectionForm
from station_app.views.inspections.last_inspection import LastInspectionDialog
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import form as inspection_data
from tests.views.conftest import Messages, type_text
from tests.views.test_inspection_support import (
    Site,
    assign_pair,
    context,
    make_site,
    open_page,
    photos,
    pick,
    thumbnails_loaded,
    visible_form,
    wait_active,
)


@pytest.fixture
def site(sqlite_station: Station) -> Site:
    return make_site(sqlite_station)


@pytest.fixture
def clerk(site: Site, tmp_path: Path) -> AppContext:
    return context(site.station, site.station.clerk, tmp_path / "data")


def count(ctx: AppContext, model: type) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def new_form(qtbot: QtBot, ctx: AppContext) -> InspectionForm:
    page = open_page(qtbot, ctx)
    wait_active(qtbot, page)  # offscreen: shortcuts need the active window
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = visible_form(page)
    wait_active(qtbot, form)
    return form


def new_form_on_site(qtbot: QtBot, site: Site, ctx: AppContext) -> tuple[InspectionForm, date]:
    """A new inspection of the site's project (picked by its 拼音首字母) by its supervisor pair, and its day."""
    assign_pair(site)
    form = new_form(qtbot, ctx)
    pick(qtbot, form.parts.project, "dhxq")
    day = form.parts.day()
    assert day is not None
    return form, day


def save(qtbot: QtBot, form: InspectionForm) -> None:
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def save_and_close(qtbot: QtBot, form: InspectionForm) -> int:
    """Ctrl+S; wait until saved and closed (the dialog deletes itself). Returns the record's id."""
    ids: list[int] = []
    form.saved.connect(ids.append)
    form.errors.clear()  # a banner from an earlier attempt is not this save's answer
    save(qtbot, form)
    qtbot.waitUntil(lambda: bool(ids) or form.errors.banner.isVisible(), timeout=15_000)
    assert ids, form.errors.banner.text()
    qtbot.waitUntil(lambda: not shiboken6.isValid(form) or not form.isVisible())
    return ids[0]


# ------------------------------------------------------------------ the "done" scenario


@pytest.mark.clock
def test_clerk_records_an_inspection_with_findings_and_photos(qtbot: QtBot, site: Site, clerk: AppContext,
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              record_property: Callable[[str, object], None]) -> None:
    sup1, sup2 = assign_pair(site)
    shots = photos(tmp_path, 2)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_a, **_k: (shots, "")))
    started = time.perf_counter()

    form = new_form(qtbot, clerk)
    p = form.parts
    assert p.project.hasFocus()
    pick(qtbot, p.project, "dhxq")  # 东海新区安置房一期 by 拼音首字母
    assert p.project.value() == site.project
    # the project's assigned pair are the inspectors; the key posts to check are listed, all present
    assert p.inspectors.ids() == (sup1, sup2)
    assert [(x.post, x.person_name, x.present) for x in p.presence.collect()] == [
        ("项目负责人", "刘项目", True), ("专职安全员", "孙安全", True), ("项目总监", "周总监", True)]
    assert "该项目尚无检查记录" in p.project_info.text()

    # 检查项目: filter by 拼音首字母, ↓ into the list, 2 = 不符合, Enter = 转为隐患
    qtbot.keyClick(form, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert form.tabs.currentWidget() is p.checks
    type_text(qtbot, p.checks.filter, "aqsczrz")  # 安全生产责任制
    qtbot.keyClick(p.checks.filter, Qt.Key.Key_Down)
    assert p.checks.tree.hasFocus()
    row = p.checks.current_row()
    assert row is not None and row.code == "B.1-1"
    qtbot.keyClick(p.checks.tree, Qt.Key.Key_2)
    assert row.result == "不符合" and p.checks.convert_button.isEnabled()
    qtbot.keyClick(p.checks.tree, Qt.Key.Key_Return)
    # the finding is there, pre-filled; the clerk only adds where
    assert form.tabs.currentWidget() is p.findings
    first = p.findings.rows[0].data
    assert first.category == "安全管理" and first.check_item_code == "B.1-1" and first.description
    assert p.findings.location.hasFocus()
    type_text(qtbot, p.findings.location, "项目部办公室")
    assert p.checks.convert_button.isEnabled() is False  # converted once

    # a second finding, typed; two photos attached to it
    qtbot.keyClick(form, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(p.findings.rows) == 2 and p.findings.description.hasFocus()
    type_text(qtbot, p.findings.description, "3号楼悬挑脚手架剪刀撑未连续设置")
    qtbot.keyClick(p.findings.description, Qt.Key.Key_Tab)
    type_text(qtbot, p.findings.location, "3号楼北侧")
    p.findings.category.set_value("脚手架")
    qtbot.mouseClick(p.findings.strip.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: thumbnails_loaded(p.findings.strip), timeout=10_000)
    assert [f.problem for f in p.findings.strip.files()] == ["", ""]
    assert p.findings.table.item(1, 7).text() == "2"  # type: ignore[union-attr]

    page = form.parentWidget()
    saved_id = save_and_close(qtbot, form)
    elapsed = time.perf_counter() - started
    record_property("scripted_flow_seconds", round(elapsed, 2))
    print(f"scripted inspection flow: {elapsed:.2f} s")

    # ---- the database
    with clerk.db.read() as s:
        got = get_inspection(s, saved_id)
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity_type == "inspection",
                                                   AuditEntry.entity_id == saved_id)).all()
    assert got.project_id == site.project and got.inspector_ids == (sup1, sup2)
    assert got.kind == "日常巡查" and got.inspected_at <= clock.now()
    assert len(got.presence) == 3 and all(x.present for x in got.presence)
    assert [c.code for c in got.check_items] == ["B.1-1"] and got.check_items[0].result == "不符合"
    assert got.check_items[0].source == CheckSource.JGJ59.value
    f1, f2 = got.findings
    assert (f1.category, f1.location, f1.check_item_code) == ("安全管理", "项目部办公室", "B.1-1")
    assert f1.deadline == suggested_deadline("一般", got.inspected_at.date()).day  # a concrete date
    assert f1.requirement
    assert (f2.description, f2.location, f2.category) == ("3号楼悬挑脚手架剪刀撑未连续设置", "3号楼北侧", "脚手架")
    assert len(f2.attachments) == 2 and not f1.attachments
    store = AttachmentStore.of(clerk.runtime.data)
    for a in f2.attachments:
        assert len(a.sha256) == 64 and a.original_name in ("photo1.jpg", "photo2.jpg")
        assert store.exists(a.sha256) and store.thumb_path(a.sha256).is_file()
        assert a.is_image and a.taken_at == datetime(2026, 3, 10, 9, 12)
    assert count(clerk, InspectionAttachment) == 2
    assert [a.action for a in audit] == ["create"]
    assert audit[0].username == "clerk"
    # the draft is gone; the list shows and selects the new record
    assert not DraftStore.of(clerk.runtime.data).path("clerk", "inspection-new").exists()
    qtbot.waitUntil(lambda: page.count_label.text() == "共 1 条")  # type: ignore[union-attr]
    assert page.current_id() == saved_id  # type: ignore[union-attr]


@pytest.mark.clock
def test_a_failed_criterion_becomes_a_major_finding_with_its_clause(qtbot: QtBot, site: Site,
                                                                    clerk: AppContext) -> None:
    form, day = new_form_on_site(qtbot, site, clerk)
    p = form.parts
    form.tabs.setCurrentWidget(p.checks)
    type_text(qtbot, p.checks.filter, "2024-8-1")
    qtbot.keyClick(p.checks.filter, Qt.Key.Key_Return)
    row = p.checks.current_row()
    assert row is not None and row.code == "2024-8-1" and row.source == "重大隐患"
    qtbot.keyClick(p.checks.tree, Qt.Key.Key_2)
    qtbot.mouseClick(p.checks.convert_button, Qt.MouseButton.LeftButton)
    f = p.findings
    assert f.rows[0].data.level == "重大" and f.rows[0].data.criterion_code == "2024-8-1"
    assert f.criterion.currentText().startswith("2024版 第八条第(一)项")
    assert f.table.item(0, 5).text() == "2024版 第八条第(一)项"  # type: ignore[union-attr]
    assert f.rows[0].deadline_text == chinese_date(suggested_deadline("重大", day).day)
    assert not f.category.isEnabled()  # a major finding takes the criterion's category
    # 一般 → the default deadline follows; no clause is sent
    f.level.set_value("一般")
    assert f.rows[0].deadline_text == chinese_date(suggested_deadline("一般", day).day)
    assert f.collect()[0].criterion_code is None
    f.level.set_value("重大")
    type_text(qtbot, f.location, "1号塔吊")
    saved_id = save_and_close(qtbot, form)
    with clerk.db.read() as s:
        got = get_inspection(s, saved_id)
    (major,) = got.findings
    assert (major.level, major.criterion_code, major.criterion_edition) == ("重大", "2024-8-1", "2024")
    assert major.deadline == suggested_deadline("重大", day).day


@pytest.mark.clock
def test_a_findings_deadline_reads_in_chinese_whether_typed_or_picked(qtbot: QtBot, site: Site,
                                                                      clerk: AppContext) -> None:
    form, day = new_form_on_site(qtbot, site, clerk)
    p = form.parts
    form.tabs.setCurrentWidget(p.findings)
    f = p.findings
    f.add_blank()
    type_text(qtbot, f.description, "基坑临边防护缺失")
    f.category.set_value("基坑工程")
    suggestion = suggested_deadline("一般", day)  # 暂定 when the clock stands past the shipped calendar
    default = suggestion.day
    assert f.table.item(0, 6).text() == suggestion.text  # type: ignore[union-attr]
    assert f.deadline.text() == chinese_date(default)
    # typed in the compact form: the table reads it in the Chinese form at once, the field once left
    typed = default + timedelta(days=3)
    f.deadline.selectAll()
    type_text(qtbot, f.deadline, f"{typed:%Y%m%d}")
    assert f.table.item(0, 6).text() == chinese_date(typed) and f.deadline_hint.text() == ""  # type: ignore[union-attr]
    qtbot.keyClick(f.deadline, Qt.Key.Key_Tab)
    assert f.deadline.text() == chinese_date(typed) and f.collect()[0].deadline == typed
    # not a date yet: shown as typed, reported on saving
    f.deadline.selectAll()
    type_text(qtbot, f.deadline, "2026-13")
    assert f.table.item(0, 6).text() == "2026-13"  # type: ignore[union-attr]
    # picked from the calendar: the finding takes it too
    picked = default + timedelta(days=5)
    f.deadline.show_calendar()
    calendar = f.deadline.findChild(QCalendarWidget)
    assert calendar is not None
    calendar.setSelectedDate(QDate(picked))
    calendar.activated.emit(QDate(picked))
    assert f.table.item(0, 6).text() == chinese_date(picked) == f.deadline.text()  # type: ignore[union-attr]
    saved_id = save_and_close(qtbot, form)
    with clerk.db.read() as s:
        assert [x.deadline for x in get_inspection(s, saved_id).findings] == [picked]


# ------------------------------------------------------------------ errors keep the input


@pytest.mark.clock
def test_errors_show_next_to_their_fields_and_nothing_is_saved(qtbot: QtBot, site: Site,
                                                              clerk: AppContext) -> None:
    st = site.station
    form = new_form(qtbot, clerk)
    p = form.parts
    pick(qtbot, p.project, "cnxx")  # 城南小学: 竣工验收备案 2026-01-15
    assert p.project.value() == site.completed
    assert p.inspectors.ids() == ()  # a 内勤 is not an inspector; this project has no team
    p.inspectors.setFocus()
    items = [p.inspectors.item(i) for i in range(p.inspectors.count())]
    p.inspectors.setCurrentItem(next(i for i in items if i is not None and i.text() == "张监督"))
    qtbot.keyClick(p.inspectors, Qt.Key.Key_Space)
    assert p.inspectors.ids() == (st.supervisor.user_id,)
    p.when.clear()
    type_text(qtbot, p.when, (clock.now() + timedelta(days=2)).strftime("%Y%m%d 0930"))
    form.parts.findings.add_blank()
    type_text(qtbot, p.findings.description, "塔吊附着装置松动")
    p.findings.category.set_value("塔式起重机与起重吊装")

    save(qtbot, form)
    qtbot.waitUntil(lambda: form.errors.banner.isVisible(), timeout=10_000)
    assert "至少须有2名" in form.errors.message_for("检查人员")
    assert "不能晚于当前时间" in form.errors.message_for("检查时间")
    assert form.errors.message_for("工程项目")  # not in supervision on that day
    if os.environ.get("STATION_SHOTS"):
        form.grab().save(str(Path(os.environ["STATION_SHOTS"]) / "insp_form_errors.png"))
    assert form.isVisible() and count(clerk, Inspection) == 0
    # the input is intact
    assert p.findings.rows[0].data.description == "塔吊附着装置松动"
    assert p.project.value() == site.completed and form.save_button.isEnabled()

    # a time that cannot be read is refused before the database is asked
    p.when.clear()
    type_text(qtbot, p.when, "2026-13-45 25:00")
    save(qtbot, form)
    assert "不是有效的检查时间" in form.errors.message_for("检查时间")
    assert count(clerk, Inspection) == 0


def test_one_inspector_is_refused(qtbot: QtBot, site: Site, clerk: AppContext) -> None:
    sup1, sup2 = assign_pair(site)
    form = new_form(qtbot, clerk)
    p = form.parts
    pick(qtbot, p.project, "dhxq")
    assert p.inspectors.ids() == (sup1, sup2)
    p.inspectors.set_checked([sup1])
    p.inspectors.changed.emit()
    save(qtbot, form)
    qtbot.waitUntil(lambda: bool(form.errors.message_for("检查人员")), timeout=10_000)
    assert "至少须有2名监督人员" in form.errors.message_for("检查人员")
    assert p.inspectors.isVisible() and form.isVisible()
    assert count(clerk, Inspection) == 0


def test_a_site_photo_that_vanished_is_named_under_the_strip(qtbot: QtBot, site: Site, clerk: AppContext,
                                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assign_pair(site)
    (shot,) = photos(tmp_path, 1, "gone")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_a, **_k: ([shot], "")))
    form = new_form(qtbot, clerk)
    p = form.parts
    pick(qtbot, p.project, "dhxq")
    qtbot.mouseClick(p.strip.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: thumbnails_loaded(p.strip), timeout=10_000)
    Path(shot).unlink()  # the memory card was pulled before saving
    save(qtbot, form)
    qtbot.waitUntil(lambda: p.strip.error_line.isVisible(), timeout=10_000)
    assert "gone1.jpg" in p.strip.error_line.text() and form.isVisible()
    assert form.tabs.currentWidget() is p.basics_tab and count(clerk, Inspection) == 0


# ------------------------------------------------------------------ drafts


def test_the_draft_survives_closing_and_is_offered_again(qtbot: QtBot, site: Site, clerk: AppContext,
                                                         msgs: Messages, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assign_pair(site)
    shot, gone = photos(tmp_path, 2, "draft")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_a, **_k: ([shot, gone], "")))
    drafts = DraftStore.of(clerk.runtime.data)
    path = drafts.path("clerk", "inspection-new")
    form = new_form(qtbot, clerk)
    p = form.parts
    pick(qtbot, p.project, "dhxq")
    type_text(qtbot, p.conclusion, "现场安全管理基本到位")
    form.tabs.setCurrentWidget(p.findings)
    qtbot.mouseClick(p.findings.add_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, p.findings.description, "5层临边防护缺失")
    p.findings.category.set_value("高处作业")
    qtbot.mouseClick(p.findings.strip.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(path.exists, timeout=5000)  # written ~1 s after the last change, off the UI thread
    qtbot.waitUntil(lambda: "草稿已自动保存" in form.status.text(), timeout=5000)
    qtbot.keyClick(form, Qt.Key.Key_Escape)  # close without saving: no question, the draft stays
    qtbot.waitUntil(lambda: not form.isVisible())
    assert path.exists() and not msgs.texts("confirm")
    Path(gone).unlink()  # a photo deleted from the card meanwhile

    page = form.parentWidget()
    msgs.answer = False  # "恢复草稿" (the safe default) rather than "丢弃草稿"
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    assert "未保存的监督检查录入" in msgs.last("confirm") and "东海新区安置房一期" in msgs.last("confirm")
    again = visible_form(page)  # type: ignore[arg-type]
    q = again.parts
    assert q.project.value() == site.project and q.project.text() == "东海新区安置房一期"
    assert q.conclusion.toPlainText() == "现场安全管理基本到位"
    assert [r.data.description for r in q.findings.rows] == ["5层临边防护缺失"]
    assert q.findings.rows[0].deadline_auto  # the default deadline is recomputed, not frozen
    q.findings.select(0)
    qtbot.waitUntil(lambda: thumbnails_loaded(q.findings.strip), timeout=10_000)
    problems = {Path(f.path or "").name: f.problem for f in q.findings.strip.files()}
    assert problems["draft1.jpg"] == "" and problems["draft2.jpg"]  # a placeholder, not a crash
    assert "已恢复" in again.status.text()

    save(qtbot, again)  # the missing photo refuses the save, next to the finding's photos
    qtbot.waitUntil(lambda: again.errors.banner.isVisible(), timeout=10_000)
    assert "draft2.jpg" in again.errors.banner.text() and count(clerk, Inspection) == 0
    q.findings.strip.list.setCurrentRow(1)
    q.findings.strip.remove_selected()
    save_and_close(qtbot, again)
    assert count(clerk, Inspection) == 1 and not path.exists()


def test_a_draft_can_be_thrown_away(qtbot: QtBot, site: Site, clerk: AppContext, msgs: Messages) -> None:
    form = new_form(qtbot, clerk)
    type_text(qtbot, form.parts.conclusion, "草稿内容")
    form.reject()  # closing writes the draft at once
    path = DraftStore.of(clerk.runtime.data).path("clerk", "inspection-new")
    assert path.exists()
    page = form.parentWidget()
    msgs.answer = True  # 不恢复，丢弃草稿
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    fresh = visible_form(page)  # type: ignore[arg-type]
    assert fresh.parts.conclusion.toPlainText() == "" and not path.exists()


def test_an_edit_draft_returns_on_the_same_record(qtbot: QtBot, site: Site, clerk: AppContext,
                                                  msgs: Messages) -> None:
    with clerk.db.write() as s:
        saved = create_inspection(s, site.station.clerk, inspection_data(site))
    page = open_page(qtbot, clerk)
    page.open_editor(saved.id)
    form = visible_form(page)
    form.parts.conclusion.setPlainText("复查时补充：塔吊司机持证上岗")
    form.reject()
    assert DraftStore.of(clerk.runtime.data).path("clerk", f"inspection-{saved.id}").exists()
    msgs.answer = False  # 恢复草稿
    page.open_editor(saved.id)
    again = visible_form(page)
    wait_active(qtbot, again)
    assert again.parts.conclusion.toPlainText() == "复查时补充：塔吊司机持证上岗"
    assert again.windowTitle() == "编辑监督检查记录"
    assert save_and_close(qtbot, again) == saved.id
    with clerk.db.read() as s:
        got = get_inspection(s, saved.id)  # type: ignore[arg-type]
    assert got.conclusion == "复查时补充：塔吊司机持证上岗" and got.version == 2


# ------------------------------------------------------------------ 上次检查, editing, JGJ 59, read-only


def test_f3_shows_the_last_inspection_and_copies_its_kind_campaign_and_parts(qtbot: QtBot, site: Site,
                                                                             clerk: AppContext) -> None:
    assign_pair(site)
    fire = site.campaigns["防高坠"]
    with clerk.db.write() as s:
        create_inspection(s, site.station.clerk, inspection_data(
            site, inspected_at=datetime(2026, 3, 10, 9, 30), kind="专项检查", campaign_id=fire,
            site_parts=("脚手架", "3号楼屋面"),
            findings=(FindingData("2号楼东侧临边防护缺失", category="高处作业", location="2号楼5层"),)))
    form = new_form(qtbot, clerk)
    p = form.parts
    pick(qtbot, p.project, "dhxq")
    assert "上次检查：2026年3月10日 专项检查" in p.project_info.text() and "问题 1 条" in p.project_info.text()
    qtbot.keyClick(form, Qt.Key.Key_F3)
    dialogs = [d for d in form.findChildren(LastInspectionDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dlg = dialogs[0]
    assert dlg.table.rowCount() == 1 and "临边防护" in dlg.table.item(0, 0).text()  # type: ignore[union-attr]
    assert "已逾期" in dlg.table.item(0, 4).text()  # type: ignore[union-attr]
    qtbot.mouseClick(dlg.copy_button, Qt.MouseButton.LeftButton)
    assert p.kind.value() == "专项检查" and p.campaign.value() == fire
    assert p.site_parts.checked() == ["脚手架"] and p.other_parts.text() == "3号楼屋面"
    assert p.campaign_label.text() == "专项行动 *"


def test_editing_keeps_findings_photos_and_scores_jgj59_live(qtbot: QtBot, site: Site, clerk: AppContext,
                                                             tmp_path: Path) -> None:
    shots = photos(tmp_path, 2)
    with clerk.db.write() as s:
        saved = create_inspection(s, site.station.clerk, inspection_data(
            site, new_files=(shots[0],),
            findings=(FindingData("配电箱无门无锁", category="施工用电", new_files=(shots[1],)),)),
            store=AttachmentStore.of(clerk.runtime.data))
    assert saved.id is not None
    store = AttachmentStore.of(clerk.runtime.data)
    store.path_of(saved.attachments[0].sha256).unlink()  # the site photo's file went missing
    page = open_page(qtbot, clerk)
    page.table.selectRow(0)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    form = visible_form(page)
    wait_active(qtbot, form)
    p = form.parts
    assert form.windowTitle() == "编辑监督检查记录"
    qtbot.waitUntil(lambda: thumbnails_loaded(p.strip), timeout=10_000)
    assert p.strip.files()[0].problem == "文件已丢失"  # placeholder, no crash
    p.findings.select(0)
    qtbot.waitUntil(lambda: thumbnails_loaded(p.findings.strip), timeout=10_000)
    assert p.findings.strip.files()[0].thumb

    # JGJ 59: points typed per item; the total and grade follow at once
    form.tabs.setCurrentWidget(p.jgj)
    tree = p.jgj.tree
    item = p.jgj._items["B.14-1"]  # 外电防护, a guarantee item of 施工用电
    item.parent().setExpanded(True)  # type: ignore[union-attr]
    tree.setCurrentItem(item, 0)
    assert tree.currentColumn() == 3  # item rows go straight to 实得分
    tree.setFocus()
    qtbot.keyClicks(tree, "8")  # typing opens the cell's editor
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not tree
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: item.text(3) == "8")  # the delegate commits on the next event loop turn
    assert p.jgj.result is not None and "汇总得分" in p.jgj.summary.text()
    assert "JGJ 59评分(&4)（" in form.tabs.tabText(3)
    p.jgj._items["B.14-2"].setText(3, "0")  # a guarantee item at 0 fails the table
    assert p.jgj.result is not None and p.jgj.result.grade == "不合格"
    p.jgj._items["B.14-2"].setText(3, "99")
    assert p.jgj.result is None and "无效" in p.jgj.summary.text()
    p.jgj._items["B.14-2"].setText(3, "")
    save_and_close(qtbot, form)
    with clerk.db.read() as s:
        got = get_inspection(s, saved.id)
    assert got.version == 2 and got.jgj59 is not None and [x.item_key for x in got.jgj59.lines] == ["B.14-1"]
    assert got.findings[0].id == saved.findings[0].id and len(got.findings[0].attachments) == 1


def test_read_only_user_sees_the_record_but_cannot_change_it(qtbot: QtBot, site: Site, tmp_path: Path) -> None:
    with site.station.db.write() as s:
        create_inspection(s, site.station.clerk, inspection_data(site))
    viewer = context(site.station, site.station.readonly, tmp_path / "viewer")
    page = open_page(qtbot, viewer)
    assert not page.add_button.isEnabled() and page.edit_button.text() == "查看(&E)"
    assert not page.delete_button.isEnabled()
    page.table.selectRow(0)
    page.edit_current()
    form = visible_form(page)
    assert form.windowTitle().endswith("（只读）") and not form.save_button.isEnabled()
    assert form.parts.project.isReadOnly() and not form.parts.findings.add_button.isEnabled()
    form.save()
    assert not form.errors.banner.isVisible()


def test_typed_times(qtbot: QtBot) -> None:
    from station_app.views.inspections.datetime_edit import parse_datetime

    assert parse_datetime("2026-03-10 09:30") == datetime(2026, 3, 10, 9, 30)
    assert parse_datetime("2026年3月10日 09:30") == datetime(2026, 3, 10, 9, 30)  # what the field shows
    assert parse_datetime("20260310 0930") == datetime(2026, 3, 10, 9, 30)
    assert parse_datetime("202603100930") == datetime(2026, 3, 10, 9, 30)
    assert parse_datetime("2026年3月10日9时30分") == datetime(2026, 3, 10, 9, 30)
    assert parse_datetime("9:30", today=date(2026, 3, 10)) == datetime(2026, 3, 10, 9, 30)
    assert parse_datetime("") is None
    for bad in ("2026-03-10", "2026-02-30 09:00", "25:00", "abc"):
        with pytest.raises(ValueError):
            parse_datetime(bad)


def test_photos_can_be_dropped_and_criteria_follow_the_inspection_day(qtbot: QtBot, site: Site, clerk: AppContext,
                                                                      tmp_path: Path) -> None:
    form = new_form(qtbot, clerk)
    p = form.parts
    p.when.setText("2024-06-10 09:00")  # the 2022 edition was in force
    form.tabs.setCurrentWidget(p.findings)
    p.findings.add_blank()
    p.findings.level.set_value("重大")
    assert p.findings.criterion.itemText(1).startswith("2022版 第")
    assert p.findings.rows[0].deadline_text == chinese_date(suggested_deadline("重大", date(2024, 6, 10)).day)
    groups = {r.group for r in p.checks._rows.values() if r.source == "重大隐患"}
    assert groups and all(g.startswith("重大事故隐患（2022版）") for g in groups)

    # photos dropped from the file manager onto the strip
    dropped = photos(tmp_path, 2, "drop")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(x) for x in dropped])
    viewport = p.strip.list.viewport()
    assert viewport is not None
    pos = QPointF(20, 20)
    with warnings.catch_warnings():  # PySide marks the (only) QPoint constructor deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    assert p.strip.pending_paths() == tuple(dropped)
    qtbot.waitUntil(lambda: thumbnails_loaded(p.strip), timeout=10_000)
    assert all(f.thumb and Path(f.thumb).is_file() for f in p.strip.files())
    # Delete removes a pending photo
    p.strip.list.setCurrentRow(0)
    p.strip.list.setFocus()
    qtbot.keyClick(p.strip.list, Qt.Key.Key_Delete)
    assert p.strip.pending_paths() == (dropped[1],)
