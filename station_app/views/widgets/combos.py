"""A combo box of (label, value) pairs: filters ("全部状态" → None) and enum fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget


class ValueCombo(QComboBox):
    """Items carry a value; ``value()`` / ``set_value()`` work on values, not on indexes or labels."""

    value_changed = Signal(object)

    def __init__(self, items: Iterable[tuple[str, Any]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_items(items)
        self.currentIndexChanged.connect(lambda _i: self.value_changed.emit(self.value()))

    def set_items(self, items: Iterable[tuple[str, Any]], keep: bool = True) -> None:
        """Replace the items, keeping the current value when it is still offered."""
        current = self.value() if keep and self.count() else None
        self.blockSignals(True)
        self.clear()
        for label, value in items:
            self.addItem(label, value)
        index = self.findData(current) if current is not None else -1
        self.setCurrentIndex(max(index, 0) if self.count() else -1)
        self.blockSignals(False)
        if self.value() != current:
            self.value_changed.emit(self.value())

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        index = self.findData(value)
        if index < 0 and isinstance(value, str) and value:
            self.addItem(value, value)  # a stored value no longer offered: show it rather than lose it
            index = self.count() - 1
        self.setCurrentIndex(max(index, 0))


def choices(values: Iterable[str], *, blank: str | None = None) -> list[tuple[str, Any]]:
    """[(v, v) …], optionally led by (blank, None) — e.g. choices(statuses, blank="全部状态")."""
    head: list[tuple[str, Any]] = [(blank, None)] if blank is not None else []
    return head + [(v, v) for v in values]
