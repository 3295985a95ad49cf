"""数据画像 tab (站长/管理员; a 监督员 sees only their own): for a period, each supervisor's inspections,
coverage of assigned projects, depth, findings and what others found later — a table and a bar
chart of inspections and coverage."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from station_app import clock
from station_app.formatting import chinese_date
from station_app.models.enums import Role
from station_app.services.supervision.portraits import PortraitReport, supervisor_portraits
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.supervision.bar_chart import BarChart, BarGroup
from station_app.views.supervision.common import (
    DASH,
    RowsModel,
    SupervisionTab,
    fmt_ratio,
    hint_label,
    make_table,
)
from station_app.views.tasks import TaskRunner
from station_app.views.widgets import DateEdit, ValueCombo

HEADERS = ("监督员", "角色", "参加检查", "检查项目", "分工项目", "分工项目已查", "分工覆盖率", "检查项数",
           "平均每次检查项", "发现问题", "重大隐患", "签发文书", "他人后查出重大隐患的项目", "占比",
           "台账隐患", "整改率", "期间销号", "逾期未改")
PRESETS = ("本月", "上月", "本季度", "本年", "上一年", "自定义")


def preset_period(name: str, today: date | None = None) -> tuple[date, date] | None:
    """The dates of a named period (up to today for the current ones); None for 自定义."""
    t = today or clock.today()
    if name == "本月":
        return t.replace(day=1), t
    if name == "上月":
        last = t.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if name == "本季度":
        return date(t.year, 3 * ((t.month - 1) // 3) + 1, 1), t
    if name == "本年":
        return date(t.year, 1, 1), t
    if name == "上一年":
        return date(t.year - 1, 1, 1), date(t.year - 1, 12, 31)
    return None


class PortraitsTab(SupervisionTab):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.report: PortraitReport | None = None
        self.own_only = not ctx.can("portrait.read") and ctx.actor.role == Role.SUPERVISOR
        self.allowed = ctx.can("portrait.read") or self.own_only
        self.preset = ValueCombo([(p, p) for p in PRESETS], self)
        self.date_from, self.date_to = DateEdit(self), DateEdit(self)
        for d in (self.date_from, self.date_to):
            d.setMaximumWidth(150)
        self.query_button = QPushButton("查询", self)
        self.status = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("统计期间：", self))
        bar.addWidget(self.preset)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("至", self))
        bar.addWidget(self.date_to)
        bar.addWidget(self.query_button)
        bar.addWidget(self.status, 1)
        self.model = RowsModel(HEADERS, numeric=range(2, 18), parent=self)
        self.table = make_table(self.model, (80, 60, 70, 70, 70, 90, 80, 70, 100, 70, 70, 70, 170, 60),
                                stretch_last=False)
        self.chart = BarChart(parent=self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        splitter.setSizes([330, 260])
        splitter.setChildrenCollapsible(False)
        self.notes = hint_label("", self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        self.scope_hint = hint_label("", self)
        lay.addWidget(self.scope_hint)
        lay.addLayout(bar)
        lay.addWidget(splitter, 1)
        lay.addWidget(self.notes)
        if self.own_only:
            self.scope_hint.setText("监督员只能查看本人的数据画像。")
        elif not self.allowed:
            self.scope_hint.setText(f"当前角色“{ctx.actor.role}”无权查看监督员数据画像（站长、管理员可以；"
                                    "监督员可查看本人的）。")
            self.scope_hint.setStyleSheet("color: #8a1c1c;")
        self.scope_hint.setVisible(bool(self.scope_hint.text()))
        for w in (self.preset, self.date_from, self.date_to, self.query_button):
            w.setEnabled(self.allowed)
        self.preset.value_changed.connect(self._preset_changed)
        self.date_from.textEdited.connect(lambda _t: self.preset.set_value("自定义"))
        self.date_to.textEdited.connect(lambda _t: self.preset.set_value("自定义"))
        self.query_button.clicked.connect(self.reload)
        self._preset_changed("本年")
        self.preset.set_value("本年")

    def _preset_changed(self, name: object) -> None:
        period = preset_period(str(name))
        if period is not None:
            self.date_from.set_value(period[0])
            self.date_to.set_value(period[1])
            if self.report is not None:
                self.reload()

    def reload(self) -> None:
        if not self.allowed:
            return
        try:
            start, end = self.date_from.value(), self.date_to.value()
        except ValueError as err:
            messages.warn(self, f"统计期间：{err}")
            return
        if start is None or end is None:
            messages.warn(self, "请填写统计期间的开始和结束日期。")
            return
        db, actor = self.ctx.db, self.ctx.actor
        ids = [actor.user_id] if self.own_only and actor.user_id is not None else None

        def job(progress: object, cancelled: object) -> PortraitReport:
            with db.read() as s:
                return supervisor_portraits(s, actor, start, end, user_ids=ids)

        self.status.setText("正在统计…")
        self.run_job("portraits", job, "统计监督员数据画像", self._loaded)

    def _loaded(self, report: PortraitReport) -> None:
        self.report = report
        rows = report.rows
        self.model.set_rows(
            [(r.name, r.role, r.inspections, r.projects_covered, r.assigned_projects, r.assigned_covered,
              fmt_ratio(r.coverage_rate), r.check_items,
              DASH if r.items_per_inspection is None else r.items_per_inspection, r.findings, r.major_findings,
              r.documents_issued, r.later_major_projects, fmt_ratio(r.later_major_share), r.hazards_found,
              fmt_ratio(r.hazard_rectification_rate), r.hazards_closed, r.hazards_overdue) for r in rows],
            [r.user_id for r in rows],
            keys=[(r.name, r.role, r.inspections, r.projects_covered, r.assigned_projects, r.assigned_covered,
                   r.coverage_rate, r.check_items, r.items_per_inspection, r.findings, r.major_findings,
                   r.documents_issued, r.later_major_projects, r.later_major_share, r.hazards_found,
                   r.hazard_rectification_rate, r.hazards_closed, r.hazards_overdue) for r in rows])
        self.chart.set_groups([BarGroup(r.name, r.inspections, r.coverage_rate) for r in rows])
        self.status.setText(f"{chinese_date(report.date_from)} 至 {chinese_date(report.date_to)}，共 {len(rows)} 人")
        self.notes.setText("说明：分工覆盖率＝期间内分工的项目中本人参加检查过的比例；“他人后查出重大隐患”"
                           "指本人检查后，他人在后续检查中发现重大隐患的项目；台账隐患按隐患的监督员统计，"
                           "整改率＝期间发现的隐患中已销号的比例，逾期未改为当前未销号且已过整改期限的隐患。" + "".join(report.notes))
