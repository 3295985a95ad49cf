"""The contractor's 分类使用台账 (财资〔2022〕136号 第十九条), its review, and inspections' fee checks.

An entry whose description or voucher text matches the negative list (reference data
``safety_fee_negative_list``), or whose category always needs review, is saved with ``flagged`` and
``review_state`` 待复核 and the reason; a supervisor marks it 复核通过 or 不予认可 with a comment. An
entry is never dropped by a check: 不予认可 entries stay in the ledger and are left out of "used".
Editing a reviewed entry's content sends it back to 待复核 when it still matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.base import now
from station_app.errors import NotFound, ValidationError
from station_app.formatting import chinese_date
from station_app.models import Inspection
from station_app.models.safety_fee import InspectionFeeCheck, ReviewState, SafetyFeeUsage
from station_app.rules import safety_fee_usage as fee_rules
from station_app.services import audit
from station_app.services.attachments import AttachmentStore
from station_app.services.context import Actor, require
from station_app.services.safety_fees.records import (
    blob_for,
    check_amount,
    check_version,
    get_project,
    project_record,
    require_basis,
    store_file,
)
from station_app.services.validation import Checker, clean


@dataclass(frozen=True)
class UsageData:
    project_id: int
    used_on: date | None
    category: str
    amount_fen: Any
    voucher_no: str = ""
    description: str = ""
    file: Path | None = None
    id: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class UsageInfo:
    id: int
    project_id: int
    used_on: date
    category: str
    category_label: str
    amount_fen: int
    voucher_no: str
    description: str
    file_name: str
    flagged: bool
    flag_reason: str
    review_state: str
    review_comment: str
    reviewed_by_name: str
    reviewed_at: datetime | None
    version: int


_FIELDS = ("used_on", "category", "amount_fen", "voucher_no", "description", "file_name", "flagged", "flag_reason",
           "review_state", "review_comment")


def category_labels() -> dict[str, str]:
    return {c.key: c.name for c in fee_rules.usage_categories()}


def usage_info(u: SafetyFeeUsage) -> UsageInfo:
    return UsageInfo(u.id, u.project_id, u.used_on, u.category, category_labels().get(u.category, u.category),
                     u.amount_fen, u.voucher_no, u.description, u.file_name, u.flagged, u.flag_reason,
                     u.review_state, u.review_comment, u.reviewed_by_name, u.reviewed_at, u.version)


def validate_usage(c: Checker, data: UsageData, contract_date: date, *, prefix: str = "",
                   today: date | None = None) -> int | None:
    """Check one entry; labels get ``prefix`` (e.g. "第3行") so an import names the row."""
    amount = check_amount(c, f"{prefix}金额", data.amount_fen)
    c.required(f"{prefix}日期", data.used_on)
    c.date_order("合同签订日期", contract_date, f"{prefix}日期", data.used_on)
    c.not_future(f"{prefix}日期", data.used_on, today)
    if c.required(f"{prefix}使用范围", clean(data.category)):
        labels = category_labels()
        if data.category not in labels:
            c.add(f"{prefix}使用范围", f"“{data.category}”不是安全生产费用使用范围，可选："
                                   + "、".join(f"{k} {v}" for k, v in labels.items()))
    c.required(f"{prefix}摘要", clean(data.description))
    c.max_len(f"{prefix}凭证号", clean(data.voucher_no), 60)
    return amount


def _apply_flag(u: SafetyFeeUsage, content_changed: bool) -> None:
    match = fee_rules.match_negative_list(u.category, u.description, u.voucher_no)
    if match is None:
        u.flagged, u.flag_reason = False, ""
        u.review_state, u.review_comment = ReviewState.NONE.value, ""
        u.reviewed_by = None
        u.reviewed_by_name, u.reviewed_at = "", None
        return
    reviewed = u.review_state in (ReviewState.ACCEPTED.value, ReviewState.REJECTED.value)
    if not u.flagged or u.flag_reason != match.reason or (reviewed and content_changed):
        u.review_state, u.review_comment = ReviewState.PENDING.value, ""
        u.reviewed_by, u.reviewed_by_name, u.reviewed_at = None, "", None
    u.flagged, u.flag_reason = True, match.reason[:300]


def save_usage(session: Session, actor: Actor, data: UsageData, *, store: AttachmentStore | None = None,
               today: date | None = None) -> UsageInfo:
    require(actor, "safety_fee.write")
    project = get_project(session, data.project_id)
    basis = require_basis(session, project)
    c = Checker()
    amount = validate_usage(c, data, basis.contract_date, today=today)
    c.check()
    stored = store_file(store, data.file)
    u, before = project_record(session, SafetyFeeUsage, data.id, project.id, data.version, "使用台账记录", _FIELDS,
                               created_by=actor.user_id, flagged=False, review_state=ReviewState.NONE.value)
    content = (data.used_on, data.category, amount, clean(data.voucher_no), clean(data.description))
    changed = before is not None and content != (u.used_on, u.category, u.amount_fen, u.voucher_no, u.description)
    u.used_on, u.category, u.amount_fen = data.used_on, data.category, amount  # type: ignore[assignment]
    u.voucher_no, u.description = clean(data.voucher_no), clean(data.description)
    if stored is not None:
        u.blob_id, u.file_name = blob_for(session, stored).id, stored.original_name
    _apply_flag(u, changed)
    session.flush()
    after = audit.snapshot(u, _FIELDS)
    flag = f"（{u.flag_reason}）" if u.flagged else ""
    audit.record_saved(session, actor, "safety_fee_usage", u.id, before, after, f"安全生产费用使用 {project.name}{flag}")
    return usage_info(u)


def get_usage(session: Session, usage_id: int) -> UsageInfo:
    u = session.get(SafetyFeeUsage, usage_id)
    if u is None:
        raise NotFound("使用台账记录不存在。")
    return usage_info(u)


def delete_usage(session: Session, actor: Actor, usage_id: int, version: int | None = None) -> None:
    require(actor, "safety_fee.delete")
    u = session.get(SafetyFeeUsage, usage_id)
    if u is None:
        raise NotFound("使用台账记录不存在。")
    check_version(u, version, "使用台账记录")
    if u.flagged and u.review_state != ReviewState.NONE.value:
        raise ValidationError({"使用台账": "已标记复核的支出不能删除（负面清单支出须留档），如有误请修改后重新复核"})
    before = audit.snapshot(u, _FIELDS)
    session.delete(u)
    audit.record(session, actor, "delete", "safety_fee_usage", usage_id, before=before,
                 summary="删除安全生产费用使用台账记录")


def review_usage(session: Session, actor: Actor, usage_id: int, decision: str, comment: str,
                 version: int | None = None) -> UsageInfo:
    """A supervisor's verdict on a flagged entry: 复核通过 or 不予认可 (a comment is required for the latter)."""
    require(actor, "safety_fee.review")
    u = session.get(SafetyFeeUsage, usage_id)
    if u is None:
        raise NotFound("使用台账记录不存在。")
    check_version(u, version, "使用台账记录")
    c = Checker()
    allowed = (ReviewState.ACCEPTED.value, ReviewState.REJECTED.value)
    c.one_of("复核结论", decision, allowed)
    c.required("复核结论", decision)
    if decision == ReviewState.REJECTED.value:
        c.required("复核意见", clean(comment))
    c.max_len("复核意见", clean(comment), 500)
    if not u.flagged:
        c.add("复核结论", "该支出未被标记，无需复核")
    c.check()
    before = audit.snapshot(u, _FIELDS)
    u.review_state, u.review_comment = decision, clean(comment)
    u.reviewed_by, u.reviewed_by_name, u.reviewed_at = actor.user_id, actor.full_name[:50], now()
    session.flush()
    audit.record(session, actor, "update", "safety_fee_usage", u.id, before=before, after=audit.snapshot(u, _FIELDS),
                 summary=f"复核安全生产费用支出：{decision}")
    return usage_info(u)


# --------------------------------------------------------------------------- inspection checks


@dataclass(frozen=True)
class FeeCheckInfo:
    inspection_id: int
    inspected_at: datetime
    inspectors: str
    usage_id: int
    remark: str


def record_fee_check(session: Session, actor: Actor, inspection_id: int, usage_ids: Sequence[int],
                     remark: str = "") -> int:
    """Link ledger entries an inspection looked at (its 安全生产费用 check). Returns links added."""
    require(actor, "inspection.write")
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise NotFound("监督检查记录不存在。")
    c = Checker()
    if not usage_ids:
        c.add("检查的台账记录", "请至少选择一条使用台账记录")
    c.max_len("检查意见", clean(remark), 300)
    c.check()
    usages = list(session.scalars(select(SafetyFeeUsage).where(SafetyFeeUsage.id.in_(list(usage_ids)))))
    if len(usages) != len(set(usage_ids)):
        raise NotFound("所选使用台账记录已不存在，请刷新后重试。")
    if any(u.project_id != insp.project_id for u in usages):
        raise ValidationError({"监督检查": "所选检查记录与台账记录不属于同一项目"})
    existing = set(session.scalars(select(InspectionFeeCheck.usage_id)
                                   .where(InspectionFeeCheck.inspection_id == inspection_id)))
    added = [u.id for u in usages if u.id not in existing]
    stamp = now()
    for uid in added:
        session.add(InspectionFeeCheck(inspection_id=inspection_id, usage_id=uid, remark=clean(remark),
                                       created_by=actor.user_id, created_at=stamp))
    session.flush()
    audit.record(session, actor, "create", "inspection_fee_check", inspection_id,
                 after={"usage_ids": added, "remark": clean(remark)},
                 summary=f"记录安全生产费用检查：{len(added)}条台账记录")
    return len(added)


def fee_checks_of(session: Session, *, usage_id: int | None = None,
                  inspection_id: int | None = None) -> list[FeeCheckInfo]:
    stmt = (select(InspectionFeeCheck.inspection_id, Inspection.inspected_at, Inspection.inspector_names,
                   InspectionFeeCheck.usage_id, InspectionFeeCheck.remark)
            .join(Inspection, Inspection.id == InspectionFeeCheck.inspection_id))
    if usage_id is not None:
        stmt = stmt.where(InspectionFeeCheck.usage_id == usage_id)
    if inspection_id is not None:
        stmt = stmt.where(InspectionFeeCheck.inspection_id == inspection_id)
    return [FeeCheckInfo(*row) for row in session.execute(stmt.order_by(Inspection.inspected_at.desc()))]


def inspections_for_check(session: Session, project_id: int, limit: int = 30) -> list[tuple[int, str]]:
    """Recent inspections of the project, for the "记录检查" picker: (id, "2026年3月10日 张监督、赵监督")."""
    stmt = (select(Inspection.id, Inspection.inspected_at, Inspection.inspector_names)
            .where(Inspection.project_id == project_id).order_by(Inspection.inspected_at.desc()).limit(limit))
    return [(i, f"{chinese_date(at)} {names}") for i, at, names in session.execute(stmt)]
