"""Accident grading and the report-up clock.

Grades: 生产安全事故报告和调查处理条例（国务院令第493号）第三条, with the housing-sector floor
of 建质〔2013〕4号 (a 一般 accident by direct loss alone starts at 1,000,000 yuan). "以上"
includes the number, "以下" excludes it; the grade is the highest tier reached by any one of
deaths, serious injuries (incl. acute industrial poisoning) and direct economic loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from . import refdata
from .errors import RuleInputError

__all__ = ["GRADES", "ReportingStep", "grade_accident", "reporting_deadlines"]

GRADES = ("特别重大", "重大", "较大", "一般")


def _count(value: object, name: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleInputError(f"参数 {name}（{label}）应为整数：{value!r}")
    if value < 0:
        raise RuleInputError(f"参数 {name}（{label}）不能为负数：{value}")
    return value


def grade_accident(deaths: int, serious_injuries: int, direct_loss_yuan: int) -> str | None:
    """'特别重大' | '重大' | '较大' | '一般', or None when no death, no serious injury and a loss
    below the 一般 floor (then it is not a housing/municipal production-safety accident)."""
    measures = (
        _count(deaths, "deaths", "死亡人数"),
        _count(serious_injuries, "serious_injuries", "重伤人数"),
        _count(direct_loss_yuan, "direct_loss_yuan", "直接经济损失（元）"),
    )
    tiers = sorted(refdata.active_rows("accident_grades"), key=lambda r: r["rank"])
    for tier in tiers:
        floors = (tier["min_deaths"], tier["min_serious_injuries"], tier["min_direct_loss_yuan"])
        if any(value >= floor for value, floor in zip(measures, floors, strict=True)):
            return str(tier["grade"])
    return None


@dataclass(frozen=True)
class ReportingStep:
    """One link of the report-up chain; ``due`` is the latest moment the report may be made."""

    step: str
    from_level: str
    to_level: str
    due: datetime
    basis: str


def reporting_deadlines(occurred_at: datetime, grade: str) -> list[ReportingStep]:
    """The report-up chain for an accident of ``grade`` with each step's deadline.

    Chain steps count from the previous step's deadline (unit → county within 1 hour, then at
    most 2 hours per level, up to the province for 一般 and to 住建部 for 较大 and above);
    the casualty-change step counts 30 days from the accident. A within-value of 0 means
    "立即" and its deadline is the previous deadline itself. Basis per row in the data.
    """
    if not isinstance(occurred_at, datetime):
        raise RuleInputError(f"参数 occurred_at（事故发生时间）应为日期时间：{occurred_at!r}")
    if grade not in GRADES:
        raise RuleInputError(f"参数 grade（事故等级）应为 {'、'.join(GRADES)} 之一：{grade!r}")
    steps: list[ReportingStep] = []
    previous_due = occurred_at
    for row in sorted(refdata.active_rows("accident_reporting"), key=lambda r: r["seq"]):
        if grade not in row["grades"]:
            continue
        amount = int(row["within"])
        delta = timedelta(hours=amount) if row["unit"] == "hour" else timedelta(days=amount)
        base = occurred_at if row["counts_from"] == "occurrence" else previous_due
        due = base + delta
        if row["counts_from"] == "previous_step":
            previous_due = due
        steps.append(ReportingStep(row["step"], row["from_level"], row["to_level"], due, row["basis"]))
    return steps
