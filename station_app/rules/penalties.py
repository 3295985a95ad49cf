"""Violation catalogue with statutory penalty ranges (editable reference data ``violations``).

Sources: 建设工程安全生产管理条例（国务院令第393号）第五十五～六十五条; 安全生产法（2021）
第九十五条、第一百一十四条 (accident fines by grade). A range is either in yuan
(min/max, inclusive; a missing minimum means "…元以下", i.e. any positive fine) or a
fraction of a base amount (合同价款, 挪用费用, 上一年年收入 …).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import refdata
from .errors import RuleInputError

__all__ = ["PenaltyRange", "check_penalty", "penalty_range", "violation_codes"]


@dataclass(frozen=True)
class PenaltyRange:
    code: str
    party: str
    article: str
    description: str
    measure: str
    min_yuan: int | None
    max_yuan: int | None
    percent_min: Decimal | None
    percent_max: Decimal | None
    percent_base: str
    source: str

    @property
    def is_percentage(self) -> bool:
        return self.percent_max is not None and self.max_yuan is None


def violation_codes() -> list[str]:
    return [r["key"] for r in refdata.active_rows("violations")]


def _dec(value: object) -> Decimal | None:
    return None if value in (None, "") else refdata.parse_decimal(value)


def penalty_range(violation_code: str) -> PenaltyRange:
    for row in refdata.active_rows("violations"):
        if row["key"] == violation_code:
            return PenaltyRange(
                code=row["key"],
                party=row["party"],
                article=row["article"],
                description=row["description"],
                measure=row["measure"],
                min_yuan=row.get("min_yuan"),
                max_yuan=row.get("max_yuan"),
                percent_min=_dec(row.get("percent_min")),
                percent_max=_dec(row.get("percent_max")),
                percent_base=row.get("percent_base") or "",
                source=row["source"],
            )
    raise RuleInputError(f"参数 violation_code（违法行为代码）无效：“{violation_code}”")


def check_penalty(violation_code: str, fine_yuan: int, base_amount_yuan: int | Decimal | None = None) -> bool:
    """True when ``fine_yuan`` lies within the statutory range (bounds inclusive).

    Percentage ranges need ``base_amount_yuan`` (the 合同价款, 挪用费用 … the percentage applies to).
    """
    spec = penalty_range(violation_code)
    if isinstance(fine_yuan, bool) or not isinstance(fine_yuan, int):
        raise RuleInputError(f"参数 fine_yuan（罚款数额）应为整数：{fine_yuan!r}")
    if fine_yuan < 0:
        raise RuleInputError(f"参数 fine_yuan（罚款数额）不能为负数：{fine_yuan}")
    if spec.is_percentage:
        if base_amount_yuan is None or isinstance(base_amount_yuan, bool):
            raise RuleInputError(f"参数 base_amount_yuan（{spec.percent_base}）必填：该违法行为按比例处罚")
        if base_amount_yuan < 0:
            raise RuleInputError(
                f"参数 base_amount_yuan（{spec.percent_base}）不能为负数：{base_amount_yuan}"
            )
        base = Decimal(base_amount_yuan)
        low = base * (spec.percent_min or Decimal(0))
        high = base * (spec.percent_max or Decimal(0))
        return fine_yuan > 0 and low <= fine_yuan <= high
    low_ok = fine_yuan > 0 if spec.min_yuan is None else fine_yuan >= spec.min_yuan
    return low_ok and (spec.max_yuan is None or fine_yuan <= spec.max_yuan)
