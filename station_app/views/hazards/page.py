"""隐患台账 area: the ledger, 督办, 动态清零, 多发隐患 and 精准拆弹 tabs.

The tabs other than the ledger are built by their own modules; a figure or row there calls
``open_ledger(filters)``, which switches to the ledger showing exactly those hazards.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from station_app.views.app_context import AppContext
from station_app.views.hazards.criteria_review_tab import CriteriaReviewTab
from station_app.views.hazards.dashboard_tab import DashboardTab
from station_app.views.hazards.escalation_tab import EscalationTab
from station_app.views.hazards.ledger_tab import LedgerTab
from station_app.views.hazards.recurring_tab import RecurringTab
from station_app.views.hazards.reviews_tab import ReviewsTab


class HazardsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget(self)
        self.ledger = LedgerTab(ctx, self)
        self.tabs.addTab(self.ledger, "隐患台账")
        self.extra: dict[str, QWidget] = {}
        tabs: tuple[tuple[str, QWidget], ...] = (
            ("督办", EscalationTab(ctx, self.open_ledger)),
            ("动态清零", DashboardTab(ctx, self.open_ledger)),
            ("多发隐患", RecurringTab(ctx, self.open_ledger)),
            ("精准拆弹", ReviewsTab(ctx)),
            ("判定条款待复核", CriteriaReviewTab(ctx)),
        )
        for title, tab in tabs:
            self.extra[title] = tab
            self.tabs.addTab(tab, title)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)

    def open_ledger(self, filters: dict[str, Any]) -> None:
        """Switch to the ledger showing the hazards of ``filters`` (hazard_list filter names)."""
        self.tabs.setCurrentWidget(self.ledger)
        self.ledger.apply_filters(filters)
