"""The hazard ledger (隐患台账): every hazard found on a site and its closed loop 排查 → 整改 → 督办 → 销号.

A hazard found during an inspection references its ``InspectionFinding`` 1:1 (``finding_id``); other
sources (企业自查, 举报, 上级督查, 智慧工地) have no finding. Grid, supervisor and contractor are stored
as they were when the hazard was found, so the ledger filters and groups by SQL alone and a later
reassignment does not rewrite history. 逾期 is never stored: it is "open and past its deadline".
Every change of state is a ``HazardEvent``; 挂牌督办 is a ``HazardListing`` (one open at a time).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.db.base import Base, LocalDateTime, TimestampMixin, VersionedMixin, now


class HazardSource(StrEnum):
    INSPECTION = "监督检查"
    SELF_CHECK = "企业自查"
    REPORT = "举报"
    OVERSIGHT = "上级督查"
    SMART_SITE = "智慧工地"


class HazardLevel(StrEnum):
    ORDINARY = "一般"
    MAJOR = "重大"


class HazardState(StrEnum):
    PENDING = "待整改"
    RECTIFYING = "整改中"
    AWAITING_REVIEW = "待复查"
    #: a major hazard passed its 复查 and waits for the station chief to confirm 销号
    AWAITING_CONFIRMATION = "待确认销号"
    CLOSED = "已销号"
    CANCELLED = "已撤销"


#: states in which a hazard is still open (counts toward 逾期 / 动态清零)
OPEN_STATES = (HazardState.PENDING, HazardState.RECTIFYING, HazardState.AWAITING_REVIEW,
               HazardState.AWAITING_CONFIRMATION)


class HazardAction(StrEnum):
    """What a ``HazardEvent`` records."""

    FOUND = "登记"
    EDITED = "修改"
    DEADLINE_SET = "下达整改期限"
    DEADLINE_EXTENDED = "延长整改期限"
    ASSIGNED = "指派监督员"
    RECTIFICATION_STARTED = "开始整改"
    RECTIFICATION_REPORTED = "报告整改完成"
    REVIEW_PASSED = "复查合格"
    REVIEW_FAILED = "复查不合格"
    CLOSE_CONFIRMED = "确认销号"
    CLOSED = "销号"
    CANCELLED = "撤销"
    LISTED = "挂牌督办"
    LISTING_LIFTED = "摘牌"
    URGED = "督办"


class ListingLevel(StrEnum):
    COUNTY = "县级"
    CITY = "市级"


class Hazard(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "hazards"
    __table_args__ = (
        Index("ix_hazards_state_deadline", "state", "deadline"),
        # covering for the 动态清零 dashboard (services/hazards/stats.py): its GROUP BYs read no table rows
        Index("ix_hazards_level_state", "level", "state", "found_on", "closed_on"),
        Index("ix_hazards_found_on", "found_on", "level", "state"),
        Index("ix_hazards_closed_on", "closed_on", "level", "state"),
        Index("ix_hazards_project", "project_id"),
        # an enterprise merge or delete finds the hazards it is responsible for without a 250,000-row scan
        Index("ix_hazards_responsible", "responsible_enterprise_id"),
        Index("ix_hazards_category", "category"),
        # the ledger's 挂牌 filter and its sorts by 来源 / 判定依据 (250,000 rows)
        Index("ix_hazards_listing_level", "listing_level"),
        Index("ix_hazards_source", "source"),
        Index("ix_hazards_criterion", "criterion_code"),
        # bench_hazards: the ledger's 整改期限 sort reads the first page off an index (no 250,000-row sort),
        # and a grid / supervisor / contractor filter pages in its default order (发现日期 desc) off one;
        # these three also serve every lookup by grid / supervisor / contractor alone (a leading column)
        Index("ix_hazards_deadline", "deadline"),
        Index("ix_hazards_grid_found", "grid_id", "found_on"),
        Index("ix_hazards_supervisor_found", "supervisor_id", "found_on"),
        Index("ix_hazards_contractor_found", "contractor_id", "found_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ledger number shown to users, e.g. YH2026-000123 (unique, assigned at registration)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    source: Mapped[str] = mapped_column(String(10), default=HazardSource.INSPECTION.value)
    inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id", ondelete="SET NULL"), nullable=True, index=True)
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspection_findings.id", ondelete="SET NULL"), nullable=True, unique=True)
    found_on: Mapped[date] = mapped_column(Date)
    #: who found it: a user (supervisor) and/or the names as printed (two or more inspectors)
    found_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    found_by_names: Mapped[str] = mapped_column(String(200), default="")
    #: snapshots at discovery: the project's grid, its responsible supervisor, its 施工总承包
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="SET NULL"), nullable=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    contractor_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), nullable=True)

    location: Mapped[str] = mapped_column(String(200), default="")
    #: a code of ``rules.hazards.hazard_categories``
    category: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(4), default=HazardLevel.ORDINARY.value)
    #: for a major hazard: the criterion item (e.g. "2022-8-1") and the edition it was judged under
    criterion_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    criterion_edition: Mapped[str | None] = mapped_column(String(10), nullable=True)

    #: responsible party role (PartyRole label), enterprise and person
    responsible_role: Mapped[str] = mapped_column(String(10), default="施工总承包")
    responsible_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), nullable=True)
    responsible_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), nullable=True)
    responsible_person_name: Mapped[str] = mapped_column(String(50), default="")
    requirement: Mapped[str] = mapped_column(Text, default="")
    #: the concrete date by which it must be rectified (current; extensions are events)
    deadline: Mapped[date] = mapped_column(Date)
    first_deadline: Mapped[date] = mapped_column(Date)
    #: ``deadline`` was computed over a year without holiday data (暂定); recomputed once it is entered
    deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)

    state: Mapped[str] = mapped_column(String(10), default=HazardState.PENDING.value)
    state_since: Mapped[datetime] = mapped_column(LocalDateTime, default=now)
    rectified_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    #: current 挂牌督办 level ("" when not listed) — denormalised from the open ``HazardListing``
    listing_level: Mapped[str] = mapped_column(String(4), default="")
    search_key: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    events: Mapped[list[HazardEvent]] = relationship(
        back_populates="hazard", cascade="all, delete-orphan", order_by="HazardEvent.id")
    listings: Mapped[list[HazardListing]] = relationship(
        back_populates="hazard", cascade="all, delete-orphan", order_by="HazardListing.id")


class HazardEvent(Base):
    """One step of a hazard's history: who did what, when, with which comment and evidence."""

    __tablename__ = "hazard_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(10))
    from_state: Mapped[str] = mapped_column(String(10), default="")
    to_state: Mapped[str] = mapped_column(String(10), default="")
    #: the business date of the step (e.g. the day of the 复查); ``at`` is when it was recorded
    on_date: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(50), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    new_deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: a re-inspection that reviewed the rectification
    inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id", ondelete="SET NULL"), nullable=True)

    hazard: Mapped[Hazard] = relationship(back_populates="events")
    attachments: Mapped[list[HazardAttachment]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="HazardAttachment.id")


class HazardAttachment(Base):
    """Evidence on a hazard: photos at discovery, the rectification report, review photos."""

    __tablename__ = "hazard_attachments"
    __table_args__ = (UniqueConstraint("hazard_id", "event_id", "blob_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("hazard_events.id", ondelete="CASCADE"), nullable=True, index=True)
    blob_id: Mapped[int] = mapped_column(ForeignKey("attachment_blobs.id"), index=True)
    #: 隐患照片 / 整改报告 / 整改照片 / 复查照片 / 其他
    kind: Mapped[str] = mapped_column(String(10), default="隐患照片")
    file_name: Mapped[str] = mapped_column(String(200), default="")
    caption: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)

    event: Mapped[HazardEvent | None] = relationship(back_populates="attachments")


class HazardListing(Base, TimestampMixin):
    """挂牌督办 of a major hazard: level, date, responsible unit, required completion; lifting it."""

    __tablename__ = "hazard_listings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(4))
    listed_on: Mapped[date] = mapped_column(Date)
    responsible_unit: Mapped[str] = mapped_column(String(100))
    required_by: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    listed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    lifted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    lift_note: Mapped[str] = mapped_column(Text, default="")

    hazard: Mapped[Hazard] = relationship(back_populates="listings")


class ContractorReview(Base, TimestampMixin):
    """精准拆弹: a review of every other active project of the same 施工总包, opened by a 挂牌督办 or accident."""

    __tablename__ = "contractor_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    #: what opened it: 挂牌督办 / 事故
    trigger: Mapped[str] = mapped_column(String(10))
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hazards.id", ondelete="SET NULL"), nullable=True)
    trigger_note: Mapped[str] = mapped_column(String(300), default="")
    opened_on: Mapped[date] = mapped_column(Date)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    items: Mapped[list[ContractorReviewItem]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ContractorReviewItem.id")


class ContractorReviewItem(Base):
    """One project to look at in a contractor-wide review; ``inspection_id`` once it was inspected."""

    __tablename__ = "contractor_review_items"
    __table_args__ = (UniqueConstraint("review_id", "project_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("contractor_reviews.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    planned_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id", ondelete="SET NULL"), nullable=True)

    review: Mapped[ContractorReview] = relationship(back_populates="items")
