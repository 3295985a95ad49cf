"""Builders for the 安责险 tests: a station with a grid, contractors and projects, and a policy maker."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from station_app.services.insurance.policies import PolicyData, create_policy
from station_app.services.registry.enterprises import EnterpriseData, create_enterprise
from station_app.services.registry.projects import PartyData, ProjectData, create_project
from station_app.services.station import create_grid
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import uscc

WAN = 10_000 * 100  # 1万元 in fen


@dataclass
class InsSite:
    station: Station
    grid: int
    gc: int  # 江苏东海建工集团有限公司, 施工总承包 of every project made here
    other: int  # another contractor
    owner: int


def make_ins_site(station: Station) -> InsSite:
    with station.db.write() as s:
        grid = create_grid(s, station.chief, "城区网格").id
        ids = [create_enterprise(s, station.clerk, EnterpriseData(name=n, uscc=uscc(i), kind=k)).id
               for i, (n, k) in enumerate((("江苏东海建工集团有限公司", "施工企业"), ("连云港恒达建设有限公司", "施工企业"),
                                           ("东海县城市建设投资有限公司", "建设单位")), 11)]
    assert grid and all(ids)
    return InsSite(station, grid, ids[0], ids[1], ids[2])  # type: ignore[arg-type]


def add_project(site: InsSite, name: str, *, start: date | None, status: str = "在建", gc: int | None = -1,
                finish: date | None = None, filing: date | None = None, subs: tuple[int, ...] = ()) -> int:
    gc_id = site.gc if gc == -1 else gc
    parties = [PartyData(role="建设单位", enterprise_id=site.owner)]
    if gc_id is not None:
        parties.append(PartyData(role="施工总承包", enterprise_id=gc_id))
    parties += [PartyData(role="专业分包", enterprise_id=e) for e in subs]
    with site.station.db.write() as s:
        p = create_project(s, site.station.clerk, ProjectData(
            name=name, project_type="房屋建筑工程", status=status, grid_id=site.grid, actual_start=start,
            actual_finish=finish, completion_filing_date=filing, contract_cost_fen=80_000_000 * 100,
            parties=tuple(parties)))
    assert p.id
    return p.id


_counter = iter(range(1, 1_000_000))


def policy(site: InsSite, project_id: int, start: date, end: date | None, **kw: Any) -> PolicyData:
    """A valid policy (40万 per person) unless ``kw`` says otherwise; ``end`` None = 至竣工验收备案."""
    n = next(_counter)
    return PolicyData(project_id=project_id, insured_id=kw.pop("insured_id", site.gc),
                      insurer=kw.pop("insurer", "中国人民财产保险股份有限公司"), insurer_branch="东海支公司",
                      policy_no=kw.pop("policy_no", f"PICC2025-{n:05d}"), start_date=start, end_date=end,
                      until_completion=end is None, death_limit_fen=kw.pop("death_limit_fen", 40 * WAN),
                      premium_fen=kw.pop("premium_fen", 96_000 * 100), premium_base_fen=80_000_000 * 100, **kw)


def add_policy(site: InsSite, project_id: int, start: date, end: date | None, **kw: Any) -> PolicyData:
    data = policy(site, project_id, start, end, **{k: v for k, v in kw.items() if k != "replace"})
    with site.station.db.write() as s:
        return create_policy(s, site.station.clerk, data, replace=bool(kw.get("replace")))


def surrendered(data: PolicyData, on: date, status: str = "退保") -> PolicyData:
    return replace(data, status=status, status_date=on, status_reason="项目停工，施工单位申请退保")
