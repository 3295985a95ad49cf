"""A date field clerks type into ("20261123", "2026-11-23", "2026/11/23", "2026年11月23日") that may be empty.

Whatever was typed, the field then reads in the Chinese form (2026年11月23日), like every date on screen.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyle, QVBoxLayout, QWidget

from station_app import clock
from station_app.formatting import chinese_date

_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(text: str) -> date | None:
    """'' → None; a typed date → date; anything else raises ValueError (message for the clerk)."""
    s = text.strip().translate(str.maketrans("０１２３４５６７８９－／．", "0123456789-/."))
    if not s:
        return None
    m = _SEPARATED.match(s) or _COMPACT.match(s)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise ValueError(f"“{text.strip()}”不是有效日期（例：2026-11-23 或 20261123）")


class DateEdit(QLineEdit):
    """A typed date or nothing (未填). The calendar button (or F4 / Alt+↓) opens a picker.

    ``value()`` raises ValueError while the text is not a date; ``is_valid()`` says so without raising.
    """

    value_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("未填（如 20261123）")
        self.setMaxLength(20)
        self._popup: QCalendarWidget | None = None
        self._popup_window: QWidget | None = None
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
        action = QAction(icon, "选择日期", self)
        action.triggered.connect(self.show_calendar)
        self.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
        self.editingFinished.connect(self._normalize)
        self.textChanged.connect(self._on_text)
        # the longest Chinese date whole, plus the calendar button
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("2026年12月31日") + 40)

    # -------------------------------------------------------------- value

    def value(self) -> date | None:
        return parse_date(self.text())

    def set_value(self, value: date | None) -> None:
        self.setText(chinese_date(value) if value else "")

    def is_valid(self) -> bool:
        try:
            parse_date(self.text())
        except ValueError:
            return False
        return True

    def _on_text(self, _text: str) -> None:
        ok = self.is_valid()
        self.setStyleSheet("" if ok else "QLineEdit { background: #fff0f0; }")
        self.setToolTip("" if ok else "日期格式无效，请按 2026-11-23 或 20261123 填写")
        self.value_changed.emit()

    def _normalize(self) -> None:
        try:
            value = parse_date(self.text())
        except ValueError:
            return
        text = chinese_date(value) if value else ""
        if text != self.text():
            self.setText(text)

    # -------------------------------------------------------------- calendar

    def show_calendar(self) -> None:
        if self._popup is None:
            popup = QWidget(self, Qt.WindowType.Popup)
            layout = QVBoxLayout(popup)
            layout.setContentsMargins(0, 0, 0, 0)
            calendar = QCalendarWidget(popup)
            calendar.setGridVisible(True)
            calendar.activated.connect(self._picked)
            calendar.clicked.connect(self._picked)
            layout.addWidget(calendar)
            self._popup, self._popup_window = calendar, popup
        current = self.value() if self.is_valid() else None
        self._popup.setSelectedDate(QDate(current) if current else QDate(clock.today()))
        assert self._popup_window is not None
        self._popup_window.move(self.mapToGlobal(self.rect().bottomLeft()))
        self._popup_window.show()
        self._popup.setFocus()

    def _picked(self, qdate: QDate) -> None:
        self.set_value(qdate.toPython())  # type: ignore[arg-type]
        if self._popup_window is not None:
            self._popup_window.hide()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F4 or (
                event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.show_calendar()
            return
        super().keyPressEvent(event)
