"""Demo 隐患台账 (small scale, SQLite and PostgreSQL): one hazard per inspection finding with the finding's
content, the other sources, snapshots as of the day found, lives whose events replay to the stored state,
codes by year, an overdue tail, the 2023-and-earlier stock mostly closed, 挂牌督办 consistent with
listing_level, contractor-wide reviews of the same contractor's projects, and determinism."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from station_app.db.database import Database
from station_app.demo import generate
from station_app.demo.hazard_other import SMART_SITE_FROM
from station_app.demo.hazards import STOCK_END
from station_app.models import (
    Base,
    ContractorReview,
    ContractorReviewItem,
    Hazard,
    HazardEvent,
    HazardListing,
    Inspection,
    InspectionFinding,
    ProjectParty,
    User,
)
from station_app.models.enums import PartyRole, Role
from station_app.models.hazard import OPEN_STATES, HazardAction, HazardLevel, HazardSource, HazardState
from station_app.rules import hazards as hazard_rules
from station_app.services.supervision.assignments import teams_on
from tests.conftest import wipe_tables

TODAY = date(2025, 6, 30)
_OPEN = {s.value for s in OPEN_STATES}


@pytest.fixture
def demo(db: Database) -> Iterator[tuple[Database, dict[str, int], list[str]]]:
    messages: list[str] = []
    counts = generate(db, "small", seed=4, progress=messages.append, today=TODAY)
    yield db, counts, messages


def _count(db: Database, model: type[Base]) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_every_finding_is_one_hazard_with_its_content(demo: tuple[Database, dict[str, int], list[str]]) -> None:
    db, counts, messages = demo
    assert counts["隐患"] == _count(db, Hazard) and counts["隐患处理记录"] == _count(db, HazardEvent)
    assert any(m.startswith("生成隐患 ") and "逾期" in m for m in messages)
    with db.read() as s:
        findings = s.scalar(select(func.count()).select_from(InspectionFinding)) or 0
        rows = s.execute(
            select(Hazard, InspectionFinding, Inspection)
            .join(InspectionFinding, InspectionFinding.id == Hazard.finding_id)
            .join(Inspection, Inspection.id == InspectionFinding.inspection_id)).all()
        assert len(rows) == findings > 1000
        for h, f, i in rows:
            assert h.source == HazardSource.INSPECTION.value and h.inspection_id == i.id
            assert (h.project_id, h.found_on, h.category, h.level, h.criterion_code, h.criterion_edition) == (
                i.project_id, i.inspected_at.date(), f.category, f.level, f.criterion_code, f.criterion_edition)
            assert (h.description, h.location, h.requirement, h.first_deadline) == (
                f.description, f.location, f.requirement, f.deadline)
            assert h.found_by_names == i.inspector_names and h.created_by == i.created_by
            assert h.grid_id == i.grid_id  # the grid of the day, as the inspection stored it
        others = Counter(s.scalars(select(Hazard.source).where(Hazard.finding_id.is_(None))))
        assert set(others) == {x.value for x in HazardSource} - {HazardSource.INSPECTION.value}
        assert 1.9 * findings < counts["隐患"] < 2.6 * findings  # ≈ 250,000 : 111,000 as at county scale
        first_smart = s.scalar(select(func.min(Hazard.found_on)).where(Hazard.source == HazardSource.SMART_SITE.value))
        assert first_smart is not None and first_smart >= SMART_SITE_FROM
        majors = s.scalar(select(func.count()).where(Hazard.level == HazardLevel.MAJOR.value)) or 0
        assert 0.01 * counts["隐患"] <= majors <= 0.03 * counts["隐患"]
        for code, edition, found in s.execute(select(Hazard.criterion_code, Hazard.criterion_edition, Hazard.found_on)
                                              .where(Hazard.level == HazardLevel.MAJOR.value)):
            assert code and hazard_rules.criterion(code).edition == edition == hazard_rules.edition_in_force(found)


def test_snapshots_codes_and_responsible_parties(demo: tuple[Database, dict[str, int], list[str]]) -> None:
    db, _, _ = demo
    with db.read() as s:
        contractor = dict(s.execute(select(ProjectParty.project_id, ProjectParty.enterprise_id)
                                    .where(ProjectParty.role == PartyRole.GENERAL_CONTRACTOR.value)).all())
        parties: dict[tuple[int, str], set[int]] = {}
        for pid, role, e in s.execute(select(ProjectParty.project_id, ProjectParty.role, ProjectParty.enterprise_id)):
            parties.setdefault((pid, role), set()).add(e)
        rows = s.execute(select(Hazard.id, Hazard.code, Hazard.found_on, Hazard.project_id, Hazard.contractor_id,
                                Hazard.supervisor_id, Hazard.responsible_role, Hazard.responsible_enterprise_id,
                                Hazard.responsible_person_name).order_by(Hazard.id)).all()
        last_serial: dict[int, int] = {}
        for hid, code, found, pid, cid, _sup, role, enterprise, _person in rows:
            m = re.fullmatch(r"YH(\d{4})-(\d{6})", code)
            assert m and int(m[1]) == found.year, code
            assert int(m[2]) == last_serial.get(found.year, 0) + 1  # numbered in order of registration
            last_serial[found.year] = int(m[2])
            assert cid == contractor[pid]
            assert enterprise in parties[(pid, role)], hid
        # the 主监督员 of the day found, as the assignment service reports it (a sample of days)
        for _hid, _code, found, pid, _cid, sup, *_ in rows[::97]:
            team = teams_on(s, [pid], found).get(pid)
            assert sup == (team.principal_id if team else None)
        roles = Counter(r[6] for r in rows)
        assert roles[PartyRole.GENERAL_CONTRACTOR.value] > 0.9 * len(rows) and roles[PartyRole.SUBCONTRACTOR.value]
        # a finding's hazard is registered as hazard_sync does it (施工总承包, nobody named); others name someone
        named: dict[bool, int] = {}
        for no_finding, shortest in s.execute(
                select(Hazard.finding_id.is_(None), func.min(func.length(Hazard.responsible_person_name)))
                .group_by(Hazard.finding_id.is_(None))):
            named[bool(no_finding)] = int(shortest)
        assert named == {True: named[True], False: 0} and named[True] > 0


def _replay(h: Hazard, events: list[HazardEvent], chief: int) -> None:
    """The stored row is what its events say (as services.hazards.lifecycle would have set it)."""
    assert events[0].action == HazardAction.FOUND.value and events[0].from_state == ""
    assert events[0].at == h.created_at and events[-1].at == h.updated_at
    assert h.version == sum(e.action != HazardAction.URGED.value for e in events)
    state, deadline, since = "", h.first_deadline, events[0].at
    rectified: date | None = None
    closed: HazardEvent | None = None
    for prev, ev in zip([None, *events], events, strict=False):
        assert ev.from_state == state, (h.code, ev.action)
        assert h.found_on <= ev.on_date < TODAY and (prev is None or prev.at < ev.at)
        if ev.to_state and ev.from_state != ev.to_state:
            since = ev.at
        if ev.new_deadline is not None:
            deadline = ev.new_deadline
        if ev.action == HazardAction.RECTIFICATION_REPORTED.value:
            rectified = ev.on_date
        if ev.to_state == HazardState.CLOSED.value and ev.from_state != ev.to_state:
            closed = ev
        state = ev.to_state or state
    assert (h.state, h.deadline, h.state_since, h.rectified_on) == (state, deadline, since, rectified), h.code
    assert h.closed_on == (closed.on_date if closed else None)
    assert h.closed_by_id == (closed.actor_id if closed else None)
    if closed is not None:
        assert h.closed_on is not None and h.closed_on >= h.found_on
        if h.level == HazardLevel.MAJOR.value:  # 复查合格 → 待确认销号 → the chief's 确认销号
            assert closed.action == HazardAction.CLOSE_CONFIRMED.value and closed.actor_id == chief
            assert any(e.to_state == HazardState.AWAITING_CONFIRMATION.value for e in events)
        else:
            assert closed.action == HazardAction.REVIEW_PASSED.value
    if h.state == HazardState.CANCELLED.value:
        assert h.cancel_reason and events[-1].action == HazardAction.CANCELLED.value and events[-1].actor_id == chief
    else:
        assert h.cancel_reason == ""


def test_states_follow_from_the_events(demo: tuple[Database, dict[str, int], list[str]]) -> None:
    db, counts, _ = demo
    with db.read() as s:
        chief = s.scalar(select(User.id).where(User.role == Role.CHIEF.value))
        assert chief is not None
        events: dict[int, list[HazardEvent]] = {}
        for ev in s.scalars(select(HazardEvent).order_by(HazardEvent.id)):
            events.setdefault(ev.hazard_id, []).append(ev)
        hazards = s.scalars(select(Hazard).order_by(Hazard.id)).all()
        for h in hazards:
            _replay(h, events[h.id], chief)
        actions = Counter(e.action for evs in events.values() for e in evs)
    assert 3.5 <= counts["隐患处理记录"] / counts["隐患"] <= 6
    assert 0.04 * counts["隐患"] < actions[HazardAction.REVIEW_FAILED.value] < 0.12 * counts["隐患"]
    assert actions[HazardAction.URGED.value] and actions[HazardAction.DEADLINE_EXTENDED.value]
    states = Counter(h.state for h in hazards)
    # (待确认销号 lasts a few days: a small county may have none on the day)
    assert set(states) >= {x.value for x in HazardState} - {HazardState.AWAITING_CONFIRMATION.value}
    closed = [(h.closed_on, h.deadline) for h in hazards if h.closed_on is not None]
    assert states[HazardState.CLOSED.value] > 0.9 * len(hazards)
    assert sum(on <= deadline for on, deadline in closed) > 0.6 * len(closed)  # most within their deadline
    assert 0.001 * len(hazards) < states[HazardState.CANCELLED.value] < 0.01 * len(hazards)


def test_overdue_tail_stock_and_listings(demo: tuple[Database, dict[str, int], list[str]]) -> None:
    db, _, _ = demo
    with db.read() as s:
        hazards = {h.id: h for h in s.scalars(select(Hazard))}
        listings = s.scalars(select(HazardListing)).all()
        reviews = s.scalars(select(ContractorReview)).all()
        items = s.scalars(select(ContractorReviewItem)).all()
        contractor = dict(s.execute(select(ProjectParty.project_id, ProjectParty.enterprise_id)
                                    .where(ProjectParty.role == PartyRole.GENERAL_CONTRACTOR.value)).all())
        inspections = dict(s.execute(select(Inspection.id, Inspection.project_id)).all())
    open_ = [h for h in hazards.values() if h.state in _OPEN]
    overdue = [h for h in open_ if h.deadline < TODAY]
    assert 0.05 * len(open_) < len(overdue) < 0.5 * len(open_)
    assert any((TODAY - h.deadline).days > 180 for h in overdue)  # a long tail as well as recent ones
    stock = [h for h in hazards.values() if h.found_on <= STOCK_END]
    stock_open = [h for h in stock if h.state in _OPEN]
    assert stock and 2 <= len(stock_open) < 0.02 * len(stock)
    assert any(h.level == HazardLevel.MAJOR.value for h in stock_open)
    # 挂牌督办: majors only; an open listing ⇔ listing_level; lifted on the day the hazard was closed
    assert listings and {x.level for x in listings} == {"县级", "市级"}
    open_listing = {x.hazard_id: x.level for x in listings if x.lifted_on is None}
    assert {h.id: h.listing_level for h in hazards.values() if h.listing_level} == open_listing
    for x in listings:
        h = hazards[x.hazard_id]
        assert h.level == HazardLevel.MAJOR.value and h.found_on <= x.listed_on < TODAY
        assert x.responsible_unit and x.required_by >= x.listed_on
        if x.lifted_on is not None:
            assert h.state == HazardState.CLOSED.value and x.lifted_on == h.closed_on
        else:
            assert h.state in _OPEN
    assert any(x.lifted_on for x in listings) and open_listing
    # 精准拆弹: the same 施工总承包's other projects, planned (if yet) on or after the listing
    assert reviews
    by_review = {r.id: r for r in reviews}
    for it in items:
        r = by_review[it.review_id]
        assert r.hazard_id is not None and r.trigger == "挂牌督办"
        assert contractor[it.project_id] == r.contractor_id == hazards[r.hazard_id].contractor_id
        assert it.project_id != hazards[r.hazard_id].project_id
        assert it.planned_on is None or it.planned_on >= r.opened_on
        assert it.inspection_id is None or inspections[it.inspection_id] == it.project_id


_COMPARED = ("hazards", "hazard_events", "hazard_listings", "contractor_reviews", "contractor_review_items")


def _fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    with db.read() as s:
        for name in _COMPARED:
            table = Base.metadata.tables[name]
            for row in s.execute(select(table).order_by(table.c.id)):
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
    return digest.hexdigest()


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date | datetime) else v


def test_same_seed_same_hazards(db: Database) -> None:
    generate(db, "small", seed=6, today=TODAY)
    first = _fingerprint(db)
    wipe_tables(db, keep=("reference_rows", "campaigns"))
    generate(db, "small", seed=6, today=TODAY)
    assert _fingerprint(db) == first
