"""After a year's holidays are saved: every 暂定 date that was recomputed, with its old and new day."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.services.calendar_years import SaveResult
from station_app.services.deadlines import deadline_text

HEADERS = ("记录", "原期限", "新期限")


class MovedDialog(QDialog):
    def __init__(self, result: SaveResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{result.year}年法定节假日安排已保存")
        self.resize(760, 420)
        lay = QVBoxLayout(self)
        moved = result.moved
        changed = sum(m.new_day != m.old_day for m in moved)
        still = sum(m.still_provisional for m in moved)
        text = (f"已重新计算涉及{result.year}年的暂定期限 {len(moved)} 项：{changed} 项日期改变，"
                f"{len(moved) - changed} 项日期不变、只去掉“暂定”。") if moved else "没有需要重新计算的暂定期限。"
        if still:
            text += f"其中 {still} 项还涉及尚未录入的年份，仍为暂定。"
        self.summary = QLabel(text, self)
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = QTableWidget(len(moved), len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        for row, m in enumerate(moved):
            cells = (m.record, deadline_text(m.old_day, True), deadline_text(m.new_day, m.still_provisional))
            for col, value in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setVisible(bool(moved))
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def rows(self) -> list[tuple[str, ...]]:
        """The table as shown (for tests and a glance in the log)."""
        def text(r: int, c: int) -> str:
            item = self.table.item(r, c)
            return item.text() if item is not None else ""

        return [tuple(text(r, c) for c in range(len(HEADERS))) for r in range(self.table.rowCount())]
