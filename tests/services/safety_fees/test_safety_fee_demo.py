"""Demo 安全生产费用: rows as the services would write them (required amount by the rules, flags by the
negative list), some first payments late and some entries flagged, deterministic for one seed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from station_app.db.database import Database
from station_app.demo import generate
from station_app.models import SafetyFeeBasis, SafetyFeePayment, SafetyFeeUsage
from station_app.rules import fees
from station_app.rules import safety_fee_usage as fee_rules
from station_app.services.safety_fees.checks import fee_summary

TODAY = date(2025, 6, 30)


def test_demo_fees_are_what_the_services_would_write(sqlite_db: Database) -> None:
    counts = generate(sqlite_db, "small", seed=3, today=TODAY)
    assert counts["安全生产费用使用台账"] > 100 and counts["安全生产费用基数"] > 20
    with sqlite_db.read() as s:
        for b in s.scalars(select(SafetyFeeBasis)):
            expected = fees.safety_fee_amount(Decimal(b.cost_fen) / 100, b.fee_project_type, b.contract_date)
            assert b.required_fen == int(expected * 100)
            assert b.first_due_fen == fee_rules.first_payment_required(b.required_fen)
        usages = list(s.execute(select(SafetyFeeUsage.category, SafetyFeeUsage.description, SafetyFeeUsage.voucher_no,
                                       SafetyFeeUsage.flagged, SafetyFeeUsage.flag_reason,
                                       SafetyFeeUsage.review_state, SafetyFeeUsage.used_on)))
        summary = fee_summary(s, TODAY)
        payments = s.scalar(select(func.count(SafetyFeePayment.id))) or 0
    for cat, text, voucher, flagged, reason, state, used_on in usages:
        match = fee_rules.match_negative_list(cat, text, voucher)
        assert flagged == (match is not None) and reason == (match.reason if match else "")
        assert state in (("待复核", "复核通过", "不予认可") if flagged else ("",))
        assert used_on <= TODAY
    share = sum(1 for u in usages if u[3]) / len(usages)
    assert 0.01 < share < 0.15
    assert payments > counts["安全生产费用基数"] // 2
    assert summary.first_payment_late > 0 and summary.flagged_total == sum(1 for u in usages if u[3])
