"""What the three registry pages share: toolbar, search, the lazy table, the count label, role gating.

Message boxes go through ``views.dialogs.messages`` (called via the module, so tests can replace them).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from station_app.errors import StationError
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.registry.editor_base import EditorDialog
from station_app.views.table_models import SqlTableModel
from station_app.views.widgets import SearchBox

#: a search counts its matches only this far (the label then says "以上"): an exact count of a text
#: search over the 250,000-row hazard ledger scans every row (≈400 ms); this stops at the cap
TEXT_COUNT_CAP = 2000


class RegistryPage(QWidget):
    """Search box + filters + buttons on top, the SQL table below, "共 N 条" at the right.

    Subclasses pass their model, add their filters to ``self.filter_bar``, implement
    ``create_editor(record_id | None)`` and ``delete_record(session, record_id)``, and call ``load()``.
    """

    entity: str = ""  # bus / audit entity type: 'project', 'enterprise', 'person'
    noun: str = ""  # 项目, 企业, 人员

    def __init__(self, ctx: AppContext, model: SqlTableModel, search_hint: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = model
        model.setParent(self)
        model.count_cap = TEXT_COUNT_CAP  # the count label says "以上" past it

        self.search = SearchBox(search_hint, self)
        self.search.setMinimumWidth(340)
        self.search.search_changed.connect(self.model.set_text)

        self.add_button = QPushButton("新增(&N)", self)
        self.edit_button = QPushButton("编辑(&E)", self)
        self.delete_button = QPushButton("删除", self)
        self.add_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_selected)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")

        self.filter_bar = QHBoxLayout()
        self.filter_bar.setSpacing(6)
        self.filter_bar.addWidget(self.search)
        self.button_bar = QHBoxLayout()
        self.button_bar.setSpacing(6)
        for b in (self.add_button, self.edit_button, self.delete_button):
            self.button_bar.addWidget(b)

        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for i in range(model.columnCount()):
            self.table.setColumnWidth(i, model.column_width(i))
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # sorting is switched on by load()
        self.table.activated.connect(self._on_activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.update_actions())
        model.modelReset.connect(self.update_actions)
        model.total_changed.connect(self._show_count)
        model.failed.connect(lambda msg: self.count_label.setText(f"查询失败：{msg}"))
        model.loading_changed.connect(self._show_loading)

        top = QHBoxLayout()
        top.addLayout(self.filter_bar)
        top.addStretch(1)
        top.addLayout(self.button_bar)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, self._add_if_allowed)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected)

    # -------------------------------------------------------------- state

    def load(self) -> None:
        """First query; subclasses call it once their filters are in place.

        Switching sorting on makes Qt sort by the (empty) indicator — that is the first query; done in
        the constructor it ran before the filters were set and the page was then loaded twice.
        """
        if self.table.isSortingEnabled():
            self.model.set_query(self.model.query())
        else:
            self.table.setSortingEnabled(True)

    def _show_loading(self, loading: bool) -> None:
        """A slow query (past the model's short wait) says so; the rows shown until then are the old ones."""
        if loading:
            self.count_label.setText("正在查询…")
        else:
            self._show_count(self.model.total_count())

    def _show_count(self, total: int) -> None:
        if self.model.total_is_exact():
            self.count_label.setText(f"共 {total:,} 条")
        else:
            self.count_label.setText(f"{total:,} 条以上（继续滚动加载更多）")

    def _add_if_allowed(self) -> None:
        if self.add_button.isEnabled():
            self.open_editor(None)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_id(r) for r in rows]

    def current_id(self) -> int | None:
        ids = self.selected_ids()
        if ids:
            return ids[0]
        index = self.table.currentIndex()
        return self.model.row_id(index.row()) if index.isValid() else None

    def select_id(self, record_id: int) -> None:
        """Select the record (e.g. the one just saved) once the list has reloaded."""
        self.model.after_load(lambda: self._select_loaded(record_id))

    def _select_loaded(self, record_id: int) -> None:
        row = self.model.row_of_id(record_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def update_actions(self) -> None:
        count = len(self.selected_ids())
        self.add_button.setEnabled(self.ctx.can("registry.write"))
        self.edit_button.setEnabled(self.ctx.can("registry.write") and count == 1)
        self.delete_button.setEnabled(self.ctx.can("registry.delete") and count == 1)

    # -------------------------------------------------------------- actions

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_editor(self.model.row_id(index.row()))

    def edit_current(self) -> None:
        record_id = self.current_id()
        if record_id is not None:
            self.open_editor(record_id)

    def create_editor(self, record_id: int | None) -> EditorDialog:
        raise NotImplementedError

    def open_editor(self, record_id: int | None) -> EditorDialog | None:
        """Open the editor (window-modal, not blocking); None when the record is gone meanwhile."""
        try:
            editor = self.create_editor(record_id)
        except StationError as err:  # deleted or merged by another clerk since the list was loaded
            messages.warn(self, str(err))
            self.model.refresh()
            return None
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self.select_id)
        editor.open()
        return editor

    def delete_record(self, session: Session, record_id: int) -> None:
        raise NotImplementedError

    def delete_selected(self) -> None:
        record_id = self.current_id()
        if record_id is None or not self.delete_button.isEnabled():
            return
        row = self.model.row_of_id(record_id)
        name = self.model.row_values(row)[0] if row is not None else ""
        if not messages.confirm(self, f"确定删除{self.noun}“{name}”吗？\n删除将记入操作日志。", f"删除{self.noun}",
                                ok_text="删除"):
            return
        try:
            with self.ctx.db.write() as session:
                self.delete_record(session, record_id)
        except StationError as err:
            messages.warn(self, str(err), "无法删除")
            return
        self.ctx.notify(self.entity)
