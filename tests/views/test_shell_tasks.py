"""The task runner: work off the UI thread, progress dialog after a delay, cancel, Chinese failures."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from station_app.errors import ValidationError
from station_app.views.tasks import Cancelled, Progress, TaskCancelled, TaskRunner
from tests.views.conftest import Messages


def _runner(qtbot: QtBot, log_file: Path | None = None) -> TaskRunner:
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    return TaskRunner(host, log_file=log_file)


def test_job_runs_off_the_ui_thread_and_reports_on_it(qtbot: QtBot) -> None:
    runner = _runner(qtbot)
    seen: dict[str, Any] = {}

    def job(progress: Progress, cancelled: Cancelled) -> int:
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        return 42

    def done(result: Any) -> None:
        seen["result"] = result
        seen["ui"] = threading.current_thread() is threading.main_thread()

    runner.run(job, title="计算", on_success=done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen == {"worker": True, "result": 42, "ui": True}
    assert not runner.busy


def test_long_job_shows_progress_and_can_be_cancelled(qtbot: QtBot) -> None:
    runner = _runner(qtbot)
    outcome: list[str] = []

    def job(progress: Progress, cancelled: Cancelled) -> str:
        for i in range(200):
            if cancelled():
                raise TaskCancelled
            progress(i, 200, f"正在处理第{i + 1}项…")
            time.sleep(0.02)
        return "完成"

    task = runner.run(job, title="导出", on_success=outcome.append, show_after_ms=100)
    assert task.dialog is None  # not at once: short jobs never flash a dialog
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=3000)
    assert task.dialog is not None
    qtbot.waitUntil(lambda: "正在处理第" in task.dialog.labelText(), timeout=3000)
    assert task.dialog.maximum() == 200
    button = task.dialog.findChild(QPushButton)
    assert button.text() == "取消"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not task.running, timeout=5000)
    assert outcome == []


def test_unexpected_failure_shows_chinese_dialog_with_log_path(qtbot: QtBot, msgs: Messages,
                                                               tmp_path: Path) -> None:
    runner = _runner(qtbot, tmp_path / "station_app.log")

    def job(progress: Progress, cancelled: Cancelled) -> None:
        raise KeyError("x")

    failures: list[BaseException] = []

    def failed(err: BaseException) -> bool:
        failures.append(err)
        return False  # not handled: the runner shows its dialog

    runner.run(job, title="生成报表", on_failure=failed)
    qtbot.waitUntil(lambda: bool(msgs.texts("error")), timeout=5000)
    assert isinstance(failures[0], KeyError)
    text = msgs.last("error")
    assert "生成报表未能完成" in text and str(tmp_path / "station_app.log") in text


def test_expected_failure_shows_its_message(qtbot: QtBot, msgs: Messages) -> None:
    runner = _runner(qtbot)

    def job(progress: Progress, cancelled: Cancelled) -> None:
        raise ValidationError({"年份": "必填"})

    runner.run(job, title="保存")
    qtbot.waitUntil(lambda: bool(msgs.shown), timeout=5000)
    assert msgs.shown == [("warn", "年份：必填")]
