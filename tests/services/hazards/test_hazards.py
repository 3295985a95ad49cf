"""The hazard ledger's closed loop through the services, on SQLite and PostgreSQL: registration and its
validation, every transition and every illegal one, roles, stale concurrent closing, history, audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station_app import clock
from station_app.errors import PermissionDenied, StaleRecord, ValidationError
from station_app.formatting import chinese_date
from station_app.models import AuditEntry, Hazard, HazardAttachment, HazardEvent
from station_app.models.hazard import OPEN_STATES, HazardState
from station_app.services.context import Actor
from station_app.services.hazards.evidence import history
from station_app.services.hazards.lifecycle import (
    TRANSITIONS,
    assign_supervisor,
    available,
    cancel_hazard,
    confirm_close,
    extend_deadline,
    report_rectification,
    review,
    start_rectification,
    transition,
)
from station_app.services.hazards.records import get_hazard, register_hazard, update_hazard
from tests.conftest import Station
from tests.services.hazards.hazard_fixtures import (
    FOUND,
    HazardSite,
    hazard_input,
    major_input,
    make_hazard_site,
    register,
)
from tests.services.inspections.inspection_fixtures import make_site


@pytest.fixture
def hs(station: Station, tmp_path: Path) -> HazardSite:
    return make_hazard_site(make_site(station), tmp_path)


def _count(st: Station, model: type) -> int:
    with st.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_register_snapshots_code_default_deadline_and_photo(hs: HazardSite) -> None:
    st = hs.station
    h = register(hs, hazard_input(hs, new_files=(str(hs.photo),)))
    assert h.code == "YH2026-000001" and h.state == "待整改" and h.version == 1
    assert h.deadline == FOUND + timedelta(days=7) == h.first_deadline  # 一般: 7 calendar days by default
    assert h.grid_name == "城区网格" and h.supervisor_name == "张监督"
    assert h.contractor_name == "江苏东海建工集团有限公司" == h.responsible_enterprise_name
    assert h.found_by_names == "陈内勤"  # nobody named: the clerk who registered it
    second = register(hs, major_input(hs))
    assert second.code == "YH2026-000002" and second.category == "基坑、边坡工程"  # the criterion's category
    assert second.criterion_edition == "2024" and second.criterion_label == "2024版 第五条第(二)项"
    assert second.deadline == FOUND + timedelta(days=30)
    old = register(hs, hazard_input(hs, found_on=date(2023, 6, 1)))
    assert old.code == "YH2023-000001"  # numbered by the year of discovery
    with st.db.read() as s:
        events = history(s, h.id)
        assert [e.action for e in events] == ["登记"]
        assert [(a.kind, a.file_name) for a in events[0].attachments] == [("隐患照片", "现场照片.jpg")]
        assert s.scalar(select(func.count()).where(AuditEntry.entity_type == "hazard")) == 3
    assert hs.store.exists(events[0].attachments[0].sha256)


@pytest.mark.parametrize(("changes", "field", "text"), [
    ({"deadline": date(2026, 3, 1)}, "整改期限", "不能早于发现日期（2026年3月10日）"),
    ({"level": "重大", "criterion_code": None}, "判定依据", "重大事故隐患须选择"),
    ({"level": "重大", "criterion_code": "2022-5-2"}, "判定依据", "2022版 第五条第(二)项不适用"),
    ({"level": "重大", "criterion_code": "2099-1-1"}, "判定依据", "不是重大事故隐患判定标准的条款"),
    ({"criterion_code": "2024-5-2"}, "判定依据", "一般隐患不引用"),
    ({"category": "火星"}, "隐患类别", "不是有效选项"),
    ({"category": ""}, "隐患类别", "必填"),
    ({"description": "  "}, "隐患描述", "必填"),
    pytest.param({"found_on": clock.today() + timedelta(days=1)}, "发现日期", "不能晚于今天",
                 marks=pytest.mark.clock),
    ({"source": "传闻"}, "来源", "不是有效选项"),
    ({"responsible_role": "设计"}, "责任单位类型", "不是有效选项"),
])
def test_registration_refused_with_field_message(hs: HazardSite, changes: dict[str, object], field: str,
                                                 text: str) -> None:
    with pytest.raises(ValidationError) as err:
        register(hs, hazard_input(hs, **changes))
    assert text in err.value.errors[field]
    assert _count(hs.station, Hazard) == 0 and _count(hs.station, HazardEvent) == 0


def test_major_hazard_closed_loop(hs: HazardSite) -> None:
    st = hs.station
    h = register(hs, major_input(hs), actor=st.supervisor)
    with st.db.write() as s:
        h = start_rectification(s, st.clerk, h.id, deadline=date(2026, 3, 25), on_date=date(2026, 3, 11),
                                expected_version=h.version)
    assert h.state == "整改中" and h.deadline == h.first_deadline == date(2026, 3, 25)
    with st.db.write() as s:
        h = report_rectification(s, st.clerk, h.id, files=[str(hs.report), str(hs.photo)], store=hs.store,
                                 on_date=date(2026, 3, 20), comment="施工单位报告已回填并加固支护")
    assert h.state == "待复查" and h.rectified_on == date(2026, 3, 20)
    with st.db.write() as s:
        h = review(s, st.supervisor2, h.id, passed=True, files=[str(hs.photo)], store=hs.store,
                   on_date=date(2026, 3, 22), comment="复查合格")
    assert h.state == "待确认销号" and h.closed_on is None  # a major hazard waits for the chief
    assert h.overdue_days(date(2026, 4, 30)) > 0  # still open: 逾期 counts until 销号
    with pytest.raises(PermissionDenied, match="无权确认重大隐患销号"), st.db.write() as s:
        confirm_close(s, st.supervisor, h.id)
    with st.db.write() as s:
        h = confirm_close(s, st.chief, h.id, on_date=date(2026, 3, 23), expected_version=h.version)
    assert h.state == "已销号" and h.closed_on == date(2026, 3, 23) and h.overdue_days(date(2026, 4, 30)) == 0
    with st.db.read() as s:
        steps = history(s, h.id)
        row = s.get(Hazard, h.id)
        assert row is not None and row.closed_by_id == st.chief.user_id
    assert [(e.action, e.from_state, e.to_state, e.actor_name) for e in steps] == [
        ("登记", "", "待整改", "张监督"), ("下达整改期限", "待整改", "整改中", "陈内勤"),
        ("报告整改完成", "整改中", "待复查", "陈内勤"), ("复查合格", "待复查", "待确认销号", "赵监督"),
        ("确认销号", "待确认销号", "已销号", "李站长")]
    assert {a.kind for a in steps[2].attachments} == {"整改报告", "整改照片"}
    assert [a.kind for a in steps[3].attachments] == ["复查照片"]


def test_ordinary_review_pass_closes_and_fail_returns_with_new_deadline(hs: HazardSite) -> None:
    st = hs.station
    h = register(hs)
    with st.db.write() as s:
        report_rectification(s, st.clerk, h.id, files=[str(hs.photo)], store=hs.store, on_date=date(2026, 3, 12))
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        review(s, st.supervisor, h.id, passed=False, files=[str(hs.photo)], store=hs.store,
               on_date=date(2026, 3, 14), comment="栏杆高度不足", new_deadline=date(2026, 3, 13))
    assert err.value.errors["整改期限"] == "不能早于复查日期（2026年3月14日）"
    with st.db.write() as s:
        h = review(s, st.supervisor, h.id, passed=False, files=[str(hs.photo)], store=hs.store,
                   on_date=date(2026, 3, 14), comment="栏杆高度不足", new_deadline=date(2026, 3, 18))
    assert h.state == "整改中" and h.deadline == date(2026, 3, 18) and h.first_deadline == FOUND + timedelta(7)
    with st.db.write() as s:
        report_rectification(s, st.clerk, h.id, files=[str(hs.report)], store=hs.store, on_date=date(2026, 3, 16))
        h = review(s, st.chief, h.id, passed=True, files=[str(hs.photo)], store=hs.store, on_date=date(2026, 3, 17))
    assert h.state == "已销号" and h.closed_on == date(2026, 3, 17)  # ordinary: closed on the review


def _at(hs: HazardSite, state: HazardState) -> int:
    """A hazard brought to ``state`` through the services."""
    st = hs.station
    major = state == HazardState.AWAITING_CONFIRMATION
    h = register(hs, major_input(hs) if major else hazard_input(hs))
    steps = {
        HazardState.PENDING: [],
        HazardState.RECTIFYING: ["start"],
        HazardState.AWAITING_REVIEW: ["report"],
        HazardState.AWAITING_CONFIRMATION: ["report", "pass"],
        HazardState.CLOSED: ["report", "pass"],
        HazardState.CANCELLED: ["cancel"],
    }[state]
    for key in steps:
        with st.db.write() as s:
            transition(s, st.chief, h.id, key, files=[str(hs.photo)], store=hs.store, comment="误录")
    return h.id


@pytest.mark.parametrize("state", list(HazardState))
def test_every_illegal_transition_is_refused_naming_the_state(hs: HazardSite, state: HazardState) -> None:
    st = hs.station
    hid = _at(hs, state)
    with st.db.read() as s:
        assert get_hazard(s, hid).state == state.value
    events = _count(st, HazardEvent)
    for key, t in TRANSITIONS.items():
        if state in t.from_states:
            continue
        with pytest.raises(ValidationError) as err, st.db.write() as s:
            transition(s, st.chief, hid, key, files=[str(hs.photo)], store=hs.store, comment="x",
                       new_deadline=clock.today() + timedelta(days=30), supervisor_id=st.supervisor2.user_id)
        assert f"当前状态为“{state.value}”，不能{t.label}" in err.value.errors["状态"]
    assert _count(st, HazardEvent) == events  # nothing half-saved


@pytest.mark.parametrize(("key", "allowed", "refused"), [
    ("start", ("clerk", "supervisor", "chief"), ("admin", "readonly")),
    ("report", ("clerk", "supervisor", "chief"), ("admin", "readonly")),
    ("pass", ("supervisor", "chief"), ("clerk", "admin", "readonly")),
    ("cancel", ("chief",), ("clerk", "supervisor", "admin", "readonly")),
    ("assign", ("chief", "admin"), ("clerk", "supervisor", "readonly")),
])
def test_roles(hs: HazardSite, key: str, allowed: tuple[str, ...], refused: tuple[str, ...]) -> None:
    st = hs.station
    state = HazardState.AWAITING_REVIEW if key == "pass" else HazardState.PENDING
    for who in refused:
        hid = _at(hs, state)
        with pytest.raises(PermissionDenied, match=f"当前角色“{getattr(st, who).role}”无权"), st.db.write() as s:
            transition(s, getattr(st, who), hid, key, files=[str(hs.photo)], store=hs.store, comment="原因",
                       supervisor_id=st.supervisor2.user_id)
    for who in allowed:
        hid = _at(hs, state)
        with st.db.write() as s:
            transition(s, getattr(st, who), hid, key, files=[str(hs.photo)], store=hs.store, comment="原因",
                       supervisor_id=st.supervisor2.user_id)
    with st.db.read() as s:
        assert [t.key for t in available("待复查", st.clerk)] == ["cancel"][:0]  # a clerk cannot review
        assert [t.key for t in available("待确认销号", st.chief)] == ["confirm", "assign", "cancel"]


def test_evidence_reason_and_dates_are_required(hs: HazardSite) -> None:
    st = hs.station
    h = register(hs)
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        report_rectification(s, st.clerk, h.id, files=[], store=hs.store)
    assert err.value.errors["证据材料"] == "报告整改完成须附整改报告或整改照片"
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        report_rectification(s, st.clerk, h.id, files=[str(hs.photo)], store=hs.store,
                             on_date=date(2026, 3, 1))
    assert err.value.errors["办理日期"] == "不能早于上一步办理日期（2026年3月10日）"
    with st.db.write() as s:
        report_rectification(s, st.clerk, h.id, files=[str(hs.photo)], store=hs.store, on_date=date(2026, 3, 12))
    with pytest.raises(ValidationError) as err, st.db.write() as s:  # 销号 without 复查 evidence
        review(s, st.supervisor, h.id, passed=True, files=[], store=hs.store)
    assert err.value.errors["证据材料"] == "复查合格须附复查照片或复查记录"
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        cancel_hazard(s, st.chief, h.id, reason=" ")
    assert err.value.errors["撤销原因"] == "必填"
    with st.db.write() as s:
        h = cancel_hazard(s, st.chief, h.id, reason="重复登记")
    assert h.state == "已撤销" and h.cancel_reason == "重复登记"
    with st.db.read() as s:
        assert get_hazard(s, h.id).state not in [x.value for x in OPEN_STATES]


@pytest.mark.clock
def test_extend_deadline_and_assign_supervisor(hs: HazardSite) -> None:
    st = hs.station
    h = register(hs)
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        extend_deadline(s, st.clerk, h.id, new_deadline=h.deadline, reason="雨季", on_date=date(2026, 3, 11))
    assert err.value.errors["整改期限"] == f"延长后的期限应晚于原期限（{chinese_date(h.deadline)}）"
    with st.db.read() as s:  # the history reads as a clerk writes a date
        assert history(s, h.id)[0].comment == f"{h.level}隐患，整改期限{chinese_date(h.deadline)}"
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        extend_deadline(s, st.clerk, h.id, new_deadline=clock.today() - timedelta(days=1), reason="雨季")
    assert err.value.errors["整改期限"].startswith("不能早于办理日期")
    new = clock.today() + timedelta(days=20)
    with st.db.write() as s:
        h = extend_deadline(s, st.clerk, h.id, new_deadline=new, reason="连续降雨无法施工")
    assert h.deadline == new and h.first_deadline == FOUND + timedelta(days=7) and h.state == "待整改"
    with pytest.raises(ValidationError, match="须为在岗的监督员或站长"), st.db.write() as s:
        assign_supervisor(s, st.chief, h.id, supervisor_id=st.clerk.user_id or 0)
    with st.db.write() as s:
        h = assign_supervisor(s, st.chief, h.id, supervisor_id=st.supervisor2.user_id or 0)
    assert h.supervisor_name == "赵监督"
    with st.db.read() as s:
        assert [(e.action, e.new_deadline, e.comment) for e in history(s, h.id)][1:] == [
            ("延长整改期限", new, "连续降雨无法施工"), ("指派监督员", None, "监督员改为赵监督")]


def test_second_clerk_closing_the_same_hazard_is_told_it_changed(hs: HazardSite) -> None:
    st = hs.station
    h = register(hs)
    with st.db.write() as s:
        h = report_rectification(s, st.clerk, h.id, files=[str(hs.photo)], store=hs.store)
    seen_by_both = h.version
    with st.db.write() as s:
        review(s, st.supervisor, h.id, passed=True, files=[str(hs.photo)], store=hs.store,
               expected_version=seen_by_both)
    with pytest.raises(StaleRecord, match="已被他人修改"), st.db.write() as s:
        review(s, st.supervisor2, h.id, passed=True, files=[str(hs.photo)], store=hs.store,
               expected_version=seen_by_both)
    # without the form's version: the row changed under an object loaded earlier → the same message
    other = register(hs)
    session = st.db._factory()
    try:
        loaded = session.get(Hazard, other.id)  # held: the identity map only keeps referenced objects
        assert loaded is not None and loaded.version == 1
        with st.db.write() as s:
            target = s.get(Hazard, other.id)
            assert target is not None
            target.location = "改了"
        if not st.db.is_sqlite:  # SQLite's deferred reader cannot upgrade to a writer after a commit
            with pytest.raises(StaleRecord, match="已被他人修改"):
                extend_deadline(session, st.clerk, other.id, new_deadline=clock.today() + timedelta(days=9),
                                reason="雨季")
    finally:
        session.rollback()
        session.close()
    with st.db.read() as s:
        assert [e.action for e in history(s, h.id)].count("复查合格") == 1


def test_edit_only_while_pending_and_not_from_an_inspection(hs: HazardSite) -> None:
    st = hs.station
    h = register(hs)
    with st.db.write() as s:
        h = update_hazard(s, st.clerk, h.id, hazard_input(hs, description="卸料平台防护栏杆缺失", deadline=None),
                          expected_version=h.version)
    assert h.description == "卸料平台防护栏杆缺失" and h.version == 2
    with pytest.raises(StaleRecord), st.db.write() as s:
        update_hazard(s, st.clerk, h.id, hazard_input(hs), expected_version=1)
    with st.db.write() as s:
        start_rectification(s, st.clerk, h.id)
    with pytest.raises(ValidationError, match="只有待整改的隐患可以修改内容"), st.db.write() as s:
        update_hazard(s, st.clerk, h.id, hazard_input(hs))
    with pytest.raises(PermissionDenied), st.db.write() as s:
        register_hazard(s, st.readonly, hazard_input(hs))


def test_codes_stay_unique_when_numbers_collide(hs: HazardSite) -> None:
    """A code taken meanwhile (another writer) is skipped: the next free serial is used."""
    st = hs.station
    first = register(hs)
    with st.db.write() as s:
        row = s.get(Hazard, first.id)
        assert row is not None
        row.code = "YH2026-000005"
    codes = {register(hs).code for _ in range(3)}
    assert codes == {"YH2026-000006", "YH2026-000007", "YH2026-000008"}
    assert _count(st, HazardAttachment) == 0


def test_readonly_actor_cannot_transition(hs: HazardSite) -> None:
    st = hs.station
    h = register(hs)
    viewer = replace(st.readonly)
    assert isinstance(viewer, Actor)
    with pytest.raises(PermissionDenied), st.db.write() as s:
        extend_deadline(s, viewer, h.id, new_deadline=clock.today() + timedelta(days=3), reason="x")
