"""Showing a ValidationError where the clerk looks: a banner over the form and a line under each field.

Service errors are keyed by the field's Chinese label ("实际开工日期", "参建单位第2行人员第1行" …);
fields are registered under those labels (or a label prefix for table rows). Widget input that cannot
even be parsed (a date typed wrong) is collected with ``InputReader`` under the same labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QLabel, QSizePolicy, QTabWidget, QVBoxLayout, QWidget

from station_app.errors import ValidationError
from station_app.views.widgets.date_edit import DateEdit, parse_date
from station_app.views.widgets.number_edits import DecimalEdit, MoneyEdit
from station_app.views.widgets.pickers import RecordPicker

_ERROR_STYLE = "color: #b00020;"
_BANNER_STYLE = ("QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #f5c2c0; "
                 "border-radius: 3px; padding: 6px; }")


class FormErrors:
    """Error display for one form. ``banner`` goes at the top of the dialog."""

    def __init__(self, parent: QWidget) -> None:
        self.banner = QLabel(parent)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(_BANNER_STYLE)
        self.banner.setObjectName("formErrorBanner")
        self.banner.hide()
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._prefixes: list[tuple[str, QWidget, QLabel]] = []
        self._shown: dict[str, str] = {}

    def field(self, label: str, widget: QWidget, *aliases: str) -> QWidget:
        """Wrap ``widget`` with an (initially hidden) error line; put the result in the form layout."""
        box = QWidget(widget.parentWidget())
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        line = self._error_label(box)
        layout.addWidget(line)
        for name in (label, *aliases):
            self._fields[name] = (widget, line)
        return box

    def register_prefix(self, prefix: str, focus: QWidget, line: QLabel | None = None) -> QLabel:
        """Errors whose label starts with ``prefix`` ("参建单位第2行…") go to ``line`` near ``focus``."""
        if line is None:
            line = self._error_label(focus.parentWidget())
        else:
            line.setStyleSheet(_ERROR_STYLE)
            line.hide()
        line.setWordWrap(True)  # a full-width line under a table: wrapping is safe there
        self._prefixes.append((prefix, focus, line))
        return line

    @staticmethod
    def _error_label(parent: QWidget | None) -> QLabel:
        # One line that never widens or squeezes the form (a word-wrapped label in a form row does);
        # the whole text is in the tooltip and in the banner.
        line = QLabel(parent)
        line.setStyleSheet(_ERROR_STYLE)
        line.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        line.hide()
        return line

    def _target(self, key: str) -> tuple[QWidget, QLabel] | None:
        if key in self._fields:
            return self._fields[key]
        for prefix, widget, line in self._prefixes:
            if key.startswith(prefix):
                return widget, line
        return None

    # -------------------------------------------------------------- showing

    def show(self, err: ValidationError | str) -> None:
        """Show every message of ``err``; focus the first named field (switching tabs to reach it)."""
        self.clear()
        errors = {"": err} if isinstance(err, str) else err.errors
        self._shown = dict(errors)
        lines: dict[QLabel, list[str]] = {}
        first: QWidget | None = None
        for key, message in errors.items():
            target = self._target(key) if key else None
            if target is None:
                continue
            widget, line = target
            lines.setdefault(line, []).append(message if key in self._fields else f"{key}：{message}")
            first = first or widget
        for line, messages in lines.items():
            line.setText("；".join(messages))
            line.setToolTip("\n".join(messages))
            line.show()
        if isinstance(err, ValidationError):
            summary = "\n".join(f"• {k}：{v}" if k else f"• {v}" for k, v in errors.items())
            self.banner.setText(f"请修正以下问题后再保存：\n{summary}")
        else:
            self.banner.setText(err)
        self.banner.show()
        if first is not None:
            _reveal(first)
            first.setFocus()

    def clear(self) -> None:
        self._shown = {}
        self.banner.hide()
        self.banner.clear()
        for _widget, line in list(self._fields.values()) + [(w, ln) for _p, w, ln in self._prefixes]:
            line.hide()
            line.clear()

    def shown(self) -> dict[str, str]:
        """The messages currently displayed, by label (for tests and the status bar)."""
        return dict(self._shown)

    def message_for(self, label: str) -> str:
        target = self._fields.get(label)
        return target[1].text() if target and target[1].isVisible() else ""


def _reveal(widget: QWidget) -> None:
    """Switch every enclosing QTabWidget to the page that holds ``widget``."""
    child: QWidget | None = widget
    parent = widget.parentWidget()
    while parent is not None and child is not None:
        if isinstance(parent, QTabWidget):
            index = parent.indexOf(child)
            if index >= 0:
                parent.setCurrentIndex(index)
        child, parent = parent, parent.parentWidget()


class InputReader:
    """Reads typed values off widgets, collecting parse errors by label instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def _read(self, label: str, getter: Callable[[], Any]) -> Any:
        try:
            return getter()
        except ValueError as err:
            self.errors.setdefault(label, str(err))
            return None

    def date(self, label: str, widget: DateEdit) -> dt.date | None:
        return self._read(label, widget.value)

    def date_text(self, label: str, text: str) -> dt.date | None:
        return self._read(label, lambda: parse_date(text))

    def fen(self, label: str, widget: MoneyEdit) -> int | None:
        return self._read(label, widget.fen)

    def decimal(self, label: str, widget: DecimalEdit) -> Decimal | None:
        return self._read(label, widget.value)

    def picked(self, label: str, widget: RecordPicker, what: str) -> int | None:
        if widget.has_unpicked_text():
            self.errors.setdefault(label, f"“{widget.text().strip()}”未从列表中选择{what}")
        return widget.value()

    def add(self, label: str, message: str) -> None:
        self.errors.setdefault(label, message)

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
