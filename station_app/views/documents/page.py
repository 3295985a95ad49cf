"""执法文书 page: the issued documents (filters: type, year, status, project, issue date — all in SQL),
开具文书, 打开 in Word/WPS, PDF, 作废 (chief), batch printing of one day's documents, contractor forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QMenu, QPushButton, QWidget

from station_app import clock
from station_app.formatting import chinese_date
from station_app.services.documents import context as dc
from station_app.services.documents.issuing import (
    VOID_RECORD,
    blank_form,
    document_file,
    void_document,
    void_record_of,
)
from station_app.services.documents.printing import documents_of_day, export_pdfs, merge_pdfs, pdf_available
from station_app.services.documents.rendering import set_template_dir
from station_app.services.documents.table import DOCUMENT_LIST, document_info, document_years, form_prefill
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.dialogs.form import FormDialog
from station_app.views.documents import file_actions
from station_app.views.documents.issue_dialog import IssueDocumentDialog
from station_app.views.inspections.project_picker import ProjectPicker
from station_app.views.registry.common import RegistryPage
from station_app.views.table_models import SqlTableModel
from station_app.views.tasks import Job, Task, TaskRunner
from station_app.views.widgets import DateEdit, ValueCombo, choices

LIST_DEPENDS_ON = ("document", "project")


class VoidDialog(FormDialog):
    def __init__(self, ctx: AppContext, document_id: int, label: str, parent: QWidget | None = None,
                 on_voided: Callable[[int], Any] | None = None) -> None:
        super().__init__(parent, "作废文书", ok_text="作废", intro=(
            f"作废 {label}。\n作废后文号不再使用，已签发的文件不作改动，记录上标明“已作废”及原因，"
            "并生成一份作废记录（另行编号，可打印送达）；如需更正请另行签发新文书。"))
        self.ctx, self.document_id, self.on_voided = ctx, document_id, on_voided
        self.reason = QLineEdit(self)
        self.add_field("作废原因", "作废原因", self.reason)

    def build_job(self) -> Job | None:
        db, actor, doc_id, reason = self.ctx.db, self.ctx.actor, self.document_id, self.reason.text()

        def job(_p: Any, _c: Any) -> int:
            with db.write() as s:
                void_document(s, actor, doc_id, reason)
            return doc_id

        return job

    def saved(self, result: Any) -> None:
        self.ctx.notify("document")
        if self.on_voided is not None:
            self.on_voided(int(result))


class DayDialog(FormDialog):
    """Which day's documents to print."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, "批量打印当日文书", ok_text="生成PDF")
        self.day = DateEdit(self)
        self.day.set_value(clock.today())
        self.add_field("日期", "签发日期", self.day)

    def build_job(self) -> Job | None:
        if self.day.value() is None:
            self.set_field_error("日期", "请填写日期")
            return None
        day = self.day.value()
        return lambda _p, _c: day


class DocumentsPage(RegistryPage):
    entity = "document"
    noun = "文书"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        set_template_dir(ctx.runtime.data.templates)
        model = SqlTableModel(ctx, DOCUMENT_LIST, entity_types=LIST_DEPENDS_ON)
        super().__init__(ctx, model, "搜索：文号、文书类型、受文单位、工程名称、签发人", parent)
        self.search.setMinimumWidth(260)
        self.runner = TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
        self.last_task: Task | None = None
        self.add_button.setText("开具文书(&N)")
        self.edit_button.setText("打开(&O)")
        self.edit_button.setToolTip("用 Word/WPS 打开签发存档的原件（每次打开都是同一文件）")
        self.delete_button.hide()
        self.pdf_button = QPushButton("导出PDF", self)
        self.void_button = QPushButton("作废…", self)
        self.void_record_button = QPushButton("作废记录", self)
        self.void_record_button.setToolTip("打开所选已作废文书的作废记录（存档原件，可打印）")
        self.day_button = QPushButton("打印当日文书…", self)
        self.forms_button = QPushButton("打印表式", self)
        menu = QMenu(self.forms_button)
        for name in ("隐患整改完成报告", "复工申请"):
            for prefill, label in ((False, "空白"), (True, "按所选文书预填")):
                action = menu.addAction(f"{name}（{label}）")
                action.triggered.connect(self._form_action(name, prefill))
        self.forms_button.setMenu(menu)
        for b in (self.pdf_button, self.void_button, self.void_record_button, self.day_button, self.forms_button):
            self.button_bar.addWidget(b)
        self.pdf_button.clicked.connect(self.export_selected_pdf)
        self.void_button.clicked.connect(self.void_selected)
        self.void_record_button.clicked.connect(lambda *_: self.open_void_record())
        self.day_button.clicked.connect(self.print_day)

        self.type_filter = ValueCombo(choices([*dc.all_types()[:-2], VOID_RECORD], blank="全部文书"), self)
        self.year_filter = ValueCombo((), self)
        self.status_filter = ValueCombo(choices(("已签发", "已作废"), blank="全部状态"), self)
        self.project_filter = ProjectPicker(ctx, self)
        self.project_filter.setPlaceholderText("项目（名称或拼音首字母）")
        self.project_filter.setMinimumWidth(200)
        self.date_from, self.date_to = DateEdit(self), DateEdit(self)
        for edit, hint in ((self.date_from, "起始日期"), (self.date_to, "截止日期")):
            edit.setPlaceholderText(hint)
            edit.setMaximumWidth(120)
            edit.value_changed.connect(self._dates_changed)
        self._reload_years()
        self.type_filter.value_changed.connect(lambda v: self.model.set_filter("doc_type", v))
        self.year_filter.value_changed.connect(lambda v: self.model.set_filter("year", v))
        self.status_filter.value_changed.connect(lambda v: self.model.set_filter("status", v))
        self.project_filter.picked.connect(lambda pid: self.model.set_filter("project_id", pid))
        row = QHBoxLayout()
        row.setSpacing(6)
        for w in (self.type_filter, self.year_filter, self.status_filter, self.project_filter):
            row.addWidget(w)
        row.addWidget(QLabel("签发日期", self))
        row.addWidget(self.date_from)
        row.addWidget(QLabel("至", self))
        row.addWidget(self.date_to)
        row.addStretch(1)
        layout = self.layout()
        assert layout is not None
        layout.insertLayout(1, row)  # type: ignore[attr-defined]
        ctx.bus.changed.connect(self._on_changed)
        self.load()

    # -------------------------------------------------------------- filters and state

    def _reload_years(self) -> None:
        with self.ctx.db.read() as s:
            years = document_years(s)
        self.year_filter.set_items([("全部年度", None), *((f"{y}年", y) for y in years)])

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("document", "*"):
            self._reload_years()

    def _dates_changed(self) -> None:
        for key, edit in (("date_from", self.date_from), ("date_to", self.date_to)):
            if edit.is_valid() and edit.value() != self.model.query().filters.get(key):
                self.model.set_filter(key, edit.value())

    def update_actions(self) -> None:
        ids = self.selected_ids()
        self.add_button.setEnabled(self.ctx.can("document.issue"))
        self.edit_button.setEnabled(len(ids) == 1)
        self.pdf_button.setEnabled(bool(ids))
        status = self._status(ids[0]) if len(ids) == 1 else ""
        self.void_button.setEnabled(self.ctx.can("document.void") and status == "已签发")
        self.void_record_button.setEnabled(status == "已作废")

    def _status(self, doc_id: int) -> str:
        row = self.model.row_of_id(doc_id)
        if row is None:
            return ""
        keys = [c.key for c in DOCUMENT_LIST.columns]
        return str(self.model.row_values(row)[keys.index("status")])

    # -------------------------------------------------------------- actions

    def _form_action(self, name: str, prefill: bool) -> Any:
        return lambda *_: self.print_form(name, prefill=prefill)

    def open_editor(self, record_id: int | None) -> Any:
        if record_id is None:
            return self.issue_new()
        return self.open_document(record_id)

    def issue_new(self, **prefill: Any) -> IssueDocumentDialog | None:
        if not self.ctx.can("document.issue"):
            return None
        dialog = IssueDocumentDialog(self.ctx, self, **prefill)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_document(self, doc_id: int) -> Path | None:
        try:
            with self.ctx.db.read() as s:
                path = document_file(s, self.ctx.runtime.data, doc_id)
        except Exception as err:
            messages.show_error(self, err, log_file=self.runner.log_file, what="打开文书")
            return None
        file_actions.open_path(self, path)
        return path

    def void_selected(self) -> VoidDialog | None:
        ids = self.selected_ids()
        if len(ids) != 1 or not self.void_button.isEnabled():
            return None
        with self.ctx.db.read() as s:
            info = document_info(s, ids[0])
        if info is None:
            return None
        dialog = VoidDialog(self.ctx, info.id, f"{info.doc_type} {info.number}", self,
                            on_voided=self.open_void_record)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_void_record(self, doc_id: int | None = None) -> Path | None:
        """Open (to print) the 作废记录 of a voided document — the selected one when no id is given."""
        if doc_id is None:
            ids = self.selected_ids()
            if len(ids) != 1:
                return None
            doc_id = ids[0]
        with self.ctx.db.read() as s:
            record = void_record_of(s, doc_id)
            record_id = record.id if record is not None else None
        if record_id is None:
            messages.info(self, "该文书没有作废记录（未作废，或在生成作废记录之前作废）。", "作废记录")
            return None
        return self.open_document(record_id)

    def _pdf_job(self, ids: list[int], merged_name: str | None) -> Job:
        db, data_dir = self.ctx.db, self.ctx.runtime.data

        def job(progress: Any, _cancelled: Any) -> list[Path]:
            with db.read() as s:
                paths = [document_file(s, data_dir, i) for i in ids]
            if not pdf_available():
                return paths
            progress(0, len(paths), f"正在转换 {len(paths)} 份文书为 PDF…")
            pdfs = export_pdfs(paths, data_dir.documents / "PDF")
            if merged_name and len(pdfs) > 1:
                merged = merge_pdfs(pdfs, data_dir.documents / "PDF" / merged_name)
                if merged is not None:
                    return [merged]
            return pdfs or paths

        return job

    def _files_ready(self, files: list[Path]) -> None:
        if not files:
            messages.info(self, "没有可打印的文书。")
            return
        if files[0].suffix.lower() != ".pdf":
            messages.info(self, "未能生成 PDF（需安装 LibreOffice，或 Windows 上的 Word）；"
                                "将用 Word/WPS 逐份打开文书。", "导出PDF")
        for f in files[:20]:
            file_actions.open_path(self, f)

    def export_selected_pdf(self) -> Task | None:
        ids = self.selected_ids()
        if not ids:
            return None
        self.last_task = self.runner.run(self._pdf_job(ids, None), title="导出PDF", on_success=self._files_ready)
        return self.last_task

    def print_day(self) -> Task | None:
        dialog = DayDialog(self)
        if not dialog.exec():
            return None
        return self.print_documents_of(dialog.result_value)

    def print_documents_of(self, day: date) -> Task | None:
        with self.ctx.db.read() as s:
            ids = documents_of_day(s, day)
        if not ids:
            messages.info(self, f"{chinese_date(day)} 没有签发的文书。", "批量打印")
            return None
        self.last_task = self.runner.run(self._pdf_job(ids, f"{day:%Y%m%d}_当日文书_{len(ids)}份.pdf"),
                                         title="批量打印当日文书", on_success=self._files_ready)
        return self.last_task

    def print_form(self, doc_type: str, *, prefill: bool) -> Path | None:
        project_id: int | None = None
        hazard_ids: tuple[int, ...] = ()
        extra: dict[str, Any] = {}
        ids = self.selected_ids()
        if prefill and ids:
            with self.ctx.db.read() as s:
                found = form_prefill(s, ids[0])
            if found is not None:
                project_id, hazard_ids, number = found
                extra = {"原通知书文号": number}
        try:
            with self.ctx.db.read() as s:
                data = blank_form(s, doc_type, project_id=project_id, hazard_ids=hazard_ids, extra=extra,
                                  templates_dir=self.ctx.runtime.data.templates)
        except Exception as err:
            messages.show_error(self, err, log_file=self.runner.log_file, what="打印表式")
            return None
        path = file_actions.write_preview(self.ctx.runtime.data, doc_type, data)
        file_actions.open_path(self, path)
        return path
