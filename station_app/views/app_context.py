"""What every page gets: the runtime (database, data dir), the logged-in actor, and the change bus."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from station_app.db.database import Database
from station_app.runtime import Runtime
from station_app.services.context import Actor, can


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
        return can(self.actor, action)

    def notify(self, entity_type: str) -> None:
        self.bus.changed.emit(entity_type)
