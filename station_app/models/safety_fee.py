"""安全生产费用 (财资〔2022〕136号): the fee basis of a project, payments, the usage ledger.

* ``SafetyFeeBasis`` — one per project: 建安工程造价 × rate (from ``rules.fees``, the rule key and
  regulation stored with it) = the fee that must be listed and paid; the share due within a month of
  the start (第十八条) stored with the rule constant used. The start date of the check is
  ``start_date`` when the clerk entered one (e.g. the 开工令 date), else the project's 实际开工日期,
  else its 施工许可日期 (resolved in SQL at query time, so a later project edit is followed).
* ``SafetyFeeSubcontract`` — one per 专业分包 enterprise on the project: its own fee amount (entered,
  the subcontract's share) and start date; the 总包 owes it the same 50 % within a month.
* ``SafetyFeePayment`` — 建设单位 → 总包 (``subcontract_id`` NULL) or 总包 → one 专业分包.
* ``SafetyFeeUsage`` — the contractor's 分类使用台账. Entries matching the negative list are flagged
  (``review_state`` 待复核) and a supervisor marks them 复核通过 / 不予认可; never deleted by a check.
* ``InspectionFeeCheck`` — an inspection's 安全生产费用 check: the ledger entries it looked at.

Files (vouchers) are content-addressed ``attachment_blobs`` rows, like every attachment.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from station_app.db.base import Base, LocalDateTime, ScaledDecimal, TimestampMixin, VersionedMixin


class ReviewState(StrEnum):
    NONE = ""
    PENDING = "待复核"
    ACCEPTED = "复核通过"
    REJECTED = "不予认可"


class SafetyFeeBasis(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "safety_fee_bases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), unique=True)
    #: 建筑安装工程造价 (fen)
    cost_fen: Mapped[int] = mapped_column(BigInteger)
    contract_date: Mapped[date] = mapped_column(Date)
    #: the fee rule's project type (工程类别 of 第十七条), not necessarily the registry's
    fee_project_type: Mapped[str] = mapped_column(String(20))
    rate: Mapped[Decimal] = mapped_column(ScaledDecimal(4))
    #: key of the ``safety_fee_rates`` row used and its regulation (财资〔2022〕136号 …)
    rule_key: Mapped[str] = mapped_column(String(60))
    regulation: Mapped[str] = mapped_column(String(60))
    #: cost × rate, rounded half-up to the fen
    required_fen: Mapped[int] = mapped_column(BigInteger)
    first_share: Mapped[Decimal] = mapped_column(ScaledDecimal(4))
    #: required × first_share, rounded up to the fen
    first_due_fen: Mapped[int] = mapped_column(BigInteger)
    #: explicit start of the 50 % period; NULL: the project's 实际开工日期, else 施工许可日期
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


class SafetyFeeSubcontract(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "safety_fee_subcontracts"
    __table_args__ = (UniqueConstraint("project_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    scope: Mapped[str] = mapped_column(String(200), default="")
    #: the subcontract's 安全生产费用 (entered; its share of the project's)
    fee_fen: Mapped[int] = mapped_column(BigInteger)
    first_share: Mapped[Decimal] = mapped_column(ScaledDecimal(4))
    first_due_fen: Mapped[int] = mapped_column(BigInteger)
    start_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class SafetyFeePayment(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "safety_fee_payments"
    __table_args__ = (Index("ix_safety_fee_payments_project_sub_paid", "project_id", "subcontract_id", "paid_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    #: NULL: 建设单位 → 施工总承包; else 施工总承包 → this 专业分包
    subcontract_id: Mapped[int | None] = mapped_column(
        ForeignKey("safety_fee_subcontracts.id", ondelete="CASCADE"), nullable=True, index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    voucher_no: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    blob_id: Mapped[int | None] = mapped_column(ForeignKey("attachment_blobs.id"), nullable=True, index=True)
    file_name: Mapped[str] = mapped_column(String(255), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


class SafetyFeeUsage(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "safety_fee_usages"
    __table_args__ = (
        Index("ix_safety_fee_usages_project_used", "project_id", "used_on"),
        Index("ix_safety_fee_usages_project_category", "project_id", "category", "amount_fen"),
        Index("ix_safety_fee_usages_review_project", "review_state", "project_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    used_on: Mapped[date] = mapped_column(Date)
    #: key of ``safety_fee_categories`` ("19-1" …)
    category: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    voucher_no: Mapped[str] = mapped_column(String(60), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    blob_id: Mapped[int | None] = mapped_column(ForeignKey("attachment_blobs.id"), nullable=True, index=True)
    file_name: Mapped[str] = mapped_column(String(255), default="")
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_reason: Mapped[str] = mapped_column(String(300), default="")
    review_state: Mapped[str] = mapped_column(String(10), default=ReviewState.NONE.value)
    review_comment: Mapped[str] = mapped_column(String(500), default="")
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    reviewed_by_name: Mapped[str] = mapped_column(String(50), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(LocalDateTime, nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


class InspectionFeeCheck(Base):
    """One ledger entry an inspection looked at in its 安全生产费用 check, with the inspector's remark."""

    __tablename__ = "inspection_fee_checks"
    __table_args__ = (UniqueConstraint("inspection_id", "usage_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    usage_id: Mapped[int] = mapped_column(ForeignKey("safety_fee_usages.id", ondelete="CASCADE"), index=True)
    remark: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(LocalDateTime)
