"""Backup and restore as clerk actions: role checks, audit entries, the station's last-backup time.

Plain Python (the UI runs these on a worker thread through its task runner; the CLI calls them directly).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from station_app.db.backup import backup_sqlite, backup_to, daily_backup_if_due, restore
from station_app.db.base import now
from station_app.db.database import Database
from station_app.models import User
from station_app.runtime import Runtime, open_runtime
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.station import mark_backup

REASON_LABELS: dict[str, str] = {
    "daily": "每日自动",
    "manual": "手动",
    "pre-migrate": "升级前",
    "pre-restore": "恢复前",
}

Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, text: str) -> None:
    pass


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason, reason)


def daily_backup(db: Database, backup_dir: Path) -> Path | None:
    """At start and at close: one automatic backup a day, then rotation."""
    path = daily_backup_if_due(db, backup_dir)
    if path is not None:
        with db.write() as s:
            mark_backup(s, now())
    return path


def backup_now(db: Database, backup_dir: Path, actor: Actor, target: Path | None = None) -> Path:
    """立即备份 (into the data directory) or 备份到… (``target``, e.g. a USB disk)."""
    require(actor, "backup.create")
    path = backup_to(db, target) if target is not None else backup_sqlite(db, backup_dir, reason="manual")
    with db.write() as s:
        mark_backup(s, now())
        audit.record(s, actor, "create", "backup", None, summary=f"手动备份到 {path}")
    return path


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    kept: Path
    runtime: Runtime


def restore_database(runtime: Runtime, actor: Actor, source: Path,
                     progress: Progress = _no_progress) -> RestoreResult:
    """Check the file, replace the database (keeping a copy), reopen it migrated, log who did it.

    ``runtime`` is closed by this; use the returned one.
    """
    require(actor, "backup.restore")
    progress(0, 3, "正在校验备份文件…")
    progress(1, 3, "正在保存当前数据库的副本并恢复…")
    kept = restore(runtime.db, source, runtime.data.backups)
    progress(2, 3, "正在打开恢复后的数据库…")
    fresh = open_runtime(runtime.data.root, runtime.db.url, log_to_file=False)
    with fresh.db.write() as s:
        # the restored database may predate this user's account: log the name without the link
        known = actor.user_id is None or s.scalar(select(User.id).where(User.id == actor.user_id)) is not None
        who = actor if known else Actor(None, actor.username, actor.full_name, actor.role)
        audit.record(s, who, "restore", "backup", None,
                     summary=f"从 {source.name} 恢复数据库；恢复前的数据库保留为 {kept.name}")
    return RestoreResult(source, kept, fresh)
