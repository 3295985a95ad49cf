"""Enforcement documents (执法文书) the station issued: numbered, rendered, stored, locked.

An ``IssuedDocument`` keeps the rendered .docx bytes, their SHA-256, the context it was rendered from
and the SHA-256 of the template used, so a reprint gives the same file and a 复议 can see exactly what
was printed. The row is never edited after issue: a correction is 作废 (void: reason, who, when —
the stored file stays as it was, the number is never reused) plus a new document.

``DocumentSerial`` is the per (type, year) counter that hands out gapless numbers inside the issuing
transaction (a row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.db.base import Base, LocalDateTime, TimestampMixin, VersionedMixin


class DocumentStatus(StrEnum):
    ISSUED = "已签发"
    VOID = "已作废"


class IssuedDocument(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "issued_documents"
    __table_args__ = (
        UniqueConstraint("doc_type", "year", "serial"),
        Index("ix_issued_documents_issue_date", "issue_date"),
        Index("ix_issued_documents_type_year", "doc_type", "year"),
        Index("ix_issued_documents_project", "project_id"),
        Index("ix_issued_documents_inspection", "inspection_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(30))
    #: the number as printed, e.g. 东建安监改〔2026〕第012号
    number: Mapped[str] = mapped_column(String(80), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(4), default=DocumentStatus.ISSUED.value)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), nullable=True)
    inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id", ondelete="SET NULL"), nullable=True)
    addressee: Mapped[str] = mapped_column(String(200), default="")
    signer_name: Mapped[str] = mapped_column(String(50))
    issue_date: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: the deadline came from a provisional (暂定) hazard deadline; printed with （暂定）
    deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    issued_by_name: Mapped[str] = mapped_column(String(50), default="")

    #: the rendered .docx exactly as issued, its SHA-256 and size; the file name offered on save
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(200))
    #: the context (JSON) the file was rendered from, the template's SHA-256 and where it came from
    context_json: Mapped[str] = mapped_column(Text, deferred=True)
    template_sha256: Mapped[str] = mapped_column(String(64))
    template_source: Mapped[str] = mapped_column(String(10), default="内置")

    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    voided_by_name: Mapped[str] = mapped_column(String(50), default="")
    voided_at: Mapped[datetime | None] = mapped_column(LocalDateTime, nullable=True)
    search_key: Mapped[str] = mapped_column(Text, default="")

    hazards: Mapped[list[DocumentHazard]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentHazard.seq")
    evidence: Mapped[list[DocumentEvidence]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentEvidence.seq")


class DocumentHazard(Base):
    """A hazard listed on a document (in the order printed)."""

    __tablename__ = "document_hazards"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("issued_documents.id", ondelete="CASCADE"), primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id"), primary_key=True, index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped[IssuedDocument] = relationship(back_populates="hazards")


class DocumentEvidence(Base):
    """A stored file cited on a document, with the short evidence ID and hash prefix printed on it."""

    __tablename__ = "document_evidence"
    __table_args__ = (UniqueConstraint("document_id", "blob_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("issued_documents.id", ondelete="CASCADE"), index=True)
    blob_id: Mapped[int] = mapped_column(ForeignKey("attachment_blobs.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    #: e.g. ZJ000123 — the blob's stable evidence ID (the same photo has the same ID everywhere)
    evidence_code: Mapped[str] = mapped_column(String(20))
    sha256_prefix: Mapped[str] = mapped_column(String(16))
    caption: Mapped[str] = mapped_column(String(200), default="")

    document: Mapped[IssuedDocument] = relationship(back_populates="evidence")


class DocumentSerial(Base):
    """The last serial handed out per document type and year (serials restart at 1 each year)."""

    __tablename__ = "document_serials"

    doc_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)
