"""Opening the app's data: directories, logging, the database (migrated), reference data installed.

Shared by the CLI and the GUI; no Qt here.
"""

from __future__ import annotations

import logging
import logging.handlers
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from station_app.db.database import Database, translate_db_error
from station_app.paths import DataDir, default_data_dir, use_templates_dir

log = logging.getLogger("station_app")


@dataclass
class Runtime:
    data: DataDir
    db: Database

    def close(self) -> None:
        self.db.dispose()


def configure_logging(data: DataDir, *, level: int = logging.INFO) -> Path:
    """A rotating log file in the data directory (5 × 2 MB)."""
    data.logs.mkdir(parents=True, exist_ok=True)
    path = data.logs / "station_app.log"
    root = logging.getLogger()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) and Path(h.baseFilename) == path
               for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(min(root.level or level, level) if root.level else level)
    return path


def open_runtime(data_dir: Path | str | None = None, db_url: str | None = None, *, migrate: bool = True,
                 log_to_file: bool = True) -> Runtime:
    """Open (creating if needed) the data directory and database, migrated to the code's schema.

    A database newer than the code raises SchemaTooNew; before any migration of a SQLite database
    with data an automatic backup is taken.
    """
    data = DataDir(Path(data_dir) if data_dir else default_data_dir()).ensure()
    if log_to_file:
        configure_logging(data)
    db = Database(db_url or data.sqlite_url(), data_dir=data.root)
    use_templates_dir(data.templates)
    try:
        if migrate:
            from station_app.db.migrate import upgrade

            upgrade(db, backup_dir=data.backups)
        from station_app.services.reference import load_into_rules

        load_into_rules(db)
    except DBAPIError as err:
        db.dispose()
        raise (translate_db_error(err) or err) from err
    except BaseException:
        db.dispose()
        raise
    return Runtime(data=data, db=db)
