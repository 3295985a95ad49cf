"""SQLite backups: online backup API, integrity-checked, rotated 7 daily / 4 weekly / 12 monthly.

A backup is written to a temp name, checked with ``PRAGMA integrity_check``, then renamed into place,
so a half-written file never carries a backup's name. A restore checks the file first and keeps the
database it replaces.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from station_app import clock
from station_app.db.database import Database
from station_app.errors import DatabaseUnavailable, StationError

log = logging.getLogger(__name__)

_NAME = re.compile(r"^station-(\d{8}-\d{6})-([a-z-]+)\.sqlite3$")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_PRE_MIGRATE = 7, 4, 12, 10


class BackupError(StationError):
    pass


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def _copy_online(src_path: Path, dest: Path) -> None:
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{src_path.as_posix()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    problem = integrity_problem(tmp)
    if problem:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"备份文件校验失败：{problem}")
    os.replace(tmp, dest)


def integrity_problem(path: Path) -> str | None:
    """None when ``path`` is a sound station database; otherwise a Chinese description."""
    if not path.exists():
        return "文件不存在"
    try:
        con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()
            if not result or result[0] != "ok":
                return f"完整性检查未通过（{result[0] if result else '无结果'}）"
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as err:
        return f"不是有效的数据库文件（{err}）"
    if "alembic_version" not in tables or "station" not in tables:
        return "不是本程序的数据库（缺少版本或监督站信息表）"
    from station_app.db.migrate import known_revisions

    revision = schema_revision(path)
    if revision is not None and revision not in known_revisions():
        return "该备份由更新版本的程序创建，本程序无法使用，请先升级程序"
    return None


def schema_revision(path: Path) -> str | None:
    """The Alembic revision stored in a SQLite file, read without changing the file."""
    try:
        con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def backup_sqlite(db: Database, backup_dir: Path, *, reason: str = "manual", at: datetime | None = None) -> Path:
    src = db.sqlite_path
    if src is None:
        raise BackupError("PostgreSQL 数据库请由服务器管理员使用 pg_dump 备份。")
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = (at or clock.now()).strftime("%Y%m%d-%H%M%S")
    dest = backup_dir / f"station-{stamp}-{reason}.sqlite3"
    n = 1
    while dest.exists():
        n += 1
        dest = backup_dir / f"station-{stamp}-{reason}-{n}.sqlite3"
    try:
        _copy_online(src, dest)
    except OSError as err:
        raise BackupError(f"无法写入备份文件 {dest}：{err.strerror or err}") from err
    log.info("backup written: %s", dest)
    return dest


def backup_to(db: Database, target: Path) -> Path:
    """``station-app backup --to FILE``: an integrity-checked copy at a path the clerk chose (e.g. a USB disk)."""
    src = db.sqlite_path
    if src is None:
        raise BackupError("PostgreSQL 数据库请由服务器管理员使用 pg_dump 备份。")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        _copy_online(src, target)
    except OSError as err:
        raise BackupError(f"无法写入备份文件 {target}：{err.strerror or err}") from err
    return target


def list_backups(backup_dir: Path) -> list[BackupFile]:
    out = []
    if backup_dir.exists():
        for p in backup_dir.iterdir():
            m = _NAME.match(p.name)
            if m:
                out.append(BackupFile(p, datetime.strptime(m.group(1), "%Y%m%d-%H%M%S"),
                                      re.sub(r"-\d+$", "", m.group(2))))
    return sorted(out, key=lambda b: b.taken_at, reverse=True)


def last_backup_time(backup_dir: Path) -> datetime | None:
    files = list_backups(backup_dir)
    return files[0].taken_at if files else None


def rotate(backup_dir: Path) -> list[Path]:
    """Keep the newest backup of each of the last 7 days, 4 ISO weeks and 12 months; delete the rest.

    Manual backups are never deleted; pre-migration and pre-restore copies keep their newest 10.
    """
    files = list_backups(backup_dir)
    auto = [b for b in files if b.reason == "daily"]
    keep: set[Path] = set()
    for keyfn, count in ((lambda d: d.date(), KEEP_DAILY),
                         (lambda d: tuple(d.isocalendar()[:2]), KEEP_WEEKLY),
                         (lambda d: (d.year, d.month), KEEP_MONTHLY)):
        seen: list[object] = []
        for b in auto:  # newest first
            k = keyfn(b.taken_at)
            if k not in seen:
                seen.append(k)
                if len(seen) <= count:
                    keep.add(b.path)
    for reason in ("pre-migrate", "pre-restore"):
        keep.update(b.path for b in [x for x in files if x.reason == reason][:KEEP_PRE_MIGRATE])
    keep.update(b.path for b in files if b.reason not in ("daily", "pre-migrate", "pre-restore"))
    removed = []
    for b in files:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def daily_backup_if_due(db: Database, backup_dir: Path, *, at: datetime | None = None) -> Path | None:
    """Once a day (called at start and at close): a backup if none was taken today, then rotation."""
    if db.sqlite_path is None:
        return None
    at = at or clock.now()
    if any(b.taken_at.date() == at.date() and b.reason == "daily" for b in list_backups(backup_dir)):
        return None
    path = backup_sqlite(db, backup_dir, reason="daily", at=at)
    rotate(backup_dir)
    return path


def restore(db: Database, source: Path, backup_dir: Path) -> Path:
    """Replace the database by ``source`` after checking it; returns the kept copy of the replaced one.

    The caller must not use ``db`` afterwards: its engine is disposed; open a new Database.
    """
    target = db.sqlite_path
    if target is None:
        raise BackupError("PostgreSQL 数据库请由服务器管理员使用 pg_restore 恢复。")
    problem = integrity_problem(source)
    if problem:
        raise BackupError(f"所选备份文件不能用于恢复：{problem}。当前数据库未做任何改动。")
    kept = backup_sqlite(db, backup_dir, reason="pre-restore")
    db.dispose()
    staging = target.with_name(target.name + ".restore")
    try:
        shutil.copyfile(source, staging)
        if integrity_problem(staging):
            raise BackupError("复制备份文件时出错，当前数据库未做任何改动。")
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        os.replace(staging, target)
    except OSError as err:
        staging.unlink(missing_ok=True)
        raise DatabaseUnavailable(f"恢复失败（{err.strerror or err}），当前数据库未做任何改动；"
                                  f"恢复前的数据库副本在 {kept}") from err
    log.info("restored %s from %s (previous kept at %s)", target, source, kept)
    return kept
