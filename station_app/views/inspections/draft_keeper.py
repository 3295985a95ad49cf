"""Keeps a form's draft on disk: written ~1 s after the last change, off the UI thread, newest wins.

Writes are numbered; a write older than the one already on disk is skipped, so a slow background
write can never put back older content, nor a draft the form has just discarded after saving.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from station_app.services.drafts import DraftStore
from station_app.services.inspections.forms import InspectionData, inspection_from_dict
from station_app.views.tasks import Cancelled, Progress, TaskRunner

log = logging.getLogger(__name__)

DELAY_MS = 1000


@dataclass(frozen=True)
class InspectionDraft:
    data: InspectionData
    extra: dict[str, Any]
    saved_at: datetime


def form_key(inspection_id: int | None) -> str:
    return f"inspection-{inspection_id}" if inspection_id else "inspection-new"


def load_inspection_draft(store: DraftStore, username: str, inspection_id: int | None) -> InspectionDraft | None:
    """The draft of the form for ``inspection_id`` (None: a new one), or None (a damaged one is set aside)."""
    draft = store.load(username, form_key(inspection_id))
    if draft is None:
        return None
    try:
        data = inspection_from_dict(dict(draft.payload["inspection"]))
    except (KeyError, TypeError, ValueError) as err:
        log.warning("inspection draft unusable, discarded: %s", err)
        store.discard(username, form_key(inspection_id))
        return None
    return InspectionDraft(data, dict(draft.payload.get("extra") or {}), draft.saved_at)


class DraftKeeper(QObject):
    #: a draft was written (the time, for the status line)
    saved = Signal(object)

    def __init__(self, store: DraftStore, username: str, key: str, runner: TaskRunner,
                 payload: Callable[[], dict[str, Any]], parent: QObject | None = None,
                 delay_ms: int = DELAY_MS) -> None:
        super().__init__(parent)
        self._store, self._user, self._key = store, username, key
        self._runner = runner
        self._payload = payload
        self._lock = threading.Lock()
        self._issued = 0  # number of the latest write asked for
        self._written = 0  # number of the latest write on disk (or discarded)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._write_soon)
        self.finished = False
        app = QCoreApplication.instance()
        if app is not None:  # quitting with the form open: the last second of typing is kept too
            app.aboutToQuit.connect(self._flush_if_pending)

    def schedule(self) -> None:
        if not self.finished:
            self._timer.start()

    def pending(self) -> bool:
        return self._timer.isActive()

    def _write(self, number: int, payload: dict[str, Any]) -> datetime | None:
        with self._lock:
            if number <= self._written:
                return None
            at = self._store.save(self._user, self._key, payload)
            self._written = number
            return at

    def _write_soon(self) -> None:
        """Off the UI thread (the payload is taken here, on it)."""
        if self.finished:
            return
        self._issued += 1
        number, payload = self._issued, self._payload()

        def job(_progress: Progress, _cancelled: Cancelled) -> datetime | None:
            return self._write(number, payload)

        self._runner.run(job, title="保存草稿", on_success=self._written_ok, on_failure=self._failed,
                         show_after_ms=-1)

    def flush(self) -> None:
        """Write now, on this thread (the form is closing)."""
        if self.finished:
            return
        self._timer.stop()
        self._issued += 1
        try:
            at = self._write(self._issued, self._payload())
        except OSError as err:
            log.warning("draft not written: %s", err)
            return
        if at is not None:
            self.saved.emit(at)

    def _flush_if_pending(self) -> None:
        if self._timer.isActive():
            self.flush()

    def discard(self) -> None:
        """The form was saved (or the clerk threw the draft away): remove it; later writes are skipped."""
        self.finished = True
        self._timer.stop()
        with self._lock:
            self._written = self._issued = 1 << 60
            self._store.discard(self._user, self._key)

    def _written_ok(self, at: object) -> None:
        if at is not None:
            self.saved.emit(at)

    def _failed(self, err: BaseException) -> bool:
        log.warning("draft not written: %s", err)
        return isinstance(err, OSError)
