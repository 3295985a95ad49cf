"""Photos and other files attached to an inspection or to one of its findings.

Files are stored once, named by their SHA-256 under ``DataDir.attachments`` in sharded folders
(``ab/cdef…``); the same bytes attached twice are one ``attachment_blobs`` row and many links.

Consistency: the file is written first (temp name in the same folder, fsync, ``os.replace``), the row
after, in the caller's transaction. If the transaction fails the file is an orphan — harmless, and
removed by :func:`collect_garbage` — but no row ever points to a file that was not written.
A file that later goes missing is reported by :func:`verify_attachments`, never a crash.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Exists, delete, exists, or_, select
from sqlalchemy.orm import Session

from station_app.db.base import Base, now
from station_app.db.database import Database
from station_app.errors import NotFound, PermissionDenied, ValidationError
from station_app.models import AttachmentBlob, Inspection, InspectionAttachment, InspectionFinding
from station_app.models.enums import Role
from station_app.models.inspection import InspectionInspector
from station_app.paths import DataDir
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.validation import clean

log = logging.getLogger(__name__)

#: files larger than this are refused (a phone video is not evidence the form can show)
MAX_FILE_BYTES = 200 * 1024 * 1024
THUMB_SIZE = 256
_CHUNK = 1 << 20
_TMP_PREFIX = ".tmp-"
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 36867


@dataclass(frozen=True)
class StoredFile:
    """A file copied into the store (or found there already)."""

    sha256: str
    size: int
    mime: str
    original_name: str
    width: int | None = None
    height: int | None = None
    taken_at: datetime | None = None


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    inspection_id: int
    finding_id: int | None
    sha256: str
    original_name: str
    caption: str
    size: int
    mime: str
    width: int | None
    height: int | None
    taken_at: datetime | None
    attached_by_name: str
    attached_at: datetime

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


@dataclass(frozen=True)
class MissingAttachment:
    """A linked file whose blob is gone from the data directory (or has the wrong size)."""

    link_id: int
    inspection_id: int
    finding_id: int | None
    original_name: str
    sha256: str
    problem: str


@dataclass(frozen=True)
class GarbageReport:
    blobs_removed: int
    files_removed: int


def _exif_taken_at(img: object) -> datetime | None:
    try:
        raw = img.getexif().get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL)  # type: ignore[attr-defined]
        if isinstance(raw, bytes):
            raw = raw.decode("ascii", "ignore")
        return datetime.strptime(str(raw).strip("\x00 ").strip(), "%Y:%m:%d %H:%M:%S") if raw else None
    except (ValueError, TypeError, AttributeError, KeyError, OSError):
        return None


class AttachmentStore:
    """The attachment folder of one data directory. File operations only; no database."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @classmethod
    def of(cls, data_dir: DataDir) -> AttachmentStore:
        return cls(data_dir.attachments)

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def thumb_path(self, sha256: str, size: int = THUMB_SIZE) -> Path:
        return self.root / sha256[:2] / f"{sha256[2:]}.thumb{size}.jpg"

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def put(self, source: str | Path) -> StoredFile:
        """Copy ``source`` in under its hash. Raises ValidationError naming the file it cannot read."""
        src = Path(source)
        name = src.name
        try:
            if not src.is_file():
                raise ValidationError({"附件": f"文件“{name}”不存在或不是文件（{src}）"})
            size = src.stat().st_size
        except OSError as err:
            raise ValidationError({"附件": f"无法读取文件“{name}”：{err.strerror or err}"}) from err
        if size == 0:
            raise ValidationError({"附件": f"文件“{name}”是空文件"})
        if size > MAX_FILE_BYTES:
            raise ValidationError({"附件": f"文件“{name}”超过{MAX_FILE_BYTES // 1024 // 1024} MB"})
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"{_TMP_PREFIX}{uuid.uuid4().hex}"
        digest = hashlib.sha256()
        try:
            with src.open("rb") as fin, tmp.open("wb") as fout:
                while chunk := fin.read(_CHUNK):
                    digest.update(chunk)
                    fout.write(chunk)
                fout.flush()
                os.fsync(fout.fileno())
        except OSError as err:
            tmp.unlink(missing_ok=True)
            raise ValidationError({"附件": f"无法读取文件“{name}”：{err.strerror or err}"}) from err
        sha = digest.hexdigest()
        dest = self.path_of(sha)
        try:
            if dest.is_file() and dest.stat().st_size == size:
                tmp.unlink(missing_ok=True)
                os.utime(dest)  # fresh mtime: collect_garbage leaves a file being reused alone
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, dest)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        return self._describe(sha, size, name)

    def _describe(self, sha: str, size: int, name: str) -> StoredFile:
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        width = height = None
        taken_at = None
        try:
            from PIL import Image

            with Image.open(self.path_of(sha)) as img:
                width, height = img.size
                mime = Image.MIME.get(img.format or "", mime)
                taken_at = _exif_taken_at(img)
        except Exception:  # not an image Pillow knows: keep the guess from the name
            pass
        return StoredFile(sha, size, mime[:80], name[:255], width, height, taken_at)

    def thumbnail(self, sha256: str, size: int = THUMB_SIZE) -> Path | None:
        """A small JPEG next to the blob (made once, then cached); None if not an image or missing."""
        thumb = self.thumb_path(sha256, size)
        if thumb.is_file():
            return thumb
        blob = self.path_of(sha256)
        if not blob.is_file():
            return None
        tmp = thumb.with_name(f"{_TMP_PREFIX}{uuid.uuid4().hex}")
        try:
            from PIL import Image, ImageOps

            with Image.open(blob) as img:
                small = ImageOps.exif_transpose(img) or img
                small = small.convert("RGB")
                small.thumbnail((size, size))
                small.save(tmp, "JPEG", quality=80)
            os.replace(tmp, thumb)
        except Exception as err:
            tmp.unlink(missing_ok=True)
            log.info("no thumbnail for %s: %s", sha256, err)
            return None
        return thumb

    def stored_hashes(self) -> dict[str, Path]:
        """Every blob file in the store (thumbnails and temp files left out)."""
        found: dict[str, Path] = {}
        if not self.root.is_dir():
            return found
        for shard in self.root.iterdir():
            if not shard.is_dir() or len(shard.name) != 2:
                continue
            for f in shard.iterdir():
                if f.is_file() and len(f.name) == 62 and "." not in f.name:
                    found[shard.name + f.name] = f
        return found


# --------------------------------------------------------------------------- database side


def editable_inspection(session: Session, actor: Actor, inspection_id: int) -> Inspection:
    """The inspection, if ``actor`` may change it: a 监督员 only the ones they took part in or recorded."""
    require(actor, "inspection.write")
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise NotFound("监督检查记录不存在。")
    if actor.role == Role.SUPERVISOR and actor.user_id != insp.created_by:
        took_part = session.scalar(select(exists().where(
            InspectionInspector.inspection_id == inspection_id, InspectionInspector.user_id == actor.user_id)))
        if not took_part:
            raise PermissionDenied("监督员只能修改本人参加或录入的监督检查记录。")
    return insp


def _blob_for(session: Session, stored: StoredFile) -> AttachmentBlob:
    blob = session.scalar(select(AttachmentBlob).where(AttachmentBlob.sha256 == stored.sha256))
    if blob is None:
        blob = AttachmentBlob(sha256=stored.sha256, size=stored.size, mime=stored.mime, width=stored.width,
                              height=stored.height, taken_at=stored.taken_at)
        session.add(blob)
        session.flush()
    return blob


def link_stored(session: Session, actor: Actor, inspection_id: int, finding_id: int | None,
                stored: StoredFile, caption: str = "") -> InspectionAttachment:
    """Link a stored file; the same file linked to the same place again returns the existing link."""
    blob = _blob_for(session, stored)
    existing = session.scalar(select(InspectionAttachment).where(
        InspectionAttachment.blob_id == blob.id, InspectionAttachment.inspection_id == inspection_id,
        InspectionAttachment.finding_id.is_(None) if finding_id is None
        else InspectionAttachment.finding_id == finding_id))
    if existing is not None:
        return existing
    link = InspectionAttachment(blob_id=blob.id, inspection_id=inspection_id, finding_id=finding_id,
                                original_name=stored.original_name, caption=clean(caption)[:200],
                                attached_by=actor.user_id, attached_by_name=actor.full_name[:50],
                                attached_at=now())
    link.blob = blob
    session.add(link)
    return link


def store_files(store: AttachmentStore | None, paths: Sequence[str | Path]) -> list[StoredFile]:
    """Copy every file in before anything is written to the database; the first unreadable one refuses."""
    if not paths:
        return []
    if store is None:
        raise ValidationError({"附件": "未配置附件目录，无法保存附件"})
    return [store.put(p) for p in paths]


def _info(link: InspectionAttachment) -> AttachmentInfo:
    b = link.blob
    return AttachmentInfo(link.id, link.inspection_id, link.finding_id, b.sha256, link.original_name,
                          link.caption, b.size, b.mime, b.width, b.height, b.taken_at, link.attached_by_name,
                          link.attached_at)


def attach_files(session: Session, actor: Actor, store: AttachmentStore, inspection_id: int,
                 paths: Sequence[str | Path], *, finding_id: int | None = None,
                 caption: str = "") -> list[AttachmentInfo]:
    """Attach files to a saved inspection (or one of its findings) at once."""
    editable_inspection(session, actor, inspection_id)
    if finding_id is not None:
        f = session.get(InspectionFinding, finding_id)
        if f is None or f.inspection_id != inspection_id:
            raise NotFound("该问题不属于本次检查。")
    stored = store_files(store, paths)
    links = [link_stored(session, actor, inspection_id, finding_id, s, caption) for s in stored]
    session.flush()
    audit.record(session, actor, "create", "attachment", inspection_id,
                 after={"files": [s.original_name for s in stored], "finding_id": finding_id},
                 summary=f"添加附件 {'、'.join(s.original_name for s in stored)}")
    return [_info(x) for x in links]


def list_attachments(session: Session, inspection_id: int) -> list[AttachmentInfo]:
    """Every file of an inspection, its own first, then by finding, in the order attached."""
    stmt = (select(InspectionAttachment).join(InspectionAttachment.blob)
            .where(InspectionAttachment.inspection_id == inspection_id)
            .order_by(InspectionAttachment.finding_id.is_not(None), InspectionAttachment.finding_id,
                      InspectionAttachment.id))
    return [_info(x) for x in session.scalars(stmt)]


def remove_attachment(session: Session, actor: Actor, link_id: int) -> None:
    """Unlink a file; the blob stays until :func:`collect_garbage` finds it unused."""
    link = session.get(InspectionAttachment, link_id)
    if link is None:
        raise NotFound("附件不存在。")
    editable_inspection(session, actor, link.inspection_id)
    name = link.original_name
    session.delete(link)
    audit.record(session, actor, "delete", "attachment", link.inspection_id, before={"file": name},
                 summary=f"删除附件 {name}")


def verify_attachments(session: Session, store: AttachmentStore, *,
                       inspection_id: int | None = None) -> list[MissingAttachment]:
    """Links whose file is missing from the data directory or has the wrong size. Never raises for files."""
    stmt = select(InspectionAttachment.id, InspectionAttachment.inspection_id, InspectionAttachment.finding_id,
                  InspectionAttachment.original_name, AttachmentBlob.sha256, AttachmentBlob.size
                  ).join(AttachmentBlob, AttachmentBlob.id == InspectionAttachment.blob_id)
    if inspection_id is not None:
        stmt = stmt.where(InspectionAttachment.inspection_id == inspection_id)
    out: list[MissingAttachment] = []
    for link_id, insp_id, finding_id, name, sha, size in session.execute(stmt.order_by(InspectionAttachment.id)):
        path = store.path_of(sha)
        try:
            actual = path.stat().st_size
        except OSError:
            out.append(MissingAttachment(link_id, insp_id, finding_id, name, sha, f"文件“{name}”已丢失（{path}）"))
            continue
        if actual != size:
            out.append(MissingAttachment(link_id, insp_id, finding_id, name, sha,
                                         f"文件“{name}”大小不符（应为{size}字节，实为{actual}字节）"))
    return out


def _blob_uses() -> list[Exists]:
    """One EXISTS per column anywhere in the schema that references ``attachment_blobs.id``.

    Found from the metadata, so a table added later (hazard evidence, vouchers, policy scans, case
    evidence …) protects its blobs without anyone remembering to list it here.
    """
    blob_id = AttachmentBlob.__table__.c.id
    uses: list[Exists] = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is blob_id:
                uses.append(exists(select(fk.parent).where(fk.parent == blob_id)))
    return uses


def collect_garbage(db: Database, store: AttachmentStore, *,
                    older_than: timedelta = timedelta(days=1)) -> GarbageReport:
    """Delete blobs no link uses, then files no blob row names, and stale temp files.

    Only things older than ``older_than`` go: a save may be writing a young file's row right now, and
    reusing a stored file refreshes its mtime. Rows are deleted (and committed) before any file.
    """
    cutoff = now() - older_than
    with db.write() as session:
        unused = list(session.scalars(select(AttachmentBlob.sha256).where(
            ~or_(*_blob_uses()), AttachmentBlob.created_at < cutoff)))
        if unused:
            session.execute(delete(AttachmentBlob).where(AttachmentBlob.sha256.in_(unused)))
    with db.read() as session:
        known = set(session.scalars(select(AttachmentBlob.sha256)))
    removed = 0
    limit = cutoff.timestamp()
    for sha, path in store.stored_hashes().items():
        try:
            if sha not in known and path.stat().st_mtime < limit:
                path.unlink()
                for thumb in path.parent.glob(f"{path.name}.thumb*.jpg"):
                    thumb.unlink(missing_ok=True)
                removed += 1
        except OSError as err:
            log.warning("could not remove orphan attachment %s: %s", path, err)
    if store.root.is_dir():
        for tmp in [*store.root.glob(f"{_TMP_PREFIX}*"), *store.root.glob(f"*/{_TMP_PREFIX}*")]:
            try:
                if tmp.stat().st_mtime < limit:
                    tmp.unlink()
            except OSError:
                pass
    return GarbageReport(len(unused), removed)
