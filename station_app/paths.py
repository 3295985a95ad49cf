"""Where the app keeps its files: data, logs, backups, attachments, template overrides.

Everything is below one data directory (platformdirs' user data dir by default, or ``--data-dir``),
so a station can move or back up the whole installation by copying one folder.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from station_app import APP_NAME


def default_data_dir() -> Path:
    env = os.environ.get("STATION_APP_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resource_path(*parts: str) -> Path:
    """Path of a file shipped with the app: works from a checkout and inside a PyInstaller bundle."""
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else Path(__file__).resolve().parent.parent
    return root.joinpath(*parts)


@dataclass(frozen=True)
class DataDir:
    """The layout of one data directory."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "station.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def templates(self) -> Path:
        """Admin-supplied templates; a file here wins over the shipped one of the same name."""
        return self.root / "templates"

    @property
    def documents(self) -> Path:
        return self.root / "documents"

    @property
    def drafts(self) -> Path:
        """Unsaved form input kept across crashes."""
        return self.root / "drafts"

    def ensure(self) -> DataDir:
        for p in (self.root, self.backups, self.logs, self.attachments, self.templates, self.documents,
                  self.drafts):
            p.mkdir(parents=True, exist_ok=True)
        return self

    def sqlite_url(self) -> str:
        return f"sqlite:///{self.database.as_posix()}"


_active_templates: Path | None = None


def use_templates_dir(path: Path | None) -> None:
    """The open data directory's template folder, for services called without one (set at start-up
    by ``runtime.open_runtime``, so a document a case issues honours the admin's templates on
    PostgreSQL too)."""
    global _active_templates
    _active_templates = Path(path) if path else None


def active_templates_dir() -> Path | None:
    return _active_templates
