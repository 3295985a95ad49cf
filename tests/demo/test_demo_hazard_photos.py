"""Demo hazards carry photos (small scale, SQLite and PostgreSQL with a data directory): the found-photo
of a share of the hazards on their 登记, rectification and review photos on every 报告整改完成 /
复查合格 of the last year and on some older ones — links to the few site-photo blobs, each reopened from the store as a JPEG;
the same seed gives the same links; without a data directory there are none."""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from station_app.db.database import Database
from station_app.demo import STEPS, generate, write_summary
from station_app.demo.hazards import make_hazards
from station_app.models import AttachmentBlob, Hazard, HazardAttachment, HazardEvent, InspectionAttachment
from station_app.models.hazard import HazardAction, HazardState
from station_app.paths import DataDir
from station_app.rules import refdata
from station_app.services.attachments import AttachmentStore, verify_attachments
from station_app.services.hazards.evidence import evidence_of, history
from station_app.services.reference import load_into_rules
from tests.conftest import _reset_pg, wipe_tables

TODAY = date(2026, 6, 30)
#: the steps up to the hazard photos (the later ones add nothing these tests look at)
UP_TO_PHOTOS = (*STEPS[:STEPS.index(make_hazards) + 1], write_summary)
_KIND_OF_STEP = {HazardAction.FOUND.value: "隐患照片", HazardAction.RECTIFICATION_REPORTED.value: "整改照片",
                 HazardAction.REVIEW_PASSED.value: "复查照片"}


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def demo_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database whose attachments go to tmp_path (on PostgreSQL too)."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "station.sqlite3"
        path.write_bytes(Path(template).read_bytes())
        database = Database(f"sqlite:///{path}", data_dir=tmp_path)
    else:
        database = Database(request.getfixturevalue("pg_url"), data_dir=tmp_path)
        _reset_pg(database)
    load_into_rules(database)
    yield database
    database.dispose()
    refdata.reset()


def _made(db: Database, seed: int = 8) -> tuple[dict[str, int], list[str]]:
    messages: list[str] = []
    counts = generate(db, "small", seed=seed, today=TODAY, progress=messages.append, steps=UP_TO_PHOTOS)
    return counts, messages


def test_hazards_link_the_site_photo_blobs_on_their_steps(demo_db: Database) -> None:
    db = demo_db
    counts, messages = _made(db)
    assert any(m.startswith("隐患附照片 ") for m in messages)
    with db.read() as s:
        links = s.execute(select(HazardAttachment.hazard_id, HazardAttachment.event_id, HazardAttachment.kind,
                                 HazardAttachment.file_name, HazardAttachment.blob_id, HazardAttachment.added_at,
                                 HazardEvent.hazard_id.label("event_hazard"), HazardEvent.action, HazardEvent.at,
                                 Hazard.state)
                          .join(HazardEvent, HazardEvent.id == HazardAttachment.event_id)
                          .join(Hazard, Hazard.id == HazardAttachment.hazard_id)).all()
        n_links = s.scalar(select(func.count()).select_from(HazardAttachment))
        site_blobs = set(s.scalars(select(InspectionAttachment.blob_id).distinct()))
        n_blobs = s.scalar(select(func.count()).select_from(AttachmentBlob))
        hazards = s.scalar(select(func.count()).select_from(Hazard)) or 0
        closed = s.scalar(select(func.count()).where(Hazard.state == HazardState.CLOSED.value)) or 0
    # every link sits on an event of its own hazard (none loose), of the step its kind names
    assert counts["隐患照片关联"] == n_links == len(links) > 0
    assert all(r.hazard_id == r.event_hazard and _KIND_OF_STEP[r.action] == r.kind for r in links)
    # few files, many links: only the 40 site photos, no new blob
    assert n_blobs == counts["照片"] == 40 and {r.blob_id for r in links} <= site_blobs
    assert n_links > 20 * n_blobs
    # shares: the found-photo of about a seventh of the hazards
    by_kind: dict[str, set[int]] = {}
    for r in links:
        by_kind.setdefault(r.kind, set()).add(r.hazard_id)
    assert 0.10 * hazards < len(by_kind["隐患照片"]) < 0.20 * hazards
    # every 报告整改完成 / 复查合格 of the last year has its photos (the app requires evidence there);
    # older ones about one hazard in 12
    steps = (HazardAction.RECTIFICATION_REPORTED.value, HazardAction.REVIEW_PASSED.value)
    recent_from = TODAY - timedelta(days=365)
    with db.read() as s:
        recent = set(s.scalars(select(HazardEvent.id).where(HazardEvent.action.in_(steps),
                                                              HazardEvent.on_date >= recent_from)))
        older_closed = s.scalar(select(func.count(func.distinct(HazardEvent.hazard_id)))
                                .where(HazardEvent.action == HazardAction.REVIEW_PASSED.value,
                                       HazardEvent.on_date < recent_from)) or 0
    linked_steps = {r.event_id for r in links if r.kind != "隐患照片"}
    assert recent and recent <= linked_steps
    older_reviewed = {r.hazard_id for r in links if r.kind == "复查照片" and r.at.date() < recent_from}
    assert 0.05 * older_closed < len(older_reviewed) < 0.11 * older_closed
    assert closed > 0
    # one or two different photos on a step (one on a review); named like a phone names them, taken
    # before the step was recorded, linked when it was
    per_step = Counter(r.event_id for r in links)
    assert set(per_step.values()) == {1, 2}
    assert all(per_step[r.event_id] == 1 for r in links if r.kind == "复查照片")
    assert len({(r.event_id, r.blob_id) for r in links}) == len(links)
    for r in links:
        m = re.fullmatch(r"IMG_(\d{8}_\d{6})\.jpg", r.file_name)
        assert m and datetime.strptime(m.group(1), "%Y%m%d_%H%M%S") <= r.at == r.added_at


def test_a_closed_hazards_photos_reopen_as_jpegs(demo_db: Database) -> None:
    db = demo_db
    _made(db)
    assert db.data_dir is not None
    store = AttachmentStore.of(DataDir(db.data_dir))
    with db.read() as s:
        assert verify_attachments(s, store) == []
        hid = s.scalar(select(HazardAttachment.hazard_id).where(HazardAttachment.kind == "复查照片")
                       .order_by(HazardAttachment.id).limit(1))
        assert hid is not None
        steps = history(s, hid)
        files = evidence_of(s, hid)
    # the history dialog's data: the photos hang on the report and the review steps of that hazard
    on_steps = {ev.action: [a.kind for a in ev.attachments] for ev in steps if ev.attachments}
    assert set(on_steps["报告整改完成"]) == {"整改照片"} and on_steps["复查合格"] == ["复查照片"]
    assert files and all(f.is_image and f.mime == "image/jpeg" for f in files)
    for f in files:
        data = store.path_of(f.sha256).read_bytes()
        assert data[:3] == b"\xff\xd8\xff" and hashlib.sha256(data).hexdigest() == f.sha256
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == "JPEG" and img.size == (160, 120)


def _links_fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    with db.read() as s:
        for row in s.execute(select(HazardAttachment.id, HazardAttachment.hazard_id, HazardAttachment.event_id,
                                    AttachmentBlob.sha256, HazardAttachment.kind, HazardAttachment.file_name,
                                    HazardAttachment.caption, HazardAttachment.added_at)
                             .join(AttachmentBlob, AttachmentBlob.id == HazardAttachment.blob_id)
                             .order_by(HazardAttachment.id)):
            digest.update(repr(tuple(v.isoformat() if isinstance(v, datetime) else v for v in row)).encode())
    return digest.hexdigest()


def test_same_seed_same_photo_links(demo_db: Database) -> None:
    _made(demo_db, seed=9)
    first = _links_fingerprint(demo_db)
    wipe_tables(demo_db, keep=("reference_rows", "campaigns"))
    _made(demo_db, seed=9)
    assert _links_fingerprint(demo_db) == first


def test_no_data_directory_no_photos(tmp_path: Path, sqlite_template: Path) -> None:
    path = tmp_path / "demo.sqlite3"  # not laid out as a data directory: the site photos are skipped
    path.write_bytes(sqlite_template.read_bytes())
    db = Database(f"sqlite:///{path}")
    load_into_rules(db)
    try:
        counts, messages = _made(db)
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(HazardAttachment)) == 0
        assert "隐患照片关联" not in counts and any("隐患记录不附照片" in m for m in messages)
    finally:
        db.dispose()
        refdata.reset()
