"""批量调整 tab: one operation for many projects — a supervisor leaves, a grid's projects move, a
few towns change hands. Pick the scope and the change, the effective date and the reason; 预览
shows every project before/after with its problems; 确认执行 applies exactly the previewed plan
(the service refuses if anything changed since) as one audited operation."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station_app import clock
from station_app.errors import StationError
from station_app.formatting import chinese_date
from station_app.services.registry.projects import towns
from station_app.services.station import list_grids
from station_app.services.supervision.reassignment import (
    ReassignmentItem,
    ReassignmentPreview,
    ReassignmentSpec,
    apply_reassignment,
    preview_reassignment,
)
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.supervision.common import (
    DONE,
    MUTED,
    PROBLEM,
    RowsModel,
    SupervisionTab,
    hint_label,
    make_table,
    supervisor_items,
)
from station_app.views.supervision.pick_widgets import MultiPick
from station_app.views.tasks import TaskRunner
from station_app.views.widgets import DateEdit, ValueCombo

SCOPES = (("某监督员负责的项目（人员调离）", "user"), ("某网格的全部项目", "grid"), ("指定乡镇/片区的项目", "towns"))
HEADERS = ("工程名称", "网格", "主监督员", "第二监督员", "检查结果")


def _arrow(before: str, after: str) -> str:
    before, after = before or "（无）", after or "（无）"
    return before if before == after else f"{before} → {after}"


class ReassignTab(SupervisionTab):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.preview: ReassignmentPreview | None = None
        self.previewed_spec: ReassignmentSpec | None = None
        self.applied: ReassignmentPreview | None = None
        self._busy = False

        # ① scope
        self.scope = ValueCombo(SCOPES, self)
        self.from_user = ValueCombo((), self)
        self.from_grid = ValueCombo((), self)
        self.towns = MultiPick("请选择乡镇/片区", parent=self)
        self.scope_stack = QStackedWidget(self)
        for w in (self.from_user, self.from_grid, self.towns):
            self.scope_stack.addWidget(w)
        self.scope_stack.setFixedHeight(max(w.sizeHint().height() for w in (self.from_user, self.towns)))
        scope_box = QGroupBox("① 调整范围（在监项目）", self)
        scope_form = QFormLayout(scope_box)
        scope_form.addRow("范围：", self.scope)
        self.scope_label = QLabel("原监督员：", self)
        scope_form.addRow(self.scope_label, self.scope_stack)

        # ② change
        self.successor = ValueCombo((), self)
        self.principal = ValueCombo((), self)
        self.reassign_seconds = QCheckBox("重新指定", self)
        self.seconds = MultiPick("请选择第二监督员", parent=self)
        self.seconds.setEnabled(False)
        seconds_row = QHBoxLayout()
        seconds_row.addWidget(self.reassign_seconds)
        seconds_row.addWidget(self.seconds, 1)
        self.new_grid = ValueCombo((), self)
        change_box = QGroupBox("② 调整为", self)
        change_form = QFormLayout(change_box)
        change_form.addRow("接替监督员：", self.successor)
        change_form.addRow("主监督员：", self.principal)
        change_form.addRow("第二监督员：", seconds_row)
        change_form.addRow("网格：", self.new_grid)

        # ③ date and reason
        self.effective = DateEdit(self)
        self.effective.set_value(clock.today())
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText("如：张三调离监督站")
        when_box = QGroupBox("③ 生效日期与原因", self)
        when_form = QFormLayout(when_box)
        when_form.addRow("生效日期：", self.effective)
        when_form.addRow("调整原因：", self.reason)
        self.preview_button = QPushButton("预览(&P)", self)
        self.apply_button = QPushButton("确认执行", self)
        self.apply_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.apply_button)
        when_form.addRow(buttons)

        boxes = QHBoxLayout()
        for box in (scope_box, change_box, when_box):
            boxes.addWidget(box, 1)
        self.summary = QLabel("请选择调整范围和调整内容，然后点“预览”。", self)
        self.summary.setWordWrap(True)
        self.model = RowsModel(HEADERS, parent=self)
        self.table = make_table(self.model, (240, 170, 150, 220), multi=True)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        self.permission_hint = hint_label(
            "当前角色无权批量调整监督安排（站长、管理员可以），只能查看本页。", self)
        self.permission_hint.setStyleSheet("color: #8a1c1c;")
        self.permission_hint.setVisible(not ctx.can("supervision.assign"))
        lay.addWidget(self.permission_hint)
        lay.addLayout(boxes)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)

        self.scope.value_changed.connect(self._scope_changed)
        self.reassign_seconds.toggled.connect(self.seconds.setEnabled)
        for combo in (self.from_user, self.from_grid, self.successor, self.principal, self.new_grid):
            combo.value_changed.connect(lambda _v: self._invalidate())
        for signal in (self.towns.changed, self.seconds.changed, self.reassign_seconds.toggled,
                       self.effective.value_changed, self.reason.textChanged):
            signal.connect(lambda *_: self._invalidate())
        self.preview_button.clicked.connect(self.run_preview)
        self.apply_button.clicked.connect(self.run_apply)
        self._scope_changed(self.scope.value())

    # -------------------------------------------------------------- inputs

    def reload(self) -> None:
        with self.ctx.db.read() as s:
            grids = list_grids(s, active_only=False)
            town_names = towns(s)
        everyone = supervisor_items(self.ctx, include_inactive=True, blank="（请选择）")
        active = supervisor_items(self.ctx)
        self.from_user.set_items(everyone)
        self.successor.set_items([("（不替换）", None), *active])
        self.principal.set_items([("（不变）", None), *active])
        self.seconds.set_items(active)
        self.from_grid.set_items([("（请选择）", None),
                                  *((g.name if g.active else f"{g.name}（已停用）", g.id) for g in grids)])
        self.new_grid.set_items([("（不变）", None), *((g.name, g.id) for g in grids if g.active)])
        self.towns.set_items([(t, t) for t in town_names])
        if self.preview is not None:
            self._invalidate("数据已有变化，请重新预览。")
        self._update_buttons()

    def _scope_changed(self, scope: Any) -> None:
        index = {"user": 0, "grid": 1, "towns": 2}.get(scope, 0)
        self.scope_stack.setCurrentIndex(index)
        self.scope_label.setText(("原监督员：", "原网格：", "乡镇/片区：")[index])
        self.successor.setEnabled(scope == "user")
        if scope != "user":
            self.successor.set_value(None)
        self._invalidate()

    def spec(self) -> ReassignmentSpec:
        """The operation as typed; raises ValueError for a mistyped date."""
        scope = self.scope.value()
        day = self.effective.value()
        if day is None:
            raise ValueError("请填写生效日期")
        return ReassignmentSpec(
            effective_from=day, reason=self.reason.text(),
            from_user_id=self.from_user.value() if scope == "user" else None,
            from_grid_id=self.from_grid.value() if scope == "grid" else None,
            towns=tuple(self.towns.values()) if scope == "towns" else (),
            to_user_id=self.successor.value() if scope == "user" else None,
            to_grid_id=self.new_grid.value(), new_principal_id=self.principal.value(),
            new_second_ids=tuple(self.seconds.values()) if self.reassign_seconds.isChecked() else None)

    def _invalidate(self, text: str = "") -> None:
        if self.preview is not None:
            self.preview = None
            self.previewed_spec = None
            self.summary.setText(text or "调整条件已修改，请重新预览。")
            self.summary.setStyleSheet("color: #8a5a00;")
        self._update_buttons()

    def _update_buttons(self) -> None:
        allowed = self.ctx.can("supervision.assign")
        self.preview_button.setEnabled(allowed and not self._busy)
        self.apply_button.setEnabled(allowed and not self._busy and self.preview is not None and self.preview.ok)

    # -------------------------------------------------------------- preview and apply

    def run_preview(self) -> None:
        if not self.preview_button.isEnabled():
            return
        try:
            spec = self.spec()
        except ValueError as err:
            messages.warn(self, f"生效日期：{err}")
            return
        db, actor = self.ctx.db, self.ctx.actor

        def job(progress: object, cancelled: object) -> ReassignmentPreview:
            with db.read() as s:
                return preview_reassignment(s, actor, spec)

        self._set_busy(True)
        self.runner.run(job, title="预览批量调整", on_success=lambda p: self._previewed(spec, p),
                        on_failure=self._failed)

    @property
    def busy(self) -> bool:
        """A preview or an apply is running (tests wait on it)."""
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _failed(self, err: BaseException) -> bool:
        self._set_busy(False)
        return False  # the runner shows a StationError as a warning

    def _previewed(self, spec: ReassignmentSpec, preview: ReassignmentPreview) -> None:
        self._set_busy(False)
        self.applied = None
        self._show(preview)
        self.preview, self.previewed_spec = preview, spec
        unchanged = len(preview.items) - preview.changed_count
        text = (f"共 {len(preview.items)} 个项目：将调整 {preview.changed_count} 个"
                + (f"，无变化 {unchanged} 个" if unchanged else "")
                + (f"，有问题 {preview.problem_count} 个（红色行），须先解决后才能执行" if preview.problem_count else "")
                + f"。生效日期 {chinese_date(preview.effective_from)}。")
        if preview.ok:
            text += "核对无误后点“确认执行”。"
        elif not preview.changed_count:
            text += "没有需要调整的项目。"
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #8a1c1c;" if preview.problem_count else "")
        self._update_buttons()

    def _show(self, preview: ReassignmentPreview, done: bool = False) -> None:
        def result(i: ReassignmentItem) -> str:
            if i.problems:
                return "；".join(i.problems)
            if not i.changed:
                return "无变化"
            return "已调整" if done else "可以调整"

        items = preview.items
        self.model.set_rows(
            [(i.project_name, _arrow(i.grid_before, i.grid_after), _arrow(i.principal_before, i.principal_after),
              _arrow("、".join(i.seconds_before), "、".join(i.seconds_after)), result(i)) for i in items],
            [i.project_id for i in items],
            styles=[PROBLEM if i.problems else MUTED if not i.changed else DONE if done else "" for i in items])

    def run_apply(self) -> None:
        preview, spec = self.preview, self.previewed_spec
        if preview is None or spec is None or not self.apply_button.isEnabled():
            return
        if not messages.confirm(self, f"确定按预览调整 {preview.changed_count} 个项目吗？\n"
                                      f"生效日期 {chinese_date(spec.effective_from)}，原因：{spec.reason.strip()}。\n"
                                      "本次调整作为一项操作记入操作日志。", "确认批量调整", ok_text="确认执行"):
            return
        db, actor = self.ctx.db, self.ctx.actor

        def job(progress: object, cancelled: object) -> ReassignmentPreview:
            with db.write() as s:
                return apply_reassignment(s, actor, spec, confirmed=preview)

        self._set_busy(True)
        self.runner.run(job, title="执行批量调整", on_success=self._applied, on_failure=self._apply_failed,
                        cancellable=False)

    def _apply_failed(self, err: BaseException) -> bool:
        self._set_busy(False)
        if isinstance(err, StationError):
            self._invalidate("未执行：" + str(err))
        return False

    def _applied(self, result: ReassignmentPreview) -> None:
        self._set_busy(False)
        self.preview, self.previewed_spec, self.applied = None, None, result
        self._show(result, done=True)
        self.summary.setText(f"已调整 {result.changed_count} 个项目，自 {chinese_date(result.effective_from)} 起生效，"
                             "已记入操作日志。")
        self.summary.setStyleSheet("color: #1e6b30;")
        self._update_buttons()
        self.ctx.notify("supervision")
        if any(i.grid_id_after != i.grid_id_before for i in result.items if i.changed):
            self.ctx.notify("grid")
