"""A strip of photo thumbnails (and other files) for an inspection or one finding.

Files are added with the file dialog or by drag-and-drop; they stay "pending" (paths, saved with the
form) until the inspection is saved. Off the UI thread, each new file is copied into the attachment
store at once (so an unreadable file shows up now, not at save) and its thumbnail made
(``AttachmentStore.thumbnail``). A file that cannot be read or has gone missing shows a placeholder.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QKeyEvent,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.errors import StationError
from station_app.formatting import chinese_datetime
from station_app.services.attachments import AttachmentInfo, AttachmentStore
from station_app.views.tasks import Cancelled, Job, Progress, TaskRunner

log = logging.getLogger(__name__)

ICON = 96
_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
FILE_FILTER = "照片和文件 (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.webp *.pdf *.doc *.docx *.xls *.xlsx);;所有文件 (*)"


@dataclass
class StripFile:
    """One file of the strip: a pending local ``path`` or a saved ``info``."""

    key: int
    path: str | None = None
    info: AttachmentInfo | None = None
    thumb: str | None = None
    problem: str = ""

    @property
    def name(self) -> str:
        return self.info.original_name if self.info else Path(self.path or "").name


def placeholder(text: str, color: str = "#9e9e9e") -> QPixmap:
    pix = QPixmap(ICON, ICON)
    pix.fill(QColor("#f2f2f2"))
    p = QPainter(pix)
    p.setPen(QColor(color))
    p.drawRect(0, 0, ICON - 1, ICON - 1)
    p.drawText(pix.rect(), int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text)
    p.end()
    return pix


Thumb = tuple[int, str | None, str]


def _thumb_job(store: AttachmentStore, files: list[tuple[int, str | None, str | None]]) -> Job:
    """(key, local path | None, sha | None) → [(key, thumbnail path | None, problem)] (runs off the UI thread)."""

    def job(progress: Progress, cancelled: Cancelled) -> list[Thumb]:
        out: list[Thumb] = []
        for done, (key, path, sha) in enumerate(files, 1):
            if cancelled():
                break
            problem = ""
            thumb: Path | None = None
            try:
                if path is not None:
                    sha = store.put(path).sha256
                elif sha is not None and not store.exists(sha):
                    problem = "文件已丢失"
                thumb = store.thumbnail(sha) if sha and not problem else None
            except StationError as err:  # ValidationError: unreadable, empty, too large
                problem = "；".join(getattr(err, "errors", {}).values()) or str(err)
            except OSError as err:
                problem = f"无法读取：{err.strerror or err}"
            out.append((key, str(thumb) if thumb else None, problem))
            progress(done, len(files), "")
        return out

    return job


class _Strip(QListWidget):
    """The thumbnails; accepts dropped files."""

    dropped = Signal(list)
    delete_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(ICON, ICON))
        self.setGridSize(QSize(ICON + 24, ICON + 30))
        self.setFixedHeight(ICON + 52)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(False)

    @staticmethod
    def _local_files(event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> list[str]:
        data = event.mimeData()
        if not data.hasUrls():
            return []
        return [u.toLocalFile() for u in data.urls() if u.isLocalFile() and Path(u.toLocalFile()).is_file()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._local_files(event)
        if files:
            event.acceptProposedAction()
            self.dropped.emit(files)
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_pressed.emit()
            return
        super().keyPressEvent(event)


class AttachmentStrip(QWidget):
    """Thumbnails + 添加/移除. ``changed`` fires when the pending files change."""

    changed = Signal()
    #: the folder the file dialog opens in next (shared by all strips: photos come from one card)
    last_dir: ClassVar[str] = ""

    def __init__(self, store: AttachmentStore, runner: TaskRunner, parent: QWidget | None = None, *,
                 add_text: str = "添加照片…") -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._files: list[StripFile] = []
        self._next_key = 1
        #: thumbnail and problem by file, so showing the same files again (another finding) costs nothing
        self._cache: dict[str, tuple[str | None, str]] = {}
        self.read_only = False
        self.list = _Strip(self)
        self.list.setToolTip("可将照片或文件拖放到这里")
        self.list.dropped.connect(self.add_paths)
        self.list.delete_pressed.connect(self.remove_selected)
        self.add_button = QPushButton(add_text, self)
        self.remove_button = QPushButton("移除", self)
        for b in (self.add_button, self.remove_button):
            b.setAutoDefault(False)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.error_line = QLabel(self)  # a file that cannot be saved is named here
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error_line)
        self._update_buttons()

    # -------------------------------------------------------------- content

    def set_files(self, saved: Sequence[AttachmentInfo], pending: Iterable[str]) -> None:
        """Show ``saved`` attachments and ``pending`` paths (replacing what was shown); no ``changed``."""
        self._files = []
        self.list.clear()
        self._add([StripFile(self._key(), info=a) for a in saved] + [StripFile(self._key(), path=p) for p in pending])

    def pending_paths(self) -> tuple[str, ...]:
        return tuple(f.path for f in self._files if f.path is not None)

    def files(self) -> list[StripFile]:
        return list(self._files)

    def count(self) -> int:
        return len(self._files)

    def add_paths(self, paths: Iterable[str]) -> None:
        if self.read_only:
            return
        have = set(self.pending_paths())
        new = [StripFile(self._key(), path=str(p)) for p in dict.fromkeys(str(p) for p in paths) if p not in have]
        if new:
            self._add(new)
            self.changed.emit()

    def choose_files(self) -> None:
        paths, _selected = QFileDialog.getOpenFileNames(self, "添加照片或文件", AttachmentStrip.last_dir, FILE_FILTER)
        if paths:
            AttachmentStrip.last_dir = str(Path(paths[0]).parent)
            self.add_paths(paths)

    def remove_selected(self) -> None:
        """Remove the selected pending files (saved attachments stay: they are part of the record)."""
        keys = {int(i.data(_KEY_ROLE)) for i in self.list.selectedItems()}
        gone = [f for f in self._files if f.key in keys and f.path is not None]
        if not gone or self.read_only:
            return
        for f in gone:
            self._files.remove(f)
            item = self._item(f.key)
            if item is not None:
                self.list.takeItem(self.list.row(item))
        self.changed.emit()

    # -------------------------------------------------------------- internals

    def _key(self) -> int:
        self._next_key += 1
        return self._next_key

    def _item(self, key: int) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(_KEY_ROLE) == key:
                return item
        return None

    def _add(self, files: list[StripFile]) -> None:
        loading = placeholder("正在载入…")
        for f in files:
            self._files.append(f)
            item = QListWidgetItem(QIcon(loading), f.name)
            item.setData(_KEY_ROLE, f.key)
            item.setSizeHint(QSize(ICON + 20, ICON + 28))
            self.list.addItem(item)
            self._describe(f)
        known = [(f.key, *self._cache[self._cache_key(f)]) for f in files if self._cache_key(f) in self._cache]
        todo = [f for f in files if self._cache_key(f) not in self._cache]
        if known:
            self._thumbs_done(known)
        if todo:
            job = _thumb_job(self._store, [(f.key, f.path, f.info.sha256 if f.info else None) for f in todo])
            self._runner.run(job, title="生成缩略图", on_success=self._thumbs_done, on_failure=self._thumbs_failed,
                             show_after_ms=-1)
        self._update_buttons()

    @staticmethod
    def _cache_key(f: StripFile) -> str:
        return f"sha:{f.info.sha256}" if f.info else f"path:{f.path}"

    def _thumbs_done(self, results: list[Thumb]) -> None:
        for key, thumb, problem in results:
            f = next((x for x in self._files if x.key == key), None)
            item = self._item(key)
            if f is None or item is None:
                continue  # removed meanwhile
            self._cache[self._cache_key(f)] = (thumb, problem)
            f.thumb, f.problem = thumb, problem
            pix = QPixmap(thumb) if thumb else QPixmap()
            if pix.isNull():
                text = "文件已丢失" if problem == "文件已丢失" else ("无法读取" if problem else Path(f.name).suffix.upper()[1:] or "文件")
                pix = placeholder(text, "#b00020" if problem else "#9e9e9e")
            else:
                pix = pix.scaled(ICON, ICON, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
            item.setIcon(QIcon(pix))
            if problem:
                item.setForeground(QColor("#b00020"))
            self._describe(f)

    def _thumbs_failed(self, err: BaseException) -> bool:
        log.warning("thumbnails failed: %s", err)
        for f in self._files:
            item = self._item(f.key)
            if item is not None and f.thumb is None:
                item.setIcon(QIcon(placeholder("无缩略图")))
        return True

    def _describe(self, f: StripFile) -> None:
        item = self._item(f.key)
        if item is None:
            return
        lines = [f.name]
        if f.info is not None:
            lines.append(f"{f.info.size / 1024:,.0f} KB，{f.info.attached_by_name} {chinese_datetime(f.info.attached_at)} 添加")
            if f.info.taken_at:
                lines.append(f"拍摄时间：{chinese_datetime(f.info.taken_at)}")
        else:
            lines.append(f"待保存：{f.path}")
        if f.problem:
            lines.append(f"⚠ {f.problem}")
        item.setToolTip("\n".join(lines))

    def _update_buttons(self) -> None:
        pending_selected = any(f.path is not None for f in self._files
                               if (it := self._item(f.key)) is not None and it.isSelected())
        self.add_button.setEnabled(not self.read_only)
        self.remove_button.setEnabled(not self.read_only and pending_selected)
