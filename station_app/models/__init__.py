"""All models, imported here so Alembic and the app see one complete MetaData."""

from station_app.db.base import Base
from station_app.models.project import Project, ProjectParty, ProjectPartyPerson
from station_app.models.reference import ReferenceRow
from station_app.models.registry import Enterprise, EnterpriseQualification, Grid, Person
from station_app.models.user import AuditEntry, Station, User

__all__ = [
    "AuditEntry",
    "Base",
    "Enterprise",
    "EnterpriseQualification",
    "Grid",
    "Person",
    "Project",
    "ProjectParty",
    "ProjectPartyPerson",
    "ReferenceRow",
    "Station",
    "User",
]
