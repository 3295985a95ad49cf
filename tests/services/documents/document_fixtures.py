"""Builders for the document tests: a site with one recorded inspection and hazards with deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from station_app.models import Hazard
from station_app.services.attachments import AttachmentStore, attach_files
from station_app.services.inspections.records import create_inspection
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import Site, form, jpeg, make_site

ISSUED_ON = date(2026, 3, 10)


@dataclass
class DocSite:
    site: Site
    station: Station
    inspection_id: int
    hazard_ids: list[int]
    blob_ids: list[int]


def add_hazards(station: Station, site: Site, inspection_id: int | None, count: int, *,
                description: str = "外架连墙件缺失", start: int = 1, major_every: int = 0) -> list[int]:
    ids = []
    with station.db.write() as s:
        for i in range(start, start + count):
            major = bool(major_every) and i % major_every == 0
            h = Hazard(code=f"YH2026-{i:06d}", project_id=site.project, inspection_id=inspection_id,
                       found_on=ISSUED_ON, found_by_names="张监督、赵监督", category="脚手架",
                       description=f"{description}（第{i}处）", level="重大" if major else "一般",
                       criterion_code="2022-8-1" if major else None, location=f"{i}#楼{i % 18 + 1}层",
                       responsible_person_name="刘项目", requirement="按方案补设连墙件并验收",
                       deadline=ISSUED_ON + timedelta(days=3 + i % 5),
                       first_deadline=ISSUED_ON + timedelta(days=3 + i % 5), search_key="")
            s.add(h)
            s.flush()
            ids.append(h.id)
    return ids


def make_doc_site(station: Station, tmp_path: Path, hazards: int = 3, photos: int = 0) -> DocSite:
    site = make_site(station)
    with station.db.write() as s:
        insp = create_inspection(s, station.supervisor, form(site))
    assert insp.id is not None
    blob_ids: list[int] = []
    if photos:
        tmp_path.mkdir(parents=True, exist_ok=True)
        store = AttachmentStore(tmp_path / "attachments")
        files = [jpeg(tmp_path / f"p{i}.jpg", color=(40 * i % 255, 90, 120)) for i in range(photos)]
        with station.db.write() as s:
            attach_files(s, station.supervisor, store, insp.id, files, caption="现场照片")
        from sqlalchemy import select

        from station_app.models import InspectionAttachment
        with station.db.read() as s:
            blob_ids = list(s.scalars(select(InspectionAttachment.blob_id).where(
                InspectionAttachment.inspection_id == insp.id).order_by(InspectionAttachment.id)))
    ids = add_hazards(station, site, insp.id, hazards)
    return DocSite(site, station, insp.id, ids, blob_ids)
