"""The small forms of a penalty case: the next stage, the proposed penalty, a 一案双查 outcome, a payment,
a hearing request. Each checks nothing the service checks again: the service's Chinese message lands
under the field it names."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from station_app import clock
from station_app.rules.penalties import penalty_range, violation_codes
from station_app.services.penalties import stages as st
from station_app.services.penalties.case_view import CaseView
from station_app.services.penalties.double_checks import OUTCOMES, decide_review
from station_app.services.penalties.events import record_hearing_request
from station_app.services.penalties.fines import FACTORS, PenaltyInput, record_payment, set_penalty
from station_app.services.penalties.flow import StageInput, advance
from station_app.views.app_context import AppContext
from station_app.views.dialogs.form import FormDialog
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, MoneyEdit, ValueCombo, choices


def _text(parent: QWidget, height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


class _CaseForm(FormDialog):
    def __init__(self, ctx: AppContext, view: CaseView, title: str, parent: QWidget | None, ok_text: str) -> None:
        super().__init__(parent, f"{title} — {view.code}", ok_text=ok_text)
        self.ctx, self.view = ctx, view
        self.setMinimumWidth(520)

    def _write_job(self, fn: Any) -> Job:
        db, actor = self.ctx.db, self.ctx.actor

        def job(*_args: Any) -> Any:
            with db.write() as session:
                return fn(session, actor)

        return job

    def saved(self, result: Any) -> None:
        self.ctx.notify("penalty_case")


class StageDialog(_CaseForm):
    """Record the case's next stage: its date, the note, the signer of its documents and its own fields."""

    def __init__(self, ctx: AppContext, view: CaseView, parent: QWidget | None = None) -> None:
        assert view.next_stage is not None
        self.target = view.next_stage
        spec = st.stage(self.target)
        super().__init__(ctx, view, f"办理：{spec.title}", parent, "保存")
        self.on_date = DateEdit(self)
        self.on_date.set_value(clock.today())
        self.add_field("date", spec.date_label, self.on_date, aliases=("日期",))
        self.note = _text(self)
        self.add_field("note", "办理意见", self.note, aliases=("办理意见",))
        self.signer = QLineEdit(ctx.actor.full_name, self)
        self.issue_docs = QCheckBox("签发本环节文书：" + "、".join(spec.documents), self)
        self.issue_docs.setChecked(bool(spec.documents))
        if spec.documents:
            self.add_field("signer", "签发人", self.signer, aliases=("签发人",))
            self.add_field("docs", "文书", self.issue_docs)
        self.preservation = DateEdit(self)
        self.statement_done = QCheckBox("当事人已陈述申辩或明确放弃（可在期限届满前决定）", self)
        self.fine = MoneyEdit(self)
        self.method = ValueCombo(choices(("直接送达", "留置送达", "邮寄送达", "委托送达", "公告送达")), self)
        self.archive_no = QLineEdit(self)
        if self.target == st.INVESTIGATION:
            self.add_field("preservation", "先行登记保存日期", self.preservation, hint="未先行登记保存的不填",
                           aliases=("先行登记保存日期",))
        if self.target in (st.DISCUSSION, st.DECISION):
            self.add_field("statement", "陈述申辩", self.statement_done)
        if self.target == st.DECISION:
            self.fine.set_fen(view.proposed_fine_fen)
            self.add_field("fine", "决定罚款（元）", self.fine, aliases=("决定罚款",))
        if self.target == st.SERVICE:
            self.add_field("method", "送达方式", self.method)
        if self.target == st.ARCHIVE:
            self.add_field("archive", "档案号", self.archive_no)

    def build_job(self) -> Job | None:
        if not self.on_date.is_valid():
            self.set_field_error("date", "日期格式不正确")
            return None
        inp = StageInput(
            target=self.target, on_date=self.on_date.value(), note=self.note.toPlainText(),
            signer_name=self.signer.text(), issue_documents=self.issue_docs.isChecked(),
            preservation_on=self.preservation.value() if self.target == st.INVESTIGATION else None,
            statement_done=self.statement_done.isChecked(),
            decided_fine_fen=self.fine.fen() if self.target == st.DECISION else None,
            service_method=str(self.method.value() or "直接送达"), archive_no=self.archive_no.text())
        case_id, version = self.view.id, self.view.version
        return self._write_job(lambda s, a: advance(s, a, case_id, inp, version))


class PenaltyDialog(_CaseForm):
    """拟定处罚: violation → range shown, fine, measures, discretion factors, the chief's approval reason."""

    def __init__(self, ctx: AppContext, view: CaseView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, view, "拟定处罚", parent, "保存")
        items: list[tuple[str, Any]] = [("请选择违法行为", None)]
        for code in violation_codes():
            spec = penalty_range(code)
            items.append((f"{code}  {spec.party}：{spec.description[:40]}", code))
        self.violation = ValueCombo(items, self)
        self.violation.set_value(view.violation_code)
        self.add_field("violation", "违法行为", self.violation, aliases=("违法行为",))
        self.measure = _text(self, 50)
        self.measure.setReadOnly(True)
        self.add_field("measure", "法定处罚", self.measure)
        self.violation.value_changed.connect(self._show_range)
        self.fine = MoneyEdit(self)
        self.fine.set_fen(view.proposed_fine_fen)
        self.add_field("fine", "罚款金额（元）", self.fine, aliases=("罚款金额",))
        self.base = MoneyEdit(self)
        self.add_field("base", "计罚基数（元）", self.base, hint="按合同价款等比例处罚时填写", aliases=("计罚基数",))
        self.other = QLineEdit(view.other_measures, self)
        self.other.setPlaceholderText("如：责令限期改正、警告（用顿号分隔）")
        self.add_field("other", "其他处罚", self.other, aliases=("其他处罚",))
        row = QWidget(self)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        self.factor_boxes = {f: QCheckBox(f, row) for f in FACTORS}
        for f, cb in self.factor_boxes.items():
            cb.setChecked(f in view.factors.split("、"))
            box.addWidget(cb)
        box.addStretch(1)
        self.add_field("factors", "裁量情节", row, aliases=("裁量情节",))
        self.factor_note = _text(self, 50)
        self.factor_note.setPlainText(view.factor_note)
        self.add_field("factor_note", "裁量说明", self.factor_note, aliases=("裁量说明",))
        self.reason = _text(self, 50)
        self.add_field("reason", "超幅度批准理由", self.reason, hint="罚款超出法定幅度时由站长填写",
                       aliases=("批准理由",))
        self._show_range(self.violation.value())

    def _show_range(self, code: Any) -> None:
        if not code:
            self.measure.setPlainText("")
            return
        spec = penalty_range(code)
        self.measure.setPlainText(f"{spec.source}：{spec.measure}")

    def build_job(self) -> Job | None:
        if not self.fine.is_valid():
            self.set_field_error("fine", "金额格式不正确")
            return None
        data = PenaltyInput(
            violation_code=str(self.violation.value() or ""), fine_fen=self.fine.fen(),
            other_measures=self.other.text(), factors=tuple(f for f, cb in self.factor_boxes.items() if cb.isChecked()),
            factor_note=self.factor_note.toPlainText(), base_amount_fen=self.base.fen(),
            approval_reason=self.reason.toPlainText())
        case_id, version = self.view.id, self.view.version
        return self._write_job(lambda s, a: set_penalty(s, a, case_id, data, version))


class ReviewDialog(_CaseForm):
    """一案双查: the outcome for one person."""

    def __init__(self, ctx: AppContext, view: CaseView, review_id: int, parent: QWidget | None = None) -> None:
        review = next(r for r in view.reviews if r.id == review_id)
        super().__init__(ctx, view, f"一案双查：{review.person_name}（{review.post}）", parent, "保存")
        self.review_id = review_id
        self.outcome = ValueCombo(choices(OUTCOMES, blank="请选择"), self)
        self.add_field("outcome", "处理结论", self.outcome, aliases=("处理结论",))
        self.reason = _text(self, 60)
        self.add_field("reason", "理由", self.reason, hint="不予处罚写明理由；移送写明移送机关", aliases=("理由",))
        self.on_date = DateEdit(self)
        self.on_date.set_value(clock.today())
        self.add_field("date", "日期", self.on_date, aliases=("日期",))

    def build_job(self) -> Job | None:
        outcome, reason, on, rid = str(self.outcome.value() or ""), self.reason.toPlainText(), self.on_date.value(), \
            self.review_id
        return self._write_job(lambda s, a: decide_review(s, a, rid, outcome, reason, on))


class PaymentDialog(_CaseForm):
    def __init__(self, ctx: AppContext, view: CaseView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, view, "登记缴款", parent, "保存")
        self.on_date = DateEdit(self)
        self.on_date.set_value(clock.today())
        self.add_field("date", "缴款日期", self.on_date, aliases=("缴款日期",))
        self.amount = MoneyEdit(self)
        self.amount.set_fen(view.money.outstanding_fen or None)
        self.add_field("amount", "缴款金额（元）", self.amount, hint="逾期缴款含加处罚款", aliases=("缴款金额",))

    def build_job(self) -> Job | None:
        on, fen, case_id = self.on_date.value(), self.amount.fen(), self.view.id
        return self._write_job(lambda s, a: record_payment(s, a, case_id, on, fen))


class HearingDialog(_CaseForm):
    def __init__(self, ctx: AppContext, view: CaseView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, view, "登记听证申请", parent, "保存")
        self.requested = DateEdit(self)
        self.requested.set_value(clock.today())
        self.add_field("requested", "申请日期", self.requested, aliases=("申请日期",))
        self.notice = DateEdit(self)
        self.add_field("notice", "听证通知送达日期", self.notice, aliases=("听证通知送达日期", "听证通知"))

    def build_job(self) -> Job | None:
        req, notice, case_id = self.requested.value(), self.notice.value(), self.view.id
        return self._write_job(lambda s, a: record_hearing_request(s, a, case_id, req, notice))
