"""Grids, enterprises and people: the registries projects link to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.db.base import Base, TimestampMixin, VersionedMixin


class Grid(Base, TimestampMixin, VersionedMixin):
    """A supervision area (网格): a town, a development zone or a group of towns."""

    __tablename__ = "grids"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    towns: Mapped[str] = mapped_column(String(300), default="")
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Enterprise(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    legal_representative: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    contact_person: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    safety_permit_no: Mapped[str] = mapped_column(String(60), default="")
    safety_permit_valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    safety_permit_status: Mapped[str] = mapped_column(String(10), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    search_key: Mapped[str] = mapped_column(Text, default="")

    qualifications: Mapped[list[EnterpriseQualification]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", order_by="EnterpriseQualification.id"
    )


class EnterpriseQualification(Base):
    """资质: e.g. 建筑工程施工总承包 一级, with its certificate number and validity."""

    __tablename__ = "enterprise_qualifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    grade: Mapped[str] = mapped_column(String(20), default="")
    certificate_no: Mapped[str] = mapped_column(String(60), default="")
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)

    enterprise: Mapped[Enterprise] = relationship(back_populates="qualifications")


class Person(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True, nullable=True)
    gender: Mapped[str] = mapped_column(String(2), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprises.id", ondelete="SET NULL"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    search_key: Mapped[str] = mapped_column(Text, default="")

    employer: Mapped[Enterprise | None] = relationship()
