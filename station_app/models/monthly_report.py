"""The report pack of one period for the city bureau (月报, and the quarterly/annual summaries).

One ``MonthlyReport`` row per period (``period_key`` "2026-10", "2026-Q3" or "2026"): the free-text
sections the clerk types (工作开展情况, 存在问题, 下月计划, a note under 主要数据), the signer, and —
once the 站长 signs it off — the frozen figures (JSON) and the two files exactly as signed
(``MonthlyReportFile``: bytes + SHA-256), so a later regeneration can be compared instead of
overwriting what went to the bureau. A signed period is never edited again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.db.base import Base, LocalDateTime, TimestampMixin, VersionedMixin


class ReportKind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class ReportStatus:
    DRAFT = "草稿"
    SIGNED = "已签发"


class MonthlyReport(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "monthly_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: "2026-10" (month), "2026-Q3" (quarter) or "2026" (year)
    period_key: Mapped[str] = mapped_column(String(10), unique=True)
    kind: Mapped[str] = mapped_column(String(8), default=ReportKind.MONTH)
    year: Mapped[int] = mapped_column(Integer)
    #: month 1–12, quarter 1–4, or 0 for a year
    number: Mapped[int] = mapped_column(Integer, default=0)

    work_summary: Mapped[str] = mapped_column(Text, default="")
    data_note: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_plan: Mapped[str] = mapped_column(Text, default="")
    signer_name: Mapped[str] = mapped_column(String(50), default="")

    status: Mapped[str] = mapped_column(String(4), default=ReportStatus.DRAFT)
    signed_at: Mapped[datetime | None] = mapped_column(LocalDateTime, nullable=True)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    signed_by_name: Mapped[str] = mapped_column(String(50), default="")
    #: the figures as signed: {"figures": {key: {"month": v, "ytd": v, ...}}, "checks": [...]}
    figures_json: Mapped[str | None] = mapped_column(Text, nullable=True, deferred=True)
    #: cross-check findings the signer acknowledged (JSON list of titles)
    acknowledged_json: Mapped[str] = mapped_column(Text, default="[]")
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    files: Mapped[list[MonthlyReportFile]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="MonthlyReportFile.id")


class MonthlyReportFile(Base):
    """One file of a signed pack (the .xlsx or the .docx), byte for byte as signed."""

    __tablename__ = "monthly_report_files"
    __table_args__ = (UniqueConstraint("report_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_reports.id", ondelete="CASCADE"), index=True)
    #: "xlsx" or "docx"
    kind: Mapped[str] = mapped_column(String(4))
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    template_sha256: Mapped[str] = mapped_column(String(64), default="")
    template_source: Mapped[str] = mapped_column(String(10), default="内置")

    report: Mapped[MonthlyReport] = relationship(back_populates="files")
