"""Grid supervision (网格化监管): who supervises which project when, the per-project plan frequency,
full-coverage rounds (全覆盖排查), 双随机 draws and declared supervisor↔enterprise conflicts.

Periods are **from inclusive, to exclusive** (as in the reference data): a row with
``effective_from`` 2025-01-01 and ``effective_to`` 2025-04-01 was in force on 2025-03-31, not on
2025-04-01; ``effective_to`` NULL is open-ended (the current assignment).
"""

from __future__ import annotations

from datetime import date, datetime

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
from sqlalchemy.orm import Mapped, mapped_column

from station_app.db.base import Base, LocalDateTime, VersionedMixin, now


class SupervisionAssignment(Base):
    """One person in one role on one project for a period: 主监督员 or 第二监督员."""

    __tablename__ = "supervision_assignments"
    __table_args__ = (
        Index("ix_supervision_assignments_project_period", "project_id", "effective_to", "effective_from"),
        Index("ix_supervision_assignments_user_period", "user_id", "effective_to", "project_id"),
        CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(10))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class GridLeaderTerm(Base):
    """网格长 history of a grid (``grids.leader_id`` is the current one)."""

    __tablename__ = "grid_leader_terms"
    __table_args__ = (
        Index("ix_grid_leader_terms_grid_period", "grid_id", "effective_to", "effective_from"),
        CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class SupervisionPlan(Base, VersionedMixin):
    """A project's 监督工作计划 frequency when it differs from the reference-data default.

    ``interval_days`` NULL = the default; the raise rules (超规模危大, accidents, hazards) still
    tighten whatever is set here.
    """

    __tablename__ = "supervision_plans"
    __table_args__ = (CheckConstraint("interval_days IS NULL OR interval_days > 0", name="interval"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    interval_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now, onupdate=now)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class CoverageRound(Base, VersionedMixin):
    """A named full-coverage round (全覆盖排查): every project and contractor reached in the period."""

    __tablename__ = "coverage_rounds"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    #: only inspections of this kind count ("" = any kind)
    inspection_kind: Mapped[str] = mapped_column(String(30), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class RandomDraw(Base):
    """The record of one 双随机 draw: its filters, seed and pools, so anyone can replay it."""

    __tablename__ = "random_draws"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    drawn_at: Mapped[datetime] = mapped_column(LocalDateTime, index=True)
    drawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    drawn_by_name: Mapped[str] = mapped_column(String(50), default="")
    seed: Mapped[int] = mapped_column(BigInteger)
    algorithm: Mapped[str] = mapped_column(String(20))
    filters_json: Mapped[str] = mapped_column(Text)
    requested: Mapped[int] = mapped_column(Integer)
    inspectors_per_project: Mapped[int] = mapped_column(Integer)
    exclude_own_grid: Mapped[bool] = mapped_column(Boolean)
    exclude_own_projects: Mapped[bool] = mapped_column(Boolean)
    pool_size: Mapped[int] = mapped_column(Integer)
    #: the inputs exactly as drawn from (sorted ids and the exclusion pairs), JSON
    project_pool_json: Mapped[str] = mapped_column(Text)
    inspector_pool_json: Mapped[str] = mapped_column(Text)
    exclusions_json: Mapped[str] = mapped_column(Text)
    skipped_json: Mapped[str] = mapped_column(Text, default="[]")
    note: Mapped[str] = mapped_column(Text, default="")


class RandomDrawItem(Base):
    """One inspector on one drawn project (``slot`` 1 leads the pair)."""

    __tablename__ = "random_draw_items"
    __table_args__ = (UniqueConstraint("draw_id", "seq", "slot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("random_draws.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    slot: Mapped[int] = mapped_column(Integer)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), nullable=True,
                                                   index=True)
    project_name: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    user_name: Mapped[str] = mapped_column(String(50))


class SupervisorConflict(Base, VersionedMixin):
    """A declared link between a supervisor and an enterprise (回避): no draw pairs them."""

    __tablename__ = "supervisor_conflicts"
    __table_args__ = (
        Index("ix_supervisor_conflicts_user_enterprise", "user_id", "enterprise_id"),
        CheckConstraint("ended_on IS NULL OR ended_on > declared_on", name="period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: no cascade: merging or deleting an enterprise must carry its declared conflicts along
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    relation: Mapped[str] = mapped_column(String(50))
    declared_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
