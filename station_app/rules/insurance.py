"""安全生产责任保险 minimum cover for death or disability, per person.

应急〔2025〕27号 第十五条 (from 2025-03-29): at least 400,000 yuan, regions may set more;
its predecessor 安监总办〔2017〕140号 (from 2018-01-01): at least 300,000 yuan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import refdata
from .errors import RuleInputError

__all__ = ["InsuranceMinimum", "insurance_minimum", "min_death_disability_cover"]


@dataclass(frozen=True)
class InsuranceMinimum:
    amount_yuan: int
    regulation: str
    province: str  # "" when the national minimum applies


def insurance_minimum(on: date, province: str | None = None) -> InsuranceMinimum:
    """The binding minimum on ``on``: the national one, or a higher provincial one in the data."""
    if not isinstance(on, date):
        raise RuleInputError(f"参数 on（日期）应为日期：{on!r}")
    in_force = refdata.rows_in_force("insurance_minimums", on)
    national = [r for r in in_force if not r["province"]]
    if not national:
        raise RuleInputError("参数 on（日期）：" + refdata.not_in_force_message(
            "insurance_minimums", on, lambda r: not r["province"]))
    best = max(national, key=lambda r: r["min_death_disability_yuan"])
    result = InsuranceMinimum(int(best["min_death_disability_yuan"]), best["regulation"], "")
    if province:
        for row in in_force:
            if row["province"] == province and row["min_death_disability_yuan"] > result.amount_yuan:
                result = InsuranceMinimum(int(row["min_death_disability_yuan"]), row["regulation"], province)
    return result


def min_death_disability_cover(on: date, province: str | None = None) -> int:
    """Minimum cover per person for death or disability, in yuan, on ``on``."""
    return insurance_minimum(on, province).amount_yuan
