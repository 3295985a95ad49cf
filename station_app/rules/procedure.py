"""Deadlines of the administrative-penalty procedure (行政处罚法 2021; 住建部令第55号).

Each step is a row of ``procedure_steps`` (step, n, unit, basis). Units:

* ``working_days`` — 行政处罚法 第八十五条 ("二日、三日、五日、七日" are working days);
* ``calendar_days`` — start day not counted, a last day that is not a working day moves to
  the next working day (民法典 第二百零一、二百零三条);
* ``months`` — corresponding day of the final month (or its last day), then the same move.

Certificate validity, document numbers and the violation catalogue live in their own modules
and are re-exported here for convenience.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import refdata
from .calendar import add_calendar_days, add_months_period, add_working_days
from .certificates import certificate_expiry, certificate_kinds, renewal_window_opens
from .documents import document_types, format_document_number, next_serial, validate_number_pattern
from .errors import RuleInputError
from .penalties import PenaltyRange, check_penalty, penalty_range

__all__ = [
    "PenaltyRange",
    "ProcedureStep",
    "certificate_expiry",
    "certificate_kinds",
    "check_penalty",
    "document_types",
    "format_document_number",
    "late_payment_surcharge",
    "next_serial",
    "penalty_range",
    "procedure_step",
    "procedure_steps",
    "renewal_window_opens",
    "step_deadline",
    "validate_number_pattern",
]


@dataclass(frozen=True)
class ProcedureStep:
    step: str
    label: str
    n: int
    unit: str
    start_event: str
    basis: str


def _to_step(row: dict) -> ProcedureStep:
    return ProcedureStep(
        row["step"], row["label"], int(row["n"]), row["unit"], row["start_event"], row["basis"]
    )


def procedure_steps() -> list[ProcedureStep]:
    return [_to_step(r) for r in refdata.active_rows("procedure_steps")]


def procedure_step(step: str) -> ProcedureStep:
    for row in refdata.active_rows("procedure_steps"):
        if row["step"] == step:
            return _to_step(row)
    known = "、".join(r["step"] for r in refdata.active_rows("procedure_steps"))
    raise RuleInputError(f"参数 step（程序环节）无效：“{step}”；可选：{known}")


def step_deadline(step: str, start: date) -> date:
    """Last day of ``step``'s period counted from ``start`` (the start event's date).

    For ``hearing_notice`` the result is the earliest day the hearing may be held.
    May raise CalendarYearUnknown when the period reaches a year without holiday data.
    """
    spec = procedure_step(step)
    if not isinstance(start, date):
        raise RuleInputError(f"参数 start（起算日期）应为日期：{start!r}")
    if spec.unit == "working_days":
        return add_working_days(start, spec.n)
    if spec.unit == "calendar_days":
        return add_calendar_days(start, spec.n)
    return add_months_period(start, spec.n)


def late_payment_surcharge(fine_yuan: int, due: date, paid_or_today: date) -> int:
    """加处罚款 (行政处罚法 第七十二条): 3% of the fine for each day after ``due``, capped at the fine.

    ``due`` is the last day for payment (e.g. ``step_deadline('fine_payment', served)``);
    paying on ``due`` costs nothing, each later calendar day adds the daily rate. The result
    is rounded half-up to whole yuan.
    """
    if isinstance(fine_yuan, bool) or not isinstance(fine_yuan, int):
        raise RuleInputError(f"参数 fine_yuan（罚款数额）应为整数：{fine_yuan!r}")
    if fine_yuan < 0:
        raise RuleInputError(f"参数 fine_yuan（罚款数额）不能为负数：{fine_yuan}")
    if not isinstance(due, date) or not isinstance(paid_or_today, date):
        raise RuleInputError("参数 due（缴款期限）与 paid_or_today（缴款日或今日）应为日期")
    days = (paid_or_today - due).days
    if days <= 0:
        return 0
    rate = refdata.parse_decimal(refdata.row_by_key("rule_constants", "late_payment_daily_rate")["value"])
    cap_ratio = refdata.parse_decimal(refdata.row_by_key("rule_constants", "late_payment_cap_ratio")["value"])
    surcharge = min(Decimal(fine_yuan) * rate * days, Decimal(fine_yuan) * cap_ratio)
    return int(surcharge.quantize(Decimal(1), rounding=ROUND_HALF_UP))
