"""Export the major hazards of a period for the national 重大事故隐患数据库: pre-check first (every
record missing a required field, by row and field), then write the workbook off the UI thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app import clock
from station_app.exports.hazard_national import write_national_xlsx
from station_app.formatting import chinese_date
from station_app.services.hazards.national_export import NationalRow, Problem, national_rows, precheck
from station_app.services.station import get_station
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.tasks import TaskCancelled, TaskRunner
from station_app.views.widgets import DateEdit


class NationalExportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("导出重大事故隐患（全国数据库录入格式）")
        self.resize(720, 460)
        self.runner = TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
        self.rows: list[NationalRow] = []
        self.problems: list[Problem] = []
        self.checked_period: tuple[date, date] | None = None
        self.exported: Path | None = None
        today = clock.today()
        self.date_from, self.date_to = DateEdit(self), DateEdit(self)
        self.date_from.set_value(date(today.year, 1, 1))
        self.date_to.set_value(today)
        self.check_button = QPushButton("检查缺项", self)
        self.export_button = QPushButton("导出 Excel…", self)
        self.close_button = QPushButton("关闭", self)
        self.summary = QLabel("先检查缺项：列出缺少必填字段的记录，改正后再导出。", self)
        self.summary.setWordWrap(True)
        self.problem_list = QListWidget(self)
        bar = QHBoxLayout()
        for w in (QLabel("发现日期：", self), self.date_from, QLabel("至", self), self.date_to, self.check_button):
            bar.addWidget(w)
        bar.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.summary)
        lay.addWidget(self.problem_list, 1)
        lay.addLayout(buttons)
        self.check_button.clicked.connect(self.run_check)
        self.export_button.clicked.connect(self.export)
        self.close_button.clicked.connect(self.reject)

    def _period(self) -> tuple[date, date] | None:
        try:
            lo, hi = self.date_from.value(), self.date_to.value()
        except ValueError as err:
            messages.warn(self, f"发现日期：{err}")
            return None
        if lo is None or hi is None:
            messages.warn(self, "请填写导出期间的开始和结束日期。")
            return None
        if lo > hi:
            messages.warn(self, "导出期间：开始日期不能晚于结束日期。")
            return None
        return lo, hi

    def run_check(self) -> None:
        period = self._period()
        if period is None:
            return
        db = self.ctx.db

        def job(progress: object, cancelled: object) -> tuple[tuple[date, date], list[NationalRow], list[Problem]]:
            with db.read() as s:
                rows = national_rows(s, *period)
            return period, rows, precheck(rows)

        self.summary.setText("正在检查…")
        self.runner.run(job, title="检查重大事故隐患记录", on_success=self._checked)

    def _checked(self, result: tuple[tuple[date, date], list[NationalRow], list[Problem]]) -> None:
        self.checked_period, self.rows, self.problems = result
        self.problem_list.clear()
        self.problem_list.addItems([p.text for p in self.problems])
        bad = len({p.hazard_id for p in self.problems})
        self.summary.setText(f"期间内重大事故隐患 {len(self.rows)} 条；" + (
            f"{bad} 条记录共 {len(self.problems)} 处缺项（见下表），请到隐患台账补充后再导出。" if self.problems
            else "必填字段齐全，可以导出。"))

    def export(self) -> None:
        period = self._period()
        if period is None:
            return
        if self.checked_period != period:
            messages.info(self, "请先点击“检查缺项”。")
            return
        if not self.rows:
            messages.info(self, "所选期间没有重大事故隐患。")
            return
        if self.problems and not messages.confirm(
                self, f"还有 {len(self.problems)} 处缺项，导出的表格中这些单元格为空。仍然导出吗？", ok_text="仍然导出"):
            return
        default = f"重大事故隐患_{period[0].isoformat()}_{period[1].isoformat()}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出到", str(Path.home() / default), "Excel 工作簿 (*.xlsx)")
        if path:
            self.write_to(Path(path))

    def write_to(self, path: Path) -> None:
        """Write the checked rows to ``path`` off the UI thread (tests call this directly)."""
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        assert self.checked_period is not None
        rows, (lo, hi), db = list(self.rows), self.checked_period, self.ctx.db
        with db.read() as s:
            station = get_station(s)
        title = f"{station.name if station else ''}重大事故隐患清单（发现日期 {chinese_date(lo)}至{chinese_date(hi)}）"

        def job(progress: object, cancelled: object) -> Path:
            def report(done: int, total: int) -> bool:
                progress(done, total, f"已写入 {done} / {total} 条")  # type: ignore[operator]
                return not cancelled()  # type: ignore[operator]

            written = write_national_xlsx(rows, path, title=title, progress=report)
            if written is None:
                raise TaskCancelled()
            return written

        self.runner.run(job, title="导出重大事故隐患", on_success=self._exported)

    def _exported(self, path: Path) -> None:
        self.exported = path
        messages.info(self, f"已导出 {len(self.rows)} 条到：\n{path}")
