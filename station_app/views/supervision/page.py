"""网格与分工 area: one page of tabs. Each tab loads on its first show and refreshes on the change bus;
long queries go through the page's task runner."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from station_app.views.app_context import AppContext
from station_app.views.supervision.blind_spots_tab import BlindSpotsTab
from station_app.views.supervision.coverage_tab import CoverageTab
from station_app.views.supervision.draw_tab import DrawTab
from station_app.views.supervision.grids_tab import GridsTab
from station_app.views.supervision.portraits_tab import PortraitsTab
from station_app.views.supervision.reassign_tab import ReassignTab
from station_app.views.supervision.teams_tab import TeamsTab
from station_app.views.supervision.workload_tab import WorkloadTab
from station_app.views.tasks import TaskRunner


class SupervisionPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner or TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
        self.grids = GridsTab(ctx, self.runner)
        self.teams = TeamsTab(ctx, self.runner)
        self.reassign = ReassignTab(ctx, self.runner)
        self.blind_spots = BlindSpotsTab(ctx, self.runner)
        self.workload = WorkloadTab(ctx, self.runner)
        self.coverage = CoverageTab(ctx, self.runner)
        self.draws = DrawTab(ctx, self.runner)
        self.portraits = PortraitsTab(ctx, self.runner)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        for tab, title in ((self.grids, "网格"), (self.teams, "项目分工"), (self.reassign, "批量调整"),
                           (self.blind_spots, "监管盲区"), (self.workload, "工作量"), (self.coverage, "全覆盖排查"),
                           (self.draws, "双随机抽查"), (self.portraits, "数据画像")):
            self.tabs.addTab(tab, title)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.tabs)

    def show_tab(self, tab: QWidget) -> None:
        self.tabs.setCurrentWidget(tab)
