"""Backups: online copy checked, rotation 7/4/12, restore verifies first and keeps the replaced file."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete

from station_app.db.backup import (
    BackupError,
    backup_sqlite,
    backup_to,
    daily_backup_if_due,
    integrity_problem,
    list_backups,
    restore,
    rotate,
)
from station_app.db.database import Database
from station_app.models import Enterprise
from station_app.services.registry.enterprises import EnterpriseData, create_enterprise, find_by_uscc
from station_app.services.station import get_station
from tests.conftest import Station
from tests.services.registry.test_registries import GC


def test_backup_is_a_checked_copy_with_the_data(sqlite_station: Station, tmp_path: Path) -> None:
    db = sqlite_station.db
    with db.write() as s:
        create_enterprise(s, sqlite_station.clerk, EnterpriseData(name="东海建工", uscc=GC, kind="施工企业"))
    path = backup_sqlite(db, tmp_path / "b")
    assert integrity_problem(path) is None
    con = sqlite3.connect(path)
    assert con.execute("SELECT name FROM enterprises").fetchall() == [("东海建工",)]
    con.close()
    assert list_backups(tmp_path / "b")[0].reason == "manual"
    assert not list((tmp_path / "b").glob("*.part"))


def test_backup_to_chosen_file(sqlite_station: Station, tmp_path: Path) -> None:
    target = backup_to(sqlite_station.db, tmp_path / "usb" / "东海站备份.sqlite3")
    assert integrity_problem(target) is None


def test_restore_brings_back_data_and_keeps_replaced(sqlite_station: Station, tmp_path: Path) -> None:
    db = sqlite_station.db
    with db.write() as s:
        create_enterprise(s, sqlite_station.clerk, EnterpriseData(name="东海建工", uscc=GC, kind="施工企业"))
    saved = backup_sqlite(db, tmp_path / "b")
    with db.write() as s:
        s.execute(delete(Enterprise))
    kept = restore(db, saved, tmp_path / "b")
    assert kept.exists() and integrity_problem(kept) is None
    fresh = Database(db.url)
    with fresh.read() as s:
        assert find_by_uscc(s, GC) is not None
        assert get_station(s).division_code == "320722"
    fresh.dispose()
    # the kept copy is the state before the restore (no enterprise)
    con = sqlite3.connect(kept)
    assert con.execute("SELECT COUNT(*) FROM enterprises").fetchone() == (0,)
    con.close()


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_restore_refuses_bad_file_and_changes_nothing(sqlite_station: Station, tmp_path: Path,
                                                      content: bytes) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    before = Path(sqlite_station.db.sqlite_path).read_bytes()  # type: ignore[arg-type]
    with pytest.raises(BackupError, match="不能用于恢复"):
        restore(sqlite_station.db, bad, tmp_path / "b")
    assert Path(sqlite_station.db.sqlite_path).read_bytes() == before  # type: ignore[arg-type]


def test_restore_refuses_a_foreign_sqlite_file(sqlite_station: Station, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    with pytest.raises(BackupError, match="不是本程序的数据库"):
        restore(sqlite_station.db, other, tmp_path / "b")


def test_daily_backup_once_a_day(sqlite_station: Station, tmp_path: Path) -> None:
    d = tmp_path / "b"
    t = datetime(2026, 11, 23, 8, 0)
    assert daily_backup_if_due(sqlite_station.db, d, at=t) is not None
    assert daily_backup_if_due(sqlite_station.db, d, at=t + timedelta(hours=9)) is None
    assert daily_backup_if_due(sqlite_station.db, d, at=t + timedelta(days=1)) is not None
    assert len(list_backups(d)) == 2


def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path: Path) -> None:
    d = tmp_path / "b"
    d.mkdir()
    start = datetime(2025, 1, 1, 9, 0)
    for i in range(500):  # one daily backup a day for 500 days
        (d / f"station-{(start + timedelta(days=i)):%Y%m%d-%H%M%S}-daily.sqlite3").write_bytes(b"x")
    (d / "station-20250101-100000-manual.sqlite3").write_bytes(b"x")
    for i in range(15):
        (d / f"station-{(start + timedelta(days=i)):%Y%m%d}-110000-pre-migrate.sqlite3").write_bytes(b"x")
    rotate(d)
    left = list_backups(d)
    daily = sorted(b.taken_at for b in left if b.reason == "daily")
    last = start + timedelta(days=499)
    # the last 7 days are all there
    assert [last - timedelta(days=k) for k in range(7)] == sorted(daily, reverse=True)[:7]
    # 12 distinct months and 4 distinct weeks are covered, nothing older than 12 months + slack
    assert len({(x.year, x.month) for x in daily}) == 12
    assert len(daily) <= 7 + 4 + 12
    assert min(daily) >= last - timedelta(days=366)
    assert any(b.reason == "manual" for b in left)  # never deleted
    assert len([b for b in left if b.reason == "pre-migrate"]) == 10


def test_restore_refuses_a_backup_from_a_newer_program(sqlite_station: Station, tmp_path: Path) -> None:
    newer = backup_sqlite(sqlite_station.db, tmp_path / "b")
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="更新版本"):
        restore(sqlite_station.db, newer, tmp_path / "b")
