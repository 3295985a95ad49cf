"""Stored 暂定 dates: how many there are, and their recomputation once a year's holidays are entered.

Every stored date the program computed over a year without holiday data carries a ``provisional``
flag beside it. Each kind of record that stores such a date is one :class:`StoredDeadlines` row of
:data:`KINDS` — what the date is, where its flag is, how to compute it again from what the record
keeps (its start day and rule) and how the clerk names the record. A registry to come adds its own
kind with one line there.

:func:`recompute_provisional` runs in the transaction that saved the year's arrangement: the rules
kernel is shown the calendar rows of that session while it recomputes, so nothing depends on the
order of commit and reload.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.models import Hazard
from station_app.models.document import DocumentHazard, IssuedDocument
from station_app.models.inspection import InspectionFinding
from station_app.models.penalty_case import CaseClock, CaseDocument
from station_app.rules import refdata
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.deadlines import Deadline, deadline_text, hazard_deadline, step_deadline

__all__ = ["KINDS", "MovedDeadline", "StoredDeadlines", "provisional_count", "recompute_provisional",
           "refresh_records"]


@dataclass(frozen=True)
class MovedDeadline:
    """A stored provisional date after recomputation (``new_day`` may equal ``old_day``: 暂定 dropped)."""

    #: what the clerk recognises: "隐患 YH2026-000123 整改期限", "案件 CF2026-0007 陈述申辩期限"
    record: str
    old_day: date
    new_day: date
    #: "hazard" / "finding" / "document" / "case_clock" …
    kind: str
    record_id: int
    #: still provisional (the period reaches a further unknown year)
    still_provisional: bool = False


@dataclass(frozen=True)
class StoredDeadlines:
    """One kind of record that stores a computed date and its 暂定 flag."""

    kind: str
    model: type[Any]
    #: attribute names of the date and of its flag on ``model``
    day_attr: str
    flag_attr: str
    #: the date again, from what the record keeps (start day and rule)
    recompute: Callable[[Session, Any], Deadline]
    #: "隐患 YH2026-000123 整改期限"
    label: Callable[[Any], str]
    #: audit entity type and id the change is logged under
    audit_entity: str
    audit_id: Callable[[Any], int]
    #: copies the new day where the record mirrors it (e.g. a case's 办案期限)
    mirror: Callable[[Any, date, date], None] | None = None


# --------------------------------------------------------------------------- the kinds

def _hazard_again(_session: Session, h: Hazard) -> Deadline:
    return hazard_deadline(h.level, h.found_on)


def _hazard_mirror(h: Hazard, old: date, new: date) -> None:
    if h.first_deadline == old:
        h.first_deadline = new


def _finding_again(_session: Session, f: InspectionFinding) -> Deadline:
    return hazard_deadline(f.level, f.inspection.inspected_at.date())


#: a case document whose 期限 is the last day of a clock of its case
DOCUMENT_CLOCKS: dict[str, str] = {"行政处罚事先告知书": "statement_defense", "行政处罚听证告知书": "hearing_request"}


def _document_again(session: Session, d: IssuedDocument) -> Deadline:
    """A document's 期限 follows what it was taken from — the latest deadline of its hazards, or its
    case's clock — both recomputed before it in KINDS. The issued file itself never changes."""
    rows = session.execute(select(Hazard.deadline, Hazard.deadline_provisional)
                           .join(DocumentHazard, DocumentHazard.hazard_id == Hazard.id)
                           .where(DocumentHazard.document_id == d.id)).all()
    if not rows:
        step = DOCUMENT_CLOCKS.get(d.doc_type)
        rows = session.execute(select(CaseClock.deadline, CaseClock.provisional)
                               .join(CaseDocument, CaseDocument.case_id == CaseClock.case_id)
                               .where(CaseDocument.document_id == d.id, CaseClock.step == step)).all()
    if not rows or d.deadline is None:  # nothing to follow: left as it is
        return Deadline(d.deadline or d.issue_date, True)
    last = max(day for day, _ in rows)
    return Deadline(last, any(flag for day, flag in rows if day == last))


def _clock_again(_session: Session, c: CaseClock) -> Deadline:
    return step_deadline(c.step, c.start)


def _clock_mirror(c: CaseClock, old: date, new: date) -> None:
    case = c.case
    if c.step == "decision" and not case.extended_by_name and case.case_deadline == old:
        case.case_deadline = new
    if c.step == "fine_payment" and case.payment_due == old:
        case.payment_due = new


#: every kind of stored computed date; order matters where one follows another (documents last)
KINDS: tuple[StoredDeadlines, ...] = (
    StoredDeadlines("hazard", Hazard, "deadline", "deadline_provisional", _hazard_again,
                    lambda h: f"隐患 {h.code} 整改期限", "hazard", lambda h: h.id, _hazard_mirror),
    StoredDeadlines("finding", InspectionFinding, "deadline", "deadline_provisional", _finding_again,
                    lambda f: f"监督检查问题 {f.description[:20]} 整改期限", "inspection",
                    lambda f: f.inspection_id),
    StoredDeadlines("case_clock", CaseClock, "deadline", "provisional", _clock_again,
                    lambda c: f"案件 {c.case.code} {c.label}", "penalty_case", lambda c: c.case_id, _clock_mirror),
    StoredDeadlines("document", IssuedDocument, "deadline", "deadline_provisional", _document_again,
                    lambda d: f"执法文书 {d.number} 期限", "document", lambda d: d.id),
)


# --------------------------------------------------------------------------- counting and recomputing

def _reaching(kind: StoredDeadlines, year: int | None) -> list[Any]:
    """SQL conditions: flagged, and (with ``year``) the date lies in that year or later."""
    flag, day = getattr(kind.model, kind.flag_attr), getattr(kind.model, kind.day_attr)
    conditions = [flag.is_(True)]
    if year is not None:
        conditions.append(day >= date(year, 1, 1))
    return conditions


def provisional_count(session: Session, year: int | None = None) -> int:
    """How many stored dates are provisional (those reaching ``year``, or all)."""
    return sum(session.scalar(select(func.count()).select_from(k.model).where(*_reaching(k, year))) or 0
               for k in KINDS)


@contextmanager
def _calendar_of(session: Session) -> Iterator[None]:
    """The rules kernel sees this session's ``calendar_years`` rows (saved, maybe not yet committed)."""
    from station_app.services.reference import stored_datasets

    before = refdata.rows("calendar_years")
    refdata.install({"calendar_years": stored_datasets(session).get("calendar_years", [])})
    try:
        yield
    finally:
        refdata.install({"calendar_years": before})


def recompute_provisional(session: Session, actor: Actor, year: int) -> list[MovedDeadline]:
    """After ``year``'s arrangement was saved (same transaction): recompute every stored provisional
    date that assumed ``year``; drop 暂定 where now exact; one audit row per changed record."""
    require(actor, "reference.edit")
    session.flush()
    moved: list[MovedDeadline] = []
    with _calendar_of(session):
        for kind in KINDS:
            for record in session.scalars(select(kind.model).where(*_reaching(kind, year))
                                          .order_by(kind.model.id)):
                moved.extend(_recompute_one(session, actor, kind, record))
            session.flush()
    return moved


def refresh_records(session: Session, actor: Actor, kind: str, records: list[Any]) -> list[MovedDeadline]:
    """Recompute the given provisional records of ``kind`` with the calendar as the rules know it now
    (a record whose years are still unknown stays as it is)."""
    spec = next(k for k in KINDS if k.kind == kind)
    return [m for record in records for m in _recompute_one(session, actor, spec, record)]


def _recompute_one(session: Session, actor: Actor, kind: StoredDeadlines, record: Any) -> list[MovedDeadline]:
    old: date = getattr(record, kind.day_attr)
    again = kind.recompute(session, record)
    if again.day == old and again.provisional:
        return []
    setattr(record, kind.day_attr, again.day)
    setattr(record, kind.flag_attr, again.provisional)
    if kind.mirror is not None:
        kind.mirror(record, old, again.day)
    label = kind.label(record)
    audit.record(session, actor, "update", kind.audit_entity, kind.audit_id(record),
                 before={"record": label, "deadline": old, "provisional": True},
                 after={"record": label, "deadline": again.day, "provisional": again.provisional},
                 summary=f"节假日安排录入后重算{label}：{deadline_text(old, True)} → "
                         f"{deadline_text(again.day, again.provisional)}")
    return [MovedDeadline(label, old, again.day, kind.kind, record.id, again.provisional)]
