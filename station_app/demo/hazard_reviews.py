"""Demo 精准拆弹 (contractor-wide reviews after a 挂牌督办) and the re-inspections the 复查 steps name.

Reviews: a few 挂牌督办 cases (REVIEW, three times as often for 市级) opened a review of the same
施工总承包's other projects under way, planned a few days on and inspected where the project had an
inspection soon after. The latest listings of the last weeks before the run's "today" (RECENT_DAYS) are
still being worked through, as services.hazards.contractor_review shows them: their items are the projects the
service would have listed on the day (in supervision, same 施工总承包, not the listed project); an item
is inspected once its project has an inspection on or after the opening day (planned on or before it, by
the project's 主监督员), and of the rest some are planned (a date on or after the opening day, an
enabled supervising account) and some not yet (the proposed 主监督员, no date). The RECENT_REVIEWS most
recent such listings with work left get a review even when the draw gave them none (none there: the
latest of the last OLDER_DAYS that has work left). Those reviews draw
from a random stream of their own, so the steps after this one draw the same numbers as before.

Re-inspections (:class:`Visits`): a 复查合格 / 复查不合格 names an inspection of the hazard's project on the
day of the step that the reviewing supervisor took part in, or else a 复查 inspection of the project in
the RECHECK_DAYS before it — never one before the rectification it checks was reported, nor the
inspection that found the hazard. The inspections come from the run's supervision history, in memory.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from station_app.demo.context import GenContext, ProjectRec, stamp, table_of
from station_app.demo.history import InspectionRef, SupervisionHistory
from station_app.models import ContractorReview, ContractorReviewItem
from station_app.models.enums import PartyRole, ProjectStatus
from station_app.models.hazard import ListingLevel
from station_app.models.inspection import InspectionKind

REVIEW = 0.15
#: a listing this many days before today or later opened a review still being worked through
RECENT_DAYS = 42
RECENT_REVIEWS = 2
#: when no listing of the last RECENT_DAYS has work left, the latest of this many days that has
OLDER_DAYS = 91
#: a 复查 inspection up to this many days before the 复查 step is the one it came from
RECHECK_DAYS = 2
_RECHECK = InspectionKind.RECHECK.value


@dataclass(frozen=True)
class Listing:
    """A 挂牌督办 as the reviews need it."""

    hazard_id: int
    project: ProjectRec
    contractor_id: int
    on: date
    level: str
    at: datetime


class Visits:
    """The run's inspections by project, in date order."""

    def __init__(self, hist: SupervisionHistory) -> None:
        refs: dict[int, list[InspectionRef]] = {}
        for ref in hist.inspections:
            refs.setdefault(ref.project_id, []).append(ref)
        for rows in refs.values():
            rows.sort(key=lambda r: (r.at, r.id))
        self.refs = refs
        self.days = {pid: [r.at.date() for r in rows] for pid, rows in refs.items()}

    def first_from(self, project_id: int, day: date) -> InspectionRef | None:
        """The project's first inspection on or after ``day``."""
        days = self.days.get(project_id)
        if not days:
            return None
        k = bisect.bisect_left(days, day)
        return self.refs[project_id][k] if k < len(days) else None

    def review_link(self, project_id: int, day: date, reported: date, reviewer: int | None,
                    found_by: int | None) -> int | None:
        """The inspection a 复查 on ``day`` by ``reviewer`` came from (None: none fits)."""
        days = self.days.get(project_id)
        if not days:
            return None
        hi = bisect.bisect_right(days, day)
        lo = bisect.bisect_left(days, max(reported, day - timedelta(days=RECHECK_DAYS)), 0, hi)
        if lo >= hi:
            return None
        refs = self.refs[project_id]
        for k in range(hi - 1, lo - 1, -1):
            if days[k] == day and reviewer in refs[k].inspectors and refs[k].id != found_by:
                return refs[k].id
        for k in range(hi - 1, lo - 1, -1):
            if refs[k].kind == _RECHECK and refs[k].id != found_by:
                return refs[k].id
        return None


def _under_way(p: ProjectRec, on: date) -> bool:
    if p.actual_start is None or p.actual_start > on:
        return False
    end = p.actual_finish or (p.stopped if p.status == ProjectStatus.TERMINATED.value else None)
    return end is None or end >= on


def _in_supervision(p: ProjectRec, on: date) -> bool:
    """In supervision on ``on`` with its 施工总承包 not yet gone, as contractor_review counts it."""
    if p.registered > on:
        return False
    if p.status == ProjectStatus.COMPLETED.value:
        return p.actual_finish is not None and p.actual_finish >= on
    if p.status == ProjectStatus.TERMINATED.value:
        return p.stopped is not None and p.stopped >= on
    return True


class _Reviews:
    def __init__(self, ctx: GenContext, hist: SupervisionHistory, visits: Visits) -> None:
        self.ctx, self.hist, self.visits = ctx, hist, visits
        self.side = random.Random(f"demo-reviews:{ctx.seed}:{ctx.today.isoformat()}")
        self.enabled = sorted(u for u in hist.names if u not in hist.inactive_from)
        self.by_contractor: dict[int, list[ProjectRec]] = {}
        for p in ctx.projects:
            for e in p.parties.get(PartyRole.GENERAL_CONTRACTOR.value, [])[:1]:
                self.by_contractor.setdefault(e, []).append(p)
        self.since = ctx.today - timedelta(days=RECENT_DAYS)

    def candidates(self, x: Listing) -> list[ProjectRec]:
        return [q for q in self.by_contractor.get(x.contractor_id, [])
                if q.id != x.project.id and _in_supervision(q, x.on)]

    def forced(self, listings: list[Listing]) -> set[int]:
        """The latest recent listings whose review has work left (one with two such projects first)."""
        ranked = []
        older = self.ctx.today - timedelta(days=OLDER_DAYS)
        for x in listings:
            if older <= x.on < self.ctx.today:
                left = sum(self.visits.first_from(q.id, x.on) is None for q in self.candidates(x))
                if left:
                    ranked.append((x.on >= self.since, min(left, 2), x.on, x.hazard_id))
        ranked.sort()
        recent = [r for r in ranked if r[0]]
        return {r[3] for r in (recent[-RECENT_REVIEWS:] if recent else ranked[-1:])}

    def planner(self, q: ProjectRec, on: date) -> int | None:
        """Who is planned to go: the 主监督员 if the account is enabled, else another of the team, else anyone."""
        team = self.hist.team_on(q.id, on)
        for u in team.members if team else ():
            if u in self.enabled:
                return u
        return self.side.choice(self.enabled) if self.enabled else None

    def open_items(self, x: Listing, rid: int, first_id: int) -> list[dict[str, Any]]:
        """The items of a review still being worked through."""
        rng, on = self.side, x.on
        rows: list[dict[str, Any]] = []
        left: list[tuple[ProjectRec, dict[str, Any]]] = []
        for q in self.candidates(x):
            team = self.hist.team_on(q.id, on)
            row: dict[str, Any] = {"id": first_id + len(rows), "review_id": rid, "project_id": q.id,
                                   "planned_on": None, "supervisor_id": team.principal if team else None,
                                   "inspection_id": None}
            done = self.visits.first_from(q.id, on)
            if done is None:
                left.append((q, row))
            else:
                row.update(planned_on=on + timedelta(days=rng.randint(0, (done.at.date() - on).days)),
                           supervisor_id=self.planner(q, on), inspection_id=done.id)
            rows.append(row)
        n = len(left)  # two or more: some planned, some not yet; one: planned or not
        k = rng.randint(1, n - 1) if n >= 2 else int(n == 1 and rng.random() < 0.5)
        for q, row in rng.sample(left, k):
            row.update(planned_on=on + timedelta(days=rng.randint(3, 21)), supervisor_id=self.planner(q, on))
        return rows

    def old_items(self, x: Listing, rid: int, first_id: int, plans: list[tuple[ProjectRec, date]]) -> list[dict[str, Any]]:
        rows = []
        for k, (q, planned) in enumerate(plans):
            team = self.hist.team_on(q.id, x.on)
            found = self.visits.first_from(q.id, x.on)
            done = found.id if found is not None and found.at.date() <= planned + timedelta(days=14) else None
            rows.append({"id": first_id + k, "review_id": rid, "project_id": q.id, "planned_on": planned,
                         "supervisor_id": team.principal if team else None, "inspection_id": done})
        return rows


def make_reviews(ctx: GenContext, hist: SupervisionHistory, visits: Visits, listings: list[Listing],
                 chief: int | None) -> tuple[int, int, int]:
    """Write the reviews; returns (reviews, items, reviews with items not yet inspected)."""
    rng, r = ctx.rng, _Reviews(ctx, hist, visits)
    forced = r.forced(listings)
    reviews: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    rid, iid = ctx.next_id(table_of(ContractorReview)), ctx.next_id(table_of(ContractorReviewItem))
    open_n = 0
    for x in listings:
        # the main stream's draws are those the demo always made, whatever the review becomes
        drawn = rng.random() < (REVIEW * 3 if x.level == ListingLevel.CITY.value else REVIEW)
        if not drawn and x.hazard_id not in forced:
            continue
        at = x.at
        plans: list[tuple[ProjectRec, date]] = []
        if drawn:
            others = [q for q in r.by_contractor.get(x.contractor_id, []) if q.id != x.project.id
                      and _under_way(q, x.on)]
            at = stamp(rng, x.on)
            plans = [(q, x.on + timedelta(days=rng.randint(3, 14))) for q in others]
        recent = x.on >= r.since or x.hazard_id in forced
        rows = r.open_items(x, rid, iid) if recent else r.old_items(x, rid, iid, plans)
        open_n += any(visits.first_from(row["project_id"], x.on) is None for row in rows)
        reviews.append({"id": rid, "contractor_id": x.contractor_id, "trigger": "挂牌督办", "hazard_id": x.hazard_id,
                        "trigger_note": f"{x.project.name}重大事故隐患{x.level}挂牌督办，排查该施工总承包单位在建项目"[:300],
                        "opened_on": x.on, "opened_by_id": chief, "created_at": at, "updated_at": at})
        items += rows
        rid, iid = rid + 1, iid + len(rows)
    ctx.insert(table_of(ContractorReview), reviews)
    ctx.insert(table_of(ContractorReviewItem), items)
    return len(reviews), len(items), open_n


__all__ = ["RECENT_DAYS", "RECHECK_DAYS", "REVIEW", "Listing", "Visits", "make_reviews"]
