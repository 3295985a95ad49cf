"""安全生产费用: basis by the rule in force, the 50 % check, the ledger's negative-list flag and review,
bad input refused with the field named and nothing saved, audit rows, optimistic locking (SQLite + PG)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from station_app import clock
from station_app.errors import PermissionDenied, StaleRecord, ValidationError
from station_app.models import AuditEntry, Project, SafetyFeeBasis, SafetyFeePayment, SafetyFeeUsage
from station_app.services.listing import ListQuery
from station_app.services.safety_fees.checks import fee_summary, project_fees
from station_app.services.safety_fees.ledger import UsageData, review_usage, save_usage
from station_app.services.safety_fees.records import BasisData, PaymentData, save_basis, save_payment
from station_app.services.safety_fees.tables import overview_list
from tests.conftest import Station
from tests.services.safety_fees.safety_fee_fixtures import AS_OF, REQUIRED_FEN, make_fee_site


def _count(station: Station, model: type) -> int:
    with station.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_basis_uses_rule_in_force_on_contract_date(station: Station) -> None:
    fs = make_fee_site(station)
    with station.db.read() as s:
        b = s.scalar(select(SafetyFeeBasis).where(SafetyFeeBasis.project_id == fs.project))
        assert b is not None
        assert (b.required_fen, b.rate, b.regulation, b.rule_key) == (REQUIRED_FEN, Decimal("0.0300"),
                                                                        "财资〔2022〕136号", "2022-房屋建筑工程")
        assert b.first_due_fen == REQUIRED_FEN // 2
    # a contract signed before 2022-12-13 keeps the old 2.0 % of 财企〔2012〕16号; 123.45 元 × 2 % rounds half-up
    with station.db.write() as s:
        b2 = save_basis(s, station.clerk, BasisData(fs.site.project_b, 123_45, date(2022, 6, 1)), today=AS_OF)
        assert (b2.required_fen, b2.regulation) == (247, "财企〔2012〕16号")
        assert b2.first_due_fen == 124  # 50 % of 2.47 元, rounded up to the fen
    with station.db.read() as s:
        summaries = list(s.scalars(select(AuditEntry.summary).where(AuditEntry.entity_type == "safety_fee_basis")))
    assert len(summaries) == 2 and "开发区标准厂房" in summaries[1]


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"cost_fen": -5}, "建安工程造价", "不能为负数"),
    ({"cost_fen": "12万"}, "建安工程造价", "金额数字"),
    ({"cost_fen": None}, "建安工程造价", "必填"),
    ({"contract_date": None}, "合同签订日期", "必填"),
    ({"contract_date": date(2011, 5, 1)}, "合同签订日期", "已收录的规定最早自2012年2月14日起施行"),
    ({"fee_project_type": "园艺工程"}, "工程类别", "不是有效选项"),
    ({"start_date": date(2024, 1, 1)}, "开工日期", "不能早于合同签订日期"),
])
def test_bad_basis_names_the_field_and_saves_nothing(station: Station, data: dict, field: str, words: str) -> None:
    from tests.services.inspections.inspection_fixtures import make_site

    site = make_site(station)
    values = {"project_id": site.project, "cost_fen": 100_00, "contract_date": date(2024, 6, 1), **data}
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        save_basis(s, station.clerk, BasisData(**values), today=AS_OF)
    assert field in err.value.errors and words in err.value.errors[field]
    assert _count(station, SafetyFeeBasis) == 0


def test_late_first_payment_shows_the_payments_behind_it(station: Station) -> None:
    fs = make_fee_site(station)
    with station.db.write() as s:  # another project paid in time: its payments stay out of project 1's figures
        save_basis(s, station.clerk, BasisData(fs.site.project_b, 2_000_000_00, date(2025, 2, 1)), today=AS_OF)
        save_payment(s, station.clerk, PaymentData(fs.site.project_b, date(2025, 5, 5), 30_000_00), today=AS_OF)
    with station.db.read() as s:
        view = project_fees(s, fs.project, AS_OF)
    owner = view.owner
    assert owner is not None
    assert (owner.start, owner.due, owner.start_source) == (date(2025, 3, 1), date(2025, 4, 1), "项目实际开工日期")
    assert owner.late and owner.paid_by_due_fen == 100_000_00 and owner.shortfall_fen == 50_000_00
    assert [(p.voucher_no, p.in_time) for p in owner.payments] == [("付-001", True), ("付-002", False)]
    assert "首期支付不足" in owner.verdict and "2025年4月1日" in owner.verdict
    assert view.paid_fen == 300_000_00
    (sub,) = view.subcontracts
    assert sub.check.due == date(2025, 7, 1) and not sub.check.late and sub.check.paid_by_due_fen == 30_000_00
    # the station overview lists it under the problem, with the same figures
    with station.db.read() as s:
        spec = overview_list(AS_OF)
        rows = spec.page(s, ListQuery(filters={"problem": "late"}))
        summary = fee_summary(s, AS_OF)
    assert [r[0] for r in rows] == [fs.project]
    cols = [c.key for c in spec.columns]
    row = dict(zip(cols, rows[0][1:], strict=True))
    assert row["due"] == date(2025, 4, 1) and row["paid_by_due"] == 100_000_00 and row["paid"] == 300_000_00
    assert row["problem"] == "首期支付不足（建设单位）"
    with station.db.read() as s:
        every = {r[0]: dict(zip(cols, r[1:], strict=True)) for r in spec.page(s, ListQuery())}
    assert every[fs.site.project_b]["paid_by_due"] == 30_000_00 and every[fs.site.project_b]["problem"] == ""
    assert summary.first_payment_late == 1 and summary.subcontract_late == 0
    # before the deadline it is not yet late
    with station.db.read() as s:
        early = project_fees(s, fs.project, date(2025, 3, 25))
    assert early.owner is not None and not early.owner.late and "未到" in early.owner.verdict


def test_subcontract_paid_late_is_counted(station: Station) -> None:
    fs = make_fee_site(station)
    with station.db.write() as s:
        pay = s.scalar(select(SafetyFeePayment).where(SafetyFeePayment.subcontract_id == fs.subcontract))
        assert pay is not None
        save_payment(s, station.clerk, PaymentData(fs.project, date(2025, 7, 2), 30_000_00,
                                                   subcontract_id=fs.subcontract, id=pay.id, version=pay.version),
                     today=AS_OF)
    with station.db.read() as s:
        view = project_fees(s, fs.project, AS_OF)
        summary = fee_summary(s, AS_OF)
    assert view.subcontracts[0].check.late
    assert summary.subcontract_late == 1


def test_negative_list_entry_is_flagged_reviewed_and_kept(station: Station) -> None:
    fs = make_fee_site(station)
    with station.db.read() as s:
        bad = s.get(SafetyFeeUsage, fs.flagged_usage)
        ok = s.get(SafetyFeeUsage, fs.ok_usage)
        assert bad is not None and ok is not None
        assert bad.flagged and bad.review_state == "待复核" and "工作服" in bad.flag_reason
        assert not ok.flagged and ok.review_state == ""
        version = bad.version
    with pytest.raises(PermissionDenied), station.db.write() as s:
        review_usage(s, station.clerk, fs.flagged_usage, "不予认可", "普通劳保用品", version)
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        review_usage(s, station.supervisor, fs.flagged_usage, "不予认可", "", version)
    assert "复核意见" in err.value.errors
    with station.db.write() as s:
        info = review_usage(s, station.supervisor, fs.flagged_usage, "不予认可", "普通工作服不属于安全防护用品", version)
    assert info.review_state == "不予认可" and info.reviewed_by_name == "张监督"
    with station.db.read() as s:
        view = project_fees(s, fs.project, AS_OF)
        summary = fee_summary(s, AS_OF)
    assert view.used_fen == 12_345_67 and view.rejected_fen == 8_000_00  # kept, not counted as used
    assert [u.id for u in view.flagged] == [fs.flagged_usage]
    assert summary.flagged_pending == 0 and summary.rejected == 1 and summary.flagged_total == 1
    # editing the content of a reviewed entry sends it back to review
    with station.db.write() as s:
        again = save_usage(s, station.clerk, UsageData(fs.project, date(2025, 4, 15), "19-5", 9_000_00, "记-102",
                                                       "购买夏季工作服200套", id=fs.flagged_usage,
                                                       version=info.version), today=AS_OF)
    assert again.review_state == "待复核" and again.review_comment == ""
    # a stale form is refused
    with pytest.raises(StaleRecord), station.db.write() as s:
        review_usage(s, station.supervisor, fs.flagged_usage, "复核通过", "", info.version)


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"amount_fen": -100}, "金额", "不能为负数"),
    ({"amount_fen": "abc"}, "金额", "金额数字"),
    ({"amount_fen": 0}, "金额", "应大于0"),
    ({"category": "19-99"}, "使用范围", "不是安全生产费用使用范围"),
    ({"used_on": date(2024, 12, 31)}, "日期", "不能早于合同签订日期"),
    ({"used_on": date(2026, 4, 1)}, "日期", "不能晚于今天"),
    ({"description": " "}, "摘要", "必填"),
])
def test_bad_usage_names_the_field(station: Station, data: dict, field: str, words: str) -> None:
    fs = make_fee_site(station)
    before = _count(station, SafetyFeeUsage)
    values = {"project_id": fs.project, "used_on": date(2025, 5, 1), "category": "19-2", "amount_fen": 100_00,
              "description": "应急演练", **data}
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        save_usage(s, station.clerk, UsageData(**values), today=AS_OF)
    assert field in err.value.errors and words in err.value.errors[field]
    assert _count(station, SafetyFeeUsage) == before


def test_payment_needs_a_basis_and_a_date_after_the_contract(station: Station) -> None:
    fs = make_fee_site(station)
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        save_payment(s, station.clerk, PaymentData(fs.site.project_b, date(2025, 5, 1), 100), today=AS_OF)
    assert "尚未登记安全生产费用基数" in str(err.value)
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        save_payment(s, station.clerk, PaymentData(fs.project, date(2024, 1, 1), 100), today=AS_OF)
    assert "不能早于合同签订日期" in err.value.errors["支付日期"]
    with pytest.raises(PermissionDenied), station.db.write() as s:
        save_payment(s, station.readonly, PaymentData(fs.project, date(2025, 5, 1), 100), today=AS_OF)
    assert _count(station, SafetyFeePayment) == 3


def test_underuse_against_progress(station: Station) -> None:
    fs = make_fee_site(station)
    with station.db.write() as s:
        p = s.get(Project, fs.project)
        assert p is not None
        p.progress_percent = 60  # accrued 18万; used 12,345.67 + 8,000 ≪ 9万 (50 %)
    with station.db.read() as s:
        view = project_fees(s, fs.project, AS_OF)
        summary = fee_summary(s, AS_OF)
        rows = overview_list(AS_OF).page(s, ListQuery(filters={"problem": "underuse"}))
    assert view.progress == 60 and view.accrued_fen == 180_000_00 and view.underuse
    assert summary.underuse == 1 and [r[0] for r in rows] == [fs.project]
    months = {m.month: m for m in view.months}
    assert months[date(2025, 4, 1)].used_fen == 20_345_67 and months[date(2025, 5, 1)].paid_fen == 200_000_00
    assert view.months[-1].paid_cum_fen == 300_000_00 and view.months[-1].accrued_fen == 180_000_00
    assert [(c.key, c.amount_fen) for c in view.categories] == [("19-1", 12_345_67), ("19-5", 8_000_00)]


def test_project_without_basis_is_listed(station: Station) -> None:
    fs = make_fee_site(station)
    with station.db.read() as s:
        spec = overview_list(AS_OF)
        missing = spec.page(s, ListQuery(filters={"problem": "no_basis"}))
        summary = fee_summary(s, AS_OF)
    assert fs.site.project_b in [r[0] for r in missing]
    assert summary.missing_basis == 1 and summary.projects_with_basis == 1


def test_start_falls_back_to_the_permit_date_once_the_project_is_under_way(station: Station) -> None:
    fs = make_fee_site(station)
    with station.db.write() as s:
        p = s.get(Project, fs.site.project_b)
        assert p is not None
        p.status, p.actual_start, p.permit_date = "未开工", None, date(2025, 2, 1)
        save_basis(s, station.clerk, BasisData(p.id, 1_000_000_00, date(2025, 1, 5)), today=AS_OF)
    with station.db.read() as s:
        waiting = project_fees(s, fs.site.project_b, AS_OF)
        late_ids = [r[0] for r in overview_list(AS_OF).page(s, ListQuery(filters={"problem": "late"}))]
    assert waiting.owner is not None and waiting.owner.start is None and not waiting.owner.late
    assert fs.site.project_b not in late_ids
    with station.db.write() as s:
        p = s.get(Project, fs.site.project_b)
        assert p is not None
        p.status = "停工"
    with station.db.read() as s:
        stopped = project_fees(s, fs.site.project_b, AS_OF)
        late_ids = [r[0] for r in overview_list(AS_OF).page(s, ListQuery(filters={"problem": "late"}))]
    assert stopped.owner is not None and stopped.owner.late
    assert (stopped.owner.start, stopped.owner.start_source) == (date(2025, 2, 1), "施工许可日期（未填实际开工日期）")
    assert fs.site.project_b in late_ids


@pytest.mark.clock
def test_summaries_on_past_days_count_what_was_registered_and_reviewed_by_then(station: Station) -> None:
    """Today the multi-day counts agree with the home card; a day before the records were entered has none
    of them, and an entry reviewed later still awaited review on the days before."""
    from datetime import datetime, timedelta

    from station_app.services.safety_fees.history import fee_summaries

    fs = make_fee_site(station)
    today = clock.today()
    with station.db.write() as s:
        p = s.get(Project, fs.project)
        assert p is not None
        p.progress_percent = 60  # 使用偏低, as in test_underuse_against_progress
    with station.db.read() as s:
        now = fee_summaries(s, [today])[today]
        card = fee_summary(s, today)
    assert now == card and (now.first_payment_late, now.flagged_pending, now.underuse) == (1, 1, 1)
    # the clerk entered everything today; a week later a supervisor rejects the flagged entry
    with station.db.write() as s:
        u = s.get(SafetyFeeUsage, fs.flagged_usage)
        assert u is not None
        u.review_state, u.reviewed_at = "不予认可", datetime.combine(today + timedelta(days=7), datetime.min.time())
    yesterday, next_week = today - timedelta(days=1), today + timedelta(days=7)
    with station.db.read() as s:
        got = fee_summaries(s, [yesterday, today, next_week])
    assert (got[yesterday].projects_with_basis, got[yesterday].first_payment_late, got[yesterday].flagged_total) == \
        (0, 0, 0)
    assert (got[yesterday].missing_basis, got[today].missing_basis) == (2, 1)  # both 在建; one basis since today
    assert (got[today].flagged_pending, got[today].rejected) == (1, 0)
    assert (got[next_week].flagged_pending, got[next_week].rejected, got[next_week].flagged_total) == (0, 1, 1)
    assert got[today].underuse == got[yesterday].underuse == 1  # today's 形象进度 whatever the day


def test_an_inspection_records_which_entries_it_checked_and_the_picker_reads_in_chinese(station: Station) -> None:
    from station_app.services.inspections.records import create_inspection
    from station_app.services.safety_fees.ledger import fee_checks_of, inspections_for_check, record_fee_check
    from tests.services.inspections.inspection_fixtures import form

    fs = make_fee_site(station)
    with station.db.write() as s:
        insp = create_inspection(s, station.supervisor, form(fs.site))
        assert insp.id
        choices = inspections_for_check(s, fs.project)
        record_fee_check(s, station.supervisor, insp.id, [fs.ok_usage, fs.flagged_usage])
    assert [i for i, _ in choices] == [insp.id]
    label = choices[0][1]
    assert label.startswith("2026年3月10日 ") and len(label) > len("2026年3月10日 ")
    with station.db.read() as s:
        assert {c.usage_id for c in fee_checks_of(s, inspection_id=insp.id)} == {fs.ok_usage, fs.flagged_usage}
