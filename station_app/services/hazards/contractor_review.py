"""精准拆弹: when a major hazard is put under 挂牌督办 (or an accident is recorded), look at every OTHER
project in supervision of the same 施工总包, and schedule inspections of them.

The contractor is matched by USCC (统一社会信用代码), so a company registered twice is still one
company; a contractor without a USCC matches by its own record only. A project counts when its status
is in supervision (未开工 / 在建 / 停工 / 竣工待验) and it has a current 施工总承包 party (no 退场日期, or
one on or after the review day) of that company.

An item is *inspected* when the project has an inspection on or after the review's opening day. This is
computed whenever a review is read (``ContractorReviewItem.inspection_id`` is not written), so an
inspection recorded or deleted later is always reflected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.errors import NotFound, ValidationError
from station_app.formatting import chinese_date
from station_app.models import (
    ContractorReview,
    ContractorReviewItem,
    Enterprise,
    Hazard,
    Inspection,
    Project,
    ProjectParty,
    User,
)
from station_app.models.enums import PartyRole
from station_app.services.audit import record
from station_app.services.context import Actor, require
from station_app.services.hazards.figures import OPEN_VALUES
from station_app.services.supervision.assignments import teams_on
from station_app.services.supervision.common import IN_SUPERVISION_VALUES, SUPERVISING_ROLES, day_start

TRIGGER_LISTING = "挂牌督办"
TRIGGER_ACCIDENT = "事故"


@dataclass(frozen=True)
class ReviewProject:
    project_id: int
    name: str
    status: str
    supervisor_id: int | None
    supervisor_name: str
    last_inspection: date | None
    open_hazards: int


@dataclass(frozen=True)
class ReviewItem(ReviewProject):
    item_id: int
    planned_on: date | None
    planned_supervisor_id: int | None
    planned_supervisor_name: str
    #: first inspection of the project on or after the review's opening day
    inspected_on: date | None


@dataclass(frozen=True)
class ReviewSummary:
    id: int
    contractor_id: int
    contractor_name: str
    trigger: str
    trigger_note: str
    hazard_id: int | None
    hazard_code: str
    opened_on: date
    items: int
    scheduled: int
    inspected: int

    @property
    def done(self) -> bool:
        return self.inspected >= self.items


def _contractor_ids(session: Session, contractor_id: int) -> list[int]:
    """The enterprise records of the same company (same USCC), this one included."""
    e = session.get(Enterprise, contractor_id)
    if e is None:
        raise NotFound("施工总包企业不存在。")
    if not e.uscc:
        return [e.id]
    return list(session.scalars(select(Enterprise.id).where(Enterprise.uscc == e.uscc)))


def other_active_projects(session: Session, contractor_id: int, exclude_project_id: int | None = None,
                          on: date | None = None) -> list[ReviewProject]:
    """Projects in supervision whose current 施工总包 is the same company, with supervisor, last
    inspection and open hazards — the candidates of a review."""
    on = on or clock.today()
    ids = _contractor_ids(session, contractor_id)
    stmt = (select(Project.id, Project.name, Project.status).distinct()
            .join(ProjectParty, ProjectParty.project_id == Project.id)
            .where(ProjectParty.role == PartyRole.GENERAL_CONTRACTOR.value,
                   ProjectParty.enterprise_id.in_(ids),
                   or_(ProjectParty.end_date.is_(None), ProjectParty.end_date >= on),
                   Project.status.in_(IN_SUPERVISION_VALUES))
            .order_by(Project.name, Project.id))
    if exclude_project_id is not None:
        stmt = stmt.where(Project.id != exclude_project_id)
    rows = session.execute(stmt).all()
    return _with_facts(session, [(pid, name, status) for pid, name, status in rows], on)


def _with_facts(session: Session, projects: list[tuple[int, str, str]], on: date) -> list[ReviewProject]:
    pids = [p[0] for p in projects]
    if not pids:
        return []
    last = dict(session.execute(select(Inspection.project_id, func.max(Inspection.inspected_at))
                                .where(Inspection.project_id.in_(pids)).group_by(Inspection.project_id)).all())
    open_n = dict(session.execute(select(Hazard.project_id, func.count())
                                  .where(Hazard.project_id.in_(pids), Hazard.state.in_(OPEN_VALUES))
                                  .group_by(Hazard.project_id)).all())
    teams = teams_on(session, pids, on)
    out = []
    for pid, name, status in projects:
        team = teams.get(pid)
        at = last.get(pid)
        out.append(ReviewProject(pid, name, status, team.principal_id if team else None,
                                 team.principal_name if team else "", at.date() if at else None,
                                 int(open_n.get(pid, 0))))
    return out


def open_review(session: Session, actor: Actor, contractor_id: int, trigger: str, *, hazard_id: int | None = None,
                note: str = "", on: date | None = None, exclude_project_id: int | None = None) -> int:
    """Create a review with one item per other active project (planned date empty, the project's
    主监督员 proposed); returns its id. Called inside the caller's transaction."""
    on = on or clock.today()
    candidates = other_active_projects(session, contractor_id, exclude_project_id, on)
    review = ContractorReview(contractor_id=contractor_id, trigger=trigger, hazard_id=hazard_id,
                              trigger_note=note[:300], opened_on=on, opened_by_id=actor.user_id)
    for c in candidates:
        review.items.append(ContractorReviewItem(project_id=c.project_id, supervisor_id=c.supervisor_id))
    session.add(review)
    session.flush()
    name = session.get(Enterprise, contractor_id)
    record(session, actor, "create", "contractor_review", review.id,
           after={"contractor_id": contractor_id, "trigger": trigger, "hazard_id": hazard_id,
                  "projects": [c.project_id for c in candidates]},
           summary=f"{trigger}引发同一施工总包在监项目排查：{name.name if name else ''}，{len(candidates)}个项目")
    return review.id


def open_review_for_accident(session: Session, actor: Actor, contractor_id: int, note: str,
                             on: date | None = None, project_id: int | None = None) -> int:
    """The accident registry's hook: a review of the contractor's other projects after an accident."""
    require(actor, "contractor_review.manage")
    if not (note or "").strip():
        raise ValidationError({"事故说明": "请填写事故简要情况"})
    return open_review(session, actor, contractor_id, TRIGGER_ACCIDENT, note=note.strip(), on=on,
                       exclude_project_id=project_id)


def list_reviews(session: Session, *, open_only: bool = False) -> list[ReviewSummary]:
    """Reviews newest first with item, scheduled and inspected counts (``open_only``: not all inspected)."""
    reviews = session.execute(
        select(ContractorReview, Enterprise.name, Hazard.code)
        .join(Enterprise, Enterprise.id == ContractorReview.contractor_id)
        .outerjoin(Hazard, Hazard.id == ContractorReview.hazard_id)
        .order_by(ContractorReview.opened_on.desc(), ContractorReview.id.desc())).all()
    if not reviews:
        return []
    counts: dict[int, tuple[int, int, int]] = {}
    item_rows = session.execute(
        select(ContractorReviewItem.review_id, ContractorReviewItem.planned_on, ContractorReview.opened_on,
               func.max(Inspection.inspected_at))
        .join(ContractorReview, ContractorReview.id == ContractorReviewItem.review_id)
        .outerjoin(Inspection, Inspection.project_id == ContractorReviewItem.project_id)
        .group_by(ContractorReviewItem.id, ContractorReviewItem.review_id, ContractorReviewItem.planned_on,
                  ContractorReview.opened_on)).all()
    for rid, planned, opened, last_at in item_rows:
        n, sched, done = counts.get(rid, (0, 0, 0))
        inspected = last_at is not None and last_at.date() >= opened
        counts[rid] = (n + 1, sched + (planned is not None), done + inspected)
    out = []
    for r, ename, code in reviews:
        n, sched, done = counts.get(r.id, (0, 0, 0))
        summary = ReviewSummary(r.id, r.contractor_id, ename, r.trigger, r.trigger_note, r.hazard_id, code or "",
                                r.opened_on, n, sched, done)
        if not open_only or not summary.done:
            out.append(summary)
    return out


def review_items(session: Session, review_id: int, on: date | None = None) -> list[ReviewItem]:
    review = session.get(ContractorReview, review_id)
    if review is None:
        raise NotFound("排查记录不存在。")
    rows = session.execute(
        select(ContractorReviewItem.id, ContractorReviewItem.project_id, Project.name, Project.status,
               ContractorReviewItem.planned_on, ContractorReviewItem.supervisor_id, User.full_name)
        .join(Project, Project.id == ContractorReviewItem.project_id)
        .outerjoin(User, User.id == ContractorReviewItem.supervisor_id)
        .where(ContractorReviewItem.review_id == review_id)
        .order_by(Project.name, ContractorReviewItem.id)).all()
    facts = {f.project_id: f for f in _with_facts(session, [(r[1], r[2], r[3]) for r in rows], on or clock.today())}
    pids = [r[1] for r in rows]
    firsts = dict(session.execute(
        select(Inspection.project_id, func.min(Inspection.inspected_at))
        .where(Inspection.project_id.in_(pids), Inspection.inspected_at >= day_start(review.opened_on))
        .group_by(Inspection.project_id)).all()) if pids else {}
    out = []
    for item_id, pid, _name, _status, planned, sup_id, sup_name in rows:
        f = facts[pid]
        first = firsts.get(pid)
        out.append(ReviewItem(f.project_id, f.name, f.status, f.supervisor_id, f.supervisor_name, f.last_inspection,
                              f.open_hazards, item_id, planned, sup_id, sup_name or "",
                              first.date() if first else None))
    return out


@dataclass(frozen=True)
class ScheduleEntry:
    item_id: int
    planned_on: date | None
    supervisor_id: int | None


def schedule_items(session: Session, actor: Actor, review_id: int, entries: list[ScheduleEntry]) -> int:
    """Set the planned inspection date and supervisor of items; all or nothing. Returns how many changed."""
    require(actor, "contractor_review.manage")
    review = session.get(ContractorReview, review_id)
    if review is None:
        raise NotFound("排查记录不存在。")
    items = {i.id: i for i in review.items}
    names = dict(session.execute(select(Project.id, Project.name).where(
        Project.id.in_([i.project_id for i in items.values()]))).all()) if items else {}
    sup_ids = {e.supervisor_id for e in entries if e.supervisor_id is not None}
    ok_sups = set(session.scalars(select(User.id).where(
        User.id.in_(sup_ids), User.active.is_(True),
        User.role.in_([r.value for r in SUPERVISING_ROLES])))) if sup_ids else set()
    errors: dict[str, str] = {}
    for e in entries:
        item = items.get(e.item_id)
        if item is None:
            raise NotFound("排查项目不属于该排查记录。")
        name = names.get(item.project_id, "")
        if e.planned_on is not None and e.planned_on < review.opened_on:
            errors[f"“{name}”计划检查日期"] = f"不能早于排查发起日期 {chinese_date(review.opened_on)}"
        if e.supervisor_id is not None and e.supervisor_id not in ok_sups:
            errors[f"“{name}”监督员"] = "不是在岗的监督员"
    if errors:
        raise ValidationError(errors)
    changed = 0
    for e in entries:
        item = items[e.item_id]
        before = {"planned_on": item.planned_on, "supervisor_id": item.supervisor_id}
        after = {"planned_on": e.planned_on, "supervisor_id": e.supervisor_id}
        if before == after:
            continue
        item.planned_on, item.supervisor_id = e.planned_on, e.supervisor_id
        record(session, actor, "update", "contractor_review", review.id, before=before, after=after,
               summary=f"安排排查：{names.get(item.project_id, '')}")
        changed += 1
    return changed
