"""监督检查 list page: filters pushed into SQL, role gating, delete, 导出Excel of the current view with
progress and cancel — and offscreen screenshots of the list and the form on demo data."""

from __future__ import annotations

import os
import threading
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from station_app import clock
from station_app.db.database import Database
from station_app.demo import generate
from station_app.demo.setup import DEMO_PASSWORD
from station_app.models import Project, User
from station_app.models.enums import IN_SUPERVISION, Role
from station_app.rules import hazards
from station_app.services import auth
from station_app.services.attachments import AttachmentStore
from station_app.services.inspections.campaigns import list_campaigns
from station_app.services.inspections.forms import FindingData, InspectionData, expected_presence
from station_app.services.inspections.jgj59 import Jgj59EntryData
from station_app.services.inspections.records import create_inspection
from station_app.services.inspections.table import INSPECTION_LIST
from station_app.views.app_context import AppContext
from station_app.views.inspections.last_inspection import LastInspectionDialog
from tests.conftest import PASSWORD, Station
from tests.services.inspections.inspection_fixtures import form
from tests.views.conftest import Messages, type_text
from tests.views.test_inspection_support import (
    Site,
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
def listed(sqlite_station: Station, tmp_path: Path) -> tuple[Site, dict[str, int], AppContext]:
    """Four inspections (as in the service test of the list) and the chief's context."""
    st = sqlite_station
    site = make_site(st)
    with st.db.write() as s:
        third = auth.create_user(s, st.admin, "sup3", "钱监督", "监督员", PASSWORD).id
    sup1, sup2, chief = st.supervisor.user_id, st.supervisor2.user_id, st.chief.user_id
    fire = site.campaigns["消防“生命至上 隐患必除”"]
    rows = {
        "a": form(site, inspected_at=datetime(2026, 1, 5, 9), inspector_ids=(sup1, sup2)),
        "b": form(site, inspected_at=datetime(2026, 2, 5, 21), kind="夜查", inspector_ids=(sup1, third),
                  findings=(FindingData("塔吊未办理使用登记即投入使用", level="重大", criterion_code="2024-8-1"),)),
        "c": form(site, project_id=site.project_b, inspected_at=datetime(2026, 2, 20, 10), kind="专项检查",
                  campaign_id=fire, inspector_ids=(sup2, third), jgj59_entries=(Jgj59EntryData("B.1-1", Decimal(9)),)),
        "d": form(site, project_id=site.project_b, inspected_at=datetime(2026, 3, 1, 10), kind="四不两直",
                  inspector_ids=(chief, third)),
    }
    ids: dict[str, int] = {"third": third}
    with st.db.write() as s:
        for key, data in rows.items():
            saved = create_inspection(s, st.clerk, data)
            assert saved.id is not None
            ids[key] = saved.id
    return site, ids, context(st, st.chief, tmp_path / "data")


def shown_ids(page: Any) -> set[int]:
    model = page.model
    while model.canFetchMore():
        model.fetchMore()
    return {model.row_id(r) for r in range(model.rowCount())}


def test_filters(qtbot: QtBot, listed: tuple[Site, dict[str, int], AppContext]) -> None:
    site, ids, ctx = listed
    a, b, c, d = ids["a"], ids["b"], ids["c"], ids["d"]
    page = open_page(qtbot, ctx)
    assert page.count_label.text() == "共 4 条" and shown_ids(page) == {a, b, c, d}
    assert page.model.row_id(0) == d  # newest first
    view: QTableView = page.table
    assert view.model().index(0, 0).data() == "2026年3月1日 10:00"  # the datetime column, Chinese on screen

    type_text(qtbot, page.date_from, "20260205")
    type_text(qtbot, page.date_to, "2026-02-20")
    assert shown_ids(page) == {b, c}  # both ends inclusive
    page.set_period(None, None)
    assert shown_ids(page) == {a, b, c, d}

    pick(qtbot, page.project_filter, "dhxq")
    assert shown_ids(page) == {a, b}
    page.project_filter.clear()
    assert shown_ids(page) == {a, b, c, d}

    page.grid_filter.set_value(site.grid_b)
    assert shown_ids(page) == {c, d}
    page.supervisor_filter.set_value(ids["third"])
    assert shown_ids(page) == {c, d}
    page.kind_filter.set_value("专项检查")
    assert shown_ids(page) == {c}
    page.grid_filter.set_value(None)
    page.kind_filter.set_value(None)
    page.supervisor_filter.set_value(site.station.supervisor.user_id)
    assert shown_ids(page) == {a, b}
    page.supervisor_filter.set_value(None)
    page.campaign_filter.set_value(-1)
    assert shown_ids(page) == {a, b, d}
    page.campaign_filter.set_value(site.campaigns["消防“生命至上 隐患必除”"])
    assert shown_ids(page) == {c}
    page.campaign_filter.set_value(None)
    qtbot.mouseClick(page.major_only, Qt.MouseButton.LeftButton)
    assert shown_ids(page) == {b} and page.count_label.text() == "共 1 条"
    page.major_only.setChecked(False)
    type_text(qtbot, page.search, "qjd")  # 钱监督 by 拼音首字母
    page.search.flush()
    assert shown_ids(page) == {b, c, d}


def test_roles_and_delete(qtbot: QtBot, listed: tuple[Site, dict[str, int], AppContext], msgs: Messages,
                          tmp_path: Path) -> None:
    site, ids, chief = listed
    st = site.station
    clerk_page = open_page(qtbot, context(st, st.clerk, tmp_path / "clerk"))
    clerk_page.table.selectRow(0)
    assert clerk_page.add_button.isEnabled() and clerk_page.edit_button.isEnabled()
    assert not clerk_page.delete_button.isEnabled()  # inspection.delete: 站长 and 管理员 only
    admin_page = open_page(qtbot, context(st, st.admin, tmp_path / "admin"))
    assert not admin_page.add_button.isEnabled()  # 管理员 does not record inspections

    page = open_page(qtbot, chief)
    page.table.selectRow(0)
    assert page.current_id() == ids["d"] and page.delete_button.isEnabled()
    msgs.answer = False
    page.delete_selected()
    assert "2026年3月1日 10:00 开发区标准厂房" in msgs.last("confirm") and page.model.total_count() == 4
    msgs.answer = True
    page.delete_selected()
    qtbot.waitUntil(lambda: page.model.total_count() == 3)
    assert ids["d"] not in shown_ids(page)


def test_export_writes_the_current_view(qtbot: QtBot, listed: tuple[Site, dict[str, int], AppContext],
                                        msgs: Messages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _site, ids, ctx = listed
    target = tmp_path / "out" / "监督检查记录"  # no suffix typed: .xlsx is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(target), "")))
    page = open_page(qtbot, ctx)
    page.supervisor_filter.set_value(ids["third"])
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    task = page.export_excel()
    assert task is not None and not page.export_button.isEnabled()
    qtbot.waitUntil(lambda: page.export_task is None, timeout=15_000)
    assert page.export_button.isEnabled()
    path = target.with_suffix(".xlsx")
    assert "已导出 3 条记录" in msgs.last("info") and path.is_file()
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))[1:]  # row 1 is the title
    assert list(rows[0]) == [c.header for c in INSPECTION_LIST.columns]
    assert [r[0] for r in rows[1:]] == [datetime(2026, 2, 5, 21), datetime(2026, 2, 20, 10), datetime(2026, 3, 1, 10)]
    assert [r[1] for r in rows[1:]] == ["东海新区安置房一期", "开发区标准厂房", "开发区标准厂房"]
    assert rows[1][7] == 1 and rows[2][4] == "消防“生命至上 隐患必除”"  # 重大隐患, 专项行动


def test_export_can_be_cancelled(qtbot: QtBot, listed: tuple[Site, dict[str, int], AppContext],
                                 msgs: Messages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _site, _ids, ctx = listed
    target = tmp_path / "cancelled.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(target), "")))
    go = threading.Event()
    from station_app.views import list_export

    real = list_export.export_list_xlsx

    def slow(*args: Any, **kwargs: Any) -> Any:
        go.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(list_export, "export_list_xlsx", slow)
    page = open_page(qtbot, ctx)
    task = page.export_excel()
    assert task is not None
    qtbot.waitUntil(lambda: task.dialog is not None, timeout=5000)  # progress shows after ~0.5 s
    dialog = task.dialog
    assert dialog is not None and dialog.isVisible()
    button = dialog.findChild(QPushButton)
    assert button is not None and button.text() == "取消"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert task.cancelled
    go.set()
    qtbot.waitUntil(lambda: page.export_task is None, timeout=15_000)
    assert not target.exists() and not list(tmp_path.glob("*.tmp.xlsx"))
    assert not msgs.texts("info") and not msgs.texts("error")


# ------------------------------------------------------------------ screenshots on demo data


def _shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("STATION_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _demo_inspections(db: Database, data_dir: Path, folder: Path) -> tuple[int, int]:
    """A dozen inspections on demo projects, one with photos. Returns (id with photos, its project)."""
    clerk = auth.login(db, "nq01", DEMO_PASSWORD)
    store = AttachmentStore(data_dir / "attachments")
    today = clock.today()
    with db.read() as s:
        sups = list(s.scalars(select(User.id).where(User.role == Role.SUPERVISOR.value, User.active.is_(True))
                             .order_by(User.id)))
        projects = list(s.scalars(select(Project.id).where(Project.status.in_([x.value for x in IN_SUPERVISION]))
                                  .order_by(Project.id).limit(8)))
        presence = {p: tuple(expected_presence(s, p)) for p in projects}
        campaigns = {c.name: c.id for c in list_campaigns(s)}
    crits = hazards.criteria(on=today)
    kinds = ["日常巡查", "专项检查", "双随机抽查", "四不两直", "夜查", "复查"]
    shots = photos(folder, 3, "site")
    with_photos = 0
    with db.write() as s:
        for i in range(12):
            pid = projects[i % len(projects)]
            kind = kinds[i % len(kinds)]
            findings = [FindingData("外脚手架连墙件设置不足", category="脚手架", location="2号楼北侧"),
                        FindingData("施工升降机防坠安全器超期未检", category="物料提升机与施工升降机")][: i % 3]
            if i % 4 == 1:
                findings.append(FindingData(crits[i % len(crits)].text, level="重大", criterion_code=crits[i % len(crits)].code,
                                            location="1号塔吊"))
            data = InspectionData(
                inspected_at=datetime.combine(today - timedelta(days=3 * i + 1), datetime.min.time()).replace(hour=9 + i % 8),
                project_id=pid, inspector_ids=(sups[i % len(sups)], sups[(i + 1) % len(sups)]), kind=kind,
                campaign_id=campaigns["防高坠"] if kind == "专项检查" else None, weather="晴",
                site_parts=("主体结构", "脚手架"), conclusion="现场安全管理基本到位，发现问题已责令限期整改。",
                presence=presence[pid], findings=tuple(findings),
                jgj59_entries=(Jgj59EntryData("B.1-1", Decimal(8)), Jgj59EntryData("B.3-1", Decimal(9))) if i % 5 == 0
                else ())
            if i == 0:
                data = InspectionData(**{**data.__dict__, "new_files": (shots[0],), "findings": (
                    FindingData("外脚手架连墙件设置不足", category="脚手架", location="2号楼北侧", new_files=tuple(shots[1:])),
                    FindingData("配电箱无门无锁，未设置漏电保护器", category="施工用电", location="生活区")),
                    "check_items": ()})
            saved = create_inspection(s, clerk, data, store=store)
            if i == 0:
                assert saved.id is not None
                with_photos = saved.id
    return with_photos, projects[0]


@pytest.mark.clock
def test_screenshots_of_the_list_and_the_form(qtbot: QtBot, sqlite_db: Database, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    generate(sqlite_db, scale="small", seed=1)
    folder = _shots_dir(tmp_path)
    data_dir = tmp_path / "data"
    photo_id, _project = _demo_inspections(sqlite_db, data_dir, tmp_path)
    clerk = auth.login(sqlite_db, "nq01", DEMO_PASSWORD)
    station = Station(sqlite_db, clerk, clerk, clerk, clerk, clerk, clerk)
    ctx = context(station, clerk, data_dir)
    page = open_page(qtbot, ctx)
    page.resize(1360, 640)
    qtbot.waitUntil(lambda: page.model.total_count() >= 12)  # the demo may bring inspections of its own
    page.table.selectRow(0)
    shot = page.grab()
    assert not shot.isNull()
    shot.save(str(folder / "insp_list.png"))

    # the form of the inspection with photos: findings and thumbnails
    page.open_editor(photo_id)
    f = visible_form(page)
    wait_active(qtbot, f)
    p = f.parts
    qtbot.waitUntil(lambda: thumbnails_loaded(p.strip), timeout=10_000)
    f.grab().save(str(folder / "insp_form_basics.png"))
    f.tabs.setCurrentWidget(p.findings)
    p.findings.select(0)
    qtbot.waitUntil(lambda: thumbnails_loaded(p.findings.strip), timeout=10_000)
    assert all(x.thumb for x in p.findings.strip.files())
    f.grab().save(str(folder / "insp_form_findings.png"))
    f.tabs.setCurrentWidget(p.checks)
    type_text(qtbot, p.checks.filter, "lb")
    f.grab().save(str(folder / "insp_form_checks.png"))
    f.tabs.setCurrentWidget(p.jgj)
    f.grab().save(str(folder / "insp_form_jgj59.png"))
    f.reject()
    qtbot.waitUntil(lambda: not shiboken6.isValid(f) or not f.isVisible())

    # a new one: the project picked, F3 on its last inspection
    wait_active(qtbot, page)
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    new = visible_form(page)
    wait_active(qtbot, new)
    with sqlite_db.read() as s:
        name = s.scalar(select(Project.name).where(Project.id == _project))
    assert name
    pick(qtbot, new.parts.project, name[:4])
    new.grab().save(str(folder / "insp_form_new.png"))
    # a failed criterion turned into a 重大 finding, with two photos
    q = new.parts
    new.tabs.setCurrentWidget(q.checks)
    type_text(qtbot, q.checks.filter, "2024-8-1")
    qtbot.keyClick(q.checks.filter, Qt.Key.Key_Return)
    qtbot.keyClick(q.checks.tree, Qt.Key.Key_2)
    new.grab().save(str(folder / "insp_form_new_checks.png"))
    qtbot.keyClick(q.checks.tree, Qt.Key.Key_Return)
    type_text(qtbot, q.findings.location, "1号塔吊")
    shots = photos(tmp_path, 2, "crane")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_a, **_k: (shots, "")))
    qtbot.mouseClick(q.findings.strip.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: thumbnails_loaded(q.findings.strip), timeout=10_000)
    new.grab().save(str(folder / "insp_form_new_findings.png"))
    dlg = new.show_last()
    if dlg is not None:
        assert isinstance(dlg, LastInspectionDialog)
        dlg.grab().save(str(folder / "insp_last.png"))
        dlg.reject()
    new.reject()
