"""双随机 draws: N projects at random from a filtered set, inspectors paired at random.

Exclusions: nobody checks a project they supervise (``exclude_own_projects``) or, when the draw says
so, a project in their own grid (``exclude_own_grid``: grids they lead or where they supervise a
project); nobody checks a project where an enterprise they declared a conflict with is a party.

Reproducible: the record keeps the seed, the filters, and the exact inputs (sorted project pool,
inspector pool, excluded pairs), and :func:`draw_teams` is a pure function of them — so
:func:`verify_draw` can replay any past draw. Algorithm ``v1``: shuffle the sorted project pool with
``random.Random(seed)``; walk it, skipping projects with fewer eligible inspectors than needed;
for each project shuffle its eligible inspectors and take the least loaded so far (ties in
shuffled order). Python's ``random.Random`` gives the same sequence for the same seed everywhere.
"""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.db.base import now
from station_app.errors import NotFound, ValidationError
from station_app.models import (
    Grid,
    Inspection,
    Project,
    RandomDraw,
    RandomDrawItem,
    SupervisionAssignment,
    User,
)
from station_app.models.enums import ProjectStatus, ProjectType
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.supervision.common import (
    IN_SUPERVISION_VALUES,
    SUPERVISING_ROLES,
    assignment_in_force,
    day_start,
    user_names,
)
from station_app.services.supervision.conflicts import conflicted_pairs
from station_app.services.validation import Checker, clean

ALGORITHM = "v1"
#: 建质〔2014〕154号: supervision checks are done by two or more supervisors
MIN_INSPECTORS = 2


@dataclass(frozen=True)
class DrawFilters:
    statuses: tuple[str, ...] = (ProjectStatus.UNDER_CONSTRUCTION.value,)
    grid_ids: tuple[int, ...] = ()
    project_types: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    #: only projects with no inspection on or after this date
    not_inspected_since: date | None = None


@dataclass(frozen=True)
class DrawSpec:
    title: str
    n_projects: int
    filters: DrawFilters = field(default_factory=DrawFilters)
    inspectors_per_project: int = MIN_INSPECTORS
    #: empty: every active 监督员/站长
    inspector_ids: tuple[int, ...] = ()
    exclude_own_grid: bool = True
    exclude_own_projects: bool = True
    #: None: a fresh random seed (printed on the record)
    seed: int | None = None
    note: str = ""


@dataclass(frozen=True)
class DrawItem:
    seq: int
    project_id: int | None
    project_name: str
    inspector_ids: tuple[int, ...]
    inspector_names: tuple[str, ...]


@dataclass(frozen=True)
class DrawRecord:
    id: int
    title: str
    drawn_at: datetime
    drawn_by_name: str
    seed: int
    algorithm: str
    filters: dict[str, Any]
    requested: int
    inspectors_per_project: int
    exclude_own_grid: bool
    exclude_own_projects: bool
    pool_size: int
    inspector_pool: tuple[int, ...]
    skipped_project_ids: tuple[int, ...]
    items: tuple[DrawItem, ...]
    note: str


def draw_teams(project_pool: Sequence[int], inspector_pool: Sequence[int], excluded: set[tuple[int, int]],
               n: int, k: int, seed: int) -> tuple[list[tuple[int, tuple[int, ...]]], list[int]]:
    """Pure algorithm v1: ([(project, inspectors)], skipped projects). ``excluded`` holds (user, project)."""
    rng = random.Random(seed)
    order = sorted(project_pool)
    rng.shuffle(order)
    inspectors = sorted(inspector_pool)
    load = dict.fromkeys(inspectors, 0)
    chosen: list[tuple[int, tuple[int, ...]]] = []
    skipped: list[int] = []
    for pid in order:
        if len(chosen) == n:
            break
        eligible = [u for u in inspectors if (u, pid) not in excluded]
        if len(eligible) < k:
            skipped.append(pid)
            continue
        rng.shuffle(eligible)
        eligible.sort(key=lambda u: load[u])  # stable: shuffled order among equal loads
        team = tuple(eligible[:k])
        for u in team:
            load[u] += 1
        chosen.append((pid, team))
    return chosen, skipped


def _pool_query(flt: DrawFilters) -> Any:
    stmt = select(Project.id).where(Project.status.in_(flt.statuses or IN_SUPERVISION_VALUES))
    if flt.grid_ids:
        stmt = stmt.where(Project.grid_id.in_(list(flt.grid_ids)))
    if flt.project_types:
        stmt = stmt.where(Project.project_type.in_(list(flt.project_types)))
    if flt.towns:
        stmt = stmt.where(Project.town.in_(list(flt.towns)))
    if flt.not_inspected_since is not None:
        stmt = stmt.where(Project.id.not_in(select(Inspection.project_id).where(
            Inspection.inspected_at >= day_start(flt.not_inspected_since))))
    return stmt


def _check_filters(c: Checker, flt: DrawFilters) -> None:
    for s in flt.statuses:
        c.one_of("项目状态", s, IN_SUPERVISION_VALUES)
    for t in flt.project_types:
        c.one_of("工程类别", t, [x.value for x in ProjectType])


def count_pool(session: Session, filters: DrawFilters) -> int:
    """How many projects the filters select (shown before drawing)."""
    c = Checker()
    _check_filters(c, filters)
    c.check()
    return session.scalar(select(func.count()).select_from(_pool_query(filters).subquery())) or 0


def _exclusions(session: Session, spec: DrawSpec, projects: list[int], inspectors: list[int],
                on: date) -> set[tuple[int, int]]:
    excluded = conflicted_pairs(session, inspectors, projects, on)
    if not (spec.exclude_own_grid or spec.exclude_own_projects):
        return excluded
    mine = session.execute(select(SupervisionAssignment.user_id, SupervisionAssignment.project_id, Project.grid_id)
                           .join(Project, Project.id == SupervisionAssignment.project_id)
                           .where(assignment_in_force(on), SupervisionAssignment.user_id.in_(inspectors))).all()
    if spec.exclude_own_projects:
        pool = set(projects)
        excluded |= {(uid, pid) for uid, pid, _ in mine if pid in pool}
    if spec.exclude_own_grid:
        own: dict[int, set[int]] = {}
        for uid, _, gid in mine:
            if gid is not None:
                own.setdefault(uid, set()).add(gid)
        for led, leader in session.execute(select(Grid.id, Grid.leader_id).where(Grid.leader_id.in_(inspectors))):
            if leader is not None:
                own.setdefault(leader, set()).add(led)
        grid_of = dict(session.execute(select(Project.id, Project.grid_id).where(Project.id.in_(projects))).all())
        excluded |= {(uid, pid) for uid, grids in own.items() for pid in projects if grid_of.get(pid) in grids}
    return excluded


def _inspector_pool(session: Session, c: Checker, spec: DrawSpec) -> list[int]:
    roles = [r.value for r in SUPERVISING_ROLES]
    if not spec.inspector_ids:
        return sorted(session.scalars(select(User.id).where(User.active.is_(True), User.role.in_(roles))))
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(list(spec.inspector_ids))))}
    for uid in spec.inspector_ids:
        u = users.get(uid)
        if u is None:
            c.add("检查人员", "所选用户不存在")
        elif not u.active:
            c.add("检查人员", f"“{u.full_name}”的账号已停用")
        elif u.role not in roles:
            c.add("检查人员", f"“{u.full_name}”的角色为{u.role}，只能抽取监督员或站长")
    return sorted(set(spec.inspector_ids))


def run_draw(session: Session, actor: Actor, spec: DrawSpec, today: date | None = None) -> DrawRecord:
    """Draw, and keep the record (filters, seed, pools, result) with one audit entry."""
    require(actor, "draw.run")
    today = today or clock.today()
    title, note = clean(spec.title), clean(spec.note)
    c = Checker()
    c.required("抽查名称", title)
    c.max_len("抽查名称", title, 100)
    _check_filters(c, spec.filters)
    if isinstance(spec.n_projects, bool) or not isinstance(spec.n_projects, int) or spec.n_projects < 1:
        c.add("抽取项目数", "应为正整数")
    k = spec.inspectors_per_project
    if isinstance(k, bool) or not isinstance(k, int) or k < MIN_INSPECTORS:
        c.add("每组检查人数", f"不能少于{MIN_INSPECTORS}人（监督检查须两人以上）")
    if spec.seed is not None and (isinstance(spec.seed, bool) or not isinstance(spec.seed, int)
                                  or not 0 <= spec.seed < 2**63):
        c.add("随机种子", "应为非负整数")
    inspectors = _inspector_pool(session, c, spec)
    c.check()
    if len(inspectors) < k:
        raise ValidationError({"检查人员": f"可抽取的检查人员只有{len(inspectors)}人，少于每组{k}人"})
    projects = sorted(session.scalars(_pool_query(spec.filters)))
    if len(projects) < spec.n_projects:
        raise ValidationError({"抽取项目数": f"符合条件的项目只有{len(projects)}个，少于抽取数{spec.n_projects}"})
    excluded = _exclusions(session, spec, projects, inspectors, today)
    seed = spec.seed if spec.seed is not None else 100_000_000 + secrets.randbelow(900_000_000)
    chosen, skipped = draw_teams(projects, inspectors, excluded, spec.n_projects, k, seed)
    if len(chosen) < spec.n_projects:
        raise ValidationError({"抽取项目数": f"符合回避要求、能配齐{k}名检查人员的项目只有{len(chosen)}个，"
                                         f"少于抽取数{spec.n_projects}；请放宽条件或增加检查人员"})
    names = user_names(session, inspectors)
    pnames = dict(session.execute(select(Project.id, Project.name).where(Project.id.in_([p for p, _ in chosen]))).all())
    by_user: dict[int, list[int]] = {}
    for uid, pid in sorted(excluded):
        by_user.setdefault(uid, []).append(pid)
    draw = RandomDraw(title=title, drawn_at=now(), drawn_by=actor.user_id, drawn_by_name=actor.full_name, seed=seed,
                      algorithm=ALGORITHM, filters_json=json.dumps(_plain(asdict(spec.filters)), ensure_ascii=False),
                      requested=spec.n_projects, inspectors_per_project=k, exclude_own_grid=spec.exclude_own_grid,
                      exclude_own_projects=spec.exclude_own_projects, pool_size=len(projects),
                      project_pool_json=json.dumps(projects), inspector_pool_json=json.dumps(inspectors),
                      exclusions_json=json.dumps({str(u): p for u, p in by_user.items()}),
                      skipped_json=json.dumps(skipped), note=note)
    session.add(draw)
    session.flush()
    for seq, (pid, team) in enumerate(chosen, 1):
        for slot, uid in enumerate(team, 1):
            session.add(RandomDrawItem(draw_id=draw.id, seq=seq, slot=slot, project_id=pid,
                                       project_name=pnames.get(pid, "")[:200], user_id=uid, user_name=names.get(uid, "")))
    session.flush()
    audit.record(session, actor, "create", "random_draw", draw.id,
                 after={"名称": title, "随机种子": seed, "项目池": len(projects), "抽取": len(chosen)},
                 summary=f"双随机抽查“{title}”：从{len(projects)}个项目中抽取{len(chosen)}个，随机种子{seed}")
    return get_draw(session, draw.id)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def get_draw(session: Session, draw_id: int) -> DrawRecord:
    d = session.get(RandomDraw, draw_id)
    if d is None:
        raise NotFound("抽查记录不存在。")
    rows = session.scalars(select(RandomDrawItem).where(RandomDrawItem.draw_id == draw_id)
                           .order_by(RandomDrawItem.seq, RandomDrawItem.slot)).all()
    grouped: dict[int, list[RandomDrawItem]] = {}
    for r in rows:
        grouped.setdefault(r.seq, []).append(r)
    items = tuple(DrawItem(seq, rs[0].project_id, rs[0].project_name, tuple(r.user_id for r in rs),
                           tuple(r.user_name for r in rs)) for seq, rs in sorted(grouped.items()))
    return DrawRecord(d.id, d.title, d.drawn_at, d.drawn_by_name, d.seed, d.algorithm, json.loads(d.filters_json),
                      d.requested, d.inspectors_per_project, d.exclude_own_grid, d.exclude_own_projects, d.pool_size,
                      tuple(json.loads(d.inspector_pool_json)), tuple(json.loads(d.skipped_json)), items, d.note)


@dataclass(frozen=True)
class DrawSummary:
    id: int
    title: str
    drawn_at: datetime
    drawn_by_name: str
    seed: int
    pool_size: int
    requested: int


def list_draws(session: Session, limit: int = 200) -> list[DrawSummary]:
    """The draw records, latest first (open one with :func:`get_draw`)."""
    stmt = (select(RandomDraw.id, RandomDraw.title, RandomDraw.drawn_at, RandomDraw.drawn_by_name, RandomDraw.seed,
                   RandomDraw.pool_size, RandomDraw.requested)
            .order_by(RandomDraw.drawn_at.desc(), RandomDraw.id.desc()).limit(limit))
    return [DrawSummary(*row) for row in session.execute(stmt)]


def verify_draw(session: Session, draw_id: int) -> bool:
    """Replay the draw from its stored seed and inputs; True when it gives the recorded result."""
    d = session.get(RandomDraw, draw_id)
    if d is None:
        raise NotFound("抽查记录不存在。")
    if d.algorithm != ALGORITHM:
        raise ValidationError({"算法版本": f"本程序无法重放算法“{d.algorithm}”的抽查"})
    excluded = {(int(u), p) for u, ps in json.loads(d.exclusions_json).items() for p in ps}
    chosen, skipped = draw_teams(json.loads(d.project_pool_json), json.loads(d.inspector_pool_json), excluded,
                                 d.requested, d.inspectors_per_project, d.seed)
    record = get_draw(session, draw_id)
    return ([(i.project_id, i.inspector_ids) for i in record.items] == chosen
            and list(record.skipped_project_ids) == skipped)


__all__ = [
    "ALGORITHM",
    "MIN_INSPECTORS",
    "DrawFilters",
    "DrawItem",
    "DrawRecord",
    "DrawSpec",
    "DrawSummary",
    "count_pool",
    "draw_teams",
    "get_draw",
    "list_draws",
    "run_draw",
    "verify_draw",
]
