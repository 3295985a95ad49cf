"""督办: overdue hazards grouped by project, contractor, supervisor or grid, and the 督办 record itself.

Overdue = open (待整改 / 整改中 / 待复查 / 待确认销号) with a deadline before ``as_of``; days overdue =
``as_of - deadline``. Groups use the snapshots stored on each hazard (grid, supervisor and 施工总包 when
it was found). One GROUP BY (group, level, deadline) query; days are counted in Python so the SQL stays
portable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.errors import NotFound, ValidationError
from station_app.models import Enterprise, Grid, Hazard, HazardEvent, Project, User
from station_app.models.hazard import HazardAction, HazardLevel
from station_app.services.audit import record
from station_app.services.context import Actor, require
from station_app.services.hazards.figures import OPEN_VALUES, Figure, days_stats

#: grouping → (label shown, hazard column, the ledger filter key)
GROUPINGS: dict[str, tuple[str, Any, str]] = {
    "project": ("工程项目", Hazard.project_id, "project"),
    "contractor": ("施工总包", Hazard.contractor_id, "contractor"),
    "supervisor": ("监督员", Hazard.supervisor_id, "supervisor"),
    "grid": ("网格", Hazard.grid_id, "grid"),
}
_NAMES: dict[str, tuple[Any, Any]] = {
    "project": (Project.id, Project.name),
    "contractor": (Enterprise.id, Enterprise.name),
    "supervisor": (User.id, User.full_name),
    "grid": (Grid.id, Grid.name),
}
UNKNOWN = "（未记录）"
COMMENT_MAX = 500


@dataclass(frozen=True)
class OverdueGroup:
    key: int | None
    label: str
    overdue: Figure
    major: int
    max_days: int
    avg_days: float


def overdue_filters(by: str, key: int | None, as_of: date) -> dict[str, Any]:
    """Ledger filters of one group's overdue hazards (-1 = none recorded)."""
    return {"overdue": True, "as_of": as_of, GROUPINGS[by][2]: -1 if key is None else key}


def overdue_groups(session: Session, by: str, as_of: date | None = None) -> list[OverdueGroup]:
    """Overdue hazards grouped ``by`` project / contractor / supervisor / grid, most overdue first."""
    if by not in GROUPINGS:
        raise ValidationError({"分组": f"无效的分组方式“{by}”"})
    as_of = as_of or clock.today()
    column = GROUPINGS[by][1]
    rows = session.execute(
        select(column, Hazard.level, Hazard.deadline, func.count())
        .where(Hazard.state.in_(OPEN_VALUES), Hazard.deadline < as_of)
        .group_by(column, Hazard.level, Hazard.deadline)).all()
    pairs: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    majors: dict[int | None, int] = defaultdict(int)
    for key, level, deadline, n in rows:
        pairs[key].append(((as_of - deadline).days, n))
        if level == HazardLevel.MAJOR.value:
            majors[key] += n
    id_col, name_col = _NAMES[by]
    keys = [k for k in pairs if k is not None]
    names: dict[int, str] = dict(session.execute(select(id_col, name_col).where(id_col.in_(keys))).all()) if keys else {}
    groups = []
    for key, days in pairs.items():
        n, most, mean = days_stats(days)
        groups.append(OverdueGroup(
            key, names.get(key, UNKNOWN) if key is not None else UNKNOWN,
            Figure(n, overdue_filters(by, key, as_of)),
            majors[key], most, round(mean, 1)))
    groups.sort(key=lambda g: (-g.max_days, -g.overdue.value, g.label))
    return groups


def overdue_total(session: Session, as_of: date | None = None) -> Figure:
    as_of = as_of or clock.today()
    n = session.scalar(select(func.count()).select_from(Hazard).where(
        Hazard.state.in_(OPEN_VALUES), Hazard.deadline < as_of)) or 0
    return Figure(n, {"overdue": True, "as_of": as_of})


def urge_hazards(session: Session, actor: Actor, hazard_ids: list[int] | tuple[int, ...], comment: str,
                 on: date | None = None) -> int:
    """Record a 督办 (an URGED event with the comment) on each open hazard; returns how many.

    A closed or cancelled hazard among them refuses the whole batch, naming it; nothing is saved.
    """
    require(actor, "hazard.urge")
    comment = (comment or "").strip()
    errors: dict[str, str] = {}
    if not comment:
        errors["督办意见"] = "请填写督办意见"
    elif len(comment) > COMMENT_MAX:
        errors["督办意见"] = f"不能超过{COMMENT_MAX}字"
    ids = list(dict.fromkeys(hazard_ids))
    if not ids:
        errors["隐患"] = "请选择要督办的隐患"
    on = on or clock.today()
    if errors:
        raise ValidationError(errors)
    hazards = {h.id: h for h in session.scalars(select(Hazard).where(Hazard.id.in_(ids)))}
    for hid in ids:
        h = hazards.get(hid)
        if h is None:
            raise NotFound(f"隐患（ID {hid}）不存在。")
        if h.state not in OPEN_VALUES:
            raise ValidationError({"隐患": f"{h.code} 已{h.state.removeprefix('已')}，无需督办"})
    for hid in ids:
        h = hazards[hid]
        session.add(HazardEvent(hazard_id=h.id, action=HazardAction.URGED.value, from_state=h.state,
                                to_state=h.state, on_date=on, actor_id=actor.user_id,
                                actor_name=actor.full_name, comment=comment))
        record(session, actor, "update", "hazard", h.id, summary=f"督办隐患 {h.code}：{comment}")
    return len(ids)
