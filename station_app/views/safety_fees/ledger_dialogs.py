"""Usage-ledger dialogs: an entry (分类使用台账), a supervisor's review of a flagged entry, and
"记录检查" — an inspection of the project linked to the entries it looked at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from station_app.formatting import chinese_date
from station_app.rules import safety_fee_usage as fee_rules
from station_app.services.safety_fees.ledger import (
    UsageData,
    UsageInfo,
    inspections_for_check,
    record_fee_check,
    review_usage,
    save_usage,
)
from station_app.views.app_context import AppContext
from station_app.views.dialogs.form import FormDialog
from station_app.views.safety_fees.editors import ENTITY, FeeForm
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, MoneyEdit, ValueCombo

#: the category and date of the last entry saved: the next one starts from them (keyboard-first entry)
_LAST: dict[str, Any] = {}


class UsageDialog(FeeForm):
    def __init__(self, ctx: AppContext, project_id: int, current: UsageInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, "安全生产费用使用台账",
                         intro="摘要或凭证号含负面清单关键词（罚款、赔偿、工作服、防暑降温……）的支出将标记为"
                               "“待复核”，由监督员复核，不会被删除。")
        self.project_id = project_id
        self.current = current
        self.used_on = DateEdit(self)
        self.category = ValueCombo([("请选择使用范围", None),
                                    *((c.label, c.key) for c in fee_rules.usage_categories())], self)
        self.amount = MoneyEdit(self)
        self.voucher = QLineEdit(self)
        self.description = QLineEdit(self)
        box, self.file = self.file_row()
        self.add_field("日期", "日期", self.used_on)
        self.add_field("使用范围", "使用范围", self.category, hint="财资〔2022〕136号第十九条")
        self.add_field("金额", "金额（元）", self.amount)
        self.add_field("凭证号", "凭证号", self.voucher)
        self.add_field("摘要", "摘要", self.description)
        self.add_field("附件", "凭证文件", box)
        if current is not None:
            self.used_on.set_value(current.used_on)
            self.category.set_value(current.category)
            self.amount.set_fen(current.amount_fen)
            self.voucher.setText(current.voucher_no)
            self.description.setText(current.description)
            if current.file_name:
                self.file.setPlaceholderText(f"已附：{current.file_name}（选择新文件以替换）")
            if current.flagged:
                note = QLabel(f"标记：{current.flag_reason}　复核：{current.review_state or '—'}"
                              + (f"（{current.review_comment}）" if current.review_comment else ""), self)
                note.setStyleSheet("color: #b35c00;")
                note.setWordWrap(True)
                self.form.addRow(note)
        elif _LAST:
            self.used_on.set_value(_LAST.get("used_on"))
            self.category.set_value(_LAST.get("category"))
        self.resize(620, self.sizeHint().height())

    def build_job(self) -> Job | None:
        self.begin()
        used_on = self.read_date("日期", self.used_on)
        amount = self.read_fen("金额", self.amount)
        if self._bad:
            return None
        cur = self.current
        path = self.file.text().strip()
        data = UsageData(self.project_id, used_on, self.category.value() or "", amount, self.voucher.text(),
                         self.description.text(), Path(path) if path else None,
                         id=cur.id if cur else None, version=cur.version if cur else None)
        db, actor, store = self.ctx.db, self.ctx.actor, self.store()

        def job(_progress: Any, _cancelled: Any) -> UsageInfo:
            with db.write() as s:
                return save_usage(s, actor, data, store=store)

        return job

    def saved(self, result: Any) -> None:
        _LAST.update(used_on=result.used_on, category=result.category)
        super().saved(result)


class ReviewDialog(FormDialog):
    """复核 of a flagged entry: 复核通过 or 不予认可, with a comment (required for 不予认可)."""

    def __init__(self, ctx: AppContext, usage: UsageInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent, "复核安全生产费用支出", ok_text="保存复核",
                         intro=f"{chinese_date(usage.used_on)}　{usage.category_label}　{usage.amount_fen / 100:,.2f}元\n"
                               f"摘要：{usage.description}\n标记原因：{usage.flag_reason}")
        self.ctx = ctx
        self.usage = usage
        self.decision = ValueCombo([("请选择", None), ("复核通过", "复核通过"), ("不予认可", "不予认可")], self)
        self.comment = QPlainTextEdit(self)
        self.comment.setFixedHeight(70)
        self.add_field("复核结论", "复核结论", self.decision)
        self.add_field("复核意见", "复核意见", self.comment)
        if usage.review_state in ("复核通过", "不予认可"):
            self.decision.set_value(usage.review_state)
            self.comment.setPlainText(usage.review_comment)
        if not ctx.can("safety_fee.review"):
            self.ok_button.setEnabled(False)
            self.ok_button.setToolTip("当前角色无权复核")

    def build_job(self) -> Job | None:
        db, actor, usage = self.ctx.db, self.ctx.actor, self.usage
        decision, comment = self.decision.value() or "", self.comment.toPlainText()

        def job(_progress: Any, _cancelled: Any) -> UsageInfo:
            with db.write() as s:
                return review_usage(s, actor, usage.id, decision, comment, usage.version)

        return job

    def saved(self, result: Any) -> None:
        self.ctx.notify(ENTITY)


class FeeCheckDialog(FormDialog):
    """Link the selected ledger entries to one of the project's inspections."""

    def __init__(self, ctx: AppContext, project_id: int, usage_ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent, "记录安全生产费用检查", ok_text="记录",
                         intro=f"将所选 {len(usage_ids)} 条使用台账记录登记为某次监督检查所核查的内容。")
        self.ctx = ctx
        self.usage_ids = usage_ids
        with ctx.db.read() as s:
            items = inspections_for_check(s, project_id)
        self.inspection = ValueCombo([("请选择本项目的监督检查", None), *((label, i) for i, label in items)], self)
        self.remark = QLineEdit(self)
        self.add_field("监督检查", "监督检查", self.inspection,
                       hint="" if items else "本项目还没有监督检查记录，请先在“监督检查”中录入")
        self.add_field("检查意见", "检查意见", self.remark)
        if not ctx.can("inspection.write"):
            self.ok_button.setEnabled(False)

    def build_job(self) -> Job | None:
        inspection_id = self.inspection.value()
        if inspection_id is None:
            self.set_field_error("监督检查", "请选择监督检查记录")
            return None
        db, actor, ids, remark = self.ctx.db, self.ctx.actor, list(self.usage_ids), self.remark.text()

        def job(_progress: Any, _cancelled: Any) -> int:
            with db.write() as s:
                return record_fee_check(s, actor, inspection_id, ids, remark)

        return job

    def saved(self, result: Any) -> None:
        self.ctx.notify(ENTITY)
        self.ctx.notify("inspection")
