"""房屋市政工程生产安全重大事故隐患判定标准 as versioned data, and ordinary-hazard categories.

Editions are rows of ``hazard_criteria_editions`` (2022: 建质规〔2022〕2号; 2024: 建质规〔2024〕5号,
number and date unconfirmed — see the rows' notes). Each criterion has a stable code
"{edition}-{article}-{item}" (or "{edition}-{article}" for an article without items) and a
label such as "2022版 第八条第(一)项"; a hazard record stores the code it was judged under.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from station_app.formatting import chinese_date

from . import refdata
from .errors import RuleInputError

__all__ = ["Criterion", "criteria", "criterion", "edition_in_force", "editions", "hazard_categories"]

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 20 → 二十 (enough for article and item numbers < 100)."""
    if not 0 < n < 100:
        raise RuleInputError(f"条款序号超出范围：{n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Criterion:
    code: str
    edition: str
    article: int
    item: int  # 0 when the article has no items
    category: str
    text: str
    source: str
    confidence: str
    note: str

    @property
    def label(self) -> str:
        base = f"{self.edition}版 第{chinese_number(self.article)}条"
        return base if self.item == 0 else f"{base}第({chinese_number(self.item)})项"


def _to_criterion(row: dict) -> Criterion:
    return Criterion(
        code=row["key"],
        edition=row["edition"],
        article=int(row["article"]),
        item=int(row["item"]),
        category=row["category"],
        text=row["text"],
        source=row["source"],
        confidence=row["confidence"],
        note=row.get("note") or "",
    )


def editions() -> list[dict]:
    """Edition rows (edition, document, title, effective dates), oldest first."""
    return sorted(refdata.rows("hazard_criteria_editions"), key=lambda r: r["effective_from"] or "")


def edition_in_force(on: date) -> str:
    """The edition in force on ``on`` (effective_from ≤ on < effective_to)."""
    if not isinstance(on, date):
        raise RuleInputError(f"参数 on（日期）应为日期：{on!r}")
    rows = refdata.rows_in_force("hazard_criteria_editions", on)
    if not rows:
        raise RuleInputError(f"参数 on：{chinese_date(on)} 没有施行中的重大事故隐患判定标准")
    return str(max(rows, key=lambda r: r["effective_from"] or "")["edition"])


def criteria(edition: str | None = None, on: date | None = None) -> list[Criterion]:
    """Criteria of ``edition``, or of the edition in force on ``on`` (one of the two is required)."""
    if edition is None:
        if on is None:
            raise RuleInputError("须指定参数 edition（判定标准版本）或 on（日期）")
        edition = edition_in_force(on)
    known = {r["edition"] for r in refdata.active_rows("hazard_criteria_editions")}
    if edition not in known:
        raise RuleInputError(
            f"参数 edition（判定标准版本）无效：“{edition}”；可选：{'、'.join(sorted(known))}"
        )
    found = [_to_criterion(r) for r in refdata.active_rows("hazard_criteria") if r["edition"] == edition]
    return sorted(found, key=lambda c: (c.article, c.item))


def criterion(code: str) -> Criterion:
    for row in refdata.active_rows("hazard_criteria"):
        if row["key"] == code:
            return _to_criterion(row)
    raise RuleInputError(f"参数 code（重大事故隐患判定条款代码）无效：“{code}”")


def hazard_categories() -> list[str]:
    """Ordinary-hazard categories: the JGJ 59 headings, 消防, 有限空间, 防高坠 and a free 其他."""
    data = sorted(refdata.active_rows("hazard_categories"), key=lambda r: r["order"])
    return [r["name"] for r in data]


def stock_cutoff() -> date:
    """The last day of the "存量" (stock) of major hazards the campaign must clear: 31 December of the
    reference constant ``hazard_stock_last_year`` (the city plan says 2023年及以前)."""
    value = refdata.row_by_key("rule_constants", "hazard_stock_last_year")["value"]
    return date(int(Decimal(str(value))), 12, 31)
