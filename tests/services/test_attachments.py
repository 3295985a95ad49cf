"""Attached files: content-addressed store, dedup, EXIF time, thumbnails, unreadable and missing files."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from station_app import clock
from station_app.errors import PermissionDenied, ValidationError
from station_app.models import AttachmentBlob, Inspection, InspectionAttachment
from station_app.services.attachments import (
    AttachmentStore,
    attach_files,
    collect_garbage,
    list_attachments,
    remove_attachment,
    verify_attachments,
)
from station_app.services.inspections.forms import FindingData
from station_app.services.inspections.records import create_inspection, get_inspection, update_inspection
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import Site, form, jpeg, make_site


@pytest.fixture
def site(station: Station) -> Site:
    return make_site(station)


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "data" / "attachments")


def _count(station: Station, model: type) -> int:
    with station.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_put_names_file_by_hash_in_shards(store: AttachmentStore, tmp_path: Path) -> None:
    photo = jpeg(tmp_path / "现场1.jpg", taken="2026:03:10 09:12:05")
    stored = store.put(photo)
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert stored.sha256 == digest
    assert store.path_of(digest) == store.root / digest[:2] / digest[2:]
    assert store.path_of(digest).read_bytes() == photo.read_bytes()
    assert stored.mime == "image/jpeg" and (stored.width, stored.height) == (640, 480)
    assert stored.taken_at == datetime(2026, 3, 10, 9, 12, 5)
    assert stored.original_name == "现场1.jpg"
    assert not list(store.root.glob(".tmp-*"))
    plain = tmp_path / "记录.txt"
    plain.write_text("检查记录", encoding="utf-8")
    doc = store.put(plain)
    assert doc.mime == "text/plain" and doc.taken_at is None and doc.width is None


def test_thumbnail_cached_next_to_blob(store: AttachmentStore, tmp_path: Path) -> None:
    stored = store.put(jpeg(tmp_path / "a.jpg", size=(1200, 900)))
    thumb = store.thumbnail(stored.sha256)
    assert thumb is not None and thumb.parent == store.path_of(stored.sha256).parent
    with Image.open(thumb) as img:
        assert img.format == "JPEG" and max(img.size) <= 256
    mtime = thumb.stat().st_mtime_ns
    assert store.thumbnail(stored.sha256) == thumb and thumb.stat().st_mtime_ns == mtime
    plain = tmp_path / "b.txt"
    plain.write_text("x")
    assert store.thumbnail(store.put(plain).sha256) is None
    assert store.thumbnail("0" * 64) is None  # missing blob: None, never an exception


def test_unreadable_file_refused_naming_it(site: Site, store: AttachmentStore, tmp_path: Path) -> None:
    st = site.station
    missing = tmp_path / "不存在的照片.jpg"
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        create_inspection(s, st.clerk, form(site, new_files=(str(missing),)), store=store)
    assert "不存在的照片.jpg" in err.value.errors["附件"]
    folder = tmp_path / "一个文件夹.jpg"
    folder.mkdir()
    finding = FindingData("临边防护缺失", category="高处作业", new_files=(str(folder),))
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        create_inspection(s, st.clerk, form(site, findings=(finding,)), store=store)
    assert "一个文件夹.jpg" in err.value.errors["问题第1条附件"]
    empty = tmp_path / "空.jpg"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="空文件"), st.db.write() as s:
        create_inspection(s, st.clerk, form(site, new_files=(str(empty),)), store=store)
    if os.name == "posix" and os.geteuid() != 0:
        locked = jpeg(tmp_path / "无权限.jpg")
        locked.chmod(0)
        with pytest.raises(ValidationError, match=r"无权限\.jpg"), st.db.write() as s:
            create_inspection(s, st.clerk, form(site, new_files=(str(locked),)), store=store)
    assert _count(st, Inspection) == 0 and _count(st, AttachmentBlob) == 0


def test_same_bytes_twice_one_blob_two_links(site: Site, store: AttachmentStore, tmp_path: Path) -> None:
    st = site.station
    a = jpeg(tmp_path / "IMG_0001.jpg", taken="2026:03:10 09:12:05")
    b = tmp_path / "微信图片_0001.jpg"
    b.write_bytes(a.read_bytes())
    finding = FindingData("临边防护缺失", category="高处作业", new_files=(str(b),))
    with st.db.write() as s:
        saved = create_inspection(s, st.supervisor, form(site, new_files=(str(a),), findings=(finding,)),
                                  store=store)
    assert [x.original_name for x in saved.attachments] == ["IMG_0001.jpg"]
    assert [x.original_name for x in saved.findings[0].attachments] == ["微信图片_0001.jpg"]
    own = saved.attachments[0]
    assert own.attached_by_name == "张监督" and own.taken_at == datetime(2026, 3, 10, 9, 12, 5) and own.is_image
    assert _count(st, AttachmentBlob) == 1 and _count(st, InspectionAttachment) == 2
    assert len(list(store.stored_hashes())) == 1
    with st.db.write() as s:  # the same file to the same place again: still one link there
        attach_files(s, st.supervisor, store, saved.id or 0, [a])
    assert _count(st, InspectionAttachment) == 2
    with st.db.write() as s:  # an update adding a new file to the finding
        current = get_inspection(s, saved.id or 0)
        other = jpeg(tmp_path / "c.jpg", color=(0, 0, 255))
        f = replace(current.findings[0], new_files=(str(other),))
        updated = update_inspection(s, st.supervisor, replace(current, findings=(f,)), store=store)
    assert len(updated.findings[0].attachments) == 2 and _count(st, AttachmentBlob) == 2
    with st.db.write() as s:  # a finding removed from the form takes its links along, not the blobs
        update_inspection(s, st.supervisor, replace(updated, findings=()))
    assert _count(st, InspectionAttachment) == 1 and _count(st, AttachmentBlob) == 2


def test_attach_remove_and_permissions(site: Site, store: AttachmentStore, tmp_path: Path) -> None:
    st = site.station
    with st.db.write() as s:
        saved = create_inspection(s, st.clerk, form(site))
    with pytest.raises(PermissionDenied), st.db.write() as s:
        attach_files(s, st.readonly, store, saved.id or 0, [jpeg(tmp_path / "a.jpg")])
    with st.db.write() as s:
        infos = attach_files(s, st.clerk, store, saved.id or 0, [jpeg(tmp_path / "a.jpg")], caption="全景")
    assert infos[0].caption == "全景"
    with st.db.write() as s:
        remove_attachment(s, st.clerk, infos[0].id)
    with st.db.read() as s:
        assert list_attachments(s, saved.id or 0) == []
    assert _count(st, AttachmentBlob) == 1  # the blob waits for the garbage collector


def test_missing_blob_reported_not_raised(site: Site, store: AttachmentStore, tmp_path: Path) -> None:
    st = site.station
    with st.db.write() as s:
        saved = create_inspection(s, st.clerk, form(site, new_files=(str(jpeg(tmp_path / "丢失.jpg")),
                                                                     str(jpeg(tmp_path / "完好.jpg", (1, 2, 3))))),
                                  store=store)
    with st.db.read() as s:
        assert verify_attachments(s, store) == []
    gone = next(a for a in saved.attachments if a.original_name == "丢失.jpg")
    store.path_of(gone.sha256).unlink()
    with st.db.read() as s:
        missing = verify_attachments(s, store, inspection_id=saved.id)
        files = list_attachments(s, saved.id or 0)  # reading the record still works
    assert [(m.original_name, m.link_id) for m in missing] == [("丢失.jpg", gone.id)]
    assert "已丢失" in missing[0].problem and len(files) == 2
    assert store.thumbnail(gone.sha256) is None
    with st.db.write() as s:  # attaching the same bytes again restores the file
        attach_files(s, st.clerk, store, saved.id or 0, [tmp_path / "丢失.jpg"])
    with st.db.read() as s:
        assert verify_attachments(s, store) == []


def test_garbage_collection_removes_only_old_orphans(site: Site, store: AttachmentStore, tmp_path: Path) -> None:
    st = site.station
    with st.db.write() as s:
        saved = create_inspection(s, st.clerk, form(site, new_files=(str(jpeg(tmp_path / "kept.jpg")),)),
                                  store=store)
    orphan = store.put(jpeg(tmp_path / "orphan.jpg", color=(9, 9, 9)))  # a save that rolled back
    young = store.put(jpeg(tmp_path / "young.jpg", color=(8, 8, 8)))
    old = (clock.now() - timedelta(days=3)).timestamp()
    os.utime(store.path_of(orphan.sha256), (old, old))
    os.utime(store.path_of(saved.attachments[0].sha256), (old, old))
    report = collect_garbage(st.db, store, older_than=timedelta(days=1))
    assert report.files_removed == 1
    assert not store.exists(orphan.sha256) and store.exists(young.sha256)
    assert store.exists(saved.attachments[0].sha256)
    with st.db.read() as s:
        assert verify_attachments(s, store) == []


def test_garbage_collection_keeps_blobs_used_by_any_table(site: Site, store: AttachmentStore,
                                                          tmp_path: Path) -> None:
    """A blob linked only from a table other than inspection_attachments (here hazard evidence) stays."""
    from datetime import date

    from station_app.db.base import now
    from station_app.models import AttachmentBlob, Hazard, HazardAttachment

    st = site.station
    blob = store.put(jpeg(tmp_path / "evidence.jpg", color=(7, 7, 7)))
    lone = store.put(jpeg(tmp_path / "lone.jpg", color=(6, 6, 6)))
    long_ago = now() - timedelta(days=5)
    with st.db.write() as s:
        rows = [AttachmentBlob(sha256=b.sha256, size=1, created_at=long_ago) for b in (blob, lone)]
        s.add_all(rows)
        hazard = Hazard(code="YH2026-999999", project_id=site.project, found_on=date(2026, 11, 2),
                        category="其他", description="临边防护缺失", deadline=date(2026, 11, 9),
                        first_deadline=date(2026, 11, 9))
        s.add(hazard)
        s.flush()
        s.add(HazardAttachment(hazard_id=hazard.id, blob_id=rows[0].id, kind="隐患照片"))
    old = (clock.now() - timedelta(days=3)).timestamp()
    for b in (blob, lone):
        os.utime(store.path_of(b.sha256), (old, old))
    report = collect_garbage(st.db, store, older_than=timedelta(days=1))
    assert report.blobs_removed == 1
    assert store.exists(blob.sha256) and not store.exists(lone.sha256)
