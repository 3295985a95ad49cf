"""Opening documents in the system's word processor (Word/WPS) and writing preview copies.

Call through the module (``file_actions.open_path(...)``) so tests can record instead of launching Word.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from station_app import clock
from station_app.paths import DataDir
from station_app.views.dialogs import messages


def open_path(parent: QWidget | None, path: str | Path) -> bool:
    """Open a .docx/.pdf with the program the system associates with it."""
    ok = QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    if not ok:
        messages.warn(parent, f"无法打开文件，请确认已安装 Word、WPS 或 PDF 阅读器：\n{path}", "无法打开")
    return bool(ok)


def write_preview(data_dir: DataDir, doc_type: str, data: bytes) -> Path:
    """A preview copy under documents/预览 (temp name, then renamed)."""
    folder = data_dir.documents / "预览"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_type}-预览-{clock.now():%Y%m%d-%H%M%S}.docx"
    tmp = folder / f".tmp-{uuid.uuid4().hex}.docx"
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path
