"""线索登记: a new penalty case (its party an enterprise by USCC or a person by ID number)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from station_app import clock
from station_app.services.penalties.cases import PARTY_KINDS, SOURCES, CaseInput, create_case
from station_app.views.app_context import AppContext
from station_app.views.dialogs.form import FormDialog
from station_app.views.inspections.project_picker import ProjectPicker
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, EnterprisePicker, ValueCombo, choices


class NewCaseDialog(FormDialog):
    """The clue form; ``prefill`` (project_id, enterprise_id, inspection_id, hazard_id, cause, facts …) from
    another page — services/penalties/sources.py builds it from an inspection."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, **prefill: Any) -> None:
        super().__init__(parent, "登记行政处罚线索", ok_text="登记")
        self.ctx = ctx
        self.prefill = prefill
        self.setMinimumWidth(620)
        self.cause = QLineEdit(str(prefill.get("cause", "")), self)
        self.add_field("cause", "案由", self.cause, aliases=("案由",))
        self.clue_on = DateEdit(self)
        self.clue_on.set_value(prefill.get("clue_on") or clock.today())
        self.add_field("clue_on", "发现线索日期", self.clue_on, aliases=("发现线索日期",))
        self.source = ValueCombo(choices(SOURCES), self)
        self.source.set_value(prefill.get("source", "监督检查"))
        self.add_field("source", "线索来源", self.source, aliases=("线索来源",))
        self.kind = ValueCombo(choices(PARTY_KINDS), self)
        self.add_field("kind", "当事人类型", self.kind, aliases=("当事人类型",))
        self.enterprise = EnterprisePicker(ctx, self)
        if prefill.get("enterprise_id"):
            self.enterprise.set_value(prefill["enterprise_id"], str(prefill.get("enterprise_name", "")))
        self.add_field("enterprise", "单位（从企业库选择）", self.enterprise, aliases=("当事人",))
        self.party_name = QLineEdit(self)
        self.party_name.setPlaceholderText("个人当事人姓名；单位未在企业库中时填写单位名称")
        self.add_field("party_name", "当事人名称", self.party_name)
        self.party_code = QLineEdit(self)
        self.party_code.setPlaceholderText("单位：统一社会信用代码；个人：居民身份证号")
        self.add_field("party_code", "证件号码", self.party_code, aliases=("统一社会信用代码", "身份证号"))
        self.project = ProjectPicker(ctx, self)
        if prefill.get("project_id"):
            self.project.set_value(prefill["project_id"], str(prefill.get("project_name", "")))
        self.add_field("project", "工程项目", self.project, aliases=("工程项目",))
        self.facts = QPlainTextEdit(str(prefill.get("facts", "")), self)
        self.facts.setTabChangesFocus(True)
        self.facts.setFixedHeight(110 if prefill.get("facts") else 70)
        self.add_field("facts", "违法事实", self.facts, aliases=("违法事实",))
        self.handlers = QLineEdit(ctx.actor.full_name, self)
        self.add_field("handlers", "承办人", self.handlers, aliases=("承办人",))
        self.accident = QLineEdit(str(prefill.get("accident_note", "")), self)
        self.add_field("accident", "关联事故", self.accident, hint="由事故引起的案件填写事故概况",
                       aliases=("关联事故",))
        self.serious = QCheckBox("情节复杂或重大违法（须集体讨论）", self)
        self.add_field("serious", "集体讨论", self.serious)
        self.kind.value_changed.connect(lambda v: self.enterprise.setEnabled(v == "单位"))

    def build_job(self) -> Job | None:
        if not self.clue_on.is_valid():
            self.set_field_error("clue_on", "日期格式不正确")
            return None
        kind = str(self.kind.value())
        data = CaseInput(
            cause=self.cause.text(), clue_on=self.clue_on.value(), party_kind=kind,
            enterprise_id=self.enterprise.value() if kind == "单位" else None,
            party_name=self.party_name.text(), party_code=self.party_code.text(),
            source=str(self.source.value()), project_id=self.project.value(),
            inspection_id=self.prefill.get("inspection_id"), hazard_id=self.prefill.get("hazard_id"),
            accident_note=self.accident.text(), facts=self.facts.toPlainText(), handlers=self.handlers.text(),
            serious=self.serious.isChecked())
        db, actor = self.ctx.db, self.ctx.actor

        def job(*_args: Any) -> int:
            with db.write() as session:
                return create_case(session, actor, data)

        return job

    def saved(self, result: Any) -> None:
        self.ctx.notify("penalty_case")
