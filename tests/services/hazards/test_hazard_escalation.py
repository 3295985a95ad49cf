"""督办: overdue groups (counts, days overdue, drill-down) and the 督办 record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from station_app.errors import PermissionDenied, ValidationError
from station_app.models import AuditEntry, HazardEvent
from station_app.models.hazard import HazardAction, HazardState
from station_app.services.hazards.escalation import overdue_groups, overdue_total, urge_hazards
from tests.conftest import Station
from tests.services.hazards.hazard_b_fixtures import add_hazard, count_ledger, make_world

AS_OF = date(2025, 3, 10)
S = HazardState


def _seed(station: Station) -> dict[str, int]:
    w = make_world(station)
    sup1, sup2 = station.supervisor.user_id, station.supervisor2.user_id
    snap1 = {"grid_id": w.grid_a, "supervisor_id": sup1, "contractor_id": w.gc1}
    ids = {
        # p1: two overdue (10 and 1 days), one due today (not overdue), one closed though past deadline
        "a": add_hazard(station, w.p1, found_on=date(2025, 2, 1), deadline=date(2025, 2, 28), **snap1),
        "b": add_hazard(station, w.p1, found_on=date(2025, 3, 1), deadline=date(2025, 3, 9), state=S.RECTIFYING,
                        level="重大", criterion="2022-8-1", **snap1),
        "c": add_hazard(station, w.p1, found_on=date(2025, 3, 1), deadline=date(2025, 3, 10), **snap1),
        "d": add_hazard(station, w.p1, found_on=date(2025, 1, 1), deadline=date(2025, 1, 5), state=S.CLOSED,
                        **snap1),
        # p2 (same contractor, grid b, sup2): 40 days overdue, waiting for review
        "e": add_hazard(station, w.p2, found_on=date(2025, 1, 1), deadline=date(2025, 1, 29),
                        state=S.AWAITING_REVIEW, grid_id=w.grid_b, supervisor_id=sup2, contractor_id=w.gc1),
        # p3: no snapshots recorded (grid/supervisor/contractor unknown), 5 days overdue; one cancelled
        "f": add_hazard(station, w.p3, found_on=date(2025, 2, 1), deadline=date(2025, 3, 5)),
        "g": add_hazard(station, w.p3, found_on=date(2025, 2, 1), deadline=date(2025, 3, 5), state=S.CANCELLED),
    }
    ids.update(p1=w.p1, p2=w.p2, p3=w.p3, gc1=w.gc1, grid_a=w.grid_a)
    return ids


def test_overdue_groups(station: Station) -> None:
    _seed(station)
    with station.db.read() as s:
        assert overdue_total(s, AS_OF).value == 4
        by_project = overdue_groups(s, "project", AS_OF)
        assert [(g.label, g.overdue.value, g.major, g.max_days, g.avg_days) for g in by_project] == [
            ("西湖学校扩建", 1, 0, 40, 40.0), ("城东花园一期", 2, 1, 10, 5.5), ("安居小区三期", 1, 0, 5, 5.0)]
        by_contractor = overdue_groups(s, "contractor", AS_OF)
        assert [(g.label, g.overdue.value, g.max_days) for g in by_contractor] == [
            ("江苏宏达建设有限公司", 3, 40), ("（未记录）", 1, 5)]
        assert by_contractor[1].overdue.filters["contractor"] == -1
        by_sup = overdue_groups(s, "supervisor", AS_OF)
        assert [(g.label, g.overdue.value) for g in by_sup] == [("赵监督", 1), ("张监督", 2), ("（未记录）", 1)]
        by_grid = overdue_groups(s, "grid", AS_OF)
        assert [(g.label, g.overdue.value) for g in by_grid] == [("城西网格", 1), ("城东网格", 2), ("（未记录）", 1)]
        for groups in (by_project, by_contractor, by_sup, by_grid):
            for g in groups:
                assert count_ledger(s, g.overdue.filters) == g.overdue.value, g.label
        # a day later the hazard due today is overdue too
        assert overdue_groups(s, "project", date(2025, 3, 11))[1].overdue.value == 3
        with pytest.raises(ValidationError):
            overdue_groups(s, "town", AS_OF)


def test_urge(station: Station) -> None:
    ids = _seed(station)
    with station.db.write() as s:
        assert urge_hazards(s, station.clerk, [ids["a"], ids["b"], ids["a"]], "请于三日内整改到位", date(2025, 3, 10)) == 2
    with station.db.read() as s:
        events = s.scalars(select(HazardEvent).where(HazardEvent.action == HazardAction.URGED.value)
                           .order_by(HazardEvent.hazard_id)).all()
        assert [(e.hazard_id, e.comment, e.on_date, e.actor_name, e.to_state) for e in events] == [
            (ids["a"], "请于三日内整改到位", date(2025, 3, 10), "陈内勤", "待整改"),
            (ids["b"], "请于三日内整改到位", date(2025, 3, 10), "陈内勤", "整改中")]
        assert s.scalar(select(AuditEntry).where(AuditEntry.entity_type == "hazard",
                                                 AuditEntry.summary.like("督办%")).limit(1)) is not None
    # a closed one in the batch refuses the whole batch; nothing is saved
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        urge_hazards(s, station.clerk, [ids["e"], ids["d"]], "督办")
    assert "已销号" in str(err.value) and "无需督办" in str(err.value)
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        urge_hazards(s, station.clerk, [ids["e"]], "  ")
    assert "督办意见" in err.value.errors
    with pytest.raises(PermissionDenied), station.db.write() as s:
        urge_hazards(s, station.readonly, [ids["e"]], "督办")
    with station.db.read() as s:
        assert s.scalar(select(HazardEvent.id).where(HazardEvent.hazard_id == ids["e"])) is None
