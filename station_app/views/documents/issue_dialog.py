"""开具文书: type, project/inspection, the inspection's hazards (with deadlines) to list, signer, dates,
evidence photos and the type's own fields; 预览 opens an unnumbered copy marked 预览, 签发 numbers and stores it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from station_app import clock
from station_app.errors import StationError
from station_app.services.documents import context as dc
from station_app.services.documents.issuing import (
    IssueRequest,
    document_file,
    issue_document,
    preview_document,
)
from station_app.services.documents.table import (
    evidence_choices,
    hazard_choices,
    inspection_project,
    project_inspections,
)
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.dialogs.form import FormDialog
from station_app.views.documents import file_actions
from station_app.views.inspections.project_picker import ProjectPicker
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, ValueCombo

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _checked_ids(widget: QListWidget) -> tuple[int, ...]:
    return tuple(int(widget.item(i).data(ID_ROLE)) for i in range(widget.count())
                 if widget.item(i).checkState() == Qt.CheckState.Checked)


class IssueDocumentDialog(FormDialog):
    """Pre-fill with ``inspection_id`` (from the inspection page) or ``project_id``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, doc_type: str = "安全隐患整改通知书",
                 inspection_id: int | None = None, project_id: int | None = None) -> None:
        super().__init__(parent, "开具执法文书", ok_text="签发(&S)")
        self.ctx = ctx
        self.setMinimumWidth(760)
        self.issued: tuple[int, str] | None = None
        types = [t for t in dc.all_types() if dc.TYPE_SPECS[t].numbered]
        self.type_combo = ValueCombo([(t, t) for t in types], self)
        self.project = ProjectPicker(ctx, self)
        self.inspection = ValueCombo([("（不关联监督检查）", None)], self)
        self.hazards = QListWidget(self)
        self.hazards.setMinimumHeight(150)
        self.addressee = QLineEdit(self)
        self.addressee.setPlaceholderText("留空则为该项目的施工总承包单位")
        self.signer = QLineEdit(ctx.actor.full_name, self)
        self.issue_date = DateEdit(self)
        self.issue_date.set_value(clock.today())
        self.deadline = DateEdit(self)
        self.evidence = QListWidget(self)
        self.evidence.setMaximumHeight(110)
        self.add_field("文书类型", "文书类型", self.type_combo)
        self.add_field("项目", "项目", self.project)
        self.add_field("监督检查", "监督检查", self.inspection)
        self.add_field("隐患", "列入的隐患", self.hazards, hint="勾选要列入文书的隐患；整改期限为各隐患的具体日期",
                       aliases=[f"隐患第{i}行" for i in range(1, 201)])
        self.add_field("受文单位", "受文单位/当事人", self.addressee)
        self.add_field("签发人", "签发人", self.signer)
        self.add_field("签发日期", "签发日期", self.issue_date)
        self.add_field("整改期限", "整改期限", self.deadline, hint="留空则取所列隐患中最晚的整改期限")
        self.add_field("证据", "引用的证据", self.evidence, hint="打印证据编号和SHA-256前缀，便于复议、诉讼时核对原件")
        self.extra_form = QFormLayout()
        self.form.addRow(self.extra_form)
        self.extra_edits: dict[str, QLineEdit] = {}
        self.preview_button = QPushButton("预览(&P)", self)
        self.buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.preview_button.clicked.connect(self.preview)
        self.type_combo.value_changed.connect(self._type_changed)
        self.project.picked.connect(self._project_picked)
        self.inspection.value_changed.connect(self._inspection_changed)
        self.hazards.itemChanged.connect(lambda _i: self._reload_evidence())
        self.type_combo.set_value(doc_type)
        self._type_changed()
        if inspection_id is not None:
            with ctx.db.read() as s:
                found = inspection_project(s, inspection_id)
            if found:
                self.project.set_value(found[0], found[1])
                self._project_picked(found[0])
                self.inspection.set_value(inspection_id)
                self._inspection_changed()
        elif project_id is not None:
            self._project_picked(project_id)

    # -------------------------------------------------------------- dependent choices

    def _type_changed(self, *_args: Any) -> None:
        spec = dc.type_spec(self.type_combo.value() or "")
        while self.extra_form.rowCount():
            self.extra_form.removeRow(0)
        self.extra_edits = {}
        for name in spec.fields if spec else ():
            edit = QLineEdit(self)
            if name in (spec.required if spec else ()):
                edit.setPlaceholderText("必填")
            self.extra_form.addRow(f"{name}：", edit)
            self.extra_edits[name] = edit
        self.deadline.setEnabled(bool(spec and spec.needs_deadline) or bool(spec and "期限" in "".join(spec.fields)))

    def _project_picked(self, project_id: Any) -> None:
        items: list[tuple[str, Any]] = [("（不关联监督检查）", None)]
        if project_id is not None:
            with self.ctx.db.read() as s:
                items += [(c.label, c.id) for c in project_inspections(s, int(project_id))]
        self.inspection.set_items(items, keep=False)
        self._reload_hazards()

    def _inspection_changed(self, *_args: Any) -> None:
        self._reload_hazards()

    def _reload_hazards(self) -> None:
        self.hazards.blockSignals(True)
        self.hazards.clear()
        with self.ctx.db.read() as s:
            rows = hazard_choices(s, inspection_id=self.inspection.value(), project_id=self.project.value(),
                                  open_only=self.inspection.value() is None)
        for h in rows:
            item = QListWidgetItem(f"{h.code}［{h.level}］{h.description} — 整改期限 {h.deadline_info.text}（{h.state}）")
            item.setToolTip(h.deadline_info.reason)  # why the 整改期限 is 暂定
            item.setData(ID_ROLE, h.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if self.inspection.value() is not None
                               else Qt.CheckState.Unchecked)
            self.hazards.addItem(item)
        self.hazards.blockSignals(False)
        self._reload_evidence()

    def _reload_evidence(self) -> None:
        keep = set(_checked_ids(self.evidence))
        self.evidence.clear()
        with self.ctx.db.read() as s:
            rows = evidence_choices(s, inspection_id=self.inspection.value(), hazard_ids=_checked_ids(self.hazards))
        for e in rows:
            item = QListWidgetItem(f"{e.code}  {e.label}  SHA-256 {e.sha_prefix}")
            item.setData(ID_ROLE, e.blob_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if e.blob_id in keep else Qt.CheckState.Unchecked)
            self.evidence.addItem(item)

    def check_hazard(self, hazard_id: int, on: bool = True) -> None:
        for i in range(self.hazards.count()):
            if self.hazards.item(i).data(ID_ROLE) == hazard_id:
                self.hazards.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def check_all_evidence(self) -> None:
        for i in range(self.evidence.count()):
            self.evidence.item(i).setCheckState(Qt.CheckState.Checked)

    # -------------------------------------------------------------- request

    def request(self) -> IssueRequest | None:
        if not self.issue_date.is_valid() or not self.deadline.is_valid():
            self.set_field_error("签发日期" if not self.issue_date.is_valid() else "整改期限", "日期格式有误")
            return None
        if self.project.has_unpicked_text():
            self.set_field_error("项目", "请从下拉列表中选择项目")
            return None
        extra = {k: e.text().strip() for k, e in self.extra_edits.items() if e.text().strip()}
        return IssueRequest(
            doc_type=self.type_combo.value(), issue_date=self.issue_date.value() or clock.today(),
            signer_name=self.signer.text(), project_id=self.project.value(), inspection_id=self.inspection.value(),
            hazard_ids=_checked_ids(self.hazards), addressee=self.addressee.text(),
            deadline=self.deadline.value(), evidence_blob_ids=_checked_ids(self.evidence), extra=extra)

    def preview(self) -> None:
        self.clear_errors()
        req = self.request()
        if req is None:
            return
        data_dir = self.ctx.runtime.data
        try:
            with self.ctx.db.read() as s:
                data = preview_document(s, req, templates_dir=data_dir.templates)
        except StationError as err:
            self.show_errors(err)
            return
        path = file_actions.write_preview(data_dir, req.doc_type, data)
        file_actions.open_path(self, path)

    def build_job(self) -> Job | None:
        req = self.request()
        if req is None:
            return None
        db, actor, data_dir = self.ctx.db, self.ctx.actor, self.ctx.runtime.data

        def job(_progress: Any, _cancelled: Any) -> tuple[int, str, str]:
            with db.write() as s:
                doc = issue_document(s, actor, req, templates_dir=data_dir.templates)
                doc_id, number = doc.id, doc.number
            with db.read() as s:
                path = document_file(s, data_dir, doc_id)
            return doc_id, number, str(path)

        return job

    def saved(self, result: Any) -> None:
        doc_id, number, path = result
        self.issued = (doc_id, number)
        self.ctx.notify("document")
        if messages.confirm(self, f"已签发 {number}。\n文件：{path}\n\n现在用 Word/WPS 打开打印吗？", "签发完成",
                            ok_text="打开", cancel_text="稍后"):
            file_actions.open_path(self, path)
