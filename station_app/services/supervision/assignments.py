"""Who supervises a project (主监督员 + at least one 第二监督员), with effective-date history.

A change is appended at the end of a project's history: the rows that no longer apply end on the
change date, the new ones start on it. History answers "who was principal on 2025-03-15?".
Bulk changes (a supervisor leaves, a grid is split) are in :mod:`station_app.services.supervision.reassignment`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.errors import NotFound, ValidationError
from station_app.formatting import chinese_date
from station_app.models import Grid, Project, SupervisionAssignment, User
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.supervision.common import (
    IN_SUPERVISION_VALUES,
    SUPERVISING_ROLES,
    AssignmentRole,
    assignment_in_force,
    principal_first,
    supervising_users,
)
from station_app.services.validation import Checker, clean


@dataclass(frozen=True)
class SupervisorChoice:
    id: int
    name: str
    active: bool


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    project_id: int
    user_id: int
    user_name: str
    user_active: bool
    role: str
    effective_from: date
    effective_to: date | None
    note: str


@dataclass(frozen=True)
class ProjectTeam:
    project_id: int
    on: date
    principal_id: int | None
    principal_name: str
    second_ids: tuple[int, ...]
    second_names: tuple[str, ...]

    @property
    def member_ids(self) -> tuple[int, ...]:
        return ((self.principal_id,) if self.principal_id is not None else ()) + self.second_ids

    @property
    def label(self) -> str:
        """张三（主）、李四 — as the lists show it."""
        parts = [f"{self.principal_name}（主）"] if self.principal_id is not None else []
        return "、".join([*parts, *self.second_names])


def supervisor_choices(session: Session, *, include_inactive: bool = False) -> list[SupervisorChoice]:
    """Accounts that can be named supervisors (监督员 and 站长), by name."""
    return [SupervisorChoice(i, n, a) for i, n, a in supervising_users(session, include_inactive=include_inactive)]


def teams_on(session: Session, project_ids: Collection[int] | None, day: date | None = None) -> dict[int, ProjectTeam]:
    """The teams in force on ``day`` (today) of many projects in one query; ``None`` = all projects.

    Projects without any assignment on that day are absent from the result.
    """
    day = day or clock.today()
    stmt = (select(SupervisionAssignment.project_id, SupervisionAssignment.user_id, SupervisionAssignment.role,
                   User.full_name)
            .join(User, User.id == SupervisionAssignment.user_id)
            .where(assignment_in_force(day))
            .order_by(SupervisionAssignment.project_id, SupervisionAssignment.effective_from,
                      SupervisionAssignment.id))
    if project_ids is not None:
        stmt = stmt.where(SupervisionAssignment.project_id.in_(list(project_ids)))
    raw: dict[int, tuple[list[tuple[int, str]], list[tuple[int, str]]]] = {}
    for pid, uid, role, name in session.execute(stmt):
        principal, seconds = raw.setdefault(pid, ([], []))
        (principal if role == AssignmentRole.PRINCIPAL else seconds).append((uid, name))
    return {pid: ProjectTeam(pid, day, p[0][0] if p else None, p[0][1] if p else "",
                             tuple(u for u, _ in s), tuple(n for _, n in s))
            for pid, (p, s) in raw.items()}


def team_on(session: Session, project_id: int, day: date | None = None) -> ProjectTeam:
    if session.get(Project, project_id) is None:
        raise NotFound("项目不存在。")
    day = day or clock.today()
    return teams_on(session, [project_id], day).get(project_id, ProjectTeam(project_id, day, None, "", (), ()))


def principal_on(session: Session, project_id: int, day: date) -> int | None:
    """The 主监督员 of the project on ``day`` (None: nobody)."""
    return team_on(session, project_id, day).principal_id


def assignment_history(session: Session, project_id: int) -> list[AssignmentRow]:
    """Every assignment of the project, oldest first."""
    stmt = (select(SupervisionAssignment, User.full_name, User.active)
            .join(User, User.id == SupervisionAssignment.user_id)
            .where(SupervisionAssignment.project_id == project_id)
            .order_by(SupervisionAssignment.effective_from, principal_first(),
                      SupervisionAssignment.id))
    return [AssignmentRow(a.id, a.project_id, a.user_id, name, bool(active), a.role, a.effective_from,
                          a.effective_to, a.note)
            for a, name, active in session.execute(stmt)]


def last_change_dates(session: Session, project_ids: Collection[int]) -> dict[int, date]:
    """project id → the latest date its assignments changed (a new change may not be earlier)."""
    if not project_ids:
        return {}
    stmt = (select(SupervisionAssignment.project_id, func.max(SupervisionAssignment.effective_from),
                   func.max(SupervisionAssignment.effective_to))
            .where(SupervisionAssignment.project_id.in_(list(project_ids)))
            .group_by(SupervisionAssignment.project_id))
    out: dict[int, date] = {}
    for pid, start, end in session.execute(stmt):
        out[pid] = max(d for d in (start, end) if d is not None)
    return out


# --------------------------------------------------------------------------- validation and change


def load_users(session: Session, ids: Iterable[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}


def check_people(session: Session, c: Checker, principal_id: int | None, second_ids: Iterable[int],
                 users: dict[int, User] | None = None) -> None:
    """Two distinct, active supervising accounts at least: one 主监督员 and one or more 第二监督员.

    ``users`` (from :func:`load_users`) saves the lookup when checking many projects."""
    seconds = list(second_ids)
    if principal_id is None:
        c.add("主监督员", "必填")
    if not seconds:
        c.add("第二监督员", "至少一人（监督检查须两人以上）")
    if principal_id is not None and principal_id in seconds:
        c.add("第二监督员", "不能与主监督员为同一人")
    if len(set(seconds)) != len(seconds):
        c.add("第二监督员", "有重复人员")
    if users is None:
        users = load_users(session, [principal_id, *seconds])
    roles = [r.value for r in SUPERVISING_ROLES]
    for label, uid in [("主监督员", principal_id), *(("第二监督员", s) for s in seconds)]:
        if uid is None:
            continue
        u = users.get(uid)
        if u is None:
            c.add(label, "所选用户不存在")
        elif not u.active:
            c.add(label, f"“{u.full_name}”的账号已停用")
        elif u.role not in roles:
            c.add(label, f"“{u.full_name}”的角色为{u.role}，只能指定监督员或站长")


def change_team(session: Session, project_id: int, principal_id: int | None, second_ids: tuple[int, ...],
                day: date, note: str, created_by: int | None) -> bool:
    """End the open rows that no longer apply on ``day`` and open the new ones. True if anything changed.

    The caller has validated the people and that ``day`` is not before the last change.
    """
    wanted = {(uid, AssignmentRole.SECOND.value) for uid in second_ids}
    if principal_id is not None:
        wanted.add((principal_id, AssignmentRole.PRINCIPAL.value))
    open_rows = list(session.scalars(select(SupervisionAssignment).where(
        SupervisionAssignment.project_id == project_id, SupervisionAssignment.effective_to.is_(None))))
    have = {(a.user_id, a.role) for a in open_rows}
    changed = False
    for a in open_rows:
        if (a.user_id, a.role) not in wanted:
            changed = True
            if a.effective_from >= day:
                session.delete(a)  # a same-day correction leaves no empty period behind
            else:
                a.effective_to = day
    session.flush()
    ordered = [(principal_id, AssignmentRole.PRINCIPAL.value)] if principal_id is not None else []
    ordered += [(uid, AssignmentRole.SECOND.value) for uid in second_ids]
    for uid, role in ordered:
        if uid is not None and (uid, role) not in have:
            changed = True
            session.add(SupervisionAssignment(project_id=project_id, user_id=uid, role=role, effective_from=day,
                                              note=note[:200], created_by=created_by))
    session.flush()
    return changed


def set_team(session: Session, actor: Actor, project_id: int, principal_id: int | None,
             second_ids: Iterable[int], effective_from: date | None = None, note: str = "") -> ProjectTeam:
    """Name the project's 主监督员 and 第二监督员 from ``effective_from`` (today)."""
    require(actor, "supervision.assign")
    p = session.get(Project, project_id)
    if p is None:
        raise NotFound("项目不存在。")
    seconds = tuple(second_ids)
    day = effective_from or clock.today()
    note = clean(note)
    c = Checker()
    if p.status not in IN_SUPERVISION_VALUES:
        c.add("项目状态", f"项目“{p.name}”状态为“{p.status}”，不在监督中，不能安排监督员")
    check_people(session, c, principal_id, seconds)
    c.not_future("生效日期", day)
    last = last_change_dates(session, [project_id]).get(project_id)
    if last is not None and day < last:
        c.add("生效日期", f"不能早于该项目最近一次调整日期（{chinese_date(last)}）")
    c.max_len("说明", note, 200)
    c.check()
    before = team_on(session, project_id, day)
    if change_team(session, project_id, principal_id, seconds, day, note, actor.user_id):
        after = team_on(session, project_id, day)
        audit.record(session, actor, "update", "supervision", project_id,
                     before={"监督员": before.label}, after={"监督员": after.label, "生效日期": day},
                     summary=f"项目“{p.name}”监督员：{after.label}（{chinese_date(day)}起）")
    return team_on(session, project_id, day)


def end_team(session: Session, actor: Actor, project_id: int, effective_to: date | None = None,
             note: str = "") -> None:
    """Supervision of the project ends (终止监督/竣工): every open assignment ends on ``effective_to``."""
    require(actor, "supervision.assign")
    p = session.get(Project, project_id)
    if p is None:
        raise NotFound("项目不存在。")
    day = effective_to or clock.today()
    last = last_change_dates(session, [project_id]).get(project_id)
    if last is not None and day < last:
        raise ValidationError({"结束日期": f"不能早于该项目最近一次调整日期（{chinese_date(last)}）"})
    before = team_on(session, project_id, day)
    if change_team(session, project_id, None, (), day, clean(note), actor.user_id):
        audit.record(session, actor, "update", "supervision", project_id, before={"监督员": before.label},
                     after={"监督员": "", "结束日期": day},
                     summary=f"项目“{p.name}”监督安排于{chinese_date(day)}结束")


def grid_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = [i for i in set(ids) if i is not None]
    if not wanted:
        return {}
    return {gid: name for gid, name in session.execute(select(Grid.id, Grid.name).where(Grid.id.in_(wanted)))}


__all__ = [
    "AssignmentRow",
    "ProjectTeam",
    "SupervisorChoice",
    "assignment_history",
    "change_team",
    "check_people",
    "end_team",
    "grid_names",
    "last_change_dates",
    "load_users",
    "principal_on",
    "set_team",
    "supervisor_choices",
    "team_on",
    "teams_on",
]
