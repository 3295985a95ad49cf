"""A locked, read-only, corrupt or full database gives a clear Chinese message and loses nothing saved."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from station_app.db.database import Database
from station_app.errors import DatabaseUnavailable
from station_app.services.listing import ListQuery
from station_app.services.registry.enterprises import ENTERPRISE_LIST, EnterpriseData, create_enterprise
from tests.conftest import Station
from tests.services.registry.test_registries import GC, OWNER


def _count(db: Database) -> int:
    with db.read() as s:
        return ENTERPRISE_LIST.count(s, ListQuery())


def _add(db: Database, st: Station, code: str) -> None:
    with db.write() as s:
        create_enterprise(s, st.clerk, EnterpriseData(name=f"企业{code[-4:]}", uscc=code, kind="施工企业"))


def test_locked_database(sqlite_station: Station) -> None:
    _add(sqlite_station.db, sqlite_station, GC)
    path = sqlite_station.db.sqlite_path
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    impatient = Database(sqlite_station.db.url, busy_timeout_ms=200)
    try:
        with pytest.raises(DatabaseUnavailable, match="已锁定"):
            _add(impatient, sqlite_station, OWNER)
    finally:
        other.execute("ROLLBACK")
        other.close()
    _add(impatient, sqlite_station, OWNER)  # works once the lock is gone
    assert _count(impatient) == 2
    impatient.dispose()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file(sqlite_station: Station) -> None:  # pragma: no cover - CI runs as root
    path = Path(sqlite_station.db.sqlite_path)  # type: ignore[arg-type]
    sqlite_station.db.dispose()
    path.chmod(stat.S_IRUSR)
    with pytest.raises(DatabaseUnavailable, match="只读"):
        _add(Database(sqlite_station.db.url), sqlite_station, OWNER)


def test_read_only_database_even_for_root(sqlite_station: Station) -> None:
    db = sqlite_station.db
    _add(db, sqlite_station, GC)
    ro = Database(f"sqlite:///file:{db.sqlite_path}?mode=ro&uri=true")
    with pytest.raises(DatabaseUnavailable, match="只读"):
        _add(ro, sqlite_station, OWNER)
    assert _count(ro) == 1
    ro.dispose()


def test_full_disk(sqlite_station: Station) -> None:
    db = sqlite_station.db
    _add(db, sqlite_station, GC)
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    full = Database(db.url)
    from sqlalchemy import event

    @event.listens_for(full.engine, "connect")
    def _cap(dbapi_conn, _rec):  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    from station_app.services.registry.enterprises import update_enterprise

    with pytest.raises(DatabaseUnavailable, match="磁盘空间已满"), full.write() as s:
        from station_app.services.registry.enterprises import find_by_uscc

        e = find_by_uscc(s, GC)
        assert e is not None
        update_enterprise(s, sqlite_station.clerk, EnterpriseData(**{**e.__dict__, "note": "很长的备注" * 20000}))
    full.dispose()
    assert _count(db) == 1  # what was saved before is intact
    with db.read() as s:
        from station_app.services.registry.enterprises import find_by_uscc

        assert find_by_uscc(s, GC).note == ""  # type: ignore[union-attr]


def test_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "station.sqlite3"
    path.write_bytes(b"\x00garbage" * 1000)
    db = Database(f"sqlite:///{path}")
    with pytest.raises(DatabaseUnavailable, match="损坏"), db.read() as s:
        ENTERPRISE_LIST.count(s, ListQuery())
    db.dispose()

