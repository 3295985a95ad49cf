"""月报 page: pick a period, see its figures (double-click → the records behind), type the narrative,
run the cross-checks, generate the pack off the UI thread, sign off (站长), compare with the signed version."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_app import clock
from station_app.errors import StationError
from station_app.formatting import chinese_datetime
from station_app.rules.errors import RuleInputError
from station_app.services.monthly.checks import CheckIssue, run_checks
from station_app.services.monthly.pack import Narrative, PackResult, due_of, generate_pack
from station_app.services.monthly.signoff import (
    compare_with_signed,
    export_signed,
    get_report,
    save_narrative,
    sign_off,
)
from station_app.services.monthly.stats import (
    FigureSet,
    ReportPeriod,
    compute_figures,
    detail_rows,
    format_change,
    format_value,
)
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.monthly.detail_dialog import RowsDialog, fill_table
from station_app.views.tasks import Cancelled, Progress, Task, TaskRunner

_HEADERS = ("类别", "指标", "单位", "本期", "本年累计", "去年同期", "同比", "去年累计", "累计同比")
_FIELDS = (("work_summary", "工作开展情况"), ("data_note", "主要数据补充说明"), ("problems", "存在问题"),
           ("next_plan", "下月计划"))


def previous_month(today: date) -> str:
    first = today.replace(day=1)
    return f"{first.year - (first.month == 1)}-{(first.month - 2) % 12 + 1:02d}"


class MonthlyPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
        self.figures: FigureSet | None = None
        self.issues: list[CheckIssue] = []
        self.version: int | None = None
        self.task: Task | None = None
        self.last_result: PackResult | None = None
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("报表期间", self))
        self.period_edit = QLineEdit(previous_month(clock.today()), self)
        self.period_edit.setPlaceholderText("2026-10 / 2026-Q3 / 2026")
        self.period_edit.setMaximumWidth(140)
        self.period_edit.returnPressed.connect(self.refresh)
        top.addWidget(self.period_edit)
        self.refresh_button = QPushButton("统计(&R)", self)
        self.refresh_button.clicked.connect(self.refresh)
        self.generate_button = QPushButton("生成报表(&G)…", self)
        self.generate_button.clicked.connect(self.generate)
        self.sign_button = QPushButton("签发(&S)", self)
        self.sign_button.clicked.connect(self.sign)
        self.sign_button.setVisible(ctx.can("monthly.sign"))
        self.diff_button = QPushButton("与签发版比较", self)
        self.diff_button.clicked.connect(self.show_diff)
        self.export_button = QPushButton("导出签发版…", self)
        self.export_button.clicked.connect(self.export_signed_files)
        for b in (self.refresh_button, self.generate_button, self.sign_button, self.diff_button, self.export_button):
            top.addWidget(b)
        top.addStretch(1)
        lay.addLayout(top)
        self.status_label = QLabel(self)
        lay.addWidget(self.status_label)
        self.tabs = QTabWidget(self)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.cellDoubleClicked.connect(self.open_detail)
        self.tabs.addTab(self.table, "统计数据（双击查看明细）")
        editor = QWidget(self)
        form = QFormLayout(editor)
        self.editors: dict[str, QPlainTextEdit] = {}
        for key, label in _FIELDS:
            box = QPlainTextEdit(editor)
            box.setTabChangesFocus(True)
            self.editors[key] = box
            form.addRow(label, box)
        self.signer_edit = QLineEdit(editor)
        form.addRow("签发人", self.signer_edit)
        self.save_button = QPushButton("保存文字(&V)", editor)
        self.save_button.clicked.connect(self.save)
        form.addRow("", self.save_button)
        self.tabs.addTab(editor, "报告文字")
        self.checks = QTableWidget(self)
        self.checks.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.checks.cellDoubleClicked.connect(self.open_issue)
        self.tabs.addTab(self.checks, "交叉核对")
        lay.addWidget(self.tabs)
        self.refresh()

    # -- data ---------------------------------------------------------------------------------------
    def period(self) -> ReportPeriod | None:
        try:
            return ReportPeriod.parse(self.period_edit.text())
        except StationError as err:
            messages.warn(self, str(err))
            return None

    def refresh(self) -> None:
        period = self.period()
        if period is None:
            return
        try:
            with self.ctx.db.read() as s:
                self.figures = compute_figures(s, period)
                self.issues = run_checks(s, period)
                info = get_report(s, period)
        except StationError as err:
            messages.show_error(self, err)
            return
        rows = [(v.section, v.label, v.unit, format_value(v, v.current), format_value(v, v.ytd),
                 format_value(v, v.last_year), "" if v.missing else format_change(v.yoy, rate=v.rate),
                 format_value(v, v.last_ytd), "" if v.missing else format_change(v.ytd_yoy, rate=v.rate))
                for v in self.figures.values.values()]
        fill_table(self.table, _HEADERS, rows)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r in range(self.table.rowCount()):
            for c in range(3, len(_HEADERS)):  # 本期 … 累计同比: numbers read right-aligned
                item = self.table.item(r, c)
                if item is not None:
                    item.setTextAlignment(right)
        fill_table(self.checks, ("核对项", "说明", "记录数"), [(i.title, i.message, len(i.rows)) for i in self.issues])
        self.tabs.setTabText(2, f"交叉核对（{len(self.issues)}）")
        for key, box in self.editors.items():
            box.setPlainText(getattr(info.narrative, key))
            box.setReadOnly(info.signed or not self.ctx.can("monthly.edit"))
        self.signer_edit.setText(info.narrative.signer_name)
        self.signer_edit.setReadOnly(info.signed)
        self.version = info.version
        state = (f"已于{chinese_datetime(info.signed_at)}由{info.signed_by_name}签发" if info.signed and info.signed_at
                 else "草稿（未签发）")
        try:
            due = due_of(period)
        except RuleInputError:  # the admin removed the 报送日 setting: nothing to show
            due = None
        due_text = f"报送期限 {due.text}；" if due else ""
        self.status_label.setText(f"{period.label}{period.noun}：{state}；{due_text}"
                                  f"{self.figures.notes.get('全覆盖排查轮次', '')}")
        self.status_label.setToolTip(due.reason if due else "")  # why the 报送期限 is 暂定
        self.save_button.setEnabled(not info.signed and self.ctx.can("monthly.edit"))
        self.sign_button.setEnabled(not info.signed)
        self.diff_button.setEnabled(info.signed)
        self.export_button.setEnabled(info.signed)

    def open_detail(self, row: int, _col: int = 0) -> None:
        if self.figures is None:
            return
        v = list(self.figures.values.values())[row]
        if v.missing or not v.detail:
            messages.info(self, v.missing or f"“{v.label}”由其他指标计算，没有单独的明细。")
            return
        with self.ctx.db.read() as s:
            table = detail_rows(s, self.figures.period, v.detail, limit=5000)
        RowsDialog(f"{v.label}：{table.title}", f"{v.definition}（{len(table.rows)}条）", table.headers,
                   table.rows, self).exec()

    def open_issue(self, row: int, _col: int = 0) -> None:
        issue = self.issues[row]
        RowsDialog(issue.title, issue.message, issue.columns, issue.rows, self).exec()

    # -- actions ------------------------------------------------------------------------------------
    def save(self) -> None:
        period = self.period()
        if period is None:
            return
        narrative = Narrative(**{k: box.toPlainText() for k, box in self.editors.items()},
                              signer_name=self.signer_edit.text())
        try:
            with self.ctx.db.write() as s:
                info = save_narrative(s, self.ctx.actor, period, narrative, expected_version=self.version)
        except StationError as err:
            messages.show_error(self, err)
            return
        self.version = info.version
        self.ctx.notify("monthly_report")
        messages.info(self, f"{period.label}{period.noun}的文字已保存。")

    def generate(self, out_dir: str | None = None) -> Task | None:
        period = self.period()
        if period is None or self.task is not None:
            return None
        folder = out_dir or QFileDialog.getExistingDirectory(self, "选择报表保存位置", str(Path.home()))
        if not folder:
            return None
        db, actor, templates = self.ctx.db, self.ctx.actor, self.ctx.runtime.data.templates

        def job(progress: Progress, cancelled: Cancelled) -> Any:
            with db.read() as s:
                return generate_pack(s, actor, period, Path(folder), templates_dir=templates,
                                     progress=lambda d, t, text: progress(d, t, text))

        self.task = self.runner.run(job, title=f"生成{period.label}{period.noun}", on_success=self._generated)
        self.task.finished.connect(self._task_done)
        self.generate_button.setEnabled(False)
        return self.task

    def _generated(self, result: Any) -> None:
        self.last_result = result
        messages.info(self, f"已生成：\n{result.xlsx}\n{result.docx}")

    def _task_done(self) -> None:
        self.task = None
        self.generate_button.setEnabled(True)

    def sign(self) -> None:
        period = self.period()
        if period is None:
            return
        text = f"签发{period.label}{period.noun}后，数字和文件将被冻结，不能再修改。"
        if self.issues:
            text += f"\n\n交叉核对发现{len(self.issues)}类不一致：" + "；".join(i.title for i in self.issues)
        if not messages.confirm(self, text + "\n\n确定签发吗？", ok_text="签发"):
            return
        try:
            with self.ctx.db.write() as s:
                sign_off(s, self.ctx.actor, period, acknowledge=True, templates_dir=self.ctx.runtime.data.templates)
        except StationError as err:
            messages.show_error(self, err)
            return
        self.ctx.notify("monthly_report")
        self.refresh()

    def show_diff(self) -> None:
        period = self.period()
        if period is None:
            return
        with self.ctx.db.read() as s:
            changes = compare_with_signed(s, period)
        if not changes:
            messages.info(self, "与签发版相比，数字没有变化。")
            return
        RowsDialog("与签发版比较", f"签发后记录有变动，共{len(changes)}处数字不同（签发版不受影响）：",
                   ("指标", "列", "签发时", "现在"), [(c.label, c.column, c.signed, c.now) for c in changes], self).exec()

    def export_signed_files(self) -> None:
        period = self.period()
        folder = QFileDialog.getExistingDirectory(self, "导出签发版到", str(Path.home())) if period else ""
        if not folder or period is None:
            return
        try:
            with self.ctx.db.read() as s:
                paths = export_signed(s, period, Path(folder))
        except StationError as err:
            messages.show_error(self, err)
            return
        messages.info(self, "已导出签发版：\n" + "\n".join(str(p) for p in paths))
