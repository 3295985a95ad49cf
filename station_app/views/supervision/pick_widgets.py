"""Choosing several values: a checkable list (a dialog's 第二监督员) and a compact drop-down of
checkboxes for filter bars (网格, 乡镇, 状态 …) whose button text sums up the choice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetAction,
)

_VALUE_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class CheckList(QListWidget):
    """Items (label, value) with a checkbox each; ``values()`` are the checked values in list order."""

    changed = Signal()

    def __init__(self, items: Iterable[tuple[str, Any]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.itemChanged.connect(lambda _item: self.changed.emit())
        self.set_items(items)

    def set_items(self, items: Iterable[tuple[str, Any]], checked: Sequence[Any] | None = None) -> None:
        keep = list(checked) if checked is not None else self.values()
        self.blockSignals(True)
        self.clear()
        for label, value in items:
            item = QListWidgetItem(label, self)
            item.setData(_VALUE_ROLE, value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in keep else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.changed.emit()

    def values(self) -> list[Any]:
        out = []
        for row in range(self.count()):
            item = self.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(_VALUE_ROLE))
        return out

    def labels(self) -> list[str]:
        return [self.item(r).text() for r in range(self.count())
                if self.item(r).checkState() == Qt.CheckState.Checked]

    def set_values(self, values: Iterable[Any]) -> None:
        wanted = list(values)
        self.blockSignals(True)
        for row in range(self.count()):
            item = self.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.data(_VALUE_ROLE) in wanted
                               else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.changed.emit()

    def set_checked(self, value: Any, on: bool = True) -> None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(_VALUE_ROLE) == value:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


class MultiPick(QToolButton):
    """A button that drops down a CheckList. Nothing checked reads ``blank`` (e.g. "全部网格")."""

    changed = Signal()

    def __init__(self, blank: str, items: Iterable[tuple[str, Any]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._blank = blank
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setMinimumWidth(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.list = CheckList(items)
        self.list.setMinimumWidth(200)
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.list)
        menu.addAction(action)
        self.setMenu(menu)
        self.list.changed.connect(self._changed)
        self._summarise()

    def _changed(self) -> None:
        self._summarise()
        self.changed.emit()

    def _summarise(self) -> None:
        labels = self.list.labels()
        if not labels:
            text = self._blank
        elif len(labels) <= 2:
            text = "、".join(labels)
        else:
            text = f"{labels[0]}等{len(labels)}项"
        self.setText(text)
        self.setToolTip("、".join(labels) if labels else self._blank)
        rows = min(max(self.list.count(), 1), 12)
        self.list.setFixedHeight(rows * (self.list.sizeHintForRow(0) if self.list.count() else 20) + 6)

    def set_items(self, items: Iterable[tuple[str, Any]], checked: Sequence[Any] | None = None) -> None:
        self.list.set_items(items, checked)
        self._summarise()

    def values(self) -> list[Any]:
        return self.list.values()

    def set_values(self, values: Iterable[Any]) -> None:
        self.list.set_values(values)
