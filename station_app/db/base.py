"""Declarative base with a naming convention (stable constraint names for Alembic batch mode)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from station_app import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def now() -> datetime:
    """Local wall-clock time to the second (:func:`station_app.clock.now`)."""
    return clock.now()


class LocalDateTime(TypeDecorator[datetime]):
    """Naive local wall-clock datetimes, stored the same on SQLite and PostgreSQL (aware ones converted)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)
        return value


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal stored exactly as an integer of 10^-scale units (e.g. m² with 2 decimals).

    SQLite has no exact decimal type; an integer column sums exactly on both backends.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 2) -> None:
        super().__init__()
        self.scale = scale
        self._factor = Decimal(10) ** scale

    def process_bind_param(self, value: Decimal | int | float | str | None, dialect: Any) -> int | None:
        if value is None:
            return None
        return int((Decimal(str(value)) * self._factor).to_integral_value())

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self._factor).quantize(Decimal(1).scaleb(-self.scale))


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now, onupdate=now)


class VersionedMixin:
    """Optimistic locking: an UPDATE whose version does not match raises StaleDataError."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
