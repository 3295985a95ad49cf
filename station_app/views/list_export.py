"""Export the current view of any SQL list to .xlsx: ask where, then write off the UI thread.

One piece for every list page (inspections, hazards, cases, insurance, fees …): the rows are the
model's current query (filters, search, sort) from the first row, written by
``exports.excel_list.export_list_xlsx`` with progress and 取消.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from station_app import clock
from station_app.db.database import Database
from station_app.exports.excel_list import ExportResult, export_list_xlsx
from station_app.services.listing import ListQuery, ListSpec
from station_app.views.dialogs import messages
from station_app.views.tasks import Cancelled, Progress, Task, TaskCancelled, TaskRunner

if TYPE_CHECKING:
    from station_app.views.app_context import AppContext


def ask_xlsx_path(owner: QWidget, title: str) -> str | None:
    """A save dialog proposing 「<title>_YYYYMMDD.xlsx」 in the home folder; None when cancelled."""
    default = str(Path.home() / f"{title}_{clock.today():%Y%m%d}.xlsx")
    path, _filter = QFileDialog.getSaveFileName(owner, f"导出{title}", default, "Excel 工作簿 (*.xlsx)")
    return xlsx_name(path) if path else None


def xlsx_name(path: str) -> str:
    return path if path.lower().endswith(".xlsx") else path + ".xlsx"


def run_list_export(runner: TaskRunner, db: Database, spec: ListSpec, query: ListQuery, path: str, title: str,
                    on_success: Callable[[Any], None]) -> Task:
    """Write every row of ``query`` (from its first row) to ``path`` as a background task."""
    query = replace(query, offset=0)

    def job(progress: Progress, cancelled: Cancelled) -> ExportResult:
        def step(done: int, total: int) -> bool:
            progress(done, total, f"正在导出：{done:,} / {total:,} 条")
            return not cancelled()

        with db.read() as session:
            result = export_list_xlsx(session, spec, query, path, sheet_title=title, progress=step)
        if result.cancelled:
            raise TaskCancelled
        return result

    return runner.run(job, title=f"导出{title}", on_success=on_success)


class ExportsView:
    """For a page that exports its list: ``init_exports`` makes its task runner and 导出Excel button (wired
    to the page's ``export_excel``); one export at a time, the button off while it runs, and a message
    with the row count when done (``last_export`` keeps the result)."""

    #: what the rows are called in the done message (条记录 / 条隐患)
    export_noun = "记录"
    runner: TaskRunner
    export_task: Task | None
    export_button: QPushButton
    last_export: ExportResult | None

    def init_exports(self, ctx: AppContext, tooltip: str = "") -> None:
        owner = cast(QWidget, self)
        self.runner = TaskRunner(owner, log_file=ctx.runtime.data.logs / "station_app.log")
        self.export_task = None
        self.last_export = None
        self.export_button = QPushButton("导出Excel(&X)", owner)
        if tooltip:
            self.export_button.setToolTip(tooltip)
        self.export_button.clicked.connect(lambda: self.export_excel())

    def export_excel(self) -> Task | None:
        raise NotImplementedError

    def _track_export(self, task: Task | None) -> Task | None:
        if task is not None:
            self.export_task = task
            self.export_button.setEnabled(False)
            task.finished.connect(self._export_finished)
        return task

    def _exported(self, result: ExportResult) -> None:
        self.last_export = result
        messages.info(self, f"已导出 {result.rows:,} 条{self.export_noun}：\n{result.path}",  # type: ignore[arg-type]
                      "导出完成")

    def _export_finished(self) -> None:
        self.export_task = None
        self.export_button.setEnabled(True)
