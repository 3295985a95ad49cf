"""A small grouped bar chart drawn with QPainter (QtCharts is not shipped): per supervisor, the
number of inspections (left axis) and the coverage of assigned projects (right axis, 0–100 %)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

COUNT_COLOR = QColor("#3b78c2")
RATE_COLOR = QColor("#e08a2c")
_AXIS = QColor("#666666")
_GRID = QColor("#e4e7eb")


@dataclass(frozen=True)
class BarGroup:
    label: str
    count: int
    #: 0–1, None when there is nothing to cover
    rate: Decimal | None


def nice_max(value: int) -> int:
    """The axis top: 1, 2, 5 × 10ⁿ at or above ``value`` (at least 5)."""
    if value <= 5:
        return 5
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp


class BarChart(QWidget):
    def __init__(self, count_label: str = "检查次数", rate_label: str = "分工项目覆盖率",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count_label, self.rate_label = count_label, rate_label
        self.groups: list[BarGroup] = []
        self.empty_text = "所选期间没有数据"
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAutoFillBackground(True)

    def set_groups(self, groups: list[BarGroup]) -> None:
        self.groups = list(groups)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, 240)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        fm = QFontMetrics(self.font())
        line = fm.height()
        left, right, top, bottom = fm.horizontalAdvance("0000") + 14, fm.horizontalAdvance("100%") + 14, line * 2 + 8, \
            line + 12
        plot = QRectF(left, top, max(self.width() - left - right, 10), max(self.height() - top - bottom, 10))
        self._legend(p, fm, plot)
        if not self.groups:
            p.setPen(_AXIS)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        top_count = nice_max(max(g.count for g in self.groups))
        # grid lines and both axes' ticks
        for i in range(6):
            y = plot.bottom() - plot.height() * i / 5
            p.setPen(QPen(_GRID, 1))
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            p.setPen(_AXIS)
            p.drawText(QRectF(0, y - line / 2, left - 6, line), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{top_count * i / 5:g}")
            p.drawText(QRectF(plot.right() + 6, y - line / 2, right - 6, line),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{20 * i}%")
        p.setPen(QPen(_AXIS, 1))
        p.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom()))
        slot = plot.width() / len(self.groups)
        bar = max(min(slot * 0.32, 36.0), 2.0)
        for i, g in enumerate(self.groups):
            x0 = plot.left() + slot * i + slot / 2
            h1 = plot.height() * g.count / top_count
            self._bar(p, fm, QRectF(x0 - bar - 1, plot.bottom() - h1, bar, h1), COUNT_COLOR, str(g.count))
            if g.rate is not None:
                h2 = plot.height() * float(g.rate)
                self._bar(p, fm, QRectF(x0 + 1, plot.bottom() - h2, bar, h2), RATE_COLOR,
                          f"{float(g.rate) * 100:.0f}%")
            else:
                p.setPen(_AXIS)
                p.drawText(QRectF(x0 + 1, plot.bottom() - line - 2, bar + 20, line),
                           Qt.AlignmentFlag.AlignLeft, "—")
            p.setPen(QColor("#333333"))
            name = fm.elidedText(g.label, Qt.TextElideMode.ElideRight, int(slot) - 4)
            p.drawText(QRectF(x0 - slot / 2, plot.bottom() + 4, slot, line), Qt.AlignmentFlag.AlignHCenter, name)
        p.end()

    def _bar(self, p: QPainter, fm: QFontMetrics, rect: QRectF, color: QColor, text: str) -> None:
        p.fillRect(rect, color)
        if fm.horizontalAdvance(text) <= rect.width() + 24:
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(rect.center().x() - 30, rect.top() - fm.height() - 1, 60, fm.height()),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)

    def _legend(self, p: QPainter, fm: QFontMetrics, plot: QRectF) -> None:
        x = plot.left()
        y = 4.0
        for color, text in ((COUNT_COLOR, f"{self.count_label}（左轴）"), (RATE_COLOR, f"{self.rate_label}（右轴）")):
            p.fillRect(QRectF(x, y + 3, 12, fm.height() - 6), color)
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(x + 16, y, fm.horizontalAdvance(text) + 4, fm.height()),
                       Qt.AlignmentFlag.AlignVCenter, text)
            x += 16 + fm.horizontalAdvance(text) + 24
