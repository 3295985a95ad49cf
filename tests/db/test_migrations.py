"""Alembic: models and migrations agree; old databases full of rows upgrade intact; newer ones refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from station_app.db.database import Database
from station_app.db.migrate import current_revision, head_revision, upgrade
from station_app.errors import SchemaTooNew
from station_app.models import Base

DATA = Path(__file__).parent.parent / "data" / "db"


def test_autogenerate_finds_no_difference(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_fresh_database_is_at_head(db: Database) -> None:
    assert current_revision(db) == head_revision()


@pytest.mark.parametrize("snapshot", sorted(DATA.glob("*.sqlite3")), ids=lambda p: p.stem)
def test_committed_old_database_upgrades_with_rows_intact(snapshot: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(snapshot, path)
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                        "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
    before = {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    party_people = con.execute("SELECT COUNT(*) FROM project_party_people").fetchone()[0]
    con.close()
    assert party_people > 0, "the snapshot must hold child rows to prove the migration keeps them"
    db = Database(f"sqlite:///{path}")
    backup = upgrade(db, backup_dir=tmp_path / "backups")
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        for table, count in before.items():
            assert conn.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar() == count, table
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()
    if snapshot.stem.split("_")[0] != head_revision():
        assert backup is not None and backup.exists()


def test_database_newer_than_code_is_refused(sqlite_db: Database) -> None:
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    with pytest.raises(SchemaTooNew, match="比本程序新"):
        upgrade(sqlite_db)
    with sqlite_db.engine.connect() as conn:  # untouched
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "ffff_from_the_future"


def test_pragmas_on_every_sqlite_connection(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_schema_head_constant_matches_alembic() -> None:
    from station_app.db.migrate import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD, "update SCHEMA_HEAD in station_app/db/migrate.py"
