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


def hazard_counts(session: Session) -> tuple[int, int, dict[str, object], dict[str, object]]:
    """(逾期隐患, 重大隐患未销号) today and the hazard-ledger filters that list each (issue 5)."""
    from station_app.services.hazards.stats import home_counts

    overdue, major_open = home_counts(session)
    return overdue.value, major_open.value, dict(overdue.filters), dict(major_open.filters)


def insurance_counts(session: Session) -> tuple[int, str]:
    """安责险 (issue 8): (在建/停工 projects without cover today, the detail line for the card)."""
    from station_app.services.insurance.checks import insurance_summary

    x = insurance_summary(session)
    return x.uninsured, (f"在建/停工项目无有效保单；断保 {x.gaps} 段，即将到期 {x.expiring}，限额不足 {x.low_limit}，"
                         f"被保险人不符 {x.wrong_insured}，提前退保 {x.early_surrender}")
