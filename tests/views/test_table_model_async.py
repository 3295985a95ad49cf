"""SqlTableModel when a query outlasts its short wait: the window keeps answering, the rows arrive
later, an older query's rows never replace a newer one's, failures and "after load" still work.

The page function is held on a threading.Event, so "slow" is decided by the test, not by the clock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy.orm import Session

from station_app.errors import StationError
from station_app.services.listing import ListQuery
from station_app.services.registry.project_table import PROJECT_LIST
from station_app.views.app_context import AppContext
from station_app.views.table_models import PAGE_SIZE, SqlTableModel
from tests.views.test_table_model import ctx, insert_projects, make_ctx  # noqa: F401 - fixtures


class Gate:
    """A page function that waits for ``release()`` when ``hold(query)`` says so."""

    def __init__(self, hold: Callable[[ListQuery], bool]) -> None:
        self.hold = hold
        self.released = threading.Event()
        self.entered = threading.Event()
        self.fail: StationError | None = None

    def page(self, session: Session, q: ListQuery) -> list[tuple[Any, ...]]:
        if self.hold(q):
            self.entered.set()
            assert self.released.wait(10), "the test never released the query"
            if self.fail is not None:
                raise self.fail
        return PROJECT_LIST.page(session, q)

    def release(self) -> None:
        self.released.set()


@pytest.fixture(autouse=True)
def _short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SqlTableModel, "sync_wait_s", 0.02)


def town_filter(q: ListQuery) -> bool:
    return q.filters.get("town") == "温泉镇"


def test_a_slow_query_returns_at_once_and_its_rows_arrive_later(qtbot, ctx: AppContext) -> None:  # noqa: F811
    insert_projects(ctx, 300)
    gate = Gate(lambda q: True)
    model = SqlTableModel(ctx, PROJECT_LIST, page=gate.page)
    states: list[bool] = []
    model.loading_changed.connect(states.append)
    model.set_query(ListQuery())  # returns although the query is held
    assert gate.entered.is_set()
    assert model.is_loading() and states == [True]
    assert model.rowCount() == 0 and not model.canFetchMore()
    gate.release()
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)
    assert states == [True, False]
    assert model.rowCount() == PAGE_SIZE and model.total_count() == 300


def test_an_older_query_never_replaces_a_newer_one(qtbot, ctx: AppContext) -> None:  # noqa: F811
    insert_projects(ctx, 300)  # 150 in 温泉镇, 150 in 牛山街道
    gate = Gate(town_filter)
    model = SqlTableModel(ctx, PROJECT_LIST, page=gate.page)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    model.set_filter("town", "温泉镇")  # held
    assert model.is_loading()
    model.set_filter("town", "牛山街道")  # the clerk changed their mind: quick, shown at once
    assert not model.is_loading()
    assert model.total_count() == 150 and resets == [150]
    gate.release()  # the first query finishes now; its rows must be dropped
    qtbot.wait(200)
    assert resets == [150]
    assert model.query().filters == {"town": "牛山街道"}
    towns = {model.row_values(r)[model.column_index("town")] for r in range(model.rowCount())}
    assert towns == {"牛山街道"}


def test_after_load_waits_for_the_rows(qtbot, ctx: AppContext) -> None:  # noqa: F811
    insert_projects(ctx, 50)
    gate = Gate(lambda q: True)
    model = SqlTableModel(ctx, PROJECT_LIST, page=gate.page)
    seen: list[int] = []
    model.set_query(ListQuery())
    model.after_load(lambda: seen.append(model.rowCount()))
    assert seen == []
    gate.release()
    qtbot.waitUntil(lambda: seen == [50], timeout=5000)
    model.after_load(lambda: seen.append(-1))  # nothing pending: runs at once
    assert seen == [50, -1]


def test_a_late_failure_is_reported_and_loading_ends(qtbot, ctx: AppContext) -> None:  # noqa: F811
    insert_projects(ctx, 10)
    gate = Gate(lambda q: True)
    gate.fail = StationError("数据库正忙，请稍后重试")
    model = SqlTableModel(ctx, PROJECT_LIST, page=gate.page)
    with qtbot.waitSignal(model.failed, timeout=5000) as failed:
        model.set_query(ListQuery())
        gate.release()
    assert failed.args == ["数据库正忙，请稍后重试"]
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)
    assert model.rowCount() == 0


def test_a_slow_page_while_scrolling_is_appended_once(qtbot, ctx: AppContext) -> None:  # noqa: F811
    insert_projects(ctx, 450)
    gate = Gate(lambda q: q.offset > 0)
    model = SqlTableModel(ctx, PROJECT_LIST, page=gate.page)
    model.set_query(ListQuery())
    assert model.rowCount() == 200 and model.canFetchMore()
    model.fetchMore()  # held
    assert model.is_loading() and not model.canFetchMore()
    model.fetchMore()  # Qt asks again while scrolling: no second fetch of the same page
    gate.release()
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)
    assert model.rowCount() == 400
    ids = [model.row_id(r) for r in range(400)]
    assert len(set(ids)) == 400


def test_wait_loaded_shows_the_rows_now(qtbot, ctx: AppContext) -> None:  # noqa: F811
    insert_projects(ctx, 30)
    gate = Gate(lambda q: True)
    model = SqlTableModel(ctx, PROJECT_LIST, page=gate.page)
    model.sort(model.column_index("name"), Qt.SortOrder.DescendingOrder)
    threading.Timer(0.05, gate.release).start()
    assert model.wait_loaded(5)
    assert model.rowCount() == 30 and not model.is_loading()
    assert model.row_values(0)[0] == "测试项目0029"


def test_a_registry_page_says_it_is_querying_and_selects_the_saved_row_after(qtbot, ctx: AppContext) -> None:  # noqa: F811
    from station_app.views.registry.projects_page import ProjectsPage
    from tests.views.conftest import type_text

    insert_projects(ctx, 120)
    page = ProjectsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    assert page.count_label.text() == "共 120 条"
    gate = Gate(lambda q: bool(q.text))
    page.model._page = gate.page  # the page's own model, its page function held by the test
    type_text(qtbot, page.search, "测试项目011")
    qtbot.waitUntil(lambda: gate.entered.is_set(), timeout=5000)
    assert page.count_label.text() == "正在查询…"
    from sqlalchemy import select

    from station_app.models import Project
    with ctx.db.read() as s:
        target = s.scalar(select(Project.id).where(Project.name == "测试项目0115"))
    page.select_id(target)  # e.g. the record just saved: selected once the new list is in
    assert page.selected_ids() == []
    gate.release()
    qtbot.waitUntil(lambda: page.count_label.text() == "共 10 条", timeout=5000)
    names = {page.model.row_values(r)[0] for r in range(page.model.rowCount())}
    assert names == {f"测试项目{i:04d}" for i in range(110, 120)}
    assert page.selected_ids() == [target]
