"""Apply Alembic migrations at start: refuse a newer database, back up, upgrade, check foreign keys.

SQLite: foreign keys are switched OFF on the migration connection before its transaction begins.
With them ON, a batch re-create of a parent table silently cascades deletes into child rows.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from station_app.db.database import Database
from station_app.errors import DatabaseUnavailable, SchemaTooNew
from station_app.paths import resource_path

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

#: the newest migration in migrations/versions. Kept here so that a start on an up-to-date database
#: does not import Alembic (~0.3 s); tests/db/test_migrations.py checks it equals Alembic's head.
SCHEMA_HEAD = "0012"


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resource_path("migrations")))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_empty(db: Database) -> bool:
    with db.engine.connect() as conn:
        return not inspect(conn).get_table_names()


def needs_upgrade(db: Database) -> bool:
    return current_revision(db) != head_revision()


def check_not_newer(db: Database) -> None:
    rev = current_revision(db)
    if rev is not None and rev not in known_revisions():
        raise SchemaTooNew(
            f"数据库版本（{rev}）比本程序新，可能已被更新版本的程序使用过。"
            "请安装最新版本的程序后再打开；为保护数据，本程序不会修改它。"
        )


def upgrade(db: Database, *, backup_dir: Path | None = None) -> Path | None:
    """Bring the database to head. Returns the backup taken first (SQLite with data), if any."""
    if current_revision(db) == SCHEMA_HEAD:
        return None
    from alembic import command

    check_not_newer(db)
    if not needs_upgrade(db):
        return None
    backup_file: Path | None = None
    if db.is_sqlite and backup_dir is not None and not is_empty(db):
        from station_app.db.backup import backup_sqlite

        backup_file = backup_sqlite(db, backup_dir, reason="pre-migrate")
        log.info("backup before migration: %s", backup_file)
    with db.lane, db.engine.connect() as conn:
        if db.is_sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            command.upgrade(_config(conn), "head")
            conn.commit()
            if db.is_sqlite:
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise DatabaseUnavailable(f"迁移后外键检查失败：{problems[:5]}")
        finally:
            if db.is_sqlite:
                conn.rollback()
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    return backup_file
