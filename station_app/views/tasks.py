"""Run work off the UI thread: QThreadPool + QRunnable, results and progress back on the UI thread.

A job is a callable ``job(progress, cancelled)``: it may report ``progress(done, total, text)``
(``total`` 0 = unknown) and should check ``cancelled()`` between steps, raising :class:`TaskCancelled`
to stop. After ``show_after_ms`` (0.5 s by default) a progress dialog appears with a 取消 button.
Success and failure callbacks run on the UI thread; a failure shows a Chinese dialog unless the
caller handles it (``on_failure`` returning True).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from station_app.errors import StationError
from station_app.views.dialogs import messages

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]
Job = Callable[[Progress, Cancelled], Any]


class TaskCancelled(Exception):
    """Raised by a job that noticed ``cancelled()``; no error is shown."""


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object)


def _young_gc_only() -> None:
    """Before a job runs, move every object that exists into the collector's permanent generation
    (``gc.freeze``), so collections during and after the job scan only what is new.

    A full collection runs on whichever thread allocates and holds the GIL throughout; over the app's
    ~150,000 long-lived objects (modules, classes, Qt wrappers, SQLAlchemy metadata) it takes
    150–300 ms, and a 100,000-row export triggered one mid-run — and, had the objects been unfrozen
    afterwards, another one right after it: the UI froze that long (bench_hazards' heartbeat). The
    objects frozen are almost all the app's own and live as long as it; the cost is that reference
    cycles already garbage at that moment are never freed (the usual ``gc.freeze`` trade-off).
    """
    gc.freeze()


class _Runnable(QRunnable):
    def __init__(self, job: Job, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._job, self._signals, self._cancel = job, signals, cancel

    def _progress(self, done: int, total: int, text: str = "") -> None:
        with contextlib.suppress(RuntimeError):  # the receiving window is gone; keep working quietly
            self._signals.progress.emit(int(done), int(total), text)

    def run(self) -> None:
        try:
            _young_gc_only()
            result = self._job(self._progress, self._cancel.is_set)
        except BaseException as err:
            err.__dict__.setdefault("task_traceback", traceback.format_exc())
            self._emit(self._signals.failed, err)
        else:
            self._emit(self._signals.done, result)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            log.warning("task finished after its window was closed")


class Task(QObject):
    """One job in flight. Lives on the UI thread; its slots receive the worker's signals."""

    finished = Signal()

    def __init__(self, runner: TaskRunner, job: Job, title: str, on_success: Callable[[Any], None] | None,
                 on_failure: Callable[[BaseException], bool | None] | None, cancellable: bool,
                 show_after_ms: int) -> None:
        super().__init__(runner)
        self._runner = runner
        self.title = title
        self._on_success, self._on_failure = on_success, on_failure
        self._cancellable = cancellable
        self._cancel = threading.Event()
        self._signals = _Signals(self)
        self._signals.progress.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self._signals.done.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._runnable = _Runnable(job, self._signals, self._cancel)
        self._dialog: QProgressDialog | None = None
        self._last: tuple[int, int, str] = (0, 0, "")
        self.running = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)
        self._show_after_ms = show_after_ms

    def start(self, pool: QThreadPool) -> None:
        if self._show_after_ms >= 0:
            self._timer.start(self._show_after_ms)
        pool.start(self._runnable)

    def cancel(self) -> None:
        self._cancel.set()
        if self._dialog is not None:
            self._dialog.setLabelText(f"正在取消“{self.title}”…")

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    def _show_dialog(self) -> None:
        if not self.running or self._dialog is not None:
            return
        done, total, text = self._last
        dlg = QProgressDialog(self._runner.parent_widget())
        dlg.setWindowTitle(self.title)
        dlg.setLabelText(text or f"正在{self.title}，请稍候…")
        dlg.setCancelButtonText("取消" if self._cancellable else "")
        if not self._cancellable:
            dlg.setCancelButton(None)
        dlg.setRange(0, max(total, 0))
        dlg.setValue(min(done, total) if total else 0)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setMinimumWidth(360)
        dlg.canceled.connect(self.cancel)
        self._dialog = dlg
        dlg.show()

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, text: str) -> None:
        self._last = (done, total, text)
        dlg = self._dialog
        if dlg is not None and not self.cancelled:
            dlg.setRange(0, max(total, 0))
            if total:
                dlg.setValue(min(done, total))
            if text:
                dlg.setLabelText(text)

    def _finish(self) -> None:
        self.running = False
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        self._runner._forget(self)

    @Slot(object)
    def _done(self, result: object) -> None:
        self._finish()
        try:
            if self._on_success is not None:
                self._on_success(result)
        finally:
            self.finished.emit()

    @Slot(object)
    def _failed(self, err: BaseException) -> None:
        self._finish()
        try:
            if isinstance(err, TaskCancelled):
                return
            if not isinstance(err, Exception):  # never swallow SystemExit/KeyboardInterrupt silently
                log.error("task %s aborted: %r", self.title, err)
            handled = self._on_failure(err) if self._on_failure is not None else False
            if handled:
                return
            parent = self._runner.parent_widget()
            if isinstance(err, StationError):
                messages.warn(parent, str(err))
            else:
                tb = err.__dict__.get("task_traceback") or "".join(traceback.format_exception(err))
                log.error("%s失败：\n%s", self.title, tb)
                messages.error(parent, messages.unexpected_text(err, self._runner.log_file, self.title))
        finally:
            self.finished.emit()


class TaskRunner(QObject):
    """Starts jobs for one window or page. ``log_file`` is named in failure dialogs."""

    def __init__(self, parent: QWidget | None = None, *, log_file: Path | None = None,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._parent_widget = parent
        self.log_file = log_file
        self._pool = pool or QThreadPool.globalInstance()
        self._tasks: set[Task] = set()

    def parent_widget(self) -> QWidget | None:
        return self._parent_widget

    def run(self, job: Job, *, title: str, on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[BaseException], bool | None] | None = None, cancellable: bool = True,
            show_after_ms: int = 500) -> Task:
        """Start ``job`` on the thread pool. ``show_after_ms`` < 0 never shows a progress dialog."""
        task = Task(self, job, title, on_success, on_failure, cancellable, show_after_ms)
        self._tasks.add(task)
        task.start(self._pool)
        return task

    def _forget(self, task: Task) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every job of this runner has reported (close, tests). True when all are done."""
        self._pool.waitForDone(timeout_ms)
        app = QApplication.instance()
        for _ in range(50):
            if not self._tasks:
                return True
            if app is not None:
                app.processEvents()
        return not self._tasks
