"""How values look to a clerk: money in 元/万元, dates in Chinese. Pure functions, used by views and exports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_CN_DIGITS = "〇一二三四五六七八九"


def fen_to_yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


def yuan_to_fen(text: str | Decimal | int | None) -> int | None:
    """'1,234.5' → 123450. Raises ValueError on anything that is not an amount."""
    if text is None:
        return None
    s = str(text).replace(",", "").replace("，", "").replace("元", "").strip()
    if not s:
        return None
    try:
        value = Decimal(s)
    except InvalidOperation as err:
        raise ValueError(f"“{text}”不是有效金额") from err
    if not value.is_finite():
        raise ValueError(f"“{text}”不是有效金额")
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_yuan(fen: int | None, *, unit: bool = False) -> str:
    """Money in 元 with thousands separators: 123456789 → '1,234,567.89'."""
    if fen is None:
        return ""
    text = f"{fen_to_yuan(fen):,.2f}"
    return f"{text}元" if unit else text


def format_wan_yuan(fen: int | None, digits: int = 2, *, unit: bool = False) -> str:
    """Money in 万元 for reports: 123456789 fen → '123.46'."""
    if fen is None:
        return ""
    value = (Decimal(fen) / 1_000_000).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{value:,.{digits}f}"
    return f"{text}万元" if unit else text


def format_area(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def chinese_date(d: date | datetime | None, *, style: str = "arabic") -> str:
    """2026年11月23日 (style 'arabic') or 二〇二六年十一月二十三日 (style 'upper', for seals)."""
    if d is None:
        return ""
    if style == "upper":
        year = "".join(_CN_DIGITS[int(c)] for c in str(d.year))
        return f"{year}年{_cn_number(d.month)}月{_cn_number(d.day)}日"
    return f"{d.year}年{d.month}月{d.day}日"


def chinese_datetime(d: datetime | None) -> str:
    return "" if d is None else f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}"


def _cn_number(n: int) -> str:
    if n < 10:
        return "〇一二三四五六七八九"[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else "〇一二三四五六七八九"[tens]
    return f"{head}十{'' if ones == 0 else '〇一二三四五六七八九'[ones]}"
