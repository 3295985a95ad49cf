"""One 安责险 check as a tab: the rows behind it (SQL, lazy), filters by grid and contractor, search,
"共 N 条", Excel export of the view off the UI thread; a row opens the policy (or a new policy for the
project, for 未投保/断保)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_app.services.insurance.checks import CHECK_TITLES, PROJECT_CHECKS, check_spec
from station_app.services.listing import ListSpec
from station_app.services.station import list_grids
from station_app.views.app_context import AppContext
from station_app.views.list_export import ExportsView, ask_xlsx_path, run_list_export, xlsx_name
from station_app.views.table_models import SqlTableModel
from station_app.views.tasks import Task, TaskRunner
from station_app.views.widgets import EnterprisePicker, SearchBox, ValueCombo

#: the lists show projects, grids, enterprises and policies
DEPENDS_ON = ("insurance_policy", "project", "grid", "enterprise", "reference")


def export_view(owner: QWidget, runner: TaskRunner, spec: ListSpec, model: SqlTableModel, title: str,
                on_done: Any, path: str | None = None) -> Task | None:
    """Ask where (unless ``path``), then write every row of the model's current view to .xlsx off the UI thread."""
    path = ask_xlsx_path(owner, title) if path is None else xlsx_name(path)
    if not path:
        return None
    return run_list_export(runner, owner_db(owner), spec, model.query(), path, title, on_done)


def owner_db(owner: QWidget) -> Any:
    return owner.ctx.db  # type: ignore[attr-defined]


#: a column widens to show this much of its content; names wider than this stay elided
_MAX_TEXT_WIDTH = 260
_PAD = 22  # cell margins + the sort indicator


def fit_columns(table: QTableView, model: SqlTableModel, sample: int = 60) -> bool:
    """Widen columns so that dates (2026年11月24日), numbers, codes (保单号, 信用代码) and headers are shown
    whole, judged on the first ``sample`` loaded rows; Chinese names widen up to ``_MAX_TEXT_WIDTH``.

    Never narrows a column below its spec width. Returns False while no row is loaded (call it again)."""
    rows = min(model.rowCount(), sample)
    if rows == 0:
        return False
    fm = table.fontMetrics()
    header_fm = table.horizontalHeader().fontMetrics()
    for col, column in enumerate(model.spec.columns):
        texts = [str(model.data(model.index(r, col)) or "") for r in range(rows)]
        needed = max([header_fm.horizontalAdvance(column.header)] + [fm.horizontalAdvance(t) for t in texts]) + _PAD
        whole = column.kind != "text" or all(t.isascii() for t in texts)
        width = needed if whole else min(needed, max(_MAX_TEXT_WIDTH, column.width))
        if table.horizontalHeader().sectionSize(col) < width:
            table.setColumnWidth(col, width)
    return True


def fit_columns_once(table: QTableView, model: SqlTableModel) -> None:
    """Fit the columns when the first rows arrive, then leave the widths to the user."""

    def fit() -> None:
        if fit_columns(table, model):
            model.modelReset.disconnect(fit)

    if not fit_columns(table, model):
        model.modelReset.connect(fit)


def make_table(owner: QWidget, model: SqlTableModel, *, sorting: bool = True) -> QTableView:
    """The list's table; with ``sorting`` False the caller enables it later (enabling it queries)."""
    table = QTableView(owner)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setStretchLastSection(True)
    for i in range(model.columnCount()):
        table.setColumnWidth(i, model.column_width(i))
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(sorting)
    fit_columns_once(table, model)
    return table


class CheckTab(QWidget, ExportsView):
    """Rows of one check. ``open_policy(policy_id, project_id)`` is emitted for a double-clicked row."""

    open_policy = Signal(object, object)
    count_changed = Signal(str, int)

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.title = CHECK_TITLES[kind]
        self.spec = check_spec(kind)
        self.model = SqlTableModel(ctx, self.spec, entity_types=DEPENDS_ON, parent=self)

        self.search = SearchBox("搜索：工程名称、拼音首字母、保单号、单位", self)
        self.search.setMinimumWidth(260)
        self.search.search_changed.connect(self.model.set_text)
        self.grid_filter = ValueCombo((), self)
        with ctx.db.read() as s:
            grids = list_grids(s, active_only=False)
        self.grid_filter.set_items([("全部网格", None), ("未分网格", -1), *((g.name, g.id) for g in grids)])
        self.grid_filter.value_changed.connect(lambda v: self.model.set_filter("grid_id", v))
        self.contractor = EnterprisePicker(ctx, self)
        self.contractor.setPlaceholderText("施工单位/投保单位")
        self.contractor.picked.connect(lambda v: self.model.set_filter("contractor_id", v))
        self.init_exports(ctx)
        self.count_label = QLabel(self)
        self.hint = QLabel(self)
        self.hint.setStyleSheet("color: #555;")
        self.hint.setWordWrap(True)
        self.hint.setText(_HINTS.get(kind, ""))

        top = QHBoxLayout()
        for w in (self.search, self.grid_filter, self.contractor):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.export_button)
        self.table = make_table(self, self.model, sorting=False)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.count_label)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 4)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        self.model.total_changed.connect(self._total)
        self.model.failed.connect(lambda msg: self.count_label.setText(f"查询失败：{msg}"))
        self.loaded = False  # queried when first shown: the page opens with the 保单 tab only

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.table.setSortingEnabled(True)  # Qt sorts (= the first query) when sorting is switched on

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_loaded()
        super().showEvent(event)

    def _total(self, n: int) -> None:
        self.count_label.setText(f"共 {n:,} 条")
        self.count_changed.emit(self.kind, n)

    def _activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row_id = self.model.row_id(index.row())
        if self.kind in PROJECT_CHECKS:
            self.open_policy.emit(None, row_id)
        else:
            self.open_policy.emit(row_id, None)

    def export_excel(self, path: str | None = None) -> Task | None:
        if self.export_task is not None:
            return None
        task = export_view(self, self.runner, self.spec, self.model, f"安责险{self.title}", self._exported, path)
        return self._track_export(task)



_HINTS = {
    "uninsured": "在建、停工项目今天没有有效保单。双击为该项目登记保单。",
    "gaps": "自实际开工至今（已备案的至竣工验收备案日）无保单覆盖的期间，含已补保的历史断保。双击为该项目登记保单。",
    "expiring": "项目未竣工验收备案，保单将在提醒天数内到期且尚未登记续保。",
    "low_limit": "每人死亡伤残限额低于保险起期适用的最低限额（参考数据“安全生产责任保险最低保额”）。",
    "wrong_insured": "有效保单的投保单位不是项目现施工总承包单位（无总包的，不是参建施工单位）。",
    "early_surrender": "竣工验收备案前退保或注销的保单（被新保单替换的除外）。",
}
