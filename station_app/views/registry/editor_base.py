"""The editor dialog every registry record uses: error banner, 保存/取消, Ctrl+S and Enter save, Esc asks.

A subclass builds its fields into ``self.body``, and implements ``collect()`` (widgets → data; parse
errors raise ValidationError through InputReader) and ``persist(session, data)`` (the service call,
returning the saved record's id). Errors keep the dialog open with every input as typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from station_app.errors import StationError, ValidationError
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.widgets import FormErrors

_INVALID = object()


class EditorDialog(QDialog):
    #: the saved record's id
    saved = Signal(int)

    entity: str = ""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.read_only = not ctx.can("registry.write")  # the record is shown, nothing can be changed
        self.setWindowTitle(title + ("（只读）" if self.read_only else ""))
        self.errors = FormErrors(self)
        self.body = QVBoxLayout()
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("保存(&S)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("保存（Ctrl+S 或 Enter）")
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.setEnabled(not self.read_only)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.banner)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._baseline: Any = _INVALID
        self.saved_id: int | None = None

    # -------------------------------------------------------------- subclass API

    def collect(self) -> Any:
        raise NotImplementedError

    def persist(self, session: Session, data: Any) -> int:
        raise NotImplementedError

    def finish_loading(self) -> None:
        """Call once the record is in the widgets: this input is "unchanged"; lock it for read-only users."""
        self._baseline = self._state()
        if self.read_only:
            self._lock_inputs()

    def _lock_inputs(self) -> None:
        for w in self.findChildren(QWidget):
            if isinstance(w, QLineEdit | QPlainTextEdit | QAbstractSpinBox):
                w.setReadOnly(True)
            elif isinstance(w, QAbstractItemView):
                w.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            elif isinstance(w, QComboBox | QAbstractButton) and w not in (self.save_button, self.cancel_button):
                w.setEnabled(False)

    def _state(self) -> Any:
        try:
            return self.collect()
        except ValidationError:
            return _INVALID

    def is_dirty(self) -> bool:
        state = self._state()
        return state is _INVALID or state != self._baseline

    # -------------------------------------------------------------- saving

    def save(self) -> bool:
        if self.read_only:
            return False
        try:
            data = self.collect()
            with self.ctx.db.write() as session:
                record_id = self.persist(session, data)
        except ValidationError as err:
            self.errors.show(err)
            return False
        except StationError as err:  # DuplicateRecord, StaleRecord, PermissionDenied, DatabaseUnavailable …
            self.errors.show(str(err))
            return False
        self.errors.clear()
        self.saved_id = record_id
        self._baseline = self._state()
        self.ctx.notify(self.entity)
        self.saved.emit(record_id)
        self.accept()
        return True

    # -------------------------------------------------------------- leaving

    def reject(self) -> None:
        if not self.read_only and self.is_dirty() and not messages.confirm(
                self, "有尚未保存的修改，确定放弃吗？", "放弃修改", ok_text="放弃修改", cancel_text="继续编辑"):
            return
        super().reject()
