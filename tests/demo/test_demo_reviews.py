"""Demo 精准拆弹 and 复查 links (small scale, SQLite and PostgreSQL): the latest reviews are still being
worked through as services.hazards.contractor_review (the reviews tab's service) shows them, with items the
service's rules accept; a 复查 names the re-inspection it came from as the lifecycle would accept it, and
does wherever the demo has the reviewing supervisor on the project that day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.database import Database
from station_app.demo import generate
from station_app.demo.hazard_reviews import RECENT_DAYS, RECHECK_DAYS
from station_app.models import (
    ContractorReviewItem,
    Hazard,
    HazardEvent,
    HazardListing,
    Inspection,
    InspectionInspector,
    Project,
    User,
)
from station_app.models.enums import ProjectStatus, Role
from station_app.models.hazard import HazardAction
from station_app.models.inspection import InspectionKind
from station_app.services.context import Actor
from station_app.services.hazards.contractor_review import (
    ScheduleEntry,
    list_reviews,
    other_active_projects,
    review_items,
    schedule_items,
)
from station_app.services.hazards.evidence import history, review_inspections

TODAY = date(2025, 6, 30)
_REVIEWS = (HazardAction.REVIEW_PASSED.value, HazardAction.REVIEW_FAILED.value)


@pytest.fixture
def demo(db: Database) -> Iterator[Database]:
    generate(db, "small", seed=4, today=TODAY)
    yield db


def test_the_latest_reviews_are_open_with_planned_and_unplanned_items(demo: Database) -> None:
    with demo.read() as s:
        open_ = list_reviews(s, open_only=True)  # what the tab shows with 只看未完成的排查 checked
        assert open_ and all(not r.done for r in open_)
        assert min((TODAY - r.opened_on).days for r in open_) <= RECENT_DAYS
        supervising = set(s.scalars(select(User.id).where(
            User.active.is_(True), User.role.in_([Role.SUPERVISOR.value, Role.CHIEF.value]))))
        registered = {pid: at.date() for pid, at in s.execute(select(Project.id, Project.created_at))}
        status = dict(s.execute(select(Project.id, Project.status)).all())
        chief = s.scalars(select(User).where(User.role == Role.CHIEF.value)).one()
        mixed = []
        for r in open_:
            h = s.get(Hazard, r.hazard_id)
            assert h is not None and r.trigger == "挂牌督办" and h.contractor_id == r.contractor_id
            listed = s.scalars(select(HazardListing.listed_on).where(HazardListing.hazard_id == h.id)).one()
            assert listed == r.opened_on < TODAY
            items = review_items(s, r.id, on=TODAY)
            assert len(items) == r.items and sum(i.planned_on is not None for i in items) == r.scheduled
            assert sum(i.inspected_on is not None for i in items) == r.inspected < r.items
            # the projects the service lists for the contractor on the day (those since completed too)
            service = {c.project_id for c in other_active_projects(s, r.contractor_id, h.project_id, r.opened_on)}
            mine = {i.project_id for i in items}
            assert {p for p in service if registered[p] <= r.opened_on} <= mine
            assert all(status[p] in (ProjectStatus.COMPLETED.value, ProjectStatus.TERMINATED.value)
                       for p in mine - service)
            written = dict(s.execute(select(ContractorReviewItem.id, ContractorReviewItem.inspection_id)
                                     .where(ContractorReviewItem.review_id == r.id)).all())
            for i in items:
                if i.inspected_on is not None:  # planned first, then inspected
                    assert i.planned_on is not None and r.opened_on <= i.planned_on <= i.inspected_on < TODAY
                    done = s.get(Inspection, written[i.item_id])
                    assert done is not None and done.project_id == i.project_id
                    assert done.inspected_at.date() == i.inspected_on
                else:
                    assert written[i.item_id] is None
                if i.planned_on is not None:
                    assert i.planned_supervisor_id in supervising
            if any(i.planned_on for i in items) and any(i.planned_on is None for i in items):
                mixed.append(r.id)
            # the service takes the plans as they are (dates not before the opening, enabled supervisors)
            actor = Actor(chief.id, chief.username, chief.full_name, Role.CHIEF)
            kept = [ScheduleEntry(i.item_id, i.planned_on, i.planned_supervisor_id) for i in items if i.planned_on]
            assert schedule_items(s, actor, r.id, kept) == 0
        assert mixed


def _inspections(s: Session) -> dict[int, tuple[int, date, str, set[int]]]:
    """Inspection id → (project, day, kind, inspectors)."""
    out: dict[int, tuple[int, date, str, set[int]]] = {}
    for iid, pid, at, kind in s.execute(select(Inspection.id, Inspection.project_id, Inspection.inspected_at,
                                               Inspection.kind)):
        out[iid] = (pid, at.date(), kind, set())
    for iid, uid in s.execute(select(InspectionInspector.inspection_id, InspectionInspector.user_id)):
        out[iid][3].add(uid)
    return out


def test_reviews_name_the_re_inspection_they_came_from(demo: Database) -> None:
    with demo.read() as s:
        insp = _inspections(s)
        by_day: dict[tuple[int, date], list[int]] = {}
        for iid, (pid, day, _kind, _who) in insp.items():
            by_day.setdefault((pid, day), []).append(iid)
        hazards = {h.id: h for h in s.scalars(select(Hazard))}
        events: dict[int, list[HazardEvent]] = {}
        for ev in s.scalars(select(HazardEvent).order_by(HazardEvent.id)):
            events.setdefault(ev.hazard_id, []).append(ev)
        linked = reviews = 0
        sample: tuple[int, int, int] | None = None
        for hid, evs in events.items():
            h = hazards[hid]
            reported = h.found_on
            for ev in evs:
                if ev.action == HazardAction.RECTIFICATION_REPORTED.value:
                    reported = ev.on_date
                if ev.action not in _REVIEWS:
                    assert ev.inspection_id is None
                    continue
                reviews += 1
                # the reviewing supervisor was on the project that day (after the report, not the finding's)
                same_day = [i for i in by_day.get((h.project_id, ev.on_date), [])
                            if ev.actor_id in insp[i][3] and i != h.inspection_id and ev.on_date >= reported]
                if ev.inspection_id is None:
                    assert not same_day, (h.code, ev.on_date)
                    continue
                linked += 1
                pid, day, kind, who = insp[ev.inspection_id]
                assert pid == h.project_id and h.found_on <= reported <= day <= ev.on_date, h.code
                assert ev.inspection_id != h.inspection_id
                assert (day == ev.on_date and ev.actor_id in who) or (
                    kind == InspectionKind.RECHECK.value and (ev.on_date - day) <= timedelta(days=RECHECK_DAYS))
                sample = sample or (hid, ev.id, ev.inspection_id)
        assert 0.05 * reviews < linked < reviews
        assert sample is not None
        # the hazard's history shows the link; the 复查 form would offer that inspection
        hid, event_id, iid = sample
        step = next(e for e in history(s, hid) if e.id == event_id)
        assert step.inspection is not None and step.inspection.id == iid
        assert iid in {x.id for x in review_inspections(s, hid)}
