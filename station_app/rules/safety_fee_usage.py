"""安全生产费用: payment deadline (第十八条), usage categories (第十九条) and the negative list.

Every number comes from reference data an admin can edit:

* ``rule_constants``: ``safety_fee_first_payment_share`` (0.5), ``safety_fee_first_payment_months`` (1),
  ``safety_fee_underuse_ratio`` (the station's own warning line, 0.5);
* ``safety_fee_categories``: the allowed uses of 第十九条 (key "19-1" … "19-10"); a category with
  ``review_required`` (其他与安全生产直接相关的支出) is flagged for review on every entry;
* ``safety_fee_negative_list``: keywords of the negative list (罚款, 赔偿, 工作服 …). An entry whose
  description or voucher text contains one is flagged for a supervisor's review, never dropped.

The payment deadline is the corresponding day one month after the start date (民法典 第二百零一条、
第二百零二条: the start day does not count; without a corresponding day the month's last day). It is not
moved past holidays: the contractor's money is due at the latest then, and the clerk sees the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from . import refdata
from .calendar import add_months
from .errors import RuleInputError

__all__ = [
    "FeeCategory",
    "NegativeMatch",
    "first_payment_due",
    "first_payment_months",
    "first_payment_required",
    "first_payment_share",
    "match_negative_list",
    "underuse_ratio",
    "usage_categories",
    "usage_category",
]


@dataclass(frozen=True)
class FeeCategory:
    key: str
    name: str
    article: str
    review_required: bool

    @property
    def label(self) -> str:
        return f"{self.article} {self.name}"


@dataclass(frozen=True)
class NegativeMatch:
    """Why an entry is flagged: the negative-list item (or category) and the word that matched."""

    key: str
    label: str
    keyword: str

    @property
    def reason(self) -> str:
        if self.keyword:
            return f"疑似负面清单：{self.label}（含“{self.keyword}”）"
        return f"须逐笔复核：{self.label}"


def _constant(key: str) -> Decimal:
    return refdata.parse_decimal(refdata.row_by_key("rule_constants", key)["value"], key)


def first_payment_share() -> Decimal:
    """Share of the required fee due within the first period (Decimal('0.5'))."""
    return _constant("safety_fee_first_payment_share")


def first_payment_months() -> int:
    return int(_constant("safety_fee_first_payment_months"))


def underuse_ratio() -> Decimal:
    return _constant("safety_fee_underuse_ratio")


def first_payment_due(start: date) -> date:
    """Last day on which the first share must have been paid."""
    if not isinstance(start, date):
        raise RuleInputError(f"参数 start（开工日期）应为日期：{start!r}")
    return add_months(start, first_payment_months())


def first_payment_required(required_fen: int, share: Decimal | None = None) -> int:
    """The first share in fen, rounded up to the fen (paying one fen less is short)."""
    if isinstance(required_fen, bool) or not isinstance(required_fen, int) or required_fen < 0:
        raise RuleInputError(f"参数 required_fen（应列安全生产费用，分）应为非负整数：{required_fen!r}")
    share = first_payment_share() if share is None else share
    return int((Decimal(required_fen) * share).to_integral_value(rounding=ROUND_CEILING))


def usage_categories() -> list[FeeCategory]:
    rows = sorted(refdata.active_rows("safety_fee_categories"), key=lambda r: (r["order"], r["key"]))
    return [FeeCategory(r["key"], r["name"], r["article"], bool(r["review_required"])) for r in rows]


def usage_category(key: str) -> FeeCategory:
    for c in usage_categories():
        if c.key == key:
            return c
    raise RuleInputError(f"使用范围“{key}”不在安全生产费用使用范围参考数据中")


def match_negative_list(category_key: str, *texts: str) -> NegativeMatch | None:
    """The first negative-list keyword found in ``texts`` (case-insensitive), else a category that
    always needs review, else None."""
    joined = " ".join(t for t in texts if t).lower()
    if joined:
        for row in refdata.active_rows("safety_fee_negative_list"):
            for word in row["keywords"]:
                if word and word.lower() in joined:
                    return NegativeMatch(row["key"], row["label"], word)
    for c in usage_categories():
        if c.key == category_key and c.review_required:
            return NegativeMatch(c.key, c.name, "")
    return None
