"""Collects every problem of a form at once, each under the field's Chinese label."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from station_app import clock
from station_app.errors import ValidationError
from station_app.formatting import chinese_date


class Checker:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, label: str, message: str) -> None:
        self.errors.setdefault(label, message)

    def required(self, label: str, value: Any) -> bool:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(label, "必填")
            return False
        return True

    def max_len(self, label: str, value: str | None, limit: int) -> None:
        if value and len(value) > limit:
            self.add(label, f"不能超过{limit}个字符（现为{len(value)}个）")

    def one_of(self, label: str, value: str | None, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        if value and value not in allowed:
            self.add(label, f"“{value}”不是有效选项，可选：{'、'.join(allowed)}")

    def non_negative(self, label: str, value: Any) -> None:
        if value is not None and value < 0:
            self.add(label, "不能为负数")

    def date_order(self, earlier_label: str, earlier: date | None, later_label: str,
                   later: date | None) -> None:
        if earlier and later and later < earlier:
            self.add(later_label, f"不能早于{earlier_label}（{chinese_date(earlier)}）")

    def not_future(self, label: str, value: date | None, today: date | None = None) -> None:
        if value and value > (today or clock.today()):
            self.add(label, "不能晚于今天")

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def clean(text: str | None) -> str:
    """Trim and fold full-width spaces; clerks paste from Word and WeChat."""
    return (text or "").replace("\u3000", " ").strip()
