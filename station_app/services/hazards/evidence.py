"""Evidence on a hazard (photos, rectification reports, review photos) and its history.

Files are the content-addressed blobs of :mod:`station_app.services.attachments`: copied in before
the database is touched, then linked to the hazard and to the event that produced them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.errors import NotFound
from station_app.models import AttachmentBlob, Hazard, HazardAttachment, HazardEvent, Inspection
from station_app.services.attachments import StoredFile

#: kinds of evidence, as shown
KINDS = ("隐患照片", "整改报告", "整改照片", "复查照片", "其他")


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    event_id: int | None
    kind: str
    file_name: str
    sha256: str
    mime: str
    size: int

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


@dataclass(frozen=True)
class InspectionRef:
    """An inspection as a hazard step names it: the re-inspection (复查检查) a review came from."""

    id: int
    inspected_at: datetime
    kind: str
    inspector_names: str


@dataclass(frozen=True)
class HazardEventInfo:
    id: int
    action: str
    from_state: str
    to_state: str
    on_date: date
    at: datetime
    actor_name: str
    comment: str
    new_deadline: date | None
    inspection_id: int | None
    attachments: tuple[EvidenceInfo, ...]
    #: the linked inspection (None: none linked, or it was deleted)
    inspection: InspectionRef | None = None


def _blob_for(session: Session, stored: StoredFile) -> AttachmentBlob:
    blob = session.scalar(select(AttachmentBlob).where(AttachmentBlob.sha256 == stored.sha256))
    if blob is None:
        blob = AttachmentBlob(sha256=stored.sha256, size=stored.size, mime=stored.mime, width=stored.width,
                              height=stored.height, taken_at=stored.taken_at)
        session.add(blob)
        session.flush()
    return blob


def kind_for(stored: StoredFile, default_photo: str, default_doc: str) -> str:
    return default_photo if stored.mime.startswith("image/") else default_doc


def attach_evidence(session: Session, h: Hazard, event: HazardEvent | None, files: Sequence[StoredFile], *,
                    kind: str, doc_kind: str | None = None) -> None:
    """Link stored files to the hazard and the event (images get ``kind``, other files ``doc_kind``)."""
    seen: set[int] = set()
    for stored in files:
        blob = _blob_for(session, stored)
        if blob.id in seen:
            continue
        seen.add(blob.id)
        session.add(HazardAttachment(hazard_id=h.id, event_id=event.id if event else None, blob_id=blob.id,
                                     kind=kind_for(stored, kind, doc_kind or kind),
                                     file_name=stored.original_name[:200]))
    session.flush()


def _evidence(row: HazardAttachment, blob: AttachmentBlob) -> EvidenceInfo:
    return EvidenceInfo(row.id, row.event_id, row.kind, row.file_name, blob.sha256, blob.mime, blob.size)


def evidence_of(session: Session, hazard_id: int) -> list[EvidenceInfo]:
    rows = session.execute(select(HazardAttachment, AttachmentBlob)
                           .join(AttachmentBlob, AttachmentBlob.id == HazardAttachment.blob_id)
                           .where(HazardAttachment.hazard_id == hazard_id).order_by(HazardAttachment.id))
    return [_evidence(a, b) for a, b in rows]


def history(session: Session, hazard_id: int) -> list[HazardEventInfo]:
    """Every step of the hazard, oldest first, each with the files it brought."""
    if session.get(Hazard, hazard_id) is None:
        raise NotFound("隐患记录不存在。")
    files: dict[int | None, list[EvidenceInfo]] = {}
    for e in evidence_of(session, hazard_id):
        files.setdefault(e.event_id, []).append(e)
    events = list(session.scalars(select(HazardEvent).where(HazardEvent.hazard_id == hazard_id)
                                  .order_by(HazardEvent.id)))
    refs = inspection_refs(session, {ev.inspection_id for ev in events if ev.inspection_id is not None})
    return [HazardEventInfo(ev.id, ev.action, ev.from_state, ev.to_state, ev.on_date, ev.at, ev.actor_name,
                            ev.comment, ev.new_deadline, ev.inspection_id, tuple(files.get(ev.id, ())),
                            refs.get(ev.inspection_id) if ev.inspection_id is not None else None)
            for ev in events]


_REF_COLUMNS = (Inspection.id, Inspection.inspected_at, Inspection.kind, Inspection.inspector_names)


def inspection_refs(session: Session, ids: Collection[int]) -> dict[int, InspectionRef]:
    if not ids:
        return {}
    rows = session.execute(select(*_REF_COLUMNS).where(Inspection.id.in_(list(ids))))
    return {r[0]: InspectionRef(*r) for r in rows}


def review_inspections(session: Session, hazard_id: int, *, limit: int = 200) -> list[InspectionRef]:
    """The inspections a 复查 of the hazard can name: its project's, on or after the day it was found,
    latest first (at most ``limit``)."""
    h = session.get(Hazard, hazard_id)
    if h is None:
        raise NotFound("隐患记录不存在。")
    rows = session.execute(select(*_REF_COLUMNS)
                           .where(Inspection.project_id == h.project_id,
                                  Inspection.inspected_at >= datetime.combine(h.found_on, time.min))
                           .order_by(Inspection.inspected_at.desc(), Inspection.id.desc()).limit(limit))
    return [InspectionRef(*r) for r in rows]
