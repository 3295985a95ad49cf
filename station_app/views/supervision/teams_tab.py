"""项目分工 tab: projects in supervision with grid, 主监督员 and 第二监督员 (the lazy SQL list, names
of each page from one ``teams_on`` query); filters by grid, supervisor and 未分配; 安排监督员 in a
dialog; the selected project's assignment history and "who supervised it on a given day?"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_app.errors import StationError
from station_app.formatting import chinese_date
from station_app.services.station import list_grids
from station_app.services.supervision.assignments import assignment_history, team_on
from station_app.services.supervision.common import AssignmentRole
from station_app.services.supervision.team_table import TEAM_LIST, team_page
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.supervision.common import (
    MUTED,
    RowsModel,
    SupervisionTab,
    hint_label,
    make_table,
    supervisor_items,
    title_label,
)
from station_app.views.supervision.team_dialog import TeamDialog
from station_app.views.table_models import SqlTableModel
from station_app.views.tasks import TaskRunner
from station_app.views.widgets import DateEdit, SearchBox, ValueCombo

LIST_DEPENDS_ON = ("project", "grid", "supervision", "user")
HISTORY_HEADERS = ("监督员", "起", "止", "说明")


class TeamsTab(SupervisionTab):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.dialog: TeamDialog | None = None
        self.model = SqlTableModel(ctx, TEAM_LIST, entity_types=LIST_DEPENDS_ON, page=team_page, parent=self)
        self.search = SearchBox("搜索工程：名称、拼音首字母、许可证号", self)
        self.search.setMinimumWidth(260)
        self.grid_filter = ValueCombo((), self)
        self.supervisor_filter = ValueCombo((), self)
        self.unassigned = QCheckBox("仅未配齐监督员的", self)
        self.assign_button = QPushButton("安排监督员(&A)…", self)
        self.count_label = QLabel(self)
        bar = QHBoxLayout()
        for w in (self.search, self.grid_filter, self.supervisor_filter, self.unassigned):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.assign_button)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for i in range(self.model.columnCount()):
            self.table.setColumnWidth(i, self.model.column_width(i))
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        self.history_title = title_label("监督安排记录")
        self.history_model = RowsModel(HISTORY_HEADERS, parent=self)
        self.history = make_table(self.history_model, (130, 82, 82), sortable=False)
        self.day = DateEdit(self)
        self.day.setPlaceholderText("如 20250315")
        self.ask_button = QPushButton("查询", self)
        self.answer = QLabel(self)
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        ask = QHBoxLayout()
        ask.addWidget(QLabel("某日由谁监督：", self))
        ask.addWidget(self.day, 1)
        ask.addWidget(self.ask_button)
        side = QWidget(self)
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(6, 0, 0, 0)
        side_lay.addWidget(self.history_title)
        side_lay.addWidget(self.history, 1)
        side_lay.addLayout(ask)
        side_lay.addWidget(self.answer)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([850, 400])
        splitter.setChildrenCollapsible(False)

        bottom = QHBoxLayout()
        bottom.addWidget(hint_label("监督员调整自生效日期起算，历史记录保留；双击项目可安排监督员。", self), 1)
        bottom.addWidget(self.count_label)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addLayout(bar)
        lay.addWidget(splitter, 1)
        lay.addLayout(bottom)

        self.search.search_changed.connect(self.model.set_text)
        self.grid_filter.value_changed.connect(lambda v: self.model.set_filter("grid_id", v))
        self.supervisor_filter.value_changed.connect(lambda v: self.model.set_filter("supervisor_id", v))
        self.unassigned.toggled.connect(lambda on: self.model.set_filter("unassigned", on))
        self.model.total_changed.connect(lambda n: self.count_label.setText(f"共 {n:,} 个在监项目"))
        self.model.failed.connect(lambda msg: self.count_label.setText(f"查询失败：{msg}"))
        self.model.modelReset.connect(self._show_history)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_history())
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.assign_button.clicked.connect(self.assign_current)
        self.ask_button.clicked.connect(self.ask)
        self.day.returnPressed.connect(self.ask)
        self._history_project: int | None = None

    # -------------------------------------------------------------- data

    def reload(self) -> None:
        """Filter choices (grids and supervisors change) and the first page."""
        with self.ctx.db.read() as s:
            grids = list_grids(s, active_only=False)
        grid_items: list[tuple[str, Any]] = [("全部网格", None), ("未分网格", -1),
                                             *((g.name if g.active else f"{g.name}（已停用）", g.id) for g in grids)]
        self.grid_filter.set_items(grid_items)
        self.supervisor_filter.set_items(supervisor_items(self.ctx, include_inactive=True, blank="全部监督员"))
        if not self.model.rowCount() and not self.model.total_count():
            self.model.set_query(self.model.query())
        self._show_history()

    def _on_changed(self, entity_type: str) -> None:
        # the list model reloads itself (and the history with it); the filter choices follow here
        if entity_type in ("grid", "user", "*"):
            super()._on_changed(entity_type)

    def current_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.model.row_id(rows[0].row())
        index = self.table.currentIndex()
        return self.model.row_id(index.row()) if index.isValid() else None

    def select_id(self, project_id: int) -> None:
        self.model.after_load(lambda: self._select_loaded(project_id))

    def _select_loaded(self, project_id: int) -> None:
        row = self.model.row_of_id(project_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _show_history(self) -> None:
        pid = self.current_id()
        self.assign_button.setEnabled(pid is not None and self.ctx.can("supervision.assign"))
        if not self.ctx.can("supervision.assign"):
            self.assign_button.setToolTip("当前角色无权调整项目监督员（站长、管理员可以）")
        if pid != self._history_project:
            self.answer.clear()
        self._history_project = pid
        if pid is None:
            self.history_title.setText("监督安排记录（请选择项目）")
            self.history_model.clear()
            return
        row = self.model.row_of_id(pid)
        name = self.model.row_values(row)[0] if row is not None else ""
        try:
            with self.ctx.db.read() as s:
                rows = assignment_history(s, pid)
        except StationError as err:
            messages.warn(self, str(err))
            return
        self.history_title.setText(f"“{name}”的监督安排记录")
        self.history_model.set_rows(
            [(r.user_name + ("（主）" if r.role == AssignmentRole.PRINCIPAL else "")
              + ("（已停用）" if not r.user_active else ""), r.effective_from, r.effective_to or "至今", r.note)
             for r in reversed(rows)],
            [r.id for r in reversed(rows)], styles=[MUTED if r.effective_to else "" for r in reversed(rows)])

    # -------------------------------------------------------------- actions

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_team(self.model.row_id(index.row()))

    def assign_current(self) -> None:
        pid = self.current_id()
        if pid is not None:
            self.open_team(pid)

    def open_team(self, project_id: int) -> TeamDialog | None:
        try:
            dialog = TeamDialog(self.ctx, project_id, self)
        except StationError as err:
            messages.warn(self, str(err))
            self.model.refresh()
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask(self) -> None:
        """Who supervised the selected project on the typed day (team_on)."""
        pid = self.current_id()
        if pid is None:
            self.answer.setText("请先在左侧选择项目。")
            return
        try:
            day = self.day.value()
        except ValueError as err:
            self.answer.setText(str(err))
            return
        if day is None:
            self.answer.setText("请输入日期，如 2025-03-15。")
            return
        try:
            with self.ctx.db.read() as s:
                team = team_on(s, pid, day)
        except StationError as err:
            self.answer.setText(str(err))
            return
        who = team.label or "未安排监督员"
        self.answer.setText(f"{chinese_date(day)}：{who}")
