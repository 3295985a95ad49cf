"""企业安全生产费用 extraction rate for construction projects.

The rate is the one in force on the **contract date**: 财资〔2022〕136号 第十七条 applies from
2022-12-13; projects tendered and contracted earlier keep the rates of 财企〔2012〕16号
(in force from 2012-02-14). Earlier contracts are outside the data and raise RuleInputError.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import refdata
from .errors import RuleInputError

__all__ = ["FeeRule", "safety_fee_amount", "safety_fee_project_types", "safety_fee_rate", "safety_fee_rule"]


@dataclass(frozen=True)
class FeeRule:
    """The rate applied and the rule version it came from (store both with the record)."""

    rate: Decimal
    regulation: str
    effective_from: date | None
    effective_to: date | None
    project_type: str
    source: str


def safety_fee_project_types(on: date | None = None) -> list[str]:
    """Project types named by the rules (in force on ``on`` when given)."""
    data = refdata.rows_in_force("safety_fee_rates", on) if on else refdata.active_rows("safety_fee_rates")
    return list(dict.fromkeys(r["project_type"] for r in data))


def safety_fee_rule(project_type: str, contract_date: date) -> FeeRule:
    if not isinstance(contract_date, date):
        raise RuleInputError(f"参数 contract_date（合同签订日期）应为日期：{contract_date!r}")
    if project_type not in safety_fee_project_types():
        known = "、".join(safety_fee_project_types())
        raise RuleInputError(f"参数 project_type（工程类别）无效：“{project_type}”；可选：{known}")
    matches = [
        r
        for r in refdata.rows_in_force("safety_fee_rates", contract_date)
        if r["project_type"] == project_type
    ]
    if not matches:
        raise RuleInputError("参数 contract_date（合同签订日期）：" + refdata.not_in_force_message(
            "safety_fee_rates", contract_date, lambda r: r["project_type"] == project_type))
    row = max(matches, key=lambda r: r["effective_from"] or "")
    return FeeRule(
        rate=refdata.parse_decimal(row["rate"], "rate"),
        regulation=row["regulation"],
        effective_from=refdata.parse_date(row["effective_from"]) if row["effective_from"] else None,
        effective_to=refdata.parse_date(row["effective_to"]) if row["effective_to"] else None,
        project_type=project_type,
        source=row["source"],
    )


def safety_fee_rate(project_type: str, contract_date: date) -> Decimal:
    """Extraction rate as a fraction (Decimal('0.03') for 3%) of the 建筑安装工程造价."""
    return safety_fee_rule(project_type, contract_date).rate


def safety_fee_amount(contract_price_yuan: Decimal | int, project_type: str, contract_date: date) -> Decimal:
    """Planned 安全生产费用 = 建安造价 × rate, rounded half-up to the fen (0.01 yuan)."""
    if isinstance(contract_price_yuan, bool) or not isinstance(contract_price_yuan, int | Decimal):
        raise RuleInputError(
            f"参数 contract_price_yuan（建安造价）应为整数或 Decimal：{contract_price_yuan!r}"
        )
    if contract_price_yuan < 0:
        raise RuleInputError(f"参数 contract_price_yuan（建安造价）不能为负数：{contract_price_yuan}")
    amount = Decimal(contract_price_yuan) * safety_fee_rate(project_type, contract_date)
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
