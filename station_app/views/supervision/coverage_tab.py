"""全覆盖排查 tab: the rounds (add, edit, delete) and the selected round's report — overall progress
of projects and enterprises, per grid, per supervisor, and who has not been reached yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_app.errors import StationError
from station_app.formatting import chinese_date
from station_app.services.supervision.coverage import (
    CoverageGroup,
    CoverageReport,
    Progress,
    RoundInfo,
    coverage_report,
    delete_round,
    list_rounds,
)
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.supervision.common import (
    SUPERVISION_ENTITIES,
    RowsModel,
    SupervisionTab,
    fmt_percent,
    make_table,
    selected_row,
    title_label,
)
from station_app.views.supervision.round_dialog import RoundDialog
from station_app.views.tasks import TaskRunner

ROUND_HEADERS = ("轮次名称", "开始", "结束", "检查类型")
GROUP_HEADERS = ("{}", "项目数", "已覆盖", "未覆盖", "项目覆盖率", "企业数", "已覆盖企业", "企业覆盖率")
PROJECT_HEADERS = ("工程名称", "状态", "网格", "监督员", "施工总承包")
ENTERPRISE_HEADERS = ("施工总承包单位", "范围内项目", "已覆盖项目")


def _bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setTextVisible(True)
    bar.setMinimumWidth(260)
    return bar


def _set_bar(bar: QProgressBar, p: Progress, noun: str) -> None:
    bar.setRange(0, max(p.total, 1))
    bar.setValue(p.reached)
    bar.setFormat(f"{p.reached}/{p.total} 个{noun}（{fmt_percent(p.percent)}）")


def _group_rows(groups: tuple[CoverageGroup, ...]) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    rows: list[tuple[object, ...]] = [(g.name, g.projects.total, g.projects.reached, g.projects.remaining, fmt_percent(g.projects.percent),
             g.enterprises.total, g.enterprises.reached, fmt_percent(g.enterprises.percent)) for g in groups]
    keys: list[tuple[object, ...]] = [(g.name, g.projects.total, g.projects.reached, g.projects.remaining, g.projects.percent,
             g.enterprises.total, g.enterprises.reached, g.enterprises.percent) for g in groups]
    return rows, keys


class CoverageTab(SupervisionTab):
    refresh_on = SUPERVISION_ENTITIES | {"coverage_round"}

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.rounds: list[RoundInfo] = []
        self.report: CoverageReport | None = None
        self.dialog: RoundDialog | None = None
        self.add_button = QPushButton("新增轮次(&N)…", self)
        self.edit_button = QPushButton("编辑…", self)
        self.delete_button = QPushButton("删除", self)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.round_model = RowsModel(ROUND_HEADERS, parent=self)
        self.round_table = make_table(self.round_model, (170, 80, 80), sortable=False)
        left = QWidget(self)
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 6, 0)
        left_lay.addWidget(title_label("排查轮次", left))
        left_lay.addLayout(buttons)
        left_lay.addWidget(self.round_table, 1)

        self.report_title = title_label("请选择排查轮次", self)
        self.project_bar, self.enterprise_bar = _bar(), _bar()
        bars = QGridLayout()
        bars.addWidget(QLabel("项目覆盖：", self), 0, 0)
        bars.addWidget(self.project_bar, 0, 1)
        bars.addWidget(QLabel("企业覆盖：", self), 1, 0)
        bars.addWidget(self.enterprise_bar, 1, 1)
        bars.setColumnStretch(1, 1)
        self.grid_model = RowsModel([GROUP_HEADERS[0].format("网格"), *GROUP_HEADERS[1:]], range(1, 8), self)
        self.user_model = RowsModel([GROUP_HEADERS[0].format("监督员"), *GROUP_HEADERS[1:]], range(1, 8), self)
        self.project_model = RowsModel(PROJECT_HEADERS, parent=self)
        self.enterprise_model = RowsModel(ENTERPRISE_HEADERS, numeric=(1, 2), parent=self)
        widths = (120, 60, 60, 60, 85, 60, 80, 85)
        self.details = QTabWidget(self)
        self.details.addTab(make_table(self.grid_model, widths, stretch_last=False), "按网格")
        self.details.addTab(make_table(self.user_model, widths, stretch_last=False), "按监督员")
        self.details.addTab(make_table(self.project_model, (240, 70, 100, 160)), "未覆盖项目")
        self.details.addTab(make_table(self.enterprise_model, (280, 90)), "未覆盖企业")
        right = QWidget(self)
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(6, 0, 0, 0)
        right_lay.addWidget(self.report_title)
        right_lay.addLayout(bars)
        right_lay.addWidget(self.details, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([460, 760])
        splitter.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addWidget(splitter, 1)

        self.add_button.clicked.connect(self.add_round)
        self.edit_button.clicked.connect(self.edit_round)
        self.delete_button.clicked.connect(self.delete_selected)
        self.round_table.doubleClicked.connect(lambda _i: self.edit_round())
        self.round_table.selectionModel().selectionChanged.connect(lambda *_: self._round_changed())
        self._update_buttons()

    # -------------------------------------------------------------- rounds

    def reload(self) -> None:
        current = self.selected()
        try:
            with self.ctx.db.read() as s:
                self.rounds = list_rounds(s)
        except StationError as err:
            messages.warn(self, str(err))
            return
        self.round_model.set_rows([(r.name, r.starts_on, r.ends_on, r.inspection_kind or "不限")
                                   for r in self.rounds], [r.id for r in self.rounds])
        row = self.round_model.row_of(current.id) if current is not None else None
        if row is None and self.rounds:
            row = 0
        if row is not None:
            self.round_table.selectRow(row)
        self._round_changed()

    def selected(self) -> RoundInfo | None:
        row = selected_row(self.round_table)
        if row is None or row >= len(self.rounds):
            return None
        rid = self.round_model.row_id(row)
        return next((r for r in self.rounds if r.id == rid), None)

    def select_round(self, round_id: int) -> None:
        row = self.round_model.row_of(round_id)
        if row is not None:
            self.round_table.selectRow(row)

    def _update_buttons(self) -> None:
        allowed = self.ctx.can("coverage.manage")
        one = self.selected() is not None
        self.add_button.setEnabled(allowed)
        self.edit_button.setEnabled(allowed and one)
        self.delete_button.setEnabled(allowed and one)

    def _round_changed(self) -> None:
        self._update_buttons()
        r = self.selected()
        if r is None:
            self._show(None)
            return
        db = self.ctx.db
        rid = r.id

        def job(progress: object, cancelled: object) -> CoverageReport:
            with db.read() as s:
                return coverage_report(s, rid)

        self.report_title.setText(f"{r.name}：正在统计…")
        self.run_job("report", job, "统计全覆盖排查进度", self._show)

    def _show(self, report: CoverageReport | None) -> None:
        current = self.selected()
        if report is not None and (current is None or current.id != report.round.id):
            return  # the selection moved on meanwhile; its own report follows
        self.report = report
        if report is None:
            self.report_title.setText("请选择排查轮次" if not self.rounds else "")
            for model in (self.grid_model, self.user_model, self.project_model, self.enterprise_model):
                model.clear()
            for bar in (self.project_bar, self.enterprise_bar):
                bar.setRange(0, 1)
                bar.setValue(0)
                bar.setFormat("—")
            return
        r = report.round
        kind = f"，只计{r.inspection_kind}" if r.inspection_kind else ""
        self.report_title.setText(f"{r.name}（{chinese_date(r.starts_on)} 至 {chinese_date(r.ends_on)}{kind}）"
                                  f"　统计至 {chinese_date(report.as_of)}")
        _set_bar(self.project_bar, report.projects, "项目")
        _set_bar(self.enterprise_bar, report.enterprises, "企业")
        rows, keys = _group_rows(report.by_grid)
        self.grid_model.set_rows(rows, [g.key for g in report.by_grid], keys=keys)
        rows, keys = _group_rows(report.by_supervisor)
        self.user_model.set_rows(rows, [g.key for g in report.by_supervisor], keys=keys)
        todo = [p for p in report.project_rows if not p.reached]
        self.project_model.set_rows([(p.name, p.status, p.grid_name or "未划分网格", p.team or "未安排",
                                      p.contractor_name) for p in todo], [p.project_id for p in todo])
        ents = [e for e in report.enterprise_rows if not e.reached]
        self.enterprise_model.set_rows([(e.name, e.projects, e.reached_projects) for e in ents],
                                       [e.enterprise_id for e in ents])
        self.details.setTabText(2, f"未覆盖项目（{len(todo)}）")
        self.details.setTabText(3, f"未覆盖企业（{len(ents)}）")

    # -------------------------------------------------------------- actions

    def _open(self, dialog: RoundDialog) -> RoundDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._saved(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, dialog: RoundDialog) -> None:
        if isinstance(dialog.result_value, RoundInfo):
            self.select_round(dialog.result_value.id)

    def add_round(self) -> RoundDialog | None:
        return self._open(RoundDialog(self.ctx, None, self)) if self.add_button.isEnabled() else None

    def edit_round(self) -> RoundDialog | None:
        r = self.selected()
        return self._open(RoundDialog(self.ctx, r, self)) if r is not None else None

    def delete_selected(self) -> None:
        r = self.selected()
        if r is None or not self.delete_button.isEnabled():
            return
        if not messages.confirm(self, f"确定删除排查轮次“{r.name}”吗？\n检查记录不受影响；删除将记入操作日志。",
                                "删除排查轮次", ok_text="删除"):
            return
        try:
            with self.ctx.db.write() as s:
                delete_round(s, self.ctx.actor, r.id)
        except StationError as err:
            messages.warn(self, str(err), "无法删除")
            return
        self.ctx.notify("coverage_round")
