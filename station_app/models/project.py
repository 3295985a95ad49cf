"""Projects under supervision and their parties (参建单位) with responsible people."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.db.base import Base, ScaledDecimal, TimestampMixin, VersionedMixin
from station_app.models.registry import Enterprise, Grid, Person


class Project(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "projects"
    __table_args__ = (
        Index("ix_projects_status_grid", "status", "grid_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(50), default="", index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    project_type: Mapped[str] = mapped_column(String(20))
    sub_type: Mapped[str] = mapped_column(String(20), default="")
    structure_type: Mapped[str] = mapped_column(String(20), default="")
    building_area: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2), nullable=True)
    contract_cost_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    permit_no: Mapped[str | None] = mapped_column(String(60), unique=True, nullable=True)
    permit_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    supervision_no: Mapped[str | None] = mapped_column(String(60), unique=True, nullable=True)
    planned_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    planned_finish: Mapped[date | None] = mapped_column(Date, nullable=True)
    actual_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    actual_finish: Mapped[date | None] = mapped_column(Date, nullable=True)
    completion_filing_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    progress: Mapped[str] = mapped_column(String(100), default="")
    progress_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    search_key: Mapped[str] = mapped_column(Text, default="")

    grid: Mapped[Grid | None] = relationship()
    parties: Mapped[list[ProjectParty]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectParty.id"
    )


class ProjectParty(Base):
    """One enterprise in one role on one project (a project can have several 专业分包)."""

    __tablename__ = "project_parties"
    __table_args__ = (UniqueConstraint("project_id", "role", "enterprise_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    scope: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)

    project: Mapped[Project] = relationship(back_populates="parties")
    enterprise: Mapped[Enterprise] = relationship()
    people: Mapped[list[ProjectPartyPerson]] = relationship(
        back_populates="party", cascade="all, delete-orphan", order_by="ProjectPartyPerson.id"
    )


class ProjectPartyPerson(Base):
    """A responsible person of a party on the project: 项目负责人, 项目总监, 专职安全员 …"""

    __tablename__ = "project_party_people"
    __table_args__ = (UniqueConstraint("party_id", "person_id", "post"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("project_parties.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    post: Mapped[str] = mapped_column(String(20))
    certificate_no: Mapped[str] = mapped_column(String(60), default="")

    party: Mapped[ProjectParty] = relationship(back_populates="people")
    person: Mapped[Person] = relationship()
