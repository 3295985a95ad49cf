"""判定条款待复核 tab: hazards and findings whose 重大事故隐患判定标准 item the 2024 correction could not
re-map on its own. The chief opens one, picks the right item (the suggestion comes first) and confirms."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station_app.services.hazards import criteria_review
from station_app.services.hazards.criteria_review import PendingReview
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.hazards.figure_widgets import HazardTab
from station_app.views.supervision.common import RowsModel, hint_label, make_table, selected_row
from station_app.views.supervision.forms import SupervisionForm
from station_app.views.tasks import Job, TaskRunner
from station_app.views.widgets import ValueCombo

HEADERS = ("类型", "编号", "工程名称", "发现日期", "描述", "原判定条款", "原条文", "该代码现指", "建议更正为", "待复核原因")


class ConfirmCriterionDialog(SupervisionForm):
    """The item one listed record is judged under from now on."""

    entities = ("hazard", "inspection")

    def __init__(self, ctx: AppContext, item: PendingReview, parent: QWidget | None = None) -> None:
        intro = (f"{item.project_name}｜{item.kind_label} {item.record_ref}｜{item.description}\n"
                 f"原判定条款 {item.old_code}：{item.old_text}\n{item.reason}")
        super().__init__(ctx, parent, "复核判定条款", ok_text="确认更正", intro=intro,
                         allowed=ctx.can(criteria_review.PERMISSION))
        self.item = item
        self.setMinimumWidth(640)
        self.criterion = ValueCombo([(f"{c.label}　{c.text}", c.code) for c in criteria_review.choices(item)])
        self.criterion.set_value(item.suggested_code)
        self.add_field("判定依据", "更正为", self.criterion,
                       hint="关联的隐患或检查发现的问题（原条款相同的）一并更正")

    def build_job(self) -> Job | None:
        db, actor, review_id, code = self.ctx.db, self.ctx.actor, self.item.id, self.criterion.value()

        def job(progress: object, cancelled: object) -> None:
            with db.write() as s:
                criteria_review.confirm(s, actor, review_id, code)

        return job


class CriteriaReviewTab(HazardTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, runner: TaskRunner | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.items: list[PendingReview] = []
        self.refresh_button = QPushButton("刷新", self)
        self.confirm_button = QPushButton("选择条款并确认…", self)
        self.confirm_button.setEnabled(ctx.can(criteria_review.PERMISSION))
        if not self.confirm_button.isEnabled():
            self.confirm_button.setToolTip("由站长复核确认")
        self.status = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.confirm_button)
        bar.addWidget(self.status, 1)
        self.model = RowsModel(HEADERS, parent=self)
        self.table = make_table(self.model, (90, 110, 200, 90, 220, 80, 260, 220, 220, 200))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(hint_label(
            "《重大事故隐患判定标准（2024版）》按原文更正后，系统升级时已按条文把原2024版代码改到对应条款（见操作日志，"
            "操作人“系统升级”）；这里列出找不到唯一对应条款的记录，由站长选定条款后确认。", self))
        self.refresh_button.clicked.connect(self.reload)
        self.confirm_button.clicked.connect(self._confirm)
        self.table.doubleClicked.connect(lambda _i: self._confirm())

    def reload(self) -> None:
        db = self.ctx.db

        def job(progress: object, cancelled: object) -> list[PendingReview]:
            with db.read() as s:
                return criteria_review.list_pending(s)

        self.run_job("pending", job, "读取待复核的判定条款", self._loaded)

    def _loaded(self, items: list[PendingReview]) -> None:
        self.items = items
        self.model.set_rows(
            [(i.kind_label, i.record_ref, i.project_name, i.found_on, i.description, i.old_code, i.old_text,
              i.old_code_now, i.suggested_label or "（无相近条款）", i.reason) for i in items],
            [i.id for i in items])
        self.status.setText(f"待复核 {len(items)} 条" if items else "没有待复核的判定条款")
        if items:
            self.table.selectRow(0)

    def current(self) -> PendingReview | None:
        row = selected_row(self.table)
        if row is None or not 0 <= row < self.model.rowCount():
            return None
        rid = self.model.row_id(row)
        return next((i for i in self.items if i.id == rid), None)

    def _confirm(self) -> None:
        if not self.confirm_button.isEnabled():
            return
        item = self.current()
        if item is None:
            messages.info(self, "请先选择一条待复核的记录。")
            return
        if ConfirmCriterionDialog(self.ctx, item, self).exec():
            self.reload()
