"""安全费用 area: the station overview by project with a tab per problem (首期支付不足, 分包支付不足,
使用偏低, 有待复核支出, 未登记), the station-wide list of flagged usage entries, filters (grid, 施工总承包,
status), the project's fee page on double-click, and 导出Excel of the current view off the UI thread."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_app import clock
from station_app.errors import StationError
from station_app.models.enums import IN_SUPERVISION, ProjectStatus
from station_app.services.safety_fees.checks import FeeSummary, fee_summary
from station_app.services.safety_fees.tables import PROBLEMS, flagged_list, overview_list
from station_app.services.station import list_grids
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.list_export import ExportsView, ask_xlsx_path, run_list_export, xlsx_name
from station_app.views.safety_fees.editors import ENTITY
from station_app.views.safety_fees.project_page import ProjectFeePage
from station_app.views.table_models import SqlTableModel
from station_app.views.tasks import Cancelled, Progress, Task
from station_app.views.widgets import EnterprisePicker, SearchBox, ValueCombo

LIST_DEPENDS_ON = (ENTITY, "project", "grid", "enterprise")
#: (tab label, problem filter) of the overview; None = every project
OVERVIEW_TABS: tuple[tuple[str, str | None], ...] = (("全部项目", None), *((v, k) for k, v in PROBLEMS.items()))
REVIEW_TABS: tuple[tuple[str, str], ...] = (("待复核", "待复核"), ("全部标记", "flagged"), ("不予认可", "不予认可"),
                                            ("复核通过", "复核通过"))


def _table(model: SqlTableModel, parent: QWidget) -> QTableView:
    t = QTableView(parent)
    t.setModel(model)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setAlternatingRowColors(True)
    t.setWordWrap(False)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(26)
    header = t.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    for i in range(model.columnCount()):
        t.setColumnWidth(i, model.column_width(i))
    t.setSortingEnabled(True)
    return t


class SafetyFeesPage(QWidget, ExportsView):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, as_of: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.as_of = as_of or clock.today()
        self.last_page: ProjectFeePage | None = None
        self.summary: FeeSummary | None = None
        self.projects = SqlTableModel(ctx, overview_list(self.as_of), entity_types=LIST_DEPENDS_ON, parent=self)
        self.entries = SqlTableModel(ctx, flagged_list(), entity_types=LIST_DEPENDS_ON, parent=self)

        self.view_bar = QTabBar(self)
        self.view_bar.addTab("项目总览")
        self.view_bar.addTab("支出复核")
        self.problem_bar = QTabBar(self)
        for label, _key in OVERVIEW_TABS:
            self.problem_bar.addTab(label)
        self.review_bar = QTabBar(self)
        for label, _key in REVIEW_TABS:
            self.review_bar.addTab(label)

        self.search = SearchBox("搜索：工程名称、拼音首字母、企业、摘要", self)
        self.search.setMinimumWidth(260)
        self.grid_filter = ValueCombo((), self)
        self.status_filter = ValueCombo([("全部在监状态", None), *((s.value, s.value) for s in IN_SUPERVISION),
                                         (ProjectStatus.COMPLETED.value, ProjectStatus.COMPLETED.value)], self)
        self.contractor = EnterprisePicker(ctx, self)
        self.contractor.setPlaceholderText("施工总承包（名称或拼音首字母）")
        self.contractor.setMinimumWidth(220)
        self.open_button = QPushButton("项目费用(&O)…", self)
        self.init_exports(ctx)
        self.count_label = QLabel(self)
        self.summary_label = QLabel(self)
        self.summary_label.setStyleSheet("color: #555;")

        filters = QHBoxLayout()
        for w in (self.search, self.grid_filter, self.status_filter, self.contractor):
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.open_button)
        filters.addWidget(self.export_button)
        # load before the views exist: a view turning sorting on makes an empty model query once more
        self.entries.set_filter("review", REVIEW_TABS[0][1])
        self.projects.set_query(self.projects.query())
        self.project_table = _table(self.projects, self)
        self.entry_table = _table(self.entries, self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addWidget(self.view_bar)
        lay.addLayout(filters)
        lay.addWidget(self.problem_bar)
        lay.addWidget(self.review_bar)
        lay.addWidget(self.project_table, 1)
        lay.addWidget(self.entry_table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary_label, 1)
        bottom.addWidget(self.count_label)
        lay.addLayout(bottom)

        self._reload_grids()
        self.search.search_changed.connect(lambda text: self._each(lambda m: m.set_text(text)))
        self.grid_filter.value_changed.connect(lambda v: self._each(lambda m: m.set_filter("grid_id", v)))
        self.status_filter.value_changed.connect(lambda v: self._each(lambda m: m.set_filter("status", v)))
        self.contractor.picked.connect(lambda v: self._each(lambda m: m.set_filter("contractor_id", v)))
        self.contractor.textChanged.connect(self._contractor_text)
        self.problem_bar.currentChanged.connect(self._problem)
        self.review_bar.currentChanged.connect(self._review)
        self.view_bar.currentChanged.connect(self._show_view)
        self.projects.total_changed.connect(lambda _n: self._show_count())
        self.entries.total_changed.connect(lambda _n: self._show_count())
        self.project_table.activated.connect(lambda index: self.open_project(self.projects.row_id(index.row())))
        self.entry_table.activated.connect(lambda index: self._open_entry(index.row()))
        self.open_button.clicked.connect(self._open_current)
        ctx.bus.changed.connect(self._on_changed)
        self._show_view(0)
        self.refresh_summary()

    # -------------------------------------------------------------- state

    def _each(self, fn: Any) -> None:
        for model in (self.projects, self.entries):
            fn(model)

    def current_model(self) -> SqlTableModel:
        return self.projects if self.view_bar.currentIndex() == 0 else self.entries

    def _reload_grids(self) -> None:
        with self.ctx.db.read() as s:
            grids = list_grids(s, active_only=False)
        self.grid_filter.set_items([("全部网格", None), ("未分网格", -1), *((g.name, g.id) for g in grids)])

    def _contractor_text(self, text: str) -> None:
        if not text.strip() and "contractor_id" in self.projects.query().filters:
            self._each(lambda m: m.set_filter("contractor_id", None))

    def _problem(self, index: int) -> None:
        self.projects.set_filter("problem", OVERVIEW_TABS[index][1])

    def _review(self, index: int) -> None:
        self.entries.set_filter("review", REVIEW_TABS[index][1])

    def _show_view(self, index: int) -> None:
        projects = index == 0
        self.problem_bar.setVisible(projects)
        self.project_table.setVisible(projects)
        self.review_bar.setVisible(not projects)
        self.entry_table.setVisible(not projects)
        self._show_count()

    def _show_count(self) -> None:
        self.count_label.setText(f"共 {self.current_model().total_count():,} 条")

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("grid", "*"):
            self._reload_grids()
        if entity_type in (*LIST_DEPENDS_ON, "*"):
            self.refresh_summary()

    def refresh_summary(self) -> Task:
        """The counts of the summary line and the problem tabs, computed off the UI thread."""
        db, as_of = self.ctx.db, self.as_of

        def job(_progress: Progress, _cancelled: Cancelled) -> FeeSummary:
            with db.read() as s:
                return fee_summary(s, as_of)

        return self.runner.run(job, title="统计安全生产费用问题", on_success=self._show_summary,
                               on_failure=self._summary_failed, cancellable=False, show_after_ms=-1)

    def _summary_failed(self, err: BaseException) -> bool:
        self.summary_label.setText(f"无法统计：{err}")
        return isinstance(err, StationError)

    def _show_summary(self, f: FeeSummary) -> None:
        self.summary = f
        self.summary_label.setText(
            f"已登记费用基数 {f.projects_with_basis} 个项目；在建/停工未登记 {f.missing_basis}；首期支付不足 "
            f"{f.first_payment_late}；分包支付不足 {f.subcontract_late}；使用偏低 {f.underuse}；待复核支出 "
            f"{f.flagged_pending} 笔（{f.flagged_pending_projects} 个项目）")
        counts = (None, f.first_payment_late, f.subcontract_late, f.underuse, f.flagged_pending_projects, None)
        for i, ((label, _key), n) in enumerate(zip(OVERVIEW_TABS, counts, strict=False)):
            self.problem_bar.setTabText(i, f"{label}（{n}）" if n else label)

    # -------------------------------------------------------------- actions

    def _open_current(self) -> None:
        table = self.project_table if self.view_bar.currentIndex() == 0 else self.entry_table
        index = table.currentIndex()
        if not index.isValid():
            messages.info(self, "请先选择一个项目或一条支出记录。")
            return
        if table is self.project_table:
            self.open_project(self.projects.row_id(index.row()))
        else:
            self._open_entry(index.row())

    def _open_entry(self, row: int) -> None:
        from station_app.services.safety_fees.ledger import get_usage

        with self.ctx.db.read() as s:
            usage = get_usage(s, self.entries.row_id(row))
        page = self.open_project(usage.project_id)
        page.tabs.setCurrentIndex(4)

    def open_project(self, project_id: int) -> ProjectFeePage:
        page = ProjectFeePage(self.ctx, project_id, self, as_of=self.as_of)
        page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_page = page
        page.open()
        return page

    def export_excel(self, path: str | None = None) -> Task | None:
        """Every row of the current view (filters, search, sort) to an .xlsx, with progress and 取消."""
        if self.export_task is not None:
            return None
        projects = self.view_bar.currentIndex() == 0
        title = "安全生产费用项目总览" if projects else "安全生产费用支出复核"
        path = ask_xlsx_path(self, title) if path is None else xlsx_name(path)
        if not path:
            return None
        model = self.current_model()
        task = run_list_export(self.runner, self.ctx.db, model.spec, model.query(), path, title, self._exported)
        return self._track_export(task)

