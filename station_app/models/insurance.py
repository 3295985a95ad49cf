"""安全生产责任保险 (安责险): a project's policies, the insurer's prevention-service visits, claims, files.

A policy covers the days ``start_date`` … its *effective end* inclusive: ``end_date``, or — when
``until_completion`` (保险止期“至竣工验收备案”) — the project's ``completion_filing_date`` (open while
that is empty); a surrendered/cancelled policy (退保/注销) ends on ``status_date`` if that is earlier.
The checks in ``services/insurance/checks.py`` compute that end in SQL, never store it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.db.base import Base, LocalDateTime, ScaledDecimal, TimestampMixin, VersionedMixin, now
from station_app.models.inspection import AttachmentBlob
from station_app.models.registry import Enterprise


class InsurancePolicy(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "insurance_policies"
    __table_args__ = (
        UniqueConstraint("insurer", "policy_no"),
        Index("ix_insurance_policies_project_start", "project_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    #: 投保单位 (被保险人): the 施工总承包, or the contractor the 建设单位 hired directly
    insured_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    insurer: Mapped[str] = mapped_column(String(100))
    insurer_branch: Mapped[str] = mapped_column(String(100), default="")
    policy_no: Mapped[str] = mapped_column(String(60))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: 保险止期“至竣工验收备案”: the end is the project's completion filing date once entered
    until_completion: Mapped[bool] = mapped_column(Boolean, default=False)
    premium_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: 计费基数 (合同造价)
    premium_base_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: 费率, per mille (‰), 4 decimals
    rate_permille: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4), nullable=True)
    death_limit_fen: Mapped[int] = mapped_column(BigInteger)
    medical_limit_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    third_party_limit_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    aggregate_limit_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: 不记名不计人数 / 记名
    headcount_mode: Mapped[str] = mapped_column(String(10), default="不记名不计人数")
    headcount: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: 有效 / 退保 / 注销
    status: Mapped[str] = mapped_column(String(4), default="有效", index=True)
    #: the last day of cover of a surrendered or cancelled policy
    status_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status_reason: Mapped[str] = mapped_column(String(200), default="")
    #: the legal minimum per person on the start date when saved (fen), and the rule that set it
    min_limit_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    min_limit_rule: Mapped[str] = mapped_column(String(60), default="")
    #: saved although below the minimum: the reason the clerk typed
    below_minimum_reason: Mapped[str] = mapped_column(String(300), default="")
    #: the policy that replaced this one (its end date was set when the new one was entered)
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("insurance_policies.id", ondelete="SET NULL"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    search_key: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    insured: Mapped[Enterprise] = relationship()


class InsuranceVisit(Base, TimestampMixin):
    """事故预防服务: an insurer's safety-service visit to the project."""

    __tablename__ = "insurance_visits"
    __table_args__ = (Index("ix_insurance_visits_project_date", "project_id", "visit_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("insurance_policies.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    visit_date: Mapped[date] = mapped_column(Date)
    staff: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class InsuranceClaim(Base, TimestampMixin):
    """出险/理赔 under a policy. ``accident_id`` will point into the accident registry once it exists."""

    __tablename__ = "insurance_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("insurance_policies.id", ondelete="CASCADE"), index=True)
    accident_date: Mapped[date] = mapped_column(Date)
    accident_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    description: Mapped[str] = mapped_column(Text)
    claimed_fen: Mapped[int] = mapped_column(BigInteger)
    paid_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    paid_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: 已报案 / 理赔中 / 已赔付 / 拒赔
    status: Mapped[str] = mapped_column(String(6), default="已报案")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class InsuranceAttachment(Base):
    """The policy scan and other files of a policy (content-addressed blobs, linked here)."""

    __tablename__ = "insurance_attachments"
    __table_args__ = (UniqueConstraint("policy_id", "blob_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("insurance_policies.id", ondelete="CASCADE"), index=True)
    blob_id: Mapped[int] = mapped_column(ForeignKey("attachment_blobs.id"), index=True)
    #: 保单 / 批单 / 发票 / 其他
    kind: Mapped[str] = mapped_column(String(10), default="保单")
    file_name: Mapped[str] = mapped_column(String(255), default="")
    added_by_name: Mapped[str] = mapped_column(String(50), default="")
    added_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)

    blob: Mapped[AttachmentBlob] = relationship()
