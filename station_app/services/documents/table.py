"""The 执法文书 list (SQL-side filters, search and sort) and the choices the issue dialog offers.

Filters (``ListQuery.filters``): ``doc_type``; ``year``; ``status`` (已签发/已作废); ``project_id``;
``date_from`` / ``date_to`` (issue date, both inclusive); ``inspection_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from station_app.formatting import chinese_datetime
from station_app.models import (
    AttachmentBlob,
    DocumentHazard,
    Hazard,
    HazardAttachment,
    Inspection,
    InspectionAttachment,
    IssuedDocument,
    Project,
)
from station_app.services.deadlines import Deadline, mark_column, stored_deadline
from station_app.services.documents.context import evidence_code
from station_app.services.listing import Column, ListSpec


def _base() -> Select[Any]:
    return select(IssuedDocument).outerjoin(Project, Project.id == IssuedDocument.project_id)


DOCUMENT_LIST = ListSpec(
    columns=(
        Column("number", "文号", IssuedDocument.number, 190),
        Column("doc_type", "文书类型", IssuedDocument.doc_type, 150),
        Column("issue_date", "签发日期", IssuedDocument.issue_date, 90, "date"),
        Column("project", "工程名称", Project.name, 220),
        Column("addressee", "受文单位/当事人", IssuedDocument.addressee, 200),
        Column("signer", "签发人", IssuedDocument.signer_name, 70),
        Column("deadline", "期限", IssuedDocument.deadline, 90, "date"),
        mark_column(IssuedDocument.deadline_provisional, "deadline"),
        Column("status", "状态", IssuedDocument.status, 60),
        Column("void_reason", "作废原因", IssuedDocument.void_reason, 200),
    ),
    base=_base,
    id_expr=IssuedDocument.id,
    search_expr=IssuedDocument.search_key,
    filters={
        "doc_type": lambda s, v: s.where(IssuedDocument.doc_type == v),
        "year": lambda s, v: s.where(IssuedDocument.year == int(v)),
        "status": lambda s, v: s.where(IssuedDocument.status == v),
        "project_id": lambda s, v: s.where(IssuedDocument.project_id == v),
        "inspection_id": lambda s, v: s.where(IssuedDocument.inspection_id == v),
        "date_from": lambda s, v: s.where(IssuedDocument.issue_date >= v),
        "date_to": lambda s, v: s.where(IssuedDocument.issue_date <= v),
    },
    default_sort=(IssuedDocument.issue_date.desc(), IssuedDocument.doc_type, IssuedDocument.serial.desc()),
)


def document_years(session: Session) -> list[int]:
    return list(session.scalars(select(IssuedDocument.year).distinct().order_by(IssuedDocument.year.desc())))


@dataclass(frozen=True)
class InspectionChoice:
    id: int
    label: str


@dataclass(frozen=True)
class HazardChoice:
    id: int
    code: str
    description: str
    level: str
    deadline: date
    state: str
    deadline_provisional: bool = False

    @property
    def deadline_info(self) -> Deadline:
        """The 整改期限 with its 暂定 mark and reason."""
        return stored_deadline(self.deadline, self.deadline_provisional)


@dataclass(frozen=True)
class EvidenceChoice:
    blob_id: int
    code: str
    sha_prefix: str
    label: str
    is_image: bool


def project_inspections(session: Session, project_id: int, limit: int = 30) -> list[InspectionChoice]:
    rows = session.execute(select(Inspection.id, Inspection.inspected_at, Inspection.kind, Inspection.inspector_names,
                                  Inspection.finding_count)
                           .where(Inspection.project_id == project_id)
                           .order_by(Inspection.inspected_at.desc()).limit(limit))
    return [InspectionChoice(i, f"{chinese_datetime(at)} {kind} {names}（问题{n}项）")
            for i, at, kind, names, n in rows]


def inspection_project(session: Session, inspection_id: int) -> tuple[int, str] | None:
    row = session.execute(select(Project.id, Project.name).join(Inspection, Inspection.project_id == Project.id)
                          .where(Inspection.id == inspection_id)).first()
    return (row[0], row[1]) if row else None


def hazard_choices(session: Session, *, inspection_id: int | None = None, project_id: int | None = None,
                   open_only: bool = False) -> list[HazardChoice]:
    """The inspection's hazards (or the project's), with their concrete deadlines."""
    stmt = select(Hazard.id, Hazard.code, Hazard.description, Hazard.level, Hazard.deadline, Hazard.state,
                  Hazard.deadline_provisional)
    if inspection_id is not None:
        stmt = stmt.where(Hazard.inspection_id == inspection_id)
    elif project_id is not None:
        stmt = stmt.where(Hazard.project_id == project_id)
    else:
        return []
    if open_only:
        stmt = stmt.where(Hazard.state.notin_(("已销号", "已撤销")))
    return [HazardChoice(*r) for r in session.execute(stmt.order_by(Hazard.found_on, Hazard.id))]


def evidence_choices(session: Session, *, inspection_id: int | None = None,
                     hazard_ids: tuple[int, ...] = ()) -> list[EvidenceChoice]:
    """Files attached to the inspection and to the chosen hazards, each once."""
    seen: dict[int, EvidenceChoice] = {}
    if inspection_id is not None:
        for blob_id, sha, mime, name, caption in session.execute(
                select(AttachmentBlob.id, AttachmentBlob.sha256, AttachmentBlob.mime,
                       InspectionAttachment.original_name, InspectionAttachment.caption)
                .join(InspectionAttachment, InspectionAttachment.blob_id == AttachmentBlob.id)
                .where(InspectionAttachment.inspection_id == inspection_id).order_by(InspectionAttachment.id)):
            seen.setdefault(blob_id, EvidenceChoice(blob_id, evidence_code(blob_id), sha[:12],
                                                    caption or name, mime.startswith("image/")))
    if hazard_ids:
        for blob_id, sha, mime, kind, name in session.execute(
                select(AttachmentBlob.id, AttachmentBlob.sha256, AttachmentBlob.mime, HazardAttachment.kind,
                       HazardAttachment.file_name)
                .join(HazardAttachment, HazardAttachment.blob_id == AttachmentBlob.id)
                .where(HazardAttachment.hazard_id.in_(list(hazard_ids))).order_by(HazardAttachment.id)):
            seen.setdefault(blob_id, EvidenceChoice(blob_id, evidence_code(blob_id), sha[:12],
                                                    f"{kind} {name}".strip(), mime.startswith("image/")))
    return list(seen.values())


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    doc_type: str
    number: str
    status: str
    issue_date: date
    project_name: str
    addressee: str
    signer_name: str
    sha256: str
    file_name: str
    template_source: str
    void_reason: str
    voided_by_name: str
    voided_at: Any
    issued_by_name: str


def document_info(session: Session, document_id: int) -> DocumentInfo | None:
    row = session.execute(
        select(IssuedDocument.id, IssuedDocument.doc_type, IssuedDocument.number, IssuedDocument.status,
               IssuedDocument.issue_date, Project.name, IssuedDocument.addressee, IssuedDocument.signer_name,
               IssuedDocument.sha256, IssuedDocument.file_name, IssuedDocument.template_source,
               IssuedDocument.void_reason, IssuedDocument.voided_by_name, IssuedDocument.voided_at,
               IssuedDocument.issued_by_name)
        .outerjoin(Project, Project.id == IssuedDocument.project_id).where(IssuedDocument.id == document_id)).first()
    if row is None:
        return None
    values = list(row)
    values[5] = values[5] or ""
    return DocumentInfo(*values)


def form_prefill(session: Session, document_id: int) -> tuple[int | None, tuple[int, ...], str] | None:
    """Project, listed hazards and number of an issued notice, to pre-fill the contractor's reply forms."""
    row = session.execute(select(IssuedDocument.project_id, IssuedDocument.number)
                          .where(IssuedDocument.id == document_id)).first()
    if row is None:
        return None
    hazards = tuple(session.scalars(select(DocumentHazard.hazard_id).where(DocumentHazard.document_id == document_id)
                                    .order_by(DocumentHazard.seq)))
    return row[0], hazards, row[1]
