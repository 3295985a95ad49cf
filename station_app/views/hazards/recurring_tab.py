"""多发隐患 tab: the categories and criteria found most often in a period — for the whole county, per
grid or per contractor — to plan 专项排查. Double-click any row to open those hazards in the ledger."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QSplitter, QVBoxLayout, QWidget

from station_app import clock
from station_app.services.hazards.figures import Figure, quarter_bounds
from station_app.services.hazards.recurring import RECURRING_GROUPINGS, RecurringGroup, recurring_hazards
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.hazards.figure_widgets import HazardTab, OpenLedger
from station_app.views.supervision.common import RowsModel, fmt_percent, hint_label, make_table, title_label
from station_app.views.tasks import TaskRunner
from station_app.views.widgets import DateEdit, ValueCombo

GROUP_HEADERS = ("分组", "隐患数", "其中重大")
CATEGORY_HEADERS = ("隐患类别", "次数", "占比")
CRITERION_HEADERS = ("判定依据", "次数", "占重大隐患", "条款内容")


def _periods(today: date) -> list[tuple[str, tuple[date, date] | None]]:
    this_q = quarter_bounds(today)
    last_q = quarter_bounds(this_q[0] - timedelta(days=1))
    return [("本季度", this_q), ("上季度", last_q), ("本年", (date(today.year, 1, 1), date(today.year, 12, 31))),
            ("上一年", (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))), ("自定义", None)]


class RecurringTab(HazardTab):
    def __init__(self, ctx: AppContext, open_ledger: OpenLedger, parent: QWidget | None = None, *,
                 runner: TaskRunner | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.open_ledger = open_ledger
        self.groups: list[RecurringGroup] = []
        self._shown: RecurringGroup | None = None
        self.period = ValueCombo(_periods(clock.today()), self)
        self.date_from, self.date_to = DateEdit(self), DateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setMaximumWidth(140)
        self.grouping = ValueCombo([(label if key == "overall" else f"按{label}", key)
                                    for key, (label, _, _) in RECURRING_GROUPINGS.items()], self)
        self.top_n = QSpinBox(self)
        self.top_n.setRange(3, 50)
        self.top_n.setValue(10)
        self.top_n.setPrefix("前 ")
        self.top_n.setSuffix(" 项")
        self.refresh_button = QPushButton("统计", self)
        self.status = QLabel(self)
        bar = QHBoxLayout()
        for w in (QLabel("期间：", self), self.period, self.date_from, QLabel("至", self), self.date_to,
                  QLabel("范围：", self), self.grouping, self.top_n, self.refresh_button):
            bar.addWidget(w)
        bar.addWidget(self.status, 1)

        self.group_model = RowsModel(GROUP_HEADERS, numeric=(1, 2), parent=self)
        self.group_table = make_table(self.group_model, (190, 70, 70), stretch_last=False)
        self.category_model = RowsModel(CATEGORY_HEADERS, numeric=(1, 2), parent=self)
        self.category_table = make_table(self.category_model, (220, 70, 80), stretch_last=False)
        self.criterion_model = RowsModel(CRITERION_HEADERS, numeric=(1, 2), parent=self)
        self.criterion_table = make_table(self.criterion_model, (190, 60, 90, 400))
        self.detail_title = title_label("", self)
        right = QWidget(self)
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.addWidget(self.detail_title)
        right_lay.addWidget(title_label("多发隐患类别", right))
        right_lay.addWidget(self.category_table, 2)
        right_lay.addWidget(title_label("多发重大事故隐患判定情形", right))
        right_lay.addWidget(self.criterion_table, 3)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.group_table)
        splitter.addWidget(right)
        splitter.setSizes([340, 920])
        splitter.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addLayout(bar)
        lay.addWidget(splitter, 1)
        lay.addWidget(hint_label("统计期间内发现的隐患（已撤销的不计）。类别占比 = 该类别次数 ÷ 本组隐患数；判定情形占比"
                                 " = 次数 ÷ 本组重大事故隐患数。双击任一行查看对应隐患。", self))
        self._period_changed(load=False)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.grouping.currentIndexChanged.connect(self.reload)
        self.refresh_button.clicked.connect(self.reload)
        self.group_table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_group(cur.row()))
        self.group_table.doubleClicked.connect(lambda i: self._open(self._group_figure(i)))
        self.category_table.doubleClicked.connect(lambda i: self._open(self._entry_figure(i, criteria=False)))
        self.criterion_table.doubleClicked.connect(lambda i: self._open(self._entry_figure(i, criteria=True)))

    def _period_changed(self, *_args: object, load: bool = True) -> None:
        bounds = self.period.value()
        custom = bounds is None
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(custom)
        if bounds is not None:
            self.date_from.set_value(bounds[0])
            self.date_to.set_value(bounds[1])
            if load:
                self.reload()

    def reload(self) -> None:
        try:
            lo, hi = self.date_from.value(), self.date_to.value()
        except ValueError as err:
            messages.warn(self, f"统计期间：{err}")
            return
        if lo is None or hi is None:
            messages.warn(self, "请填写统计期间的开始和结束日期。")
            return
        by, top_n, db = str(self.grouping.value()), self.top_n.value(), self.ctx.db

        def job(progress: object, cancelled: object) -> list[RecurringGroup]:
            with db.read() as s:
                return recurring_hazards(s, lo, hi, by, top_n)

        self.status.setText("正在统计…")
        self.run_job("recurring", job, "统计多发隐患", self._loaded)

    def _loaded(self, groups: list[RecurringGroup]) -> None:
        self.groups = groups
        self.group_model.set_rows([(g.label, g.total.value, g.majors) for g in groups], list(range(len(groups))))
        self.status.setText(f"共 {sum(g.total.value for g in groups)} 条隐患" if groups else "所选期间没有隐患")
        if groups:
            self.group_table.selectRow(0)
        self._show_group(0 if groups else -1)

    def _current(self, row: int) -> RecurringGroup | None:
        if not 0 <= row < self.group_model.rowCount():
            return None
        return self.groups[self.group_model.row_id(row)]

    def _show_group(self, row: int) -> None:
        g = self._current(row)
        self._shown = g
        if g is None:
            self.detail_title.setText("")
            self.category_model.clear()
            self.criterion_model.clear()
            return
        self.detail_title.setText(f"{g.label}：隐患 {g.total.value} 条，其中重大事故隐患 {g.majors} 条")
        cats, crits = g.categories, g.criteria
        self.category_model.set_rows([(e.label, e.figure.value, fmt_percent(e.share)) for e in cats],
                                     list(range(len(cats))),
                                     keys=[(e.label, e.figure.value, e.share) for e in cats])
        self.criterion_model.set_rows([(e.label, e.figure.value, fmt_percent(e.share), e.text) for e in crits],
                                      list(range(len(crits))),
                                      keys=[(e.code, e.figure.value, e.share, e.text) for e in crits],
                                      tips=[e.text for e in crits])

    def _group_figure(self, index: QModelIndex) -> Figure | None:
        g = self._current(index.row())
        return g.total if g is not None else None

    def _entry_figure(self, index: QModelIndex, *, criteria: bool) -> Figure | None:
        g = self._shown
        if g is None or not index.isValid():
            return None
        model = self.criterion_model if criteria else self.category_model
        entries = g.criteria if criteria else g.categories
        return entries[model.row_id(index.row())].figure

    def _open(self, figure: Figure | None) -> None:
        if figure is not None:
            self.open_ledger(dict(figure.filters))
