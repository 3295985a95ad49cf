"""Register a hazard from a source other than an inspection (企业自查, 举报, 上级督查, 智慧工地), or correct
one while it is still 待整改. The criterion list follows the edition in force on the 发现日期; the
deadline is pre-filled by level from the reference data (the clerk may change it)."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from station_app import clock
from station_app.models.hazard import HazardLevel, HazardSource
from station_app.rules import hazards as hazard_rules
from station_app.rules.errors import RuleInputError
from station_app.services.attachments import AttachmentStore
from station_app.services.deadlines import PROVISIONAL, Deadline, hazard_deadline
from station_app.services.hazards.records import (
    LEVELS,
    RESPONSIBLE_ROLES,
    HazardData,
    HazardInput,
    get_hazard,
    register_hazard,
    update_hazard,
)
from station_app.views.app_context import AppContext
from station_app.views.dialogs.form import FormDialog
from station_app.views.hazards.transition_dialog import EvidencePicker
from station_app.views.inspections.project_picker import ProjectPicker
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, EnterprisePicker, ValueCombo, choices

#: an inspection's hazards are registered by saving the inspection
OTHER_SOURCES = tuple(s.value for s in HazardSource if s != HazardSource.INSPECTION)


class HazardEditor(FormDialog):
    """``hazard_id`` None: a new hazard; else its content while 待整改."""

    def __init__(self, ctx: AppContext, hazard_id: int | None = None, parent: QWidget | None = None) -> None:
        self.ctx = ctx
        self.hazard: HazardData | None = None
        if hazard_id is not None:
            with ctx.db.read() as s:
                self.hazard = get_hazard(s, hazard_id)
        super().__init__(parent, "登记隐患" if hazard_id is None else f"修改隐患 {self.hazard.code}",  # type: ignore[union-attr]
                         ok_text="保存")
        self.project = ProjectPicker(ctx, self)
        self.project.setPlaceholderText("项目名称、拼音首字母或施工许可证号")
        self.add_field("project", "工程项目", self.project)
        self.source = ValueCombo(choices(OTHER_SOURCES), self)
        self.add_field("source", "来源", self.source)
        self.found_on = DateEdit(self)
        self.found_on.set_value(clock.today())
        self.add_field("found_on", "发现日期", self.found_on)
        self.found_by = QLineEdit(self)
        self.found_by.setPlaceholderText("不填则为本人")
        self.add_field("found_by", "发现人", self.found_by)
        self.location = QLineEdit(self)
        self.add_field("location", "部位", self.location)
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(70)
        self.add_field("description", "隐患描述", self.description)
        self.level = ValueCombo(choices(LEVELS), self)
        self.add_field("level", "隐患等级", self.level)
        self.category = ValueCombo(choices(hazard_rules.hazard_categories(), blank="请选择"), self)
        self.add_field("category", "隐患类别", self.category)
        self.criterion = ValueCombo((), self)
        self.add_field("criterion", "判定依据", self.criterion, hint="重大事故隐患按发现日施行的判定标准认定")
        self.role = ValueCombo(choices(RESPONSIBLE_ROLES), self)
        self.add_field("role", "责任单位类型", self.role)
        self.enterprise = EnterprisePicker(ctx, self)
        self.enterprise.setPlaceholderText("不填：施工总承包单位")
        self.add_field("enterprise", "责任单位", self.enterprise)
        self.person = QLineEdit(self)
        self.add_field("person", "责任人", self.person)
        self.requirement = QPlainTextEdit(self)
        self.requirement.setTabChangesFocus(True)
        self.requirement.setMaximumHeight(60)
        self.add_field("requirement", "整改要求", self.requirement)
        self.deadline = DateEdit(self)
        #: （暂定） beside a default deadline that reaches a year without holiday data; the reason on hover
        self.deadline_note = QLabel(self)
        self.deadline_note.setStyleSheet("color: #b36b00;")
        deadline_row = QWidget(self)
        row = QHBoxLayout(deadline_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.deadline, 1)
        row.addWidget(self.deadline_note)
        deadline_row.setFocusProxy(self.deadline)
        self.add_field("deadline", "整改期限", deadline_row, hint="默认按隐患等级的整改期限")
        self.photos = EvidencePicker(self)
        self.add_field("photos", "隐患照片", self.photos, aliases=("附件",))
        self._deadline_touched = False
        self.deadline.value_changed.connect(self._deadline_edited)
        self.level.value_changed.connect(lambda _v: self._level_changed())
        self.found_on.value_changed.connect(lambda *_a: self._level_changed())
        if self.hazard is not None:
            self._fill(self.hazard)
        self._level_changed()
        self.resize(620, self.sizeHint().height())

    def _fill(self, h: HazardData) -> None:
        self.project.set_value(h.project_id, h.project_name)
        self.project.setEnabled(False)
        self.source.set_value(h.source)
        self.found_on.set_value(h.found_on)
        self.found_by.setText(h.found_by_names)
        self.location.setText(h.location)
        self.description.setPlainText(h.description)
        self.level.set_value(h.level)
        self.category.set_value(h.category)
        self.role.set_value(h.responsible_role)
        if h.responsible_enterprise_id:
            self.enterprise.set_value(h.responsible_enterprise_id, h.responsible_enterprise_name)
        self.person.setText(h.responsible_person_name)
        self.requirement.setPlainText(h.requirement)
        self._deadline_touched = True
        self.deadline.set_value(h.deadline)
        self._show_provisional(h.deadline_info)
        self._criteria(h.criterion_code)

    def _criteria(self, keep: str | None = None) -> None:
        on = (self.found_on.value() if self.found_on.is_valid() else None) or clock.today()
        items: list[tuple[str, Any]] = [("（一般隐患不引用）", None)]
        with suppress(RuleInputError):
            items += [(f"{c.label} {c.text[:40]}", c.code) for c in hazard_rules.criteria(on=on)]
        self.criterion.set_items(items)
        if keep:
            self.criterion.set_value(keep)

    def _deadline_edited(self, *_args: object) -> None:
        if not self.signalsBlocked():
            self._deadline_touched = True
            self._show_provisional(None)  # a date the clerk chose is exact

    def _show_provisional(self, deadline: Deadline | None) -> None:
        provisional = deadline is not None and deadline.provisional
        self.deadline_note.setText(f"（{PROVISIONAL}）" if provisional else "")
        reason = deadline.reason if deadline is not None else ""
        self.deadline_note.setToolTip(reason)
        self.deadline.setToolTip(reason)

    def _level_changed(self) -> None:
        major = self.level.value() == HazardLevel.MAJOR.value
        keep = self.criterion.value()
        self._criteria(keep)
        self.criterion.setEnabled(major)
        self.category.setEnabled(not major)
        if not major:
            self.criterion.set_value(None)
        on = self.found_on.value() if self.found_on.is_valid() else None
        if not self._deadline_touched and on is not None:
            with suppress(RuleInputError):
                default = hazard_deadline(self.level.value(), on)
                self.deadline.blockSignals(True)
                self.deadline.set_value(default.day)
                self.deadline.blockSignals(False)
                self._show_provisional(default)

    def build_job(self) -> Job | None:
        bad = False
        for key, edit in (("found_on", self.found_on), ("deadline", self.deadline)):
            if not edit.is_valid():
                self.set_field_error(key, "请输入有效日期，如 2026-03-10")
                bad = True
        if self.project.has_unpicked_text():
            self.set_field_error("project", "请从下拉列表中选择项目")
            bad = True
        if bad:
            return None
        data = HazardInput(
            project_id=self.project.value() or 0, description=self.description.toPlainText(),
            found_on=self.found_on.value(), category=self.category.value() or "",  # type: ignore[arg-type]
            level=self.level.value(), source=self.source.value(), criterion_code=self.criterion.value(),
            location=self.location.text(), responsible_role=self.role.value(),
            responsible_enterprise_id=self.enterprise.value(), responsible_person_name=self.person.text(),
            requirement=self.requirement.toPlainText(), deadline=self.deadline.value(),
            found_by_names=self.found_by.text(), new_files=tuple(self.photos.files()))
        db, actor, h = self.ctx.db, self.ctx.actor, self.hazard
        store = AttachmentStore.of(self.ctx.runtime.data)

        def job(progress: Any, cancelled: Any) -> HazardData:
            with db.write() as s:
                if h is None:
                    return register_hazard(s, actor, data, store=store)
                return update_hazard(s, actor, h.id, data, expected_version=h.version, store=store)

        return job

    def saved(self, result: Any) -> None:
        self.ctx.notify("hazard")
