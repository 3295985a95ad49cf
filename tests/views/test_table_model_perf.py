"""SqlTableModel's cheap paths over real SQLite: one query set per screen, no count when the page is all,
a capped count for searches (the label says 以上) that becomes exact as the clerk scrolls, lazy cell
formatting; and background tasks freeze the app's existing objects out of the garbage collector's scans."""

from __future__ import annotations

import gc
from typing import Any

from PySide6.QtCore import Qt

from station_app.services.listing import ListQuery
from station_app.services.registry.project_table import PROJECT_LIST
from station_app.views.app_context import AppContext
from station_app.views.registry.projects_page import ProjectsPage
from station_app.views.table_models import PAGE_SIZE, SqlTableModel
from station_app.views.tasks import Cancelled, Progress, TaskRunner
from tests.views.test_table_model import count_statements, ctx, insert_projects, make_ctx  # noqa: F401


def test_a_registry_page_opens_with_one_count_and_one_page(qtbot, ctx: AppContext) -> None:  # noqa: F811
    insert_projects(ctx, 450)
    with count_statements(ctx) as selects:
        page = ProjectsPage(ctx)
        qtbot.addWidget(page)
    listing = [s for s in selects if "FROM projects" in s and "LIMIT" in s.upper()]
    counts = [s for s in selects if "count(" in s.lower() and "FROM projects" in s]
    assert len(listing) == 1 and len(counts) == 1, selects
    assert page.table.isSortingEnabled()
    assert page.model.rowCount() == PAGE_SIZE
    assert page.count_label.text() == "共 450 条"
    # a header click to the order already shown runs nothing; a new order runs one page + count
    with count_statements(ctx) as selects:
        page.model.sort(-1)
    assert selects == []
    col = page.model.column_index("name")
    with count_statements(ctx) as selects:
        page.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    assert len(selects) == 2
    assert page.model.data(page.model.index(0, col)) == "测试项目0449"


def test_a_short_page_needs_no_count(qtbot, ctx: AppContext) -> None:  # noqa: F811
    insert_projects(ctx, 450)
    model = SqlTableModel(ctx, PROJECT_LIST)
    with count_statements(ctx) as selects:
        model.set_query(ListQuery(text="测试项目001"))  # 0010–0019
    assert len(selects) == 1
    assert model.total_count() == model.rowCount() == 10
    assert model.total_is_exact() and not model.canFetchMore()


def test_a_search_counts_up_to_the_cap_then_exactly_as_pages_load(qtbot, ctx: AppContext) -> None:  # noqa: F811
    insert_projects(ctx, 450)
    model = SqlTableModel(ctx, PROJECT_LIST)
    model.count_cap = 300
    totals: list[int] = []
    model.total_changed.connect(totals.append)
    model.set_query(ListQuery(text="测试"))
    assert (model.total_count(), model.total_is_exact(), model.rowCount()) == (300, False, 200)
    model.fetchMore()  # rows 200–399: past the cap, still a full page
    assert (model.total_count(), model.total_is_exact(), model.rowCount()) == (400, False, 400)
    assert model.canFetchMore()
    model.fetchMore()  # the last 50
    assert (model.total_count(), model.total_is_exact(), model.rowCount()) == (450, True, 450)
    assert not model.canFetchMore()
    assert totals == [300, 400, 450]
    # without text the count is exact whatever the cap
    model.set_query(ListQuery())
    assert (model.total_count(), model.total_is_exact()) == (450, True)


def test_the_registry_label_says_more_than_when_capped(qtbot, ctx: AppContext, monkeypatch) -> None:  # noqa: F811
    from station_app.views.registry import common

    insert_projects(ctx, 450)
    monkeypatch.setattr(common, "TEXT_COUNT_CAP", 250)
    page = ProjectsPage(ctx)
    qtbot.addWidget(page)
    page.model.set_text("测试")
    assert page.count_label.text() == "250 条以上（继续滚动加载更多）"
    page.model.set_text("测试项目04")  # 0400–0449: one short page, exact
    assert page.count_label.text() == "共 50 条"


def test_cells_are_formatted_when_first_shown(qtbot, ctx: AppContext) -> None:  # noqa: F811
    insert_projects(ctx, 450)
    model = SqlTableModel(ctx, PROJECT_LIST)
    model.set_query(ListQuery())
    assert all(cells is None for cells in model._display)
    cost = model.column_index("contract_cost_fen")
    fen = model.row_values(1)[cost]
    assert model.data(model.index(1, cost)) == f"{fen // 100:,}.00"
    assert sum(cells is not None for cells in model._display) == 1


def test_a_background_job_runs_with_the_old_objects_frozen(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    runner = TaskRunner(host)
    seen: dict[str, Any] = {}
    before = gc.get_freeze_count()

    def job(progress: Progress, cancelled: Cancelled) -> int:
        seen["frozen"] = gc.get_freeze_count()
        return 1

    runner.run(job, title="计算", on_success=lambda r: seen.setdefault("done", r))
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
    assert seen["frozen"] > max(10_000, before)  # the app's modules, classes, Qt wrappers…
    # what is made after the freeze is not frozen: a collection scans (and frees) only that
    junk: list[Any] = []
    junk.append(junk)  # a cycle made after the job is still collected
    del junk
    assert gc.collect() >= 1
