"""The life of one demo hazard: its events from 登记 to 销号 (or 撤销, or stuck open), drawn from the run's
random stream, and the row fields that follow from them.

Steps and states are those of services.hazards.lifecycle: 登记 (→ 待整改); the clerk's 下达整改期限
(→ 整改中); the contractor's 报告整改完成 (→ 待复查); the supervisor's 复查: 不合格 (→ 整改中 with a new
deadline, ≈8 %) or 复查合格 — an ordinary hazard is then 已销号, a major one 待确认销号 until the station
chief's 确认销号. Most are reported within the deadline; a tail is late and urged (督办, as
services.hazards.escalation writes it); a few are stuck open for good (the overdue tail and the
2023-and-earlier stock), some of them with 延长整改期限; a few are 撤销 by the chief with a reason.
Nothing is dated on or after the run's "today": a life is cut there and its state is that of its last
step. Majors are often put under 挂牌督办 (县级/市级), lifted on the day they are closed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from station_app.formatting import chinese_date
from station_app.models.hazard import HazardAction, HazardLevel, HazardState

A = HazardAction
S = HazardState
MAJOR = HazardLevel.MAJOR.value

#: (action, from state, to state) of the main path
_FOUND = (A.FOUND.value, "", S.PENDING.value)
_START = (A.DEADLINE_SET.value, S.PENDING.value, S.RECTIFYING.value)
_REPORT = (A.RECTIFICATION_REPORTED.value, S.RECTIFYING.value, S.AWAITING_REVIEW.value)
_FAIL = (A.REVIEW_FAILED.value, S.AWAITING_REVIEW.value, S.RECTIFYING.value)
_CLOSE = (A.REVIEW_PASSED.value, S.AWAITING_REVIEW.value, S.CLOSED.value)
_PASS_MAJOR = (A.REVIEW_PASSED.value, S.AWAITING_REVIEW.value, S.AWAITING_CONFIRMATION.value)
_CONFIRM = (A.CLOSE_CONFIRMED.value, S.AWAITING_CONFIRMATION.value, S.CLOSED.value)

#: chance a hazard is reported late (after its deadline), ordinary / major
LATE = {False: 0.05, True: 0.10}
REVIEW_FAIL = 0.08
CANCEL = 0.003
CANCEL_REASONS = (
    "重复登记（与同日检查记录重复），予以撤销",
    "项目选错，已在正确项目下重新登记",
    "经现场核实不构成隐患（已按专项方案设置），予以撤销",
    "误将其他项目问题登记于本项目",
    "录入错误：同一问题登记两次",
)
_FAIL_NOTES = ("整改不到位，部分防护仍缺失", "整改资料与现场不符", "同类问题在其他部位仍存在", "整改后又出现反复")
LISTING_NOTE = "责令相关部位停工整改，整改完成经复查合格后报请摘牌"
LIFT_NOTE = "隐患已整改复查合格并销号，解除挂牌督办"
_URGE_NOTES = ("逾期未整改，电话督促施工单位项目负责人", "逾期未整改，约谈施工单位项目负责人", "下发督办通知，要求限期完成")


@dataclass
class Person:
    id: int | None
    name: str


#: (on_date, at, action, from state, to state, actor, comment, new deadline)
Event = tuple[date, datetime, str, str, str, Person, str, date | None]


@dataclass
class Life:
    """What :func:`live` returns: the events (in order) and the hazard fields they imply."""

    events: list[Event] = field(default_factory=list)
    listing: tuple[str, date, date, date | None] | None = None  # level, listed_on, required_by, lifted_on

    @property
    def state(self) -> str:
        return next(e[4] for e in reversed(self.events) if e[4])


class Stamper:
    """Working-hours moments that never go backwards within one hazard."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.last = datetime.min

    def __call__(self, day: date, at: datetime | None = None) -> datetime:
        if at is None:
            at = datetime.combine(day, time(8, 30)) + timedelta(minutes=self.rng.randint(0, 540))
        if at <= self.last:
            at = self.last + timedelta(minutes=self.rng.randint(3, 40))
        self.last = at
        return at


class _Track:
    """The events of one hazard as they are drawn; a step dated after ``last`` is not taken."""

    def __init__(self, rng: random.Random, last: date) -> None:
        self.rng, self.last = rng, last
        self.stamp = Stamper(rng)
        self.events: list[Event] = []
        self.state = S.PENDING.value

    def add(self, day: date, step: tuple[str, str, str] | str, who: Person, comment: str = "",
            new_deadline: date | None = None, at: datetime | None = None) -> bool:
        if day > self.last:
            return False
        if isinstance(step, str):  # no change of state: 延长整改期限 records none, 督办/挂牌 the same one
            step = (step, self.state, "" if step == A.DEADLINE_EXTENDED.value else self.state)
        self.events.append((day, self.stamp(day, at), step[0], step[1], step[2], who, comment, new_deadline))
        self.state = step[2] or self.state
        return True


def live(rng: random.Random, *, found_on: date, registered_at: datetime, level: str, deadline: date,
         last: date, fate: str, registrar: Person, issuer: Person, reviewer: Person, clerk: Person,
         chief: Person, listed: tuple[str, int, str] | None) -> Life:
    """Draw one hazard's history. ``fate``: "normal", "stuck" or "cancel"; ``last`` the last day events
    may carry; ``listed`` (level, days after finding, responsible unit) when it is to be put under 挂牌督办."""
    t = _Track(rng, last)
    t.add(found_on, _FOUND, registrar, f"{level}隐患，整改期限{chinese_date(deadline)}", at=registered_at)
    closed: date | None = None
    if fate == "cancel":
        if rng.random() < 0.5:
            _start(t, found_on, deadline, issuer)
        t.add(found_on + timedelta(days=rng.randint(1, 12)), (A.CANCELLED.value, t.state, S.CANCELLED.value),
              chief, rng.choice(CANCEL_REASONS))
    elif fate == "stuck":
        _stuck(t, found_on, deadline, issuer, reviewer)
    else:
        closed = _normal(t, level == MAJOR, found_on, deadline, issuer, clerk, reviewer, chief)
    life = Life(t.events)
    if listed is not None:
        life.listing = _listing(rng, t.events, listed, found_on, deadline, closed, last, chief)
    return life


def _start(t: _Track, found_on: date, deadline: date, issuer: Person) -> bool:
    return t.add(found_on + timedelta(days=t.rng.choices((0, 1, 2), weights=(6, 3, 1))[0]), _START, issuer,
                 f"下达隐患整改通知，责令{chinese_date(deadline)}前整改完毕", deadline)


def _stuck(t: _Track, found_on: date, deadline: date, issuer: Person, reviewer: Person) -> None:
    rng = t.rng
    if rng.random() < 0.7:
        _start(t, found_on, deadline, issuer)
    if rng.random() < 0.3:
        extended = deadline + timedelta(days=rng.randint(10, 30))
        t.add(max(found_on, deadline - timedelta(days=rng.randint(0, 2))), A.DEADLINE_EXTENDED.value, reviewer,
              "施工单位申请延期，经审核同意", extended)
        deadline = extended
    day = deadline
    for _ in range(rng.randint(1, 3)):
        day = day + timedelta(days=rng.randint(3, 40))
        if not t.add(day, A.URGED.value, reviewer, rng.choice(_URGE_NOTES)):
            break


def _normal(t: _Track, major: bool, found_on: date, deadline: date, issuer: Person, clerk: Person,
            reviewer: Person, chief: Person) -> date | None:
    """The usual path to 销号; returns the day it was closed (None: not yet by ``last``)."""
    rng = t.rng
    span = (deadline - found_on).days
    if not _start(t, found_on, deadline, issuer):
        return None
    start = t.events[-1][0]
    if rng.random() < LATE[major]:
        report = deadline + timedelta(days=rng.randint(1, 40 if major else 25))
        if rng.random() < 0.6:
            t.add(deadline + timedelta(days=rng.randint(1, (report - deadline).days)), A.URGED.value, reviewer,
                  rng.choice(_URGE_NOTES))
    else:
        report = found_on + timedelta(days=rng.randint(min(span, 8 if major else 1), max(0, span - (2 if major else 0))))
    report = max(report, start)
    for attempt in range(2):
        if not t.add(report, _REPORT, clerk, "施工单位报送整改回复（整改报告及照片）"):
            return None
        review = report + timedelta(days=rng.randint(1, 6) if major else rng.randint(0, 3))
        if attempt == 0 and rng.random() < REVIEW_FAIL:
            new_deadline = review + timedelta(days=15 if major else 5)
            if not t.add(review, _FAIL, reviewer, f"复查不合格：{rng.choice(_FAIL_NOTES)}，重新限期整改",
                         new_deadline):
                return None
            report = review + timedelta(days=rng.randint(2, 12) if major else rng.randint(1, 5))
            continue
        if not major:
            return review if t.add(review, _CLOSE, reviewer, "经复查，整改合格，予以销号") else None
        if not t.add(review, _PASS_MAJOR, reviewer, "复查合格，提请站长确认销号"):
            return None
        confirm = review + timedelta(days=rng.randint(0, 5))
        return confirm if t.add(confirm, _CONFIRM, chief, "经审核，同意销号") else None
    return None


def _listing(rng: random.Random, ev: list[Event], listed: tuple[str, int, str], found_on: date, deadline: date, closed: date | None, last: date,
             chief: Person) -> tuple[str, date, date, date | None] | None:
    """Put the hazard under 挂牌督办 and lift it on closure; the events go in date order."""
    level, after, unit = listed
    on = found_on + timedelta(days=after)
    if on > last or (closed is not None and closed <= on) or ev[-1][4] == S.CANCELLED.value:
        return None
    required = max(deadline, on + timedelta(days=15))
    state_then = next(e[4] for e in reversed(ev) if e[0] <= on and e[4])
    who = chief  # 挂牌督办 and 摘牌 are the chief's (permission hazard.list)
    note = f"{level}挂牌督办，责任单位：{unit}，要求{chinese_date(required)}前完成整改。{LISTING_NOTE}"  # as the service
    _insert(ev, (on, _moment(rng, ev, on), A.LISTED.value, state_then, state_then, who, note, None))
    lifted = closed if closed is not None and closed <= last else None
    if lifted is not None:
        ev.append((lifted, ev[-1][1] + timedelta(minutes=rng.randint(5, 90)), A.LISTING_LIFTED.value,
                   S.CLOSED.value, S.CLOSED.value, chief, f"{level}挂牌督办摘牌：{LIFT_NOTE}", None))
    return level, on, required, lifted


def _moment(rng: random.Random, ev: list[Event],
            on: date) -> datetime:
    """A moment on ``on`` after every event dated up to ``on`` and before the next."""
    before = max((e[1] for e in ev if e[0] <= on), default=datetime.combine(on, time(8, 30)))
    return before + timedelta(minutes=rng.randint(5, 60))


def _insert(ev: list[Event],
            item: Event) -> None:
    i = len(ev)
    while i > 0 and ev[i - 1][1] > item[1]:
        i -= 1
    ev.insert(i, item)


__all__ = ["CANCEL", "CANCEL_REASONS", "LATE", "REVIEW_FAIL", "Life", "Person", "live"]
