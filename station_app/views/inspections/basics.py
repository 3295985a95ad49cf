"""Pieces of the form's first tab and header: inspectors (checkable, the project's team ticked by
default), site parts, and the 到岗情况 table of the key posts (an absence becomes a finding on save)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListView,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from station_app.services.inspections.forms import InspectorOption, PresenceData

_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_CHECKABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable


class CheckList(QListWidget):
    """Checkable chips in a wrapping row (Space toggles the current one). Values in the order ticked."""

    changed = Signal()

    CELL = QSize(118, 26)

    def __init__(self, parent: QWidget | None = None, rows: int = 2) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(2)
        self.setGridSize(self.CELL)
        self.set_rows(rows)
        self._order: list[object] = []
        self.itemChanged.connect(self._on_item)

    def set_rows(self, rows: int) -> None:
        self.setFixedHeight(rows * self.CELL.height() + 10)

    def set_options(self, options: Iterable[tuple[str, object]]) -> None:
        checked = self.checked()
        self.blockSignals(True)
        self.clear()
        for label, value in options:
            self._add(label, value)
        self.blockSignals(False)
        self.set_checked(checked)

    def _add(self, label: str, value: object) -> QListWidgetItem:
        item = QListWidgetItem(label, self)
        item.setData(_ID_ROLE, value)
        item.setFlags(_CHECKABLE)
        item.setCheckState(Qt.CheckState.Unchecked)
        return item

    def ensure(self, label: str, value: object) -> None:
        """Offer ``value`` if it is not offered yet (a stored value no longer in the list)."""
        if self._find(value) is None:
            self.blockSignals(True)
            self._add(label, value)
            self.blockSignals(False)

    def _find(self, value: object) -> QListWidgetItem | None:
        for i in range(self.count()):
            if self.item(i).data(_ID_ROLE) == value:
                return self.item(i)
        return None

    def set_checked(self, values: Sequence[object]) -> None:
        self.blockSignals(True)
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(_ID_ROLE) in values else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self._order = [v for v in values if self._find(v) is not None]

    def checked(self) -> list[object]:
        on = {self.item(i).data(_ID_ROLE) for i in range(self.count())
              if self.item(i).checkState() == Qt.CheckState.Checked}
        rest = [self.item(i).data(_ID_ROLE) for i in range(self.count()) if self.item(i).data(_ID_ROLE) in on]
        return [v for v in self._order if v in on] + [v for v in rest if v not in self._order]

    def _on_item(self, item: QListWidgetItem) -> None:
        value = item.data(_ID_ROLE)
        if item.checkState() == Qt.CheckState.Checked and value not in self._order:
            self._order.append(value)
        elif item.checkState() != Qt.CheckState.Checked and value in self._order:
            self._order.remove(value)
        self.changed.emit()


class InspectorList(CheckList):
    def set_inspectors(self, options: Sequence[InspectorOption]) -> None:
        self.set_options((f"{o.name}（{o.role}）" if o.role == "站长" else o.name, o.id) for o in options)
        self.set_rows(min(3, max(1, -(-len(options) // 8))))  # about 8 names to a row

    def ids(self) -> tuple[int, ...]:
        return tuple(int(str(v)) for v in self.checked())


PRESENCE_HEADERS = ("参建单位", "岗位", "姓名", "在岗", "说明（缺岗原因等）")
_PRESENT = 3


class PresenceTable(QTableWidget):
    """The key posts: 在岗 ticked by default; unticking one records an absence (a finding on save)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(PRESENCE_HEADERS), parent)
        self.setHorizontalHeaderLabels(PRESENCE_HEADERS)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        for i, w in enumerate((100, 100, 110, 50)):
            self.setColumnWidth(i, w)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.verticalHeader().setDefaultSectionSize(26)
        self._rows: list[PresenceData] = []
        self._fit(3)
        self.itemChanged.connect(self._on_item)

    def load(self, rows: Sequence[PresenceData]) -> None:
        self.blockSignals(True)
        self._rows = list(rows)
        self.setRowCount(len(rows))
        for i, p in enumerate(rows):
            for col, text in enumerate((p.party_role, p.post, p.person_name, "", p.note)):
                item = QTableWidgetItem(text)
                if col in (0, 1):
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if col == _PRESENT:
                    item.setFlags(_CHECKABLE)
                    item.setCheckState(Qt.CheckState.Checked if p.present else Qt.CheckState.Unchecked)
                self.setItem(i, col, item)
            self._paint(i)
        self.blockSignals(False)
        self._fit(len(rows))

    def _fit(self, rows: int) -> None:
        """Tall enough for every row (3 to 7), so the key posts are seen without scrolling."""
        shown = min(max(rows, 3), 7)
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + shown * 26 + 2 * self.frameWidth() + 2)

    def _cell(self, row: int, col: int) -> QTableWidgetItem:
        item = self.item(row, col)
        assert item is not None
        return item

    def collect(self) -> tuple[PresenceData, ...]:
        out = []
        for i, p in enumerate(self._rows):
            name = self._cell(i, 2).text().strip()
            present = self._cell(i, _PRESENT).checkState() == Qt.CheckState.Checked
            out.append(PresenceData(p.party_role, p.post, present, p.person_id if name == p.person_name else None,
                                    name, self._cell(i, 4).text().strip()))
        return tuple(out)

    def absent_count(self) -> int:
        return sum(1 for p in self.collect() if not p.present)

    def set_read_only(self, on: bool) -> None:
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if on
                             else QAbstractItemView.EditTrigger.AllEditTriggers)
        for i in range(self.rowCount()):
            item = self._cell(i, _PRESENT)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled if on else _CHECKABLE)

    def _paint(self, row: int) -> None:
        absent = self._cell(row, _PRESENT).checkState() != Qt.CheckState.Checked
        self._cell(row, _PRESENT).setText("" if not absent else "缺岗")
        brush = QBrush(QColor("#fdecea")) if absent else QBrush()
        for col in range(self.columnCount()):
            self._cell(row, col).setBackground(brush)

    def _on_item(self, item: QTableWidgetItem) -> None:
        self.blockSignals(True)
        self._paint(item.row())
        self.blockSignals(False)
        self.changed.emit()
