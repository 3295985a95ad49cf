"""Builders for the 督办 / 挂牌督办 / 精准拆弹 / 动态清零 / national-export tests.

Hazards are inserted as rows (the queries over them are under test, not registration), with the
snapshots (grid, supervisor, contractor) set as registration would. ``count_ledger`` counts what a
figure's drill-down filters select — through the ledger's ListSpec once it exists, else through
``ledger_sql`` (the same filter contract in plain SQL) so the figures are checked either way.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.models import Hazard
from station_app.models.hazard import OPEN_STATES, HazardState
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import add_enterprise, add_grid, add_project

_seq = itertools.count(1)


@dataclass
class World:
    station: Station
    grid_a: int
    grid_b: int
    gc1: int  # 施工总包 1
    gc2: int
    p1: int  # gc1, grid a
    p2: int  # gc1, grid b
    p3: int  # gc2, grid a


def make_world(station: Station) -> World:
    ga, gb = add_grid(station, "城东网格"), add_grid(station, "城西网格")
    gc1 = add_enterprise(station, "江苏宏达建设有限公司", 1)
    gc2 = add_enterprise(station, "东海县安居建筑有限公司", 2)
    p1 = add_project(station, "城东花园一期", grid_id=ga, contractor_id=gc1)
    p2 = add_project(station, "西湖学校扩建", grid_id=gb, contractor_id=gc1)
    p3 = add_project(station, "安居小区三期", grid_id=ga, contractor_id=gc2)
    return World(station, ga, gb, gc1, gc2, p1, p2, p3)


def add_hazard(station: Station, project_id: int, *, found_on: date, level: str = "一般",
               state: HazardState | str = HazardState.PENDING, deadline: date | None = None,
               closed_on: date | None = None, category: str = "安全管理", criterion: str | None = None,
               grid_id: int | None = None, supervisor_id: int | None = None, contractor_id: int | None = None,
               listing_level: str = "", **extra: Any) -> int:
    n = next(_seq)
    state = HazardState(state)
    if state == HazardState.CLOSED and closed_on is None:
        closed_on = found_on + timedelta(days=5)
    deadline = deadline or found_on + timedelta(days=7)
    with station.db.write() as s:
        h = Hazard(code=f"YHT-{n:06d}", project_id=project_id, found_on=found_on, level=level, state=state.value,
                   deadline=deadline, first_deadline=deadline, closed_on=closed_on, category=category,
                   description=extra.pop("description", f"测试隐患{n}"), criterion_code=criterion,
                   criterion_edition=criterion.split("-")[0] if criterion else None, grid_id=grid_id,
                   supervisor_id=supervisor_id, contractor_id=contractor_id, listing_level=listing_level, **extra)
        s.add(h)
        s.flush()
        return h.id


def ledger_sql(filters: dict[str, Any]) -> Any:
    """The hazard-ledger filter contract in plain SQL: a WHERE clause list over ``Hazard``."""
    as_of = filters.get("as_of") or clock.today()
    where: list[Any] = []
    for key, value in filters.items():
        if value is None or value == "" or value == ():
            continue
        if key == "state":
            where.append(Hazard.state.in_([value] if isinstance(value, str) else list(value)))
        elif key == "open":
            where.append(Hazard.state.in_([s.value for s in OPEN_STATES]))
        elif key == "level":
            where.append(Hazard.level == value)
        elif key == "overdue":
            where += [Hazard.state.in_([s.value for s in OPEN_STATES]), Hazard.deadline < as_of]
        elif key in ("grid", "supervisor", "project", "contractor"):
            column = getattr(Hazard, f"{key}_id")
            where.append(column.is_(None) if value == -1 else column == value)
        elif key == "category":
            where.append(Hazard.category == value)
        elif key == "criterion":
            where.append(Hazard.criterion_code == value)
        elif key == "listed":
            where.append(Hazard.listing_level != "" if value is True else Hazard.listing_level == value)
        elif key == "found_from":
            where.append(Hazard.found_on >= value)
        elif key == "found_to":
            where.append(Hazard.found_on <= value)
        elif key == "closed_from":
            where.append(Hazard.closed_on >= value)
        elif key == "closed_to":
            where.append(Hazard.closed_on <= value)
        elif key == "ids":
            where.append(Hazard.id.in_(list(value)))
        elif key == "as_of":
            continue
        else:
            raise AssertionError(f"unknown filter {key}")
    return where


def count_ledger(session: Session, filters: dict[str, Any]) -> int:
    """How many records a drill-down lists: through the ledger's ListSpec when it exists."""
    try:
        from station_app.services.hazards.ledger import HAZARD_LIST
        from station_app.services.listing import ListQuery
    except ImportError:
        return session.scalar(select(func.count()).select_from(Hazard).where(*ledger_sql(filters))) or 0
    return HAZARD_LIST.count(session, ListQuery(filters=dict(filters)))
