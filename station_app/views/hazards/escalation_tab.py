"""督办 tab: overdue hazards grouped by project, contractor, supervisor or grid with days overdue;
double-click a group to open its hazards in the ledger, or record a 督办 on all of them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from station_app import clock
from station_app.services.hazards.escalation import GROUPINGS, OverdueGroup, overdue_groups, urge_hazards
from station_app.services.hazards.ledger import HAZARD_LIST
from station_app.services.listing import ListQuery
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.hazards.figure_widgets import HazardTab, OpenLedger
from station_app.views.supervision.common import PROBLEM, RowsModel, hint_label, make_table, selected_row
from station_app.views.supervision.forms import SupervisionForm
from station_app.views.tasks import Job, TaskRunner
from station_app.views.widgets import DateEdit, ValueCombo

HEADERS = ("名称", "逾期隐患", "其中重大", "最长逾期（天）", "平均逾期（天）")
#: a group whose hazards are overdue this long on average (or with an overdue major one) is shown in red
LONG_OVERDUE_DAYS = 30


class UrgeDialog(SupervisionForm):
    """督办意见 for the overdue hazards of one group (an URGED event on each)."""

    entities = ("hazard",)

    def __init__(self, ctx: AppContext, group_label: str, filters: dict[str, Any], count: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, f"督办：{group_label}", ok_text="督办",
                         intro=f"对“{group_label}”的 {count} 条逾期隐患记录督办意见（记入每条隐患的处理记录）。",
                         allowed=ctx.can("hazard.urge"))
        self.filters = filters
        self.setMinimumWidth(460)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText("如：请于3日内完成整改并报送整改报告，逾期将依法处理。")
        self.comment.setFixedHeight(90)
        self.on = DateEdit()
        self.on.set_value(clock.today())
        self.add_field("督办意见", "督办意见", self.comment)
        self.add_field("督办日期", "督办日期", self.on)

    def build_job(self) -> Job | None:
        ok, on = self.read_date("督办日期", self.on)
        if not ok:
            return None
        db, actor, filters, comment = self.ctx.db, self.ctx.actor, dict(self.filters), self.comment.toPlainText()

        def job(progress: object, cancelled: object) -> int:
            with db.write() as s:
                ids = list(HAZARD_LIST.all_ids(s, ListQuery(filters=filters)))
                return urge_hazards(s, actor, ids, comment, on)

        return job


class EscalationTab(HazardTab):
    def __init__(self, ctx: AppContext, open_ledger: OpenLedger, parent: QWidget | None = None, *,
                 runner: TaskRunner | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.open_ledger = open_ledger
        self.groups: list[OverdueGroup] = []
        self.grouping = ValueCombo([(label, key) for key, (label, _, _) in GROUPINGS.items()], self)
        bar = self.report_bar(leading=(QLabel("分组：", self), self.grouping))
        self.model = RowsModel(HEADERS, numeric=range(1, 5), parent=self)
        self.table = make_table(self.model, (420, 90, 90, 110, 110), stretch_last=False)
        self.open_button = QPushButton("查看隐患清单", self)
        self.urge_button = QPushButton("督办…", self)
        self.urge_button.setEnabled(ctx.can("hazard.urge"))
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.urge_button)
        actions.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addLayout(actions)
        lay.addWidget(hint_label("逾期：未销号且整改期限早于统计日期；逾期天数 = 统计日期 − 整改期限。分组按隐患登记时的"
                                 f"项目、施工总包、监督员和网格；含逾期重大隐患或平均逾期超过{LONG_OVERDUE_DAYS}天的组标红。"
                                 "双击一行查看该组逾期隐患。", self))
        self.grouping.currentIndexChanged.connect(self.reload)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.open_button.clicked.connect(self._open_selected)
        self.urge_button.clicked.connect(self._urge)

    def reload(self) -> None:
        on = self.report_day(self.day)
        if on is None:
            return
        by, db = str(self.grouping.value()), self.ctx.db

        def job(progress: object, cancelled: object) -> list[OverdueGroup]:
            with db.read() as s:
                return overdue_groups(s, by, on)

        self.status.setText("正在统计…")
        self.run_job("overdue", job, "统计逾期隐患", self._loaded)

    def _loaded(self, groups: list[OverdueGroup]) -> None:
        self.groups = groups
        self.model.set_rows(
            [(g.label, g.overdue.value, g.major, g.max_days, f"{g.avg_days:.1f}") for g in groups],
            list(range(len(groups))),
            keys=[(g.label, g.overdue.value, g.major, g.max_days, g.avg_days) for g in groups],
            styles=[PROBLEM if g.major or g.avg_days > LONG_OVERDUE_DAYS else "" for g in groups])
        total = sum(g.overdue.value for g in groups)
        self.status.setText(f"逾期隐患 {total} 条，{len(groups)} 组" if groups else "没有逾期隐患")

    def group_at(self, row: int) -> OverdueGroup:
        return self.groups[self.model.row_id(row)]

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.open_ledger(dict(self.group_at(row).overdue.filters))

    def _selected(self) -> OverdueGroup | None:
        row = selected_row(self.table)
        if row is None:
            messages.info(self, "请先选择一组。")
            return None
        return self.group_at(row)

    def _open_selected(self) -> None:
        g = self._selected()
        if g is not None:
            self.open_ledger(dict(g.overdue.filters))

    def _urge(self) -> None:
        g = self._selected()
        if g is None:
            return
        dlg = UrgeDialog(self.ctx, g.label, g.overdue.filters, g.overdue.value, self)
        if dlg.exec():
            messages.info(self, f"已对 {dlg.result_value} 条逾期隐患记录督办意见。")
