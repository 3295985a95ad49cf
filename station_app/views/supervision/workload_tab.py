"""工作量 tab: per supervisor and per grid — projects, 在建 area and cost, inspections this month and
year, open hazards ("—" until the hazard ledger exists) — on a chosen day (today)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from station_app.formatting import chinese_date, format_area
from station_app.services.supervision.workload import (
    GridLoad,
    SupervisorLoad,
    grid_workload,
    supervisor_workload,
)
from station_app.views.app_context import AppContext
from station_app.views.supervision.common import (
    MUTED,
    RowsModel,
    SupervisionTab,
    fmt_optional,
    fmt_wan,
    hint_label,
    make_table,
    title_label,
)
from station_app.views.tasks import TaskRunner

SUPERVISOR_HEADERS = ("监督员", "主监督项目", "第二监督项目", "在监项目合计", "其中在建", "在建面积（m²）",
                      "在建造价（万元）", "本月检查", "本年检查", "未整改隐患")
GRID_HEADERS = ("网格", "网格长", "在监项目", "其中在建", "在建面积（m²）", "在建造价（万元）", "监督员人数",
                "本月检查", "本年检查", "未整改隐患")


@dataclass(frozen=True)
class Workload:
    on: date
    supervisors: list[SupervisorLoad]
    grids: list[GridLoad]


class WorkloadTab(SupervisionTab):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.data: Workload | None = None
        bar = self.report_bar("统计")
        self.supervisor_model = RowsModel(SUPERVISOR_HEADERS, numeric=range(1, 10), parent=self)
        self.supervisor_table = make_table(self.supervisor_model, (110, 85, 95, 95, 70, 110, 115, 70, 70, 80),
                                           stretch_last=False)
        self.grid_model = RowsModel(GRID_HEADERS, numeric=range(2, 10), parent=self)
        self.grid_table = make_table(self.grid_model, (110, 90, 75, 70, 110, 115, 85, 70, 70, 80), stretch_last=False)
        upper, lower = QWidget(self), QWidget(self)
        for box, title, table in ((upper, "按监督员", self.supervisor_table), (lower, "按网格", self.grid_table)):
            box_lay = QVBoxLayout(box)
            box_lay.setContentsMargins(0, 4, 0, 0)
            box_lay.addWidget(title_label(title, box))
            box_lay.addWidget(table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addLayout(bar)
        lay.addWidget(splitter, 1)
        lay.addWidget(hint_label("项目数按统计日期在岗的监督安排计；检查次数为当月、当年截至统计日期参加的检查；"
                                 "“未整改隐患”为统计时未销号的隐患（逾期与否都计），详见“隐患台账”。", self))

    def reload(self) -> None:
        on = self.report_day(self.day)
        if on is None:
            return
        db = self.ctx.db

        def job(progress: object, cancelled: object) -> Workload:
            with db.read() as s:
                return Workload(on, supervisor_workload(s, on), grid_workload(s, on))

        self.status.setText("正在统计…")
        self.run_job("workload", job, "统计工作量", self._loaded)

    def _loaded(self, data: Workload) -> None:
        self.data = data
        sups = data.supervisors
        self.supervisor_model.set_rows(
            [(s.name + ("（已停用）" if not s.active else ""), s.principal_projects, s.second_projects, s.projects,
              s.under_construction_projects, format_area(s.under_construction_area),
              fmt_wan(s.under_construction_cost_fen), s.inspections_month, s.inspections_year,
              fmt_optional(s.open_hazards)) for s in sups],
            [s.user_id for s in sups],
            keys=[(s.name, s.principal_projects, s.second_projects, s.projects, s.under_construction_projects,
                   s.under_construction_area, s.under_construction_cost_fen, s.inspections_month,
                   s.inspections_year, s.open_hazards) for s in sups],
            styles=[MUTED if not s.active else "" for s in sups])
        grids = data.grids
        self.grid_model.set_rows(
            [(g.name, g.leader_name, g.projects, g.under_construction_projects, format_area(g.under_construction_area),
              fmt_wan(g.under_construction_cost_fen), g.supervisors, g.inspections_month, g.inspections_year,
              fmt_optional(g.open_hazards)) for g in grids],
            [g.grid_id if g.grid_id is not None else -1 for g in grids],
            keys=[(g.name, g.leader_name, g.projects, g.under_construction_projects, g.under_construction_area,
                   g.under_construction_cost_fen, g.supervisors, g.inspections_month, g.inspections_year,
                   g.open_hazards) for g in grids])
        self.status.setText(f"{chinese_date(data.on)}：监督员 {len(sups)} 人，网格 {len(grids)} 个")
