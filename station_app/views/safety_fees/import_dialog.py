"""导入使用台账: pick a contractor's .xlsx ledger, see every row checked, import all or nothing.

The file is read and checked off the UI thread (``preview_import``); rows with problems are shown in
red with the field named, rows that will be flagged 待复核 in orange. 导入 is enabled only when every
row is good; the import checks the file again in one transaction (a voucher typed meanwhile refuses it).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.errors import StationError, ValidationError
from station_app.formatting import chinese_date, format_yuan
from station_app.services.safety_fees.ledger import category_labels
from station_app.services.safety_fees.ledger_import import (
    COLUMNS,
    ImportPreview,
    import_ledger,
    preview_import,
    write_template,
)
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.safety_fees.editors import ENTITY
from station_app.views.safety_fees.project_tabs import make_table
from station_app.views.tasks import TaskRunner

_BAD = QColor("#fde2e1")
_FLAG = QColor("#fff1d6")
_ERROR_STYLE = "color: #c0392b;"


class LedgerImportDialog(QDialog):
    def __init__(self, ctx: AppContext, project_id: int, project_name: str = "", parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project_id = project_id
        self.today = today
        self.preview: ImportPreview | None = None
        self.imported: ImportPreview | None = None
        self.runner = TaskRunner(self)
        self.setWindowTitle(f"导入安全生产费用使用台账 — {project_name}" if project_name else "导入安全生产费用使用台账")
        self.resize(980, 600)
        lay = QVBoxLayout(self)
        intro = QLabel(f"Excel 工作簿第一张工作表，表头行含列：{'、'.join(COLUMNS)}（可先下载空白模板）。"
                       "每一行都须正确才会导入，任何一行有误则一条也不保存；含负面清单关键词的支出导入后标记为“待复核”。", self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        row = QHBoxLayout()
        self.path = QLineEdit(self)
        self.path.setPlaceholderText("选择承包单位的使用台账（.xlsx）")
        self.path.returnPressed.connect(lambda: self.load(self.path.text()))
        self.pick_button = QPushButton("选择文件(&F)…", self)
        self.pick_button.clicked.connect(lambda: self.choose_file())
        self.template_button = QPushButton("下载空白模板…", self)
        self.template_button.clicked.connect(lambda: self.save_template())
        row.addWidget(self.path, 1)
        row.addWidget(self.pick_button)
        row.addWidget(self.template_button)
        lay.addLayout(row)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = make_table(("行号", *COLUMNS, "检查结果"), self)
        lay.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.do_import)
        self.cancel_button.clicked.connect(self.reject)
        lay.addWidget(self.buttons)
        if not ctx.can("safety_fee.write"):
            self.summary.setText("当前角色无权登记安全生产费用，只能查看文件检查结果。")

    # -------------------------------------------------------------- files

    def choose_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "选择使用台账", str(Path.home()),
                                                  "Excel 工作簿 (*.xlsx);;所有文件 (*)")
        if path:
            self.load(path)

    def save_template(self, path: str | None = None) -> Path | None:
        if path is None:
            default = str(Path.home() / "安全生产费用使用台账_导入模板.xlsx")
            path, _ = QFileDialog.getSaveFileName(self, "保存导入模板", default, "Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        target = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        try:
            write_template(target)
        except OSError as err:
            messages.warn(self, f"无法保存模板：{err}")
            return None
        messages.info(self, f"空白模板已保存到：\n{target}")
        return target

    # -------------------------------------------------------------- preview and import

    def load(self, path: str) -> None:
        """Read and check the file off the UI thread; the table shows every row with its result."""
        path = path.strip()
        if not path:
            return
        self.path.setText(path)
        self.preview = None
        self._busy(True)
        self.summary.setStyleSheet("")
        self.summary.setText("正在读取和检查…")
        db, pid, today = self.ctx.db, self.project_id, self.today

        def job(_progress: Any, _cancelled: Any) -> ImportPreview:
            with db.read() as s:
                return preview_import(s, pid, Path(path), today=today)

        self.runner.run(job, title="检查使用台账", on_success=self._previewed, on_failure=self._load_failed,
                        cancellable=False, show_after_ms=1500)

    def _busy(self, busy: bool) -> None:
        for b in (self.pick_button, self.template_button, self.cancel_button):
            b.setEnabled(not busy)
        ok = not busy and self.preview is not None and self.preview.ok and self.ctx.can("safety_fee.write")
        self.import_button.setEnabled(ok)

    def _load_failed(self, err: BaseException) -> bool:
        self._busy(False)
        if not isinstance(err, StationError):
            return False
        self._show_rows(None)
        self.summary.setStyleSheet(_ERROR_STYLE)
        self.summary.setText(_error_text(err))
        return True

    def _previewed(self, preview: ImportPreview) -> None:
        self.preview = preview
        self._show_rows(preview)
        bad = sum(1 for r in preview.rows if r.error)
        head = f"{preview.file_name}：表头在第{preview.header_row}行，数据 {len(preview.rows)} 行，" \
               f"合计 {format_yuan(preview.total_fen)} 元"
        if preview.errors:
            general = preview.errors.get("文件", "")
            self.summary.setStyleSheet(_ERROR_STYLE)
            self.summary.setText(f"{head}。{general or f'{bad} 行有误'}，未导入任何记录；请改正文件后重新选择。")
        else:
            flag = f"，其中 {preview.flagged_count} 行疑似负面清单，将标记为“待复核”" if preview.flagged_count else ""
            self.summary.setStyleSheet("")
            self.summary.setText(f"{head}。全部检查通过{flag}。点“导入”保存。")
        self._busy(False)

    def _show_rows(self, preview: ImportPreview | None) -> None:
        rows = preview.rows if preview else []
        labels = category_labels()
        self.table.setRowCount(0)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            amount = format_yuan(r.amount_fen) if isinstance(r.amount_fen, int) else str(r.amount_fen or "")
            result = r.error or (r.flag_reason + "，导入后待复核" if r.flag_reason else "正确")
            values = (str(r.row), f"{chinese_date(r.used_on)}" if r.used_on else "", labels.get(r.category, r.category),
                      amount, r.voucher_no, r.description, result)
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 6:
                    item.setToolTip(text)
                if r.error or r.flag_reason:
                    item.setBackground(_BAD if r.error else _FLAG)
                self.table.setItem(i, c, item)

    def do_import(self) -> None:
        if self.preview is None or not self.preview.ok:
            return
        self._busy(True)
        self.import_button.setEnabled(False)
        db, actor, pid, path, today = self.ctx.db, self.ctx.actor, self.project_id, Path(self.path.text()), self.today

        def job(_progress: Any, _cancelled: Any) -> ImportPreview:
            with db.write() as s:
                return import_ledger(s, actor, pid, path, today=today)

        self.runner.run(job, title="导入使用台账", on_success=self._imported, on_failure=self._import_failed,
                        cancellable=False, show_after_ms=800)

    def _imported(self, result: ImportPreview) -> None:
        self.imported = result
        self.ctx.notify(ENTITY)
        flag = f"，其中 {result.flagged_count} 条标记为“待复核”" if result.flagged_count else ""
        messages.info(self, f"已导入 {len(result.rows)} 条使用台账记录{flag}。")
        self._busy(False)
        self.accept()

    def _import_failed(self, err: BaseException) -> bool:
        if isinstance(err, ValidationError):
            # the ledger changed since the preview (e.g. a voucher typed meanwhile): check again
            self.load(self.path.text())
            return True
        self._busy(False)
        return False


def _error_text(err: StationError) -> str:
    if isinstance(err, ValidationError):
        return "；".join(err.errors.values())
    return str(err)
