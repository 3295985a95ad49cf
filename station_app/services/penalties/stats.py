"""The figures in the 行政处罚 page header: cases in progress, opened and closed this year, fines decided
this year and what of them has been collected — one SQL aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.formatting import format_wan_yuan
from station_app.models import PenaltyCase
from station_app.services.penalties import stages as st


@dataclass(frozen=True)
class CaseStats:
    year: int
    active: int
    filed: int
    closed: int
    decided_fen: int
    collected_fen: int

    def text(self) -> str:
        return (f"办理中 {self.active} 件　{self.year}年立案 {self.filed} 件　结案 {self.closed} 件　"
                f"罚款决定 {format_wan_yuan(self.decided_fen)} 万元　已收缴 {format_wan_yuan(self.collected_fen)} 万元")


def case_stats(session: Session, year: int | None = None) -> CaseStats:
    """``filed`` by 立案日期, ``closed`` by 结案日期, fines by 决定日期 in ``year`` (default: this year);
    ``collected`` is what was paid of the fines decided that year (罚款, without 加处罚款)."""
    year = year or clock.today().year
    start, end = date(year, 1, 1), date(year, 12, 31)
    P = PenaltyCase

    def n(cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.count(P.id).filter(cond)

    fine = func.coalesce(P.decided_fine_fen, 0)
    fine_paid = case((P.paid_fen > fine, fine), else_=P.paid_fen)  # 加处罚款 is not 罚款
    decided = and_(P.decided_on >= start, P.decided_on <= end)
    row = session.execute(select(
        n(P.stage.in_(st.OPEN_STAGES)),
        n(and_(P.filed_on >= start, P.filed_on <= end)),
        n(and_(P.closed_on >= start, P.closed_on <= end)),
        func.coalesce(func.sum(P.decided_fine_fen).filter(decided), 0),
        func.coalesce(func.sum(fine_paid).filter(decided), 0),
    )).one()
    return CaseStats(year, int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]))
