"""Amount fields: money typed in 元 (stored as fen) and decimals such as areas (m²), both may be empty."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from station_app.formatting import format_yuan, yuan_to_fen


class _AmountEdit(QLineEdit):
    value_changed = Signal()

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText(placeholder)
        self.setMaxLength(24)
        self.textChanged.connect(self._on_text)
        self.editingFinished.connect(self._normalize)

    def _check(self) -> None:  # raises ValueError
        raise NotImplementedError

    def _normalized_text(self) -> str:
        raise NotImplementedError

    def is_valid(self) -> bool:
        try:
            self._check()
        except ValueError:
            return False
        return True

    def _on_text(self, _text: str) -> None:
        ok = self.is_valid()
        self.setStyleSheet("" if ok else "QLineEdit { background: #fff0f0; }")
        self.setToolTip("" if ok else "请输入数字，如 1234.56")
        self.value_changed.emit()

    def _normalize(self) -> None:
        if self.is_valid():
            text = self._normalized_text()
            if text != self.text():
                self.setText(text)


class MoneyEdit(_AmountEdit):
    """元 with 2 decimals and thousands separators; ``fen()`` is the stored integer (or None)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("未填（元）", parent)

    def fen(self) -> int | None:
        """Raises ValueError when the text is not an amount."""
        value = yuan_to_fen(self.text())
        if value is not None and value < 0:
            raise ValueError("金额不能为负数")
        return value

    def set_fen(self, fen: int | None) -> None:
        self.setText(format_yuan(fen))

    def _check(self) -> None:
        self.fen()

    def _normalized_text(self) -> str:
        return format_yuan(self.fen())


def parse_decimal(text: str, decimals: int = 2) -> Decimal | None:
    s = text.replace(",", "").replace("，", "").strip()
    if not s:
        return None
    try:
        value = Decimal(s)
    except InvalidOperation as err:
        raise ValueError(f"“{text}”不是有效数字") from err
    if not value.is_finite():
        raise ValueError(f"“{text}”不是有效数字")
    if value < 0:
        raise ValueError("不能为负数")
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


class DecimalEdit(_AmountEdit):
    """A non-negative decimal with a fixed number of decimals (building area in m²)."""

    def __init__(self, decimals: int = 2, placeholder: str = "未填", parent: QWidget | None = None) -> None:
        self._decimals = decimals
        super().__init__(placeholder, parent)

    def value(self) -> Decimal | None:
        return parse_decimal(self.text(), self._decimals)

    def set_value(self, value: Decimal | None) -> None:
        self.setText("" if value is None else f"{value:,.{self._decimals}f}")

    def _check(self) -> None:
        self.value()

    def _normalized_text(self) -> str:
        value = self.value()
        return "" if value is None else f"{value:,.{self._decimals}f}"
