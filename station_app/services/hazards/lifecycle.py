"""The closed loop of a hazard: 待整改 → 整改中 → 待复查 → 已销号 (a major one via 待确认销号), 已撤销.

Every step is a row of :data:`TRANSITIONS` — the one place that says from which states it may be
taken, where it leads, who may take it and what it needs — and is carried out by
:func:`transition`, which writes a ``HazardEvent`` (who, business date, comment, evidence) and an
audit row in the caller's transaction. Illegal steps are refused with the current state named.

* 下达整改期限: 待整改 → 整改中 (the clerk issues the deadline; it may be changed here once).
* 报告整改完成: the contractor's report (date + report file or photos required) → 待复查.
* 复查合格 (监督员/站长, evidence required): an ordinary hazard → 已销号; a major one → 待确认销号.
* 复查不合格 (evidence and a new deadline ≥ the review date): → 整改中.
* 确认销号 (站长 only): 待确认销号 → 已销号.
* 撤销 (站长 only, reason required): any open state → 已撤销.
* 延长整改期限 (reason, new date ≥ the step's date) and 指派监督员 keep the state.

Optimistic locking: pass the ``version`` the form loaded; the second of two clerks gets StaleRecord.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.db.base import now
from station_app.errors import ValidationError
from station_app.formatting import chinese_date
from station_app.models import Hazard, HazardEvent, Inspection, User
from station_app.models.enums import Role
from station_app.models.hazard import OPEN_STATES, HazardAction, HazardLevel, HazardState
from station_app.services import audit
from station_app.services.attachments import AttachmentStore, store_files
from station_app.services.context import Actor, can, require
from station_app.services.hazards.evidence import attach_evidence
from station_app.services.hazards.records import (
    HazardData,
    add_event,
    flush_versioned,
    load_for_change,
    to_data,
)
from station_app.services.validation import Checker, clean

S = HazardState
_OPEN = tuple(OPEN_STATES)


@dataclass(frozen=True)
class Transition:
    key: str
    label: str
    action: HazardAction
    from_states: tuple[HazardState, ...]
    #: None: the state does not change
    to_state: HazardState | None
    permission: str
    needs_evidence: bool = False
    #: a reason / comment is required (labelled ``comment_label``)
    needs_comment: bool = False
    #: a new deadline: "required", "optional" or ""
    deadline: str = ""
    comment_label: str = "说明"
    photo_kind: str = "其他"
    doc_kind: str = "其他"


#: the state machine, in the order the UI offers the steps
TRANSITIONS: dict[str, Transition] = {t.key: t for t in (
    Transition("start", "下达整改期限", HazardAction.DEADLINE_SET, (S.PENDING,), S.RECTIFYING, "hazard.write",
               deadline="optional"),
    Transition("report", "报告整改完成", HazardAction.RECTIFICATION_REPORTED, (S.PENDING, S.RECTIFYING),
               S.AWAITING_REVIEW, "hazard.write", needs_evidence=True, photo_kind="整改照片", doc_kind="整改报告"),
    Transition("pass", "复查合格", HazardAction.REVIEW_PASSED, (S.AWAITING_REVIEW,), S.CLOSED, "hazard.review",
               needs_evidence=True, photo_kind="复查照片", doc_kind="其他"),
    Transition("fail", "复查不合格", HazardAction.REVIEW_FAILED, (S.AWAITING_REVIEW,), S.RECTIFYING,
               "hazard.review", needs_evidence=True, needs_comment=True, deadline="required",
               comment_label="复查意见", photo_kind="复查照片"),
    Transition("confirm", "确认销号", HazardAction.CLOSE_CONFIRMED, (S.AWAITING_CONFIRMATION,), S.CLOSED,
               "hazard.confirm_close"),
    Transition("extend", "延长整改期限", HazardAction.DEADLINE_EXTENDED, (S.PENDING, S.RECTIFYING), None,
               "hazard.write", needs_comment=True, deadline="required", comment_label="延期原因"),
    Transition("assign", "指派监督员", HazardAction.ASSIGNED, _OPEN, None, "hazard.assign"),
    Transition("cancel", "撤销", HazardAction.CANCELLED, _OPEN, S.CANCELLED, "hazard.cancel", needs_comment=True,
               comment_label="撤销原因"),
)}


def target_state(t: Transition, level: str) -> HazardState | None:
    """Where ``t`` leads for a hazard of ``level`` (a major hazard's 复查合格 waits for the chief)."""
    if t.key == "pass" and level == HazardLevel.MAJOR.value:
        return S.AWAITING_CONFIRMATION
    return t.to_state


def available(state: str, actor: Actor) -> list[Transition]:
    """The steps ``actor`` may take on a hazard in ``state`` (for menus)."""
    return [t for t in TRANSITIONS.values() if state in t.from_states and can(actor, t.permission)]


def _refuse_state(h: Hazard, t: Transition) -> ValidationError:
    allowed = "、".join(s.value for s in t.from_states)
    return ValidationError({"状态": f"隐患{h.code}当前状态为“{h.state}”，不能{t.label}（仅适用于：{allowed}）"})


def _last_step_date(session: Session, h: Hazard) -> date:
    last = session.scalar(select(func.max(HazardEvent.on_date)).where(HazardEvent.hazard_id == h.id))
    return max(d for d in (last, h.found_on) if d is not None)


def _check_supervisor(session: Session, c: Checker, user_id: int | None) -> User | None:
    if user_id is None:
        c.add("监督员", "必填")
        return None
    u = session.get(User, user_id)
    if u is None or not u.active or u.role not in (Role.SUPERVISOR.value, Role.CHIEF.value):
        c.add("监督员", "须为在岗的监督员或站长")
        return None
    return u


def transition(session: Session, actor: Actor, hazard_id: int, key: str, *, on_date: date | None = None,
               comment: str = "", new_deadline: date | None = None, files: Sequence[str] = (),
               store: AttachmentStore | None = None, inspection_id: int | None = None,
               supervisor_id: int | None = None, expected_version: int | None = None) -> HazardData:
    """Take step ``key`` of :data:`TRANSITIONS` on the hazard. Nothing is saved when it is refused."""
    t = TRANSITIONS[key]
    require(actor, t.permission)
    h = load_for_change(session, hazard_id, expected_version)
    if h.state not in t.from_states:
        raise _refuse_state(h, t)
    today = clock.today()
    on = on_date or today
    comment = clean(comment)
    c = Checker()
    last = _last_step_date(session, h)
    if on > today:
        c.add("办理日期", "不能晚于今天")
    elif on < last:
        c.add("办理日期", f"不能早于上一步办理日期（{chinese_date(last)}）")
    if t.needs_comment:
        c.required(t.comment_label, comment)
    c.max_len(t.comment_label, comment, 500)
    if t.needs_evidence and not files:
        what = "整改报告或整改照片" if key == "report" else "复查照片或复查记录"
        c.add("证据材料", f"{t.label}须附{what}")
    if t.deadline == "required" and new_deadline is None:
        c.add("整改期限", "必填")
    if new_deadline is not None:
        floor, what = (h.found_on, "发现日期") if key == "start" else (
            (on, "复查日期" if key == "fail" else "办理日期") if on >= h.found_on else (h.found_on, "发现日期"))
        if new_deadline < floor:
            c.add("整改期限", f"不能早于{what}（{chinese_date(floor)}）")
        elif key == "extend" and new_deadline <= h.deadline:
            c.add("整改期限", f"延长后的期限应晚于原期限（{chinese_date(h.deadline)}）")
    supervisor = _check_supervisor(session, c, supervisor_id) if key == "assign" else None
    if supervisor is not None and supervisor.id == h.supervisor_id:
        c.add("监督员", f"该隐患的监督员已是{supervisor.full_name}")
    if inspection_id is not None:
        insp = session.get(Inspection, inspection_id)
        if insp is None or insp.project_id != h.project_id:
            c.add("复查记录", "所选监督检查记录不存在或不是本项目的")
        elif insp.inspected_at.date() < h.found_on:
            c.add("复查记录", f"所选监督检查记录（{chinese_date(insp.inspected_at)}）早于隐患发现日期"
                          f"（{chinese_date(h.found_on)}）")
    c.check()
    stored = store_files(store, files)

    before = {"state": h.state, "deadline": h.deadline.isoformat(), "supervisor_id": h.supervisor_id}
    from_state = h.state
    to_state = target_state(t, h.level)
    action = t.action
    if key == "start" and new_deadline is None:
        action = HazardAction.RECTIFICATION_STARTED
    if new_deadline is not None:
        if new_deadline != h.deadline:  # a date the clerk chose is exact; the same one keeps its 暂定
            h.deadline, h.deadline_provisional = new_deadline, False
        if key == "start":
            h.first_deadline = new_deadline
    if to_state is not None:
        h.state = to_state.value
        h.state_since = now()
    if key == "report":
        h.rectified_on = on
    if to_state == S.CLOSED:
        h.closed_on, h.closed_by_id = on, actor.user_id
    if key == "cancel":
        h.cancel_reason = comment[:500]
    if supervisor is not None:
        h.supervisor_id = supervisor.id
        comment = comment or f"监督员改为{supervisor.full_name}"
    flush_versioned(session, h)
    ev = add_event(session, actor, h, action, on_date=on, from_state=from_state,
                   to_state=h.state if to_state is not None else "", comment=comment,
                   new_deadline=new_deadline, inspection_id=inspection_id)
    attach_evidence(session, h, ev, stored, kind=t.photo_kind, doc_kind=t.doc_kind)
    after = {"state": h.state, "deadline": h.deadline.isoformat(), "supervisor_id": h.supervisor_id}
    audit.record(session, actor, "update", "hazard", h.id, before=before, after=after,
                 summary=f"隐患{h.code} {action.value}" + (f"（{from_state}→{h.state}）" if to_state else ""))
    return to_data(session, h)


# ------------------------------------------------------------------ named steps (what the UI calls)


def start_rectification(session: Session, actor: Actor, hazard_id: int, *, deadline: date | None = None,
                        on_date: date | None = None, comment: str = "",
                        expected_version: int | None = None) -> HazardData:
    return transition(session, actor, hazard_id, "start", new_deadline=deadline, on_date=on_date, comment=comment,
                      expected_version=expected_version)


def report_rectification(session: Session, actor: Actor, hazard_id: int, *, files: Sequence[str],
                         store: AttachmentStore | None, on_date: date | None = None, comment: str = "",
                         expected_version: int | None = None) -> HazardData:
    return transition(session, actor, hazard_id, "report", files=files, store=store, on_date=on_date,
                      comment=comment, expected_version=expected_version)


def review(session: Session, actor: Actor, hazard_id: int, *, passed: bool, files: Sequence[str],
           store: AttachmentStore | None, on_date: date | None = None, comment: str = "",
           new_deadline: date | None = None, inspection_id: int | None = None,
           expected_version: int | None = None) -> HazardData:
    return transition(session, actor, hazard_id, "pass" if passed else "fail", files=files, store=store,
                      on_date=on_date, comment=comment, new_deadline=new_deadline, inspection_id=inspection_id,
                      expected_version=expected_version)


def confirm_close(session: Session, actor: Actor, hazard_id: int, *, on_date: date | None = None,
                  comment: str = "", expected_version: int | None = None) -> HazardData:
    return transition(session, actor, hazard_id, "confirm", on_date=on_date, comment=comment,
                      expected_version=expected_version)


def cancel_hazard(session: Session, actor: Actor, hazard_id: int, *, reason: str,
                  expected_version: int | None = None) -> HazardData:
    return transition(session, actor, hazard_id, "cancel", comment=reason, expected_version=expected_version)


def extend_deadline(session: Session, actor: Actor, hazard_id: int, *, new_deadline: date, reason: str,
                    on_date: date | None = None, expected_version: int | None = None) -> HazardData:
    return transition(session, actor, hazard_id, "extend", new_deadline=new_deadline, comment=reason,
                      on_date=on_date, expected_version=expected_version)


def assign_supervisor(session: Session, actor: Actor, hazard_id: int, *, supervisor_id: int, comment: str = "",
                      expected_version: int | None = None) -> HazardData:
    return transition(session, actor, hazard_id, "assign", supervisor_id=supervisor_id, comment=comment,
                      expected_version=expected_version)
