"""一案双查: a case against a company also looks at its responsible people on the project —
the 项目负责人 and the 安全管理人员 (专职安全员, 安全总监) its party named — and records, per person,
处罚 / 不予处罚 (with the reason) / 移送 (to whom). A case cannot be closed while one is pending.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.errors import NotFound, ValidationError
from station_app.models import CaseReview, PenaltyCase, Person, ProjectParty, ProjectPartyPerson
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.validation import Checker, clean

#: posts reviewed: the project manager and the safety managers of the penalised company
REVIEW_POSTS = ("项目负责人", "安全总监", "专职安全员")
OUTCOMES = ("处罚", "不予处罚", "移送")


def open_reviews(session: Session, case: PenaltyCase) -> list[CaseReview]:
    """Add a pending review for each responsible person of the case's company on its project."""
    if case.party_kind != "单位" or case.enterprise_id is None or case.project_id is None:
        return []
    rows = session.execute(
        select(ProjectPartyPerson.person_id, Person.name, ProjectPartyPerson.post)
        .join(ProjectParty, ProjectParty.id == ProjectPartyPerson.party_id)
        .join(Person, Person.id == ProjectPartyPerson.person_id)
        .where(ProjectParty.project_id == case.project_id, ProjectParty.enterprise_id == case.enterprise_id,
               ProjectPartyPerson.post.in_(REVIEW_POSTS))
        .order_by(ProjectPartyPerson.id)).all()
    have = {(r.person_id, r.post) for r in case.reviews}
    added = []
    for person_id, name, post in rows:
        if (person_id, post) in have:
            continue
        have.add((person_id, post))
        review = CaseReview(person_id=person_id, person_name=name[:50], post=post)
        case.reviews.append(review)
        added.append(review)
    return added


def add_review(session: Session, actor: Actor, case_id: int, person_name: str, post: str,
               person_id: int | None = None) -> int:
    """Add a person to 一案双查 by hand (e.g. one not registered on the project)."""
    require(actor, "case.write")
    case = session.get(PenaltyCase, case_id)
    if case is None:
        raise NotFound("行政处罚案件不存在。")
    c = Checker()
    person = session.get(Person, person_id) if person_id else None
    if person_id and person is None:
        c.add("人员", "所选人员不存在")
    name = clean(person_name) or (person.name if person else "")
    c.required("姓名", name)
    c.required("岗位", clean(post))
    c.max_len("姓名", name, 50)
    c.max_len("岗位", clean(post), 20)
    c.check()
    review = CaseReview(person_id=person_id, person_name=name, post=clean(post))
    case.reviews.append(review)
    session.flush()
    audit.record(session, actor, "update", "penalty_case", case.id, after={"一案双查": f"{name}（{post}）"},
                 summary=f"一案双查增加 {case.code} {name}")
    return review.id


def decide_review(session: Session, actor: Actor, review_id: int, outcome: str, reason: str,
                  on: date | None) -> None:
    """Record the outcome of one person's review."""
    require(actor, "case.write")
    review = session.get(CaseReview, review_id)
    if review is None:
        raise NotFound("一案双查记录不存在。")
    reason = clean(reason)
    c = Checker()
    c.required("处理结论", outcome)
    c.one_of("处理结论", outcome, OUTCOMES)
    if outcome == "不予处罚" and not reason:
        c.add("理由", "不予处罚须说明理由")
    if outcome == "移送" and not reason:
        c.add("理由", "移送须写明移送机关和理由")
    if on is None:
        c.add("日期", "必填")
    c.not_future("日期", on)
    c.check()
    before = {"结论": review.outcome, "理由": review.reason}
    review.outcome, review.reason, review.decided_on = outcome, reason, on
    review.decided_by_name = actor.full_name[:50]
    session.flush()
    audit.record(session, actor, "update", "penalty_case", review.case_id, before=before,
                 after={"结论": outcome, "理由": reason},
                 summary=f"一案双查结论 {review.person_name}（{review.post}）：{outcome}")


def pending_reviews(case: PenaltyCase) -> list[CaseReview]:
    return [r for r in case.reviews if not r.outcome]


def require_reviews_done(case: PenaltyCase) -> None:
    pending = pending_reviews(case)
    if pending:
        names = "、".join(f"{r.person_name}（{r.post}）" for r in pending)
        raise ValidationError({"一案双查": f"尚有{len(pending)}人未作出处理结论：{names}"})
