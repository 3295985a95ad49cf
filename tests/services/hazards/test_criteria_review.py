"""判定条款待复核 (SQLite and PostgreSQL): records stored under the copied 2024 rows go through migration
0011 for real (criteria_fixtures), then the chief confirms."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from station_app.errors import NotFound, PermissionDenied, ValidationError
from station_app.models import AuditEntry, CriterionRemapReview, Hazard, HazardEvent, InspectionFinding
from station_app.services.hazards import criteria_review
from station_app.services.hazards.national_export import national_rows, precheck
from tests.conftest import Station
from tests.services.criteria_fixtures import OLD_8_6, old_records
from tests.services.hazards.hazard_fixtures import HazardSite, make_hazard_site
from tests.services.inspections.inspection_fixtures import make_site


@pytest.fixture
def hs(station: Station, tmp_path: Path) -> HazardSite:
    return make_hazard_site(make_site(station), tmp_path)


def test_the_upgrade_remaps_what_matches_and_lists_the_rest(hs: HazardSite) -> None:
    ids = old_records(hs)
    st = hs.station
    with st.db.read() as s:
        lone = s.get(Hazard, ids["lone"])
        assert lone is not None and (lone.criterion_code, lone.category) == ("2024-8-6", "建筑起重机械及吊装工程")
        remapped = s.scalars(select(AuditEntry).where(AuditEntry.entity_type == "hazard",
                                                      AuditEntry.entity_id == ids["lone"],
                                                      AuditEntry.username == "系统升级")).one()
        assert "第八条第(三)项→第八条第(六)项" in remapped.summary
        pending = criteria_review.list_pending(s)
        assert criteria_review.pending_count(s) == 2
    assert [(p.kind, p.record_id) for p in pending] == [("finding", ids["finding"]), ("hazard", ids["paired"])]
    hazard_item = pending[1]
    assert hazard_item.kind_label == "隐患" and hazard_item.record_ref.startswith("YH2026-")
    assert hazard_item.project_name == "东海新区安置房一期" and str(hazard_item.found_on) == "2026-03-10"
    assert hazard_item.old_text == OLD_8_6 and hazard_item.suggested_code == "2024-8-5"
    assert hazard_item.old_code_now.startswith("2024版 第八条第(六)项　施工升降机附着间距")
    assert hazard_item.suggested_label.startswith("2024版 第八条第(五)项　建筑起重机械主要受力构件")
    assert pending[0].record_ref == "2026年3月10日检查"
    picks = criteria_review.choices(hazard_item)
    assert len(picks) == 53 and picks[0].code == "2024-8-5"


def test_the_chief_confirms_an_item_for_a_hazard_and_its_finding(hs: HazardSite) -> None:
    ids = old_records(hs)
    st = hs.station
    with st.db.read() as s:
        review = next(p for p in criteria_review.list_pending(s) if p.kind == "hazard")
        version = s.get(Hazard, ids["paired"]).version  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied, match="复核重大隐患判定条款"), st.db.write() as s:
        criteria_review.confirm(s, st.supervisor, review.id, "2024-8-5")
    for code, message in (("", "请选择"), ("2024-99-1", "不是重大事故隐患判定标准的条款"),
                          ("2022-8-6", "请选择2024版的条款")):
        with pytest.raises(ValidationError, match=message), st.db.write() as s:
            criteria_review.confirm(s, st.chief, review.id, code)
    with st.db.write() as s:
        criteria_review.confirm(s, st.chief, review.id, "2024-8-5")
    with st.db.read() as s:
        hazard, finding = s.get(Hazard, ids["paired"]), s.get(InspectionFinding, ids["finding"])
        assert hazard is not None and finding is not None
        assert (hazard.criterion_code, hazard.category) == ("2024-8-5", "建筑起重机械及吊装工程")
        assert (finding.criterion_code, finding.category) == ("2024-8-5", "建筑起重机械及吊装工程")
        assert hazard.version == version + 1
        rows = s.scalars(select(CriterionRemapReview).order_by(CriterionRemapReview.id)).all()
        assert all(r.chosen_code == "2024-8-5" and r.reviewed_by == st.chief.user_id and r.reviewed_at
                   for r in rows) and len(rows) == 2
        audits = s.scalars(select(AuditEntry).where(AuditEntry.username == "chief",
                                                    AuditEntry.summary.like("复核判定条款%"))).all()
        assert sorted(a.entity_type for a in audits) == ["hazard", "inspection"]
        assert all("2024版 第八条第(五)项" in a.summary for a in audits)
        event = s.scalars(select(HazardEvent).where(HazardEvent.hazard_id == ids["paired"])
                          .order_by(HazardEvent.id.desc())).first()
        assert event is not None and "复核判定条款" in event.comment
        assert criteria_review.list_pending(s) == []
    with pytest.raises(ValidationError, match="已复核"), st.db.write() as s:
        criteria_review.confirm(s, st.chief, review.id, "2024-8-4")
    with pytest.raises(NotFound), st.db.write() as s:
        criteria_review.confirm(s, st.chief, review.id + 100, "2024-8-4")


def test_a_record_rejudged_meanwhile_leaves_the_list(hs: HazardSite) -> None:
    ids = old_records(hs)
    st = hs.station
    with st.db.read() as s:
        review = next(p for p in criteria_review.list_pending(s) if p.kind == "finding")
    with st.db.write() as s:
        s.execute(update(InspectionFinding).where(InspectionFinding.id == ids["finding"])
                  .values(criterion_code="2024-8-4"))
    with st.db.read() as s:
        assert [p.kind for p in criteria_review.list_pending(s)] == ["hazard"]
    with pytest.raises(ValidationError, match="已另行修改"), st.db.write() as s:
        criteria_review.confirm(s, st.chief, review.id, "2024-8-5")


def test_the_national_export_holds_a_hazard_until_its_item_is_confirmed(hs: HazardSite) -> None:
    ids = old_records(hs)
    st = hs.station
    with st.db.read() as s:
        rows = {r.hazard_id: r for r in national_rows(s, date(2026, 3, 1), date(2026, 3, 31))}
        review = next(p for p in criteria_review.list_pending(s) if p.kind == "hazard")
    assert rows[ids["paired"]].criterion == "" and rows[ids["lone"]].criterion == "2024版 第八条第(六)项"
    problems = [p.message for p in precheck(list(rows.values())) if p.field == "判定依据"]
    assert problems == ["判定条款待复核：请站长在“隐患台账 → 判定条款待复核”中确认"]
    with st.db.write() as s:
        criteria_review.confirm(s, st.chief, review.id, "2024-8-5")
    with st.db.read() as s:
        rows = {r.hazard_id: r for r in national_rows(s, date(2026, 3, 1), date(2026, 3, 31))}
    assert rows[ids["paired"]].criterion == "2024版 第八条第(五)项"
    assert not [p for p in precheck(list(rows.values())) if p.field == "判定依据"]
