"""Grid supervision with history: a grid split, 网格长 terms, dated teams (主监督员 + 1–2 第二监督员),
a supervisor who left, deliberate blind spots, and one 全覆盖排查 round per half-year.

Rows are written as the services would leave them after years of use (assignments.change_team,
reassignment.apply_reassignment, grids.set_grid_leader): periods from-inclusive, to-exclusive; a change
ends the rows that no longer apply and opens the new ones on the same day. What the later steps need
(teams by date, grid by date, disabled accounts) goes on a :class:`SupervisionHistory`.

- Teams: each project from its 监督登记 (registered) day to the end of supervision (竣工验收备案, else
  actual finish, or 终止监督), mostly from its grid's pool of supervisors (the 网格长 and two others),
  sometimes the 站长; now and then one member changes (工作调整).
- The last demo 监督员 leaves about three quarters into the period: the account is disabled and the
  projects are handed over that day, except a few left behind (blind spot: disabled account).
- The last grid of the area is split off the one before it about half-way: projects then in
  supervision move to it with a new team; projects finished before keep the old grid.
- A few projects in supervision have no team at all (the latest registered) or lost their 第二监督员.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update

from station_app.demo.context import GenContext, ProjectRec, rand_date, stamp, table_of
from station_app.demo.history import Segment, SupervisionHistory, put_history
from station_app.demo.places import area_grids
from station_app.formatting import chinese_date
from station_app.models import CoverageRound, Grid, GridLeaderTerm, Project, SupervisionAssignment, User
from station_app.models.enums import IN_SUPERVISION, ProjectStatus, Role
from station_app.services.supervision.common import AssignmentRole

_IN_SUP = frozenset(s.value for s in IN_SUPERVISION)
_PRINCIPAL, _SECOND = AssignmentRole.PRINCIPAL.value, AssignmentRole.SECOND.value
#: chance per half-year of supervision that one team member changes (工作调整)
_CHANGE_PER_HALF_YEAR = 0.12
_DEMO_USERNAME = re.compile(r"jd\d+$")

State = tuple[date, int | None, tuple[int, ...], str]


def _share(n: int, fraction: float) -> int:
    return max(1, round(n * fraction))


class _Planner:
    """Draws the teams of every project; one instance per run."""

    def __init__(self, ctx: GenContext, hist: SupervisionHistory, sups: list[int], chief: int | None,
                 departed: int | None, left_on: date, pools: dict[int, list[int]]) -> None:
        self.ctx, self.rng, self.hist = ctx, ctx.rng, hist
        self.sups, self.chief, self.departed, self.left_on, self.pools = sups, chief, departed, left_on, pools
        self.grid_names: dict[int, str] = {}

    def active(self, day: date) -> list[int]:
        return [u for u in self.sups if not (u == self.departed and day >= self.left_on)]

    def pick(self, grid_id: int | None, day: date, taken: list[int], from_pool: float) -> int | None:
        """Someone not in ``taken``: from the grid's pool with probability ``from_pool``, now and then the
        站长; None when nobody is left."""
        active = [u for u in self.active(day) if u not in taken]
        pool = [u for u in self.pools.get(grid_id, []) if u in active] if grid_id is not None else []
        if self.chief is not None and self.chief not in taken and (not active or self.rng.random() < 0.04):
            return self.chief
        if not active:
            return None
        return self.rng.choice(pool if pool and self.rng.random() < from_pool else active)

    def draw(self, grid_id: int | None, day: date) -> tuple[int, tuple[int, ...]]:
        principal = self.pick(grid_id, day, [], 0.85)
        assert principal is not None  # at least two supervisors are active on any day
        n = 1 if self.rng.random() < 0.65 else 2
        seconds: list[int] = []
        for _ in range(n):
            u = self.pick(grid_id, day, [principal, *seconds], 0.7)
            if u is not None:
                seconds.append(u)
        return principal, tuple(seconds)

    def timeline(self, rec: ProjectRec, start: date, stop: date | None, special: str) -> list[State]:
        """The team changes of one project: [(day, principal, seconds, note)], the first on ``start``."""
        rng, hist = self.rng, self.hist
        horizon = stop or self.ctx.today
        principal, seconds = self.draw(hist.grid_on(rec, start), start)
        if special == "keep" and self.departed is not None and self.departed not in (principal, *seconds):
            seconds = (seconds[0], self.departed) if seconds[0] != self.departed else seconds
        events: list[tuple[date, str]] = []
        if not special:
            for _ in range(max(0, (horizon - start).days // 182)):
                if rng.random() < _CHANGE_PER_HALF_YEAR and (horizon - start).days > 90:
                    events.append((rand_date(rng, start + timedelta(days=30), horizon - timedelta(days=30)),
                                   "change"))
        change = hist.grid_changes.get(rec.id)
        if change is not None and start < change[0] < horizon:
            events.append((change[0], "split"))
        if self.departed is not None and special != "keep" and start < self.left_on < horizon:
            events.append((self.left_on, "leave"))
        if special == "no_second":
            events.append((self.ctx.today - timedelta(days=rng.randint(60, 150)), "drop"))
        states: list[State] = [(start, principal, seconds, "")]
        for day, kind in sorted(events):
            if day <= states[-1][0] or day >= horizon:
                continue
            p, s = states[-1][1], states[-1][2]
            assert p is not None
            note = ""
            if kind == "change":
                p, s = self._change(rec, day, p, s)
                note = "工作调整"
            elif kind == "split":
                p, s = self.draw(rec.grid_id, day)
                note = f"网格拆分，项目调整至{self.grid_names.get(rec.grid_id or 0, '新设网格')}"
            elif kind == "leave":
                if self.departed not in (p, *s):
                    continue
                succ = self.pick(hist.grid_on(rec, day), day, [p, *s], 0.9)
                if succ is None:
                    rest = [x for x in (p, *s) if x != self.departed]
                    p, s = rest[0], tuple(rest[1:])
                else:
                    p = succ if p == self.departed else p
                    s = tuple(succ if x == self.departed else x for x in s)
                note = f"监督员{hist.names.get(self.departed or 0, '')}离职，监督项目移交"
            else:
                s, note = (), "第二监督员调离，待补充"
            states.append((day, p, s, note))
        return states

    def _change(self, rec: ProjectRec, day: date, p: int, s: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
        grid = self.hist.grid_on(rec, day)
        new = self.pick(grid, day, [p, *s], 0.7)
        roll = self.rng.random()
        if new is None:
            return p, s
        if roll < 0.6 or not s:  # one 第二监督员 replaced
            i = self.rng.randrange(len(s)) if s else 0
            return p, (*s[:i], new, *s[i + 1:])
        if roll < 0.8:  # the 主监督员 hands over to the first 第二监督员
            return s[0], (*s[1:], new)
        if len(s) == 2:
            return p, s[:1]
        return p, (*s, new)


def _rows_of(states: list[State], stop: date | None, project_id: int, next_id: int, ctx: GenContext,
             chief: int | None) -> tuple[list[dict[str, Any]], list[Segment]]:
    """Assignment rows exactly as successive change_team calls leave them, and the team periods."""
    rows: list[dict[str, Any]] = []
    open_rows: dict[tuple[int, str], dict[str, Any]] = {}
    segments: list[Segment] = []
    for i, (day, p, s, note) in enumerate(states):
        end = states[i + 1][0] if i + 1 < len(states) else stop
        segments.append(Segment(day, end, p, s))
        wanted = [(p, _PRINCIPAL)] if p is not None else []
        wanted += [(u, _SECOND) for u in s]
        for key in list(open_rows):
            if key not in wanted:
                open_rows.pop(key)["effective_to"] = day
        for uid, role in wanted:
            if (uid, role) not in open_rows:
                row = {"id": next_id + len(rows), "project_id": project_id, "user_id": uid, "role": role,
                       "effective_from": day, "effective_to": None, "note": note,
                       "created_at": stamp(ctx.rng, day), "created_by": chief}
                open_rows[(uid, role)] = row
                rows.append(row)
    for row in open_rows.values():
        row["effective_to"] = stop
    return rows, segments


def _leader_terms(ctx: GenContext, grids: list[tuple[int, int | None]], starts: dict[int, date],
                  sups: list[int], departed: int | None, left_on: date, pools: dict[int, list[int]],
                  chief: int | None) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """网格长 terms of every grid, and the grids whose current leader changes (the one who left)."""
    rng = ctx.rng
    table = table_of(GridLeaderTerm)
    next_id = ctx.next_id(table)
    rows: list[dict[str, Any]] = []
    new_leader: dict[int, int] = {}
    for gid, leader in grids:
        if leader is None:
            continue
        start = starts.get(gid, ctx.span_start)
        terms: list[tuple[date, int]] = [(start, leader)]
        others = [u for u in sups if u not in (leader, departed)]
        if leader == departed and start < left_on:
            successor = next((u for u in pools.get(gid, [])[1:] if u != departed), others[0] if others else leader)
            terms.append((left_on, successor))
            new_leader[gid] = successor
        elif others and rng.random() < 0.35 and (ctx.today - start).days > 240:
            terms = [(start, rng.choice(others)),
                     (rand_date(rng, start + timedelta(days=90), ctx.today - timedelta(days=90)), leader)]
        for i, (day, uid) in enumerate(terms):
            end = terms[i + 1][0] if i + 1 < len(terms) else None
            rows.append({"id": next_id + len(rows), "grid_id": gid, "user_id": uid, "effective_from": day,
                         "effective_to": end, "created_at": stamp(rng, day), "created_by": chief})
    return rows, new_leader


def _last_day(rec: ProjectRec, filing: date | None) -> date | None:
    """The last day of supervision, None while the project is still in supervision."""
    if rec.status in _IN_SUP:
        return None
    if rec.status == ProjectStatus.COMPLETED.value:
        return filing or rec.actual_finish or rec.registered
    return rec.stopped or rec.registered


def _update(ctx: GenContext, model: type, values: list[dict[str, Any]], *, edit: bool = False,
            **columns: str) -> None:
    """Core executemany UPDATE ... WHERE id = :b_id (``columns``: column → key in ``values``).

    A row's updated_at stays as it is unless given (Core would apply the column's onupdate clock);
    ``edit``: an edit a clerk made, which bumps the version as the ORM would."""
    if not values:
        return
    table = table_of(model)
    assigned: dict[str, Any] = {col: bindparam(key) for col, key in columns.items()}
    if "updated_at" in table.c and "updated_at" not in assigned:
        assigned["updated_at"] = table.c.updated_at
    if edit:
        assigned["version"] = table.c.version + 1
    stmt = update(table).where(table.c.id == bindparam("b_id")).values(**assigned)
    ctx.session.connection().execute(stmt, values)


def make_supervision(ctx: GenContext) -> None:
    rng, s, today = ctx.rng, ctx.session, ctx.today
    hist = SupervisionHistory()
    put_history(ctx, hist)
    people = s.execute(select(User.id, User.username, User.full_name).where(
        User.role.in_([Role.SUPERVISOR.value, Role.CHIEF.value])).order_by(User.id)).all()
    hist.names = {uid: name for uid, _, name in people}
    usernames = {uid: username for uid, username, _ in people}
    sups = list(ctx.users.get(Role.SUPERVISOR.value, []))
    chiefs = ctx.users.get(Role.CHIEF.value, [])
    chief = chiefs[0] if chiefs else None
    hist.filing = {pid: d for pid, d in s.execute(select(Project.id, Project.completion_filing_date))}
    if len(sups) < 2:
        ctx.progress("监督员不足两人，未生成监督安排和监督检查记录。")
        return
    span = (today - ctx.span_start).days
    split_day = ctx.span_start + timedelta(days=int(span * rng.uniform(0.4, 0.55)))
    left_on = ctx.span_start + timedelta(days=int(span * rng.uniform(0.7, 0.82)))
    demo_made = [u for u in sups if _DEMO_USERNAME.match(usernames.get(u, ""))]
    departed = demo_made[-1] if len(demo_made) >= 3 else None
    # grids: current leaders, pools (网格长 + the next two supervisors), the split
    grid_rows = s.execute(select(Grid.id, Grid.name, Grid.leader_id).order_by(Grid.id)).all()
    by_name = {name: gid for gid, name, _ in grid_rows}
    pools: dict[int, list[int]] = {}
    for gid, _, leader in grid_rows:
        lead = leader if leader in sups else sups[gid % len(sups)]
        i = sups.index(lead)
        pools[gid] = [lead, *(sups[(i + k) % len(sups)] for k in (1, 2) if sups[(i + k) % len(sups)] != lead)]
    ordered = [by_name[name] for name, _ in area_grids(ctx.area) if name in by_name]
    child, parent = (ordered[-1], ordered[-2]) if len(ordered) >= 3 else (None, None)
    # which projects are special, and the grid history of the split
    live = [p for p in ctx.projects if p.status in _IN_SUP]
    no_team = {p.id for p in sorted(live, key=lambda p: (p.registered, p.id))[-_share(len(ctx.projects), 0.004):]}
    keep_pool = [p.id for p in live if p.id not in no_team and p.registered < left_on - timedelta(days=30)
                 and p.status != ProjectStatus.NOT_STARTED.value and p.grid_id != child]
    keep = set(rng.sample(keep_pool, min(len(keep_pool), _share(len(ctx.projects), 0.003)))) if departed else set()
    drop_pool = [p.id for p in live if p.id not in no_team | keep and p.status == ProjectStatus.UNDER_CONSTRUCTION
                 and p.registered < today - timedelta(days=240)]
    no_second = set(rng.sample(drop_pool, min(len(drop_pool), _share(len(ctx.projects), 0.002))))
    moved_grid: list[dict[str, Any]] = []
    for p in ctx.projects:
        if child is None or p.grid_id != child:
            continue
        last = _last_day(p, hist.filing.get(p.id))
        if last is not None and last < split_day:
            p.grid_id = parent
            moved_grid.append({"b_id": p.id, "b_grid": parent})
        elif p.registered < split_day:
            hist.grid_changes[p.id] = (split_day, parent)
    hist.inactive_from = {departed: left_on} if departed is not None else {}
    planner = _Planner(ctx, hist, sups, chief, departed, left_on, pools)
    planner.grid_names = {gid: name for gid, name, _ in grid_rows}
    table = table_of(SupervisionAssignment)
    next_id = ctx.next_id(table)
    rows: list[dict[str, Any]] = []
    for p in ctx.projects:
        if p.id in no_team:
            continue
        last = _last_day(p, hist.filing.get(p.id))
        stop = max(p.registered + timedelta(days=1), min(last + timedelta(days=1), today)) if last else None
        special = "keep" if p.id in keep else "no_second" if p.id in no_second else ""
        states = planner.timeline(p, p.registered, stop, special)
        new_rows, segments = _rows_of(states, stop, p.id, next_id + len(rows), ctx, chief)
        rows += new_rows
        hist.set_segments(p.id, segments)
    starts = {child: split_day} if child is not None else {}
    terms, new_leader = _leader_terms(ctx, [(gid, leader) for gid, _, leader in grid_rows], starts, sups,
                                      departed, left_on, pools, chief)
    ctx.insert(table, rows)
    ctx.insert(table_of(GridLeaderTerm), terms)
    _update(ctx, Project, moved_grid, grid_id="b_grid")
    if child is not None and parent is not None:
        at = stamp(rng, split_day)
        parent_name = next(n for g, n, _ in grid_rows if g == parent)
        _update(ctx, Grid, [{"b_id": child, "b_at": at, "b_note": f"演示数据；{chinese_date(split_day)}由{parent_name}拆分设立"}],
                created_at="b_at", updated_at="b_at", note="b_note")
    _update(ctx, Grid, [{"b_id": g, "b_leader": u, "b_at": stamp(rng, left_on)} for g, u in sorted(new_leader.items())],
            edit=True, leader_id="b_leader", updated_at="b_at")
    if departed is not None:
        _update(ctx, User, [{"b_id": departed, "b_active": False, "b_at": stamp(rng, left_on)}],
                edit=True, active="b_active", updated_at="b_at")
        for ids in ctx.users.values():
            if departed in ids:
                ids.remove(departed)
    ctx.counts["监督安排记录"] = len(rows)
    ctx.counts["网格长任职记录"] = len(terms)
    gone = f"；监督员{hist.names[departed]}于{chinese_date(left_on)}离职（账号停用）" if departed is not None else ""
    split = f"；{chinese_date(split_day)}拆分网格" if child is not None else ""
    ctx.progress(f"生成监督安排 {len(rows)} 条、网格长任职 {len(terms)} 条{gone}{split}；"
                 f"刻意留下的监管盲区：无监督员 {len(no_team)} 个、停用账号仍在岗 {len(keep)} 个、"
                 f"缺第二监督员 {len(no_second)} 个项目")


def make_coverage_rounds(ctx: GenContext) -> None:
    """上半年 (4–6月) and 下半年 (9–11月) 全覆盖排查 rounds from the start of the period up to today."""
    rng, s = ctx.rng, ctx.session
    existing = set(s.scalars(select(CoverageRound.name)))
    chiefs = ctx.users.get(Role.CHIEF.value, [])
    chief = chiefs[0] if chiefs else None
    table = table_of(CoverageRound)
    next_id = ctx.next_id(table)
    rows: list[dict[str, Any]] = []
    for year in range(ctx.span_start.year, ctx.today.year + 1):
        for half, start, end in (("上半年", date(year, 4, 1), date(year, 6, 30)),
                                 ("下半年", date(year, 9, 1), date(year, 11, 30))):
            name = f"{year}年{half}全覆盖排查"
            if start < ctx.span_start or start > ctx.today or name in existing:
                continue
            at = stamp(rng, start - timedelta(days=rng.randint(5, 15)))
            rows.append({"id": next_id + len(rows), "name": name, "starts_on": start, "ends_on": end,
                         "inspection_kind": "", "created_by": chief, "created_at": at, "version": 1,
                         "note": f"按治本攻坚三年行动方案，{half}对在建项目和施工企业逐企业、逐项目开展一轮全覆盖排查"})
    ctx.insert(table, rows)
    ctx.counts["全覆盖排查轮次"] = len(rows)
    ctx.progress(f"生成全覆盖排查轮次 {len(rows)} 个（每半年一轮）")
