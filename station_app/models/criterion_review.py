"""待复核: a stored judgement whose 重大事故隐患判定标准 item a correction of the reference data could not
re-map on its own (migration 0011: the first 2024 rows were copies of the 2022 items). The record keeps
its old code until the chief picks the right item; the row then records who confirmed which item."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from station_app.db.base import Base, LocalDateTime, now


class CriterionRemapReview(Base):
    __tablename__ = "criterion_remap_reviews"
    __table_args__ = (UniqueConstraint("record_kind", "record_id", "old_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: "hazard" (hazards.id) or "finding" (inspection_findings.id)
    record_kind: Mapped[str] = mapped_column(String(10))
    record_id: Mapped[int] = mapped_column(Integer)
    old_code: Mapped[str] = mapped_column(String(40))
    #: the item's wording when the record was judged (the code now names another item, or none)
    old_text: Mapped[str] = mapped_column(Text)
    #: the closest item of the corrected edition, offered first; None when nothing comes close
    suggested_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: why it was not re-mapped automatically (shown to the chief)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(LocalDateTime, default=now)
    chosen_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(LocalDateTime, nullable=True)
