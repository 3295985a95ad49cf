"""Demo 隐患台账: ≈250,000 hazards over five years at county scale (proportionally few at small scale).

Every inspection finding gets its hazard (finding_id, source 监督检查, the finding's project, day,
category, level, criterion, description, location, requirement and deadline; the inspectors as
found_by_names, the first of them as found_by). The other sources (企业自查, 智慧工地 from mid-2023,
上级督查, 举报) fill up to the target on projects while they were under way. Snapshots are those the
service takes on the day found: the project's grid on that day (the demo's grid split), its 主监督员 on
that day and its 施工总承包. Lives (events, state, 挂牌督办) come from :mod:`hazard_flow`; a few dozen
hazards found on or before 2023-12-31 are still open (most of that stock is closed), a tail is overdue
at the demo's today. A few 挂牌督办 cases opened a contractor-wide review (精准拆弹) of the contractor's
other projects under way, the latest ones still being worked through; a 复查 names the re-inspection it
came from where the demo has one (both :mod:`hazard_reviews`). Some hazards carry
photos (:mod:`hazard_photos`: links to the site-photo blobs, on their 登记, 报告整改完成 and 复查合格).

Rows go in with Core executemany in id order (hazards by registration time, so codes "YH{year}-{serial}"
follow the dates), flushed every few thousand hazards.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, DateTime, Table, select

from station_app.db.base import LocalDateTime
from station_app.demo import hazard_flow
from station_app.demo.context import CHUNK, GenContext, stamp, table_of
from station_app.demo.hazard_other import OtherSources, Seed
from station_app.demo.hazard_photos import HazardPhotos
from station_app.demo.hazard_reviews import Listing, Visits, make_reviews
from station_app.demo.history import SupervisionHistory, history
from station_app.demo.inspection_content import RuleCache
from station_app.models import (
    Hazard,
    HazardAttachment,
    HazardEvent,
    HazardListing,
    Inspection,
    InspectionFinding,
    InspectionInspector,
    Person,
    ProjectParty,
    ProjectPartyPerson,
    User,
)
from station_app.models.enums import PartyRole, Role
from station_app.models.hazard import HazardLevel, HazardSource, HazardState, ListingLevel
from station_app.services.search import build_search_key

#: hazards wanted at each scale (other scales: 2.25 per finding)
TARGETS = {"county": 250_000}
#: hazards per inspection finding when a scale has no target (≈ county's 250,000 / 111,000)
PER_FINDING = 2.25
#: open stock: share of the hazards found on or before STOCK_END still open, major / ordinary
STOCK_END = date(2023, 12, 31)
STOCK_OPEN = {True: 0.04, False: 0.0005}
#: stuck open for good (found after STOCK_END, more than two months ago), major / ordinary
STUCK = {True: 0.008, False: 0.0003}
LISTED = 0.45
CITY_LISTING = 0.2
_FLUSH = 5000
_POSTS = {PartyRole.GENERAL_CONTRACTOR.value: "项目负责人", PartyRole.SUPERVISION.value: "项目总监",
          PartyRole.OWNER.value: "项目负责人", PartyRole.SUBCONTRACTOR.value: "项目负责人"}


class _People:
    """Names of accounts and of the people on the projects' posts."""

    def __init__(self, ctx: GenContext) -> None:
        self.names: dict[int, str] = {uid: name for uid, name in ctx.session.execute(select(User.id, User.full_name))}
        chief = ctx.users.get(Role.CHIEF.value) or ctx.users.get(Role.ADMIN.value) or []
        self.chief = self.person(chief[0] if chief else None)
        self.clerks = [self.person(u) for u in ctx.users.get(Role.CLERK.value, [])] or [self.chief]
        self.supervisors = [self.person(u) for u in ctx.users.get(Role.SUPERVISOR.value, [])] or [self.chief]
        self.posts: dict[tuple[int, str, str], tuple[int, str]] = {}
        for pid, role, post, person_id, name in ctx.session.execute(
                select(ProjectParty.project_id, ProjectParty.role, ProjectPartyPerson.post, Person.id, Person.name)
                .join(ProjectParty, ProjectParty.id == ProjectPartyPerson.party_id)
                .join(Person, Person.id == ProjectPartyPerson.person_id)
                .where(ProjectPartyPerson.post.in_(("项目负责人", "项目总监", "专职安全员")))
                .order_by(ProjectPartyPerson.id)):
            self.posts.setdefault((pid, role, post), (person_id, name))

    def person(self, user_id: int | None) -> hazard_flow.Person:
        return hazard_flow.Person(user_id, self.names.get(user_id, "") if user_id else "")


def _first(ids: list[int] | None) -> int | None:
    return ids[0] if ids else None


def _finding_seeds(ctx: GenContext) -> list[Seed]:
    projects = {p.id: p for p in ctx.projects}
    first = (select(InspectionInspector.inspection_id, InspectionInspector.user_id)
             .where(InspectionInspector.seq == 1).subquery())
    f, i = InspectionFinding, Inspection
    out = []
    rows = ctx.session.execute(
        select(f.id, f.inspection_id, i.project_id, i.inspected_at, i.created_at, i.created_by, i.inspector_names,
               first.c.user_id, f.category, f.level, f.criterion_code, f.criterion_edition, f.description,
               f.location, f.requirement, f.deadline)
        .join(i, i.id == f.inspection_id).outerjoin(first, first.c.inspection_id == i.id).order_by(f.id))
    for (fid, iid, pid, at, recorded_at, recorded_by, names, first_user, category, level, code, edition, text,
         location, requirement, deadline) in rows:
        p = projects[pid]
        out.append(Seed(recorded_at, fid, p, HazardSource.INSPECTION.value, at.date(), category, level, code,
                        edition, text, location, requirement, deadline,
                        PartyRole.GENERAL_CONTRACTOR.value, first_user, names, recorded_by, iid,
                        fid))
    return out


def _fates(ctx: GenContext, seeds: list[Seed]) -> list[str]:
    """"stuck" (open for good), "cancel" or "normal" for each seed, in seed order."""
    rng = ctx.rng
    fates = ["normal"] * len(seeds)
    for major in (True, False):
        stock = [k for k, s in enumerate(seeds) if s.found_on <= STOCK_END and (s.level == HazardLevel.MAJOR) == major]
        if stock:
            for k in rng.sample(stock, max(1, round(len(stock) * STOCK_OPEN[major]))):
                fates[k] = "stuck"
    recent = ctx.today - timedelta(days=60)
    for k, s in enumerate(seeds):
        if fates[k] != "normal":
            continue
        roll = rng.random()
        if roll < hazard_flow.CANCEL:
            fates[k] = "cancel"
        elif STOCK_END < s.found_on < recent and roll < hazard_flow.CANCEL + STUCK[s.level == HazardLevel.MAJOR]:
            fates[k] = "stuck"
    return fates


class _Writer:
    def __init__(self, ctx: GenContext, hist: SupervisionHistory, people: _People, visits: Visits) -> None:
        self.ctx, self.hist, self.people, self.visits = ctx, hist, people, visits
        self.models = (Hazard, HazardEvent, HazardListing)
        self.buffers: list[list[dict[str, Any]]] = [[], [], []]
        self.ids = [ctx.next_id(table_of(m)) for m in self.models]
        self.photos = HazardPhotos(ctx)
        self.rules = RuleCache()  # the 暂定 flag, as the services set it
        self.serial: dict[int, int] = {}
        self.names = {e.id: e.name for e in ctx.enterprises}
        #: each 挂牌督办, for the reviews
        self.listings: list[Listing] = []
        self.counts = {"hazards": 0, "events": 0, "listings": 0, "majors": 0, "open": 0, "overdue": 0,
                       "cancelled": 0, "stock_open": 0, "linked": 0}

    def add(self, s: Seed, fate: str) -> None:
        ctx, rng, people = self.ctx, self.ctx.rng, self.people
        hid, eid, lid = self.ids
        p, day = s.project, s.found_on
        year = day.year
        serial = self.serial[year] = self.serial.get(year, 0) + 1
        code = f"YH{year}-{serial:06d}"
        team = self.hist.team_on(p.id, day)
        supervisor = team.principal if team else None
        contractor = _first(p.parties.get(PartyRole.GENERAL_CONTRACTOR.value))
        registrar = people.person(s.created_by)
        reviewer = people.person(supervisor) if supervisor else people.person(s.found_by_id) \
            if s.found_by_id else rng.choice(people.supervisors)
        clerk = rng.choice(people.clerks)
        major = s.level == HazardLevel.MAJOR.value
        listed = None
        if major and contractor is not None and (fate == "stuck" or rng.random() < LISTED):
            city = rng.random() < (0.5 if fate == "stuck" else CITY_LISTING)
            listed = (ListingLevel.CITY.value if city else ListingLevel.COUNTY.value, rng.randint(1, 5),
                      self.names.get(contractor, "")[:100])
        life = hazard_flow.live(
            rng, found_on=day, registered_at=s.at, level=s.level, deadline=s.deadline,
            last=ctx.today - timedelta(days=1), fate=fate, registrar=registrar,
            issuer=clerk if rng.random() < 0.7 else reviewer, reviewer=reviewer, clerk=clerk,
            chief=people.chief, listed=listed)
        ev = life.events
        state = life.state
        changes = [e for e in ev if e[4] and e[3] != e[4]]
        deadlines = [e[7] for e in ev if e[7] is not None]
        closing = next((e for e in reversed(ev) if e[4] == HazardState.CLOSED.value and e[3] != e[4]), None)
        reported = next((e[0] for e in reversed(ev) if e[2] == hazard_flow.A.RECTIFICATION_REPORTED.value), None)
        deadline = deadlines[-1] if deadlines else s.deadline
        role = s.responsible_role if s.responsible_role in p.parties else PartyRole.GENERAL_CONTRACTOR.value
        enterprise = _first(p.parties.get(role))
        # hazard_sync registers a finding's hazard against the 施工总承包 with nobody named; a clerk
        # registering one names the person of the responsible party
        rep_name = "" if s.finding_id else people.posts.get((p.id, role, _POSTS.get(role, "项目负责人")), (0, ""))[1]
        listing_level = life.listing[0] if life.listing and life.listing[3] is None else ""
        self.buffers[0].append({
            "id": hid, "code": code, "project_id": p.id, "source": s.source, "inspection_id": s.inspection_id,
            "finding_id": s.finding_id, "found_on": day, "found_by_id": s.found_by_id,
            "found_by_names": s.found_by_names[:200], "grid_id": self.hist.grid_on(p, day),
            "supervisor_id": supervisor, "contractor_id": contractor, "location": s.location[:200],
            "category": s.category, "description": s.description, "level": s.level,
            "criterion_code": s.criterion_code, "criterion_edition": s.criterion_edition,
            "responsible_role": role, "responsible_enterprise_id": enterprise, "responsible_person_id": None,
            "responsible_person_name": rep_name[:50], "requirement": s.requirement, "deadline": deadline,
            "deadline_provisional": deadline == s.deadline and self.rules.provisional(s.level, day, deadline),
            "first_deadline": s.deadline, "state": state, "state_since": changes[-1][1],
            "rectified_on": reported,  # the last report (a failed 复查 keeps it, as the service does)
            "closed_on": closing[0] if closing else None, "closed_by_id": closing[5].id if closing else None,
            "cancel_reason": ev[-1][6][:500] if state == HazardState.CANCELLED.value else "",
            "listing_level": listing_level,
            "search_key": build_search_key(p.name, self.names.get(contractor) if contractor else None,
                                           extra=(code, s.description[:200], s.location))[:1000],
            "created_by": s.created_by, "created_at": s.at, "updated_at": ev[-1][1],
            # the service's registration is version 1; each later step but a 督办 changes the row
            "version": sum(e[2] != _URGED for e in ev)})
        self.photos.add(hid, eid, ev, state == HazardState.CLOSED.value)
        links = self._links(s, ev)
        self.buffers[1] += [{"id": eid + k, "hazard_id": hid, "action": e[2], "from_state": e[3], "to_state": e[4],
                             "on_date": e[0], "at": e[1], "actor_id": e[5].id, "actor_name": e[5].name[:50],
                             "comment": e[6], "new_deadline": e[7], "inspection_id": links.get(k)}
                            for k, e in enumerate(ev)]
        if life.listing is not None:
            level, on, required, lifted = life.listing
            listed_by = next(e[5].id for e in ev if e[2] == hazard_flow.A.LISTED.value)
            at = stamp(rng, on)
            self.buffers[2].append({
                "id": lid, "hazard_id": hid, "level": level, "listed_on": on,
                "responsible_unit": self.names.get(contractor or 0, "")[:100], "required_by": required,
                "note": hazard_flow.LISTING_NOTE, "listed_by_id": listed_by, "lifted_on": lifted,
                "lifted_by_id": people.chief.id if lifted else None,
                "lift_note": hazard_flow.LIFT_NOTE if lifted else "", "created_at": at,
                "updated_at": stamp(rng, lifted) if lifted else at})
            self.listings.append(Listing(hid, p, contractor or 0, on, level, at))
            lid += 1
        self.ids = [hid + 1, eid + len(ev), lid]
        c = self.counts
        c["hazards"] += 1
        c["events"] += len(ev)
        c["listings"] += life.listing is not None
        c["majors"] += major
        is_open = state in _OPEN
        c["open"] += is_open
        c["overdue"] += is_open and deadline < ctx.today
        c["cancelled"] += state == HazardState.CANCELLED.value
        c["stock_open"] += is_open and day <= STOCK_END
        c["linked"] += len(links)
        if len(self.buffers[0]) >= _FLUSH:
            self.flush()

    def _links(self, s: Seed, ev: list[hazard_flow.Event]) -> dict[int, int]:
        """Event index → the re-inspection its 复查 came from (:meth:`Visits.review_link`)."""
        out: dict[int, int] = {}
        reported = s.found_on
        for k, e in enumerate(ev):
            if e[2] == _REPORTED:
                reported = e[0]
            elif e[2] in _REVIEWS:
                link = self.visits.review_link(s.project.id, e[0], reported, e[5].id, s.inspection_id)
                if link is not None:
                    out[k] = link
        return out

    def flush(self) -> None:
        for model, rows in zip(self.models, self.buffers, strict=True):
            if rows:
                bulk_insert(self.ctx, table_of(model), rows)
            rows.clear()
        if self.photos.rows:  # after their hazards and events
            bulk_insert(self.ctx, table_of(HazardAttachment), self.photos.rows)
            self.photos.rows.clear()


def _sqlite_date(v: date | None) -> str | None:
    return None if v is None else f"{v.year:04d}-{v.month:02d}-{v.day:02d}"


def _sqlite_datetime(v: datetime | None) -> str | None:
    return None if v is None else f"{v:%Y-%m-%d %H:%M:%S}.{v.microsecond:06d}"


def bulk_insert(ctx: GenContext, table: Table, rows: list[dict[str, Any]]) -> None:
    """``ctx.insert`` for 1.5 million rows: on SQLite, tuples straight to the driver's executemany with
    dates written as SQLAlchemy's SQLite types write them (its per-value bind processing was most of the
    step's time); elsewhere Core executemany."""
    if ctx.is_postgres:
        ctx.insert(table, rows)
        return
    ctx.insert(table, [])  # registers the table like every other step's
    names = list(rows[0])
    convert = [_sqlite_datetime if isinstance(table.c[n].type, DateTime | LocalDateTime)
               else _sqlite_date if isinstance(table.c[n].type, Date) else None for n in names]
    dated = [(k, c) for k, c in enumerate(convert) if c is not None]
    sql = f'INSERT INTO {table.name} ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})'
    cursor = ctx.session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for i in range(0, len(rows), CHUNK):
            batch = []
            for row in rows[i:i + CHUNK]:
                values = list(row.values())
                for k, c in dated:
                    values[k] = c(values[k])
                batch.append(values)
            cursor.executemany(sql, batch)
    finally:
        cursor.close()


_URGED = hazard_flow.A.URGED.value
_REPORTED = hazard_flow.A.RECTIFICATION_REPORTED.value
_REVIEWS = frozenset((hazard_flow.A.REVIEW_PASSED.value, hazard_flow.A.REVIEW_FAILED.value))
_OPEN = frozenset(s.value for s in HazardState if s not in (HazardState.CLOSED, HazardState.CANCELLED))

def make_hazards(ctx: GenContext) -> None:
    hist = history(ctx)
    people = _People(ctx)
    seeds = _finding_seeds(ctx)
    target = TARGETS.get(ctx.scale.name, round(len(seeds) * PER_FINDING))
    ctx.progress(f"生成隐患台账约 {target} 条（检查发现 {len(seeds)} 条及企业自查、智慧工地、上级督查、举报），"
                 "整改、复查、销号、挂牌督办…")
    seeds += OtherSources(ctx, hist, people.posts, people.clerks, people.supervisors).seeds(
        max(0, target - len(seeds)), start_order=len(seeds))
    seeds.sort(key=lambda s: (s.at, s.order))
    fates = _fates(ctx, seeds)
    visits = Visits(hist)
    writer = _Writer(ctx, hist, people, visits)
    for s, fate in zip(seeds, fates, strict=True):
        writer.add(s, fate)
    writer.flush()
    n_reviews, n_items, n_open = make_reviews(ctx, hist, visits, writer.listings, people.chief.id)
    c = writer.counts
    ctx.counts["隐患"] = c["hazards"]
    ctx.counts["隐患处理记录"] = c["events"]
    ctx.counts["挂牌督办"] = c["listings"]
    ctx.counts["企业在建项目排查"] = n_reviews
    ctx.progress(f"生成隐患 {c['hazards']} 条（重大 {c['majors']} 条）：未销号 {c['open']} 条，其中逾期 {c['overdue']} 条、"
                 f"2023年及以前存量 {c['stock_open']} 条；已撤销 {c['cancelled']} 条；处理记录 {c['events']} 条；"
                 f"挂牌督办 {c['listings']} 起；复查关联检查记录 {c['linked']} 次；"
                 f"企业在建项目排查 {n_reviews} 次（{n_items} 个项目，未完成 {n_open} 次）")
    writer.photos.report(ctx)


__all__ = ["PER_FINDING", "STOCK_END", "TARGETS", "make_hazards"]
