"""Penalty range and approval, parties, money and 加处罚款, 零处罚, 办案期限 extension and the case list —
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from station_app.errors import PermissionDenied, ValidationError
from station_app.rules.ids import resident_id_check_char, uscc_check_char
from station_app.services.listing import ListQuery
from station_app.services.penalties import stages as st
from station_app.services.penalties.case_view import get_case
from station_app.services.penalties.cases import load_case
from station_app.services.penalties.double_checks import add_review, decide_review
from station_app.services.penalties.events import extend_deadline
from station_app.services.penalties.fines import (
    PenaltyInput,
    money,
    record_enforcement,
    record_payment,
    set_penalty,
)
from station_app.services.penalties.table import CASE_LIST
from tests.conftest import make_station
from tests.services.penalties.case_fixtures import CaseSite, make_case_site, new_case, penalty, step

TODAY = date(2026, 11, 24)


@pytest.fixture
def cs(db) -> CaseSite:  # type: ignore[no-untyped-def]
    return make_case_site(make_station(db))


def to_service(cs: CaseSite, case_id: int, fine_yuan: int | None = 20_000, *, serve_on: date = date(2026, 10, 22),
               **pen: object) -> None:
    step(cs, case_id, st.FILING, date(2026, 9, 28), chief=True)
    step(cs, case_id, st.INVESTIGATION, date(2026, 10, 9))
    with cs.station.db.write() as s:
        set_penalty(s, cs.station.clerk, case_id, PenaltyInput(
            "条例62", None if fine_yuan is None else fine_yuan * 100, **pen))  # type: ignore[arg-type]
    step(cs, case_id, st.REVIEW, date(2026, 10, 12))
    step(cs, case_id, st.NOTICE, date(2026, 10, 13))
    step(cs, case_id, st.DECISION, date(2026, 10, 21), chief=True)
    step(cs, case_id, st.SERVICE, serve_on)


def test_penalty_outside_range_needs_the_chiefs_approval_and_reason(cs: CaseSite) -> None:
    case_id = new_case(cs, date(2026, 9, 21))
    with pytest.raises(ValidationError, match=r"150,000.00元超出第六十二条规定的幅度（100,000元以下），须由站长批准"):
        penalty(cs, case_id, 150_000)
    with cs.station.db.write() as s, pytest.raises(ValidationError, match="站长批准须填写理由"):
        set_penalty(s, cs.station.chief, case_id, PenaltyInput("条例62", 150_000_00))
    with cs.station.db.write() as s:
        set_penalty(s, cs.station.chief, case_id, PenaltyInput(
            "条例62", 150_000_00, factors=("从重",), factor_note="拒不改正，造成严重后果",
            approval_reason="经集体讨论，情节特别严重"))
    with cs.station.db.read() as s:
        view = get_case(s, case_id, TODAY)
    assert not view.in_range and view.range_approval == "超出法定幅度，经李站长批准：经集体讨论，情节特别严重"
    assert view.hearing_eligible and view.factors == "从重" and "100,000元以下" in view.range_text
    # back within the range: the approval is cleared
    penalty(cs, case_id, 80_000)
    with cs.station.db.read() as s:
        assert get_case(s, case_id, TODAY).in_range
    with pytest.raises(ValidationError, match="不是违法行为目录中的条目"):
        penalty(cs, case_id, 1_000, code="条例99")
    with pytest.raises(ValidationError, match="选择了裁量情节，须说明理由"):
        penalty(cs, case_id, 10_000, factors=("从轻",))
    with pytest.raises(ValidationError, match="不予处罚的案件不能有罚款"):
        penalty(cs, case_id, 10_000, factors=("不予处罚",), factor_note="首违不罚")


def test_parties_are_checked_uscc_or_id_number(cs: CaseSite) -> None:
    body17 = "91320722000000001"
    bad_uscc = body17 + ("1" if uscc_check_char(body17) != "1" else "2")
    with pytest.raises(ValidationError, match="统一社会信用代码：不符合GB 32100"):
        new_case(cs, date(2026, 9, 21), enterprise_id=None, party_name="某公司",
                 party_code=bad_uscc)
    body = "32072219800101123"
    good_id = body + resident_id_check_char(body)
    with pytest.raises(ValidationError, match="身份证号：不符合GB 11643"):
        new_case(cs, date(2026, 9, 21), party_kind="个人", enterprise_id=None, party_name="王某",
                 party_code=good_id[:-1] + ("0" if good_id[-1] != "0" else "1"))
    case_id = new_case(cs, date(2026, 9, 21), party_kind="个人", enterprise_id=None, party_name="王某",
                       party_code=good_id.lower())
    with cs.station.db.read() as s:
        view = get_case(s, case_id, TODAY)
    assert view.basics.party_code == good_id.upper() and view.code == "CF2026-0001"
    step(cs, case_id, st.FILING, date(2026, 9, 28), chief=True)
    with cs.station.db.read() as s:
        assert get_case(s, case_id, TODAY).reviews == ()  # 一案双查 only for a company


def test_surcharge_is_capped_at_the_fine_and_enforcement_follows_a_reminder(cs: CaseSite) -> None:
    case_id = new_case(cs, date(2026, 9, 21))
    to_service(cs, case_id, 20_000)  # served Thu Oct 22 → pay by Fri Nov 6
    step(cs, case_id, st.EXECUTION, date(2026, 10, 23))
    with cs.station.db.read() as s:
        case = load_case(s, case_id)
        assert case.payment_due == date(2026, 11, 6)
        assert money(case, date(2026, 11, 6)).surcharge_fen == 0
        assert money(case, date(2026, 11, 16)).surcharge_fen == 6_000_00  # 10 days × 3% × 20,000
        capped = money(case, date(2027, 6, 1))
        assert capped.surcharge_fen == 20_000_00 and capped.outstanding_fen == 40_000_00
    with cs.station.db.write() as s, pytest.raises(ValidationError, match="申请强制执行前须先催告"):
        record_enforcement(s, cs.station.clerk, case_id, "申请强制执行", date(2026, 11, 20))
    with cs.station.db.write() as s, pytest.raises(ValidationError, match="届满后才能催告"):
        record_enforcement(s, cs.station.clerk, case_id, "催告", date(2026, 11, 6))
    with cs.station.db.write() as s:
        record_enforcement(s, cs.station.clerk, case_id, "催告", date(2026, 11, 10))
    # 一案双查 decided: only the unpaid fine keeps the case open
    with cs.station.db.read() as s:
        reviews = get_case(s, case_id, TODAY).reviews
    with cs.station.db.write() as s:
        for r in reviews:
            decide_review(s, cs.station.clerk, r.id, "移送", "移送市住建局对注册执业人员处理", date(2026, 11, 20))
    with pytest.raises(ValidationError, match="罚款尚未缴清"):
        step(cs, case_id, st.CLOSING, date(2026, 11, 20), chief=True)
    with cs.station.db.write() as s:
        record_payment(s, cs.station.clerk, case_id, date(2026, 11, 12), 5_000_00)  # part payment
        record_enforcement(s, cs.station.clerk, case_id, "申请强制执行", date(2026, 11, 20))
    with cs.station.db.read() as s:
        view = get_case(s, case_id, date(2026, 11, 20))
        # 14 days late: 3% × 14 × 20,000 = 8,400 accrued; 5,000 paid
        assert (view.money.surcharge_fen, view.money.outstanding_fen) == (8_400_00, 23_400_00)
        pay = next(c for c in view.clocks if c.step == "fine_payment")
        assert pay.overdue and pay.status == "逾期14天"
    step(cs, case_id, st.CLOSING, date(2026, 11, 20), chief=True)


def test_accident_case_closed_without_penalty_is_flagged_zero_penalty(cs: CaseSite) -> None:
    case_id = new_case(cs, date(2026, 9, 21), source="事故", accident_note="2026-09-18 高处坠落一人轻伤")
    to_service(cs, case_id, None, factors=("不予处罚",), factor_note="违法行为轻微并及时改正，没有造成危害后果")
    with cs.station.db.read() as s:
        reviews = get_case(s, case_id, TODAY).reviews
    with cs.station.db.write() as s:
        for r in reviews:
            decide_review(s, cs.station.clerk, r.id, "不予处罚", "已履职", date(2026, 10, 23))
        add_review(s, cs.station.clerk, case_id, "钱班长", "施工员")
    with pytest.raises(ValidationError, match="钱班长（施工员）"):
        step(cs, case_id, st.CLOSING, date(2026, 10, 23), chief=True)
    with cs.station.db.read() as s:
        extra = next(r for r in get_case(s, case_id, TODAY).reviews if r.person_name == "钱班长")
        assert CASE_LIST.count(s, ListQuery(filters={"pending_reviews": True})) == 1
    with cs.station.db.write() as s:
        decide_review(s, cs.station.clerk, extra.id, "处罚", "", date(2026, 10, 23))
    warnings = step(cs, case_id, st.CLOSING, date(2026, 10, 23), chief=True)
    assert warnings and "零处罚" in warnings[0]
    with cs.station.db.read() as s:
        assert CASE_LIST.count(s, ListQuery(filters={"zero_penalty": True})) == 1
        assert CASE_LIST.count(s, ListQuery(filters={"pending_reviews": True})) == 0


def test_extension_of_the_case_deadline_needs_the_chief(cs: CaseSite) -> None:
    case_id = new_case(cs, date(2026, 2, 2))
    step(cs, case_id, st.FILING, date(2026, 2, 5), chief=True)  # 办案期限 2026-05-06
    with cs.station.db.write() as s, pytest.raises(PermissionDenied):
        extend_deadline(s, cs.station.clerk, case_id, date(2026, 6, 5), "案情复杂")
    with cs.station.db.write() as s, pytest.raises(ValidationError, match="须晚于现办案期限（2026年5月6日）"):
        extend_deadline(s, cs.station.chief, case_id, date(2026, 5, 1), "案情复杂")
    step(cs, case_id, st.INVESTIGATION, date(2026, 4, 1))
    penalty(cs, case_id, 10_000)
    step(cs, case_id, st.REVIEW, date(2026, 4, 20))
    step(cs, case_id, st.NOTICE, date(2026, 4, 21))
    with pytest.raises(ValidationError, match="已超过办案期限（2026年5月6日），须先经站长批准延长"):
        step(cs, case_id, st.DECISION, date(2026, 5, 7), chief=True, statement_done=True)
    with cs.station.db.write() as s:
        extend_deadline(s, cs.station.chief, case_id, date(2026, 6, 5), "案情复杂，需补充鉴定")
    step(cs, case_id, st.DECISION, date(2026, 5, 7), chief=True, statement_done=True)
    with cs.station.db.read() as s:
        view = get_case(s, case_id, TODAY)
    decision = next(c for c in view.clocks if c.step == "decision")
    assert decision.deadline == date(2026, 6, 5) and decision.status == "按期完成"
    assert view.extension == "经李站长批准延长：案情复杂，需补充鉴定"


@pytest.mark.usefixtures("frozen_today")  # 2026-11-24, the day the cases below are dated around
def test_case_list_filters_in_sql(cs: CaseSite) -> None:
    old = new_case(cs, date(2025, 12, 1), cause="2025年线索")  # 立案审查 long overdue
    fresh = new_case(cs, date(2026, 11, 20), party_kind="个人", enterprise_id=None, party_name="王某",
                     party_code="320722198001011230"[:-1] + resident_id_check_char("32072219800101123"))
    done = new_case(cs, date(2026, 9, 21))
    to_service(cs, done, 20_000)
    with cs.station.db.read() as s:
        def ids(**filters: object) -> set[int]:
            return {r[0] for r in CASE_LIST.page(s, ListQuery(filters=filters))}

        assert ids(overdue=True) == {old, done}  # done: its fine was due 2026-11-06
        assert ids(year=2025) == {old}
        assert ids(stage=st.SERVICE) == {done}
        assert ids(stage="办理中") == {old, fresh, done}
        assert ids(party="王某") == {fresh}
        assert ids(pending_reviews=True) == {done}
        rows = CASE_LIST.page(s, ListQuery(sort_key="next_deadline"))
        assert rows[0][0] == old
        fine_col = [c.key for c in CASE_LIST.columns].index("fine") + 1
        assert next(r for r in rows if r[0] == done)[fine_col] == 20_000_00
