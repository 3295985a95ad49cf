"""隐患台账 area: the ledger, 督办, 动态清零, 多发隐患 and 精准拆弹 tabs.

The tabs other than the ledger are built by their own modules; a figure or row there calls
``open_ledger(filters)``, which switches to the ledger showing exactly those hazards. A tab whose
module is not installed is left out (the ledger never depends on them).
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from station_app.views.app_context import AppContext
from station_app.views.hazards.ledger_tab import LedgerTab

log = logging.getLogger(__name__)

#: (tab title, module, class, whether it takes ``open_ledger``)
OTHER_TABS: tuple[tuple[str, str, str, bool], ...] = (
    ("督办", "station_app.views.hazards.escalation_tab", "EscalationTab", True),
    ("动态清零", "station_app.views.hazards.dashboard_tab", "DashboardTab", True),
    ("多发隐患", "station_app.views.hazards.recurring_tab", "RecurringTab", True),
    ("精准拆弹", "station_app.views.hazards.reviews_tab", "ReviewsTab", False),
    ("判定条款待复核", "station_app.views.hazards.criteria_review_tab", "CriteriaReviewTab", False),
)


class HazardsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget(self)
        self.ledger = LedgerTab(ctx, self)
        self.tabs.addTab(self.ledger, "隐患台账")
        self.extra: dict[str, QWidget] = {}
        for title, module_name, class_name, takes_ledger in OTHER_TABS:
            try:
                cls: Any = getattr(importlib.import_module(module_name), class_name)
                tab = cls(ctx, self.open_ledger) if takes_ledger else cls(ctx)
            except (ImportError, AttributeError) as err:
                log.info("hazard tab %s not available: %s", title, err)
                continue
            self.extra[title] = tab
            self.tabs.addTab(tab, title)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)

    def open_ledger(self, filters: dict[str, Any]) -> None:
        """Switch to the ledger showing the hazards of ``filters`` (hazard_list filter names)."""
        self.tabs.setCurrentWidget(self.ledger)
        self.ledger.apply_filters(filters)
