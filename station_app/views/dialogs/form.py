"""Base of the shell's form dialogs: labelled fields, an error line under each, saved off the UI thread.

A subclass adds its fields with :meth:`FormDialog.add_field` under the label the services use in
``ValidationError.errors`` (e.g. "行政区划代码"), and implements :meth:`FormDialog.build_job`, which
checks what it can locally and returns the job that calls the service. On success the dialog closes;
on a StationError the messages appear next to the fields they name and the input stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from station_app.errors import StationError, ValidationError
from station_app.views.tasks import Job, TaskRunner

ERROR_STYLE = "color: #c0392b;"


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class FormFields:
    """Rows ``label: widget`` of a QFormLayout with an error line under each widget.

    ``show_errors`` puts each ValidationError message under the field it names (by the label the
    services use, or an alias); anything else goes to the ``general`` label.
    """

    def __init__(self, form: QFormLayout, general: QLabel) -> None:
        self.form = form
        self.general = general
        self._errors: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        self._aliases: dict[str, str] = {}

    def add(self, key: str, label: str, widget: QWidget, *, hint: str = "",
            aliases: Iterable[str] = ()) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        if hint:
            h = QLabel(hint)
            h.setStyleSheet("color: #666;")
            h.setWordWrap(True)
            lay.addWidget(h)
        err = error_label()
        lay.addWidget(err)
        self.form.addRow(f"{label}：", box)
        self._errors[key] = err
        self._widgets[key] = widget
        for alias in (key, label, *aliases):
            self._aliases[alias] = key
        return widget

    def error(self, key: str) -> str:
        label = self._errors[key]
        return label.text() if not label.isHidden() else ""

    def clear(self) -> None:
        for label in (*self._errors.values(), self.general):
            label.clear()
            label.hide()

    def set_error(self, key: str, message: str) -> None:
        label = self._errors[self._aliases.get(key, key)]
        label.setText(message)
        label.show()

    def set_general(self, message: str) -> None:
        self.general.setText(message)
        self.general.show()

    def show_errors(self, err: StationError) -> None:
        self.clear()
        if not isinstance(err, ValidationError):
            self.set_general(str(err))
            return
        rest = []
        for field, message in err.errors.items():
            if field in self._aliases:
                self.set_error(field, message)
            else:
                rest.append(f"{field}：{message}" if field else message)
        if rest:
            self.set_general("；".join(rest))
        first = next((k for k in err.errors if k in self._aliases), None)
        if first is not None:
            self._widgets[self._aliases[first]].setFocus()


class FormDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, *, ok_text: str = "确定",
                 runner: TaskRunner | None = None, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.runner = runner or TaskRunner(self)
        self.busy = False
        self.result_value: Any = None
        self._ok_text = ok_text

        outer = QVBoxLayout(self)
        if intro:
            text = QLabel(intro)
            text.setWordWrap(True)
            outer.addWidget(text)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        self.general_error = error_label()
        outer.addWidget(self.general_error)
        self.fields = FormFields(self.form, self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    # ------------------------------------------------------------------ fields and errors

    def add_field(self, key: str, label: str, widget: QWidget, *, hint: str = "",
                  aliases: Iterable[str] = ()) -> QWidget:
        return self.fields.add(key, label, widget, hint=hint, aliases=aliases)

    def field_error(self, key: str) -> str:
        """The error text shown under a field ("" when none)."""
        return self.fields.error(key)

    def clear_errors(self) -> None:
        self.fields.clear()

    def set_field_error(self, key: str, message: str) -> None:
        self.fields.set_error(key, message)

    def set_general_error(self, message: str) -> None:
        self.fields.set_general(message)

    def show_errors(self, err: StationError) -> None:
        self.fields.show_errors(err)

    # ------------------------------------------------------------------ submitting

    def build_job(self) -> Job | None:
        """Check the input locally (calling set_field_error) and return the job, or None to stay open."""
        raise NotImplementedError

    def saved(self, result: Any) -> None:
        """Called on the UI thread after the job succeeded, before the dialog closes."""

    def accept(self) -> None:
        if self.busy:
            return
        self.clear_errors()
        job = self.build_job()
        if job is None:
            return
        self._set_busy(True)
        self.runner.run(job, title=self.windowTitle(), on_success=self._succeeded, on_failure=self._failed,
                        cancellable=False, show_after_ms=1500)

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.ok_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        self.ok_button.setText("请稍候…" if busy else self._ok_text)

    def _succeeded(self, result: Any) -> None:
        self._set_busy(False)
        self.result_value = result
        self.saved(result)
        super().accept()

    def _failed(self, err: BaseException) -> bool:
        self._set_busy(False)
        if isinstance(err, StationError):
            self.show_errors(err)
            return True
        return False
