"""The statutory clocks of a penalty case, from rules.procedure over the working-day calendar.

A clock is opened when the event that starts its period is recorded (立案 starts the 办案期限, the
service of the 事先告知书 starts the 陈述申辩 period …) and closed when the step is done. Clocks of
the station (本站) are overdue, shown red, when open past their last day; periods of the party's
rights (当事人) simply run out — except 缴纳罚款, whose lapse starts the 加处罚款 and is shown red too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, exists
from sqlalchemy.orm import Session

from station_app.errors import ValidationError
from station_app.formatting import chinese_date
from station_app.models.penalty_case import CaseClock, PenaltyCase
from station_app.rules.errors import RuleInputError
from station_app.rules.procedure import procedure_step
from station_app.services.context import Actor
from station_app.services.deadline_refresh import refresh_records
from station_app.services.deadlines import Deadline, deadline_text, step_deadline, stored_deadline

STATION = "本站"
PARTY = "当事人"

#: step → whose clock it is
OWNERS: dict[str, str] = {
    "case_filing_review": STATION,
    "evidence_preservation": STATION,
    "decision": STATION,
    "service": STATION,
    "hearing_notice": STATION,
    "statement_defense": PARTY,
    "hearing_request": PARTY,
    "fine_payment": PARTY,
    "reconsideration": PARTY,
    "litigation": PARTY,
}
#: open clocks that turn red when their last day has passed
ALARM_STEPS: tuple[str, ...] = ("case_filing_review", "evidence_preservation", "decision", "service",
                                "fine_payment")
#: the result is the earliest day something may happen (the hearing), never overdue
NOT_BEFORE_STEPS: tuple[str, ...] = ("hearing_notice",)
#: shorter labels for the case page (the rules' label is the fallback)
LABELS: dict[str, str] = {
    "case_filing_review": "立案审查",
    "decision": "办案期限（作出处罚决定）",
    "hearing_notice": "最早听证日",
}


@dataclass(frozen=True)
class ClockView:
    step: str
    label: str
    owner: str
    start: date
    deadline: date
    basis: str
    done_on: date | None
    note: str
    #: days from ``today`` to the last day (negative: past it)
    days_left: int
    overdue: bool
    status: str
    provisional: bool = False
    #: why the last day is 暂定 ("" when exact), for a tooltip
    reason: str = ""

    @property
    def deadline_text(self) -> str:
        """'2027年1月8日' or '2027年1月8日（暂定）'."""
        return deadline_text(self.deadline, self.provisional)


def deadline_for(step: str, start: date, field: str) -> Deadline:
    """The last day of ``step`` from ``start``: 暂定 when the period reaches a year without holiday
    data (the one policy of :mod:`services.deadlines`; recomputed once the year is entered)."""
    try:
        return step_deadline(step, start)
    except RuleInputError as err:
        raise ValidationError({field: str(err)}) from err


def find(case: PenaltyCase, step: str) -> CaseClock | None:
    return next((c for c in case.clocks if c.step == step), None)


def open_clock(case: PenaltyCase, step: str, start: date, field: str, *, deadline: date | None = None,
               note: str = "") -> CaseClock:
    """Start (or restart) the clock of ``step`` from ``start``."""
    spec = procedure_step(step)
    last = Deadline(deadline) if deadline else deadline_for(step, start, field)
    clock = find(case, step)
    if clock is None:
        clock = CaseClock(step=step, owner=OWNERS.get(step, STATION))
        case.clocks.append(clock)
    clock.label = LABELS.get(step, spec.label)[:40]
    clock.start, clock.deadline, clock.done_on = start, last.day, None
    clock.basis = f"{spec.basis}（{_period_text(spec.n, spec.unit)}，自{spec.start_event}起算）"[:200]
    clock.note = note[:200]
    clock.provisional = last.provisional
    return clock


def refresh_provisional(session: Session, actor: Actor, case: PenaltyCase) -> None:
    """Recompute the case's 暂定 last days whose year's holidays are known by now (as
    :func:`services.deadline_refresh.recompute_provisional` does for all records, audited alike)."""
    refresh_records(session, actor, "case_clock", [c for c in case.clocks if c.provisional])


def close_clock(case: PenaltyCase, step: str, on: date, note: str = "") -> CaseClock | None:
    clock = find(case, step)
    if clock is not None and clock.done_on is None:
        clock.done_on = on
        if note:
            clock.note = note[:200]
    return clock


def _period_text(n: int, unit: str) -> str:
    return {"working_days": f"{n}个工作日", "calendar_days": f"{n}日", "months": f"{n}个月"}.get(unit, f"{n}")


def view(clock: CaseClock, today: date) -> ClockView:
    days_left = (clock.deadline - today).days
    overdue = False
    if clock.step in NOT_BEFORE_STEPS:
        status = f"已于{chinese_date(clock.done_on)}举行" if clock.done_on else (
            f"还需{days_left}天" if days_left > 0 else "已可举行")
    elif clock.done_on is not None and clock.step not in ALARM_STEPS:
        status = "期间已届满" if clock.done_on > clock.deadline else "已完成"
    elif clock.done_on is not None:
        late = (clock.done_on - clock.deadline).days
        status = f"逾期{late}天完成" if late > 0 else "按期完成"
        overdue = late > 0 and clock.step in ALARM_STEPS
    elif days_left > 0:
        status = f"剩余{days_left}天"
    elif days_left == 0:
        status = "今日届满"
    elif clock.step in ALARM_STEPS:
        status = f"逾期{-days_left}天"
        overdue = True
    else:
        status = "期间已届满"
    reason = stored_deadline(clock.deadline, clock.provisional, clock.start).reason
    return ClockView(clock.step, clock.label, clock.owner, clock.start, clock.deadline, clock.basis,
                     clock.done_on, clock.note, days_left, overdue, status, clock.provisional, reason)


def overdue_clause(today: date) -> ColumnElement[bool]:
    """SQL: the case has an open alarm clock past its last day."""
    return exists().where(and_(CaseClock.case_id == PenaltyCase.id, CaseClock.done_on.is_(None),
                               CaseClock.deadline < today, CaseClock.step.in_(ALARM_STEPS)))


def due_soon_clause(today: date, until: date) -> ColumnElement[bool]:
    """SQL: the case has an open alarm clock whose last day is between today and ``until``."""
    return exists().where(and_(CaseClock.case_id == PenaltyCase.id, CaseClock.done_on.is_(None),
                               CaseClock.deadline >= today, CaseClock.deadline <= until,
                               CaseClock.step.in_(ALARM_STEPS)))
