"""Projects: type, size, cost, status with consistent dates, permit and supervision numbers, parties.

Dates follow the status (``today`` is the run's parameter, never the clock):

- 未开工: registered (and often permitted) in the last eight months; no actual dates; planned start
  may lie ahead.
- 在建 / 停工: actual start ≤ today, no actual finish; 停工 has the day work stopped in its note.
- 竣工待验: works finished (no actual finish date yet: that is the acceptance date).
- 已竣工: actual start < actual finish ≤ today; most have a 竣工验收备案 date after it.
- 终止监督: some started, some never did; none finished.

Always: registered ≤ permit date ≤ actual start ≤ actual finish ≤ filing date ≤ today, planned
start ≤ planned finish. A few 在建 projects have no permit (未批先建, for enforcement features), and
a few projects no grid (blind spots, for the coverage feature).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from station_app.demo import names as nm
from station_app.demo.context import (
    EnterpriseRec,
    GenContext,
    ProjectRec,
    fit,
    log_uniform,
    pick_weighted,
    rand_date,
    stamp,
    table_of,
)
from station_app.demo.parties import Pickers, assign_parties
from station_app.demo.places import area_roads
from station_app.demo.project_names import project_name, unique
from station_app.formatting import chinese_date
from station_app.models import Project, ProjectParty, ProjectPartyPerson
from station_app.models.enums import ProjectStatus, ProjectType
from station_app.services.registry.projects import project_search_key

_SUBTYPES: dict[ProjectType, tuple[tuple[str, float], ...]] = {
    ProjectType.BUILDING: (("住宅", 30), ("公共建筑", 12), ("工业厂房", 25), ("学校", 8), ("医院", 3), ("安置房", 8),
                           ("装饰装修", 8), ("其他房屋建筑", 6)),
    ProjectType.MUNICIPAL: (("道路", 35), ("桥梁", 8), ("给排水", 20), ("燃气", 6), ("热力", 2), ("园林绿化", 14),
                            ("照明", 6), ("综合管廊", 2), ("其他市政", 7)),
}
#: buildings: m² from–to, 元/m² from–to
_AREA: dict[str, tuple[float, float, float, float]] = {
    "住宅": (15000, 180000, 1800, 2800), "安置房": (20000, 160000, 1600, 2300), "公共建筑": (3000, 60000, 2500, 4500),
    "学校": (4000, 45000, 2200, 3500), "医院": (8000, 90000, 3000, 5000), "工业厂房": (3000, 80000, 1000, 2000),
    "装饰装修": (800, 25000, 600, 2500), "其他房屋建筑": (500, 12000, 1500, 3000),
}
#: municipal works: 元 from–to
_COST: dict[str, tuple[float, float]] = {
    "道路": (3e6, 2.5e8), "桥梁": (5e6, 3e8), "给排水": (1e6, 1.2e8), "燃气": (8e5, 5e7), "热力": (2e6, 8e7),
    "园林绿化": (5e5, 6e7), "照明": (3e5, 1.5e7), "综合管廊": (5e7, 6e8), "其他市政": (5e5, 3e7),
}
#: construction days from–to (bigger works take longer)
_DAYS: dict[str, tuple[int, int]] = {
    "住宅": (420, 900), "安置房": (420, 840), "公共建筑": (300, 720), "学校": (240, 540), "医院": (360, 900),
    "工业厂房": (150, 420), "装饰装修": (60, 240), "其他房屋建筑": (120, 360), "道路": (120, 540), "桥梁": (240, 720),
    "给排水": (90, 360), "燃气": (60, 240), "热力": (90, 300), "园林绿化": (60, 240), "照明": (45, 150),
    "综合管廊": (360, 720), "其他市政": (60, 240),
}
_STRUCTURES: dict[str, tuple[tuple[str, float], ...]] = {
    "住宅": (("剪力墙", 6), ("框架-剪力墙", 2), ("装配式混凝土", 2)),
    "安置房": (("剪力墙", 5), ("装配式混凝土", 3), ("框架-剪力墙", 2)),
    "公共建筑": (("框架", 5), ("框架-剪力墙", 3), ("框架-核心筒", 1), ("钢结构", 1)),
    "学校": (("框架", 8), ("钢结构", 1), ("装配式混凝土", 1)), "医院": (("框架-剪力墙", 5), ("框架", 4)),
    "工业厂房": (("钢结构", 6), ("排架", 2), ("框架", 2)), "其他房屋建筑": (("框架", 4), ("砖混", 2), ("钢结构", 2)),
}
#: 施工许可证号 positions 17–18, 专业分类代码
_PERMIT_CLASS = {"道路": "18", "桥梁": "18", "综合管廊": "18", "给排水": "17", "燃气": "16", "热力": "16",
                 "园林绿化": "19", "照明": "19", "其他市政": "19"}
_STATUS_MIX = ((ProjectStatus.UNDER_CONSTRUCTION, 48.0), (ProjectStatus.NOT_STARTED, 7.0),
               (ProjectStatus.SUSPENDED, 5.0), (ProjectStatus.AWAITING_ACCEPTANCE, 8.0),
               (ProjectStatus.COMPLETED, 28.0), (ProjectStatus.TERMINATED, 4.0))
#: share of projects deliberately left without a grid, and of 在建 ones without a permit
_BLIND_SPOTS = 0.03
_NO_PERMIT = 0.02


@dataclass
class _Draft:
    rec: ProjectRec
    owner: EnterpriseRec
    address: str
    structure_type: str
    progress: str
    percent: int | None
    note: str
    filing: date | None
    report_date: date | None  # 报建 date, digits 7–14 of the permit number
    permit_no: str | None = None
    supervision_no: str | None = None


def _town_weight(town: str, sub_type: str) -> float:
    if town.endswith("街道"):
        return 6.0
    if town.endswith(("镇", "乡")):
        return 2.0 if town.endswith("镇") else 1.0
    return 15.0 if sub_type == "工业厂房" else 5.0  # development zones: where factories go


def _owner_town(ctx: GenContext, owner: EnterpriseRec, town: str) -> str:
    """A town government builds in its town; a school or hospital where its name says, else in town."""
    if owner.category == "town_gov":
        return owner.tag
    if owner.category in ("school", "hospital"):
        named = [t for t in ctx.area.places if t in owner.name]
        streets = [t for t in ctx.area.towns if t.endswith("街道")]
        return named[0] if named else ctx.rng.choice(streets) if streets else town
    return town


def _stage(project_type: str, pct: int) -> str:
    if pct >= 100:
        return "竣工"
    if pct >= 90:
        return "完工待验"
    if pct >= 60:
        return "装饰" if project_type == ProjectType.BUILDING.value else "附属"
    return "主体" if pct >= 20 else "基础"


def _plan(ctx: GenContext, pickers: Pickers, names: set[str]) -> _Draft:
    rng, today, span = ctx.rng, ctx.today, ctx.span_start
    ptype = ProjectType.BUILDING if rng.random() < 0.75 else ProjectType.MUNICIPAL
    sub = pick_weighted(rng, _SUBTYPES[ptype])
    town = pick_weighted(rng, [(t, _town_weight(t, sub)) for t in ctx.area.places])
    owner = pickers.owner(sub, town)
    town = _owner_town(ctx, owner, town)
    area: Decimal | None = None
    if ptype == ProjectType.BUILDING:
        lo, hi, p_lo, p_hi = _AREA[sub]
        m2 = log_uniform(rng, lo, hi)
        area = Decimal(f"{m2:.2f}")
        cost_yuan, size = m2 * rng.uniform(p_lo, p_hi), (m2 - lo) / (hi - lo)
    else:
        lo, hi = _COST[sub]
        cost_yuan = log_uniform(rng, lo, hi)
        size = (cost_yuan - lo) / (hi - lo)
    cost_fen = round(cost_yuan / 100) * 100 * 100
    d_lo, d_hi = _DAYS[sub]
    days = int(d_lo + (d_hi - d_lo) * (0.6 * size ** 0.5 + 0.4 * rng.random()))
    status = pick_weighted(rng, _STATUS_MIX)
    start: date | None = None
    finish: date | None = None
    stopped: date | None = None
    filing: date | None = None
    pct: int | None = None
    note = ""
    if status == ProjectStatus.COMPLETED:
        if today - timedelta(days=days + 20) < span:
            days = max(30, int((today - span).days * 0.6))
        start = rand_date(rng, span, today - timedelta(days=days + 20))
        finish = start + timedelta(days=days)
        filing = finish + timedelta(days=rng.randint(7, 90))
        filing = filing if filing <= today and rng.random() < 0.9 else None
        pct = 100
    elif status == ProjectStatus.AWAITING_ACCEPTANCE:
        start = today - timedelta(days=days + rng.randint(5, 120))
        pct = rng.randint(90, 99)
    elif status == ProjectStatus.UNDER_CONSTRUCTION:
        start = rand_date(rng, max(span, today - timedelta(days=int(days * 1.2))), today - timedelta(days=10))
        done = (today - start).days / days
        pct = rng.randint(80, 89) if done >= 1 else max(1, min(89, int(done * 100)))
    elif status == ProjectStatus.SUSPENDED:
        start = rand_date(rng, max(span, today - timedelta(days=2 * days)), today - timedelta(days=60))
        stopped = rand_date(rng, start + timedelta(days=20), today - timedelta(days=10))
        pct = max(1, min(85, int((stopped - start).days / days * 100)))
        note = f"{chinese_date(stopped)}起{rng.choice(nm.STOP_REASONS)}"
    elif status == ProjectStatus.TERMINATED:
        if rng.random() < 0.6:
            start = rand_date(rng, span, today - timedelta(days=200))
            stopped = rand_date(rng, start + timedelta(days=30), min(today - timedelta(days=30),
                                                                      start + timedelta(days=days)))
            pct = max(1, min(85, int((stopped - start).days / days * 100)))
        else:
            stopped = rand_date(rng, span + timedelta(days=120), today - timedelta(days=20))
        note = f"{chinese_date(stopped)}{rng.choice(nm.TERMINATE_REASONS)}"
    # the paperwork before work starts
    permit_date: date | None
    if start is not None:
        permit_date = start - timedelta(days=rng.randint(0, 30))
        registered = permit_date - timedelta(days=rng.randint(0, 20))
        planned_start = permit_date + timedelta(days=rng.randint(0, 20))
        if status == ProjectStatus.UNDER_CONSTRUCTION and rng.random() < _NO_PERMIT:
            permit_date, note = None, "未办理施工许可（未批先建），已责令停止施工、补办手续"
    else:
        registered = rand_date(rng, today - timedelta(days=240), today - timedelta(days=1))
        if stopped is not None:
            registered = min(registered, stopped - timedelta(days=rng.randint(30, 120)))
        permit_date = min(today, stopped or today, registered + timedelta(days=rng.randint(0, 20))) \
            if rng.random() < 0.65 else None
        planned_start = (permit_date or registered) + timedelta(days=rng.randint(10, 150))
    planned_finish = planned_start + timedelta(days=int(days * rng.uniform(0.8, 1.0)))
    roads = area_roads(ctx.area)
    a, b = rng.sample(roads, 2)
    address = f"{ctx.area.name}{town}{a}与{b}交叉口{rng.choice(('东北侧', '西北侧', '东南侧', '西南侧'))}"
    name = unique(project_name(rng, ctx.area, sub, town, owner, area), names)
    rec = ProjectRec(
        id=0, name=name, project_type=ptype.value, sub_type=sub, status=status.value, town=town,
        grid_id=ctx.grid_of_town.get(town), registered=registered, permit_date=permit_date,
        planned_start=planned_start, planned_finish=planned_finish, actual_start=start, actual_finish=finish,
        building_area=area, cost_fen=cost_fen, stopped=stopped)
    structure = pick_weighted(rng, _STRUCTURES[sub]) if sub in _STRUCTURES else ""
    report = permit_date - timedelta(days=rng.randint(3, 30)) if permit_date else None
    return _Draft(rec, owner, address, structure, _stage(ptype.value, pct) if pct is not None else "", pct,
                  note, filing, report)


def _number(ctx: GenContext, drafts: list[_Draft]) -> None:
    """Ids, 监督登记号 (per year) and 施工许可证号 (per 报建 day) in the order projects were registered."""
    first = ctx.next_id(table_of(Project))
    per_year: dict[int, int] = {}
    per_day: dict[date, int] = {}
    for i, d in enumerate(drafts):
        d.rec.id = first + i
        year = d.rec.registered.year
        per_year[year] = per_year.get(year, 0) + 1
        d.supervision_no = f"{ctx.station_short}建安监登〔{year}〕{per_year[year]:03d}号"
        if d.report_date is not None:
            per_day[d.report_date] = per_day.get(d.report_date, 0) + 1
            d.permit_no = (f"{ctx.division_code}{d.report_date:%Y%m%d}{per_day[d.report_date]:02d}"
                           f"{_PERMIT_CLASS.get(d.rec.sub_type, '01')}")


def make_projects(ctx: GenContext) -> None:
    rng = ctx.rng
    ctx.progress(f"生成项目 {ctx.scale.projects} 个（参建单位、项目负责人、专职安全员、项目总监）…")
    pickers = Pickers(ctx)
    names: set[str] = set()
    drafts = [_plan(ctx, pickers, names) for _ in range(ctx.scale.projects)]
    drafts.sort(key=lambda d: d.rec.registered)  # stable: ties keep the order they were drawn in
    _number(ctx, drafts)
    for i in rng.sample(range(len(drafts)), max(1, round(len(drafts) * _BLIND_SPOTS))):
        drafts[i].rec.grid_id = None
    recs = [d.rec for d in drafts]
    party_table, link_table = table_of(ProjectParty), table_of(ProjectPartyPerson)
    parties, links, in_order = assign_parties(ctx, recs, pickers, {d.rec.id: d.owner for d in drafts},
                                              ctx.next_id(party_table), ctx.next_id(link_table))
    rows = [_row(ctx, d, in_order[d.rec.id]) for d in drafts]
    ctx.insert(table_of(Project), rows)
    ctx.insert(party_table, sorted(parties, key=lambda r: r["id"]))
    ctx.insert(link_table, links)
    ctx.projects = recs
    ctx.counts["项目"] = len(rows)
    ctx.counts["参建单位记录"] = len(parties)
    ctx.counts["项目岗位人员"] = len(links)


def _row(ctx: GenContext, d: _Draft, parties: list[EnterpriseRec]) -> dict[str, Any]:
    p = d.rec
    created = stamp(ctx.rng, p.registered)
    last = max(x for x in (p.registered, p.permit_date, p.actual_start, p.actual_finish, d.filing, p.stopped) if x)
    updated = max(created, stamp(ctx.rng, min(last, ctx.today)))
    return {
        "id": p.id, "name": p.name, "address": d.address, "town": p.town, "grid_id": p.grid_id,
        "project_type": p.project_type, "sub_type": p.sub_type, "structure_type": d.structure_type,
        "building_area": p.building_area, "contract_cost_fen": p.cost_fen, "permit_no": d.permit_no,
        "permit_date": p.permit_date, "supervision_no": d.supervision_no, "planned_start": p.planned_start,
        "planned_finish": p.planned_finish, "actual_start": p.actual_start, "actual_finish": p.actual_finish,
        "completion_filing_date": d.filing, "status": p.status, "progress": d.progress,
        "progress_percent": d.percent, "note": d.note,
        "search_key": fit(Project.search_key, project_search_key(
            p.name, p.town, d.permit_no, d.supervision_no, [(e.name, e.uscc) for e in parties])),
        "created_at": created, "updated_at": updated, "version": 1,
    }
