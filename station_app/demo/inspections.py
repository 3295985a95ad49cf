"""Demo 监督检查记录: years of inspections of every project while it was in supervision.

Each project is visited from its actual start to the end of its works (or yesterday while under way),
more often when larger, rarely while stopped; a few 复查 follow inspections that found problems. The
inspectors (two, sometimes three) are the project's team on the day whose accounts were still enabled;
a day without two of them has no inspection. Dates skip Sundays and mostly Saturdays; times are working
hours (夜查 in the evening); nothing is dated today or later.

Rows are written as ``services.inspections.create_inspection`` writes them — denormalised counters
(inspector_names, finding_count, major_count, check_item_count), search_key, the project's grid on the
day, JGJ 59 item labels, default deadlines, criterion editions, absence findings after the others — but
with Core executemany in id order (all projects merged by time, so ids follow the dates), flushed every
few thousand inspections. Counts are calibrated to about 1,600 (small) and 60,000 (county).
"""

from __future__ import annotations

import heapq
import json
import math
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select

from station_app.demo import inspection_catalog as cat
from station_app.demo.context import GenContext, pick_weighted, table_of
from station_app.demo.history import InspectionRef, SupervisionHistory, history
from station_app.demo.inspection_content import (
    ContentMaker,
    Finding,
    RuleCache,
    SiteInfo,
    absence_findings,
)
from station_app.models import (
    Campaign,
    Inspection,
    InspectionCheckItem,
    InspectionFinding,
    InspectionInspector,
    InspectionPresence,
    Person,
    ProjectParty,
    ProjectPartyPerson,
)
from station_app.models.enums import ProjectStatus, Role
from station_app.models.inspection import FindingLevel, InspectionKind
from station_app.services.inspections.campaigns import ensure_default_campaigns
from station_app.services.inspections.forms import KEY_POSTS
from station_app.services.search import build_search_key

#: inspections wanted at each scale (other scales: 40 per project over five years)
TARGETS = {"small": 1600, "county": 60_000}
#: share of inspections with findings followed by a 复查
_RECHECK = 0.15
#: relative visit rate of a stopped (停工) site
_STOPPED_RATE = 0.15
#: visits drawn but not made (no two active team members that day, pushed past the end by a weekend)
_LOST = 0.075
_FLUSH = 4000


def _sites(ctx: GenContext, hist: SupervisionHistory) -> list[SiteInfo]:
    rng, today = ctx.rng, ctx.today
    presence: dict[int, dict[tuple[str, str], list[tuple[int, str]]]] = {}
    posts = sorted({post for _, post in KEY_POSTS})
    for pid, role, post, person_id, name in ctx.session.execute(
            select(ProjectParty.project_id, ProjectParty.role, ProjectPartyPerson.post, Person.id, Person.name)
            .join(ProjectParty, ProjectParty.id == ProjectPartyPerson.party_id)
            .join(Person, Person.id == ProjectPartyPerson.person_id)
            .where(ProjectPartyPerson.post.in_(posts)).order_by(ProjectPartyPerson.id)):
        presence.setdefault(pid, {}).setdefault((role, post), []).append((person_id, name))
    out = []
    for p in ctx.projects:
        if p.actual_start is None or p.id not in hist.segments:
            continue
        end = {ProjectStatus.COMPLETED.value: p.actual_finish, ProjectStatus.TERMINATED.value: p.stopped}.get(
            p.status, today - timedelta(days=1))
        lo, hi = max(p.actual_start, ctx.span_start), min(end or p.actual_start, today - timedelta(days=1))
        if hi < lo:
            continue
        work_end = p.actual_finish or max(p.planned_finish, p.actual_start + timedelta(days=60))
        weight = min(2.0, max(0.6, 1 + 0.45 * math.log10(max(p.cost_fen, 1) / 1e9)))
        people = presence.get(p.id, {})
        site = SiteInfo(p, lo, hi, work_end, weight, pick_weighted(rng, cat.SCAFFOLD_TABLES),
                        max(1, min(12, int(float(p.building_area or 0) // 9000) + 1)),
                        rng.randint(3, 18) if p.sub_type in ("住宅", "安置房") else rng.randint(2, 6))
        for role, post in KEY_POSTS:
            site.presence += [(role, post, pid, name) for pid, name in people.get((role, post), [])] \
                or [(role, post, None, "")]
        out.append(site)
    return out


def _rate_days(site: SiteInfo) -> float:
    """Days the site can be visited, weighted by how often (stopped days count little)."""
    stop = site.rec.stopped if site.rec.status == ProjectStatus.SUSPENDED.value else None
    days = (site.hi - site.lo).days + 1
    if stop is None or stop > site.hi:
        return days * site.weight
    normal = max(0, (stop - site.lo).days)
    return (normal + (days - normal) * _STOPPED_RATE) * site.weight


class _Writer:
    """Turns drawn inspections into rows; writes them every ``_FLUSH`` inspections."""

    def __init__(self, ctx: GenContext, hist: SupervisionHistory, rules: RuleCache) -> None:
        self.ctx, self.hist, self.rules = ctx, hist, rules
        self.tables = [table_of(m) for m in (Inspection, InspectionInspector, InspectionPresence,
                                             InspectionCheckItem, InspectionFinding)]
        self.ids = [ctx.next_id(table_of(m)) for m in (Inspection, InspectionPresence, InspectionCheckItem,
                                                         InspectionFinding)]
        self.buffers: list[list[dict[str, Any]]] = [[] for _ in self.tables]
        self.counts = {"inspections": 0, "findings": 0, "majors": 0, "items": 0, "presence": 0, "absent": 0}

    def add(self, site: SiteInfo, at: datetime, kind: str, campaign: tuple[int, str, tuple[str, ...]] | None,
            inspectors: tuple[int, ...], weather: str, parts: tuple[str, ...], conclusion: str,
            presence: list[Any], items: list[Any], findings: list[Finding], recorded_by: int | None,
            recorded_at: datetime) -> None:
        insp_id, presence_id, item_id, finding_id = self.ids
        names = [self.hist.names[u] for u in inspectors]
        p = site.rec
        majors = sum(1 for f in findings if f.level == FindingLevel.MAJOR.value)
        self.buffers[0].append({
            "id": insp_id, "inspected_at": at, "project_id": p.id, "grid_id": self.hist.grid_on(p, at.date()),
            "kind": kind, "campaign_id": campaign[0] if campaign else None, "weather": weather,
            "site_parts": "、".join(parts), "conclusion": conclusion, "inspector_names": "、".join(names)[:200],
            "finding_count": len(findings), "major_count": majors, "check_item_count": len(items),
            "search_key": build_search_key(*names, campaign[1] if campaign else None, kind, p.name)[:800],
            "created_by": recorded_by, "created_at": recorded_at, "updated_at": recorded_at, "version": 1})
        self.buffers[1] += [{"inspection_id": insp_id, "user_id": u, "seq": i, "name": n[:50]}
                            for i, (u, n) in enumerate(zip(inspectors, names, strict=True), 1)]
        self.buffers[2] += [{"id": presence_id + i - 1, "inspection_id": insp_id, "seq": i, "party_role": x.party_role,
                             "post": x.post, "person_id": x.person_id, "person_name": x.person_name[:50],
                             "present": x.present, "note": x.note[:200]} for i, x in enumerate(presence, 1)]
        self.buffers[3] += [{"id": item_id + i - 1, "inspection_id": insp_id, "seq": i, "source": x.source,
                             "code": x.code, "label": x.label[:300], "result": x.result, "note": ""}
                            for i, x in enumerate(items, 1)]
        self.buffers[4] += [{"id": finding_id + i - 1, "inspection_id": insp_id, "seq": i, "category": f.category,
                             "level": f.level, "criterion_code": f.criterion_code,
                             "criterion_edition": f.criterion_edition, "description": f.description,
                             "location": f.location, "requirement": f.requirement, "deadline": f.deadline,
                             "deadline_provisional": self.rules.provisional(f.level, at.date(), f.deadline),
                             "check_item_code": f.check_item_code[:40], "origin": f.origin,
                             "origin_key": f.origin_key, "created_at": recorded_at, "updated_at": recorded_at}
                            for i, f in enumerate(findings, 1)]
        self.hist.inspections.append(InspectionRef(insp_id, at, recorded_at, recorded_by, tuple(
            (finding_id + i, f.description) for i, f in enumerate(findings)), p.id, kind, inspectors))
        self.ids = [insp_id + 1, presence_id + len(presence), item_id + len(items), finding_id + len(findings)]
        c = self.counts
        c["inspections"] += 1
        c["findings"] += len(findings)
        c["majors"] += majors
        c["items"] += len(items)
        c["presence"] += len(presence)
        c["absent"] += sum(1 for x in presence if not x.present)
        if len(self.buffers[0]) >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        for table, rows in zip(self.tables, self.buffers, strict=True):
            if "id" in table.c:
                self.ctx.insert(table, rows)
            elif rows:  # no serial id (composite key): ctx.insert would list it for a sequence sync
                self.ctx.session.execute(insert(table), rows)
            rows.clear()


def _campaigns(ctx: GenContext) -> list[tuple[int, str, tuple[str, ...]]]:
    ensure_default_campaigns(ctx.session)
    rows = ctx.session.execute(select(Campaign.id, Campaign.name, Campaign.checklist_json)
                               .where(Campaign.active.is_(True)).order_by(Campaign.sort_order, Campaign.id))
    return [(cid, name, tuple(json.loads(items or "[]"))) for cid, name, items in rows]


def _pick_campaign(ctx: GenContext, campaigns: list[tuple[int, str, tuple[str, ...]]], site: SiteInfo,
                   on: date) -> tuple[int, str, tuple[str, ...]] | None:
    weights = []
    for _cid, name, _items in campaigns:
        w = cat.CAMPAIGNS[name][0][on.month - 1] if name in cat.CAMPAIGNS else 1.0
        if name == "沟槽开挖":
            w *= 2 if site.municipal else 0.25
        elif name == "起重机械" and site.municipal:
            w *= 0.3
        weights.append(w)
    if not campaigns or sum(weights) <= 0:
        return None
    return ctx.rng.choices(campaigns, weights=weights)[0]


def _workday(day: date, rng_value: float) -> date:
    if day.weekday() == 6:
        return day + timedelta(days=1)
    if day.weekday() == 5 and rng_value < 0.75:
        return day + timedelta(days=2)
    return day


def make_inspections(ctx: GenContext) -> None:
    rng, hist = ctx.rng, history(ctx)
    sites = _sites(ctx, hist)
    campaigns = _campaigns(ctx)
    clerks = list(ctx.users.get(Role.CLERK.value, []))
    target = TARGETS.get(ctx.scale.name, ctx.scale.projects * 8 * ctx.scale.years)
    ctx.progress(f"生成监督检查记录约 {target} 条（检查人员、到岗情况、检查项目、发现问题）…")
    total = sum(_rate_days(s) for s in sites)
    base_gap = total * (1 - _LOST) * (1 + _RECHECK * 0.8) / target if target else math.inf
    rules = RuleCache()
    maker = ContentMaker(rng, rules)
    writer = _Writer(ctx, hist, rules)
    queue: list[tuple[datetime, int, int, str]] = []
    counter = 0

    def push(i: int, day: date, kind: str) -> None:
        nonlocal counter
        site = sites[i]
        day = _workday(day, rng.random())
        if day > site.hi:
            return
        if not kind:
            kind = pick_weighted(rng, cat.KIND_SHARES)
        minutes = rng.randint(19 * 60 + 30, 22 * 60 + 30) if kind == InspectionKind.NIGHT.value \
            else rng.randint(8 * 60 + 30, 16 * 60 + 30)
        counter += 1
        heapq.heappush(queue, (datetime.combine(day, time(minutes // 60, minutes % 60)), counter, i, kind))

    def gap(site: SiteInfo, day: date) -> int:
        g = base_gap / site.weight
        stopped = site.rec.stopped if site.rec.status == ProjectStatus.SUSPENDED.value else None
        if stopped is not None and day >= stopped:
            g /= _STOPPED_RATE
        return max(1, round(g * rng.uniform(0.45, 1.55)))

    for i, site in enumerate(sites):
        push(i, site.lo + timedelta(days=rng.randint(0, gap(site, site.lo))), "")
    last_day: dict[int, date] = {}
    while queue:
        at, _, i, kind = heapq.heappop(queue)
        site = sites[i]
        day = at.date()
        rechecking = kind == InspectionKind.RECHECK.value
        if not rechecking:
            push(i, day + timedelta(days=gap(site, day)), "")
        team = hist.active_team(site.rec.id, day)
        if len(team) < 2 or last_day.get(i) == day:
            continue
        last_day[i] = day
        if len(team) >= 3 and rng.random() < 0.3:
            inspectors = team[:3]
        elif rng.random() < 0.85:
            inspectors = (team[0], rng.choice(team[1:]))
        else:
            inspectors = tuple(sorted(rng.sample(team, 2), key=team.index))
        campaign = _pick_campaign(ctx, campaigns, site, day) if kind == InspectionKind.SPECIAL.value else None
        if kind == InspectionKind.SPECIAL.value and campaign is None:
            kind = InspectionKind.DAILY.value
        parts = maker.site_parts(site, day)
        weather = pick_weighted(rng, cat.WEATHER[day.month])
        presence = maker.presence(site)
        found = maker.findings(site, day, kind, parts, campaign[1] if campaign else None)
        items = maker.check_items(site, parts, found, campaign)
        findings = found + absence_findings(presence, day, rules)
        majors = sum(1 for f in findings if f.level == FindingLevel.MAJOR.value)
        text = cat.conclusion(kind, len(findings), majors, rng.randrange(6))
        recorded_by = rng.choice(clerks) if clerks and rng.random() < 0.25 else inspectors[0]
        recorded_at = min(at + timedelta(minutes=rng.randint(60, 420)), datetime.combine(day, time(23, 50)))
        writer.add(site, at, kind, campaign, inspectors, weather, parts, text, presence, items, findings,
                   recorded_by, recorded_at)
        if findings and not rechecking and rng.random() < _RECHECK:
            push(i, day + timedelta(days=rng.randint(7, 20)), InspectionKind.RECHECK.value)
    writer.flush()
    c = writer.counts
    ctx.counts["监督检查"] = c["inspections"]
    ctx.counts["检查问题"] = c["findings"]
    ctx.counts["重大隐患"] = c["majors"]
    ctx.counts["检查项目记录"] = c["items"]
    ctx.counts["到岗记录"] = c["presence"]
    ctx.progress(f"生成监督检查 {c['inspections']} 次：发现问题 {c['findings']} 项（重大隐患 {c['majors']} 项，"
                 f"关键岗位人员缺岗 {c['absent']} 人次），检查项目 {c['items']} 项")


__all__ = ["TARGETS", "make_inspections"]

