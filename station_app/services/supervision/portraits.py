"""监督员数据画像: per supervisor, for a period, what their inspections show — all SQL aggregates.

Per supervisor (active 监督员/站长, plus anyone who inspected in the period):

* ``inspections`` — inspections in the period they took part in;
* ``projects_covered`` — distinct projects of those inspections; ``assigned_projects`` — distinct
  projects they were assigned to (``supervision_assignments``, any role) at any time in the period;
  ``assigned_covered`` — assigned projects they also inspected in the period;
* ``check_items`` / ``items_per_inspection`` — depth: check items recorded per inspection;
* ``findings`` / ``major_findings`` — found at their inspections (each inspector of an inspection is
  credited with all of its findings);
* ``documents_issued`` — 0 until the documents module exists (a later issue);
* ``later_major_projects`` / ``later_major_share`` — of the projects they inspected in the period,
  how many had a major finding at a later inspection they did not take part in (after their last
  inspection of that project in the period, up to today): hazards someone else found;
* ``hazards_found`` / ``hazards_found_closed`` (→ 整改率) / ``hazards_closed`` / ``hazards_overdue`` —
  the hazard ledger by each hazard's supervisor (the project's 主监督员 when found, or as assigned).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from station_app import clock
from station_app.errors import PermissionDenied, ValidationError
from station_app.models import Hazard, Inspection, InspectionInspector, SupervisionAssignment, User
from station_app.models.enums import Role
from station_app.models.hazard import OPEN_STATES, HazardState
from station_app.services.context import Actor, can

NOTES = ("文书签发数：执法文书模块尚未上线，暂计为0。",)
_ROLES = (Role.SUPERVISOR.value, Role.CHIEF.value)


@dataclass(frozen=True)
class SupervisorPortrait:
    user_id: int
    name: str
    role: str
    inspections: int
    projects_covered: int
    assigned_projects: int
    assigned_covered: int
    check_items: int
    findings: int
    major_findings: int
    documents_issued: int
    later_major_projects: int
    #: 隐患台账, by the hazard's supervisor: found in the period, of those now 已销号, closed in the
    #: period (whenever found), and open past their deadline today
    hazards_found: int = 0
    hazards_found_closed: int = 0
    hazards_closed: int = 0
    hazards_overdue: int = 0

    @property
    def hazard_rectification_rate(self) -> Decimal | None:
        """整改率: share of the hazards found in the period that are 已销号 (0–1)."""
        return _ratio(self.hazards_found_closed, self.hazards_found)

    @property
    def coverage_rate(self) -> Decimal | None:
        """Share of assigned projects inspected in the period (0–1), None without assignments."""
        return _ratio(self.assigned_covered, self.assigned_projects)

    @property
    def items_per_inspection(self) -> Decimal | None:
        return _ratio(self.check_items, self.inspections, "0.1")

    @property
    def later_major_share(self) -> Decimal | None:
        return _ratio(self.later_major_projects, self.projects_covered)


@dataclass(frozen=True)
class PortraitReport:
    date_from: date
    date_to: date
    rows: tuple[SupervisorPortrait, ...]
    notes: tuple[str, ...] = NOTES


def _ratio(num: int, den: int, quantum: str = "0.0001") -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) / Decimal(den)).quantize(Decimal(quantum), ROUND_HALF_UP)


def _pairs(result: Iterable[Any]) -> dict[int, int]:
    return {int(row[0]): int(row[1]) for row in result}


def supervisor_portraits(session: Session, actor: Actor, date_from: date, date_to: date, *,
                         user_ids: Sequence[int] | None = None) -> PortraitReport:
    """Portraits for the period ``date_from``–``date_to`` (inclusive). A 监督员 may ask for their own only."""
    own_only = user_ids is not None and list(user_ids) == [actor.user_id]
    if not can(actor, "portrait.read") and not (own_only and actor.role == Role.SUPERVISOR):
        raise PermissionDenied(f"当前角色“{actor.role}”无权查看其他监督员的数据画像。")
    if date_to < date_from:
        raise ValidationError({"统计期间": "结束日期不能早于开始日期"})
    start = datetime.combine(date_from, time.min)
    end = datetime.combine(date_to + timedelta(days=1), time.min)
    in_period = and_(Inspection.inspected_at >= start, Inspection.inspected_at < end)
    ii = InspectionInspector

    def only(col: Any) -> ColumnElement[bool]:
        return col.in_(list(user_ids)) if user_ids is not None else true()

    base = (select(ii.user_id.label("user_id"), func.count(ii.inspection_id).label("n"),
                   func.count(distinct(Inspection.project_id)).label("projects"),
                   func.coalesce(func.sum(Inspection.check_item_count), 0).label("items"),
                   func.coalesce(func.sum(Inspection.finding_count), 0).label("findings"),
                   func.coalesce(func.sum(Inspection.major_count), 0).label("majors"))
            .join(Inspection, Inspection.id == ii.inspection_id)
            .where(in_period, only(ii.user_id)).group_by(ii.user_id))
    stats = {r.user_id: r for r in session.execute(base)}

    sa = SupervisionAssignment
    overlaps = and_(sa.effective_from <= date_to, or_(sa.effective_to.is_(None), sa.effective_to > date_from))
    assigned: dict[int, int] = _pairs(session.execute(
        select(sa.user_id, func.count(distinct(sa.project_id))).where(overlaps, only(sa.user_id))
        .group_by(sa.user_id)))
    covered_sub = (select(ii.user_id, Inspection.project_id, func.max(Inspection.inspected_at).label("last_at"))
                   .join(Inspection, Inspection.id == ii.inspection_id)
                   .where(in_period, only(ii.user_id)).group_by(ii.user_id, Inspection.project_id).subquery())
    assigned_covered: dict[int, int] = _pairs(session.execute(
        select(covered_sub.c.user_id, func.count()).where(exists().where(
            sa.user_id == covered_sub.c.user_id, sa.project_id == covered_sub.c.project_id, overlaps))
        .group_by(covered_sub.c.user_id)))
    later = aliased(Inspection)
    ii2 = aliased(InspectionInspector)
    later_major: dict[int, int] = _pairs(session.execute(
        select(covered_sub.c.user_id, func.count()).where(exists().where(
            later.project_id == covered_sub.c.project_id, later.inspected_at > covered_sub.c.last_at,
            later.major_count > 0,
            ~exists().where(ii2.inspection_id == later.id, ii2.user_id == covered_sub.c.user_id)
            .correlate_except(ii2)))
        .group_by(covered_sub.c.user_id)))

    hz = _hazard_figures(session, date_from, date_to, only)

    who = select(User).where(or_(and_(User.active.is_(True), User.role.in_(_ROLES)), User.id.in_(list(stats))))
    if user_ids is not None:
        who = select(User).where(User.id.in_(list(user_ids)))
    rows = []
    for u in session.scalars(who.order_by(User.full_name, User.id)):
        s = stats.get(u.id)
        rows.append(SupervisorPortrait(
            user_id=u.id, name=u.full_name, role=u.role,
            inspections=int(s.n) if s else 0, projects_covered=int(s.projects) if s else 0,
            assigned_projects=int(assigned.get(u.id, 0)), assigned_covered=int(assigned_covered.get(u.id, 0)),
            check_items=int(s.items) if s else 0, findings=int(s.findings) if s else 0,
            major_findings=int(s.majors) if s else 0, documents_issued=0,
            later_major_projects=int(later_major.get(u.id, 0)), **hz.get(u.id, {})))
    return PortraitReport(date_from, date_to, tuple(rows))


def _hazard_figures(session: Session, date_from: date, date_to: date,
                    only: Callable[[Any], ColumnElement[bool]]) -> dict[int, dict[str, int]]:
    """Per hazard supervisor: found / found-and-closed in the period, closed in the period, overdue now."""
    h = Hazard
    closed = HazardState.CLOSED.value
    out: dict[int, dict[str, int]] = {}
    for uid, found, found_closed in session.execute(
            select(h.supervisor_id, func.count(h.id), func.sum(case((h.state == closed, 1), else_=0)))
            .where(h.found_on >= date_from, h.found_on <= date_to, h.supervisor_id.is_not(None),
                   only(h.supervisor_id)).group_by(h.supervisor_id)):
        out.setdefault(int(uid or 0), {}).update(hazards_found=int(found), hazards_found_closed=int(found_closed or 0))
    for uid, n in session.execute(
            select(h.supervisor_id, func.count(h.id))
            .where(h.state == closed, h.closed_on >= date_from, h.closed_on <= date_to,
                   h.supervisor_id.is_not(None), only(h.supervisor_id)).group_by(h.supervisor_id)):
        out.setdefault(int(uid or 0), {})["hazards_closed"] = int(n)
    open_values = [st.value for st in OPEN_STATES]
    for uid, n in session.execute(
            select(h.supervisor_id, func.count(h.id))
            .where(h.state.in_(open_values), h.deadline < clock.today(), h.supervisor_id.is_not(None),
                   only(h.supervisor_id)).group_by(h.supervisor_id)):
        out.setdefault(int(uid or 0), {})["hazards_overdue"] = int(n)
    return out
