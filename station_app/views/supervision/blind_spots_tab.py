"""监管盲区 tab: projects in supervision that nobody effectively supervises — no grid, no 主监督员 or
第二监督员, a disabled account, or overdue for inspection — with counts per reason and a reason
filter; double-click opens the project's 安排监督员 dialog."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station_app.errors import StationError
from station_app.services.supervision.blind_spots import BlindSpot, BlindSpotReason, list_blind_spots
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.supervision.common import RowsModel, SupervisionTab, hint_label, make_table
from station_app.views.supervision.team_dialog import TeamDialog
from station_app.views.tasks import TaskRunner
from station_app.views.widgets import ValueCombo, choices

HEADERS = ("工程名称", "状态", "乡镇/片区", "网格", "监督员", "最近检查", "要求间隔（天）", "超期（天）", "盲区原因")


class BlindSpotsTab(SupervisionTab):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.spots: list[BlindSpot] = []
        self.counts: dict[str, int] = {}
        self.dialog: TeamDialog | None = None
        self.reason_filter = ValueCombo(choices([r.value for r in BlindSpotReason], blank="全部原因"), self)
        self.grid_filter = ValueCombo([("全部网格", None)], self)
        self.refresh_button = QPushButton("刷新", self)
        self.counts_label = QLabel(self)
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.setWordWrap(True)
        self.count_label = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("原因：", self))
        bar.addWidget(self.reason_filter)
        bar.addWidget(self.grid_filter)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        self.model = RowsModel(HEADERS, numeric=(6, 7), parent=self)
        self.table = make_table(self.model, (240, 60, 90, 90, 150, 90, 100, 70))
        bottom = QHBoxLayout()
        bottom.addWidget(hint_label("双击项目可安排监督员。一个项目可能同时属于几种盲区；"
                                    "超期按项目的监督检查频次（计划或默认）计算。", self), 1)
        bottom.addWidget(self.count_label)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addLayout(bar)
        lay.addWidget(self.counts_label)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        self.reason_filter.value_changed.connect(lambda _v: self._show())
        self.grid_filter.value_changed.connect(lambda _v: self._show())
        self.refresh_button.clicked.connect(self.reload)
        self.counts_label.linkActivated.connect(self.reason_filter.set_value)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)

    def reload(self) -> None:
        db = self.ctx.db

        def job(progress: object, cancelled: object) -> list[BlindSpot]:
            with db.read() as s:
                return list_blind_spots(s)

        self.count_label.setText("正在计算…")
        self.run_job("spots", job, "计算监管盲区", self._loaded)

    def _loaded(self, spots: list[BlindSpot]) -> None:
        self.spots = spots
        counter = Counter(r for s in spots for r in s.reasons)
        self.counts = {r.value: counter.get(r.value, 0) for r in BlindSpotReason}
        parts = [f'<a href="{r}">{r}</a> <b>{n}</b>' if n else f'<span style="color:#888">{r} 0</span>'
                 for r, n in self.counts.items()]
        self.counts_label.setText(f"盲区项目 <b>{len(spots)}</b> 个　按原因：" + "　".join(parts))
        grids: dict[Any, str] = {}
        for s in spots:
            grids.setdefault(s.grid_id if s.grid_id is not None else -1, s.grid_name or "未划分网格")
        self.grid_filter.set_items([("全部网格", None), *sorted(((n, g) for g, n in grids.items()),
                                                                key=lambda x: (x[1] == -1, x[0]))])
        self._show()

    def visible_spots(self) -> list[BlindSpot]:
        reason, grid = self.reason_filter.value(), self.grid_filter.value()
        out = self.spots
        if reason:
            out = [s for s in out if reason in s.reasons]
        if grid is not None:
            out = [s for s in out if (s.grid_id if s.grid_id is not None else -1) == grid]
        return out

    def _show(self) -> None:
        spots = self.visible_spots()
        self.model.set_rows(
            [(s.project_name, s.status, s.town, s.grid_name, s.team, s.last_inspected_on or "从未检查",
              s.required_interval_days, s.overdue_days, "、".join(s.reasons)) for s in spots],
            [s.project_id for s in spots],
            keys=[(s.project_name, s.status, s.town, s.grid_name, s.team, s.last_inspected_on,
                   s.required_interval_days, s.overdue_days, "、".join(s.reasons)) for s in spots])
        self.count_label.setText(f"显示 {len(spots)} 个，共 {len(self.spots)} 个盲区项目")

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_team(self.model.row_id(index.row()))

    def open_team(self, project_id: int) -> TeamDialog | None:
        try:
            dialog = TeamDialog(self.ctx, project_id, self)
        except StationError as err:
            messages.warn(self, str(err))
            self.reload()
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog
