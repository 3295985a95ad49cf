"""What the 督办 / 动态清零 / 多发隐患 / 精准拆弹 tabs share: a clickable figure card that opens the
ledger rows behind its number, and the tab base (refresh on hazard changes, queries off the UI thread)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from station_app.services.hazards.figures import Figure
from station_app.views.app_context import AppContext
from station_app.views.supervision.common import SupervisionTab
from station_app.views.tasks import TaskRunner

#: open the hazard ledger filtered by these ``ListQuery.filters``
OpenLedger = Callable[[dict[str, Any]], None]

#: bus entity types after which the hazard figures may have moved
HAZARD_ENTITIES = frozenset({"hazard", "hazard_listing", "contractor_review", "inspection", "project", "grid",
                             "supervision", "*"})

_STYLE = """
QPushButton#figureCard { border: 1px solid #d0d7de; border-radius: 6px; background: #fafbfc; text-align: left; }
QPushButton#figureCard:hover { border-color: #3b78c2; background: #f1f6fc; }
QPushButton#figureCard[alert="true"] { border-color: #d9534f; background: #fdf3f2; }
"""


class FigureCard(QPushButton):
    """A number with its caption; clicking it calls ``open_ledger`` with the figure's filters."""

    def __init__(self, title: str, open_ledger: OpenLedger | None, parent: QWidget | None = None, *,
                 alert_when_positive: bool = False, tip: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setStyleSheet(_STYLE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(112, 66)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.caption = title
        self.figure: Figure | None = None
        self._open = open_ledger
        self._alert = alert_when_positive
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 6, 12, 6)
        lay.setSpacing(0)
        self.value_label = QLabel("—", self)
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.value_label.setFont(font)
        self.title_label = QLabel(title, self)
        self.title_label.setStyleSheet("color: #555;")
        for label in (self.value_label, self.title_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            lay.addWidget(label)
        self.setToolTip(tip or f"点击查看{title}的隐患清单")
        self.clicked.connect(self._clicked)

    def set_figure(self, figure: Figure | None, text: str | None = None) -> None:
        """Show ``figure`` (``text`` overrides the number shown, e.g. a rate); None clears it."""
        self.figure = figure
        shown = text if text is not None else (str(figure.value) if figure is not None else "—")
        self.value_label.setText(shown)
        alert = bool(self._alert and figure is not None and figure.value > 0)
        self.setProperty("alert", "true" if alert else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        self.setEnabled(figure is not None and self._open is not None)

    def _clicked(self) -> None:
        if self.figure is not None and self._open is not None:
            self._open(dict(self.figure.filters))


class HazardTab(SupervisionTab):
    """A tab over the hazard ledger: loads on first show, refreshes on hazard changes."""

    refresh_on = HAZARD_ENTITIES

    def __init__(self, ctx: AppContext, runner: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        own = runner is None
        super().__init__(ctx, runner or TaskRunner(), parent)
        if own:  # the tab's own runner: progress dialogs over this tab, dropped with it
            self.runner.deleteLater()
            self.runner = TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
