"""What every page gets: the runtime (database, data dir), the logged-in actor, and the change bus.

Only Qt is imported at module level: the main window's shell is built from it before the database
layer (SQLAlchemy, the models) has been imported (see ``views.startup``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from station_app.db.database import Database
    from station_app.runtime import Runtime
    from station_app.services.context import Actor


class EntityBus(QObject):
    """App-wide "entities changed" signal: after a write, open pages of that kind refresh.

    The argument is an entity type as used in the audit log: 'project', 'enterprise', 'person', 'user',
    'grid', 'reference', 'station', or '*' for everything (after a restore).
    """

    changed = Signal(str)


@dataclass
class AppContext:
    runtime: Runtime
    actor: Actor
    bus: EntityBus

    @property
    def db(self) -> Database:
        return self.runtime.db

    def can(self, action: str) -> bool:
        from station_app.services.context import can

        return can(self.actor, action)

    def notify(self, entity_type: str) -> None:
        self.bus.changed.emit(entity_type)
