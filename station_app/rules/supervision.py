"""Supervision defaults: hazard rectification deadlines, inspection frequency, report due day.

All editable reference data ([M] defaults unless an admin sets local rules):
``hazard_deadlines``, ``supervision_frequency`` (建质〔2014〕154号 第五条: raise the frequency
for 超规模 危大 work, recent accidents and many hidden dangers), ``report_due``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import refdata
from .calendar import add_calendar_days, add_months, add_months_period, add_working_days, next_working_day
from .errors import RuleInputError

__all__ = [
    "HazardDeadline",
    "VisitRequirement",
    "hazard_deadline",
    "hazard_due_date",
    "monthly_report_due",
    "required_visits_per_month",
]


@dataclass(frozen=True)
class HazardDeadline:
    level: str
    n: int
    unit: str
    action: str


def hazard_deadline(level: str) -> HazardDeadline:
    """Default rectification period for a hazard level ('一般' or '重大')."""
    for row in refdata.active_rows("hazard_deadlines"):
        if row["level"] == level:
            return HazardDeadline(row["level"], int(row["n"]), row["unit"], row["action"])
    raise RuleInputError(f"参数 level（隐患等级）无效：“{level}”；可选：一般、重大")


def hazard_due_date(level: str, found_on: date) -> date:
    """Default 整改期限 date for a hazard found on ``found_on``."""
    if not isinstance(found_on, date):
        raise RuleInputError(f"参数 found_on（发现日期）应为日期：{found_on!r}")
    spec = hazard_deadline(level)
    if spec.unit == "working_days":
        return add_working_days(found_on, spec.n)
    if spec.unit == "calendar_days":
        return add_calendar_days(found_on, spec.n)
    return add_months_period(found_on, spec.n)


@dataclass(frozen=True)
class VisitRequirement:
    visits_per_month: int
    reasons: tuple[str, ...]  # labels of the conditions that set or raised the frequency


def _nonneg(value: object, name: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleInputError(f"参数 {name}（{label}）应为非负整数：{value!r}")
    return value


def required_visits_per_month(
    *,
    under_construction: bool = True,
    super_scale_dangerous_active: bool = False,
    last_accident_on: date | None = None,
    open_major_hazards: int = 0,
    open_ordinary_hazards: int = 0,
    today: date,
) -> VisitRequirement:
    """Minimum inspections per month: the highest requirement among the conditions that apply.

    A project not under construction (停工/竣工) needs no scheduled visit (0). ``today`` is the day
    judged (the accident look-back counts back from it); the caller passes it, the kernel reads no clock.
    """
    if not isinstance(today, date):
        raise RuleInputError(f"参数 today（判定日期）应为日期：{today!r}")
    majors = _nonneg(open_major_hazards, "open_major_hazards", "未销号重大隐患数")
    ordinary = _nonneg(open_ordinary_hazards, "open_ordinary_hazards", "未整改一般隐患数")
    if not under_construction:
        return VisitRequirement(0, ())
    if last_accident_on is not None and not isinstance(last_accident_on, date):
        raise RuleInputError(f"参数 last_accident_on（最近事故日期）应为日期：{last_accident_on!r}")
    applies: list[tuple[int, str]] = []
    for row in refdata.active_rows("supervision_frequency"):
        condition, threshold = row["condition"], row.get("threshold")
        if condition == "base":
            hit = True
        elif condition == "super_scale_dangerous_active":
            hit = bool(super_scale_dangerous_active)
        elif condition == "recent_accident":
            months = int(row.get("lookback_months") or 12)
            hit = last_accident_on is not None and last_accident_on > add_months(today, -months)
        elif condition == "open_major_hazard":
            hit = majors >= int(threshold or 1)
        elif condition == "many_open_hazards":
            hit = threshold is not None and ordinary >= int(threshold)
        else:
            continue  # a condition the code does not evaluate yet
        if hit:
            applies.append((int(row["min_visits_per_month"]), row["label"]))
    if not applies:
        raise RuleInputError("监督检查频次数据中缺少基础频次（condition=base）")
    visits = max(v for v, _ in applies)
    return VisitRequirement(visits, tuple(label for v, label in applies if v > 0))


def monthly_report_due(report_year: int, report_month: int, report: str = "monthly_report") -> date:
    """Due date of the report for ``report_year``-``report_month``: the configured day of the
    next month, moved to the next working day when the setting says so."""
    if isinstance(report_year, bool) or not isinstance(report_year, int) or not 1900 <= report_year <= 2999:
        raise RuleInputError(f"参数 report_year（报表年份）无效：{report_year!r}")
    if isinstance(report_month, bool) or not isinstance(report_month, int) or not 1 <= report_month <= 12:
        raise RuleInputError(f"参数 report_month（报表月份）应为1至12：{report_month!r}")
    row = refdata.row_by_key("report_due", report)
    first_of_next = add_months(date(report_year, report_month, 1), 1)
    day = int(row["day_of_month"])
    if day > 28:
        raise RuleInputError(f"报表报送日设置无效：{day}（应为1至28）")
    due = first_of_next.replace(day=day)
    return next_working_day(due) if row["move_to_next_working_day"] else due
