"""安全生产费用 dialogs: fee basis, subcontract, payment (建设单位→总包 or 总包→分包).

Each is a FormDialog whose field keys are the labels the services use in ValidationError, so every
message lands under its field; the save runs off the UI thread and tells open pages afterwards.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from station_app.formatting import format_yuan
from station_app.services.attachments import AttachmentStore
from station_app.services.safety_fees.records import (
    BasisData,
    PaymentData,
    SubcontractData,
    fee_project_types,
    save_basis,
    save_payment,
    save_subcontract,
    subcontractor_choices,
)
from station_app.views.app_context import AppContext
from station_app.views.dialogs.form import FormDialog
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, MoneyEdit, ValueCombo

ENTITY = "safety_fee"


class FeeForm(FormDialog):
    """A fee dialog: reads typed dates/amounts under the service's labels; notifies ``safety_fee`` on save."""

    def __init__(self, ctx: AppContext, parent: QWidget | None, title: str, *, intro: str = "") -> None:
        allowed = ctx.can("safety_fee.write")
        super().__init__(parent, title + ("" if allowed else "（只读）"), ok_text="保存", intro=intro)
        self.ctx = ctx
        self.allowed = allowed
        self._bad = False
        if not allowed:
            self.ok_button.setEnabled(False)

    def _set_busy(self, busy: bool) -> None:
        super()._set_busy(busy)
        if not self.allowed:
            self.ok_button.setEnabled(False)

    def read_date(self, key: str, widget: DateEdit) -> date | None:
        try:
            return widget.value()
        except ValueError as err:
            self.set_field_error(key, str(err))
            self._bad = True
            return None

    def read_fen(self, key: str, widget: MoneyEdit) -> int | None:
        try:
            return widget.fen()
        except ValueError as err:
            self.set_field_error(key, str(err) or "请输入金额数字，如 1234.56")
            self._bad = True
            return None

    def file_row(self) -> tuple[QWidget, QLineEdit]:
        box = QWidget(self)
        lay = QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit(box)
        edit.setPlaceholderText("凭证扫描件（可选）")
        pick = QPushButton("选择…", box)
        pick.clicked.connect(lambda: self._pick(edit))
        lay.addWidget(edit, 1)
        lay.addWidget(pick)
        return box, edit

    def _pick(self, edit: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择凭证文件", str(Path.home()),
                                              "凭证 (*.pdf *.jpg *.jpeg *.png *.tif);;所有文件 (*)")
        if path:
            edit.setText(path)

    def store(self) -> AttachmentStore:
        return AttachmentStore.of(self.ctx.runtime.data)

    def begin(self) -> None:
        self._bad = False

    def saved(self, result: Any) -> None:
        self.ctx.notify(ENTITY)


class BasisDialog(FeeForm):
    """费用基数: 建安工程造价, 合同签订日期, 工程类别 → rate → 应列费用 (shown after saving)."""

    def __init__(self, ctx: AppContext, project_id: int, project_type: str, current: Any | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, "安全生产费用基数",
                         intro="应列安全生产费用＝建筑安装工程造价×提取比例（按合同签订日期适用的标准，"
                               "财资〔2022〕136号第十七条）。开工日期不填时取项目实际开工日期，再无则取施工许可日期。")
        self.project_id = project_id
        self.version = current.basis_version if current is not None and current.has_basis else None
        self.cost = MoneyEdit(self)
        self.contract_date = DateEdit(self)
        self.kind = ValueCombo([(t, t) for t in fee_project_types()], self)
        self.start = DateEdit(self)
        self.note = QLineEdit(self)
        self.add_field("建安工程造价", "建安工程造价（元）", self.cost)
        self.add_field("合同签订日期", "合同签订日期", self.contract_date)
        self.add_field("工程类别", "工程类别", self.kind)
        self.add_field("开工日期", "开工日期（可选）", self.start)
        self.add_field("备注", "备注", self.note)
        self.kind.set_value(project_type if project_type in fee_project_types() else "房屋建筑工程")
        if current is not None and current.has_basis:
            self.cost.set_fen(current.cost_fen)
            self.contract_date.set_value(current.contract_date)
            self.kind.set_value(current.fee_project_type)
            self.start.set_value(current.start_date)
            self.note.setText(current.note)
        self.resize(560, self.sizeHint().height())

    def build_job(self) -> Job | None:
        self.begin()
        cost = self.read_fen("建安工程造价", self.cost)
        contract = self.read_date("合同签订日期", self.contract_date)
        start = self.read_date("开工日期", self.start)
        if self._bad:
            return None
        data = BasisData(self.project_id, cost, contract, self.kind.value() or "", start, self.note.text(),
                         self.version)
        db, actor = self.ctx.db, self.ctx.actor

        def job(_progress: Any, _cancelled: Any) -> int:
            with db.write() as s:
                return save_basis(s, actor, data).required_fen

        return job


class SubcontractDialog(FeeForm):
    def __init__(self, ctx: AppContext, project_id: int, current: Any | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, "分包安全生产费用",
                         intro="总包单位应在分包工程开工之日起一个月内向分包单位支付不少于50%的安全生产费用（第十八条）。")
        self.project_id = project_id
        self.current = current
        with ctx.db.read() as s:
            subs = subcontractor_choices(s, project_id)
        self._starts = {eid: start for eid, _n, start in subs}
        self.enterprise = ValueCombo([("请选择专业分包单位", None), *((n, eid) for eid, n, _s in subs)], self)
        if current is not None and current.enterprise_id not in self._starts:
            self.enterprise.set_items([*[(n, eid) for eid, n, _s in subs],
                                       (current.enterprise_name, current.enterprise_id)], keep=False)
        self.enterprise.value_changed.connect(self._picked)
        self.fee = MoneyEdit(self)
        self.start = DateEdit(self)
        self.scope = QLineEdit(self)
        self.add_field("分包单位", "分包单位", self.enterprise, hint="来自项目的参建单位（专业分包）")
        self.add_field("分包安全生产费用", "分包安全生产费用（元）", self.fee)
        self.add_field("分包开工日期", "分包开工日期", self.start)
        self.add_field("分包内容", "分包内容", self.scope)
        if current is not None:
            self.enterprise.set_value(current.enterprise_id)
            self.fee.set_fen(current.fee_fen)
            self.start.set_value(current.start_date)
            self.scope.setText(current.scope)

    def _picked(self, eid: object) -> None:
        start = self._starts.get(eid) if isinstance(eid, int) else None
        if start is not None and not self.start.text().strip():
            self.start.set_value(start)

    def build_job(self) -> Job | None:
        self.begin()
        fee = self.read_fen("分包安全生产费用", self.fee)
        start = self.read_date("分包开工日期", self.start)
        if self._bad:
            return None
        cur = self.current
        data = SubcontractData(self.project_id, self.enterprise.value(), fee, start, self.scope.text(),
                               id=cur.id if cur else None, version=cur.version if cur else None)
        db, actor = self.ctx.db, self.ctx.actor

        def job(_progress: Any, _cancelled: Any) -> int:
            with db.write() as s:
                return save_subcontract(s, actor, data).id

        return job


class PaymentDialog(FeeForm):
    """A payment; ``payees`` are (label, subcontract id or None) — None is 建设单位→施工总承包."""

    def __init__(self, ctx: AppContext, project_id: int, payees: list[tuple[str, int | None]],
                 current: Any | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, "安全生产费用支付记录")
        self.project_id = project_id
        self.current = current
        self.payee = ValueCombo(payees, self)
        self.paid_on = DateEdit(self)
        self.amount = MoneyEdit(self)
        self.voucher = QLineEdit(self)
        box, self.file = self.file_row()
        self.note = QLineEdit(self)
        self.add_field("收款单位", "付款方向", self.payee)
        self.add_field("支付日期", "支付日期", self.paid_on)
        self.add_field("支付金额", "支付金额（元）", self.amount)
        self.add_field("凭证号", "凭证号", self.voucher)
        self.add_field("附件", "凭证文件", box)
        self.add_field("备注", "备注", self.note)
        if current is not None:
            self.payee.set_value(current.subcontract_id)
            self.paid_on.set_value(current.paid_on)
            self.amount.set_fen(current.amount_fen)
            self.voucher.setText(current.voucher_no)
            self.note.setText(current.note)
            if current.file_name:
                self.file.setPlaceholderText(f"已附：{current.file_name}（选择新文件以替换）")
        self.resize(560, self.sizeHint().height())

    def build_job(self) -> Job | None:
        self.begin()
        paid_on = self.read_date("支付日期", self.paid_on)
        amount = self.read_fen("支付金额", self.amount)
        if self._bad:
            return None
        cur = self.current
        path = self.file.text().strip()
        data = PaymentData(self.project_id, paid_on, amount, self.payee.value(), self.voucher.text(),
                           self.note.text(), Path(path) if path else None,
                           id=cur.id if cur else None, version=cur.version if cur else None)
        db, actor, store = self.ctx.db, self.ctx.actor, self.store()

        def job(_progress: Any, _cancelled: Any) -> str:
            with db.write() as s:
                return format_yuan(save_payment(s, actor, data, store=store).amount_fen)

        return job
