"""The Database object: one engine, a session factory, and the write lane."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, exc
from sqlalchemy.orm import Session, sessionmaker

from station_app.db.engine import SQLITE_BUSY_TIMEOUT_MS, WriterLane, is_sqlite, make_engine
from station_app.errors import DatabaseUnavailable

log = logging.getLogger(__name__)


def translate_db_error(err: exc.DBAPIError) -> DatabaseUnavailable | None:
    """A Chinese message for the failures a clerk can act on (locked, read-only, corrupt, full disk)."""
    text = str(err.orig).lower() if err.orig is not None else str(err).lower()
    if "database is locked" in text or "database table is locked" in text:
        return DatabaseUnavailable("数据库正被其他程序占用（已锁定），请稍后重试；已保存的数据不受影响。")
    if "readonly" in text or "read-only" in text or "attempt to write a readonly database" in text:
        return DatabaseUnavailable("数据库文件为只读，无法保存。请检查文件权限或是否在只读介质上。")
    if "disk is full" in text or "database or disk is full" in text or "no space left" in text:
        return DatabaseUnavailable("磁盘空间已满，本次修改未保存。请清理磁盘后重试；已保存的数据不受影响。")
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return DatabaseUnavailable("数据库文件已损坏或不是本程序的数据库。请从备份恢复（系统设置 → 备份与恢复）。")
    if "unable to open database" in text:
        return DatabaseUnavailable("无法打开数据库文件，请检查路径和权限。")
    if "could not connect" in text or "connection refused" in text or "connection to server" in text:
        return DatabaseUnavailable("无法连接数据库服务器，请检查网络和服务器状态。")
    return None


class Database:
    """Owns the engine. ``read()`` and ``write()`` give a session per user action."""

    def __init__(self, url: str, *, data_dir: Path | None = None, echo: bool = False,
                 busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
        self.url = url
        self.data_dir = data_dir
        self.engine: Engine = make_engine(url, echo=echo, busy_timeout_ms=busy_timeout_ms)
        self.is_sqlite = is_sqlite(url)
        self._factory = sessionmaker(bind=self.engine, expire_on_commit=False, autoflush=True)
        self.lane = WriterLane()

    @property
    def display_name(self) -> str:
        u = self.engine.url
        if self.is_sqlite:
            return f"SQLite：{u.database}"
        return f"PostgreSQL：{u.host or 'localhost'}/{u.database}"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite or not self.engine.url.database or self.engine.url.database == ":memory:":
            return None
        return Path(self.engine.url.database)

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._factory()
        try:
            yield session
        except exc.DBAPIError as err:
            session.rollback()
            raise (translate_db_error(err) or err) from err
        finally:
            session.close()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commit on success, roll back everything on any error."""
        with self.lane:
            session = self._factory()
            try:
                session.connection(execution_options={"station_write": True})
                yield session
                session.commit()
            except exc.DBAPIError as err:
                session.rollback()
                translated = translate_db_error(err)
                if translated is not None:
                    log.warning("database write failed: %s", err)
                    raise translated from err
                raise
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def dispose(self) -> None:
        self.engine.dispose()
