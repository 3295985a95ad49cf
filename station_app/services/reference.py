"""Reference data in the database: shipped rows copied in, admin edits audited, "恢复默认" restores.

The rules kernel reads its numbers from ``station_app.rules.refdata``; after start and after every
edit the rows stored here are installed there, so an edit takes effect at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.base import now
from station_app.db.database import Database
from station_app.errors import NotFound, ValidationError
from station_app.models import ReferenceRow
from station_app.rules import refdata
from station_app.services import audit
from station_app.services.context import Actor, require


def _dumps(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _shipped() -> dict[str, list[dict[str, Any]]]:
    return {name: list(ds.rows) for name, ds in refdata.shipped_datasets().items()}


def sync_shipped(session: Session) -> int:
    """Copy shipped rows in; follow a new shipped value unless the admin edited the row. Returns changes."""
    existing = {(r.dataset, r.key): r for r in session.scalars(select(ReferenceRow))}
    changes = 0
    for dataset, rows in _shipped().items():
        for row in rows:
            key = str(row["key"])
            text = _dumps(row)
            current = existing.get((dataset, key))
            if current is None:
                session.add(ReferenceRow(dataset=dataset, key=key, payload_json=text, shipped_json=text,
                                         source=str(row.get("source", ""))[:300],
                                         effective_from=_date(row.get("effective_from")),
                                         effective_to=_date(row.get("effective_to")), modified=False))
                changes += 1
            elif current.shipped_json != text:
                current.shipped_json = text
                if not current.modified:
                    _set_payload(current, row)
                changes += 1
    return changes


def _set_payload(r: ReferenceRow, row: dict[str, Any]) -> None:
    r.payload_json = _dumps(row)
    r.source = str(row.get("source", ""))[:300]
    r.effective_from = _date(row.get("effective_from"))
    r.effective_to = _date(row.get("effective_to"))


def stored_datasets(session: Session) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in session.scalars(select(ReferenceRow).order_by(ReferenceRow.dataset, ReferenceRow.id)):
        out.setdefault(r.dataset, []).append(json.loads(r.payload_json))
    return out


def load_into_rules(db: Database) -> None:
    """At start: make sure the shipped rows are in the database, then hand the stored rows to the rules."""
    with db.read() as s:
        needs_sync = _needs_sync(s)
    if needs_sync:
        with db.write() as s:
            sync_shipped(s)
    with db.read() as s:
        refdata.install(stored_datasets(s))


def _needs_sync(session: Session) -> bool:
    stored = {(r.dataset, r.key): r.shipped_json for r in session.scalars(select(ReferenceRow))}
    return any(stored.get((ds, str(row["key"]))) != _dumps(row)
               for ds, rows in _shipped().items() for row in rows)


@dataclass(frozen=True)
class RefRowInfo:
    id: int
    dataset: str
    key: str
    payload: dict[str, Any]
    shipped: dict[str, Any] | None
    modified: bool
    version: int


def _info(r: ReferenceRow) -> RefRowInfo:
    return RefRowInfo(r.id, r.dataset, r.key, json.loads(r.payload_json),
                      json.loads(r.shipped_json) if r.shipped_json else None, r.modified, r.version)


def dataset_titles() -> dict[str, str]:
    return {name: ds.title for name, ds in refdata.shipped_datasets().items()}


def list_rows(session: Session, dataset: str) -> list[RefRowInfo]:
    stmt = select(ReferenceRow).where(ReferenceRow.dataset == dataset).order_by(ReferenceRow.id)
    return [_info(r) for r in session.scalars(stmt)]


def _validated(dataset: str, row: dict[str, Any]) -> None:
    problems = refdata.validate_row(dataset, row)
    if problems:
        raise ValidationError({f"参考数据“{dataset}”": "；".join(problems)})


def edit_row(session: Session, actor: Actor, row_id: int, payload: dict[str, Any],
             expected_version: int | None = None) -> RefRowInfo:
    require(actor, "reference.edit")
    r = session.get(ReferenceRow, row_id)
    if r is None:
        raise NotFound("参考数据行不存在。")
    if expected_version is not None and r.version != expected_version:
        from station_app.errors import StaleRecord

        raise StaleRecord("该参考数据")
    payload = {**payload, "key": r.key}
    _validated(r.dataset, payload)
    before = json.loads(r.payload_json)
    _set_payload(r, payload)
    r.modified = r.shipped_json is None or _dumps(payload) != r.shipped_json
    r.updated_by, r.updated_at = actor.user_id, now()
    session.flush()
    audit.record(session, actor, "update", "reference", r.id, before=before, after=payload,
                 summary=f"修改参考数据 {r.dataset}/{r.key}")
    return _info(r)


def add_row(session: Session, actor: Actor, dataset: str, payload: dict[str, Any]) -> RefRowInfo:
    """A row the admin adds (e.g. next year's holiday schedule)."""
    require(actor, "reference.edit")
    key = str(payload.get("key") or "").strip()
    if not key:
        raise ValidationError({"键": "必填"})
    if session.scalar(select(ReferenceRow).where(ReferenceRow.dataset == dataset, ReferenceRow.key == key)):
        raise ValidationError({"键": f"“{key}”已存在"})
    _validated(dataset, payload)
    r = ReferenceRow(dataset=dataset, key=key, payload_json="{}", shipped_json=None, modified=True,
                     updated_by=actor.user_id, updated_at=now())
    _set_payload(r, payload)
    session.add(r)
    session.flush()
    audit.record(session, actor, "create", "reference", r.id, after=payload, summary=f"新增参考数据 {dataset}/{key}")
    return _info(r)


def restore_default(session: Session, actor: Actor, row_id: int) -> RefRowInfo:
    require(actor, "reference.edit")
    r = session.get(ReferenceRow, row_id)
    if r is None:
        raise NotFound("参考数据行不存在。")
    if r.shipped_json is None:
        raise ValidationError("该行为管理员新增，没有出厂默认值；如不需要可删除。")
    before = json.loads(r.payload_json)
    _set_payload(r, json.loads(r.shipped_json))
    r.modified = False
    r.updated_by, r.updated_at = actor.user_id, now()
    session.flush()
    audit.record(session, actor, "reset", "reference", r.id, before=before, after=json.loads(r.shipped_json),
                 summary=f"恢复默认 {r.dataset}/{r.key}")
    return _info(r)
