"""Builders for the penalty-case tests: a station with a project whose 施工总承包 names its people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from station_app.models import Enterprise
from station_app.services.penalties.cases import CaseInput, create_case
from station_app.services.penalties.fines import PenaltyInput, set_penalty
from station_app.services.penalties.flow import StageInput, advance
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import Site, make_site


@dataclass
class CaseSite:
    site: Site
    contractor_id: int

    @property
    def station(self) -> Station:
        return self.site.station


def make_case_site(station: Station) -> CaseSite:
    site = make_site(station)
    with station.db.read() as s:
        gc = s.scalar(select(Enterprise.id).where(Enterprise.name == "江苏东海建工集团有限公司"))
    assert gc is not None
    return CaseSite(site, gc)


def new_case(cs: CaseSite, clue_on: date, **kw: object) -> int:
    data: dict[str, object] = {
        "cause": "未按规定配备专职安全生产管理人员", "clue_on": clue_on, "party_kind": "单位",
        "enterprise_id": cs.contractor_id, "project_id": cs.site.project, "source": "监督检查",
        "facts": "2026年9月检查发现，该公司在东海新区安置房一期项目脚手架搭设作业时无专职安全生产管理人员现场监督。",
        "evidence_summary": "现场检查记录、询问笔录、现场照片", "handlers": "张监督、赵监督",
    }
    data.update(kw)
    with cs.station.db.write() as s:
        return create_case(s, cs.station.clerk, CaseInput(**data))  # type: ignore[arg-type]


def step(cs: CaseSite, case_id: int, target: str, on: date, *, chief: bool = False, **kw: object) -> list[str]:
    actor = cs.station.chief if chief else cs.station.clerk
    with cs.station.db.write() as s:
        return advance(s, actor, case_id, StageInput(target=target, on_date=on, signer_name="李站长",
                                                     **kw))  # type: ignore[arg-type]


def penalty(cs: CaseSite, case_id: int, fine_yuan: int, code: str = "条例62", **kw: object) -> None:
    with cs.station.db.write() as s:
        set_penalty(s, cs.station.clerk, case_id, PenaltyInput(violation_code=code, fine_fen=fine_yuan * 100,
                                                               **kw))  # type: ignore[arg-type]
