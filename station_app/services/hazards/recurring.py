"""多发隐患: the categories and criteria found most often in a period, overall, by grid or by contractor
(研判多发隐患和共性问题, for planning 专项排查).

Counted: hazards found in the period (``found_on`` from–to inclusive), not 已撤销. A category's share is
its count ÷ all counted hazards of the group; a criterion's share is its count ÷ the group's major
hazards (criteria only judge major ones). Two GROUP BY queries; top N per group in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.errors import ValidationError
from station_app.models import Enterprise, Grid, Hazard
from station_app.models.hazard import HazardLevel
from station_app.rules import hazards as hazard_rules
from station_app.rules.errors import RuleInputError
from station_app.services.hazards.figures import COUNTED_VALUES, Figure
from station_app.services.hazards.stats import rate

#: grouping → (label, hazard column, ledger filter key); "overall" has no column
RECURRING_GROUPINGS: dict[str, tuple[str, Any, str]] = {
    "overall": ("全县", None, ""),
    "grid": ("网格", Hazard.grid_id, "grid"),
    "contractor": ("施工总包", Hazard.contractor_id, "contractor"),
}
UNKNOWN = "（未记录）"


@dataclass(frozen=True)
class RecurringEntry:
    code: str  # the category, or the criterion code
    label: str  # the category, or "2022版 第八条第(一)项"
    text: str  # the criterion's wording ("" for a category)
    figure: Figure
    share: Decimal | None  # percent, one decimal


@dataclass(frozen=True)
class RecurringGroup:
    key: int | None
    label: str
    total: Figure
    majors: int
    categories: tuple[RecurringEntry, ...]
    criteria: tuple[RecurringEntry, ...]


def _criterion_label(code: str) -> tuple[str, str]:
    try:
        c = hazard_rules.criterion(code)
    except RuleInputError:
        return code, ""
    return c.label, c.text


def recurring_hazards(session: Session, date_from: date, date_to: date, by: str = "overall",
                      top_n: int = 10) -> list[RecurringGroup]:
    """Groups by hazard count (largest first), each with its top-N categories and criteria."""
    if by not in RECURRING_GROUPINGS:
        raise ValidationError({"分组": f"无效的分组方式“{by}”"})
    if date_from > date_to:
        raise ValidationError({"统计期间": "开始日期不能晚于结束日期"})
    top_n = max(1, top_n)
    column = RECURRING_GROUPINGS[by][1]
    key_col = column if column is not None else Hazard.id.is_(None)  # a constant: one overall group
    where = (Hazard.found_on >= date_from, Hazard.found_on <= date_to, Hazard.state.in_(COUNTED_VALUES))
    cats: dict[Any, list[tuple[str, int]]] = defaultdict(list)
    majors: dict[Any, int] = defaultdict(int)
    for key, category, level, n in session.execute(
            select(key_col, Hazard.category, Hazard.level, func.count()).where(*where)
            .group_by(key_col, Hazard.category, Hazard.level)):
        cats[key].append((category, n))
        if level == HazardLevel.MAJOR.value:
            majors[key] += n
    crits: dict[Any, list[tuple[str, int]]] = defaultdict(list)
    for key, code, n in session.execute(
            select(key_col, Hazard.criterion_code, func.count())
            .where(*where, Hazard.level == HazardLevel.MAJOR.value, Hazard.criterion_code.is_not(None))
            .group_by(key_col, Hazard.criterion_code)):
        crits[key].append((code, n))
    names = _names(session, by, [k for k in cats if k is not None]) if column is not None else {}
    period = {"found_from": date_from, "found_to": date_to, "state": COUNTED_VALUES}
    groups = []
    for key, pairs in cats.items():
        merged: dict[str, int] = defaultdict(int)
        for category, n in pairs:
            merged[category] += n
        total = sum(merged.values())
        base = dict(period)
        if column is not None:
            base[RECURRING_GROUPINGS[by][2]] = -1 if key is None else key  # -1: none recorded
        top_cats = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:top_n]
        cat_entries = tuple(RecurringEntry(c, c, "", Figure(n, {**base, "category": c}), rate(n, total))
                            for c, n in top_cats)
        top_crits = sorted(crits.get(key, []), key=lambda kv: (-kv[1], kv[0]))[:top_n]
        crit_entries = []
        for code, n in top_crits:
            label, text = _criterion_label(code)
            crit_entries.append(RecurringEntry(code, label, text,
                                               Figure(n, {**base, "level": HazardLevel.MAJOR.value, "criterion": code}),
                                               rate(n, majors[key])))
        label = RECURRING_GROUPINGS[by][0] if column is None else (names.get(key, UNKNOWN) if key else UNKNOWN)
        groups.append(RecurringGroup(key if column is not None else None, label, Figure(total, base), majors[key],
                                     cat_entries, tuple(crit_entries)))
    groups.sort(key=lambda g: (-g.total.value, g.label))
    return groups


def _names(session: Session, by: str, keys: list[int]) -> dict[int, str]:
    if not keys:
        return {}
    model = Grid if by == "grid" else Enterprise
    return dict(session.execute(select(model.id, model.name).where(model.id.in_(keys))).all())

