"""JGJ 59-2011 建筑施工安全检查标准: item-table and summary-table scoring.

Item tables (附录B) and the summary weights (附录A) are reference data
(``jgj59_tables``, ``jgj59_summary``); the thresholds 40 / 60 / 80 / 70 are in ``rule_constants``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import refdata
from .errors import RuleInputError

__all__ = [
    "ItemSpec",
    "ItemTable",
    "item_tables",
    "score_item_table",
    "score_summary",
    "summary_weights",
]


@dataclass(frozen=True)
class ItemSpec:
    seq: int
    item: str
    full_points: int


@dataclass(frozen=True)
class ItemTable:
    table: str  # "B.1" …
    name: str
    heading: str  # summary-table heading the table feeds
    guarantee: tuple[ItemSpec, ...]
    general: tuple[ItemSpec, ...]


def _constant(key: str) -> Decimal:
    return refdata.parse_decimal(refdata.row_by_key("rule_constants", key)["value"], key)


def _number(value: object, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise RuleInputError(f"参数 {name} 应为数值：{value!r}")
    number = Decimal(str(value))
    if not number.is_finite():
        raise RuleInputError(f"参数 {name} 应为有限数值：{value!r}")
    return number


def _items(items: Sequence[tuple[float, float]], name: str) -> list[tuple[Decimal, Decimal]]:
    result = []
    for index, pair in enumerate(items):
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise RuleInputError(f"参数 {name} 第{index + 1}项应为（实得分, 应得分）：{pair!r}")
        earned = _number(pair[0], f"{name}[{index}] 实得分")
        full = _number(pair[1], f"{name}[{index}] 应得分")
        if full <= 0:
            raise RuleInputError(f"参数 {name} 第{index + 1}项应得分须大于0：{pair[1]}")
        if not 0 <= earned <= full:
            raise RuleInputError(
                f"参数 {name} 第{index + 1}项实得分须在0至应得分之间：{pair[0]}（应得{pair[1]}）"
            )
        result.append((earned, full))
    return result


def score_item_table(
    guarantee: Sequence[tuple[float, float]], general: Sequence[tuple[float, float]]
) -> float:
    """Score of one 分项检查评分表, 0–100.

    Each tuple is (earned, full) for an item actually checked; items not checked (缺项) are
    left out. Rules (JGJ 59-2011 第4.0.1条):

    * any guarantee item (保证项目) earning 0 → the table scores 0;
    * guarantee subtotal under 40 → 0. When guarantee items are missing, the subtotal is first
      rescaled to the table's 60 guarantee points — earned × 60 / (full points of the guarantee
      items checked) — and then compared with 40 (our reading: the standard only states the
      40-point rule for a complete table; rescaling keeps the 2/3 ratio it expresses);
    * otherwise the earned total rescaled to 100 over the items checked:
      Σearned / Σfull × 100.

    Tables without guarantee items (B.13 高处作业, B.19 施工机具) pass an empty ``guarantee``.
    """
    g_items = _items(guarantee, "guarantee")
    o_items = _items(general, "general")
    if not g_items and not o_items:
        raise RuleInputError("参数 guarantee/general 不能同时为空：至少要有一个实查项目")
    if g_items:
        if any(earned == 0 for earned, _ in g_items):
            return 0.0
        g_earned = sum((e for e, _ in g_items), Decimal(0))
        g_full = sum((f for _, f in g_items), Decimal(0))
        # earned × 60 / full < 40, cross-multiplied to avoid rounding at the boundary
        if g_earned * _constant("jgj59_guarantee_full") < _constant("jgj59_guarantee_min_subtotal") * g_full:
            return 0.0
    earned_total = sum((e for e, _ in g_items + o_items), Decimal(0))
    full_total = sum((f for _, f in g_items + o_items), Decimal(0))
    return float(earned_total * 100 / full_total)


def summary_weights() -> dict[str, int]:
    """Summary-table heading → weight (points out of 100), in table order."""
    data = sorted(refdata.active_rows("jgj59_summary"), key=lambda r: r["order"])
    return {r["heading"]: int(r["weight"]) for r in data}


def score_summary(item_scores: Mapping[str, float | Sequence[float]]) -> tuple[float, str]:
    """(total rounded half-up to 0.01, grade) of the 检查评分汇总表.

    A list value is averaged (脚手架, 物料提升机与施工升降机, 塔式起重机与起重吊装 have several
    tables). Headings not given are 缺项: total = Σ weight × score / 100, rescaled by 100 / Σ
    weights of the headings given. Grade (第5.0.1条): any item table at 0 → '不合格'; else
    total ≥ 80 '优良', ≥ 70 '合格', below '不合格' — compared on the rounded total.
    """
    weights = summary_weights()
    if not item_scores:
        raise RuleInputError("参数 item_scores 不能为空：至少要有一个汇总表项目得分")
    weighted = Decimal(0)
    weight_sum = 0
    any_zero = False
    for heading, value in item_scores.items():
        if heading not in weights:
            raise RuleInputError(f"参数 item_scores 中的项目“{heading}”不是检查评分汇总表项目")
        values = list(value) if isinstance(value, Sequence) and not isinstance(value, str) else [value]
        if not values:
            raise RuleInputError(f"参数 item_scores[“{heading}”] 不能为空列表")
        scores = [_number(v, f"item_scores[“{heading}”]") for v in values]
        if any(not 0 <= s <= 100 for s in scores):
            raise RuleInputError(f"参数 item_scores[“{heading}”] 的分值须在0至100之间：{value!r}")
        any_zero = any_zero or any(s == 0 for s in scores)
        mean = sum(scores, Decimal(0)) / len(scores)
        weighted += weights[heading] * mean / 100
        weight_sum += weights[heading]
    total = (weighted * 100 / weight_sum).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if any_zero:
        grade = "不合格"
    elif total >= _constant("jgj59_grade_excellent_min"):
        grade = "优良"
    elif total >= _constant("jgj59_grade_pass_min"):
        grade = "合格"
    else:
        grade = "不合格"
    return float(total), grade


def item_tables() -> list[ItemTable]:
    """The 附录B item tables with their guarantee and general items, for inspection forms."""
    grouped: dict[str, list[dict]] = {}
    for row in refdata.active_rows("jgj59_tables"):
        grouped.setdefault(row["table"], []).append(row)

    def order(table: str) -> tuple[str, int]:
        prefix, _, number = table.partition(".")
        return prefix, int(number) if number.isdigit() else 0

    result = []
    for table in sorted(grouped, key=order):
        members = sorted(grouped[table], key=lambda r: r["seq"])
        specs = {
            group: tuple(
                ItemSpec(r["seq"], r["item"], r["full_points"]) for r in members if r["group"] == group
            )
            for group in ("保证项目", "一般项目")
        }
        first = members[0]
        result.append(
            ItemTable(table, first["table_name"], first["heading"], specs["保证项目"], specs["一般项目"])
        )
    return result
