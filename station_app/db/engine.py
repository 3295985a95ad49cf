"""Engine creation for SQLite (embedded default) and PostgreSQL (multi-clerk stations)."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 10_000


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Pragmas on every connection: a saved legal record must survive power loss.
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    return on_connect


def _sqlite_begin(conn: Any) -> None:
    # A write transaction takes the lock up front (BEGIN IMMEDIATE), so two writers queue on
    # busy_timeout instead of failing mid-transaction with "database is locked"; reads stay deferred.
    if conn.get_execution_options().get("station_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str, *, echo: bool = False, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.drivername == "sqlite":
            u = u.set(drivername="sqlite+pysqlite")
        engine = create_engine(
            u,
            echo=echo,
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False,
                          "isolation_level": None},
        )
        event.listen(engine, "connect", _pragmas(busy_timeout_ms))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if u.get_backend_name() == "postgresql" and u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    return create_engine(u, echo=echo, pool_pre_ping=True)


class WriterLane:
    """One writer at a time inside this process (SQLite allows only one anyway)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def __enter__(self) -> WriterLane:
        self._lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
