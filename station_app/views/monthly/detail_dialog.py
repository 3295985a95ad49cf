"""The records behind one figure (drill-down), and a list of cross-check findings or figure changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.formatting import chinese_date, chinese_datetime


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return chinese_datetime(value)
    if isinstance(value, date):
        return chinese_date(value)
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def fill_table(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(_text(value)))
    table.resizeColumnsToContents()


class RowsDialog(QDialog):
    def __init__(self, title: str, note: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 520)
        lay = QVBoxLayout(self)
        label = QLabel(note, self)
        label.setWordWrap(True)
        lay.addWidget(label)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        fill_table(self.table, headers, rows)
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
