"""Drafts of open forms, so nothing typed is lost when the app closes or crashes.

The UI saves the whole form on every change (:meth:`DraftStore.save`), loads it when the form opens
again (:meth:`DraftStore.load`) and discards it after a successful save. One JSON file per user and
form under ``DataDir.drafts``: ``<user>/<form>.json``, written to a temp name, flushed and fsynced,
then ``os.replace``d, so a crash mid-write leaves the previous draft, never half a file.

Dates, datetimes, decimals and paths survive the round trip (tagged in the JSON); dataclasses are
saved as dicts (tuples become lists) — :func:`station_app.services.inspections.records.inspection_from_dict`
turns an inspection draft back into an ``InspectionData``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import uuid
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

from station_app.db.base import now
from station_app.paths import DataDir

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
_SAFE = re.compile(r"[^0-9A-Za-z_.\-\u4e00-\u9fff]")


@dataclass(frozen=True)
class Draft:
    form: str
    saved_at: datetime
    payload: dict[str, Any]


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            (tag, raw), = value.items()
            if tag == "$datetime":
                return datetime.fromisoformat(raw)
            if tag == "$date":
                return date.fromisoformat(raw)
            if tag == "$decimal":
                return Decimal(raw)
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _safe(part: str) -> str:
    cleaned = _SAFE.sub("_", part.strip())[:80].strip(".")
    return cleaned or "_"


class DraftStore:
    """Drafts of one data directory, keyed by username and form ("inspection-new", "inspection-42")."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @classmethod
    def of(cls, data_dir: DataDir) -> DraftStore:
        return cls(data_dir.drafts)

    def path(self, username: str, form: str) -> Path:
        return self.root / _safe(username) / f"{_safe(form)}.json"

    def save(self, username: str, form: str, payload: Mapping[str, Any] | Any) -> datetime:
        """Replace the draft of ``form`` with ``payload`` (a dict or a dataclass). Returns when saved."""
        saved_at = now()
        doc = {"format": FORMAT_VERSION, "form": form, "saved_at": saved_at.isoformat(),
               "payload": _encode(payload)}
        target = self.path(username, form)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".tmp-{uuid.uuid4().hex}")
        try:
            with tmp.open("w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return saved_at

    def load(self, username: str, form: str) -> Draft | None:
        """The saved draft, or None. A damaged file is set aside (``*.corrupt``) instead of raising."""
        target = self.path(username, form)
        try:
            text = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as err:
            log.warning("draft %s unreadable: %s", target, err)
            return None
        try:
            doc = json.loads(text)
            return Draft(str(doc["form"]), datetime.fromisoformat(doc["saved_at"]), _decode(doc["payload"]))
        except (ValueError, KeyError, TypeError) as err:
            log.warning("draft %s damaged, set aside: %s", target, err)
            with suppress(OSError):
                os.replace(target, target.with_suffix(f".corrupt-{uuid.uuid4().hex[:8]}"))
            return None

    def discard(self, username: str, form: str) -> None:
        self.path(username, form).unlink(missing_ok=True)

    def forms(self, username: str) -> list[str]:
        """Forms with a draft for ``username`` (to offer "继续上次未保存的录入" at start), newest first."""
        folder = self.root / _safe(username)
        if not folder.is_dir():
            return []
        files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        out = []
        for f in files:
            d = self.load(username, f.stem)
            if d is not None:
                out.append(d.form)
        return out
