"""Message boxes in one place, so every page words them the same way and tests can record them.

Call them through the module (``messages.warn(...)``), not by importing the functions, so a test can
monkeypatch them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from station_app.errors import StationError

log = logging.getLogger(__name__)


def warn(parent: QWidget | None, text: str, title: str = "提示") -> None:
    QMessageBox.warning(parent, title, text)


def info(parent: QWidget | None, text: str, title: str = "提示") -> None:
    QMessageBox.information(parent, title, text)


def error(parent: QWidget | None, text: str, title: str = "出错了") -> None:
    QMessageBox.critical(parent, title, text)


def about(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.about(parent, title, text)


def confirm(parent: QWidget | None, text: str, title: str = "请确认", *, ok_text: str = "确定",
            cancel_text: str = "取消") -> bool:
    """Ask before an action that cannot easily be undone. The safe answer is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(cancel_text, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is ok


def unexpected_text(err: BaseException, log_file: Path | None, what: str = "本次操作") -> str:
    where = f"\n\n详细信息已写入日志文件：\n{log_file}" if log_file else ""
    return (f"{what}未能完成，程序遇到了意外错误：\n{type(err).__name__}: {err}"
            f"\n\n已保存的数据不受影响；窗口中尚未保存的内容仍然保留。{where}\n"
            "如问题反复出现，请将日志文件发给系统维护人员。")


def show_error(parent: QWidget | None, err: BaseException, *, log_file: Path | None = None,
               what: str = "本次操作") -> None:
    """A StationError's own (Chinese) message; anything else is logged and explained."""
    if isinstance(err, StationError):
        warn(parent, str(err))
        return
    log.error("%s失败", what, exc_info=(type(err), err, err.__traceback__))
    error(parent, unexpected_text(err, log_file, what))
