"""Shared pieces of the grid-supervision services: roles, periods, people, and the inspection tables.

Periods are from-inclusive, to-exclusive: a row is in force on ``day`` when
``effective_from <= day < effective_to`` (``effective_to`` NULL = open).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, or_, select
from sqlalchemy.orm import Session

from station_app.models import SupervisionAssignment, User
from station_app.models.enums import IN_SUPERVISION, Role

__all__ = [
    "IN_SUPERVISION_VALUES",
    "SUPERVISING_ROLES",
    "AssignmentRole",
    "assignment_in_force",
    "day_end",
    "day_start",
    "in_force",
    "principal_first",
    "supervising_users",
    "user_names",
]


class AssignmentRole(StrEnum):
    PRINCIPAL = "主监督员"
    SECOND = "第二监督员"


#: roles whose accounts may be named supervisors of a project or drawn as inspectors
SUPERVISING_ROLES: tuple[Role, ...] = (Role.SUPERVISOR, Role.CHIEF)

IN_SUPERVISION_VALUES: tuple[str, ...] = tuple(s.value for s in IN_SUPERVISION)


def in_force(start: Any, end: Any, day: date) -> ColumnElement[bool]:
    """SQL: ``start <= day < end`` with a NULL end open."""
    return and_(start <= day, or_(end.is_(None), end > day))


def assignment_in_force(day: date) -> ColumnElement[bool]:
    return in_force(SupervisionAssignment.effective_from, SupervisionAssignment.effective_to, day)


def principal_first() -> ColumnElement[int]:
    """ORDER BY term: 主监督员 before 第二监督员 (independent of the database's collation)."""
    return case((SupervisionAssignment.role == AssignmentRole.PRINCIPAL.value, 0), else_=1)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min)


def day_end(day: date) -> datetime:
    """The first moment after ``day`` (compare with ``<``)."""
    return datetime.combine(day + timedelta(days=1), time.min)


def user_names(session: Session, ids: set[int] | list[int] | tuple[int, ...]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(list(ids))))
    return {uid: name for uid, name in rows}


def supervising_users(session: Session, *, include_inactive: bool = False) -> list[tuple[int, str, bool]]:
    """(id, full name, active) of the accounts that can supervise, by name."""
    stmt = select(User.id, User.full_name, User.active).where(
        User.role.in_([r.value for r in SUPERVISING_ROLES])).order_by(User.full_name, User.id)
    if not include_inactive:
        stmt = stmt.where(User.active.is_(True))
    return [(uid, name, bool(active)) for uid, name, active in session.execute(stmt)]
