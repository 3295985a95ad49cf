"""挂牌督办 rules, lifting, and the 精准拆弹 contractor-wide review it opens."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from station_app.errors import NotFound, PermissionDenied, StaleRecord, ValidationError
from station_app.models import AuditEntry, ContractorReview, Hazard, HazardEvent, HazardListing
from station_app.models.hazard import HazardAction, HazardState
from station_app.services.hazards.contractor_review import (
    ScheduleEntry,
    list_reviews,
    open_review_for_accident,
    other_active_projects,
    review_items,
    schedule_items,
)
from station_app.services.hazards.placards import ListingData, lift_listing, list_hazard, listings_of
from station_app.services.registry.projects import PartyData, ProjectData, create_project
from station_app.services.supervision.assignments import set_team
from tests.conftest import Station
from tests.services.hazards.hazard_b_fixtures import World, add_hazard, make_world
from tests.services.supervision.supervision_fixtures import add_inspection, add_project

MAJOR = {"level": "重大", "criterion": "2022-8-1"}
GOOD = ListingData("县级", date(2025, 3, 2), "江苏宏达建设有限公司", date(2025, 3, 31), "限期消除")


def _major(station: Station, w: World, **kw: object) -> int:
    return add_hazard(station, w.p1, found_on=date(2025, 3, 1), contractor_id=w.gc1, **MAJOR, **kw)  # type: ignore[arg-type]


def _more_projects(station: Station, w: World) -> dict[str, int]:
    """gc1 also has: a 停工 project (active), a terminated one, and one it has left (退场)."""
    suspended = add_project(station, "滨河商业中心", grid_id=w.grid_b, contractor_id=w.gc1, status="停工")
    done = add_project(station, "老城改造", grid_id=w.grid_b, contractor_id=w.gc1, status="终止监督")
    with station.db.write() as s:
        left = create_project(s, station.clerk, ProjectData(
            name="工业园厂房", project_type="房屋建筑工程", status="在建", actual_start=date(2024, 1, 1),
            parties=(PartyData(role="施工总承包", enterprise_id=w.gc1, start_date=date(2024, 1, 1),
                               end_date=date(2025, 1, 31)),))).id
        assert left is not None
        set_team(s, station.chief, w.p2, station.supervisor2.user_id, [station.supervisor.user_id], date(2025, 1, 1))
    return {"suspended": suspended, "done": done, "left": left}


def test_list_and_lift(station: Station) -> None:
    w = make_world(station)
    extra = _more_projects(station, w)
    hid = _major(station, w)
    add_inspection(station, w.p2, datetime(2025, 2, 20, 9), (station.supervisor2.user_id,))
    add_hazard(station, w.p2, found_on=date(2025, 2, 20))  # an open hazard on p2
    with station.db.write() as s:
        version = s.get(Hazard, hid).version  # type: ignore[union-attr]
        result = list_hazard(s, station.chief, hid, GOOD, version)
    assert result.listing.level == "县级" and result.review_id is not None
    with station.db.read() as s:
        h = s.get(Hazard, hid)
        assert h is not None and h.listing_level == "县级" and h.version == version + 1
        ev = s.scalars(select(HazardEvent).where(HazardEvent.hazard_id == hid)).one()
        assert ev.action == HazardAction.LISTED.value and "江苏宏达建设有限公司" in ev.comment
        review = s.get(ContractorReview, result.review_id)
        assert review is not None and review.trigger == "挂牌督办" and review.opened_on == date(2025, 3, 2)
        items = review_items(s, review.id, date(2025, 3, 2))
        # other active projects of gc1 only: not p1 itself, not the completed one, not the one it left, not gc2's
        assert sorted(i.name for i in items) == sorted(["西湖学校扩建", "滨河商业中心"])
        p2 = next(i for i in items if i.project_id == w.p2)
        assert (p2.supervisor_name, p2.last_inspection, p2.open_hazards, p2.planned_supervisor_id) == (
            "赵监督", date(2025, 2, 20), 1, station.supervisor2.user_id)
        assert extra["done"] not in {i.project_id for i in items}
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.entity_type == "hazard_listing")) is not None
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.entity_type == "contractor_review")) is not None

    # one open listing at a time
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        list_hazard(s, station.chief, hid, GOOD)
    assert "请先摘牌" in str(err.value)
    # lifting: date not before listing, a note, chief only
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        lift_listing(s, station.chief, hid, date(2025, 3, 1), "")
    assert set(err.value.errors) == {"摘牌日期", "摘牌说明"}
    with pytest.raises(PermissionDenied), station.db.write() as s:
        lift_listing(s, station.supervisor, hid, date(2025, 3, 20), "整改完成")
    with station.db.write() as s:
        lift_listing(s, station.chief, hid, date(2025, 3, 20), "整改完成并复查合格")
    with station.db.read() as s:
        assert s.get(Hazard, hid).listing_level == ""  # type: ignore[union-attr]
        rows = listings_of(s, hid)
        assert [(x.level, x.lifted_on, x.lift_note) for x in rows] == [("县级", date(2025, 3, 20), "整改完成并复查合格")]
    with pytest.raises(ValidationError), station.db.write() as s:
        lift_listing(s, station.chief, hid, date(2025, 3, 21), "再次摘牌")
    # listed again at city level after the lift; no review this time
    with station.db.write() as s:
        again = list_hazard(s, station.admin, hid, ListingData("市级", date(2025, 3, 21), "宏达", date(2025, 4, 1)),
                            open_contractor_review=False)
    assert again.review_id is None
    with station.db.read() as s:
        assert s.get(Hazard, hid).listing_level == "市级"  # type: ignore[union-attr]


def test_listing_refusals(station: Station) -> None:
    w = make_world(station)
    hid = _major(station, w)
    ordinary = add_hazard(station, w.p1, found_on=date(2025, 3, 1))
    closed = _major(station, w, state=HazardState.CLOSED)
    cases = [
        (station.supervisor, hid, GOOD, PermissionDenied, ""),
        (station.chief, ordinary, GOOD, ValidationError, "只有重大事故隐患可以挂牌督办"),
        (station.chief, closed, GOOD, ValidationError, "已销号"),
        (station.chief, hid, ListingData("省级", date(2025, 2, 1), " ", date(2025, 1, 1)), ValidationError,
         "督办级别"),
    ]
    for actor, target, data, error, text in cases:
        with pytest.raises(error) as err, station.db.write() as s:
            list_hazard(s, actor, target, data)
        assert text in str(err.value)
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        list_hazard(s, station.chief, hid, ListingData("省级", date(2025, 2, 1), " ", date(2025, 1, 1)))
    assert set(err.value.errors) == {"督办级别", "挂牌日期", "责任单位", "要求完成日期"}
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        list_hazard(s, station.chief, hid, ListingData("市级", None, "宏达", None))
    assert set(err.value.errors) == {"挂牌日期", "要求完成日期"}
    with pytest.raises(StaleRecord), station.db.write() as s:
        list_hazard(s, station.chief, hid, GOOD, version=99)
    with pytest.raises(NotFound), station.db.write() as s:
        list_hazard(s, station.chief, 999999, GOOD)
    with station.db.read() as s:
        assert s.scalar(select(HazardListing.id)) is None
        assert s.scalar(select(ContractorReview.id)) is None
        assert s.get(Hazard, hid).listing_level == ""  # type: ignore[union-attr]


def test_review_schedule_and_inspected(station: Station) -> None:
    w = make_world(station)
    _more_projects(station, w)
    with station.db.write() as s:
        rid = open_review_for_accident(s, station.clerk, w.gc1, "某在建项目发生高处坠落事故", date(2025, 3, 5),
                                       project_id=w.p2)
    with station.db.read() as s:
        items = {i.name: i for i in review_items(s, rid, date(2025, 3, 5))}
    assert sorted(items) == ["城东花园一期", "滨河商业中心"]
    p1_item, other = items["城东花园一期"], items["滨河商业中心"]
    # planned date before the review, a supervisor who is not one: refused naming the project; nothing saved
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        schedule_items(s, station.clerk, rid, [ScheduleEntry(p1_item.item_id, date(2025, 3, 1), station.clerk.user_id),
                                               ScheduleEntry(other.item_id, date(2025, 3, 8), None)])
    assert set(err.value.errors) == {"“城东花园一期”计划检查日期", "“城东花园一期”监督员"}
    with station.db.write() as s:
        n = schedule_items(s, station.clerk, rid, [
            ScheduleEntry(p1_item.item_id, date(2025, 3, 7), station.supervisor.user_id),
            ScheduleEntry(other.item_id, None, None)])
    assert n == 1
    with pytest.raises(PermissionDenied), station.db.write() as s:
        schedule_items(s, station.supervisor, rid, [])
    # an inspection before the review does not count; one on the review day does
    add_inspection(station, w.p1, datetime(2025, 3, 4, 15), (station.supervisor.user_id,))
    with station.db.read() as s:
        (summary,) = list_reviews(s)
        assert (summary.items, summary.scheduled, summary.inspected, summary.trigger) == (2, 1, 0, "事故")
    add_inspection(station, w.p1, datetime(2025, 3, 5, 8), (station.supervisor.user_id,))
    with station.db.read() as s:
        items = {i.name: i for i in review_items(s, rid, date(2025, 3, 6))}
        assert items["城东花园一期"].inspected_on == date(2025, 3, 5)
        assert items["城东花园一期"].planned_on == date(2025, 3, 7)
        assert items["城东花园一期"].planned_supervisor_name == "张监督"
        assert items["滨河商业中心"].inspected_on is None
        assert list_reviews(s)[0].inspected == 1
        assert len(list_reviews(s, open_only=True)) == 1
    add_inspection(station, items["滨河商业中心"].project_id, datetime(2025, 3, 9, 8), (station.supervisor.user_id,))
    with station.db.read() as s:
        assert list_reviews(s, open_only=True) == [] and list_reviews(s)[0].done
    with pytest.raises(ValidationError), station.db.write() as s:
        open_review_for_accident(s, station.clerk, w.gc1, " ")


def test_other_active_projects_by_uscc(station: Station) -> None:
    w = make_world(station)
    with station.db.read() as s:
        assert [p.name for p in other_active_projects(s, w.gc2, w.p3, date(2025, 3, 1))] == []
        assert sorted(p.name for p in other_active_projects(s, w.gc1, None, date(2025, 3, 1))) == [
            "城东花园一期", "西湖学校扩建"]
