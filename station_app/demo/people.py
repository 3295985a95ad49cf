"""People: each enterprise's staff (sized by how much work the enterprise gets), with valid ID numbers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from station_app.demo import names as nm
from station_app.demo.context import (
    TAIL_OFFSET,
    GenContext,
    LongTail,
    pick_weighted,
    rand_date,
    stamp,
    table_of,
)
from station_app.demo.places import local_id_codes
from station_app.models import Person
from station_app.rules.ids import resident_id_check_char, resident_id_gender
from station_app.services.search import build_search_key

_OWNER_TITLES = (("工程部经理", "现场代表"), (("工程部经理", 30.0), ("现场代表", 50.0), ("工程师", 20.0)))
#: category → (titles of the first employees, so every post a project needs has someone; then the mix)
TITLES: dict[str, tuple[tuple[str, ...], tuple[tuple[str, float], ...]]] = {
    "gc": (("项目经理", "安全员", "技术负责人", "施工员"),
           (("项目经理", 18), ("技术负责人", 12), ("安全员", 28), ("施工员", 20), ("质量员", 10), ("资料员", 7),
            ("安全总监", 5))),
    "specialist": (("项目经理", "安全员", "技术负责人"),
                   (("项目经理", 25), ("安全员", 30), ("技术负责人", 15), ("施工员", 20), ("资料员", 10))),
    "supervision": (("总监理工程师", "专业监理工程师", "监理员"),
                    (("总监理工程师", 20), ("专业监理工程师", 45), ("监理员", 30), ("总监代表", 5))),
    "survey": (("项目负责人", "工程师"), (("项目负责人", 30), ("工程师", 70))),
    "design": (("项目负责人", "工程师"), (("项目负责人", 30), ("工程师", 70))),
    "leasing": (("机械员", "安装负责人"), (("机械员", 40), ("安装负责人", 20), ("安全员", 20), ("资料员", 20))),
    "other": (("技术负责人", "检测员"), (("技术负责人", 20), ("检测员", 60), ("资料员", 20))),
}
#: expected parties per project of each category, and posts per party (sizes the staff)
_USAGE: dict[str, tuple[float, float]] = {
    "gc": (1.0, 4.5), "supervision": (1.0, 2.6), "specialist": (0.9, 1.6), "survey": (0.85, 1.0),
    "design": (0.9, 1.0), "dev": (0.22, 1.4), "industrial": (0.19, 1.4), "soe": (0.12, 1.4), "gov": (0.22, 1.4),
    "town_gov": (0.1, 1.4), "school": (0.05, 1.4), "hospital": (0.02, 1.4), "utility": (0.02, 1.4),
}
#: a person holds a post for one project at a time, then moves on: staff ≈ posts × this
_ROTATION = 0.5
_FEMALE = {"资料员": 0.6, "现场代表": 0.3, "监理员": 0.3, "检测员": 0.3, "工程师": 0.25, "安全员": 0.12}
_MOBILE = ("130", "133", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "177",
           "180", "181", "182", "187", "188", "189", "198")


def titles_of(category: str) -> tuple[tuple[str, ...], tuple[tuple[str, float], ...]]:
    return TITLES.get(category, _OWNER_TITLES)


def staff_sizes(ctx: GenContext, total: int) -> dict[int, int]:
    """Enterprise id → head count: a minimum (its first titles) plus a share of the rest by expected work."""
    base: dict[int, int] = {}
    want: dict[int, float] = {}
    for category, recs in ctx.by_category.items():
        first, _mix = titles_of(category)
        tail = LongTail(recs, TAIL_OFFSET.get(category, 3))
        per_project, posts = _USAGE.get(category, (0.0, 0.0))
        for rank, rec in enumerate(recs):
            base[rec.id] = 1 if category == "industrial" else len(first)
            want[rec.id] = ctx.scale.projects * per_project * tail.share(rank) * posts * _ROTATION + 0.3
    rest = total - sum(base.values())
    if rest <= 0:
        return base
    scale = rest / sum(want.values())
    sizes = {eid: base[eid] + int(want[eid] * scale) for eid in base}
    # largest remainders get the last few, ties by id (deterministic)
    short = total - sum(sizes.values())
    by_remainder = sorted(base, key=lambda eid: (-(want[eid] * scale % 1), eid))
    for eid in by_remainder[:short]:
        sizes[eid] += 1
    return sizes


class _IdNumbers:
    def __init__(self, ctx: GenContext) -> None:
        self.rng = ctx.rng
        self.local = local_id_codes(ctx.area)
        self.seen: set[str] = set()

    def make(self, home: tuple[str, ...], male: bool) -> str:
        rng = self.rng
        while True:
            code = rng.choice(home) if home and rng.random() < 0.6 else rng.choice(self.local)
            year = 1960 + int(rng.betavariate(2.2, 2.0) * 41)
            born = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
            seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
            first17 = f"{code}{born:%Y%m%d}{seq:03d}"
            number = first17 + resident_id_check_char(first17)
            if number not in self.seen:
                self.seen.add(number)
                return number


def make_people(ctx: GenContext) -> None:
    rng = ctx.rng
    sizes = staff_sizes(ctx, ctx.scale.people)
    count = sum(sizes.values())
    ctx.progress(f"生成人员 {count} 人（身份证号、拼音检索码）…")
    ids = _IdNumbers(ctx)
    table = table_of(Person)
    first_id = ctx.next_id(table)
    order = list(range(count))
    rng.shuffle(order)
    rows: list[dict[str, Any]] = []
    for rec in ctx.enterprises:
        first, mix = titles_of(rec.category)
        titles = ctx.staff.setdefault(rec.id, {})
        everyone = ctx.staff_all.setdefault(rec.id, [])
        for k in range(sizes[rec.id]):
            title = first[k] if k < len(first) else pick_weighted(rng, mix)
            male = rng.random() >= _FEMALE.get(title, 0.06)
            name = nm.person_name(rng, male)
            number = ids.make(rec.id_codes, male)
            phone = rng.choice(_MOBILE) + f"{rng.randint(0, 99999999):08d}"
            pid = first_id + order[len(rows)]
            at = stamp(rng, rand_date(rng, ctx.span_start, ctx.span_start + timedelta(days=60)))
            rows.append({
                "id": pid, "name": name, "id_number": number, "gender": resident_id_gender(number),
                "phone": phone, "employer_id": rec.id, "title": title, "note": "",
                # as persons._apply: the name, then ID number, phone and employer as typed
                "search_key": build_search_key(name, extra=(number, phone, rec.name)),
                "created_at": at, "updated_at": at, "version": 1,
            })
            titles.setdefault(title, []).append(pid)
            everyone.append(pid)
    rows.sort(key=lambda r: r["id"])
    ctx.insert(table, rows)
    ctx.counts["人员"] = len(rows)
