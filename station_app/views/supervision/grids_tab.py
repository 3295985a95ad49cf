"""网格 tab: the grids with their towns, 网格长 and projects in supervision; add, edit, set the
网格长 from a date, deactivate (refused while projects in supervision remain) — and who led the
selected grid when."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from station_app.errors import StationError
from station_app.services.supervision.grids import GridRow, grid_leader_history, list_grid_rows, update_grid
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.supervision.common import (
    MUTED,
    RowsModel,
    SupervisionTab,
    hint_label,
    make_table,
    selected_row,
    title_label,
)
from station_app.views.supervision.forms import SupervisionForm
from station_app.views.supervision.grid_dialogs import GridDialog, LeaderDialog
from station_app.views.tasks import TaskRunner

HEADERS = ("网格名称", "所辖乡镇/片区", "网格长", "在监项目", "状态", "备注")
HISTORY_HEADERS = ("网格长", "任职起", "任职止")


class GridsTab(SupervisionTab):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.rows: list[GridRow] = []
        self.dialog: SupervisionForm | None = None
        self.add_button = QPushButton("新增网格(&N)…")
        self.edit_button = QPushButton("编辑(&E)…")
        self.leader_button = QPushButton("设置网格长…")
        self.toggle_button = QPushButton("停用")
        self.show_inactive = QCheckBox("显示已停用的网格")
        bar = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.leader_button, self.toggle_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.show_inactive)

        self.model = RowsModel(HEADERS, numeric=(3,), parent=self)
        self.table = make_table(self.model, (130, 360, 90, 80, 60))
        self.history_model = RowsModel(HISTORY_HEADERS, parent=self)
        self.history = make_table(self.history_model, (120, 110, 110))
        self.history_title = title_label("网格长任职记录")
        lower = QWidget()
        lower_lay = QVBoxLayout(lower)
        lower_lay.setContentsMargins(0, 4, 0, 0)
        lower_lay.addWidget(self.history_title)
        lower_lay.addWidget(self.history, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(hint_label("网格按乡镇、街道或片区划分；项目按所在乡镇归入网格。网格长调整自任职日期起生效，"
                                 "历任记录保留。停用网格前，须先将其在监项目调整到其他网格（见“批量调整”）。"))
        lay.addLayout(bar)
        lay.addWidget(splitter, 1)

        self.add_button.clicked.connect(self.add_grid)
        self.edit_button.clicked.connect(self.edit_grid)
        self.leader_button.clicked.connect(self.set_leader)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.show_inactive.toggled.connect(lambda _on: self.reload())
        self.table.doubleClicked.connect(lambda _i: self.edit_grid())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self._update_buttons()

    # -------------------------------------------------------------- data

    def reload(self) -> None:
        selected = self.selected()
        try:
            with self.ctx.db.read() as s:
                self.rows = list_grid_rows(s, include_inactive=self.show_inactive.isChecked())
        except StationError as err:
            messages.warn(self, str(err))
            return
        self.model.set_rows(
            [(g.name, g.towns, g.leader_name + ("（已停用）" if g.leader_id and not g.leader_active else ""),
              g.project_count, "启用" if g.active else "已停用", g.note) for g in self.rows],
            [g.id for g in self.rows], styles=[MUTED if not g.active else "" for g in self.rows])
        if selected is not None:
            self.select_grid(selected.id)
        self._selection_changed()

    def selected(self) -> GridRow | None:
        row = selected_row(self.table)
        if row is None:
            return None
        gid = self.model.row_id(row)
        return next((g for g in self.rows if g.id == gid), None)

    def select_grid(self, grid_id: int) -> None:
        row = self.model.row_of(grid_id)
        if row is not None:
            self.table.selectRow(row)

    def _selection_changed(self) -> None:
        self._update_buttons()
        grid = self.selected()
        if grid is None:
            self.history_model.clear()
            self.history_title.setText("网格长任职记录（请选择网格）")
            return
        try:
            with self.ctx.db.read() as s:
                terms = grid_leader_history(s, grid.id)
        except StationError as err:
            messages.warn(self, str(err))
            return
        self.history_title.setText(f"“{grid.name}”网格长任职记录")
        rows: list[tuple[object, ...]] = [(t.user_name, t.effective_from, t.effective_to or "至今")
                                          for t in reversed(terms)]
        styles = ["" if t.effective_to is None else MUTED for t in reversed(terms)]
        if grid.leader_id is not None and not any(t.user_id == grid.leader_id and t.effective_to is None for t in terms):
            rows.insert(0, (grid.leader_name, "（未记录）", "至今"))  # a leader set before terms were kept
            styles.insert(0, "")
        self.history_model.set_rows(rows, list(range(len(rows))), styles=styles)

    def _update_buttons(self) -> None:
        can_write = self.ctx.can("grid.write")
        grid = self.selected()
        self.add_button.setEnabled(can_write)
        self.edit_button.setEnabled(can_write and grid is not None)
        self.leader_button.setEnabled(can_write and grid is not None and grid.active)
        self.toggle_button.setEnabled(can_write and grid is not None)
        self.toggle_button.setText("启用" if grid is not None and not grid.active else "停用")
        if not can_write:
            for b in (self.add_button, self.edit_button, self.leader_button, self.toggle_button):
                b.setToolTip("当前角色无权维护网格（站长、管理员可以）")

    # -------------------------------------------------------------- actions

    def _open(self, dialog: SupervisionForm) -> SupervisionForm:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def add_grid(self) -> SupervisionForm | None:
        if not self.add_button.isEnabled():
            return None
        dialog = self._open(GridDialog(self.ctx, None, self))
        dialog.accepted.connect(lambda: self._after_save(dialog))
        return dialog

    def edit_grid(self) -> SupervisionForm | None:
        grid = self.selected()
        if grid is None:
            return None
        return self._open(GridDialog(self.ctx, grid, self))

    def set_leader(self) -> SupervisionForm | None:
        grid = self.selected()
        if grid is None or not self.leader_button.isEnabled():
            return None
        return self._open(LeaderDialog(self.ctx, grid, self))

    def _after_save(self, dialog: SupervisionForm) -> None:
        result = dialog.result_value
        if isinstance(result, GridRow):
            if not result.active and not self.show_inactive.isChecked():
                return
            self.select_grid(result.id)

    def toggle_active(self) -> None:
        grid = self.selected()
        if grid is None or not self.toggle_button.isEnabled():
            return
        activate = not grid.active
        if not activate and not messages.confirm(
                self, f"确定停用网格“{grid.name}”吗？\n停用后不能再向该网格分配项目，历史记录保留。", "停用网格",
                ok_text="停用"):
            return
        try:
            with self.ctx.db.write() as s:
                update_grid(s, self.ctx.actor, grid.id, name=grid.name, towns=grid.towns, note=grid.note,
                            active=activate, expected_version=grid.version)
        except StationError as err:
            messages.warn(self, str(err), "无法停用" if not activate else "无法启用")
            return
        self.ctx.notify("grid")
