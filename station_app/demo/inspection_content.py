"""What one demo inspection found: site parts, presence, findings, check items — as the inspection
service would store them (labels, categories, deadlines, criterion editions, absence findings)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from station_app.demo import inspection_catalog as cat
from station_app.demo.context import ProjectRec, pick_weighted
from station_app.models.inspection import (
    CheckResult,
    CheckSource,
    FindingLevel,
    FindingOrigin,
    InspectionKind,
)
from station_app.rules import hazards
from station_app.rules.errors import RuleInputError
from station_app.services.deadlines import Deadline, stored_flag
from station_app.services.inspections.campaigns import campaign_code, jgj59_item_keys
from station_app.services.inspections.forms import LEVELS, PresenceData, suggested_deadline
from station_app.services.inspections.records import PRESENCE_CATEGORY

_GENERAL = ("安全管理", "文明施工", "施工用电")
_SIDES = ("东侧", "西侧", "南侧", "北侧")


@dataclass
class SiteInfo:
    """A project as its inspections see it: the period to inspect, how often, what is on site."""

    rec: ProjectRec
    lo: date
    hi: date
    work_end: date
    weight: float
    scaffold: str
    buildings: int
    floors: int
    #: (party role, post, person id, name) in the order of inspection_forms.expected_presence
    presence: list[tuple[str, str, int | None, str]] = field(default_factory=list)

    @property
    def municipal(self) -> bool:
        return self.rec.project_type != "房屋建筑工程"


@dataclass(frozen=True)
class Finding:
    category: str
    level: str
    criterion_code: str | None
    criterion_edition: str | None
    description: str
    location: str
    requirement: str
    deadline: date
    check_item_code: str
    origin: str
    origin_key: str


@dataclass(frozen=True)
class CheckItem:
    source: str
    code: str
    label: str
    result: str


class RuleCache:
    """Rule look-ups memoised for one run (reference data can differ between runs, never within one)."""

    def __init__(self) -> None:
        self._deadlines: dict[tuple[str, date], Deadline] = {}
        self._editions: dict[date, str | None] = {}
        self._majors: dict[str, tuple[tuple[hazards.Criterion, ...], tuple[float, ...]]] = {}
        keys = jgj59_item_keys()
        #: JGJ 59 table → its item keys; item key → the label the service derives ("B.3 立杆基础")
        self.tables: dict[str, list[str]] = {}
        for key, (table, _name, _pts) in keys.items():
            self.tables.setdefault(table, []).append(key)
        self.labels = {key: f"{table} {name}" for key, (table, name, _pts) in keys.items()}

    def default_deadline(self, level: str, on: date) -> Deadline:
        found = self._deadlines.get((level, on))
        if found is None:
            found = self._deadlines[(level, on)] = suggested_deadline(level, on)
        return found

    def deadline(self, level: str, on: date) -> date:
        return self.default_deadline(level, on).day

    def provisional(self, level: str, on: date, day: date) -> bool:
        """The 暂定 flag the services store beside ``day`` (on only for the provisional default)."""
        return level in LEVELS and stored_flag(day, self.default_deadline(level, on))

    def edition_on(self, on: date) -> str | None:
        if on not in self._editions:
            try:
                self._editions[on] = hazards.edition_in_force(on)
            except RuleInputError:
                self._editions[on] = None
        return self._editions[on]

    def majors(self, edition: str) -> tuple[tuple[hazards.Criterion, ...], tuple[float, ...]]:
        if edition not in self._majors:
            found = tuple(hazards.criteria(edition))
            self._majors[edition] = (found, tuple(cat.MAJOR_CATEGORY_WEIGHTS.get(c.category, 0.3) for c in found))
        return self._majors[edition]


@cache
def _by_category() -> dict[str, list[tuple[str, str, str, str]]]:
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    for f in cat.FINDINGS:
        out.setdefault(f[0], []).append(f)
    return out


class ContentMaker:
    """Draws the contents of inspections from the run's one random stream."""

    def __init__(self, rng: random.Random, rules: RuleCache) -> None:
        self.rng, self.rules = rng, rules

    def site_parts(self, site: SiteInfo, on: date) -> tuple[str, ...]:
        rng = self.rng
        if site.municipal:
            choices = cat.MUNICIPAL_PARTS
        else:
            span = max(30, (site.work_end - site.rec.work_start).days)
            stage = (on - site.rec.work_start).days / span
            choices = next(parts for upto, parts in cat.BUILDING_PARTS if stage < upto)
        n = rng.choices((1, 2, 3), weights=(3, 5, 2))[0]
        out: list[str] = []
        for _ in range(n):
            part = pick_weighted(rng, choices)
            if part not in out:
                out.append(part)
        return tuple(out)

    def presence(self, site: SiteInfo) -> list[PresenceData]:
        rng = self.rng
        out = []
        for role, post, person_id, name in site.presence:
            present = rng.random() >= cat.ABSENCE_RATES.get(post, 0.02)
            note = "" if present else pick_weighted(rng, cat.ABSENCE_NOTES)
            out.append(PresenceData(role, post, present, person_id, name, note))
        return out

    def _location(self, site: SiteInfo, where: str, category: str) -> str:
        rng = self.rng
        if where == "s":
            return "项目部"
        if where == "b" and not site.municipal:
            return f"{rng.randint(1, site.buildings)}#楼{rng.randint(1, site.floors)}层"
        if site.municipal:
            return f"K{rng.randint(0, 6)}+{rng.randint(0, 99) * 10:03d}处"
        if category.startswith("基坑"):  # the ordinary category, 2022 基坑工程 and 2024 基坑、边坡工程
            return f"基坑{rng.choice(_SIDES)}"
        if category in ("塔式起重机与起重吊装", "起重机械及吊装工程", "建筑起重机械及吊装工程"):
            return f"{rng.randint(1, max(1, site.buildings // 2))}#塔吊"
        return rng.choice(("场区东侧", "场区西侧", "钢筋加工场", "木工加工场", "生活区", "大门口", "材料堆场"))

    def findings(self, site: SiteInfo, on: date, kind: str, parts: tuple[str, ...],
                 campaign: str | None) -> list[Finding]:
        """Problems found by looking (the absence findings are added by :func:`absence_findings`)."""
        rng = self.rng
        if kind == InspectionKind.RECHECK.value:
            n = rng.choices((0, 1, 2), weights=(6, 3, 1))[0]
        else:
            n = pick_weighted(rng, cat.FINDINGS_COUNT)
        edition = self.rules.edition_on(on)
        part_categories = [c for p in parts for c in cat.PART_CATEGORIES.get(p, ())]
        campaign_categories = cat.CAMPAIGNS.get(campaign or "", ((), ()))[1]
        out: list[Finding] = []
        seen: set[str] = set()
        for _ in range(n):
            if edition is not None and rng.random() < 0.015:
                crits, weights = self.rules.majors(edition)
                crit = rng.choices(crits, weights=weights)[0]
                if crit.text in seen:
                    continue
                seen.add(crit.text)
                out.append(Finding(crit.category, FindingLevel.MAJOR.value, crit.code, crit.edition, crit.text,
                                   self._location(site, "g", crit.category), cat.MAJOR_REQUIREMENT,
                                   self.rules.deadline(FindingLevel.MAJOR.value, on), "", FindingOrigin.CHECK.value, ""))
                continue
            roll = rng.random()
            if campaign_categories and roll < 0.7:
                category = rng.choice(campaign_categories)
            elif part_categories and roll < 0.65:
                category = rng.choice(part_categories)
            else:
                category = rng.choice(_GENERAL)
            pool = _by_category().get(category) or _by_category()["安全管理"]
            _cat, code, text, where = rng.choice(pool)
            if text in seen:
                continue
            seen.add(text)
            out.append(Finding(_cat, FindingLevel.ORDINARY.value, None, None, text,
                               self._location(site, where, _cat), rng.choice(cat.REQUIREMENTS),
                               self.rules.deadline(FindingLevel.ORDINARY.value, on), code, FindingOrigin.CHECK.value, ""))
        return out

    def check_items(self, site: SiteInfo, parts: tuple[str, ...], findings: list[Finding],
                    campaign: tuple[int, str, tuple[str, ...]] | None) -> list[CheckItem]:
        """A handful of JGJ 59 items (those behind the findings fail), or the campaign's checklist."""
        rng = self.rng
        if campaign is not None:
            cid, _name, checklist = campaign
            return [CheckItem(CheckSource.CAMPAIGN.value, campaign_code(cid, i), item,
                              CheckResult.NONCONFORMING.value if rng.random() < 0.12 else CheckResult.CONFORMS.value)
                    for i, item in enumerate(checklist, 1)]
        if rng.random() < 0.12:
            return []
        tables, labels = self.rules.tables, self.rules.labels
        failed = list(dict.fromkeys(f.check_item_code for f in findings if f.check_item_code in labels))
        codes = list(failed)
        wanted = rng.randint(max(3, len(codes)), max(7, len(codes)))
        candidates = ["B.1", *(site.scaffold if t == "SCAFFOLD" else t
                               for p in parts for t in cat.PART_TABLES.get(p, ()))]
        for _ in range(wanted * 3):
            if len(codes) >= wanted:
                break
            code = rng.choice(tables[rng.choice(candidates)])
            if code not in codes:
                codes.append(code)
        out = []
        for code in codes:
            if code in failed:
                result = CheckResult.NONCONFORMING.value
            else:
                result = CheckResult.NOT_APPLICABLE.value if rng.random() < 0.05 else CheckResult.CONFORMS.value
            out.append(CheckItem(CheckSource.JGJ59.value, code, labels[code], result))
        return out


def absence_findings(presence: list[PresenceData], on: date, rules: RuleCache) -> list[Finding]:
    """The findings inspections._presence_findings adds for each absent person, in the same words."""
    absent = {p.key: p for p in presence if not p.present}
    out: list[Finding] = []
    for key, p in absent.items():
        who = f"（{p.person_name}）" if p.person_name else ""
        note = f"，{p.note}" if p.note else ""
        out.append(Finding(PRESENCE_CATEGORY, FindingLevel.ORDINARY.value, None, None,
                           f"{p.party_role}{p.post}{who}检查时不在岗{note}（关键岗位人员到岗履职）",
                           "", f"落实关键岗位人员到岗履职制度，{p.post}应在岗履职，并书面说明缺岗原因。",
                           rules.deadline(FindingLevel.ORDINARY.value, on), "", FindingOrigin.PRESENCE.value, key))
    return out


__all__ = ["CheckItem", "ContentMaker", "Finding", "RuleCache", "SiteInfo", "absence_findings"]
