"""参考数据: the datasets the rules read (thresholds, rates, deadlines …). The admin edits; others read."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station_app import clock
from station_app.errors import StationError
from station_app.rules import refdata
from station_app.services import reference
from station_app.services.reference import RefRowInfo
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.settings.reference_dialog import ReferenceRowDialog, value_text
from station_app.views.settings.rows_model import RowsModel, table_view

_COMMON_SHOWN = ("source", "effective_from", "effective_to")


class ReferenceTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editable = ctx.can("reference.edit")
        self.rows: list[RefRowInfo] = []
        self.dialog: QDialog | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        top = QHBoxLayout()
        self.dataset_combo = QComboBox()
        for name, title in reference.dataset_titles().items():
            self.dataset_combo.addItem(title, name)
        self.dataset_combo.setMinimumWidth(300)
        top.addWidget(QLabel("数据集："))
        top.addWidget(self.dataset_combo)
        top.addStretch(1)
        self.edit_button = QPushButton("修改…")
        self.add_button = QPushButton("新增…")
        self.restore_button = QPushButton("恢复默认")
        for b in (self.edit_button, self.add_button, self.restore_button):
            top.addWidget(b)
        lay.addLayout(top)
        note = QLabel("程序的期限、阈值、费率等按这些数据计算；修改后立即生效，并记入操作日志。"
                      "“已修改”的行可随时恢复为程序自带的默认值。"
                      + ("" if self.editable else "只有管理员可以修改参考数据。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        lay.addWidget(note)
        self.model = RowsModel((), self)
        self.view = table_view(self.model)
        lay.addWidget(self.view, 1)
        self.dataset_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.edit_button.clicked.connect(self.edit_selected)
        self.add_button.clicked.connect(self.add_row)
        self.restore_button.clicked.connect(self.restore_selected)
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        ctx.bus.changed.connect(self._on_changed)
        self.reload()

    @property
    def dataset(self) -> str:
        return str(self.dataset_combo.currentData())

    def select_dataset(self, name: str) -> None:
        self.dataset_combo.setCurrentIndex(self.dataset_combo.findData(name))

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("reference", "*"):
            self.reload()

    def reload(self) -> None:
        dataset = self.dataset
        own = [s for s in refdata.field_specs(dataset) if s.name not in
               ("key", "source", "confidence", "effective_from", "effective_to", "note")]
        common = {s.name: s for s in refdata.field_specs(dataset)}
        specs = [common["key"], *own, *(common[n] for n in _COMMON_SHOWN)]
        headers = ["键", *(s.label_zh for s in own), "来源", "生效日期", "失效日期", "已修改"]
        selected = self.selected_row()
        try:
            with self.ctx.db.read() as s:
                self.rows = reference.list_rows(s, dataset)
        except StationError as err:
            messages.warn(self, str(err))
            return
        table = []
        for r in self.rows:
            cells = [value_text(spec, r.payload.get(spec.name)) for spec in specs]
            marker = "已修改" if r.modified and r.shipped is not None else "新增" if r.shipped is None else ""
            table.append((*cells, marker))
        self.model.set_headers(headers)
        self.model.set_rows(table, [r.id for r in self.rows])
        self.view.resizeColumnsToContents()
        for col in range(len(headers)):
            self.view.setColumnWidth(col, min(max(self.view.columnWidth(col), 70), 320))
        if selected is not None:
            self.select_key(selected.key)
        self._update_buttons()

    def select_key(self, key: str) -> None:
        for i, r in enumerate(self.rows):
            if r.key == key:
                self.view.selectRow(i)
                return

    def selected_row(self) -> RefRowInfo | None:
        index = self.view.currentIndex() if hasattr(self, "view") else None
        if index is None or not index.isValid() or index.row() >= len(self.rows):
            return None
        return self.rows[index.row()]

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.edit_button.setEnabled(row is not None)
        self.edit_button.setText("修改…" if self.editable else "查看…")
        self.add_button.setEnabled(self.editable)
        self.restore_button.setEnabled(self.editable and row is not None and row.modified and row.shipped is not None)

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is not None and self.dataset == "calendar_years":
            self._open_holidays(int(row.payload["year"]))
        elif row is not None:
            self._open(ReferenceRowDialog(self.ctx.db, self.ctx.actor, self.dataset, row, self))

    def add_row(self) -> None:
        if self.editable and self.dataset == "calendar_years":
            self._open_holidays(clock.today().year + 1)
        elif self.editable:
            self._open(ReferenceRowDialog(self.ctx.db, self.ctx.actor, self.dataset, None, self))

    def _open_holidays(self, year: int) -> None:
        """A year's holidays are entered in the notice's shape, not as a raw row (系统设置 → 法定节假日)."""
        from station_app.views.settings.holiday_dialog import HolidayDialog

        self.dialog = HolidayDialog(self.ctx, year, self)
        self.dialog.open()

    def _open(self, dlg: ReferenceRowDialog) -> None:
        if not self.editable:
            dlg.setWindowTitle(dlg.windowTitle().replace("修改", "查看"))
            dlg.ok_button.hide()
            dlg.cancel_button.setText("关闭")
            for w in dlg.widgets.values():
                w.setEnabled(False)
        dlg.accepted.connect(lambda: self._saved(dlg))
        self.dialog = dlg
        dlg.open()

    def _saved(self, dlg: ReferenceRowDialog) -> None:
        self.ctx.notify("reference")
        info = dlg.result_value
        if isinstance(info, RefRowInfo):
            self.select_key(info.key)

    def restore_selected(self) -> None:
        row = self.selected_row()
        if row is None or not self.editable:
            return
        if not messages.confirm(self, f"把“{row.key}”恢复为程序自带的默认值？当前的修改将被覆盖（操作日志中保留修改记录）。",
                                ok_text="恢复默认"):
            return
        try:
            with self.ctx.db.write() as s:
                reference.restore_default(s, self.ctx.actor, row.id)
            reference.load_into_rules(self.ctx.db)
        except StationError as err:
            messages.warn(self, str(err))
            return
        self.ctx.notify("reference")
