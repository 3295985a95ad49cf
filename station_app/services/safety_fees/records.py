"""安全生产费用 records: a project's fee basis, its subcontracts and the payments (财资〔2022〕136号 第十七、十八条).

The usage ledger (第十九条) is in :mod:`safety_fees.ledger`; the checks in :mod:`safety_fees.checks`.
Every write checks the role, validates (Chinese messages naming the field), writes an audit row in
the same transaction and honours the record's ``version`` (optimistic locking).

Required amount: 建安工程造价 × rate of ``rules.fees.safety_fee_rule(fee project type, contract date)``,
rounded half-up to the fen; the rule key and regulation are stored with the basis, so a later change of
rates never rewrites it (saving the basis again applies the rule then in force for its contract date).
The first share (50 %) is rounded up to the fen and also stored with the share used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.base import Base
from station_app.errors import NotFound, StaleRecord, ValidationError
from station_app.models import AttachmentBlob, Enterprise, Project, ProjectParty
from station_app.models.enums import PartyRole
from station_app.models.safety_fee import SafetyFeeBasis, SafetyFeePayment, SafetyFeeSubcontract
from station_app.rules import fees, refdata
from station_app.rules import safety_fee_usage as fee_rules
from station_app.rules.errors import RuleInputError
from station_app.services import audit
from station_app.services.attachments import AttachmentStore, StoredFile
from station_app.services.context import Actor, require
from station_app.services.validation import Checker, clean


@dataclass(frozen=True)
class BasisData:
    project_id: int
    cost_fen: int | None
    contract_date: date | None
    fee_project_type: str = ""
    start_date: date | None = None
    note: str = ""
    version: int | None = None


@dataclass(frozen=True)
class SubcontractData:
    project_id: int
    enterprise_id: int | None
    fee_fen: int | None
    start_date: date | None
    scope: str = ""
    note: str = ""
    id: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class PaymentData:
    project_id: int
    paid_on: date | None
    amount_fen: Any
    subcontract_id: int | None = None
    voucher_no: str = ""
    note: str = ""
    file: Path | None = None
    id: int | None = None
    version: int | None = None


def fee_project_types() -> list[str]:
    return fees.safety_fee_project_types()


# --------------------------------------------------------------------------- helpers


def check_amount(c: Checker, label: str, value: Any, *, allow_zero: bool = False) -> int | None:
    """An amount in fen: an integer, not negative (and not zero unless allowed)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        c.add(label, "必填")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        c.add(label, f"应为金额数字，而不是“{value}”")
        return None
    if value < 0:
        c.add(label, "不能为负数")
        return None
    if value == 0 and not allow_zero:
        c.add(label, "应大于0")
        return None
    return value


def get_project(session: Session, project_id: int) -> Project:
    p = session.get(Project, project_id)
    if p is None:
        raise NotFound("项目不存在。")
    return p


def basis_of(session: Session, project_id: int) -> SafetyFeeBasis | None:
    return session.scalar(select(SafetyFeeBasis).where(SafetyFeeBasis.project_id == project_id))


def check_version(obj: Any, version: int | None, what: str) -> None:
    if version is not None and version != obj.version:
        raise StaleRecord(what)


def project_record[R: Base](session: Session, model: type[R], row_id: int | None, project_id: int, version: int | None,
                   noun: str, fields: tuple[str, ...], **new: Any) -> tuple[R, dict[str, Any] | None]:
    """The project's record ``row_id``, version-checked, with its audit snapshot; or, when ``row_id`` is
    None, a new one (``new`` its fixed columns) added to the session, with no snapshot."""
    if row_id is None:
        obj = model(project_id=project_id, **new)
        session.add(obj)
        return obj, None
    found = session.get(model, row_id)
    if found is None or getattr(found, "project_id", None) != project_id:
        raise NotFound(f"{noun}不存在。")
    check_version(found, version, noun)
    return found, audit.snapshot(found, fields)


def blob_for(session: Session, stored: StoredFile) -> AttachmentBlob:
    blob = session.scalar(select(AttachmentBlob).where(AttachmentBlob.sha256 == stored.sha256))
    if blob is None:
        blob = AttachmentBlob(sha256=stored.sha256, size=stored.size, mime=stored.mime, width=stored.width,
                              height=stored.height, taken_at=stored.taken_at)
        session.add(blob)
        session.flush()
    return blob


def store_file(store: AttachmentStore | None, path: Path | None) -> StoredFile | None:
    """Copy the voucher scan in before anything is written (the first unreadable file refuses)."""
    if path is None:
        return None
    if store is None:
        raise ValidationError({"附件": "未配置附件目录，无法保存附件"})
    return store.put(path)


# --------------------------------------------------------------------------- basis


_BASIS_FIELDS = ("cost_fen", "contract_date", "fee_project_type", "rate", "rule_key", "regulation", "required_fen",
                 "first_share", "first_due_fen", "start_date", "note")


def save_basis(session: Session, actor: Actor, data: BasisData, *, today: date | None = None) -> SafetyFeeBasis:
    """Create or update the project's basis and compute the required amount by the rule in force."""
    require(actor, "safety_fee.write")
    project = get_project(session, data.project_id)
    c = Checker()
    cost = check_amount(c, "建安工程造价", data.cost_fen)
    c.required("合同签订日期", data.contract_date)
    c.not_future("合同签订日期", data.contract_date, today)
    kind = clean(data.fee_project_type) or project.project_type
    c.one_of("工程类别", kind, fee_project_types())
    c.date_order("合同签订日期", data.contract_date, "开工日期", data.start_date)
    rule = None
    if not c.errors and data.contract_date is not None:
        try:
            rule = fees.safety_fee_rule(kind, data.contract_date)
        except RuleInputError as err:
            c.add("合同签订日期", str(err))
    c.check()
    assert rule is not None and cost is not None and data.contract_date is not None
    required = int(fees.safety_fee_amount(Decimal(cost) / 100, kind, data.contract_date) * 100)
    share = fee_rules.first_payment_share()
    basis = basis_of(session, project.id)
    before = audit.snapshot(basis, _BASIS_FIELDS) if basis is not None else None
    if basis is None:
        basis = SafetyFeeBasis(project_id=project.id, created_by=actor.user_id)
        session.add(basis)
    else:
        check_version(basis, data.version, f"项目“{project.name}”的安全生产费用基数")
    rate_key = next((r["key"] for r in refdata.rows_in_force("safety_fee_rates", data.contract_date)
                     if r["project_type"] == kind and r["regulation"] == rule.regulation), "")
    basis.cost_fen, basis.contract_date, basis.fee_project_type = cost, data.contract_date, kind
    basis.rate, basis.rule_key, basis.regulation = rule.rate, rate_key, rule.regulation
    basis.required_fen, basis.first_share = required, share
    basis.first_due_fen = fee_rules.first_payment_required(required, share)
    basis.start_date, basis.note = data.start_date, clean(data.note)
    session.flush()
    after = audit.snapshot(basis, _BASIS_FIELDS)
    audit.record_saved(session, actor, "safety_fee_basis", basis.id, before, after, f"安全生产费用基数 {project.name}")
    return basis


def require_basis(session: Session, project: Project) -> SafetyFeeBasis:
    basis = basis_of(session, project.id)
    if basis is None:
        raise ValidationError({"项目": f"项目“{project.name}”尚未登记安全生产费用基数（建安工程造价、合同签订日期），"
                                      "请先登记"})
    return basis


# --------------------------------------------------------------------------- subcontracts


_SUB_FIELDS = ("enterprise_id", "scope", "fee_fen", "first_share", "first_due_fen", "start_date", "note")


def subcontractor_choices(session: Session, project_id: int) -> list[tuple[int, str, date | None]]:
    """The project's 专业分包 parties: (enterprise id, name, 进场日期)."""
    stmt = (select(ProjectParty.enterprise_id, Enterprise.name, ProjectParty.start_date)
            .join(Enterprise, Enterprise.id == ProjectParty.enterprise_id)
            .where(ProjectParty.project_id == project_id, ProjectParty.role == PartyRole.SUBCONTRACTOR.value)
            .order_by(ProjectParty.id))
    return [(eid, name, start) for eid, name, start in session.execute(stmt)]


def save_subcontract(session: Session, actor: Actor, data: SubcontractData,
                     *, today: date | None = None) -> SafetyFeeSubcontract:
    require(actor, "safety_fee.write")
    project = get_project(session, data.project_id)
    basis = require_basis(session, project)
    c = Checker()
    if c.required("分包单位", data.enterprise_id) and session.get(Enterprise, data.enterprise_id) is None:
        c.add("分包单位", "所选企业不存在")
    fee = check_amount(c, "分包安全生产费用", data.fee_fen)
    if fee is not None and fee > basis.required_fen:
        c.add("分包安全生产费用", "不能超过项目应列安全生产费用")
    c.required("分包开工日期", data.start_date)
    c.date_order("合同签订日期", basis.contract_date, "分包开工日期", data.start_date)
    c.not_future("分包开工日期", data.start_date, today)
    if data.enterprise_id is not None:
        dup = session.scalar(select(SafetyFeeSubcontract.id).where(
            SafetyFeeSubcontract.project_id == project.id, SafetyFeeSubcontract.enterprise_id == data.enterprise_id,
            SafetyFeeSubcontract.id != (data.id or 0)))
        if dup is not None:
            c.add("分包单位", "该分包单位已登记，请修改原记录")
    c.check()
    assert fee is not None
    sub, before = project_record(session, SafetyFeeSubcontract, data.id, project.id, data.version,
                                 "分包安全生产费用记录", _SUB_FIELDS)
    share = fee_rules.first_payment_share()
    sub.enterprise_id, sub.scope, sub.fee_fen = data.enterprise_id, clean(data.scope)[:200], fee  # type: ignore[assignment]
    sub.first_share, sub.first_due_fen = share, fee_rules.first_payment_required(fee, share)
    sub.start_date, sub.note = data.start_date, clean(data.note)  # type: ignore[assignment]
    session.flush()
    after = audit.snapshot(sub, _SUB_FIELDS)
    audit.record_saved(session, actor, "safety_fee_subcontract", sub.id, before, after, f"分包安全生产费用 {project.name}")
    return sub


# --------------------------------------------------------------------------- payments


_PAY_FIELDS = ("subcontract_id", "paid_on", "amount_fen", "voucher_no", "note", "file_name")


def save_payment(session: Session, actor: Actor, data: PaymentData, *, store: AttachmentStore | None = None,
                 today: date | None = None) -> SafetyFeePayment:
    """A payment 建设单位 → 总包 (``subcontract_id`` None) or 总包 → 分包; the voucher scan optional."""
    require(actor, "safety_fee.write")
    project = get_project(session, data.project_id)
    basis = require_basis(session, project)
    c = Checker()
    amount = check_amount(c, "支付金额", data.amount_fen)
    c.required("支付日期", data.paid_on)
    c.date_order("合同签订日期", basis.contract_date, "支付日期", data.paid_on)
    c.not_future("支付日期", data.paid_on, today)
    c.max_len("凭证号", clean(data.voucher_no), 60)
    if data.subcontract_id is not None:
        sub = session.get(SafetyFeeSubcontract, data.subcontract_id)
        if sub is None or sub.project_id != project.id:
            c.add("收款单位", "所选分包单位不属于本项目")
    c.check()
    stored = store_file(store, data.file)
    pay, before = project_record(session, SafetyFeePayment, data.id, project.id, data.version, "支付记录",
                                 _PAY_FIELDS, created_by=actor.user_id)
    pay.subcontract_id, pay.paid_on, pay.amount_fen = data.subcontract_id, data.paid_on, amount  # type: ignore[assignment]
    pay.voucher_no, pay.note = clean(data.voucher_no), clean(data.note)
    if stored is not None:
        pay.blob_id, pay.file_name = blob_for(session, stored).id, stored.original_name
    session.flush()
    after = audit.snapshot(pay, _PAY_FIELDS)
    who = "总包→分包" if pay.subcontract_id else "建设单位→总包"
    audit.record_saved(session, actor, "safety_fee_payment", pay.id, before, after, f"安全生产费用支付（{who}）{project.name}")
    return pay


def delete_payment(session: Session, actor: Actor, payment_id: int, version: int | None = None) -> None:
    require(actor, "safety_fee.delete")
    pay = session.get(SafetyFeePayment, payment_id)
    if pay is None:
        raise NotFound("支付记录不存在。")
    check_version(pay, version, "支付记录")
    before = audit.snapshot(pay, _PAY_FIELDS)
    session.delete(pay)
    audit.record(session, actor, "delete", "safety_fee_payment", payment_id, before=before,
                 summary="删除安全生产费用支付记录")


def delete_subcontract(session: Session, actor: Actor, subcontract_id: int, version: int | None = None) -> None:
    """Delete a 分包 record; refused while payments to it remain (they would go with it unseen)."""
    require(actor, "safety_fee.delete")
    sub = session.get(SafetyFeeSubcontract, subcontract_id)
    if sub is None:
        raise NotFound("分包安全生产费用记录不存在。")
    check_version(sub, version, "分包安全生产费用记录")
    paid = session.scalar(select(func.count(SafetyFeePayment.id))
                          .where(SafetyFeePayment.subcontract_id == subcontract_id)) or 0
    if paid:
        raise ValidationError({"分包单位": f"该分包已有{paid}笔支付记录，请先删除这些支付记录再删除分包"})
    before = audit.snapshot(sub, _SUB_FIELDS)
    project = session.get(Project, sub.project_id)
    session.delete(sub)
    session.flush()
    audit.record(session, actor, "delete", "safety_fee_subcontract", subcontract_id, before=before,
                 summary=f"删除分包安全生产费用记录 {project.name if project else ''}".rstrip())


def count_payments(session: Session, project_id: int) -> int:
    return session.scalar(select(func.count(SafetyFeePayment.id))
                          .where(SafetyFeePayment.project_id == project_id)) or 0
