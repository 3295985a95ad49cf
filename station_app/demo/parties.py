"""Who builds each project: owner, 施工总承包, 监理, 勘察, 设计, 专业分包 — and their people on posts.

Enterprises are picked along a long tail (a few contractors build much, many build once); a person
on a post is taken from the party's own staff, preferring someone not busy on another project.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from station_app.demo import names as nm
from station_app.demo.context import (
    TAIL_OFFSET,
    EnterpriseRec,
    GenContext,
    LongTail,
    ProjectRec,
    pick_weighted,
    rand_date,
)
from station_app.models.enums import PartyRole, ProjectStatus, ProjectType

#: owner categories (and tags) by sub-type; tag "town" means the project's own town government
OWNER_CHOICES: dict[str, tuple[tuple[tuple[str, str], float], ...]] = {
    "住宅": ((("dev", ""), 1),),
    "安置房": ((("soe", ""), 5), (("town_gov", "town"), 3), (("gov", "housing"), 2)),
    "学校": ((("school", ""), 6), (("gov", "edu"), 4)),
    "医院": ((("hospital", ""), 7), (("gov", "health"), 3)),
    "公共建筑": ((("soe", ""), 4), (("gov", "culture"), 2), (("gov", "housing"), 2), (("dev", ""), 2),
             (("town_gov", "town"), 2)),
    "工业厂房": ((("industrial", ""), 1),),
    "装饰装修": ((("dev", ""), 2), (("school", ""), 2), (("hospital", ""), 1), (("industrial", ""), 2),
             (("gov", ""), 1)),
    "其他房屋建筑": ((("town_gov", "town"), 3), (("soe", ""), 2), (("gov", ""), 1)),
    "道路": ((("gov", "transport"), 4), (("soe", ""), 4), (("town_gov", "town"), 2)),
    "桥梁": ((("gov", "transport"), 5), (("soe", ""), 3)),
    "给排水": ((("gov", "water"), 5), (("soe", ""), 2), (("town_gov", "town"), 2)),
    "燃气": ((("utility", "gas"), 1),),
    "热力": ((("utility", "heat"), 1),),
    "园林绿化": ((("gov", "city"), 4), (("soe", ""), 3), (("town_gov", "town"), 2)),
    "照明": ((("gov", "city"), 5), (("town_gov", "town"), 2)),
    "综合管廊": ((("soe", ""), 1),),
    "其他市政": ((("gov", "city"), 3), (("town_gov", "town"), 3), (("soe", ""), 2)),
}
_OWNER_FALLBACK = ("soe", "gov", "dev", "town_gov", "industrial", "school", "hospital", "utility")

_SUB_TRADES_BUILDING = (("地基基础", 3.0), ("钢结构", 2.0), ("幕墙", 1.5), ("消防", 2.0), ("装饰", 1.0),
                        ("起重", 3.0), ("模架", 2.0), ("智能化", 1.0), ("防水", 1.5), ("机电", 1.5))
_SUB_TRADES_MUNICIPAL = (("地基基础", 3.0), ("起重", 2.0), ("机电", 1.0), ("智能化", 1.0))
_SCOPES = {tag: scope for tag, _q, _e, scope in nm.SPECIALTIES}

#: how many firms a project considers before it takes one whose key people are all busy
_TRIES = 4

_Rows = list[dict[str, Any]]

#: (post, title to staff it from, fallback titles)
_Post = tuple[str, str, tuple[str, ...]]


class Pickers:
    """Long-tail pickers per (category, tag), built on first use."""

    def __init__(self, ctx: GenContext) -> None:
        self.ctx, self.rng = ctx, ctx.rng
        self._tails: dict[tuple[str, str], LongTail[EnterpriseRec]] = {}

    def tail(self, category: str, tag: str = "") -> LongTail[EnterpriseRec]:
        key = (category, tag)
        if key not in self._tails:
            recs = self.ctx.by_category.get(category, [])
            if tag and category == "gc":
                recs = [r for r in recs if r.tag in (tag, "both")]
            elif tag:
                recs = [r for r in recs if r.tag == tag]
            self._tails[key] = LongTail(recs, TAIL_OFFSET.get(category, 3))
        return self._tails[key]

    def owner(self, sub_type: str, town: str) -> EnterpriseRec:
        category, tag = pick_weighted(self.rng, OWNER_CHOICES[sub_type])
        for cat, t in ((category, town if tag == "town" else tag), (category, ""),
                       *((c, "") for c in _OWNER_FALLBACK)):
            tail = self.tail(cat, t)
            if tail:
                return tail.pick(self.rng)
        raise RuntimeError("演示数据：没有建设单位")  # pragma: no cover - fixed categories always exist

    def contractor(self, project_type: str, sub_type: str) -> EnterpriseRec:
        if sub_type == "装饰装修" and self.rng.random() < 0.7 and self.tail("specialist", "装饰"):
            return self.tail("specialist", "装饰").pick(self.rng)
        tail = self.tail("gc", "municipal" if project_type == ProjectType.MUNICIPAL.value else "building")
        return (tail or self.tail("gc")).pick(self.rng)

    def one(self, category: str) -> EnterpriseRec | None:
        tail = self.tail(category)
        return tail.pick(self.rng) if tail else None

    def subcontractors(self, p: ProjectRec, exclude: EnterpriseRec) -> list[EnterpriseRec]:
        rng = self.rng
        municipal = p.project_type == ProjectType.MUNICIPAL.value
        if p.actual_start is None or rng.random() >= (0.3 if municipal else 0.55):
            return []
        trades = list(_SUB_TRADES_MUNICIPAL if municipal else _SUB_TRADES_BUILDING)
        if p.sub_type == "工业厂房":
            trades = [(t, w * 3 if t == "钢结构" else w) for t, w in trades]
        chosen: list[EnterpriseRec] = []
        for _ in range(rng.choices((1, 2, 3), weights=(5, 3, 2))[0]):
            tail = self.tail("specialist", pick_weighted(rng, trades))
            if tail:
                sub = tail.pick(rng)
                if sub is not exclude and sub not in chosen:
                    chosen.append(sub)
        return chosen


class Certificates:
    """安管人员 certificates (B 项目负责人, C 专职安全员): one number per person and class, kept across projects."""

    def __init__(self, ctx: GenContext) -> None:
        self.rng, self.today = ctx.rng, ctx.today
        self.issued: dict[tuple[int, str], str] = {}
        self.serials: dict[tuple[str, str, int], int] = {}

    def get(self, person_id: int, cls: str, abbr: str) -> str:
        key = (person_id, cls)
        if key not in self.issued:
            rng = self.rng
            grade = rng.choices(("C2", "C3", "C1"), weights=(6, 3, 1))[0] if cls == "C" else cls
            year = rng.randint(self.today.year - 9, self.today.year - 1)
            serial_key = (abbr, grade, year)
            serial = self.serials.get(serial_key, rng.randint(100, 20000)) + rng.randint(1, 40)
            self.serials[serial_key] = serial
            self.issued[key] = f"{abbr}建安{grade}（{year}）{serial:07d}"
        return self.issued[key]


_CERT_CLASS = {(PartyRole.GENERAL_CONTRACTOR.value, "项目负责人"): "B",
               (PartyRole.GENERAL_CONTRACTOR.value, "专职安全员"): "C",
               (PartyRole.GENERAL_CONTRACTOR.value, "安全总监"): "C",
               (PartyRole.SUBCONTRACTOR.value, "项目负责人"): "B",
               (PartyRole.SUBCONTRACTOR.value, "专职安全员"): "C"}


def _posts(ctx: GenContext, role: str, p: ProjectRec) -> list[_Post]:
    rng = ctx.rng
    big = (p.building_area or 0) >= 10000 or p.cost_fen >= 50_000_000 * 100
    if role == PartyRole.GENERAL_CONTRACTOR.value:
        posts: list[_Post] = [("项目负责人", "项目经理", ()), ("技术负责人", "技术负责人", ("施工员",)),
                              ("专职安全员", "安全员", ())]
        if big:
            posts.append(("专职安全员", "安全员", ()))
        if rng.random() < (0.35 if big else 0.08):
            posts.append(("安全总监", "安全总监", ("安全员",)))
        if rng.random() < 0.4:
            posts.append(("施工员", "施工员", ()))
        return posts
    if role == PartyRole.SUPERVISION.value:
        posts = [("项目总监", "总监理工程师", ("专业监理工程师",)), ("专业监理工程师", "专业监理工程师", ())]
        if big or rng.random() < 0.3:
            posts.append(("专业监理工程师", "专业监理工程师", ()))
        if rng.random() < 0.15:
            posts.append(("总监代表", "总监代表", ("专业监理工程师",)))
        if rng.random() < 0.3:
            posts.append(("监理员", "监理员", ()))
        return posts
    if role == PartyRole.OWNER.value:
        posts = [("项目负责人", "工程部经理", ())]
        if rng.random() < 0.4:
            posts.append(("现场代表", "现场代表", ()))
        return posts
    if role in (PartyRole.SURVEY.value, PartyRole.DESIGN.value):
        return [("项目负责人", "项目负责人", ("工程师",))]
    posts = [("项目负责人", "项目经理", ())]
    if rng.random() < 0.5:
        posts.append(("专职安全员", "安全员", ()))
    if rng.random() < 0.2:
        posts.append(("技术负责人", "技术负责人", ()))
    return posts


class Staffing:
    """Takes people for posts from the enterprise's staff: someone of the right title who is free
    when the project starts, else the one who is free soonest (small firms stretch thin)."""

    def __init__(self, ctx: GenContext) -> None:
        self.ctx = ctx
        self.busy: dict[int, date] = {}

    def has_free(self, enterprise_id: int, title: str, start: date) -> bool:
        pool = self.ctx.staff.get(enterprise_id, {}).get(title, [])
        return any(self.busy.get(pid, date.min) < start for pid in pool)

    def pick(self, enterprise_id: int, title: str, fallbacks: tuple[str, ...], start: date, end: date,
             exclude: list[int]) -> int | None:
        titles = self.ctx.staff.get(enterprise_id, {})
        pools = [titles.get(t, []) for t in (title, *fallbacks)] + [self.ctx.staff_all.get(enterprise_id, [])]
        for pool in pools:
            candidates = [pid for pid in pool if pid not in exclude]
            if not candidates:
                continue
            free = next((pid for pid in candidates if self.busy.get(pid, date.min) < start), None)
            chosen = free if free is not None else min(candidates, key=lambda pid: self.busy.get(pid, date.min))
            self.busy[chosen] = max(self.busy.get(chosen, date.min), end)
            return chosen
        return None


def _work_end(ctx: GenContext, p: ProjectRec) -> date:
    if p.actual_finish is not None:
        return p.actual_finish
    if p.stopped is not None and p.status == ProjectStatus.TERMINATED.value:
        return p.stopped
    return max(p.planned_finish, ctx.today + timedelta(days=30))


def _party_dates(ctx: GenContext, role: str, p: ProjectRec) -> tuple[date | None, date | None]:
    rng, today = ctx.rng, ctx.today
    if role not in (PartyRole.GENERAL_CONTRACTOR.value, PartyRole.SUPERVISION.value,
                    PartyRole.SUBCONTRACTOR.value) or p.actual_start is None:
        return None, None
    finished = p.actual_finish or (p.stopped if p.status == ProjectStatus.TERMINATED.value else None)
    if role != PartyRole.SUBCONTRACTOR.value:
        return p.actual_start, finished
    last = min(today, finished or today, p.stopped or today,
               p.actual_start + (p.planned_finish - p.planned_start))
    start = rand_date(rng, p.actual_start, last)
    if finished is not None:
        return start, rand_date(rng, start, finished)
    if (today - start).days > 90 and rng.random() < 0.5:
        return start, rand_date(rng, start + timedelta(days=30), today)
    return start, None


def assign_parties(ctx: GenContext, projects: list[ProjectRec], pickers: Pickers, owners: dict[int, EnterpriseRec],
                   first_party_id: int, first_link_id: int) -> tuple[_Rows, _Rows, dict[int, list[EnterpriseRec]]]:
    """Party rows, party-person rows, and each project's party enterprises in party-id order (for its
    search key). Projects are staffed in the order work starts, so "busy" means busy then."""
    rng = ctx.rng
    staffing, certs = Staffing(ctx), Certificates(ctx)
    parties: _Rows = []
    links: _Rows = []
    in_order: dict[int, list[EnterpriseRec]] = {}
    party_id, link_id = first_party_id, first_link_id
    for p in sorted(projects, key=lambda x: (x.work_start, x.id)):
        # a firm whose 项目经理 (总监) are all busy usually loses the bid: try a few, keep the last
        for _ in range(_TRIES):
            gc = pickers.contractor(p.project_type, p.sub_type)
            if staffing.has_free(gc.id, "项目经理", p.work_start):
                break
        for _ in range(_TRIES):
            supervision = pickers.one("supervision")
            if supervision is None or staffing.has_free(supervision.id, "总监理工程师", p.work_start):
                break
        line_up: list[tuple[str, EnterpriseRec | None]] = [
            (PartyRole.OWNER.value, owners[p.id]), (PartyRole.GENERAL_CONTRACTOR.value, gc),
            (PartyRole.SUPERVISION.value, supervision),
            (PartyRole.SURVEY.value, pickers.one("survey") if p.sub_type != "装饰装修" and rng.random() < 0.85
             else None),
            (PartyRole.DESIGN.value, pickers.one("design") if rng.random() < 0.9 else None),
        ]
        line_up += [(PartyRole.SUBCONTRACTOR.value, sub) for sub in pickers.subcontractors(p, gc)]
        end = _work_end(ctx, p)
        in_order[p.id] = []
        for role, ent in line_up:
            if ent is None:
                continue
            start_date, end_date = _party_dates(ctx, role, p)
            scope = _SCOPES.get(ent.tag, "") if role == PartyRole.SUBCONTRACTOR.value else ""
            parties.append({"id": party_id, "project_id": p.id, "role": role, "enterprise_id": ent.id,
                            "scope": scope, "start_date": start_date, "end_date": end_date})
            in_order[p.id].append(ent)
            p.parties.setdefault(role, []).append(ent.id)
            taken: list[int] = []
            for post, title, fallbacks in _posts(ctx, role, p):
                person = staffing.pick(ent.id, title, fallbacks, start_date or p.work_start, end, taken)
                if person is None:
                    continue
                taken.append(person)
                cls = _CERT_CLASS.get((role, post))
                links.append({"id": link_id, "party_id": party_id, "person_id": person, "post": post,
                              "certificate_no": certs.get(person, cls, ent.abbr) if cls else ""})
                p.posts.setdefault(f"{role}/{post}", []).append(person)
                link_id += 1
            party_id += 1
    return parties, links, in_order
