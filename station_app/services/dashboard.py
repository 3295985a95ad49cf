"""Figures for the home page, as SQL aggregates (no rows loaded). Later work areas add theirs here."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.models import Enterprise, Person, Project
from station_app.models.enums import IN_SUPERVISION


@dataclass
class RegistryCounts:
    projects_by_status: dict[str, int] = field(default_factory=dict)
    enterprises: int = 0
    persons: int = 0

    @property
    def in_supervision(self) -> int:
        return sum(self.projects_by_status.get(s.value, 0) for s in IN_SUPERVISION)


def registry_counts(session: Session) -> RegistryCounts:
    by_status: dict[str, int] = {status: n for status, n in session.execute(
        select(Project.status, func.count(Project.id)).group_by(Project.status))}
    return RegistryCounts(by_status,
                          session.scalar(select(func.count(Enterprise.id))) or 0,
                          session.scalar(select(func.count(Person.id))) or 0)
