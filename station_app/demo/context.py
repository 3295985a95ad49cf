"""What the steps of one demo-data run share: the random stream, "today", the scale, id maps, bulk insert."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from station_app.demo.places import DONGHAI, Area

#: rows per executemany call (bounded memory per statement, same speed as one call)
CHUNK = 5000


@dataclass(frozen=True)
class Scale:
    name: str
    label: str
    projects: int
    years: int
    enterprises: int
    people: int
    supervisors: int


SCALES: dict[str, Scale] = {
    "small": Scale("small", "小规模", projects=40, years=2, enterprises=120, people=400, supervisors=4),
    "county": Scale("county", "县级规模", projects=1500, years=5, enterprises=3000, people=20_000, supervisors=10),
}


@dataclass
class EnterpriseRec:
    """An enterprise as later steps need it (its row is already written)."""

    id: int
    name: str
    uscc: str
    kind: str
    #: gc, specialist, supervision, survey, design, leasing, other, dev, industrial, soe, gov, town_gov,
    #: school, hospital, utility
    category: str
    #: the province abbreviation of its permits and staff certificates (苏, 鲁 …)
    abbr: str
    #: gc: building|municipal|both; specialist: its trade; gov: agency; town_gov: its town; utility: gas|heat
    tag: str = ""
    #: area codes of its staff's ID numbers when it comes from elsewhere
    id_codes: tuple[str, ...] = ()


#: how steep each category's long tail is (see LongTail): the people step sizes staff by it and the
#: projects step picks with it
TAIL_OFFSET: dict[str, float] = {
    "gc": 4, "specialist": 3, "supervision": 3, "survey": 2, "design": 2, "dev": 3, "industrial": 40, "soe": 1.5,
    "gov": 1, "town_gov": 3, "school": 3, "hospital": 1, "utility": 1, "leasing": 3, "other": 3,
}


@dataclass
class ProjectRec:
    """A project as later steps (inspections, hazards, documents) need it."""

    id: int
    name: str
    project_type: str
    sub_type: str
    status: str
    town: str
    grid_id: int | None
    registered: date
    permit_date: date | None
    planned_start: date
    planned_finish: date
    actual_start: date | None
    actual_finish: date | None
    building_area: Decimal | None
    cost_fen: int
    #: the day work stopped (停工) or supervision ended (终止监督)
    stopped: date | None = None
    #: the parties' enterprise ids by role, and the people on posts ("施工总承包/专职安全员" → person ids)
    parties: dict[str, list[int]] = field(default_factory=dict)
    posts: dict[str, list[int]] = field(default_factory=dict)

    @property
    def work_start(self) -> date:
        return self.actual_start or self.planned_start


@dataclass
class GenContext:
    session: Session
    rng: random.Random
    today: date
    scale: Scale
    progress: Callable[[str], None]
    is_postgres: bool
    seed: int = 0
    #: the data directory (attachments are stored there); None when the database has none known
    data_dir: Path | None = None
    area: Area = DONGHAI
    station_id: int = 0
    station_name: str = ""
    station_short: str = ""
    division_code: str = DONGHAI.code
    #: user ids by role label (管理员, 站长, 监督员, 内勤), in id order
    users: dict[str, list[int]] = field(default_factory=dict)
    #: town or 片区 → grid id (None: a place no grid covers)
    grid_of_town: dict[str, int | None] = field(default_factory=dict)
    enterprises: list[EnterpriseRec] = field(default_factory=list)
    #: category → enterprises in rank order (rank 0 gets the most work)
    by_category: dict[str, list[EnterpriseRec]] = field(default_factory=dict)
    #: enterprise id → title → person ids; enterprise id → all its person ids
    staff: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    staff_all: dict[int, list[int]] = field(default_factory=dict)
    projects: list[ProjectRec] = field(default_factory=list)
    #: what the run made, with Chinese labels (the return value of generate)
    counts: dict[str, int] = field(default_factory=dict)
    _tables: list[Table] = field(default_factory=list)

    @property
    def span_start(self) -> date:
        """The first day of the period the demo history covers."""
        return self.today - timedelta(days=365 * self.scale.years)

    def next_id(self, table: Table) -> int:
        return int(self.session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1

    def insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Core executemany in chunks, inside the run's single write transaction."""
        stmt = insert(table)
        for i in range(0, len(rows), CHUNK):
            self.session.execute(stmt, list(rows[i:i + CHUNK]))
        if table not in self._tables:
            self._tables.append(table)

    def sync_sequences(self) -> None:
        """Explicit ids leave PostgreSQL's serial sequences behind: move them past the new rows."""
        if not self.is_postgres:
            return
        for table in self._tables:
            self.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"))


def fit(column: Any, value: str) -> str:
    """``value`` cut to the column's declared length, if it has one.

    Only the project search key needs it: projects._refresh_search_key builds keys longer than
    projects.search_key's String(800) when a project has many parties (PostgreSQL rejects them; SQLite
    stores them whole). Reading the length from the model makes the cut vanish once it is widened.
    """
    length = getattr(column.type, "length", None)
    return value[:length] if length else value


def table_of(model: type) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def rand_date(rng: random.Random, lo: date, hi: date) -> date:
    """A uniformly random day in [lo, hi] (lo when hi < lo)."""
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def stamp(rng: random.Random, day: date) -> datetime:
    """A working-hours moment on ``day``: deterministic created_at/updated_at values."""
    return datetime.combine(day, time(8, 30)) + timedelta(minutes=rng.randint(0, 540))


def log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    """Many small values, few large ones (areas, costs)."""
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def pick_weighted[T](rng: random.Random, choices: Sequence[tuple[T, float]]) -> T:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


class LongTail[T]:
    """Picks from a ranked list so the first few get most of the work and many get a little:
    weight of rank r is 1 / (r + offset)."""

    def __init__(self, items: Sequence[T], offset: float = 4.0) -> None:
        self.items: list[T] = list(items)
        acc, cum = 0.0, []
        for r in range(len(self.items)):
            acc += 1.0 / (r + offset)
            cum.append(acc)
        self.cum = cum

    def __bool__(self) -> bool:
        return bool(self.items)

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cum)[0]

    def share(self, rank: int) -> float:
        """The expected share of picks that go to ``rank``."""
        prev = self.cum[rank - 1] if rank else 0.0
        return (self.cum[rank] - prev) / self.cum[-1]
