"""Enterprises: contractors, specialists, supervisors, designers, owners — valid USCCs, permits, 资质."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from station_app.demo import names as nm
from station_app.demo.context import (
    EnterpriseRec,
    GenContext,
    pick_weighted,
    rand_date,
    stamp,
    table_of,
)
from station_app.demo.places import OUTSIDE_ORIGINS, Origin, local_origins
from station_app.models import Enterprise, EnterpriseQualification
from station_app.models.enums import EnterpriseKind, PermitStatus
from station_app.rules.ids import USCC_ALPHABET, org_code_check_char, uscc_check_char
from station_app.services.search import build_search_key

#: category → (kind, share of all enterprises, minimum, how far from home it may be registered 0…1)
_OPEN: dict[str, tuple[EnterpriseKind, float, int, float]] = {
    "gc": (EnterpriseKind.CONTRACTOR, 0.21, 6, 1.0),
    "specialist": (EnterpriseKind.SPECIALIST, 0.19, 6, 0.8),
    "supervision": (EnterpriseKind.SUPERVISION, 0.045, 3, 0.6),
    "survey": (EnterpriseKind.SURVEY, 0.025, 2, 0.8),
    "design": (EnterpriseKind.DESIGN, 0.04, 2, 0.8),
    "leasing": (EnterpriseKind.LEASING, 0.05, 2, 0.2),
    "other": (EnterpriseKind.OTHER, 0.04, 1, 0.2),
    "dev": (EnterpriseKind.OWNER, 0.08, 3, 0.3),
}
#: categories whose names come from fixed lists: (share, minimum)
_FIXED: dict[str, tuple[float, int]] = {
    "soe": (0.005, 2), "gov": (0.005, 4), "town_gov": (0.01, 2), "school": (0.012, 2), "hospital": (0.004, 1),
    "utility": (0.001, 1),
}
#: what is left is industrial owners (factories build a lot in a county)
_GC_TAGS = (("building", 55.0), ("municipal", 15.0), ("both", 30.0))
_ENDINGS = {"supervision": nm.SUPERVISION_ENDINGS, "survey": nm.SURVEY_ENDINGS, "design": nm.DESIGN_ENDINGS,
            "leasing": nm.LEASING_ENDINGS, "other": nm.OTHER_ENDINGS, "dev": nm.DEVELOPER_ENDINGS}
_QUAL_LETTER = {"gc": "D", "specialist": "D", "supervision": "E", "survey": "B", "design": "A"}


class _Maker:
    def __init__(self, ctx: GenContext) -> None:
        self.ctx, self.rng = ctx, ctx.rng
        self.local = local_origins(ctx.area)
        self.names: set[str] = set()
        self.usccs: set[str] = set()
        self.permits: set[str] = set()
        self.recs: list[EnterpriseRec] = []
        self.rows: list[dict[str, Any]] = []
        self.quals: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ identifiers

    def origin(self, outside: float) -> Origin:
        pool = [(o, float(o.weight)) for o in self.local] + [(o, o.weight * outside) for o in OUTSIDE_ORIGINS]
        return self.rng.choices([o for o, _ in pool], weights=[w for _, w in pool])[0]

    def uscc(self, prefix: str, division: str) -> str:
        rng = self.rng
        while True:
            if prefix == "91" and rng.random() < 0.45:  # registered since 2016: 主体标识码 "MA…"
                body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
            else:
                body = "".join(rng.choice("0123456789") for _ in range(8))
            first17 = prefix + division + body + org_code_check_char(body)
            code = first17 + uscc_check_char(first17)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def coined(self, prefixes: Sequence[str], endings: Sequence[str], middle: Sequence[str] = ("",)) -> str:
        """An unused name: prefix + 字号 + middle + ending (东海县 + 宏达 + 建设工程有限公司)."""
        rng = self.rng
        for _ in range(60):
            name = rng.choice(prefixes) + nm.trade_name(rng) + rng.choice(middle) + rng.choice(endings)
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("演示数据：企业名称用尽")  # pragma: no cover - the pools are far larger

    def fixed(self, name: str) -> str:
        self.names.add(name)
        return name

    def safety_permit(self, abbr: str) -> str:
        rng, today = self.rng, self.ctx.today
        while True:
            no = f"（{abbr}）JZ安许证字〔{rng.randint(2005, today.year - 1)}〕{rng.randint(1, 99999):06d}"
            if no not in self.permits:
                self.permits.add(no)
                return no

    def phone(self) -> str:
        rng = self.rng
        if rng.random() < 0.35:
            return f"0518-8{rng.randint(0, 9999999):07d}"
        return "1" + rng.choice(("33", "35", "38", "39", "51", "52", "58", "77", "80", "81", "87", "89")) + \
            f"{rng.randint(0, 99999999):08d}"

    # ------------------------------------------------------------------ one enterprise

    def add(self, category: str, kind: EnterpriseKind, name: str, origin: Origin, *, prefix: str = "91",
            tag: str = "", quals: Sequence[tuple[str, str]] = ()) -> None:
        rng, ctx = self.rng, self.ctx
        uscc = self.uscc(prefix, origin.code)
        contractor = category in ("gc", "specialist")
        permit = self.safety_permit(origin.abbr) if contractor else ""
        permit_until = rand_date(rng, ctx.today - timedelta(days=90), ctx.today + timedelta(days=3 * 365)) \
            if contractor else None
        permit_status = "" if not contractor else (
            PermitStatus.SUSPENDED.value if rng.random() < 0.02 else PermitStatus.VALID.value)
        contact = nm.person_name(rng, male=rng.random() < 0.6)
        at = stamp(rng, rand_date(rng, ctx.span_start, ctx.span_start + timedelta(days=45)))
        road = rng.choice(ctx.area.roads or ("人民路",)) if origin.code == ctx.area.code else rng.choice(
            ("人民路", "建设路", "解放路", "振兴路", "长江路", "黄河路", "新华路", "工业大道"))
        address = f"{origin.place}{road}{rng.randint(1, 399)}号"
        self.recs.append(EnterpriseRec(0, name, uscc, kind.value, category, origin.abbr, tag, origin.id_codes))
        self.rows.append({
            "name": name, "uscc": uscc, "kind": kind.value,
            "legal_representative": nm.person_name(rng, male=rng.random() < 0.85),
            "address": address, "contact_person": contact, "contact_phone": self.phone(),
            "safety_permit_no": permit, "safety_permit_valid_until": permit_until,
            "safety_permit_status": permit_status, "note": "",
            "search_key": build_search_key(name, extra=(uscc, permit, contact)),  # as enterprises._apply
            "created_at": at, "updated_at": at, "version": 1,
        })
        letter = _QUAL_LETTER.get(category, "D")
        for qname, grade in quals:
            self.quals.append({
                "_owner": len(self.rows) - 1, "name": qname, "grade": grade,
                "certificate_no": f"{letter}{rng.choice('123')}{origin.code[:2]}{rng.randint(0, 999999):06d}",
                "valid_until": rand_date(rng, ctx.today - timedelta(days=60), ctx.today + timedelta(days=1800)),
            })

    # ------------------------------------------------------------------ categories

    def open_category(self, category: str, count: int) -> None:
        kind, _share, _min, outside = _OPEN[category]
        rng = self.rng
        for _ in range(count):
            origin = self.origin(outside)
            grade = rng.choices(("特级", "一级", "二级", "三级"), weights=(2, 20, 45, 33))[0]
            level = rng.choice(("甲级", "甲级", "乙级"))
            tag = ""
            quals: list[tuple[str, str]] = []
            if category == "gc":
                tag = pick_weighted(rng, _GC_TAGS)
                name = self.coined(origin.prefixes, nm.MUNICIPAL_GC_ENDINGS if tag == "municipal" else nm.GC_ENDINGS)
                quals += [(q, grade) for q, t in (("建筑工程施工总承包", "building"), ("市政公用工程施工总承包", "municipal"))
                          if tag in (t, "both")]
            elif category == "specialist":
                tag, qual, ending, _scope = rng.choice(nm.SPECIALTIES)
                name = self.coined(origin.prefixes, (ending,))
                quals.append((qual, rng.choice(("一级", "二级", "不分等级"))))
            else:
                name = self.coined(origin.prefixes, _ENDINGS[category])
                if category == "supervision":
                    quals.append(("房屋建筑工程监理", level))
                    if rng.random() < 0.4:
                        quals.append(("市政公用工程监理", level))
                elif category == "survey":
                    quals.append(("工程勘察专业类岩土工程（勘察）", level))
                elif category == "design":
                    quals.append(("建筑行业（建筑工程）", level))
                    if rng.random() < 0.3:
                        quals.append(("市政行业（道路工程）", "乙级"))
            self.add(category, kind, name, origin, tag=tag, quals=quals)

    def fixed_categories(self, counts: dict[str, int]) -> None:
        rng, area = self.rng, self.ctx.area
        here = self.local[0]
        pref = area.agency_prefix
        owner = EnterpriseKind.OWNER
        for suffix in nm.SOE_SUFFIXES[:counts["soe"]]:
            self.add("soe", owner, self.fixed(pref + suffix), here)
        for tag, suffix in nm.AGENCIES[:counts["gov"]]:
            self.add("gov", owner, self.fixed(pref + suffix), here, prefix="11", tag=tag)
        for i in sorted(rng.sample(range(len(area.towns)), min(counts["town_gov"], len(area.towns)))):
            town = area.towns[i]
            body = "人民政府" if town.endswith(("镇", "乡")) else "办事处"
            self.add("town_gov", owner, self.fixed(pref + town + body), here, prefix="11", tag=town)
        schools = [pref + s for s in nm.SCHOOLS] + [f"{pref}{t}{'中心小学' if i % 2 == 0 else '初级中学'}"
                                                    for i, t in enumerate(area.towns)]
        for school in schools[:counts["school"]]:
            self.add("school", owner, self.fixed(school), here, prefix="12")
        hospitals = [pref + h for h in nm.HOSPITALS] + [f"{pref}{t}卫生院" for t in area.towns
                                                         if not t.endswith("街道")]
        for hospital in hospitals[:counts["hospital"]]:
            self.add("hospital", owner, self.fixed(hospital), here, prefix="12")
        for i in range(counts["utility"]):
            tag, word = ("gas", "燃气") if i % 3 != 1 else ("heat", "热力")
            self.add("utility", owner, self.coined((pref,), (f"{word}有限公司",)), here, tag=tag)

    def industrial(self, count: int) -> None:
        for _ in range(count):
            origin = self.origin(0.1)
            name = self.coined((*origin.prefixes, "连云港"), ("有限公司",), nm.INDUSTRY_WORDS)
            self.add("industrial", EnterpriseKind.OWNER, name, origin)


def category_counts(total: int, towns: int) -> dict[str, int]:
    counts = {c: max(minimum, round(total * share)) for c, (_k, share, minimum, _o) in _OPEN.items()}
    caps = {"soe": len(nm.SOE_SUFFIXES), "gov": len(nm.AGENCIES), "town_gov": towns,
            "school": len(nm.SCHOOLS) + towns, "hospital": len(nm.HOSPITALS) + towns, "utility": 3}
    for c, (share, minimum) in _FIXED.items():
        counts[c] = min(caps[c], max(minimum, round(total * share)))
    counts["industrial"] = max(1, total - sum(counts.values()))
    return counts


def make_enterprises(ctx: GenContext) -> None:
    counts = category_counts(ctx.scale.enterprises, len(ctx.area.towns))
    ctx.progress(f"生成企业 {sum(counts.values())} 家…")
    maker = _Maker(ctx)
    for category in _OPEN:
        maker.open_category(category, counts[category])
    maker.fixed_categories(counts)
    maker.industrial(counts["industrial"])
    _write(ctx, maker)


def _write(ctx: GenContext, maker: _Maker) -> None:
    """Ids in a shuffled order (a real registry interleaves kinds); ranks stay in creation order."""
    table = table_of(Enterprise)
    first = ctx.next_id(table)
    order = list(range(len(maker.rows)))
    ctx.rng.shuffle(order)
    ids = [0] * len(order)
    for position, index in enumerate(order):
        ids[index] = first + position
    for index, rec in enumerate(maker.recs):
        rec.id = ids[index]
        ctx.by_category.setdefault(rec.category, []).append(rec)
    ctx.enterprises = sorted(maker.recs, key=lambda r: r.id)
    rows = sorted(({"id": ids[i], **row} for i, row in enumerate(maker.rows)), key=lambda r: r["id"])
    ctx.insert(table, rows)
    qtable = table_of(EnterpriseQualification)
    qid = ctx.next_id(qtable)
    qrows = []
    for q in sorted(maker.quals, key=lambda q: (ids[q["_owner"]], q["name"])):
        qrows.append({"id": qid, "enterprise_id": ids[q["_owner"]],
                      **{k: v for k, v in q.items() if k != "_owner"}})
        qid += 1
    ctx.insert(qtable, qrows)
    ctx.counts["企业"] = len(rows)
    ctx.counts["企业资质"] = len(qrows)
