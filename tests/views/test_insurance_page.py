"""安责险 page, like a clerk: enter a policy with a low limit and a second one leaving a gap; the page shows
the gap and the low limit with the policies behind each; replacing an overlapping policy is confirmed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from station_app.services.insurance.policies import get_policy
from station_app.services.insurance.records import project_insurance
from station_app.views.app_context import AppContext
from station_app.views.insurance.page import InsurancePage
from station_app.views.insurance.policy_editor import PolicyEditor
from station_app.views.registry.project_editor import ProjectEditor
from tests.conftest import Station
from tests.services.insurance.insurance_fixtures import InsSite, add_project, make_ins_site
from tests.views.conftest import Messages, type_text
from tests.views.test_inspection_support import context, pick, wait_active


@pytest.fixture
def site(sqlite_station: Station) -> InsSite:
    return make_ins_site(sqlite_station)


@pytest.fixture
def clerk(site: InsSite, tmp_path: Path) -> AppContext:
    return context(site.station, site.station.clerk, tmp_path / "data")


def open_page(qtbot: QtBot, ctx: AppContext) -> InsurancePage:
    page = InsurancePage(ctx)
    qtbot.addWidget(page)
    page.resize(1400, 760)
    page.show()
    return page


def new_policy(qtbot: QtBot, page: InsurancePage) -> PolicyEditor:
    before = set(page.findChildren(PolicyEditor))
    qtbot.mouseClick(page.policies.add_button, Qt.MouseButton.LeftButton)
    editors = [e for e in page.findChildren(PolicyEditor) if e not in before and e.isVisible()]
    assert len(editors) == 1
    wait_active(qtbot, editors[0])
    return editors[0]


def fill(qtbot: QtBot, ed: PolicyEditor, *, policy_no: str, start: str, end: str | None, limit: str) -> None:
    pick(qtbot, ed.project, "azfyq")  # 安置房一期 by its 拼音首字母
    pick(qtbot, ed.insured, "东海建工")
    type_text(qtbot, ed.insurer, "中国人民财产保险股份有限公司")
    type_text(qtbot, ed.branch, "东海支公司")
    type_text(qtbot, ed.policy_no, policy_no)
    type_text(qtbot, ed.start, start)
    if end is None:
        ed.until_completion.setChecked(True)
    else:
        type_text(qtbot, ed.end, end)
    type_text(qtbot, ed.premium, "96000")
    type_text(qtbot, ed.base, "80000000")
    type_text(qtbot, ed.death, limit)


def save(qtbot: QtBot, ed: PolicyEditor) -> None:
    qtbot.keyClick(ed, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def column(page_tab: object, key: str, row: int = 0) -> object:
    model = page_tab.model  # type: ignore[attr-defined]
    return model.row_values(row)[model.column_index(key)]


def test_clerk_enters_low_limit_and_gap_and_sees_both_with_their_records(
        qtbot: QtBot, site: InsSite, clerk: AppContext, msgs: Messages) -> None:
    project = add_project(site, "安置房一期", start=date(2025, 4, 1))
    page = open_page(qtbot, clerk)
    wait_active(qtbot, page)
    qtbot.waitUntil(lambda: page.counts.get("uninsured") == 1)  # tab counts come off the UI thread
    assert not page.checks  # a check's tab is built and queried when first shown

    first = new_policy(qtbot, page)
    fill(qtbot, first, policy_no="PICC-2025-001", start="2025-04-01", end="2025-12-31", limit="300000")
    save(qtbot, first)
    assert first.isVisible()  # refused: below the 40万 minimum of 应急〔2025〕27号
    assert "40万元最低限额" in first.errors.message_for("每人死亡伤残限额")
    type_text(qtbot, first.reason, "保险公司按旧条款出单，已要求批改")
    save(qtbot, first)
    qtbot.waitUntil(lambda: not first.isVisible())

    second = new_policy(qtbot, page)
    fill(qtbot, second, policy_no="PICC-2026-002", start="2026-02-01", end=None, limit="400000")
    save(qtbot, second)
    qtbot.waitUntil(lambda: not second.isVisible())
    assert not msgs.texts("confirm")  # no overlap: nothing to replace

    gaps = page.show_check("gaps")
    assert gaps.isVisible() and gaps.loaded and set(page.checks) == {"gaps"}
    low = page.check("low_limit")
    qtbot.waitUntil(lambda: gaps.model.total_count() == 1 and low.model.total_count() == 1)
    qtbot.waitUntil(lambda: page.counts.get("gaps") == 1 and page.counts.get("uninsured") == 0)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "断保（1）"
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert titles == ["保单", "未投保（0）", "断保（1）", "即将到期（0）", "限额不足（1）", "被保险人不符（0）", "提前退保（0）"]
    assert (column(gaps, "project"), column(gaps, "gap_from"), column(gaps, "gap_to"), column(gaps, "days")) == (
        "安置房一期", date(2026, 1, 1), date(2026, 1, 31), 31)
    assert (column(gaps, "before_no"), column(gaps, "after_no")) == ("PICC-2025-001", "PICC-2026-002")
    assert gaps.model.data(gaps.model.index(0, gaps.model.column_index("days"))) == "31"
    assert (column(low, "policy_no"), column(low, "limit"), column(low, "minimum"), column(low, "rule"),
            column(low, "reason")) == ("PICC-2025-001", 300_000_00, 400_000_00, "应急〔2025〕27号",
                                       "保险公司按旧条款出单，已要求批改")
    assert page.counts["uninsured"] == 0  # covered today by the second policy
    page.policies.problem_filter.set_value("low_limit")
    qtbot.waitUntil(lambda: page.policies.model.total_count() == 1)
    assert column(page.policies, "policy_no") == "PICC-2025-001"
    with clerk.db.read() as s:
        info = project_insurance(s, project)
    assert info.in_force is not None and info.in_force.policy_no == "PICC-2026-002"


def test_overlap_is_confirmed_as_a_replacement(qtbot: QtBot, site: InsSite, clerk: AppContext, msgs: Messages,
                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_project(site, "安置房一期", start=date(2025, 3, 1))
    page = open_page(qtbot, clerk)
    wait_active(qtbot, page)
    ed = new_policy(qtbot, page)
    fill(qtbot, ed, policy_no="P-OLD", start="2025-03-01", end=None, limit="400000")
    save(qtbot, ed)
    qtbot.waitUntil(lambda: not ed.isVisible())
    old_id = page.policies.model.row_id(0)

    msgs.answer = False  # first the clerk declines: nothing saved, the reason stays on the form
    ed = new_policy(qtbot, page)
    fill(qtbot, ed, policy_no="P-NEW", start="2026-03-01", end="2027-02-28", limit="500000")
    save(qtbot, ed)
    assert ed.isVisible() and "P-OLD" in msgs.last("confirm") and "保险期间" in ed.errors.banner.text()
    assert page.policies.model.total_count() == 1
    msgs.answer = True
    save(qtbot, ed)
    qtbot.waitUntil(lambda: not ed.isVisible())
    qtbot.waitUntil(lambda: page.policies.model.total_count() == 2)
    with clerk.db.read() as s:
        old = get_policy(s, old_id)
    assert (old.end_date, old.until_completion, old.replaced_by_id is not None) == (date(2026, 2, 28), False, True)
    qtbot.waitUntil(lambda: page.counts.get("gaps") == 0)

    target = tmp_path / "保单导出"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(target), "")))
    task = page.policies.export_excel()
    assert task is not None
    qtbot.waitUntil(lambda: page.policies.export_task is None, timeout=15_000)
    ws = load_workbook(target.with_suffix(".xlsx")).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))[2:]
    assert sorted(r[4] for r in rows) == ["P-NEW", "P-OLD"] and "已导出 2 条记录" in msgs.last("info")


def test_project_editor_shows_the_policy_summary(qtbot: QtBot, site: InsSite, clerk: AppContext) -> None:
    from tests.services.insurance.insurance_fixtures import add_policy

    project = add_project(site, "安置房一期", start=date(2025, 3, 1))
    add_policy(site, project, date(2025, 3, 1), None, policy_no="PICC-SUM-1")
    editor = ProjectEditor(clerk, project)
    qtbot.addWidget(editor)
    titles = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert "安责险" in titles
    summary = editor.tabs.widget(titles.index("安责险"))
    assert "在保：" in summary.headline.text() and "PICC-SUM-1" in summary.headline.text()  # type: ignore[attr-defined]
    assert summary.table.rowCount() == 1  # type: ignore[attr-defined]


def test_dates_and_policy_numbers_are_shown_whole_and_the_clerks_widths_are_kept(
        qtbot: QtBot, site: InsSite, clerk: AppContext) -> None:
    """Chinese dates (2025年12月31日) and long policy numbers used to be elided ("2025年12月...")."""
    from tests.services.insurance.insurance_fixtures import add_policy

    project = add_project(site, "安置房一期", start=date(2025, 3, 1))
    add_policy(site, project, date(2025, 3, 1), date(2025, 12, 31), policy_no="PICC2025320779094340")
    add_policy(site, project, date(2026, 2, 1), None, policy_no="PICC2026320779094341")
    page = open_page(qtbot, clerk)

    def shown_whole(tab: object, key: str) -> bool:
        model, table = tab.model, tab.table  # type: ignore[attr-defined]
        col = model.column_index(key)
        texts = [model.data(model.index(r, col)) for r in range(model.rowCount())]
        return bool(texts) and all(table.columnWidth(col) > table.fontMetrics().horizontalAdvance(t)
                                   for t in texts)

    policies = page.policies
    qtbot.waitUntil(lambda: policies.model.total_count() == 2)
    assert policies.model.data(policies.model.index(0, policies.model.column_index("start"))) == "2026年2月1日"
    assert shown_whole(policies, "start") and shown_whole(policies, "end") and shown_whole(policies, "policy_no")
    gaps = page.show_check("gaps")
    qtbot.waitUntil(lambda: gaps.model.total_count() == 1)
    assert shown_whole(gaps, "gap_from") and shown_whole(gaps, "gap_to") and shown_whole(gaps, "before_no")

    col = policies.model.column_index("start")
    policies.table.setColumnWidth(col, 60)  # the clerk narrows a column: a reload must not undo it
    policies.model.set_text("PICC")
    qtbot.waitUntil(lambda: policies.model.total_count() == 2)
    assert policies.table.columnWidth(col) == 60
