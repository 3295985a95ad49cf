"""A project with a fee basis, a late first payment, a subcontract and a ledger with one flagged entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station_app.services.registry.enterprises import EnterpriseData, create_enterprise
from station_app.services.safety_fees.ledger import UsageData, save_usage
from station_app.services.safety_fees.records import (
    BasisData,
    PaymentData,
    SubcontractData,
    save_basis,
    save_payment,
    save_subcontract,
)
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import Site, make_site, uscc

AS_OF = date(2026, 3, 31)
#: 建安工程造价 1,000万元 → 3 % (财资〔2022〕136号, 房屋建筑工程) = 30万元
COST_FEN = 10_000_000_00
REQUIRED_FEN = 300_000_00


@dataclass
class FeeSite:
    site: Site
    project: int
    subcontractor: int
    subcontract: int
    flagged_usage: int
    ok_usage: int


def make_fee_site(station: Station) -> FeeSite:
    """Project 1 started 2025-03-01 (实际开工): deadline 2025-04-01; paid 10万 on 03-20 (< 15万) and
    20万 on 05-10 (late). Subcontract 6万 started 2025-06-01, paid 3万 on 2025-06-20 (in time)."""
    site = make_site(station)
    st = site.station
    with st.db.write() as s:
        sub_ent = create_enterprise(s, st.clerk, EnterpriseData(name="江苏恒安幕墙工程有限公司", uscc=uscc(7),
                                                                  kind="专业承包企业"))
        assert sub_ent.id
        save_basis(s, st.clerk, BasisData(site.project, COST_FEN, date(2025, 1, 10)), today=AS_OF)
        save_payment(s, st.clerk, PaymentData(site.project, date(2025, 3, 20), 100_000_00, voucher_no="付-001"),
                     today=AS_OF)
        save_payment(s, st.clerk, PaymentData(site.project, date(2025, 5, 10), 200_000_00, voucher_no="付-002"),
                     today=AS_OF)
        sub = save_subcontract(s, st.clerk, SubcontractData(site.project, sub_ent.id, 60_000_00, date(2025, 6, 1),
                                                            scope="幕墙"), today=AS_OF)
        save_payment(s, st.clerk, PaymentData(site.project, date(2025, 6, 20), 30_000_00, subcontract_id=sub.id),
                     today=AS_OF)
        ok = save_usage(s, st.clerk, UsageData(site.project, date(2025, 4, 2), "19-1", 12_345_67, "记-101",
                                               "临边防护栏杆及安全网"), today=AS_OF)
        bad = save_usage(s, st.clerk, UsageData(site.project, date(2025, 4, 15), "19-5", 8_000_00, "记-102",
                                                "购买夏季工作服200套"), today=AS_OF)
        sub_id = sub.id
    return FeeSite(site, site.project, sub_ent.id, sub_id, bad.id, ok.id)
