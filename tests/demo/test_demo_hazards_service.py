"""Demo hazards equal what the hazard services write: a few demo hazards of different shapes are registered
again through ``register_hazard`` and taken through the same steps (lifecycle transitions with the
re-inspection a 复查 names, 督办, 挂牌督办/摘牌) on the same dates by the same people; the rows must match
column for column (but ids, the code and the clocks). SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from station_app.db.database import Database
from station_app.demo import generate
from station_app.demo.context import table_of
from station_app.models import Hazard, HazardEvent, HazardListing, Project, User
from station_app.models.enums import Role
from station_app.models.hazard import HazardAction, HazardLevel, HazardSource, HazardState
from station_app.paths import DataDir
from station_app.services.attachments import AttachmentStore
from station_app.services.context import Actor
from station_app.services.hazards.escalation import urge_hazards
from station_app.services.hazards.lifecycle import transition
from station_app.services.hazards.placards import ListingData, lift_listing, list_hazard
from station_app.services.hazards.records import HazardInput, register_hazard

TODAY = date(2025, 6, 30)
A = HazardAction
_STEP = {A.DEADLINE_SET.value: "start", A.RECTIFICATION_REPORTED.value: "report", A.REVIEW_PASSED.value: "pass",
         A.REVIEW_FAILED.value: "fail", A.CLOSE_CONFIRMED.value: "confirm", A.DEADLINE_EXTENDED.value: "extend",
         A.CANCELLED.value: "cancel"}
_CLOCKS = {"id", "code", "search_key", "created_at", "updated_at", "state_since", "hazard_id", "at", "listed_by_id"}


@pytest.fixture
def demo(db: Database) -> Iterator[Database]:
    generate(db, "small", seed=9, today=TODAY)
    yield db


def _pick(s: Any) -> list[int]:
    """Hazards from the other sources (the inspection ones come with create_inspection) whose project is
    in the grid it was in when they were found, of several shapes."""
    base = (select(Hazard.id).join(Project, Project.id == Hazard.project_id)
            .where(Hazard.finding_id.is_(None), Hazard.grid_id == Project.grid_id).order_by(Hazard.id))

    def having(action: str) -> Any:
        return Hazard.id.in_(select(HazardEvent.hazard_id).where(HazardEvent.action == action))

    shapes = [
        base.where(Hazard.state == HazardState.CLOSED.value, Hazard.level == HazardLevel.ORDINARY.value),
        base.where(having(A.REVIEW_FAILED.value)),
        base.where(having(A.LISTING_LIFTED.value)),
        base.where(Hazard.state == HazardState.CANCELLED.value),
        base.where(having(A.URGED.value), Hazard.source == HazardSource.OVERSIGHT.value),
        base.where(having(A.LISTED.value), Hazard.listing_level != ""),
        base.where(having(A.DEADLINE_EXTENDED.value)),
        # a 复查 naming the re-inspection it came from
        base.where(Hazard.id.in_(select(HazardEvent.hazard_id).where(HazardEvent.inspection_id.is_not(None)))),
    ]
    picked = [s.scalar(q.limit(1)) for q in shapes]
    # the first five shapes and a linked 复查 are common; an open listing or an extension of a
    # non-inspection hazard is rare
    assert all(picked[:5]) and picked[7], picked
    return list(dict.fromkeys(p for p in picked if p))  # one hazard may show two shapes


def _rows(s: Any, hid: int) -> dict[str, Any]:
    def cols(model: type) -> list[Any]:
        return [c for c in table_of(model).columns if c.name not in _CLOCKS]

    return {
        "hazard": tuple(s.execute(select(*cols(Hazard)).where(Hazard.id == hid)).one()),
        "events": [tuple(r) for r in s.execute(select(*cols(HazardEvent)).where(HazardEvent.hazard_id == hid)
                                               .order_by(HazardEvent.id))],
        "listings": [tuple(r) for r in s.execute(select(*cols(HazardListing))
                                                 .where(HazardListing.hazard_id == hid).order_by(HazardListing.id))],
    }


def _actor(s: Any, user_id: int | None) -> Actor:
    user = s.get(User, user_id)
    assert user is not None
    return Actor(user.id, user.username, user.full_name, Role(user.role))


def _again(s: Any, h: Hazard, events: list[HazardEvent], listings: list[HazardListing], store: AttachmentStore,
           evidence: str) -> int:
    data = HazardInput(
        project_id=h.project_id, description=h.description, found_on=h.found_on, category=h.category,
        level=h.level, source=h.source, criterion_code=h.criterion_code, location=h.location,
        responsible_role=h.responsible_role, responsible_enterprise_id=h.responsible_enterprise_id,
        responsible_person_name=h.responsible_person_name, requirement=h.requirement, deadline=h.first_deadline,
        found_by_names=h.found_by_names, found_by_id=h.found_by_id)
    new = register_hazard(s, _actor(s, h.created_by), data).id
    listing = iter(listings)
    for ev in events[1:]:
        who = _actor(s, ev.actor_id)
        if ev.action in _STEP:
            key = _STEP[ev.action]
            files = [evidence] if key in ("report", "pass", "fail") else []
            transition(s, who, new, key, on_date=ev.on_date, comment=ev.comment, new_deadline=ev.new_deadline,
                       files=files, store=store, inspection_id=ev.inspection_id)
        elif ev.action == A.URGED.value:
            urge_hazards(s, who, [new], ev.comment, on=ev.on_date)
        elif ev.action == A.LISTED.value:
            x = next(listing)
            list_hazard(s, who, new, ListingData(x.level, x.listed_on, x.responsible_unit, x.required_by, x.note),
                        open_contractor_review=False)
        elif ev.action == A.LISTING_LIFTED.value:
            lift_listing(s, who, new, ev.on_date, x.lift_note)
        else:
            raise AssertionError(ev.action)
        s.flush()
    return new


def test_rows_equal_what_the_hazard_services_write(demo: Database, tmp_path: Path) -> None:
    store = AttachmentStore.of(DataDir(tmp_path / "data"))
    evidence = tmp_path / "整改照片.jpg"
    evidence.write_bytes(b"\xff\xd8\xff\xe0demo-evidence\xff\xd9")
    with demo.read() as s:
        picks = _pick(s)
    for hid in picks:
        with demo.read() as s:
            h = s.get(Hazard, hid)
            assert h is not None
            events = list(s.scalars(select(HazardEvent).where(HazardEvent.hazard_id == hid).order_by(HazardEvent.id)))
            listings = list(s.scalars(select(HazardListing).where(HazardListing.hazard_id == hid)))
            before = _rows(s, hid)
            code, key = h.code, h.search_key
            s.expunge_all()
        with demo.write() as s:
            new = _again(s, h, events, listings, store, str(evidence))
        with demo.read() as s:
            again = s.get(Hazard, new)
            assert again is not None
            assert again.search_key == key.replace(code.lower(), again.code.lower())
            after = _rows(s, new)
            names = [c.name for c in table_of(Hazard).columns if c.name not in _CLOCKS]
            diff = {n: (a, b) for n, a, b in zip(names, after["hazard"], before["hazard"], strict=True) if a != b}
            assert not diff, (hid, code, diff)
            assert after == before, (hid, code)
    with demo.read() as s:
        assert s.scalar(select(func.count()).where(Hazard.id.in_(picks))) == len(picks)
