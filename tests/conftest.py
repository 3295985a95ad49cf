"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, a set-up station, actors per role.

PostgreSQL: ``STATION_TEST_PG_URL`` (default postgresql://postgres@127.0.0.1:5432/postgres) names a
server where the tests create and drop their own database. Where none answers the PG tests skip, unless
``STATION_REQUIRE_PG=1`` (set by .ci/run), where they fail.

Time: ``frozen_today`` / ``clock_at`` stop the clock (time-machine) for one test. ``--clock-at=YYYY-MM-DD``
or ``--clock-at=after-calendar`` (1 March of the year after the last year with holiday data) moves the
whole run, in every xdist worker; ``scripts/setup.sh test`` runs the ``clock``-marked tests that way.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import time_machine
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from station_app import clock
from station_app.db.database import Database
from station_app.db.migrate import upgrade
from station_app.models import Base
from station_app.models.enums import Role
from station_app.rules import refdata
from station_app.services import auth
from station_app.services.context import Actor
from station_app.services.reference import load_into_rules

auth.configure_hasher(time_cost=1, memory_cost=1024, parallelism=1)

PG_URL = os.environ.get("STATION_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUIRE_PG = os.environ.get("STATION_REQUIRE_PG") == "1"
PASSWORD = "Passw0rd!"
FROZEN_AT = datetime(2026, 11, 24, 9, 30)  # a Tuesday morning: the day most tests' data is written around


# ---------------------------------------------------------------- the clock
def travel(moment: date | datetime, *, tick: bool = False) -> time_machine.travel:
    """time-machine to ``moment`` on the local wall clock (a bare date: 09:30 that day).

    Naive datetimes go in with the local offset: time-machine would read them as UTC, and on a
    Windows machine in China "2026-12-31 23:00" would then already be 1 January.
    """
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(9, 30))
    return time_machine.travel(moment if moment.tzinfo else moment.astimezone(), tick=tick)


@pytest.fixture
def frozen_today() -> Iterator[date]:
    """The clock stands still at 2026-11-24 09:30 for the whole test; yields that day."""
    with travel(FROZEN_AT):
        yield clock.today()


@pytest.fixture
def clock_at() -> Iterator[Callable[[date | datetime], date]]:
    """``clock_at(day_or_moment)`` stops the clock there until the test ends (call again to move it);
    returns the new ``clock.today()``."""
    with contextlib.ExitStack() as stack:
        def move(moment: date | datetime) -> date:
            stack.enter_context(travel(moment))
            return clock.today()

        yield move


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--clock-at", metavar="YYYY-MM-DD|after-calendar", default=None,
                     help="move the clock of the whole run to this day (ticking); after-calendar = 1 March "
                          "of the year after the last year with holiday data. Meant for -m clock.")


def clock_at_day(value: str) -> date:
    """The day ``--clock-at`` names."""
    if value == "after-calendar":
        from station_app.rules.calendar import known_years

        return date(max(known_years()) + 1, 3, 1)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"--clock-at: 应为 YYYY-MM-DD 或 after-calendar，而不是 {value!r}") from None


_RUN_CLOCK = pytest.StashKey[time_machine.travel]()


def pytest_configure(config: pytest.Config) -> None:
    """Runs in the controller and in every xdist worker, so the whole run sees the moved clock."""
    value = config.getoption("--clock-at")
    if value:
        traveller = travel(clock_at_day(value), tick=True)
        traveller.start()
        config.stash[_RUN_CLOCK] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_RUN_CLOCK, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str:
    moved = " (--clock-at)" if _RUN_CLOCK in config.stash else ""
    return f"clock: {clock.now():%Y-%m-%d %H:%M}{moved}"


@dataclass
class Station:
    db: Database
    admin: Actor
    chief: Actor
    supervisor: Actor
    supervisor2: Actor
    clerk: Actor
    readonly: Actor


def _pg_admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    try:
        admin = _pg_admin_engine()
        with admin.connect() as c:
            c.execute(text("SELECT 1"))
    except Exception as err:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL required (STATION_REQUIRE_PG=1) but not reachable at {PG_URL}: {err}")
        pytest.skip(f"no PostgreSQL server at {PG_URL}: {err}")
    name = f"station_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    upgrade(db)
    db.dispose()
    yield url
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    load_into_rules(db)
    db.dispose()
    return path


def wipe_tables(db: Database, keep: tuple[str, ...] = ("reference_rows",)) -> None:
    """Empty every table but ``keep`` (ids restart on PostgreSQL)."""
    names = [t.name for t in Base.metadata.sorted_tables if t.name not in keep]
    with db.engine.begin() as c:
        if db.is_sqlite:
            for name in reversed(names):
                c.execute(text(f'DELETE FROM "{name}"'))
        else:
            c.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))


def _reset_pg(db: Database) -> None:
    wipe_tables(db)
    with db.engine.begin() as c:
        c.execute(text("DELETE FROM reference_rows WHERE shipped_json IS NULL"))
        c.execute(text("UPDATE reference_rows SET payload_json = shipped_json, modified = false "
                       "WHERE modified"))


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database (reference data loaded) on each backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "station.sqlite3"
        shutil.copyfile(template, path)
        database = Database(f"sqlite:///{path}", data_dir=tmp_path)
    else:
        database = Database(request.getfixturevalue("pg_url"))
        _reset_pg(database)
    load_into_rules(database)
    yield database
    database.dispose()
    refdata.reset()


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    path = tmp_path / "station.sqlite3"
    shutil.copyfile(sqlite_template, path)
    database = Database(f"sqlite:///{path}", data_dir=tmp_path)
    load_into_rules(database)
    yield database
    database.dispose()
    refdata.reset()


def make_station(database: Database) -> Station:
    from station_app.services.station import StationInfo, init_station

    with database.write() as s:
        init_station(s, StationInfo("东海县建设工程安全监督站", "", "东海县", "320722", "连云港市住房和城乡建设局"),
                     "admin", PASSWORD, "王管理")
    admin = auth.login(database, "admin", PASSWORD)
    actors = {"admin": admin}
    with database.write() as s:
        for username, name, role in (("chief", "李站长", Role.CHIEF), ("sup1", "张监督", Role.SUPERVISOR),
                                     ("sup2", "赵监督", Role.SUPERVISOR), ("clerk", "陈内勤", Role.CLERK),
                                     ("viewer", "周只读", Role.READONLY)):
            info = auth.create_user(s, admin, username, name, role, PASSWORD)
            actors[username] = Actor(info.id, username, name, role)
    return Station(database, admin, actors["chief"], actors["sup1"], actors["sup2"], actors["clerk"],
                   actors["viewer"])


@pytest.fixture
def station(db: Database) -> Station:
    """A set-up station on each backend with one user per role."""
    return make_station(db)


@pytest.fixture
def sqlite_station(sqlite_db: Database) -> Station:
    return make_station(sqlite_db)
