"""A date-and-time field clerks type into: "2026-03-10 09:30", "20260310 0930", "2026年3月10日9时30分", "9:30".

Once typed it reads in the Chinese form, "2026年3月10日 09:30", like every date on screen.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from station_app import clock
from station_app.db.base import now
from station_app.formatting import chinese_datetime
from station_app.views.widgets import parse_date

_TIME = re.compile(r"^(\d{1,2})\s*(?:[:：时点]\s*(\d{1,2})\s*分?|(\d{2}))?$")
_SPLIT = re.compile(r"^(.*?[日\d])\s+(\S+)$|^(\d{8})(\d{4})$|^(.*?日)(\d.*)$")
_EXAMPLE = "例：2026-03-10 09:30 或 20260310 0930"


def _parse_time(text: str) -> time:
    m = _TIME.match(text.strip())
    if m:
        hour = int(m.group(1))
        minute = int(m.group(2) or m.group(3) or 0)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValueError(f"“{text.strip()}”不是有效时间（{_EXAMPLE}）")


def parse_datetime(text: str, today: date | None = None) -> datetime | None:
    """'' → None; a typed date and time → datetime; a time alone → today at that time; else ValueError."""
    s = text.strip().translate(str.maketrans("０１２３４５６７８９－／．：", "0123456789-/.:"))
    if not s:
        return None
    m = _SPLIT.match(s)
    if m:
        date_part, time_part = next((a, b) for a, b in zip(m.groups()[::2], m.groups()[1::2], strict=True) if a)
        try:
            day = parse_date(date_part)
        except ValueError:
            day = None
        if day is not None:
            try:
                return datetime.combine(day, _parse_time(time_part))
            except ValueError:
                pass
    elif len(s) <= 6 and _TIME.match(s):
        return datetime.combine(today or clock.today(), _parse_time(s))
    raise ValueError(f"“{text.strip()}”不是有效的检查时间（{_EXAMPLE}）")


class DateTimeEdit(QLineEdit):
    """``value()`` raises ValueError while the text is not a date and time (``is_valid()`` says so)."""

    value_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("如 2026-03-10 09:30")
        self.setMaxLength(24)
        self.setToolTip(f"可直接输入，{_EXAMPLE}；只输入 9:30 表示今天 9:30")
        self.editingFinished.connect(self._normalize)
        self.textChanged.connect(self._on_text)

    def value(self) -> datetime | None:
        return parse_datetime(self.text())

    def set_value(self, value: datetime | None) -> None:
        self.setText(chinese_datetime(value) if value else "")

    def set_now(self) -> None:
        self.set_value(now().replace(second=0))

    def is_valid(self) -> bool:
        try:
            parse_datetime(self.text())
        except ValueError:
            return False
        return True

    def _on_text(self, _text: str) -> None:
        self.setStyleSheet("" if self.is_valid() else "QLineEdit { background: #fff0f0; }")
        self.value_changed.emit()

    def _normalize(self) -> None:
        try:
            value = parse_datetime(self.text())
        except ValueError:
            return
        text = chinese_datetime(value) if value else ""
        if text != self.text():
            self.setText(text)
