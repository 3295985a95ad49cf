"""SqlTableModel over real SQLite: lazy pages, sort and filter in SQL, pinyin search, bus refresh."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from sqlalchemy import event, insert

from station_app.models import Project
from station_app.models.enums import ProjectStatus, ProjectType
from station_app.paths import DataDir
from station_app.runtime import Runtime
from station_app.services.context import Actor
from station_app.services.listing import ListQuery
from station_app.services.registry.project_table import PROJECT_LIST
from station_app.services.registry.projects import ProjectData, create_project
from station_app.services.search import build_search_key
from station_app.views.app_context import AppContext, EntityBus
from station_app.views.table_models import PAGE_SIZE, ROW_ID_ROLE, SORT_KEY_ROLE, SqlTableModel, format_cell

STATUSES = (ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.NOT_STARTED, ProjectStatus.SUSPENDED,
            ProjectStatus.COMPLETED)


@pytest.fixture
def make_ctx(sqlite_station, tmp_path: Path) -> Callable[[Actor | None], AppContext]:
    runtime = Runtime(data=DataDir(tmp_path).ensure(), db=sqlite_station.db)

    def make(actor: Actor | None = None) -> AppContext:
        return AppContext(runtime, actor or sqlite_station.clerk, EntityBus())

    return make


@pytest.fixture
def ctx(make_ctx) -> AppContext:
    return make_ctx(None)


def insert_projects(ctx: AppContext, n: int) -> None:
    """n projects through Core (bulk): every 10th has no 建安造价; costs grow with the index."""
    rows = []
    for i in range(n):
        name = f"测试项目{i:04d}"
        rows.append({"name": name, "project_type": ProjectType.BUILDING.value, "status": STATUSES[i % 4].value,
                     "town": "牛山街道" if i % 2 else "温泉镇", "search_key": build_search_key(name),
                     "contract_cost_fen": None if i % 10 == 0 else (i + 1) * 1_000_00})
    with ctx.db.write() as s:
        s.execute(insert(Project), rows)


@contextmanager
def count_statements(ctx: AppContext) -> Iterator[list[str]]:
    seen: list[str] = []

    def on_execute(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", on_execute)


def test_fetches_lazily_in_pages_of_200(qtbot, ctx: AppContext) -> None:
    insert_projects(ctx, 450)
    model = SqlTableModel(ctx, PROJECT_LIST)
    with count_statements(ctx) as selects:
        model.set_query(ListQuery())
    assert len(selects) == 2  # one COUNT, one page: no query per row
    assert model.total_count() == 450
    assert model.rowCount() == PAGE_SIZE == 200
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 400
    model.fetchMore()
    assert model.rowCount() == 450
    assert not model.canFetchMore()
    ids = [model.data(model.index(r, 0), ROW_ID_ROLE) for r in range(450)]
    assert len(set(ids)) == 450  # stable order across pages: no row twice


def test_a_view_fetches_more_as_it_scrolls(qtbot, ctx: AppContext) -> None:
    insert_projects(ctx, 450)
    model = SqlTableModel(ctx, PROJECT_LIST)
    model.set_query(ListQuery())
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    assert model.rowCount() == 200
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 200)


def test_sorts_in_sql_largest_cost_first_nulls_last(qtbot, ctx: AppContext) -> None:
    insert_projects(ctx, 450)
    model = SqlTableModel(ctx, PROJECT_LIST)
    model.set_query(ListQuery())
    col = model.column_index("contract_cost_fen")
    with count_statements(ctx) as selects:
        model.sort(col, Qt.SortOrder.DescendingOrder)
    assert len(selects) == 2
    assert model.query().sort_key == "contract_cost_fen" and model.query().descending
    assert model.data(model.index(0, col), SORT_KEY_ROLE) == 450 * 1_000_00
    assert model.data(model.index(0, col)) == "450,000.00"
    assert model.data(model.index(0, col), Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    while model.canFetchMore():
        model.fetchMore()
    costs = [model.data(model.index(r, col), SORT_KEY_ROLE) for r in range(model.rowCount())]
    assert costs[-45:] == [None] * 45  # NULLs last
    assert costs[:-45] == sorted(costs[:-45], reverse=True)
    model.sort(col, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, col), SORT_KEY_ROLE) == 2 * 1_000_00
    model.sort(-1)  # no column: the list's default order again
    assert model.query().sort_key is None


def test_filters_and_pinyin_search(qtbot, ctx: AppContext) -> None:
    insert_projects(ctx, 40)
    with ctx.db.write() as s:
        pid = create_project(s, ctx.actor, ProjectData(name="东海新区安置房", project_type=ProjectType.BUILDING.value,
                                                        town="石榴街道", permit_no="320722202511230101")).id
    model = SqlTableModel(ctx, PROJECT_LIST)
    model.set_query(ListQuery())
    model.set_text("dhxq")
    assert model.total_count() == 1
    assert model.data(model.index(0, 0)) == "东海新区安置房"
    assert model.data(model.index(0, 0), ROW_ID_ROLE) == pid
    model.set_text("202511230101")  # permit number
    assert model.total_count() == 1
    model.set_text("")
    model.set_filter("status", ProjectStatus.SUSPENDED.value)
    assert model.total_count() == 10
    model.set_filter("town", "牛山街道")
    assert model.total_count() == 0  # 停工 are i % 4 == 2: even, so all in 温泉镇
    model.set_filter("town", "温泉镇")
    assert model.total_count() == 10
    model.set_filter("town", None)
    model.set_filter("status", None)
    model.set_filter("in_supervision", True)
    assert model.total_count() == 31  # 30 of the 40 + the new 未开工 one; 已竣工 are out
    model.set_filter("grid_id", -1)  # 未分网格
    assert model.total_count() == 31


def test_refreshes_on_bus_keeping_sort_and_filter(qtbot, ctx: AppContext) -> None:
    insert_projects(ctx, 450)
    model = SqlTableModel(ctx, PROJECT_LIST, entity_types=("project",))
    model.set_query(ListQuery())
    model.set_filter("status", ProjectStatus.UNDER_CONSTRUCTION.value)
    model.sort(model.column_index("contract_cost_fen"), Qt.SortOrder.DescendingOrder)
    model.fetchMore()
    loaded = model.rowCount()
    with ctx.db.write() as s:
        s.execute(insert(Project), [{"name": "新项目", "project_type": ProjectType.BUILDING.value,
                                     "status": ProjectStatus.UNDER_CONSTRUCTION.value, "search_key": "新项目",
                                     "contract_cost_fen": 10**12}])
    with qtbot.waitSignal(model.total_changed):
        ctx.notify("grid")  # not a dependency: nothing happens …
        ctx.notify("project")  # … this one reloads
    assert model.total_count() == 114
    assert model.data(model.index(0, 0)) == "新项目"  # same sort: the largest first
    assert model.rowCount() >= loaded  # as many rows as were loaded before
    assert model.query().filters == {"status": ProjectStatus.UNDER_CONSTRUCTION.value}


def test_custom_page_function_and_headers(qtbot, ctx: AppContext) -> None:
    insert_projects(ctx, 5)
    calls: list[ListQuery] = []

    def page(session, q):
        calls.append(q)
        return [(r[0], f"《{r[1]}》", *r[2:]) for r in PROJECT_LIST.page(session, q)]

    model = SqlTableModel(ctx, PROJECT_LIST, page=page)
    model.set_query(ListQuery())
    assert calls and calls[0].limit == 200
    assert model.data(model.index(0, 0)).startswith("《")
    assert model.headerData(0, Qt.Orientation.Horizontal) == "工程名称"
    assert model.headerData(model.column_index("contract_cost_fen"), Qt.Orientation.Horizontal) == "建安造价（元）"


def test_format_cell() -> None:
    from datetime import date, datetime
    from decimal import Decimal

    assert format_cell("money", 123456789) == "1,234,567.89"
    assert format_cell("money", None) == ""
    assert format_cell("area", Decimal("12345.5")) == "12,345.50"
    assert format_cell("date", date(2026, 11, 23)) == "2026年11月23日"
    assert format_cell("datetime", datetime(2026, 3, 1, 9, 5)) == "2026年3月1日 09:05"
    assert format_cell("percent", 35) == "35%"
    assert format_cell("text", "在建") == "在建"


def test_date_columns_are_wide_enough_for_the_chinese_form(qtbot, ctx: AppContext) -> None:
    from dataclasses import replace

    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QTableView

    narrow = replace(PROJECT_LIST, columns=tuple(replace(c, width=60) for c in PROJECT_LIST.columns))
    model = SqlTableModel(ctx, narrow)
    view = QTableView()
    qtbot.addWidget(view)
    needed = QFontMetrics(view.font()).horizontalAdvance("2026年12月31日")
    kinds = [c.kind for c in narrow.columns]
    assert "date" in kinds
    for i, kind in enumerate(kinds):
        if kind == "date":
            assert model.column_width(i) > needed
        elif kind == "text":
            assert model.column_width(i) == 60
