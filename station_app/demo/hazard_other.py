"""Demo hazards that did not come from the station's own inspections: 企业自查 (entered by the clerks from
the contractors' reports), 智慧工地 (the site-monitoring platform, from mid-2023), 上级督查 (city and
province checks) and 举报 (the 12345 hot line, letters) — on projects while they were under way, more on
larger ones, with the catalogue's findings and, now and then, a major hazard under the edition in force.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from station_app.demo import hazard_flow
from station_app.demo import inspection_catalog as cat
from station_app.demo.context import GenContext, ProjectRec, pick_weighted, stamp
from station_app.demo.history import SupervisionHistory
from station_app.demo.inspection_content import RuleCache
from station_app.models.enums import PartyRole, ProjectStatus
from station_app.models.hazard import HazardLevel, HazardSource

#: categories a 专业分包 (crane, hoist, excavation, formwork teams) is often responsible for, with the
#: 2024 major-hazard headings of the same works
SUB_CATEGORIES = ("塔式起重机与起重吊装", "物料提升机与施工升降机", "基坑工程", "模板支架", "基坑、边坡工程",
                  "建筑起重机械及吊装工程")
SMART_SITE_FROM = date(2023, 7, 1)
_MIX = ((HazardSource.SELF_CHECK.value, 58), (HazardSource.SMART_SITE.value, 25),
        (HazardSource.OVERSIGHT.value, 11), (HazardSource.REPORT.value, 6))
#: chance of a major hazard by source
_MAJOR = {HazardSource.SELF_CHECK.value: 0.012, HazardSource.SMART_SITE.value: 0.0,
          HazardSource.OVERSIGHT.value: 0.03, HazardSource.REPORT.value: 0.03}
_SMART_CATEGORIES = ("高处作业", "塔式起重机与起重吊装", "文明施工", "消防", "施工用电", "防高坠")
_OVERSIGHT = (("市住建局督查组", 5), ("市建设工程安全监督站督查组", 4), ("省住建厅督查组", 1))
_REPORTS = (("12345政务服务便民热线转办", 6), ("群众来电举报", 3), ("群众来信举报", 1))
_PLACES = ("场区东侧", "场区西侧", "钢筋加工场", "木工加工场", "生活区", "大门口", "材料堆场")


@dataclass(slots=True)
class Seed:
    """A hazard before its life is drawn."""

    at: datetime
    order: int
    project: ProjectRec
    source: str
    found_on: date
    category: str
    level: str
    criterion_code: str | None
    criterion_edition: str | None
    description: str
    location: str
    requirement: str
    deadline: date
    responsible_role: str
    found_by_id: int | None = None
    found_by_names: str = ""
    created_by: int | None = None
    inspection_id: int | None = None
    finding_id: int | None = None


def responsible_role(rng_value: float, category: str, p: ProjectRec) -> str:
    if category in SUB_CATEGORIES and PartyRole.SUBCONTRACTOR.value in p.parties and rng_value < 0.4:
        return PartyRole.SUBCONTRACTOR.value
    return PartyRole.GENERAL_CONTRACTOR.value


class OtherSources:
    def __init__(self, ctx: GenContext, hist: SupervisionHistory,
                 posts: dict[tuple[int, str, str], tuple[int, str]], clerks: list[hazard_flow.Person],
                 supervisors: list[hazard_flow.Person]) -> None:
        self.ctx, self.hist, self.posts = ctx, hist, posts
        self.clerks = [c.id for c in clerks]
        self.rules = RuleCache()
        self.by_category: dict[str, list[tuple[str, str, str, str]]] = {}
        for f in cat.FINDINGS:
            self.by_category.setdefault(f[0], []).append(f)
        self.windows: list[tuple[ProjectRec, date, int]] = []
        weights: list[float] = []
        last = ctx.today - timedelta(days=1)
        for p in ctx.projects:
            if p.actual_start is None:
                continue
            end = {ProjectStatus.COMPLETED.value: p.actual_finish, ProjectStatus.TERMINATED.value: p.stopped,
                   ProjectStatus.SUSPENDED.value: p.stopped}.get(p.status) or last
            lo, hi = max(p.actual_start, ctx.span_start), min(end, last)
            if hi < lo:
                continue
            self.windows.append((p, lo, (hi - lo).days))
            weights.append(((hi - lo).days + 1) * min(2.0, max(0.6, 1 + 0.45 * math.log10(max(p.cost_fen, 1) / 1e9))))
        self.weights = weights

    def seeds(self, n: int, start_order: int) -> list[Seed]:
        if n <= 0 or not self.windows:
            return []
        rng = self.ctx.rng
        picks = rng.choices(range(len(self.windows)), weights=self.weights, k=n)
        return [self._seed(self.windows[w], start_order + k) for k, w in enumerate(picks)]

    def _seed(self, window: tuple[ProjectRec, date, int], order: int) -> Seed:
        rng, rules = self.ctx.rng, self.rules
        p, lo, days = window
        day = lo + timedelta(days=rng.randint(0, days))
        source = pick_weighted(rng, _MIX)
        if source == HazardSource.SMART_SITE.value and day < SMART_SITE_FROM:
            source = HazardSource.SELF_CHECK.value
        edition = rules.edition_on(day)
        if edition is not None and rng.random() < _MAJOR[source]:
            crits, weights = rules.majors(edition)
            crit = rng.choices(crits, weights=weights)[0]
            category, level, code, text = crit.category, HazardLevel.MAJOR.value, crit.code, crit.text
            where, requirement = "g", cat.MAJOR_REQUIREMENT
        else:
            pool = self.by_category[rng.choice(_SMART_CATEGORIES)] if source == HazardSource.SMART_SITE.value \
                else cat.FINDINGS
            category, _check, text, where = rng.choice(pool)
            level, code, edition, requirement = HazardLevel.ORDINARY.value, None, None, rng.choice(cat.REQUIREMENTS)
        if source == HazardSource.REPORT.value:
            text = f"群众反映：{text}"
        clerk = rng.choice(self.clerks) if self.clerks else None
        created_by = clerk
        if source == HazardSource.SELF_CHECK.value:
            names = self.posts.get((p.id, PartyRole.GENERAL_CONTRACTOR.value, "专职安全员"), (0, "施工单位自查"))[1]
        elif source == HazardSource.SMART_SITE.value:
            names = "智慧工地监管平台（AI识别）"
        elif source == HazardSource.OVERSIGHT.value:
            names = pick_weighted(rng, _OVERSIGHT)
            team = self.hist.team_on(p.id, day)
            created_by = team.principal if team and team.principal else clerk
        else:
            names = pick_weighted(rng, _REPORTS)
        role = responsible_role(rng.random(), category, p)
        return Seed(stamp(rng, day), order, p, source, day, category, level, code, edition, text,
                    self._location(p, where, category), requirement, rules.deadline(level, day), role,
                    None, names, created_by)

    def _location(self, p: ProjectRec, where: str, category: str) -> str:
        rng = self.ctx.rng
        if where == "s":
            return "项目部"
        if p.project_type != "房屋建筑工程":
            return f"K{rng.randint(0, 6)}+{rng.randint(0, 99) * 10:03d}处"
        if where == "b":
            return f"{rng.randint(1, 8)}#楼{rng.randint(1, 18)}层"
        if category in ("塔式起重机与起重吊装", "起重机械及吊装工程", "建筑起重机械及吊装工程"):
            return f"{rng.randint(1, 3)}#塔吊"
        return rng.choice(_PLACES)


__all__ = ["SMART_SITE_FROM", "SUB_CATEGORIES", "OtherSources", "Seed", "responsible_role"]
