"""Demo data for grid supervision and the inspection log (small scale, SQLite and PostgreSQL): teams with
history, a supervisor who left, a grid split, blind spots, coverage rounds, inspections only by the team
of the day and only while the project was in supervision, major findings under the edition in force,
photos stored once, rows equal to what create_inspection writes, and determinism."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select, text

from station_app.db.database import Database
from station_app.demo import generate
from station_app.demo.context import table_of
from station_app.models import (
    AttachmentBlob,
    Base,
    CoverageRound,
    Grid,
    GridLeaderTerm,
    Inspection,
    InspectionAttachment,
    InspectionCheckItem,
    InspectionFinding,
    InspectionInspector,
    InspectionPresence,
    Project,
    SupervisionAssignment,
    User,
)
from station_app.models.enums import Role
from station_app.models.inspection import CheckSource, FindingLevel, FindingOrigin
from station_app.paths import DataDir
from station_app.rules import hazards
from station_app.services.attachments import AttachmentStore, verify_attachments
from station_app.services.context import Actor
from station_app.services.inspections.records import create_inspection, get_inspection, supervision_problem
from station_app.services.supervision.blind_spots import BlindSpotReason, list_blind_spots
from station_app.services.supervision.coverage import coverage_report, list_rounds
from station_app.services.supervision.workload import supervisor_workload
from tests.conftest import wipe_tables

TODAY = date(2026, 6, 30)


@pytest.fixture
def demo(db: Database) -> Iterator[tuple[Database, dict[str, int], list[str]]]:
    messages: list[str] = []
    counts = generate(db, "small", seed=3, progress=messages.append, today=TODAY)
    yield db, counts, messages


def _count(db: Database, model: type[Base]) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_counts_teams_history_rounds_and_blind_spots(demo: tuple[Database, dict[str, int], list[str]]) -> None:
    db, counts, messages = demo
    assert 1300 <= counts["监督检查"] == _count(db, Inspection) <= 1900
    assert counts["检查问题"] == _count(db, InspectionFinding) >= counts["监督检查"]
    assert 0 < counts["重大隐患"] < counts["检查问题"] * 0.03
    assert counts["监督安排记录"] == _count(db, SupervisionAssignment) >= 40 * 2
    with db.read() as s:
        # the one who left: a disabled 监督员, no longer leading a grid, projects handed over with a note
        gone = s.execute(select(User.id, User.full_name).where(User.active.is_(False))).all()
        assert len(gone) == 1 and s.scalar(select(User.role).where(User.id == gone[0][0])) == Role.SUPERVISOR
        assert any(f"监督员{gone[0][1]}于" in m and "离职" in m for m in messages)
        handed = s.scalar(select(func.count()).where(SupervisionAssignment.note.like("%离职，监督项目移交")))
        assert handed
        # 网格长: the current leader holds the open term; nobody leads twice at once
        for gid, leader in s.execute(select(Grid.id, Grid.leader_id)):
            open_terms = list(s.scalars(select(GridLeaderTerm.user_id).where(
                GridLeaderTerm.grid_id == gid, GridLeaderTerm.effective_to.is_(None))))
            assert open_terms == [leader] and leader != gone[0][0]
        # the split grid: set up mid-way; inspections before it carry the grid the project was in then
        split, split_at = s.execute(select(Grid.id, Grid.created_at).where(Grid.note.like("%拆分设立"))).one()
        for at, grid in s.execute(select(Inspection.inspected_at, Inspection.grid_id)
                                  .join(Project, Project.id == Inspection.project_id).where(Project.grid_id == split)):
            assert (grid == split) == (at.date() >= split_at.date()), (at, grid)
        # every team on every day: exactly one principal, no one twice
        rows = s.execute(select(SupervisionAssignment.project_id, SupervisionAssignment.user_id,
                                SupervisionAssignment.role, SupervisionAssignment.effective_from,
                                SupervisionAssignment.effective_to)).all()
        for pid, uid, role, start, end in rows:
            same = [r for r in rows if r[0] == pid and r[3] <= start and (r[4] is None or r[4] > start)]
            assert sum(1 for r in same if r[2] == "主监督员") <= 1, (pid, start)
            assert len({r[1] for r in same}) == len(same), (pid, uid, role, start)
            assert end is None or end > start
        # one 全覆盖排查 round per half-year since the start of the period
        names = [r.name for r in list_rounds(s)]
        assert sorted(names) == ["2024年下半年全覆盖排查", "2025年上半年全覆盖排查", "2025年下半年全覆盖排查",
                                 "2026年上半年全覆盖排查"]
        assert counts["全覆盖排查轮次"] == _count(db, CoverageRound) == 4
        report = coverage_report(s, list_rounds(s)[0].id, TODAY)
        assert report.projects.total and 0 < report.projects.reached <= report.projects.total
        spots = list_blind_spots(s, TODAY)
        reasons = {r for spot in spots for r in spot.reasons}
        assert {BlindSpotReason.NO_PRINCIPAL, BlindSpotReason.DISABLED_ACCOUNT, BlindSpotReason.NO_SECOND} <= reasons
        assert any(w.inspections_year for w in supervisor_workload(s, TODAY))


def test_inspections_by_the_team_of_the_day_in_the_supervision_period(
        demo: tuple[Database, dict[str, int], list[str]]) -> None:
    db, _, _ = demo
    with db.read() as s:
        teams: dict[int, list[tuple[int, date, date | None]]] = {}
        for pid, uid, start, end in s.execute(select(SupervisionAssignment.project_id, SupervisionAssignment.user_id,
                                                     SupervisionAssignment.effective_from,
                                                     SupervisionAssignment.effective_to)):
            teams.setdefault(pid, []).append((uid, start, end))
        disabled = {uid: at.date() for uid, at in s.execute(select(User.id, User.updated_at)
                                                            .where(User.active.is_(False)))}
        inspectors: dict[int, list[int]] = {}
        for iid, uid in s.execute(select(InspectionInspector.inspection_id, InspectionInspector.user_id)):
            inspectors.setdefault(iid, []).append(uid)
        projects = {p.id: p for p in s.scalars(select(Project))}
        child_counts = _child_counts(s)
        for iid, pid, at, findings, majors, items, names in s.execute(select(
                Inspection.id, Inspection.project_id, Inspection.inspected_at, Inspection.finding_count,
                Inspection.major_count, Inspection.check_item_count, Inspection.inspector_names)):
            day = at.date()
            who = inspectors[iid]
            assert len(who) >= 2 and len(set(who)) == len(who)
            on_team = {u for u, start, end in teams.get(pid, []) if start <= day and (end is None or day < end)}
            assert set(who) <= on_team, (iid, day)
            assert all(day < disabled[u] for u in who if u in disabled)
            p = projects[pid]
            assert at < datetime.combine(TODAY, datetime.min.time())
            assert p.actual_start is not None and p.actual_start <= day
            assert supervision_problem(p, day) is None, (iid, p.status, day)
            assert (findings, majors, items) == child_counts.get(iid, (0, 0, 0))
            assert names.count("、") == len(who) - 1
        for code, edition, at in s.execute(
                select(InspectionFinding.criterion_code, InspectionFinding.criterion_edition, Inspection.inspected_at)
                .join(Inspection, Inspection.id == InspectionFinding.inspection_id)
                .where(InspectionFinding.level == FindingLevel.MAJOR.value)):
            assert code and hazards.criterion(code).edition == edition == hazards.edition_in_force(at.date())


def _child_counts(s: Any) -> dict[int, tuple[int, int, int]]:
    findings = dict(s.execute(select(InspectionFinding.inspection_id, func.count())
                              .group_by(InspectionFinding.inspection_id)).all())
    majors = dict(s.execute(select(InspectionFinding.inspection_id, func.count())
                            .where(InspectionFinding.level == FindingLevel.MAJOR.value)
                            .group_by(InspectionFinding.inspection_id)).all())
    items = dict(s.execute(select(InspectionCheckItem.inspection_id, func.count())
                           .group_by(InspectionCheckItem.inspection_id)).all())
    ids = set(findings) | set(items)
    return {i: (findings.get(i, 0), majors.get(i, 0), items.get(i, 0)) for i in ids}


def _rows(s: Any, iid: int) -> dict[str, Any]:
    """One inspection's rows without ids and clock columns."""
    skip = {"id", "created_at", "updated_at", "version", "inspection_id"}

    def cols(model: type[Base]) -> list[Any]:
        return [c for c in table_of(model).columns if c.name not in skip]

    out: dict[str, Any] = {"inspection": tuple(s.execute(select(*cols(Inspection)).where(Inspection.id == iid)).one())}
    for model in (InspectionInspector, InspectionPresence, InspectionCheckItem, InspectionFinding):
        table = table_of(model)
        out[table.name] = [tuple(r) for r in s.execute(select(*cols(model)).where(table.c.inspection_id == iid)
                                                       .order_by(table.c.seq))]
    return out


def _pick(s: Any) -> list[int]:
    """Inspections whose grid is the project's grid today, by active inspectors, of several shapes."""
    by_disabled = select(InspectionInspector.inspection_id).join(User, User.id == InspectionInspector.user_id).where(
        User.active.is_(False))
    base = (select(Inspection.id).join(Project, Project.id == Inspection.project_id)
            .where(Inspection.grid_id == Project.grid_id, Inspection.id.not_in(by_disabled)).order_by(Inspection.id))
    shapes = [
        base.where(Inspection.id.in_(select(InspectionFinding.inspection_id)
                                     .where(InspectionFinding.origin == FindingOrigin.PRESENCE.value))),
        base.where(Inspection.major_count > 0),
        base.where(Inspection.campaign_id.is_not(None), Inspection.finding_count > 1),
        base.where(Inspection.finding_count == 0),
        base.where(Inspection.id.in_(select(InspectionInspector.inspection_id).where(InspectionInspector.seq == 3))),
        base.where(Inspection.check_item_count > 4, Inspection.finding_count > 2),
    ]
    picked = [s.scalar(q.limit(1)) for q in shapes]
    assert all(picked), picked
    return picked


def test_rows_equal_what_create_inspection_writes(demo: tuple[Database, dict[str, int], list[str]]) -> None:
    """Save each picked demo inspection again through the service (absence findings, JGJ 59 labels and
    deadlines left for the service to fill) and compare every stored column but ids and clocks."""
    db, _, _ = demo
    with db.read() as s:
        picks = _pick(s)
    for iid in picks:
        with db.read() as s:
            data = get_inspection(s, iid)
            before = _rows(s, iid)
            user = s.get(User, data.created_by)
            assert user is not None
            actor = Actor(user.id, user.username, user.full_name, Role(user.role))
        form = replace(
            data, id=None, version=None, attachments=(),
            check_items=tuple(replace(c, label="") if c.source == CheckSource.JGJ59.value else c
                              for c in data.check_items),
            findings=tuple(replace(f, id=None, deadline=None, criterion_edition=None, attachments=())
                           for f in data.findings if f.origin != FindingOrigin.PRESENCE.value))
        with db.write() as s:
            saved = create_inspection(s, actor, form)
        assert saved.id is not None
        with db.read() as s:
            assert _rows(s, saved.id) == before, iid


def test_photos_stored_once_and_linked(demo: tuple[Database, dict[str, int], list[str]]) -> None:
    db, counts, messages = demo
    if db.data_dir is None:  # PostgreSQL test database: no data directory, no photos
        assert any("跳过现场照片" in m for m in messages)
        assert _count(db, InspectionAttachment) == 0 and "照片" not in counts
        return
    store = AttachmentStore.of(DataDir(db.data_dir))
    with db.read() as s:
        assert verify_attachments(s, store) == []
        blobs = s.execute(select(AttachmentBlob.sha256, AttachmentBlob.mime, AttachmentBlob.width)).all()
        with_photos = s.scalar(select(func.count(func.distinct(InspectionAttachment.inspection_id)))) or 0
        on_findings = s.scalar(select(func.count()).where(InspectionAttachment.finding_id.is_not(None))) or 0
        wrong = s.scalar(select(func.count()).select_from(InspectionAttachment)
                         .join(InspectionFinding, InspectionFinding.id == InspectionAttachment.finding_id)
                         .where(InspectionFinding.inspection_id != InspectionAttachment.inspection_id))
    assert counts["照片"] == len(blobs) == len({b[0] for b in blobs}) == 40
    assert {(m, w) for _, m, w in blobs} == {("image/jpeg", 160)}
    assert set(store.stored_hashes()) == {b[0] for b in blobs}
    assert 0.15 * counts["监督检查"] < with_photos < 0.25 * counts["监督检查"]
    assert on_findings and wrong == 0
    assert counts["附件关联"] > with_photos
    assert store.thumbnail(blobs[0][0]) is not None


_COMPARED = ("supervision_assignments", "grid_leader_terms", "coverage_rounds", "inspections",
             "inspection_inspectors", "inspection_presence", "inspection_check_items", "inspection_findings",
             "attachment_blobs", "inspection_attachments", "grids", "users", "projects")
_SKIPPED = {"password_hash"}


def _fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    with db.read() as s:
        for name in _COMPARED:
            table = Base.metadata.tables[name]
            cols = [c for c in table.columns if c.name not in _SKIPPED]
            order = list(table.primary_key.columns)
            # users created by set-up carry the clock; demo accounts and everything else do not
            where = table.c.username != "admin" if name == "users" else text("1 = 1")
            for row in s.execute(select(*cols).where(where).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _wipe(db: Database) -> None:
    """Everything but the reference data and the campaigns (the migration's seed keeps its ids)."""
    wipe_tables(db, keep=("reference_rows", "campaigns"))


def test_same_seed_same_rows(db: Database) -> None:
    generate(db, "small", seed=5, today=TODAY)
    first = _fingerprint(db)
    _wipe(db)
    generate(db, "small", seed=5, today=TODAY)
    assert _fingerprint(db) == first
