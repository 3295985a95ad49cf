"""Task-runner jobs around the backup services (no Qt calls: they run on a worker thread)."""

from __future__ import annotations

from pathlib import Path

from station_app.db.database import Database
from station_app.runtime import Runtime
from station_app.services.backups import (
    RestoreResult,
    backup_now,
    daily_backup,
    reason_label,
    restore_database,
)
from station_app.services.context import Actor
from station_app.views.tasks import Cancelled, Job, Progress

__all__ = ["RestoreResult", "backup_now_job", "daily_backup_job", "reason_label", "restore_job"]


def daily_backup_job(db: Database, backup_dir: Path) -> Job:
    def job(progress: Progress, cancelled: Cancelled) -> Path | None:
        progress(0, 0, "正在备份数据库…")
        return daily_backup(db, backup_dir)

    return job


def backup_now_job(db: Database, backup_dir: Path, actor: Actor, target: Path | None = None) -> Job:
    def job(progress: Progress, cancelled: Cancelled) -> Path:
        progress(0, 0, "正在备份数据库并校验备份文件…")
        return backup_now(db, backup_dir, actor, target)

    return job


def restore_job(runtime: Runtime, actor: Actor, source: Path) -> Job:
    def job(progress: Progress, cancelled: Cancelled) -> RestoreResult:
        return restore_database(runtime, actor, source, progress)

    return job
