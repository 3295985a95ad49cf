"""The inspection form: one dialog to record a site visit in under a minute.

Header: project (name / 拼音首字母 / 许可证号; picking it ticks the project's supervisors and fills
the 到岗 rows; F3 shows the last inspection), time (now), kind, campaign, inspectors. Tabs: 基本信息
(weather, parts, presence, conclusion, site photos) · 检查项目 · 问题隐患 (with photos) · JGJ 59评分.
Ctrl+S saves off the UI thread; errors appear next to their fields and the input stays. Every change
is kept as a draft (~1 s later); a successful save discards it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_app import clock
from station_app.errors import StationError, ValidationError
from station_app.formatting import chinese_datetime
from station_app.rules import hazards
from station_app.rules.errors import RuleInputError
from station_app.services.attachments import AttachmentStore
from station_app.services.drafts import DraftStore
from station_app.services.inspections.campaigns import check_item_catalog, list_campaigns
from station_app.services.inspections.forms import (
    INSPECTOR_ROLES,
    KINDS,
    InspectionData,
    eligible_inspectors,
    expected_presence,
)
from station_app.services.inspections.records import create_inspection, get_inspection, update_inspection
from station_app.services.inspections.table import last_inspection_id
from station_app.services.registry.projects import get_project
from station_app.services.supervision.assignments import team_on
from station_app.views.app_context import AppContext
from station_app.views.inspections.draft_keeper import DraftKeeper, InspectionDraft, form_key
from station_app.views.inspections.form_parts import FormParts
from station_app.views.inspections.last_inspection import LastInspectionDialog, summary_line
from station_app.views.tasks import Cancelled, Progress, TaskRunner
from station_app.views.widgets import FormErrors, InputReader

_FINDING_KEY = re.compile(r"^问题第(\d+)条")


class InspectionForm(QDialog):
    """New inspection (``inspection_id`` None) or an existing one; ``draft`` restores unsaved input."""

    saved = Signal(int)
    #: a new form starts from the kind, campaign and weather of the last one saved
    last_entry: ClassVar[dict[str, Any]] = {}

    def __init__(self, ctx: AppContext, inspection_id: int | None = None, parent: QWidget | None = None, *,
                 draft: InspectionDraft | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._id = inspection_id
        self.read_only = not ctx.can("inspection.write")
        title = "编辑监督检查记录" if inspection_id else "新增监督检查记录"
        self.setWindowTitle(title + ("（只读）" if self.read_only else ""))
        self.resize(1140, 820)
        self.runner = TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
        self.store = AttachmentStore.of(ctx.runtime.data)
        self.errors = FormErrors(self)
        self.saved_id: int | None = None
        self._saving = False
        self._dirty = False
        self._loading = True
        self._last: InspectionData | None = None
        self._catalog_key: tuple[object, ...] | None = None
        with ctx.db.read() as s:
            record = get_inspection(s, inspection_id) if inspection_id else None
            inspectors = eligible_inspectors(s)
            campaigns = list_campaigns(s, active_only=False)
        self._version = record.version if record else None
        if draft is not None and draft.data.version is not None:
            self._version = draft.data.version  # typed against that version: a change since is StaleRecord
        self.parts = FormParts(ctx, self, self.errors, self.store, self.runner, inspectors, campaigns,
                               record.campaign_id if record else None)
        self._build()
        self.drafts = DraftKeeper(DraftStore.of(ctx.runtime.data), ctx.actor.username, form_key(inspection_id),
                                  self.runner, self._draft_payload, self)
        self.drafts.saved.connect(lambda at: self.status.setText(f"草稿已自动保存 {at:%H:%M:%S}"))
        if draft is not None:
            self._load(self._with_saved_files(draft.data, record), draft.extra)
            self._dirty = True
            self.status.setText(f"已恢复 {chinese_datetime(draft.saved_at)} 的草稿")
        else:
            self._load(record or self._defaults(), {})
        self._loading = False
        self.parts.connect_changes(self._changed)
        p = self.parts
        p.project.picked.connect(self._project_picked)
        p.when.value_changed.connect(self._when_changed)
        p.campaign.value_changed.connect(lambda _v: self._refresh_catalog())
        p.checks.convert_requested.connect(self._convert)
        p.findings.changed.connect(self._findings_changed)
        if self.read_only:
            p.lock()
        self._update_titles()
        p.project.setFocus()

    # -------------------------------------------------------------- layout

    def _build(self) -> None:
        p = self.parts
        self.tabs = QTabWidget(self)
        self.tabs.addTab(p.basics_tab, "基本信息(&1)")
        self.tabs.addTab(p.checks, "检查项目(&2)")
        self.tabs.addTab(p.findings, "问题隐患(&3)")
        self.tabs.addTab(p.jgj, "JGJ 59评分(&4)")
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #666;")
        self.save_button = QPushButton("保存(&S)", self)
        self.save_button.setToolTip("保存（Ctrl+S）")
        self.save_button.setEnabled(not self.read_only)
        self.close_button = QPushButton("关闭", self)
        self.close_button.setToolTip("关闭（Esc）。未保存的录入会保留为草稿，下次打开时可以恢复")
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.banner)
        layout.addLayout(p.header(self.errors))
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        p.register_errors(self.errors)
        p.last_button.clicked.connect(self.show_last)
        for b in self.findChildren(QPushButton):  # Enter never presses a button behind the clerk's back
            b.setAutoDefault(False)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence("F3"), self, self.show_last)
        QShortcut(QKeySequence("Ctrl+N"), self, self._new_finding)

    # -------------------------------------------------------------- load / collect

    def _defaults(self) -> InspectionData:
        last = self.last_entry
        actor = self.ctx.actor
        me = (actor.user_id,) if actor.user_id is not None and actor.role in INSPECTOR_ROLES else ()
        return InspectionData(inspected_at=self.parts.now(), project_id=0, inspector_ids=me,
                              kind=last.get("kind", KINDS[0]), campaign_id=last.get("campaign_id"),
                              weather=last.get("weather", ""))

    @staticmethod
    def _with_saved_files(data: InspectionData, record: InspectionData | None) -> InspectionData:
        """A draft of a saved inspection carries only new files; put the saved ones back beside them."""
        if record is None:
            return data
        saved = {f.id: f.attachments for f in record.findings}
        return replace(data, attachments=record.attachments,
                       findings=tuple(replace(f, attachments=saved.get(f.id, ())) for f in data.findings))

    def _load(self, d: InspectionData, extra: dict[str, Any]) -> None:
        self.parts.load(d, extra)
        self._refresh_catalog()
        self.parts.checks.load(d.check_items)
        self.parts.checks.set_converted(self.parts.findings.check_codes())
        if d.project_id:
            self._read_last(d.project_id)
        if isinstance(extra.get("tab"), int):
            self.tabs.setCurrentIndex(extra["tab"])

    def collect(self, strict: bool = True) -> InspectionData:
        """The form as InspectionData. ``strict``: input that cannot be read raises ValidationError."""
        r = InputReader()
        data = self.parts.collect(r if strict else None, self._id, self._version)
        if strict:
            r.check()
        return data

    def _draft_payload(self) -> dict[str, Any]:
        p = self.parts
        return {"inspection": self.collect(strict=False),
                "extra": {"when_text": p.when.text(), "project_text": p.project.text(),
                          "tab": self.tabs.currentIndex()}}

    def is_dirty(self) -> bool:
        return self._dirty

    # -------------------------------------------------------------- reacting

    def _changed(self, *_args: object) -> None:
        if self._loading or self.read_only:
            return
        self._dirty = True
        self.drafts.schedule()
        self._update_titles()

    def _update_titles(self) -> None:
        p = self.parts
        checks, findings, score = p.checks.checked_count(), len(p.findings.rows), p.jgj.result
        self.tabs.setTabText(1, "检查项目(&2)" + (f"（{checks}）" if checks else ""))
        self.tabs.setTabText(2, "问题隐患(&3)" + (f"（{findings}）" if findings else ""))
        self.tabs.setTabText(3, "JGJ 59评分(&4)" + (f"（{score.total:.1f} {score.grade}）" if score else ""))

    def _when_changed(self) -> None:
        day = self.parts.day()
        self.parts.findings.set_day(day)
        self._refresh_catalog()

    def _refresh_catalog(self) -> None:
        day = self.parts.day() or clock.today()
        try:
            edition: str | None = hazards.edition_in_force(day)
        except RuleInputError:
            edition = None
        key = (edition, self.parts.campaign.value())
        if key == self._catalog_key:
            return
        self._catalog_key = key
        with self.ctx.db.read() as s:
            catalog = check_item_catalog(s, on=day, campaign_id=self.parts.campaign.value())
        self.parts.checks.set_catalog(catalog)

    def _project_picked(self, project_id: object) -> None:
        if project_id is None:
            self._last = None
            self.parts.show_project(None, "")
            return
        pid = int(str(project_id))
        day = self.parts.day() or clock.today()
        with self.ctx.db.read() as s:
            team = team_on(s, pid, day)
            presence = expected_presence(s, pid)
        if team.member_ids:
            names = ((team.principal_name,) if team.principal_id is not None else ()) + team.second_names
            self.parts.set_inspectors(team.member_ids, names)
        self.parts.presence.load(presence)
        self._read_last(pid)
        self._changed()

    def _read_last(self, project_id: int) -> None:
        p = self.parts
        with self.ctx.db.read() as s:
            project = get_project(s, project_id)
            last_id = last_inspection_id(s, project_id, before=p.when_or_none(), exclude_id=self._id)
            self._last = get_inspection(s, last_id) if last_id else None
        p.show_project({"status": project.status, "grid": project.grid_name, "permit_no": project.permit_no},
                       summary_line(self._last))

    def _findings_changed(self) -> None:
        self.parts.checks.set_converted(self.parts.findings.check_codes())
        self._changed()

    def _convert(self, row: object) -> None:
        index = self.parts.findings.add_from_check(row)  # type: ignore[arg-type]
        self.tabs.setCurrentWidget(self.parts.findings)
        self.parts.findings.select(index)
        self.parts.findings.location.setFocus()

    def _new_finding(self) -> None:
        if not self.read_only:
            self.tabs.setCurrentWidget(self.parts.findings)
            self.parts.findings.add_blank()

    def show_last(self) -> LastInspectionDialog | None:
        """F3: the project's previous inspection, with 沿用 for kind, campaign and parts."""
        if self.parts.project.value() is None:
            self.status.setText("请先选择工程项目，再按 F3 查看上次检查")
            return None
        if self._last is None:
            self.status.setText("该项目尚无检查记录")
            return None
        dlg = LastInspectionDialog(self._last, self, can_copy=not self.read_only)
        dlg.accepted.connect(lambda: self.parts.copy_from(self._last) if dlg.copy_chosen and self._last else None)
        dlg.open()
        return dlg

    # -------------------------------------------------------------- saving and leaving

    def save(self) -> None:
        if self.read_only or self._saving:
            return
        try:
            data = self.collect()
        except ValidationError as err:
            self._show_errors(err)
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self.status.setText("正在保存…")
        db, actor, store = self.ctx.db, self.ctx.actor, self.store

        def job(_progress: Progress, _cancelled: Cancelled) -> InspectionData:
            with db.write() as s:
                if data.id is not None:
                    return update_inspection(s, actor, data, store=store)
                return create_inspection(s, actor, data, store=store)

        self.runner.run(job, title="保存监督检查记录", on_success=self._saved, on_failure=self._save_failed,
                        cancellable=False)

    def _saved(self, result: InspectionData) -> None:
        self._saving = False
        self.drafts.discard()
        self.errors.clear()
        assert result.id is not None
        self.saved_id = result.id
        self._dirty = False
        if self._id is None:
            InspectionForm.last_entry = {"kind": result.kind, "campaign_id": result.campaign_id,
                                         "weather": result.weather}
        self.ctx.notify("inspection")
        self.saved.emit(result.id)
        self.accept()

    def _save_failed(self, err: BaseException) -> bool:
        self._saving = False
        self.save_button.setEnabled(True)
        self.status.setText("未保存")
        if isinstance(err, ValidationError):
            self._show_errors(err)
            return True
        if isinstance(err, StationError):  # StaleRecord, PermissionDenied, DatabaseUnavailable …
            self.errors.show(str(err))
            return True
        return False  # unexpected: the runner explains it; the input stays

    def _show_errors(self, err: ValidationError) -> None:
        self.errors.show(err)
        for key in err.errors:
            m = _FINDING_KEY.match(key)
            if m:
                self.parts.findings.select(int(m.group(1)) - 1)
                break

    def reject(self) -> None:
        """Close; unsaved input stays as a draft (offered again next time)."""
        if self._saving:
            return
        if self._dirty and not self.read_only:
            self.drafts.flush()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._saving:
            event.ignore()
            return
        super().closeEvent(event)

