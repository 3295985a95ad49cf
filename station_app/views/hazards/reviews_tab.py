"""精准拆弹 tab: contractor-wide reviews (opened by a 挂牌督办 or an accident) and their projects —
supervisor, last inspection, open hazards — with the planned inspection date and supervisor per project.
An item counts as inspected once the project has an inspection on or after the review day."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from station_app import clock
from station_app.services.hazards.contractor_review import (
    ReviewItem,
    ReviewSummary,
    ScheduleEntry,
    list_reviews,
    review_items,
    schedule_items,
)
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.hazards.figure_widgets import HazardTab
from station_app.views.supervision.common import (
    DONE,
    PROBLEM,
    RowsModel,
    hint_label,
    make_table,
    selected_row,
    supervisor_items,
    title_label,
)
from station_app.views.supervision.forms import SupervisionForm
from station_app.views.tasks import Job, TaskRunner
from station_app.views.widgets import DateEdit, ValueCombo

REVIEW_HEADERS = ("发起日期", "施工总包", "起因", "关联隐患", "项目数", "已安排", "已检查", "说明")
ITEM_HEADERS = ("工程名称", "状态", "主监督员", "最近检查", "未销号隐患", "计划检查日期", "安排监督员", "排查检查日期")


class ScheduleDialog(SupervisionForm):
    """Planned inspection date and supervisor of one project of a review."""

    entities = ("contractor_review",)

    def __init__(self, ctx: AppContext, review_id: int, item: ReviewItem, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, f"安排检查：{item.name}", allowed=ctx.can("contractor_review.manage"),
                         intro="计划检查日期不早于排查发起日期；留空表示暂不安排。")
        self.review_id, self.item = review_id, item
        self.setMinimumWidth(420)
        self.planned = DateEdit()
        self.planned.set_value(item.planned_on)
        self.supervisor = ValueCombo(supervisor_items(ctx, blank="（未指定）"))
        self.supervisor.set_value(item.planned_supervisor_id)
        self.add_field("计划检查日期", "计划检查日期", self.planned, aliases=(f"“{item.name}”计划检查日期",))
        self.add_field("监督员", "安排监督员", self.supervisor, aliases=(f"“{item.name}”监督员",))

    def build_job(self) -> Job | None:
        ok, planned = self.read_date("计划检查日期", self.planned, required=False)
        if not ok:
            return None
        db, actor, rid = self.ctx.db, self.ctx.actor, self.review_id
        entry = ScheduleEntry(self.item.item_id, planned, self.supervisor.value())

        def job(progress: object, cancelled: object) -> int:
            with db.write() as s:
                return schedule_items(s, actor, rid, [entry])

        return job


class ReviewsTab(HazardTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, runner: TaskRunner | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.reviews: list[ReviewSummary] = []
        self.items: list[ReviewItem] = []
        #: a review to select once loaded (the listing dialog opens the tab on the review it created)
        self.focus_review: int | None = None
        self.open_only = QCheckBox("只看未完成的排查", self)
        self.open_only.setChecked(True)
        self.refresh_button = QPushButton("刷新", self)
        self.status = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(self.open_only)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.status, 1)
        self.review_model = RowsModel(REVIEW_HEADERS, numeric=(4, 5, 6), parent=self)
        self.review_table = make_table(self.review_model, (90, 230, 70, 120, 60, 60, 60, 300))
        self.item_model = RowsModel(ITEM_HEADERS, numeric=(4,), parent=self)
        self.item_table = make_table(self.item_model, (260, 70, 80, 90, 80, 100, 90, 100))
        self.schedule_button = QPushButton("安排检查…", self)
        self.schedule_button.setEnabled(ctx.can("contractor_review.manage"))
        lower = QWidget(self)
        lower_lay = QVBoxLayout(lower)
        lower_lay.setContentsMargins(0, 4, 0, 0)
        self.items_title = title_label("该施工总包的其他在监项目", lower)
        lower_lay.addWidget(self.items_title)
        lower_lay.addWidget(self.item_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.schedule_button)
        row.addStretch(1)
        lower_lay.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.review_table)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addLayout(bar)
        lay.addWidget(splitter, 1)
        lay.addWidget(hint_label("重大事故隐患挂牌督办或发生事故时，列出同一施工总包（按统一社会信用代码）在本县的其他在监项目，"
                                 "安排逐一检查；项目在排查发起日及以后有检查记录即视为已检查。", self))
        self.open_only.toggled.connect(self.reload)
        self.refresh_button.clicked.connect(self.reload)
        self.review_table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._load_items(cur.row()))
        self.schedule_button.clicked.connect(self._schedule)
        self.item_table.doubleClicked.connect(lambda _i: self._schedule())

    def reload(self) -> None:
        db, open_only = self.ctx.db, self.open_only.isChecked()

        def job(progress: object, cancelled: object) -> list[ReviewSummary]:
            with db.read() as s:
                return list_reviews(s, open_only=open_only)

        self.run_job("reviews", job, "读取排查记录", self._loaded)

    def _loaded(self, reviews: list[ReviewSummary]) -> None:
        keep = self.current_review()
        keep_id = self.focus_review if self.focus_review is not None else keep.id if keep is not None else None
        self.focus_review = None
        self.reviews = reviews
        self.review_model.set_rows(
            [(r.opened_on, r.contractor_name, r.trigger, r.hazard_code, r.items, r.scheduled, r.inspected,
              r.trigger_note) for r in reviews], [r.id for r in reviews],
            styles=[DONE if r.done else "" for r in reviews])
        if reviews:
            self.status.setText(f"{'未完成的' if self.open_only.isChecked() else ''}排查记录 {len(reviews)} 条")
        elif self.open_only.isChecked():
            self.status.setText("没有未完成的排查（取消勾选“只看未完成的排查”可查看已完成的）")
        else:
            self.status.setText("没有排查记录：在隐患台账中对重大事故隐患“办理 → 挂牌督办…”时发起")
        row = self.review_model.row_of(keep_id) if keep_id is not None else None
        if reviews:
            self.review_table.selectRow(row if row is not None else 0)
        else:
            self._load_items(-1)

    def current_review(self) -> ReviewSummary | None:
        row = selected_row(self.review_table)
        if row is None or not 0 <= row < self.review_model.rowCount():
            return None
        rid = self.review_model.row_id(row)
        return next((r for r in self.reviews if r.id == rid), None)

    def _load_items(self, row: int) -> None:
        if not 0 <= row < self.review_model.rowCount():
            self.items = []
            self.item_model.clear()
            return
        rid, db = self.review_model.row_id(row), self.ctx.db

        def job(progress: object, cancelled: object) -> tuple[int, list[ReviewItem]]:
            with db.read() as s:
                return rid, review_items(s, rid)

        self.run_job("items", job, "读取排查项目", self._items_loaded)

    def _items_loaded(self, result: tuple[int, list[ReviewItem]]) -> None:
        rid, items = result
        self.items = items
        self.item_model.set_rows(
            [(i.name, i.status, i.supervisor_name, i.last_inspection, i.open_hazards, i.planned_on,
              i.planned_supervisor_name, i.inspected_on) for i in items], [i.item_id for i in items],
            styles=[DONE if i.inspected_on else PROBLEM if i.planned_on and i.planned_on < clock.today() else ""
                    for i in items])
        review = next((r for r in self.reviews if r.id == rid), None)
        if review is not None:
            self.items_title.setText(f"{review.contractor_name}的其他在监项目（{len(items)} 个）")

    def _schedule(self) -> None:
        review, row = self.current_review(), selected_row(self.item_table)
        if review is None or row is None:
            messages.info(self, "请先选择一个项目。")
            return
        item_id = self.item_model.row_id(row)
        item = next(i for i in self.items if i.item_id == item_id)
        if ScheduleDialog(self.ctx, review.id, item, self).exec():
            self.reload()
