"""网格 (supervision grids): the list with leaders and project counts, edits, and the 网格长 history.

``grids.leader_id`` is the current 网格长; ``grid_leader_terms`` keeps who led the grid when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.errors import DuplicateRecord, NotFound, StaleRecord
from station_app.formatting import chinese_date
from station_app.models import Grid, GridLeaderTerm, Project, User
from station_app.services import audit, station
from station_app.services.context import Actor, require
from station_app.services.supervision.common import (
    IN_SUPERVISION_VALUES,
    SUPERVISING_ROLES,
    in_force,
    user_names,
)
from station_app.services.validation import Checker, clean


@dataclass(frozen=True)
class GridRow:
    id: int
    name: str
    towns: str
    active: bool
    leader_id: int | None
    leader_name: str
    leader_active: bool
    #: projects in supervision (在监) whose current grid this is
    project_count: int
    note: str
    version: int


@dataclass(frozen=True)
class LeaderTerm:
    grid_id: int
    user_id: int
    user_name: str
    effective_from: date
    effective_to: date | None


def list_grid_rows(session: Session, *, include_inactive: bool = False) -> list[GridRow]:
    counts = (select(Project.grid_id, func.count(Project.id).label("n"))
              .where(Project.status.in_(IN_SUPERVISION_VALUES), Project.grid_id.is_not(None))
              .group_by(Project.grid_id).subquery())
    stmt = (select(Grid, User.full_name, User.active, counts.c.n)
            .outerjoin(User, User.id == Grid.leader_id)
            .outerjoin(counts, counts.c.grid_id == Grid.id)
            .order_by(Grid.active.desc(), Grid.name))
    if not include_inactive:
        stmt = stmt.where(Grid.active.is_(True))
    return [GridRow(g.id, g.name, g.towns, g.active, g.leader_id, name or "", bool(active) if name else False,
                    int(n or 0), g.note, g.version)
            for g, name, active, n in session.execute(stmt)]


def get_grid(session: Session, grid_id: int) -> GridRow:
    for row in list_grid_rows(session, include_inactive=True):
        if row.id == grid_id:
            return row
    raise NotFound("网格不存在。")


def _check_leader(session: Session, c: Checker, user_id: int | None) -> None:
    if user_id is None:
        return
    u = session.get(User, user_id)
    if u is None:
        c.add("网格长", "所选用户不存在")
    elif not u.active:
        c.add("网格长", f"“{u.full_name}”的账号已停用")
    elif u.role not in [r.value for r in SUPERVISING_ROLES]:
        c.add("网格长", f"“{u.full_name}”的角色为{u.role}，网格长须为监督员或站长")


def _open_term(session: Session, grid_id: int) -> GridLeaderTerm | None:
    return session.scalar(select(GridLeaderTerm).where(GridLeaderTerm.grid_id == grid_id,
                                                       GridLeaderTerm.effective_to.is_(None)))


def create_grid(session: Session, actor: Actor, name: str, towns: str = "", leader_id: int | None = None,
                note: str = "", effective_from: date | None = None) -> GridRow:
    """A new grid; with a leader, the leader's term starts on ``effective_from`` (today)."""
    require(actor, "grid.write")
    c = Checker()
    c.required("网格名称", clean(name))
    c.max_len("网格名称", clean(name), 50)
    c.max_len("所辖乡镇/片区", clean(towns), 300)
    _check_leader(session, c, leader_id)
    c.not_future("网格长任职日期", effective_from)
    c.check()
    info = station.create_grid(session, actor, name, towns, leader_id)
    g = session.get(Grid, info.id)
    assert g is not None
    g.note = clean(note)
    if leader_id is not None:
        session.add(GridLeaderTerm(grid_id=g.id, user_id=leader_id, effective_from=effective_from or clock.today(),
                                   created_by=actor.user_id))
    session.flush()
    return get_grid(session, g.id)


def update_grid(session: Session, actor: Actor, grid_id: int, *, name: str, towns: str, note: str = "",
                active: bool = True, expected_version: int | None = None) -> GridRow:
    """Rename, change the towns or note; deactivate only a grid with no project in supervision."""
    require(actor, "grid.write")
    g = session.get(Grid, grid_id)
    if g is None:
        raise NotFound("网格不存在。")
    if expected_version is not None and g.version != expected_version:
        raise StaleRecord(f"网格“{g.name}”")
    name, towns, note = clean(name), clean(towns), clean(note)
    c = Checker()
    c.required("网格名称", name)
    c.max_len("网格名称", name, 50)
    c.max_len("所辖乡镇/片区", towns, 300)
    if not active and g.active:
        n = session.scalar(select(func.count(Project.id)).where(
            Project.grid_id == grid_id, Project.status.in_(IN_SUPERVISION_VALUES))) or 0
        if n:
            c.add("停用", f"网格内还有{n}个在监项目，请先将其调整到其他网格")
    c.check()
    if name != g.name and session.scalar(select(func.count(Grid.id)).where(Grid.name == name, Grid.id != g.id)):
        raise DuplicateRecord(f"网格“{name}”已存在。")
    fields = ("name", "towns", "note", "active")
    before = audit.snapshot(g, fields)
    g.name, g.towns, g.note, g.active = name, towns, note, active
    session.flush()
    after = audit.snapshot(g, fields)
    if before != after:
        audit.record(session, actor, "update", "grid", g.id, before=before, after=after, summary=f"修改网格 {g.name}")
    return get_grid(session, g.id)


def set_grid_leader(session: Session, actor: Actor, grid_id: int, user_id: int | None,
                    effective_from: date | None = None) -> GridRow:
    """Change the 网格长 from ``effective_from`` (today); the previous term ends that day."""
    require(actor, "grid.write")
    g = session.get(Grid, grid_id)
    if g is None:
        raise NotFound("网格不存在。")
    day = effective_from or clock.today()
    c = Checker()
    _check_leader(session, c, user_id)
    c.not_future("任职日期", day)
    term = _open_term(session, grid_id)
    if term is not None and day < term.effective_from:
        c.add("任职日期", f"不能早于现任网格长的任职日期（{chinese_date(term.effective_from)}）")
    c.check()
    if user_id == g.leader_id:
        return get_grid(session, grid_id)
    before = {"leader": user_names(session, {g.leader_id}).get(g.leader_id, "") if g.leader_id else ""}
    if term is not None:
        if term.effective_from == day:
            session.delete(term)  # a same-day correction leaves no empty period behind
        else:
            term.effective_to = day
    if user_id is not None:
        session.add(GridLeaderTerm(grid_id=grid_id, user_id=user_id, effective_from=day, created_by=actor.user_id))
    g.leader_id = user_id
    session.flush()
    after = {"leader": user_names(session, {user_id}).get(user_id, "") if user_id else ""}
    audit.record(session, actor, "update", "grid", grid_id, before=before, after={**after, "from": day},
                 summary=f"网格“{g.name}”网格长调整为{after['leader'] or '（空缺）'}（{chinese_date(day)}起）")
    return get_grid(session, grid_id)


def grid_leader_history(session: Session, grid_id: int) -> list[LeaderTerm]:
    stmt = (select(GridLeaderTerm, User.full_name).join(User, User.id == GridLeaderTerm.user_id)
            .where(GridLeaderTerm.grid_id == grid_id).order_by(GridLeaderTerm.effective_from, GridLeaderTerm.id))
    return [LeaderTerm(t.grid_id, t.user_id, name, t.effective_from, t.effective_to)
            for t, name in session.execute(stmt)]


def grid_leader_on(session: Session, grid_id: int, day: date) -> int | None:
    """Who led the grid on ``day`` (None: nobody recorded)."""
    return session.scalar(select(GridLeaderTerm.user_id).where(
        GridLeaderTerm.grid_id == grid_id,
        in_force(GridLeaderTerm.effective_from, GridLeaderTerm.effective_to, day)))


__all__ = [
    "GridRow",
    "LeaderTerm",
    "create_grid",
    "get_grid",
    "grid_leader_history",
    "grid_leader_on",
    "list_grid_rows",
    "set_grid_leader",
    "update_grid",
]
