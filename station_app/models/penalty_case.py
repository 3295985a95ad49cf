"""Administrative-penalty cases (行政处罚案件): one row per case, its stage log, its statutory clocks,
its 一案双查 reviews of responsible people, its evidence and the documents issued for it.

The current stage lives on the case (``stage``); every completed stage is a ``CaseStageRecord`` (who,
when, note). Each statutory period is a ``CaseClock`` row (procedure step, start, last day, basis, done
on): "overdue" is never stored, it is "open and past its last day", so the list filters by SQL alone.
Money is integer fen.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.db.base import Base, LocalDateTime, TimestampMixin, VersionedMixin, now


class PenaltyCase(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "penalty_cases"
    __table_args__ = (
        Index("ix_penalty_cases_stage", "stage"),
        Index("ix_penalty_cases_clue_on", "clue_on"),
        Index("ix_penalty_cases_project", "project_id"),
        Index("ix_penalty_cases_enterprise", "enterprise_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: case number shown to users, e.g. CF2026-0007 (unique; serial per year of the clue)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    #: current stage (a label of services.case_stages.STAGES, or 不予立案)
    stage: Mapped[str] = mapped_column(String(10))
    stage_on: Mapped[date] = mapped_column(Date)
    #: 案由
    cause: Mapped[str] = mapped_column(String(300))
    #: 线索来源: 监督检查 / 隐患 / 投诉举报 / 事故 / 上级交办 / 其他
    source: Mapped[str] = mapped_column(String(10))
    source_note: Mapped[str] = mapped_column(String(300), default="")
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), nullable=True)
    inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id", ondelete="SET NULL"), nullable=True)
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hazards.id", ondelete="SET NULL"), nullable=True)
    #: the accident the case follows from (free text until the accident registry exists)
    accident_note: Mapped[str] = mapped_column(String(300), default="")

    #: 当事人: 单位 (enterprise, USCC) or 个人 (person, 居民身份证号); name/code as printed
    party_kind: Mapped[str] = mapped_column(String(4))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), nullable=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), nullable=True)
    party_name: Mapped[str] = mapped_column(String(120))
    party_code: Mapped[str] = mapped_column(String(18), default="")
    party_address: Mapped[str] = mapped_column(String(200), default="")
    party_legal_rep: Mapped[str] = mapped_column(String(50), default="")

    #: 违法事实 and 证据 (summary as printed)
    facts: Mapped[str] = mapped_column(Text, default="")
    evidence_summary: Mapped[str] = mapped_column(Text, default="")
    handlers: Mapped[str] = mapped_column(String(100), default="")

    #: penalty: violation code of rules.penalties, fine in fen, measures, discretion factors
    violation_code: Mapped[str | None] = mapped_column(String(30), nullable=True)
    proposed_fine_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    base_amount_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    other_measures: Mapped[str] = mapped_column(String(200), default="")
    #: 从轻 / 减轻 / 从重 / 不予处罚 (、-joined) and why
    factors: Mapped[str] = mapped_column(String(40), default="")
    factor_note: Mapped[str] = mapped_column(Text, default="")
    in_range: Mapped[bool] = mapped_column(Boolean, default=True)
    range_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    range_approved_by_name: Mapped[str] = mapped_column(String(50), default="")
    range_approval_reason: Mapped[str] = mapped_column(Text, default="")
    hearing_eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    #: 情节复杂或重大违法: needs 集体讨论
    serious: Mapped[bool] = mapped_column(Boolean, default=False)

    clue_on: Mapped[date] = mapped_column(Date)
    filed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: 办案期限 (decision due) and its approved extension
    case_deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    extended_by_name: Mapped[str] = mapped_column(String(50), default="")
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decided_fine_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    served_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    payment_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    last_paid_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: 加处罚款 fixed when the fine was paid in full (0 when paid on time)
    surcharge_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_in_full_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reminded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    enforcement_applied_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    archived_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    archive_no: Mapped[str] = mapped_column(String(40), default="")
    #: 1 when closed after an accident with no penalty (零处罚 warning, a list check)
    zero_penalty_flag: Mapped[bool] = mapped_column(Boolean, default=False)

    search_key: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    stages: Mapped[list[CaseStageRecord]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseStageRecord.id")
    clocks: Mapped[list[CaseClock]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseClock.id")
    reviews: Mapped[list[CaseReview]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseReview.id")


class CaseStageRecord(Base):
    """One completed stage: its business date, who recorded it, the note."""

    __tablename__ = "penalty_case_stages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_cases.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    on_date: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[PenaltyCase] = relationship(back_populates="stages")


class CaseClock(Base):
    """A statutory period of the case: procedure step, start, last day (from rules.procedure), basis."""

    __tablename__ = "penalty_case_clocks"
    __table_args__ = (
        UniqueConstraint("case_id", "step"),
        Index("ix_penalty_case_clocks_open", "done_on", "deadline"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_cases.id", ondelete="CASCADE"), index=True)
    #: a step of rules.procedure (case_filing_review, decision, statement_defense …)
    step: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(40))
    #: 本站 (the station must act by the last day) or 当事人 (a period of the party's rights)
    owner: Mapped[str] = mapped_column(String(4))
    start: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(200), default="")
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    #: the period ends in a year without holiday data: the last day is not yet moved past holidays
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)

    case: Mapped[PenaltyCase] = relationship(back_populates="clocks")


class CaseReview(Base):
    """一案双查: a responsible person of the penalised company and the outcome of looking at them."""

    __tablename__ = "penalty_case_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), nullable=True)
    person_name: Mapped[str] = mapped_column(String(50))
    post: Mapped[str] = mapped_column(String(20))
    #: "" while pending; 处罚 / 不予处罚 / 移送
    outcome: Mapped[str] = mapped_column(String(6), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decided_by_name: Mapped[str] = mapped_column(String(50), default="")

    case: Mapped[PenaltyCase] = relationship(back_populates="reviews")


class CaseEvidence(Base):
    """A file of the investigation (笔录 scan, 勘验 record, photo), stored content-addressed."""

    __tablename__ = "penalty_case_evidence"
    __table_args__ = (UniqueConstraint("case_id", "blob_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_cases.id", ondelete="CASCADE"), index=True)
    blob_id: Mapped[int] = mapped_column(ForeignKey("attachment_blobs.id"), index=True)
    #: 询问笔录 / 现场勘验笔录 / 照片 / 先行登记保存 / 其他
    kind: Mapped[str] = mapped_column(String(10))
    original_name: Mapped[str] = mapped_column(String(200), default="")
    caption: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)
    added_by_name: Mapped[str] = mapped_column(String(50), default="")


class CaseDocument(Base):
    """A document issued for the case (the issued_documents row of the documents service)."""

    __tablename__ = "case_documents"
    __table_args__ = (UniqueConstraint("document_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_cases.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("issued_documents.id"))
    stage: Mapped[str] = mapped_column(String(10))
    doc_type: Mapped[str] = mapped_column(String(30))
    doc_number: Mapped[str] = mapped_column(String(60), default="")
