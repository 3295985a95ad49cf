"""安责险 and 安全生产费用 in the monthly report: 本期 and 去年同期 each reconstructed for its own day from the
records' dates (policy terms, project dates, registration and review times), not from today's status.

The county of ``monthly_fixtures`` (report month October 2026) gets policies, fee bases, payments, a
subcontract and flagged ledger entries dated in both years; the pack is generated and the workbook and the
Word report reopened to read the 去年同期 cells.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from station_app.db.database import Database
from station_app.models import (
    Enterprise,
    InsurancePolicy,
    ProjectParty,
    SafetyFeeBasis,
    SafetyFeePayment,
    SafetyFeeSubcontract,
    SafetyFeeUsage,
)
from station_app.services.monthly.pack import generate_pack
from station_app.services.monthly.stats import ReportPeriod, compute_figures
from tests.conftest import make_station
from tests.services.monthly.monthly_fixtures import OCT, build

TODAY = date(2026, 11, 24)
WAN = 10_000 * 100  # 1万元 in fen


def _at(d: date) -> datetime:
    return datetime.combine(d, datetime.min.time()).replace(hour=10)


def _policy(s: Session, project: int, insured: int, no: str, start: date, end: date | None, *,
            limit: int = 40 * WAN, status: str = "有效", status_date: date | None = None) -> None:
    s.add(InsurancePolicy(project_id=project, insured_id=insured, insurer="中国人民财产保险股份有限公司", policy_no=no,
                          start_date=start, end_date=end, until_completion=end is None, death_limit_fen=limit,
                          status=status, status_date=status_date, below_minimum_reason="旧条款" if limit < 40 * WAN else "",
                          created_at=_at(start), updated_at=_at(status_date or start)))


def _basis(s: Session, project: int, registered: date, *, required: int = 300 * WAN) -> None:
    s.add(SafetyFeeBasis(project_id=project, cost_fen=required * 100 // 3, contract_date=date(2024, 1, 10),
                         fee_project_type="房屋建筑工程", rate=Decimal("0.03"), rule_key="building",
                         regulation="财资〔2022〕136号", required_fen=required, first_share=Decimal("0.5"),
                         first_due_fen=required // 2, created_at=_at(registered), updated_at=_at(registered)))


def _usage(s: Session, project: int, entered: date, state: str, reviewed: date | None = None) -> None:
    s.add(SafetyFeeUsage(project_id=project, used_on=entered, category="19-5", amount_fen=5_000_00,
                         description="购买夏季工作服", flagged=True, flag_reason="负面清单：普通劳保用品", review_state=state,
                         reviewed_at=_at(reviewed) if reviewed else None, created_at=_at(entered),
                         updated_at=_at(reviewed or entered)))


def add_registries(db: Database, ids: dict[str, int]) -> None:
    """Policies, fee records and flagged entries around 31 October 2026 and 31 October 2025.

    在建/停工 on 2026-10-31: 城东花园 p1, 开发区厂房 p2 (开工 10-05), 滨河学校 p5 (停工), 去年小区 p9 — 4;
    on 2025-10-31: p1, 人民医院 p3 and 老城改造 p4 (both 竣工 in 2026), p5, p9 (开工 2025-10-03) — 5.
    (新建商场 p8 is 在建 today but began in November; 体育馆 p6 终止监督 never began.)
    """
    p1, p2, p3, p4, p9 = (ids[k] for k in ("p1", "p2", "p3", "p4", "p9"))  # p5 (停工) gets nothing
    with db.write() as s:
        gc, other, sub = (Enterprise(name=n, uscc=f"91320722MA1X{i:06d}", kind=k) for i, (n, k) in enumerate(
            (("江苏东海建工集团有限公司", "施工企业"), ("连云港恒达建设有限公司", "施工企业"), ("江苏恒安幕墙工程有限公司", "专业承包企业"))))
        s.add_all([gc, other, sub])
        s.flush()
        for pid in (p1, p2, p3, p4, p9):
            s.add(ProjectParty(project_id=pid, role="施工总承包", enterprise_id=gc.id))
        # p1 covered throughout (renewed); p3 open-ended, 25万 (minimum then 30万); p4 in force on 2025-10-31, 退保 2025-11-15;
        # p5 never insured; p9 insured only from 2025-11-01, by a company that is not its 总包, ending 2026-10-31;
        # p2 insured from its start, low limit
        _policy(s, p1, gc.id, "P-A", date(2025, 4, 1), date(2026, 3, 31))
        _policy(s, p1, gc.id, "P-B", date(2026, 4, 1), date(2027, 3, 31))
        _policy(s, p3, gc.id, "P-C", date(2024, 2, 1), None, limit=25 * WAN)
        _policy(s, p4, gc.id, "P-D", date(2024, 6, 1), date(2025, 12, 31), status="退保", status_date=date(2025, 11, 15))
        _policy(s, p9, other.id, "P-E", date(2025, 11, 1), date(2026, 10, 31))
        _policy(s, p2, gc.id, "P-F", date(2026, 10, 5), date(2027, 10, 4), limit=20 * WAN)
        # fee bases by registration day; p1's 建设单位 paid too little by 2025-05-01, p3 and p9 in full and on time
        _basis(s, p1, date(2025, 3, 15))
        _basis(s, p3, date(2024, 3, 1))
        _basis(s, p9, date(2026, 2, 1))
        for pid, paid_on, amount in ((p1, date(2025, 4, 20), 100 * WAN), (p3, date(2024, 2, 20), 150 * WAN),
                                     (p9, date(2025, 10, 20), 150 * WAN)):
            s.add(SafetyFeePayment(project_id=pid, paid_on=paid_on, amount_fen=amount, created_at=_at(paid_on)))
        s.add(SafetyFeeSubcontract(project_id=p1, enterprise_id=sub.id, fee_fen=60 * WAN, first_share=Decimal("0.5"),
                                   first_due_fen=30 * WAN, start_date=date(2026, 3, 1),
                                   created_at=_at(date(2026, 3, 1)), updated_at=_at(date(2026, 3, 1))))
        _usage(s, p1, date(2025, 5, 1), "待复核")
        _usage(s, p1, date(2025, 6, 1), "不予认可", date(2025, 7, 1))
        _usage(s, p1, date(2025, 9, 1), "复核通过", date(2026, 1, 10))  # still awaiting review on 2025-10-31
        _usage(s, p9, date(2026, 3, 1), "不予认可", date(2026, 4, 1))
        _usage(s, p9, date(2026, 11, 2), "待复核")  # entered after the report month


#: label → (本期, 去年同期, 同比) as the report prints them; "—" where the past cannot be reconstructed
EXPECTED = {
    "应投保项目数": (4, 5, "-20.0%"),
    "已投保项目数": (3, 3, "0.0%"),
    "未投保项目数": (1, 2, "-50.0%"),
    "断保项目数": (3, 2, "+50.0%"),  # p5 and p9 (2025-10-03…10-31); then p4 after its 退保 until 竣工
    "保单即将到期": (1, "—", "—"),  # P-E ends on the day, no renewal: today's records only
    "保额不足保单": (2, 1, "+100.0%"),
    "被保险人不符保单": (1, "—", "—"),
    "提前退保保单": (1, 0, "—"),
    "已登记计取基数项目数": (3, 2, "+50.0%"),
    "未登记计取基数项目数": (2, 3, "-33.3%"),  # p2, p5 | p4, p5, p9
    "首付款逾期项目数": (1, 1, "0.0%"),
    "分包费用未按期支付": (1, 0, "—"),
    "存疑支出待核查": (1, 2, "-50.0%"),
    "核定不属于安全费用的支出": (2, 1, "+100.0%"),
}


def test_last_year_is_reconstructed_for_its_own_day(db: Database) -> None:
    st = make_station(db)
    ids = build(st)
    add_registries(db, ids)
    with db.read() as s:
        f = compute_figures(s, ReportPeriod.parse(OCT))
    for label, (current, last_year, _change) in EXPECTED.items():
        v = f[label]
        assert (v.current, v.last_year) == (current, None if last_year == "—" else last_year), label
        assert (v.ytd, v.last_ytd) == (v.current, v.last_year), label  # a state at the end: YTD is the same
    for label in ("保单即将到期", "被保险人不符保单", "使用不足项目数"):
        assert f[label].current is not None and "去年同期无法还原" in f[label].definition
    assert f["未投保项目数"].yoy == Decimal("-50.0")


def test_pack_shows_last_year_and_the_change(db: Database, tmp_path: Path) -> None:
    st = make_station(db)
    ids = build(st)
    add_registries(db, ids)
    with db.read() as s:
        result = generate_pack(s, st.clerk, ReportPeriod.parse(OCT), tmp_path / "out", templates_dir=tmp_path / "tpl",
                               today=TODAY)
    summary = load_workbook(result.xlsx).worksheets[0]
    headers = [c.value for c in summary[3]]
    col = {h: headers.index(h) for h in ("指标", "本期", "本年累计", "去年同期", "同比", "去年累计", "累计同比")}
    rows = {r[col["指标"]].value: [c.value for c in r] for r in summary.iter_rows(min_row=4) if r[col["指标"]].value}
    in_workbook = [label for label in EXPECTED if label in rows]
    assert {"应投保项目数", "未投保项目数", "保单即将到期", "已登记计取基数项目数", "核定不属于安全费用的支出"} <= set(in_workbook)
    for label in in_workbook:
        current, last_year, change = EXPECTED[label]
        row = rows[label]
        assert (row[col["本期"]], row[col["去年同期"]], row[col["同比"]]) == (current, last_year, change), label
        assert (row[col["去年累计"]], row[col["累计同比"]]) == (last_year, change), label
    doc = Document(str(result.docx))
    table_rows = {cells[0]: cells for t in doc.tables for cells in ([c.text for c in r.cells] for r in t.rows)}
    for label, (current, last_year, change) in EXPECTED.items():
        unit = "份" if label.endswith("保单") or label == "保单即将到期" else ("笔" if label.endswith("支出") or
                                                                         label == "存疑支出待核查" else "个")
        assert table_rows[label][:6] == [label, unit, str(current), str(current), str(last_year), change], label
