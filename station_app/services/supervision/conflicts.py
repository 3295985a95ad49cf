"""Declared conflicts (回避关系) between a supervisor and an enterprise: no 双随机 draw pairs them
with a project where that enterprise is a party. A 监督员 declares their own; the chief anyone's.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from station_app import clock
from station_app.errors import NotFound, PermissionDenied, StaleRecord, ValidationError
from station_app.formatting import chinese_date
from station_app.models import Enterprise, ProjectParty, SupervisorConflict, User
from station_app.models.enums import Role
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.validation import Checker, clean

RELATIONS: tuple[str, ...] = ("近亲属在该企业任职", "本人曾在该企业任职", "本人或近亲属持有该企业股份", "其他利害关系")


@dataclass(frozen=True)
class ConflictRow:
    id: int
    user_id: int
    user_name: str
    enterprise_id: int
    enterprise_name: str
    relation: str
    declared_on: date
    ended_on: date | None
    note: str
    version: int


def _row(session: Session, conflict_id: int) -> ConflictRow:
    rows = list_conflicts(session, conflict_id=conflict_id)
    if not rows:
        raise NotFound("回避关系不存在。")
    return rows[0]


def _may_declare_for(actor: Actor, user_id: int) -> None:
    require(actor, "conflict.declare")
    if actor.role == Role.SUPERVISOR and actor.user_id != user_id:
        raise PermissionDenied("监督员只能登记本人的回避关系。")


def declare_conflict(session: Session, actor: Actor, user_id: int, enterprise_id: int, relation: str,
                     declared_on: date | None = None, note: str = "") -> ConflictRow:
    _may_declare_for(actor, user_id)
    relation, note, day = clean(relation), clean(note), declared_on or clock.today()
    c = Checker()
    u = session.get(User, user_id)
    if u is None:
        c.add("监督人员", "所选用户不存在")
    e = session.get(Enterprise, enterprise_id)
    if e is None:
        c.add("企业", "所选企业不存在")
    if c.required("关系", relation):
        c.one_of("关系", relation, RELATIONS)
    c.not_future("登记日期", day)
    c.max_len("说明", note, 500)
    c.check()
    assert u is not None and e is not None
    dup = session.scalar(select(SupervisorConflict.id).where(
        SupervisorConflict.user_id == user_id, SupervisorConflict.enterprise_id == enterprise_id,
        SupervisorConflict.ended_on.is_(None)))
    if dup is not None:
        raise ValidationError({"企业": f"“{u.full_name}”与“{e.name}”的回避关系已登记"})
    row = SupervisorConflict(user_id=user_id, enterprise_id=enterprise_id, relation=relation, declared_on=day,
                             note=note, created_by=actor.user_id)
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "supervisor_conflict", row.id,
                 after={"监督人员": u.full_name, "企业": e.name, "关系": relation, "登记日期": day},
                 summary=f"登记回避关系：{u.full_name}—{e.name}（{relation}）")
    return _row(session, row.id)


def end_conflict(session: Session, actor: Actor, conflict_id: int, ended_on: date | None = None,
                 expected_version: int | None = None) -> ConflictRow:
    row = session.get(SupervisorConflict, conflict_id)
    if row is None:
        raise NotFound("回避关系不存在。")
    _may_declare_for(actor, row.user_id)
    if expected_version is not None and row.version != expected_version:
        raise StaleRecord("该回避关系")
    day = ended_on or clock.today()
    c = Checker()
    if row.ended_on is not None:
        c.add("解除日期", f"该回避关系已于{chinese_date(row.ended_on)}解除")
    elif day <= row.declared_on:
        c.add("解除日期", f"应晚于登记日期（{chinese_date(row.declared_on)}）")
    c.check()
    row.ended_on = day
    session.flush()
    audit.record(session, actor, "update", "supervisor_conflict", row.id, before={"解除日期": None},
                 after={"解除日期": day}, summary=f"解除回避关系 #{row.id}")
    return _row(session, row.id)


def list_conflicts(session: Session, *, user_id: int | None = None, enterprise_id: int | None = None,
                   active_on: date | None = None, conflict_id: int | None = None) -> list[ConflictRow]:
    stmt = (select(SupervisorConflict, User.full_name, Enterprise.name)
            .join(User, User.id == SupervisorConflict.user_id)
            .join(Enterprise, Enterprise.id == SupervisorConflict.enterprise_id)
            .order_by(User.full_name, Enterprise.name, SupervisorConflict.id))
    if conflict_id is not None:
        stmt = stmt.where(SupervisorConflict.id == conflict_id)
    if user_id is not None:
        stmt = stmt.where(SupervisorConflict.user_id == user_id)
    if enterprise_id is not None:
        stmt = stmt.where(SupervisorConflict.enterprise_id == enterprise_id)
    if active_on is not None:
        stmt = stmt.where(SupervisorConflict.declared_on <= active_on,
                          or_(SupervisorConflict.ended_on.is_(None), SupervisorConflict.ended_on > active_on))
    return [ConflictRow(c.id, c.user_id, uname, c.enterprise_id, ename, c.relation, c.declared_on, c.ended_on,
                        c.note, c.version) for c, uname, ename in session.execute(stmt)]


def conflicted_pairs(session: Session, user_ids: Collection[int], project_ids: Collection[int],
                     on: date) -> set[tuple[int, int]]:
    """(user id, project id) pairs where the user has a conflict in force with a party of the project."""
    if not user_ids or not project_ids:
        return set()
    stmt = (select(SupervisorConflict.user_id, ProjectParty.project_id)
            .join(ProjectParty, ProjectParty.enterprise_id == SupervisorConflict.enterprise_id)
            .where(SupervisorConflict.user_id.in_(list(user_ids)), ProjectParty.project_id.in_(list(project_ids)),
                   SupervisorConflict.declared_on <= on,
                   or_(SupervisorConflict.ended_on.is_(None), SupervisorConflict.ended_on > on))
            .distinct())
    return {(uid, pid) for uid, pid in session.execute(stmt)}


def repoint_conflicts(session: Session, from_enterprise_id: int, to_enterprise_id: int) -> int:
    """For ``enterprises.merge_enterprises``: carry the declared conflicts over to the kept enterprise."""
    result = session.execute(update(SupervisorConflict).where(SupervisorConflict.enterprise_id == from_enterprise_id)
                             .values(enterprise_id=to_enterprise_id).execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


__all__ = [
    "RELATIONS",
    "ConflictRow",
    "conflicted_pairs",
    "declare_conflict",
    "end_conflict",
    "list_conflicts",
    "repoint_conflicts",
]
