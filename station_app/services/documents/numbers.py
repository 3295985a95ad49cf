"""Gapless document numbers: one counter row per (document type, year), bumped inside the issuing transaction.

``UPDATE … SET last_serial = last_serial + 1 … RETURNING`` takes the row lock on PostgreSQL, so a second
clerk issuing the same type waits until the first one commits or rolls back — the number is never skipped
(a rollback undoes the bump) and never handed out twice. SQLite's BEGIN IMMEDIATE already serialises
writers. The first number of a year inserts the row (a concurrent insert is retried as an update).
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station_app.errors import ValidationError
from station_app.models import DocumentSerial, Station
from station_app.rules import documents as doc_rules
from station_app.rules.errors import RuleInputError


def _bump(session: Session, doc_type: str, year: int) -> int | None:
    stmt = (update(DocumentSerial)
            .where(DocumentSerial.doc_type == doc_type, DocumentSerial.year == year)
            .values(last_serial=DocumentSerial.last_serial + 1)
            .returning(DocumentSerial.last_serial))
    return session.execute(stmt, execution_options={"synchronize_session": False}).scalar_one_or_none()


def take_serial(session: Session, doc_type: str, year: int) -> int:
    """The next serial of ``doc_type`` in ``year`` (1, 2, 3 …), reserved in the caller's transaction."""
    serial = _bump(session, doc_type, year)
    if serial is not None:
        return serial
    try:
        with session.begin_nested():
            session.execute(insert(DocumentSerial).values(doc_type=doc_type, year=year, last_serial=1))
        return 1
    except IntegrityError:  # another clerk inserted the year's row first: take the next one after it
        serial = _bump(session, doc_type, year)
        assert serial is not None
        return serial


def peek_serial(session: Session, doc_type: str, year: int) -> int:
    """The serial the next issue would get (for display only; not reserved)."""
    last = session.scalar(select(DocumentSerial.last_serial).where(
        DocumentSerial.doc_type == doc_type, DocumentSerial.year == year))
    return (last or 0) + 1


def station_short(session: Session) -> str:
    row = session.execute(select(Station.short_name, Station.county).limit(1)).first()
    if row is None:
        return ""
    return row[0] or (row[1] or "")[:1]


def check_pattern(doc_type: str) -> None:
    """The type's number pattern must be usable (it contains {serial}); a Chinese message otherwise."""
    try:
        doc_rules.format_document_number(doc_type, 2000, 1)
    except RuleInputError as err:
        raise ValidationError({"编号格式": f"文书类型“{doc_type}”的编号规则有误：{err}"}) from None


def format_number(session: Session, doc_type: str, year: int, serial: int) -> str:
    try:
        return doc_rules.format_document_number(doc_type, year, serial, station_short=station_short(session))
    except RuleInputError as err:
        raise ValidationError({"编号格式": f"文书类型“{doc_type}”的编号规则有误：{err}"}) from None
