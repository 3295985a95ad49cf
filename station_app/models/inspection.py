"""Inspections (监督检查记录): who checked which site when, what they checked and found.

One aggregate: an ``Inspection`` with its inspectors, the people present for each party, the check
items gone through, the findings (隐患/问题), an optional JGJ 59 scoring sheet and attached files.
Findings keep a stable integer key so the hazard ledger can later reference one finding 1:1.
Attached files are content-addressed blobs (``attachment_blobs``), linked as many times as needed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.db.base import Base, LocalDateTime, ScaledDecimal, TimestampMixin, VersionedMixin, now


class InspectionKind(StrEnum):
    DAILY = "日常巡查"
    SPECIAL = "专项检查"
    DOUBLE_RANDOM = "双随机抽查"
    FOUR_NO_TWO_DIRECT = "四不两直"
    OPEN_AND_COVERT = "明查暗访"
    RECHECK = "复查"
    OVERSIGHT = "督查"
    NIGHT = "夜查"


class FindingLevel(StrEnum):
    ORDINARY = "一般"
    MAJOR = "重大"


class CheckResult(StrEnum):
    CONFORMS = "符合"
    NONCONFORMING = "不符合"
    NOT_APPLICABLE = "不适用"


class CheckSource(StrEnum):
    """Where a check item comes from: a catalog of the rules kernel, a campaign checklist, or typed."""

    JGJ59 = "JGJ59"
    MAJOR_HAZARD = "重大隐患"
    CAMPAIGN = "专项"
    CUSTOM = "自定"


class FindingOrigin(StrEnum):
    CHECK = "检查发现"
    PRESENCE = "人员到岗"  # a key person absent: 关键岗位人员到岗履职


class Campaign(Base, TimestampMixin, VersionedMixin):
    """A 专项行动 an inspection can belong to; the admin extends the list and its checklist."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    checklist_json: Mapped[str] = mapped_column(Text, default="[]")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")


class Inspection(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "inspections"
    __table_args__ = (
        Index("ix_inspections_project_inspected", "project_id", "inspected_at"),
        Index("ix_inspections_grid_inspected", "grid_id", "inspected_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspected_at: Mapped[datetime] = mapped_column(LocalDateTime, index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    #: the project's grid on the day (kept when the project later moves to another grid)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), nullable=True, index=True)
    weather: Mapped[str] = mapped_column(String(30), default="")
    site_parts: Mapped[str] = mapped_column(String(500), default="")
    conclusion: Mapped[str] = mapped_column(Text, default="")
    # denormalised for the list (60,000 rows open in ≤ 200 ms); rewritten by every save
    inspector_names: Mapped[str] = mapped_column(String(200), default="")
    finding_count: Mapped[int] = mapped_column(Integer, default=0)
    major_count: Mapped[int] = mapped_column(Integer, default=0)
    check_item_count: Mapped[int] = mapped_column(Integer, default=0)
    search_key: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    inspectors: Mapped[list[InspectionInspector]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionInspector.seq"
    )
    presence: Mapped[list[InspectionPresence]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionPresence.seq"
    )
    check_items: Mapped[list[InspectionCheckItem]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionCheckItem.seq"
    )
    findings: Mapped[list[InspectionFinding]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionFinding.seq"
    )


class InspectionInspector(Base):
    """One inspector (监督人员) of an inspection; ``name`` is kept as it was on the day."""

    __tablename__ = "inspection_inspectors"
    __table_args__ = (Index("ix_inspection_inspectors_user_inspection", "user_id", "inspection_id"),)

    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"),
                                               primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(50))

    inspection: Mapped[Inspection] = relationship(back_populates="inspectors")


class InspectionPresence(Base):
    """Whether a responsible person of a party was on site (项目负责人/项目总监/专职安全员 …)."""

    __tablename__ = "inspection_presence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    party_role: Mapped[str] = mapped_column(String(10))
    post: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), nullable=True)
    person_name: Mapped[str] = mapped_column(String(50), default="")
    present: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")

    inspection: Mapped[Inspection] = relationship(back_populates="presence")


class InspectionCheckItem(Base):
    """A check item gone through: from JGJ 59, the major-hazard criteria, a campaign list, or typed."""

    __tablename__ = "inspection_check_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(40), default="")
    label: Mapped[str] = mapped_column(String(300))
    result: Mapped[str] = mapped_column(String(4))
    note: Mapped[str] = mapped_column(String(300), default="")

    inspection: Mapped[Inspection] = relationship(back_populates="check_items")


class InspectionFinding(Base, TimestampMixin):
    """A problem found at an inspection. Its ``id`` never changes, so a hazard can reference it 1:1."""

    __tablename__ = "inspection_findings"
    __table_args__ = (
        CheckConstraint("level IN ('一般', '重大')", name="level"),
        Index("ix_inspection_findings_criterion", "criterion_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    category: Mapped[str] = mapped_column(String(30))
    level: Mapped[str] = mapped_column(String(4))
    #: 重大事故隐患判定标准 code ("2024-8-1") and its edition, for major findings
    criterion_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    criterion_edition: Mapped[str | None] = mapped_column(String(10), nullable=True)
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(200), default="")
    requirement: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: the default ``deadline`` reached a year without holiday data (暂定); off for a typed date
    deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    check_item_code: Mapped[str] = mapped_column(String(40), default="")
    origin: Mapped[str] = mapped_column(String(10), default=FindingOrigin.CHECK.value)
    #: for origin 人员到岗: "party_role/post" of the absent person, so re-saves do not duplicate it
    origin_key: Mapped[str] = mapped_column(String(60), default="")

    inspection: Mapped[Inspection] = relationship(back_populates="findings")


class Jgj59Sheet(Base):
    """The JGJ 59 检查评分 of an inspection: the result computed by the rules, with the edition used."""

    __tablename__ = "inspection_jgj59_sheets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), unique=True)
    edition: Mapped[str] = mapped_column(String(40))
    total: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    grade: Mapped[str] = mapped_column(String(10))
    #: {"B.1": 86.67, …} item-table scores as computed
    table_scores_json: Mapped[str] = mapped_column(Text, default="{}")
    computed_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)

    entries: Mapped[list[Jgj59Entry]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan", order_by="Jgj59Entry.id"
    )


class Jgj59Entry(Base):
    """Points entered for one item of an item table (实得分 of 应得分); items not checked have no row."""

    __tablename__ = "inspection_jgj59_entries"
    __table_args__ = (UniqueConstraint("sheet_id", "item_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("inspection_jgj59_sheets.id", ondelete="CASCADE"),
                                          index=True)
    item_key: Mapped[str] = mapped_column(String(20))
    table_code: Mapped[str] = mapped_column(String(8))
    full_points: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    earned: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    note: Mapped[str] = mapped_column(String(200), default="")

    sheet: Mapped[Jgj59Sheet] = relationship(back_populates="entries")


class AttachmentBlob(Base):
    """One stored file, named by its SHA-256 under DataDir.attachments (ab/cdef…); linked many times."""

    __tablename__ = "attachment_blobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(80), default="application/octet-stream")
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: EXIF DateTimeOriginal where present
    taken_at: Mapped[datetime | None] = mapped_column(LocalDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)


class InspectionAttachment(Base):
    """A file attached to an inspection, or to one of its findings (``finding_id`` set)."""

    __tablename__ = "inspection_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    blob_id: Mapped[int] = mapped_column(ForeignKey("attachment_blobs.id"), index=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspection_findings.id", ondelete="CASCADE"), nullable=True, index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    caption: Mapped[str] = mapped_column(String(200), default="")
    attached_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    attached_by_name: Mapped[str] = mapped_column(String(50), default="")
    attached_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)

    blob: Mapped[AttachmentBlob] = relationship()
