"""Builders shared by the hazard-ledger tests: the inspection site plus a supervision team and files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from station_app.services.attachments import AttachmentStore
from station_app.services.hazards.records import HazardData, HazardInput, register_hazard
from station_app.services.supervision.assignments import set_team
from tests.services.inspections.inspection_fixtures import Site, jpeg

FOUND = date(2026, 3, 10)


@dataclass
class HazardSite:
    site: Site
    store: AttachmentStore
    photo: Path
    report: Path

    @property
    def station(self):  # type: ignore[no-untyped-def]
        return self.site.station


def make_hazard_site(site: Site, tmp_path: Path) -> HazardSite:
    st = site.station
    assert st.supervisor.user_id and st.supervisor2.user_id
    with st.db.write() as s:
        set_team(s, st.chief, site.project, st.supervisor.user_id, (st.supervisor2.user_id,),
                 effective_from=date(2025, 3, 1))
    photo = jpeg(tmp_path / "现场照片.jpg")
    report = tmp_path / "整改报告.pdf"
    report.write_bytes(b"%PDF-1.4 rectification report")
    return HazardSite(site, AttachmentStore(tmp_path / "attachments"), photo, report)


def hazard_input(hs: HazardSite, **kw: object) -> HazardInput:
    base: dict[str, object] = {"project_id": hs.site.project, "description": "2号楼卸料平台未设置防护栏杆",
                               "found_on": FOUND, "category": "高处作业", "level": "一般",
                               "source": "企业自查", "location": "2号楼5层"}
    base.update(kw)
    return HazardInput(**base)  # type: ignore[arg-type]


def major_input(hs: HazardSite, **kw: object) -> HazardInput:
    base: dict[str, object] = {"level": "重大", "criterion_code": "2024-5-2", "category": "",
                               "description": "1号楼基坑土方超挖且未采取有效措施"}
    base.update(kw)
    return hazard_input(hs, **base)


def register(hs: HazardSite, data: HazardInput | None = None, *, actor: object = None) -> HazardData:
    st = hs.station
    with st.db.write() as s:
        return register_hazard(s, actor or st.clerk, data or hazard_input(hs), store=hs.store)  # type: ignore[arg-type]
