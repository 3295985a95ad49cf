"""A year at a glance: twelve month grids that colour days off, weekend days worked (调休) and weekends.

The holiday dialog feeds it what the admin has typed so far; a mistyped range shows at once as a
block of colour in the wrong place. Statutory holiday days are printed bold.
"""

from __future__ import annotations

import calendar as _stdcal
from datetime import date

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolTip, QWidget

from station_app.formatting import chinese_date

REST, WORKED, WEEKEND, WORKDAY = "rest", "worked", "weekend", "workday"
#: kind → (background, label in the legend)
KINDS: dict[str, tuple[str, str]] = {
    REST: ("#f6b3b3", "放假"),
    WORKED: ("#a9cdf7", "调休上班（周末上班）"),
    WEEKEND: ("#e4e7eb", "普通周末"),
    WORKDAY: ("#ffffff", "工作日"),
}
_COLUMNS, _ROWS = 3, 4
_CELL_W, _CELL_H = 22, 18
_TITLE_H, _HEAD_H, _GAP = 20, 16, 14
_MONTH_W = 7 * _CELL_W
_MONTH_H = _TITLE_H + _HEAD_H + 6 * _CELL_H


class MonthGrid(QWidget):
    """``set_days`` then read ``day_kind`` / ``day_rect`` (tests sample the painted colour there)."""

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = year
        self.rest: frozenset[date] = frozenset()
        self.worked: frozenset[date] = frozenset()
        self.statutory: frozenset[date] = frozenset()
        self.setMinimumSize(self.sizeHint())
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def sizeHint(self) -> QSize:
        return QSize(_COLUMNS * _MONTH_W + (_COLUMNS - 1) * _GAP + 2, _ROWS * _MONTH_H + (_ROWS - 1) * _GAP // 2 + 2)

    def set_days(self, year: int, rest: set[date], worked: set[date], statutory: set[date]) -> None:
        self.year = year
        self.rest, self.worked, self.statutory = frozenset(rest), frozenset(worked), frozenset(statutory)
        self.update()

    def day_kind(self, day: date) -> str:
        if day in self.worked:
            return WORKED
        if day in self.rest:
            return REST
        return WEEKEND if day.weekday() >= 5 else WORKDAY

    def color_of(self, day: date) -> QColor:
        return QColor(KINDS[self.day_kind(day)][0])

    # -------------------------------------------------------------- geometry

    def _origin(self, month: int) -> QPoint:
        col, row = (month - 1) % _COLUMNS, (month - 1) // _COLUMNS
        return QPoint(1 + col * (_MONTH_W + _GAP), 1 + row * (_MONTH_H + _GAP // 2))

    def day_rect(self, day: date) -> QRect:
        origin = self._origin(day.month)
        first_weekday = date(day.year, day.month, 1).weekday()
        index = first_weekday + day.day - 1
        return QRect(origin.x() + (index % 7) * _CELL_W, origin.y() + _TITLE_H + _HEAD_H + (index // 7) * _CELL_H,
                     _CELL_W, _CELL_H)

    def day_at(self, point: QPoint) -> date | None:
        for month in range(1, 13):
            for d in range(1, _stdcal.monthrange(self.year, month)[1] + 1):
                day = date(self.year, month, d)
                if self.day_rect(day).contains(point):
                    return day
        return None

    # -------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().window())
        base = QFont(self.font())
        base.setPointSizeF(max(base.pointSizeF() * 0.85, 7.0))
        bold = QFont(base)
        bold.setBold(True)
        grid_pen = QPen(QColor("#d0d7de"))
        for month in range(1, 13):
            origin = self._origin(month)
            p.setFont(bold)
            p.setPen(QColor("#333"))
            p.drawText(QRect(origin.x(), origin.y(), _MONTH_W, _TITLE_H), Qt.AlignmentFlag.AlignCenter,
                       f"{self.year}年{month}月")
            p.setFont(base)
            p.setPen(QColor("#777"))
            for i, name in enumerate("一二三四五六日"):
                p.drawText(QRect(origin.x() + i * _CELL_W, origin.y() + _TITLE_H, _CELL_W, _HEAD_H),
                           Qt.AlignmentFlag.AlignCenter, name)
            for d in range(1, _stdcal.monthrange(self.year, month)[1] + 1):
                day = date(self.year, month, d)
                rect = self.day_rect(day)
                p.fillRect(rect, self.color_of(day))
                p.setPen(grid_pen)
                p.drawRect(rect.adjusted(0, 0, -1, -1))
                p.setFont(bold if day in self.statutory else base)
                p.setPen(QColor("#8a1c1c") if day in self.statutory else QColor("#222"))
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(d))
        p.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = self.day_at(event.pos())
            if day is None:
                QToolTip.hideText()
            else:
                extra = "，法定节假日" if day in self.statutory else ""
                QToolTip.showText(event.globalPos(), f"{chinese_date(day)}：{KINDS[self.day_kind(day)][1]}{extra}", self)
            return True
        return super().event(event)


def legend(parent: QWidget | None = None) -> QWidget:
    """The colour swatches with their meaning, and what bold means."""
    box = QWidget(parent)
    lay = QHBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(6)
    for color, text in KINDS.values():
        swatch = QLabel(box)
        swatch.setFixedSize(14, 14)
        swatch.setStyleSheet(f"background: {color}; border: 1px solid #b0b7c0;")
        lay.addWidget(swatch)
        lay.addWidget(QLabel(text, box))
        lay.addSpacing(6)
    note = QLabel("粗体红字：法定节假日", box)
    note.setStyleSheet("color: #8a1c1c;")
    lay.addWidget(note)
    lay.addStretch(1)
    return box
