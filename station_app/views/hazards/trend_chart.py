"""The 动态清零 monthly trend: per month a 发现 and a 销号 bar, painted with QPainter; clicking a bar
emits the ledger filters of the records it counts."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from station_app.services.hazards.figures import Figure
from station_app.views.supervision.bar_chart import nice_max

FOUND_COLOR = QColor("#d9534f")
CLOSED_COLOR = QColor("#3c9a5f")
_AXIS = QColor("#666666")
_GRID = QColor("#e4e7eb")


@dataclass(frozen=True)
class TrendPoint:
    label: str  # "3月" or "2025年1月"
    found: Figure
    closed: Figure


class TrendChart(QWidget):
    barClicked = Signal(dict)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.points: list[TrendPoint] = []
        self._bars: list[tuple[QRectF, Figure]] = []
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def set_points(self, points: list[TrendPoint]) -> None:
        self.points = list(points)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, 220)

    def bar_rect(self, index: int, closed: bool) -> QRectF:
        """Where a bar was drawn last (tests click there)."""
        return self._bars[index * 2 + int(closed)][0]

    def _hit(self, pos: QPointF) -> Figure | None:
        for rect, fig in self._bars:
            # a short bar is still easy to hit: the whole column above the axis counts
            hit = QRectF(rect.left(), min(rect.top(), rect.bottom() - 12), rect.width(), max(rect.height(), 12))
            if hit.contains(pos):
                return fig
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        fig = self._hit(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if fig is not None else Qt.CursorShape.ArrowCursor)
        self.setToolTip(f"{fig.value} 条，点击查看清单" if fig is not None else "")
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        fig = self._hit(event.position())
        if fig is not None and event.button() == Qt.MouseButton.LeftButton:
            self.barClicked.emit(dict(fig.filters))
            return
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        fm = QFontMetrics(self.font())
        line = fm.height()
        left, right, top, bottom = fm.horizontalAdvance("00000") + 12, 10, line * 2 + 10, line + 10
        plot = QRectF(left, top, max(self.width() - left - right, 10), max(self.height() - top - bottom, 10))
        p.setPen(QColor("#222222"))
        bold = p.font()
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(QRectF(left, 2, plot.width(), line), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        x = left + QFontMetrics(bold).horizontalAdvance(self.title) + 20
        for color, text in ((FOUND_COLOR, "发现"), (CLOSED_COLOR, "销号")):
            p.fillRect(QRectF(x, 2 + 3, 12, line - 6), color)
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(x + 16, 2, fm.horizontalAdvance(text) + 4, line), Qt.AlignmentFlag.AlignVCenter, text)
            x += 16 + fm.horizontalAdvance(text) + 16
        self._bars = []
        if not self.points:
            p.setPen(_AXIS)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "没有数据")
            p.end()
            return
        top_value = nice_max(max(max(pt.found.value, pt.closed.value) for pt in self.points))
        for i in range(6):  # the top is 1, 2 or 5 × 10ⁿ (≥ 5): fifths are whole numbers
            y = plot.bottom() - plot.height() * i / 5
            p.setPen(QPen(_GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(_AXIS)
            p.drawText(QRectF(0, y - line / 2, left - 6, line),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{top_value * i // 5}")
        slot = plot.width() / len(self.points)
        bar = max(min(slot * 0.34, 26.0), 2.0)
        for i, pt in enumerate(self.points):
            x0 = plot.left() + slot * i + slot / 2
            for k, (fig, color) in enumerate(((pt.found, FOUND_COLOR), (pt.closed, CLOSED_COLOR))):
                h = plot.height() * fig.value / top_value
                rect = QRectF(x0 - bar - 1 if k == 0 else x0 + 1, plot.bottom() - h, bar, h)
                p.fillRect(rect, color)
                self._bars.append((rect, fig))
                if fig.value and fm.horizontalAdvance(str(fig.value)) <= bar + 2:  # only labels that fit their own bar
                    p.setPen(QColor("#333333"))
                    p.drawText(QRectF(rect.center().x() - 24, rect.top() - line - 1, 48, line),
                               Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, str(fig.value))
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(x0 - slot / 2, plot.bottom() + 4, slot, line), Qt.AlignmentFlag.AlignHCenter,
                       fm.elidedText(pt.label, Qt.TextElideMode.ElideRight, int(slot)))
        p.setPen(QPen(_AXIS, 1))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        p.end()
