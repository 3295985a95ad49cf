"""The 安责险 demo step: every generated policy passes the service's own rules, and the checks find work."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from station_app.db.database import Database
from station_app.demo import generate
from station_app.models import InsuranceClaim, InsurancePolicy, InsuranceVisit
from station_app.services.insurance.checks import insurance_summary
from station_app.services.insurance.policies import _check_minimum, _find_overlaps, _to_data, _validate

TODAY = date(2026, 6, 1)


def test_demo_policies_obey_the_service_rules(sqlite_db: Database) -> None:
    counts = generate(sqlite_db, "small", seed=3, today=TODAY)
    assert counts["安责险保单"] > 20 and counts["保险事故预防服务"] > 0
    with sqlite_db.read() as s:
        policies = list(s.scalars(select(InsurancePolicy).order_by(InsurancePolicy.id)))
        assert len(policies) == counts["安责险保单"]
        assert s.scalar(select(func.count()).select_from(InsuranceVisit)) == counts["保险事故预防服务"]
        assert s.scalar(select(func.count()).select_from(InsuranceClaim)) == counts["保险理赔"]
        for p in policies:
            data = _to_data(s, p)
            checked, project = _validate(s, data)  # raises ValidationError naming the field if not
            assert project is not None
            minimum, rule = _check_minimum(checked)  # a low limit always carries its reason
            assert (minimum, rule) == (p.min_limit_fen, p.min_limit_rule)
            assert not _find_overlaps(s, checked, project, p.id), p.policy_no
            assert p.start_date <= TODAY
        summary = insurance_summary(s, TODAY)
    assert summary.active_projects > 0 and summary.insured > 0
    assert summary.insured + summary.uninsured == summary.active_projects
