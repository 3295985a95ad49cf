"""A code field (USCC, ID number) with a live check-digit hint under it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

#: (ok, message): ok is True (valid), False (invalid) or None (not finished yet)
Feedback = Callable[[str], tuple[bool | None, str]]

_COLORS = {True: "#1b7f3b", False: "#b00020", None: "#666666"}


class CheckedCodeEdit(QWidget):
    def __init__(self, placeholder: str, feedback: Feedback, parent: QWidget | None = None,
                 max_length: int = 24) -> None:
        super().__init__(parent)
        self._feedback = feedback
        self.edit = QLineEdit(self)
        self.edit.setMaxLength(max_length)
        self.edit.setPlaceholderText(placeholder)
        self.hint = QLabel(self)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.edit)
        layout.addWidget(self.hint)
        self.edit.textChanged.connect(self._check)
        self.setFocusProxy(self.edit)

    def _check(self, text: str) -> None:
        ok, message = self._feedback(text)
        self.hint.setStyleSheet(f"color: {_COLORS[ok]};")
        self.hint.setText(message)
