"""The events inside a stage of a case: 催告 and 申请强制执行, 先行登记保存 and its decision (7-day clock),
the chief's extension of the 办案期限 and 不予立案, evidence files. Each form only gathers the input:
the service checks it and its Chinese message lands under the field it names."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from station_app import clock
from station_app.formatting import chinese_date, format_yuan
from station_app.services.attachments import AttachmentStore
from station_app.services.penalties.case_view import CaseView
from station_app.services.penalties.events import (
    EVIDENCE_KINDS,
    add_evidence,
    decide_preservation,
    extend_deadline,
    record_preservation,
)
from station_app.services.penalties.fines import record_enforcement
from station_app.services.penalties.flow import not_file
from station_app.views.app_context import AppContext
from station_app.views.penalties.dialogs import _CaseForm, _text
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, ValueCombo, choices

ENFORCEMENT_HINTS = {
    "催告": "缴款期限届满后书面催告当事人履行（行政强制法第五十四条）",
    "申请强制执行": "催告书送达十日后当事人仍未履行的，申请人民法院强制执行（行政强制法第五十三条、第五十四条）",
}


def _today_edit(parent: QWidget) -> DateEdit:
    edit = DateEdit(parent)
    edit.set_value(clock.today())
    return edit


class EnforcementDialog(_CaseForm):
    """催告 (行政强制法 第五十四条) or 申请强制执行 (第五十三条) of an unpaid fine."""

    def __init__(self, ctx: AppContext, view: CaseView, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, view, kind, parent, "保存")
        self.kind = kind
        due = view.money.payment_due
        self.info = QLabel(f"缴款期限：{chinese_date(due) if due else '—'}　未缴：{format_yuan(view.money.outstanding_fen)}元"
                           + (f"　已催告：{chinese_date(view.reminded_on)}" if view.reminded_on else ""), self)
        self.add_field("info", "执行情况", self.info, aliases=("执行措施", "执行"))
        self.on_date = _today_edit(self)
        self.add_field("date", f"{kind}日期", self.on_date, hint=ENFORCEMENT_HINTS[kind], aliases=("日期",))

    def build_job(self) -> Job | None:
        if not self.on_date.is_valid():
            self.set_field_error("date", "日期格式不正确")
            return None
        kind, on, case_id, version = self.kind, self.on_date.value(), self.view.id, self.view.version
        return self._write_job(lambda s, a: record_enforcement(s, a, case_id, kind, on, version))


class PreservationDialog(_CaseForm):
    """先行登记保存 (starts the 7-day clock) or, when one is open, its 处理决定 (行政处罚法 第五十六条)."""

    def __init__(self, ctx: AppContext, view: CaseView, parent: QWidget | None = None) -> None:
        clock = next((c for c in view.clocks if c.step == "evidence_preservation" and c.done_on is None), None)
        self.deciding = clock is not None
        super().__init__(ctx, view, "先行登记保存处理决定" if self.deciding else "先行登记保存", parent, "保存")
        self.on_date = _today_edit(self)
        self.decision = QLineEdit(self)
        if clock is not None:
            self.add_field("info", "保存情况", QLabel(f"{chinese_date(clock.start)}先行登记保存，"
                                                  f"应于{chinese_date(clock.deadline)}前作出处理决定（{clock.status}）",
                                                  self), aliases=("先行登记保存",))
            self.add_field("date", "处理决定日期", self.on_date, aliases=("日期",))
            self.decision.setPlaceholderText("如：解除先行登记保存；予以没收；移送有关部门处理")
            self.add_field("decision", "处理决定", self.decision, aliases=("处理决定",))
        else:
            self.add_field("date", "先行登记保存日期", self.on_date, hint="七日内须作出处理决定（行政处罚法第五十六条）",
                           aliases=("日期", "先行登记保存"))

    def build_job(self) -> Job | None:
        if not self.on_date.is_valid():
            self.set_field_error("date", "日期格式不正确")
            return None
        on, note, case_id, version = self.on_date.value(), self.decision.text(), self.view.id, self.view.version
        if self.deciding:
            return self._write_job(lambda s, a: decide_preservation(s, a, case_id, on, note, version))
        return self._write_job(lambda s, a: record_preservation(s, a, case_id, on, version))


class ExtendDialog(_CaseForm):
    """The chief extends the 办案期限, with the reason (shown on the case page and in the audit log)."""

    def __init__(self, ctx: AppContext, view: CaseView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, view, "延长办案期限", parent, "批准延长")
        current = chinese_date(view.case_deadline) if view.case_deadline else "—"
        self.add_field("current", "现办案期限", QLabel(current, self), aliases=("办案期限",))
        self.until = DateEdit(self)
        self.add_field("until", "延长至", self.until, hint="行政处罚法第六十条：法律、法规、规章另有规定的，从其规定",
                       aliases=("延长至",))
        self.reason = _text(self, 60)
        self.add_field("reason", "延长理由", self.reason, aliases=("延长理由",))

    def build_job(self) -> Job | None:
        if not self.until.is_valid():
            self.set_field_error("until", "日期格式不正确")
            return None
        until, reason, case_id, version = self.until.value(), self.reason.toPlainText(), self.view.id, \
            self.view.version
        return self._write_job(lambda s, a: extend_deadline(s, a, case_id, until, reason, version))


class NotFileDialog(_CaseForm):
    """不予立案: the chief closes a clue without a case, with the reason."""

    def __init__(self, ctx: AppContext, view: CaseView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, view, "不予立案", parent, "不予立案")
        self.on_date = _today_edit(self)
        self.add_field("date", "决定日期", self.on_date, aliases=("日期",))
        self.reason = _text(self, 70)
        self.add_field("reason", "不予立案理由", self.reason, hint="如：违法事实不能成立；违法行为轻微并及时改正，没有造成危害后果",
                       aliases=("理由",))

    def build_job(self) -> Job | None:
        if not self.on_date.is_valid():
            self.set_field_error("date", "日期格式不正确")
            return None
        on, reason, case_id, version = self.on_date.value(), self.reason.toPlainText(), self.view.id, \
            self.view.version
        return self._write_job(lambda s, a: not_file(s, a, case_id, on, reason, version))


class EvidenceDialog(_CaseForm):
    """Evidence files (笔录 scans, photos …) stored content-addressed and linked to the case."""

    def __init__(self, ctx: AppContext, view: CaseView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, view, "添加证据", parent, "添加")
        self.kind = ValueCombo(choices(EVIDENCE_KINDS), self)
        self.add_field("kind", "证据类别", self.kind, aliases=("证据类别",))
        row = QWidget(self)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        self.files_label = QLabel("未选择文件", row)
        self.files_label.setWordWrap(True)
        choose = QPushButton("选择文件…", row)
        choose.clicked.connect(lambda: self.choose_files())
        box.addWidget(self.files_label, 1)
        box.addWidget(choose)
        self.add_field("files", "证据文件", row, aliases=("证据文件",))
        self.caption = QLineEdit(self)
        self.caption.setPlaceholderText("如：2026年10月9日对项目负责人的询问笔录")
        self.add_field("caption", "说明", self.caption)
        self.paths: list[str] = []

    def choose_files(self, paths: list[str] | None = None) -> None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(self, "选择证据文件")
        if paths:
            self.paths = list(paths)
            self.files_label.setText("、".join(Path(p).name for p in self.paths))

    def build_job(self) -> Job | None:
        store = AttachmentStore.of(self.ctx.runtime.data)
        kind, paths, caption, case_id = str(self.kind.value() or ""), list(self.paths), self.caption.text(), \
            self.view.id
        return self._write_job(lambda s, a: add_evidence(s, a, store, case_id, paths, kind, caption))
