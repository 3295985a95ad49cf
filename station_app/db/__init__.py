"""Engine, sessions, migrations and backups."""

from station_app.db.database import Database

__all__ = ["Database"]
