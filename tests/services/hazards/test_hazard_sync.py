"""Inspection findings → hazards (SQLite and PostgreSQL): created with the inspection, following their
finding while 待整改, frozen once they moved on, deleted with it only while pending."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station_app.errors import ValidationError
from station_app.models import Hazard, InspectionFinding
from station_app.services.hazards.evidence import history
from station_app.services.hazards.lifecycle import cancel_hazard, start_rectification
from station_app.services.hazards.records import get_hazard
from station_app.services.inspections.forms import FindingData
from station_app.services.inspections.records import (
    create_inspection,
    delete_inspection,
    get_inspection,
    update_inspection,
)
from tests.conftest import Station
from tests.services.hazards.hazard_fixtures import HazardSite, make_hazard_site
from tests.services.inspections.inspection_fixtures import form, make_site

MAJOR = FindingData("1号楼基坑土方超挖且未采取有效措施", level="重大", criterion_code="2024-5-2", location="1号楼基坑")
ORDINARY = FindingData("2号楼东侧临边防护缺失", category="高处作业", location="2号楼5层")


@pytest.fixture
def hs(station: Station, tmp_path: Path) -> HazardSite:
    return make_hazard_site(make_site(station), tmp_path)


def _hazards(st: Station) -> list[Hazard]:
    with st.db.read() as s:
        return list(s.scalars(select(Hazard).order_by(Hazard.id)))


def _save(hs: HazardSite, findings: tuple[FindingData, ...]) -> int:
    st = hs.station
    with st.db.write() as s:
        saved = create_inspection(s, st.supervisor, form(hs.site, findings=findings))
    assert saved.id is not None
    return saved.id


def test_saving_an_inspection_registers_every_finding(hs: HazardSite) -> None:
    st = hs.station
    iid = _save(hs, (MAJOR, ORDINARY))
    rows = _hazards(st)
    with st.db.read() as s:
        findings = list(s.scalars(select(InspectionFinding).order_by(InspectionFinding.seq)))
    assert [(h.finding_id, h.inspection_id) for h in rows] == [(f.id, iid) for f in findings]
    major, ordinary = rows
    assert major.source == "监督检查" and major.found_on == date(2026, 3, 10)
    assert major.found_by_names == "张监督、赵监督" and major.found_by_id == st.supervisor.user_id
    assert (major.level, major.criterion_code, major.criterion_edition, major.category) == (
        "重大", "2024-5-2", "2024", "基坑、边坡工程")
    assert major.deadline == findings[0].deadline and ordinary.deadline == findings[1].deadline
    assert major.supervisor_id == st.supervisor.user_id and major.grid_id == hs.site.grid_a
    assert [h.code for h in rows] == ["YH2026-000001", "YH2026-000002"]


def test_pending_hazards_follow_their_finding(hs: HazardSite) -> None:
    st = hs.station
    iid = _save(hs, (MAJOR, ORDINARY))
    with st.db.read() as s:
        data = get_inspection(s, iid)
    edited = replace(data.findings[1], description="2号楼东侧临边防护栏杆缺失", deadline=date(2026, 3, 14))
    with st.db.write() as s:
        update_inspection(s, st.supervisor, replace(data, findings=(data.findings[0], edited),
                                                      inspected_at=datetime(2026, 3, 9, 15, 0)))
    rows = _hazards(st)
    assert rows[1].description == "2号楼东侧临边防护栏杆缺失" and rows[1].deadline == date(2026, 3, 14)
    assert rows[0].found_on == rows[1].found_on == date(2026, 3, 9)
    with st.db.read() as s:
        assert [e.action for e in history(s, rows[1].id)] == ["登记", "修改"]
        data = get_inspection(s, iid)
    with st.db.write() as s:  # the finding removed: its pending hazard goes with it
        update_inspection(s, st.supervisor, replace(data, findings=data.findings[:1]))
    assert [h.id for h in _hazards(st)] == [rows[0].id]


def test_moved_on_hazard_freezes_its_finding(hs: HazardSite) -> None:
    st = hs.station
    iid = _save(hs, (MAJOR, ORDINARY))
    major_id = _hazards(st)[0].id
    with st.db.write() as s:
        start_rectification(s, st.clerk, major_id, deadline=date(2026, 4, 1))
    with st.db.read() as s:
        data = get_inspection(s, iid)
    changed = replace(data.findings[0], description="改写的描述")
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        update_inspection(s, st.supervisor, replace(data, findings=(changed, data.findings[1])))
    assert "已转入隐患台账（YH2026-000001，状态“整改中”），其内容不能再修改" in err.value.errors["问题第1条"]
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        update_inspection(s, st.supervisor, replace(data, findings=data.findings[1:]))
    assert any("不能删除" in v for v in err.value.errors.values())
    with pytest.raises(ValidationError, match="不能再改动检查时间"), st.db.write() as s:
        update_inspection(s, st.supervisor, replace(data, inspected_at=datetime(2026, 3, 8, 9, 0)))
    # the rest of the inspection stays editable
    with st.db.write() as s:
        update_inspection(s, st.supervisor, replace(data, conclusion="责令基坑停止开挖"))
    with st.db.read() as s:
        assert get_hazard(s, major_id).description == MAJOR.description
        assert get_inspection(s, iid).conclusion == "责令基坑停止开挖"


def test_delete_refused_while_a_hazard_is_in_the_loop(hs: HazardSite) -> None:
    st = hs.station
    iid = _save(hs, (MAJOR, ORDINARY))
    major_id = _hazards(st)[0].id
    with st.db.write() as s:
        start_rectification(s, st.clerk, major_id)
    with pytest.raises(ValidationError, match="YH2026-000001已进入整改流程（整改中），不能删除该监督检查记录"), st.db.write() as s:
        delete_inspection(s, st.chief, iid)
    assert len(_hazards(st)) == 2
    with st.db.write() as s:
        cancel_hazard(s, st.chief, major_id, reason="误录")
    with st.db.write() as s:
        delete_inspection(s, st.chief, iid)
    rows = _hazards(st)  # the pending one went with the inspection; the cancelled one stays, unlinked
    assert [(h.id, h.state, h.inspection_id, h.finding_id) for h in rows] == [(major_id, "已撤销", None, None)]


def test_deleting_an_inspection_with_pending_hazards_removes_them(hs: HazardSite) -> None:
    st = hs.station
    iid = _save(hs, (ORDINARY,))
    with st.db.write() as s:
        delete_inspection(s, st.chief, iid)
    with st.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Hazard)) == 0
