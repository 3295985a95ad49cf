"""Builders shared by the grid-supervision service tests (grids, assignments, blind spots, coverage,
draws, workload). Inspections are inserted as rows directly: these tests are about the queries over
them, not about the inspection form."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from station_app.models import Inspection, InspectionInspector, Project, User
from station_app.models.enums import Role
from station_app.rules.ids import uscc_check_char
from station_app.services import auth
from station_app.services.context import Actor
from station_app.services.registry.enterprises import EnterpriseData, create_enterprise
from station_app.services.registry.projects import PartyData, ProjectData, create_project
from station_app.services.station import create_grid
from tests.conftest import PASSWORD, Station


def uscc(n: int) -> str:
    body = f"91320722{n:09d}"
    return body + uscc_check_char(body)


def add_user(station: Station, username: str, name: str, role: Role = Role.SUPERVISOR) -> Actor:
    with station.db.write() as s:
        info = auth.create_user(s, station.admin, username, name, role, PASSWORD)
    return Actor(info.id, username, name, role)


def disable_user(station: Station, user_id: int) -> None:
    with station.db.write() as s:
        auth.update_user(s, station.admin, user_id, active=False)


def add_grid(station: Station, name: str, leader_id: int | None = None) -> int:
    with station.db.write() as s:
        return create_grid(s, station.chief, name, leader_id=leader_id).id


def add_enterprise(station: Station, name: str, n: int) -> int:
    with station.db.write() as s:
        e = create_enterprise(s, station.clerk, EnterpriseData(name=name, uscc=uscc(n), kind="施工企业"))
    assert e.id is not None
    return e.id


def add_project(station: Station, name: str, *, grid_id: int | None = None, status: str = "在建",
                contractor_id: int | None = None, start: date = date(2024, 6, 1),
                area: Decimal | None = None, cost_fen: int | None = None, town: str = "") -> int:
    parties = (PartyData(role="施工总承包", enterprise_id=contractor_id),) if contractor_id else ()
    with station.db.write() as s:
        p = create_project(s, station.clerk, ProjectData(
            name=name, project_type="房屋建筑工程", status=status, grid_id=grid_id, town=town,
            actual_start=start if status in ("在建", "停工", "竣工待验") else None, building_area=area,
            contract_cost_fen=cost_fen, parties=parties))
    assert p.id is not None
    return p.id


def add_inspection(station: Station, project_id: int, at: datetime, inspector_ids: tuple[int, ...],
                   kind: str = "日常巡查") -> int:
    with station.db.write() as s:
        project = s.get(Project, project_id)
        assert project is not None
        insp = Inspection(inspected_at=at, project_id=project_id, grid_id=project.grid_id, kind=kind)
        for seq, uid in enumerate(inspector_ids, 1):
            user = s.get(User, uid)
            assert user is not None
            insp.inspectors.append(InspectionInspector(user_id=uid, seq=seq, name=user.full_name))
        s.add(insp)
        s.flush()
        return insp.id
