"""Builders shared by the inspection-log tests: a station with grids, projects with parties, campaigns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from PIL import Image

from station_app.rules.ids import uscc_check_char
from station_app.services.inspections.campaigns import ensure_default_campaigns, list_campaigns
from station_app.services.inspections.forms import InspectionData, PresenceData
from station_app.services.registry.enterprises import EnterpriseData, create_enterprise
from station_app.services.registry.persons import PersonData, create_person
from station_app.services.registry.projects import PartyData, PartyPersonData, ProjectData, create_project
from station_app.services.station import create_grid
from tests.conftest import Station

WHEN = datetime(2026, 3, 10, 9, 30)


def uscc(n: int) -> str:
    body = f"91320722{n:09d}"
    return body + uscc_check_char(body)


@dataclass
class Site:
    station: Station
    grid_a: int
    grid_b: int
    project: int  # 在建, grid A, with 项目负责人/专职安全员/项目总监 named
    project_b: int  # 在建, grid B
    completed: int  # 已竣工 2025-12-20, 备案 2026-01-15
    campaigns: dict[str, int]


def make_site(station: Station) -> Site:
    with station.db.write() as s:
        ensure_default_campaigns(s)
        grid_a = create_grid(s, station.chief, "城区网格").id
        grid_b = create_grid(s, station.chief, "开发区网格").id
        gc = create_enterprise(s, station.clerk, EnterpriseData(name="江苏东海建工集团有限公司", uscc=uscc(1),
                                                                  kind="施工企业"))
        sup = create_enterprise(s, station.clerk, EnterpriseData(name="连云港正信监理有限公司", uscc=uscc(2),
                                                                   kind="监理企业"))
        people = {n: create_person(s, station.clerk, PersonData(name=n)).id for n in ("刘项目", "孙安全", "周总监")}
        assert gc.id and sup.id
        parties = (
            PartyData(role="施工总承包", enterprise_id=gc.id, people=(
                PartyPersonData(people["刘项目"], "项目负责人"),  # type: ignore[arg-type]
                PartyPersonData(people["孙安全"], "专职安全员"))),  # type: ignore[arg-type]
            PartyData(role="监理", enterprise_id=sup.id,
                      people=(PartyPersonData(people["周总监"], "项目总监"),)),  # type: ignore[arg-type]
        )
        p1 = create_project(s, station.clerk, ProjectData(
            name="东海新区安置房一期", project_type="房屋建筑工程", status="在建", grid_id=grid_a,
            actual_start=date(2025, 3, 1), parties=parties))
        p2 = create_project(s, station.clerk, ProjectData(
            name="开发区标准厂房", project_type="房屋建筑工程", status="在建", grid_id=grid_b,
            actual_start=date(2025, 5, 1)))
        p3 = create_project(s, station.clerk, ProjectData(
            name="城南小学教学楼", project_type="房屋建筑工程", status="已竣工", grid_id=grid_a,
            actual_start=date(2024, 3, 1), actual_finish=date(2025, 12, 20),
            completion_filing_date=date(2026, 1, 15)))
        campaigns = {c.name: c.id for c in list_campaigns(s) if c.id is not None}
    assert p1.id and p2.id and p3.id
    return Site(station, grid_a, grid_b, p1.id, p2.id, p3.id, campaigns)


def form(site: Site, **kw: object) -> InspectionData:
    st = site.station
    assert st.supervisor.user_id and st.supervisor2.user_id
    base: dict[str, object] = {
        "inspected_at": WHEN, "project_id": site.project,
        "inspector_ids": (st.supervisor.user_id, st.supervisor2.user_id), "kind": "日常巡查",
        "weather": "晴", "site_parts": ("主体结构", "脚手架"), "conclusion": "现场安全管理基本到位",
        "presence": (PresenceData("施工总承包", "项目负责人", True, person_name="刘项目"),
                     PresenceData("施工总承包", "专职安全员", True, person_name="孙安全"),
                     PresenceData("监理", "项目总监", True, person_name="周总监")),
    }
    base.update(kw)
    return InspectionData(**base)  # type: ignore[arg-type]


def jpeg(path: Path, color: tuple[int, int, int] = (200, 30, 30), taken: str | None = None,
         size: tuple[int, int] = (640, 480)) -> Path:
    """A small JPEG; ``taken`` ("2026:03:10 09:12:00") writes EXIF DateTimeOriginal."""
    img = Image.new("RGB", size, color)
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[36867] = taken
    img.save(path, "JPEG", exif=exif)
    return path
