"""Bulk reassignment (批量调整): a supervisor leaves, a grid is split — one operation, previewed first.

:func:`preview_reassignment` and :func:`apply_reassignment` compute the plan with the same code, so
what the preview shows is what is applied. Applying writes one audit entry for the whole operation;
any project with a problem refuses the whole operation (nothing half-saved).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.errors import StaleRecord, ValidationError
from station_app.formatting import chinese_date
from station_app.models import Grid, Project, SupervisionAssignment
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.supervision.assignments import (
    change_team,
    check_people,
    grid_names,
    last_change_dates,
    load_users,
    teams_on,
)
from station_app.services.supervision.common import IN_SUPERVISION_VALUES, assignment_in_force, user_names
from station_app.services.validation import Checker, clean


@dataclass(frozen=True)
class ReassignmentSpec:
    """Which projects (all criteria together) and what changes on them from ``effective_from``."""

    effective_from: date
    reason: str
    # selection: projects in supervision matching every criterion given
    project_ids: tuple[int, ...] = ()
    from_grid_id: int | None = None
    towns: tuple[str, ...] = ()
    #: projects this person supervises (any role) on ``effective_from``; with ``to_user_id`` replaced
    from_user_id: int | None = None
    # changes
    to_user_id: int | None = None
    to_grid_id: int | None = None
    new_principal_id: int | None = None
    #: None: seconds unchanged (apart from the replacement); a tuple: these seconds
    new_second_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class ReassignmentItem:
    project_id: int
    project_name: str
    grid_id_before: int | None
    grid_id_after: int | None
    grid_before: str
    grid_after: str
    principal_id_before: int | None
    principal_id_after: int | None
    principal_before: str
    principal_after: str
    second_ids_before: tuple[int, ...]
    second_ids_after: tuple[int, ...]
    seconds_before: tuple[str, ...]
    seconds_after: tuple[str, ...]
    changed: bool
    problems: tuple[str, ...]


@dataclass(frozen=True)
class ReassignmentPreview:
    effective_from: date
    items: tuple[ReassignmentItem, ...]

    @property
    def changed_count(self) -> int:
        return sum(1 for i in self.items if i.changed)

    @property
    def problem_count(self) -> int:
        return sum(1 for i in self.items if i.problems)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0 and self.changed_count > 0


def _check_spec(session: Session, spec: ReassignmentSpec) -> None:
    c = Checker()
    c.required("调整原因", clean(spec.reason))
    c.max_len("调整原因", clean(spec.reason), 200)
    c.not_future("生效日期", spec.effective_from)
    if not (spec.project_ids or spec.from_grid_id is not None or spec.towns or spec.from_user_id is not None):
        c.add("调整范围", "请至少指定一项：项目、原网格、乡镇或原监督员")
    if (spec.to_user_id is None and spec.to_grid_id is None and spec.new_principal_id is None
            and spec.new_second_ids is None):
        c.add("调整内容", "请至少指定一项：接替监督员、新网格、主监督员或第二监督员")
    if spec.to_user_id is not None:
        if spec.from_user_id is None:
            c.add("原监督员", "指定接替监督员时必填")
        elif spec.to_user_id == spec.from_user_id:
            c.add("接替监督员", "不能与原监督员为同一人")
    for label, gid in (("原网格", spec.from_grid_id), ("新网格", spec.to_grid_id)):
        if gid is not None:
            g = session.get(Grid, gid)
            if g is None:
                c.add(label, "所选网格不存在")
            elif label == "新网格" and not g.active:
                c.add(label, f"网格“{g.name}”已停用")
    c.check()


def _select(session: Session, spec: ReassignmentSpec) -> list[tuple[int, str, int | None]]:
    stmt = select(Project.id, Project.name, Project.grid_id).where(Project.status.in_(IN_SUPERVISION_VALUES))
    if spec.project_ids:
        stmt = stmt.where(Project.id.in_(list(spec.project_ids)))
    if spec.from_grid_id is not None:
        stmt = stmt.where(Project.grid_id == spec.from_grid_id)
    if spec.towns:
        stmt = stmt.where(Project.town.in_(list(spec.towns)))
    if spec.from_user_id is not None:
        stmt = stmt.where(Project.id.in_(select(SupervisionAssignment.project_id).where(
            SupervisionAssignment.user_id == spec.from_user_id, assignment_in_force(spec.effective_from))))
    return [(pid, name, gid) for pid, name, gid in session.execute(stmt.order_by(Project.name, Project.id))]


def _plan(session: Session, spec: ReassignmentSpec) -> ReassignmentPreview:
    _check_spec(session, spec)
    projects = _select(session, spec)
    if not projects:
        raise ValidationError({"调整范围": "没有符合条件的在监项目"})
    ids = [pid for pid, _, _ in projects]
    day = spec.effective_from
    teams = teams_on(session, ids, day)
    last = last_change_dates(session, ids)
    plans: list[tuple[int, str, int | None, int | None, int | None, int | None, tuple[int, ...],
                      tuple[int, ...], tuple[str, ...]]] = []
    people: set[int] = set()
    candidates = load_users(session, [spec.to_user_id, spec.new_principal_id, *(spec.new_second_ids or ()),
                                      *(i for t in teams.values() for i in t.member_ids)])
    for pid, name, gid in projects:
        team = teams.get(pid)
        p_before = team.principal_id if team else None
        s_before = team.second_ids if team else ()
        p_after, s_after = p_before, list(s_before)
        if spec.to_user_id is not None:
            if p_after == spec.from_user_id:
                p_after = spec.to_user_id
            s_after = [spec.to_user_id if s == spec.from_user_id else s for s in s_after]
        if spec.new_principal_id is not None:
            p_after = spec.new_principal_id
        if spec.new_second_ids is not None:
            s_after = list(spec.new_second_ids)
        deduped: list[int] = []
        for s in s_after:  # whoever becomes principal leaves the seconds; no one twice
            if s != p_after and s not in deduped:
                deduped.append(s)
        # in the order the history will show them: those kept first, then the new ones
        deduped = [s for s in s_before if s in deduped] + [s for s in deduped if s not in s_before]
        c = Checker()
        if (p_after, tuple(deduped)) != (p_before, s_before):  # a grid move alone leaves the team as it is
            check_people(session, c, p_after, deduped, candidates)
            if pid in last and day < last[pid]:
                c.add("生效日期", f"早于该项目最近一次调整日期（{chinese_date(last[pid])}）")
        problems = tuple(f"{k}：{v}" for k, v in c.errors.items())
        g_after = spec.to_grid_id if spec.to_grid_id is not None else gid
        plans.append((pid, name, gid, g_after, p_before, p_after, s_before, tuple(deduped), problems))
        people.update(i for i in (p_before, p_after, *s_before, *deduped) if i is not None)
    names = user_names(session, people)
    grids = grid_names(session, [g for plan in plans for g in (plan[2], plan[3])])
    items = []
    for pid, name, g_b, g_a, p_b, p_a, s_b, s_a, problems in plans:
        changed = g_b != g_a or p_b != p_a or s_b != s_a
        items.append(ReassignmentItem(
            pid, name, g_b, g_a, grids.get(g_b, "") if g_b else "", grids.get(g_a, "") if g_a else "",
            p_b, p_a, names.get(p_b, "") if p_b else "", names.get(p_a, "") if p_a else "",
            s_b, s_a, tuple(names.get(i, "") for i in s_b), tuple(names.get(i, "") for i in s_a),
            changed, problems if changed else ()))
    return ReassignmentPreview(day, tuple(items))


def preview_reassignment(session: Session, actor: Actor, spec: ReassignmentSpec) -> ReassignmentPreview:
    """What :func:`apply_reassignment` would do, project by project, with each project's problems."""
    require(actor, "supervision.assign")
    return _plan(session, spec)


def _state(item: ReassignmentItem, after: bool) -> dict[str, Any]:
    if after:
        return {"网格": item.grid_after, "主监督员": item.principal_after, "第二监督员": "、".join(item.seconds_after)}
    return {"网格": item.grid_before, "主监督员": item.principal_before, "第二监督员": "、".join(item.seconds_before)}


def apply_reassignment(session: Session, actor: Actor, spec: ReassignmentSpec,
                       confirmed: ReassignmentPreview | None = None) -> ReassignmentPreview:
    """Apply the plan in the caller's transaction. With ``confirmed`` (the preview the user saw), refuse
    if the plan has changed since. Any project with a problem refuses the whole operation."""
    require(actor, "supervision.assign")
    preview = _plan(session, spec)
    if confirmed is not None and confirmed != preview:
        raise StaleRecord("预览后监督安排")
    bad = [i for i in preview.items if i.problems]
    if bad:
        first = "；".join(f"{i.project_name}（{'，'.join(i.problems)}）" for i in bad[:5])
        more = f"等{len(bad)}个项目" if len(bad) > 5 else ""
        raise ValidationError({"批量调整": f"以下项目不能调整：{first}{more}"})
    changed = [i for i in preview.items if i.changed]
    if not changed:
        raise ValidationError({"调整内容": "所选项目的网格和监督员都没有变化"})
    reason = clean(spec.reason)
    for item in changed:
        if item.grid_id_after != item.grid_id_before:
            p = session.get(Project, item.project_id)
            assert p is not None
            p.grid_id = item.grid_id_after
        if (item.principal_id_after, item.second_ids_after) != (item.principal_id_before, item.second_ids_before):
            change_team(session, item.project_id, item.principal_id_after, item.second_ids_after,
                        spec.effective_from, reason, actor.user_id)
    session.flush()
    before = {f"{i.project_name}#{i.project_id}": _state(i, False) for i in changed}
    after: dict[str, Any] = {f"{i.project_name}#{i.project_id}": _state(i, True) for i in changed}
    after["生效日期"] = spec.effective_from
    after["调整原因"] = reason
    audit.record(session, actor, "reassign", "supervision", None, before=before, after=after,
                 summary=f"批量调整监督安排：{len(changed)}个项目，{chinese_date(spec.effective_from)}起（{reason}）")
    return preview


__all__ = [
    "ReassignmentItem",
    "ReassignmentPreview",
    "ReassignmentSpec",
    "apply_reassignment",
    "preview_reassignment",
]
