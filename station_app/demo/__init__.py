"""Demo data: a realistic, deterministic county (连云港市东海县 by default) for a first look, tests and
benchmarks — ``station-app demo-data --scale small|county --seed N``.

``generate`` runs ``STEPS`` in order on one ``GenContext`` inside a single write transaction: the
database gets all of the demo data or none of it. Each step draws from the one ``random.Random(seed)``
on the context (never the global one, never the clock: ``today`` is a parameter), assigns ids itself,
inserts with SQLAlchemy Core executemany (``ctx.insert``), and leaves what later steps need on the
context (``ctx.projects``, ``ctx.users``, ``ctx.staff`` …). The same seed and ``today`` give the same
rows; password hashes (salted) and the audit row's time are the only exceptions.

To extend (grid-assignment history, inspections, hazards, documents, cases): write
``def make_inspections(ctx: GenContext) -> None`` in its own module, append it to ``STEPS`` before
``write_summary``, and add its counts to ``ctx.counts`` with a Chinese label. Append at the end so
earlier steps draw the same random numbers as before and existing demo databases stay comparable.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import date

from station_app import clock
from station_app.db.database import Database
from station_app.demo.cases import make_cases
from station_app.demo.context import SCALES, GenContext, Scale
from station_app.demo.documents import make_documents
from station_app.demo.enterprises import make_enterprises
from station_app.demo.hazards import make_hazards
from station_app.demo.inspections import make_inspections
from station_app.demo.insurance import make_insurance
from station_app.demo.people import make_people
from station_app.demo.photos import make_photos
from station_app.demo.projects import make_projects
from station_app.demo.safety_fees import make_safety_fees
from station_app.demo.setup import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    AUDIT_PREFIX,
    DEMO_PASSWORD,
    make_grids,
    make_users,
    refuse_if_filled,
    setup_station,
)
from station_app.demo.supervision import make_coverage_rounds, make_supervision
from station_app.errors import ValidationError
from station_app.formatting import chinese_date
from station_app.services import audit
from station_app.services.context import SYSTEM

Step = Callable[[GenContext], None]


def write_summary(ctx: GenContext) -> None:
    """One audit row for the whole run (not one per record), and PostgreSQL sequences past the new ids."""
    ctx.sync_sequences()
    summary = (f"{AUDIT_PREFIX}（{ctx.scale.label}，种子 {ctx.seed}，基准日期 {chinese_date(ctx.today)}）："
               + "，".join(f"{label} {n}" for label, n in ctx.counts.items()))
    audit.record(ctx.session, SYSTEM, "create", "station", ctx.station_id, summary=summary,
                 after={"scale": ctx.scale.name, "seed": ctx.seed, "today": ctx.today.isoformat(), **ctx.counts})


STEPS: tuple[Step, ...] = (
    refuse_if_filled,
    setup_station,
    make_users,
    make_grids,
    make_enterprises,
    make_people,
    make_projects,
    make_supervision,
    make_coverage_rounds,
    make_inspections,
    make_photos,
    make_hazards,
    make_safety_fees,
    make_cases,
    make_documents,
    make_insurance,
    write_summary,
)


def _quiet(_message: str) -> None:
    pass


def generate(db: Database, scale: str = "small", seed: int = 1, progress: Callable[[str], None] | None = None,
             *, today: date | None = None, steps: Sequence[Step] = STEPS) -> dict[str, int]:
    """Fill an empty database with a demo county; returns what was made, by Chinese label.

    Refuses (DuplicateRecord) a database that already has demo data, projects, enterprises or people.
    An uninitialised database gets the demo station (东海县, 320722) and its admin account.
    """
    params = SCALES.get(scale)
    if params is None:
        raise ValidationError({"规模": f"应为 {' 或 '.join(SCALES)}，而不是“{scale}”"})
    say = progress or _quiet
    started = time.perf_counter()
    with db.write() as session:
        ctx = GenContext(session=session, rng=random.Random(seed), today=today or clock.today(), scale=params,
                         progress=say, is_postgres=not db.is_sqlite, seed=seed, data_dir=db.data_dir)
        for step in steps:
            step(ctx)
    say(f"演示数据已写入（{params.label}，种子 {seed}），用时 {time.perf_counter() - started:.1f} 秒。"
        f"登录：管理员 {ADMIN_USERNAME} / {ADMIN_PASSWORD}（新建站点时），其他演示账号密码 {DEMO_PASSWORD}")
    return dict(ctx.counts)


__all__ = ["SCALES", "STEPS", "GenContext", "Scale", "Step", "generate", "write_summary"]
