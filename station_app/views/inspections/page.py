"""监督检查 page: the inspection list (filters by period, project, grid, supervisor, kind, campaign,
重大隐患), 新增/编辑/删除 by role, and 导出Excel of exactly the rows in view (off the UI thread)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget
from sqlalchemy.orm import Session

from station_app.errors import StationError
from station_app.formatting import chinese_datetime
from station_app.services.drafts import DraftStore
from station_app.services.inspections.campaigns import list_campaigns
from station_app.services.inspections.forms import KINDS
from station_app.services.inspections.records import delete_inspection
from station_app.services.inspections.table import INSPECTION_LIST
from station_app.services.station import list_grids
from station_app.services.supervision.assignments import supervisor_choices
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.inspections.draft_keeper import form_key, load_inspection_draft
from station_app.views.inspections.form import InspectionForm
from station_app.views.inspections.project_picker import ProjectPicker
from station_app.views.list_export import ExportsView, ask_xlsx_path, run_list_export
from station_app.views.registry.common import RegistryPage
from station_app.views.table_models import SqlTableModel
from station_app.views.tasks import Task
from station_app.views.widgets import DateEdit, ValueCombo, choices

#: the list shows project, grid and campaign names besides the inspections themselves
LIST_DEPENDS_ON = ("inspection", "project", "grid", "campaign")


class InspectionsPage(RegistryPage, ExportsView):
    entity = "inspection"
    noun = "监督检查记录"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        model = SqlTableModel(ctx, INSPECTION_LIST, entity_types=LIST_DEPENDS_ON)
        super().__init__(ctx, model, "搜索：工程名称、拼音首字母、检查人员、专项行动", parent)
        self.search.setMinimumWidth(260)
        self.init_exports(ctx, "把当前筛选、搜索和排序下的全部记录导出为 Excel 工作簿")
        self.button_bar.addWidget(self.export_button)
        self.document_button = QPushButton("开具文书…", self)
        self.document_button.setToolTip("按所选监督检查记录开具整改通知书、停工整改通知书等执法文书")
        self.document_button.clicked.connect(self.issue_document)
        self.button_bar.addWidget(self.document_button)
        self.case_button = QPushButton("立案…", self)
        self.case_button.setToolTip("按所选监督检查记录登记行政处罚线索（当事人为施工总承包单位，违法事实取自检查发现的问题）")
        self.case_button.clicked.connect(self.open_case)
        self.button_bar.addWidget(self.case_button)

        self.date_from = DateEdit(self)
        self.date_to = DateEdit(self)
        for edit, hint in ((self.date_from, "起始日期"), (self.date_to, "截止日期")):
            edit.setPlaceholderText(hint)
            edit.setMaximumWidth(130)
            edit.value_changed.connect(self._dates_changed)
        self.project_filter = ProjectPicker(ctx, self)
        self.project_filter.setPlaceholderText("项目（名称或拼音首字母）")
        self.project_filter.setMinimumWidth(220)
        self.project_filter.picked.connect(lambda pid: self.model.set_filter("project_id", pid))
        self.project_filter.textChanged.connect(self._project_text)
        self.grid_filter = ValueCombo((), self)
        self.supervisor_filter = ValueCombo((), self)
        self.kind_filter = ValueCombo(choices(KINDS, blank="全部类型"), self)
        self.campaign_filter = ValueCombo((), self)
        self.major_only = QCheckBox("有重大隐患", self)
        self._reload_choices()
        self.grid_filter.value_changed.connect(lambda v: self.model.set_filter("grid_id", v))
        self.supervisor_filter.value_changed.connect(lambda v: self.model.set_filter("supervisor_id", v))
        self.kind_filter.value_changed.connect(lambda v: self.model.set_filter("kind", v))
        self.campaign_filter.value_changed.connect(lambda v: self.model.set_filter("campaign_id", v))
        self.major_only.toggled.connect(lambda on: self.model.set_filter("has_major", on))

        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(QLabel("检查日期", self))
        row.addWidget(self.date_from)
        row.addWidget(QLabel("至", self))
        row.addWidget(self.date_to)
        for w in (self.project_filter, self.grid_filter, self.supervisor_filter, self.kind_filter,
                  self.campaign_filter, self.major_only):
            row.addWidget(w)
        row.addStretch(1)
        layout = self.layout()
        assert layout is not None
        layout.insertLayout(1, row)  # type: ignore[attr-defined]
        ctx.bus.changed.connect(self._on_changed)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_excel)
        self.load()

    # -------------------------------------------------------------- filters

    def _reload_choices(self) -> None:
        with self.ctx.db.read() as session:
            grids = list_grids(session, active_only=False)
            people = supervisor_choices(session, include_inactive=True)
            campaigns = list_campaigns(session, active_only=False)
        self.grid_filter.set_items([("全部网格", None), ("未分网格", -1), *((g.name, g.id) for g in grids)])
        self.supervisor_filter.set_items([("全部监督员", None), *(
            (p.name if p.active else f"{p.name}（停用）", p.id) for p in people)])
        self.campaign_filter.set_items([("全部专项行动", None), ("非专项行动", -1), *((c.name, c.id) for c in campaigns)])

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("grid", "user", "campaign", "*"):
            self._reload_choices()

    def _dates_changed(self) -> None:
        for key, edit in (("date_from", self.date_from), ("date_to", self.date_to)):
            if edit.is_valid() and edit.value() != self.model.query().filters.get(key):
                self.model.set_filter(key, edit.value())

    def _project_text(self, text: str) -> None:
        if not text.strip() and "project_id" in self.model.query().filters:
            self.model.set_filter("project_id", None)

    def set_period(self, start: date | None, end: date | None) -> None:
        self.date_from.set_value(start)
        self.date_to.set_value(end)

    # -------------------------------------------------------------- roles

    def update_actions(self) -> None:
        count = len(self.selected_ids())
        writer = self.ctx.can("inspection.write")
        self.add_button.setEnabled(writer)
        self.edit_button.setText("编辑(&E)" if writer else "查看(&E)")
        self.edit_button.setEnabled(count == 1)
        self.delete_button.setEnabled(self.ctx.can("inspection.delete") and count == 1)
        self.document_button.setEnabled(self.ctx.can("document.issue") and count == 1)
        self.case_button.setEnabled(self.ctx.can("case.write") and count == 1)

    # -------------------------------------------------------------- editing

    def create_editor(self, record_id: int | None) -> InspectionForm:  # type: ignore[override]
        """The form; when the clerk left unsaved input last time, offer to restore it."""
        store = DraftStore.of(self.ctx.runtime.data)
        user = self.ctx.actor.username
        draft = load_inspection_draft(store, user, record_id) if self.ctx.can("inspection.write") else None
        if draft is not None:
            d = draft.data
            what = d.project_name or "未选项目"
            files = len(d.new_files) + sum(len(f.new_files) for f in d.findings)
            # the safe answer (default button, Esc) restores; discarding must be chosen
            if messages.confirm(self, f"有一份 {chinese_datetime(draft.saved_at)} 未保存的监督检查录入：\n"
                                      f"{what}，问题 {len(d.findings)} 条，待保存照片 {files} 张。\n\n是否恢复？",
                                "恢复未保存的录入", ok_text="不恢复，丢弃草稿", cancel_text="恢复草稿"):
                store.discard(user, form_key(record_id))
                draft = None
        form = InspectionForm(self.ctx, record_id, self, draft=draft)
        form.parts.findings.hazard_link.set_context(self.ctx)  # 查看隐患: the hazard each finding became
        return form

    def delete_record(self, session: Session, record_id: int) -> None:
        delete_inspection(session, self.ctx.actor, record_id)

    def delete_selected(self) -> None:
        record_id = self.current_id()
        if record_id is None or not self.delete_button.isEnabled():
            return
        row = self.model.row_of_id(record_id)
        values = self.model.row_values(row) if row is not None else ()
        name = f"{chinese_datetime(values[0])} {values[1]}" if len(values) > 1 and values[0] else ""
        if not messages.confirm(self, f"确定删除监督检查记录“{name}”吗？\n其问题和照片记录一并删除，删除将记入操作日志。",
                                "删除监督检查记录", ok_text="删除"):
            return
        try:
            with self.ctx.db.write() as session:
                self.delete_record(session, record_id)
        except StationError as err:
            messages.warn(self, str(err), "无法删除")
            return
        self.ctx.notify(self.entity)

    def issue_document(self) -> QWidget | None:
        """The issue dialog of the 执法文书 area, pre-filled with the selected inspection and its hazards."""
        record_id = self.current_id()
        if record_id is None or not self.document_button.isEnabled():
            return None
        from station_app.views.documents.issue_dialog import IssueDocumentDialog

        dialog = IssueDocumentDialog(self.ctx, self, inspection_id=record_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_case(self) -> QWidget | None:
        """立案…: the 行政处罚 clue form pre-filled from the selected inspection; the new case opens after."""
        record_id = self.current_id()
        if record_id is None or not self.case_button.isEnabled():
            return None
        from station_app.services.penalties.sources import case_prefill_from_inspection
        from station_app.views.penalties.case_window import CaseWindow
        from station_app.views.penalties.new_case import NewCaseDialog

        with self.ctx.db.read() as session:
            prefill = case_prefill_from_inspection(session, record_id)
        dialog = NewCaseDialog(self.ctx, self, **prefill)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def created() -> None:
            if isinstance(dialog.result_value, int):
                window = CaseWindow(self.ctx, dialog.result_value, self)
                window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                window.show()
                self.case_window = window

        dialog.accepted.connect(created)
        dialog.open()
        return dialog

    # -------------------------------------------------------------- export

    def export_excel(self) -> Task | None:
        """Ask where, then write every row of the current view to an .xlsx (progress, 取消)."""
        if self.export_task is not None:
            return None
        path = ask_xlsx_path(self, "监督检查记录")
        if not path:
            return None
        task = run_list_export(self.runner, self.ctx.db, INSPECTION_LIST, self.model.query(), path, "监督检查记录",
                               self._exported)
        return self._track_export(task)

