"""A case's clue from an inspection (pre-filled form data) and the 行政处罚 page's header figures — on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from station_app import clock
from station_app.db.database import Database
from station_app.errors import NotFound
from station_app.services.inspections.forms import FindingData
from station_app.services.inspections.records import create_inspection
from station_app.services.listing import ListQuery
from station_app.services.penalties import stages as st
from station_app.services.penalties.cases import CaseInput, create_case
from station_app.services.penalties.fines import record_payment
from station_app.services.penalties.sources import MAX_FACT_ROWS, case_prefill_from_inspection
from station_app.services.penalties.stats import case_stats
from station_app.services.penalties.table import CASE_LIST
from tests.conftest import make_station
from tests.services.inspections.inspection_fixtures import form
from tests.services.penalties.case_fixtures import CaseSite, make_case_site, new_case, penalty, step


@pytest.fixture
def cs(db: Database) -> CaseSite:
    return make_case_site(make_station(db))


def _inspection(cs: CaseSite, findings: tuple[FindingData, ...], project: int | None = None) -> int:
    st_ = cs.station
    with st_.db.write() as s:
        saved = create_inspection(s, st_.supervisor, form(cs.site, findings=findings,
                                                          project_id=project or cs.site.project))
    assert saved.id is not None
    return saved.id


def test_prefill_from_an_inspection_names_the_contractor_and_lists_the_findings(cs: CaseSite) -> None:
    many = tuple(FindingData(f"第{i}处临边防护缺失", category="高处作业", location=f"{i}号楼")
                 for i in range(1, MAX_FACT_ROWS + 3))
    insp = _inspection(cs, many)
    with cs.station.db.read() as s:
        pre = case_prefill_from_inspection(s, insp)
    assert (pre["project_id"], pre["enterprise_id"], pre["inspection_id"]) == (cs.site.project, cs.contractor_id, insp)
    assert pre["enterprise_name"] == "江苏东海建工集团有限公司" and pre["clue_on"] == date(2026, 3, 10)
    lines = pre["facts"].splitlines()
    assert lines[1] == "1. 第1处临边防护缺失（1号楼）" and lines[-1] == f"……等共{MAX_FACT_ROWS + 2}项问题"
    assert len(lines) == MAX_FACT_ROWS + 2
    assert pre["cause"] == "第1处临边防护缺失等安全生产违法行为"
    # the prefill is accepted by the service as it stands (the party's USCC comes from the registry)
    with cs.station.db.write() as s:
        case_id = create_case(s, cs.station.clerk, CaseInput(
            cause=pre["cause"], clue_on=pre["clue_on"], enterprise_id=pre["enterprise_id"],
            project_id=pre["project_id"], inspection_id=pre["inspection_id"], facts=pre["facts"]))
    assert case_id


def test_prefill_without_findings_or_contractor(cs: CaseSite) -> None:
    insp = _inspection(cs, (), project=cs.site.project_b)  # 开发区标准厂房 has no parties
    with cs.station.db.read() as s:
        pre = case_prefill_from_inspection(s, insp)
        assert "enterprise_id" not in pre and pre["facts"].endswith("发现以下问题。")
        assert pre["cause"] == "安全生产违法行为"
        with pytest.raises(NotFound):
            case_prefill_from_inspection(s, insp + 1000)


def test_statistics_count_this_years_cases_and_fines_without_surcharge(cs: CaseSite) -> None:
    a = new_case(cs, date(2026, 9, 21))
    step(cs, a, st.FILING, date(2026, 9, 28), chief=True)
    step(cs, a, st.INVESTIGATION, date(2026, 10, 9))
    penalty(cs, a, 20_000)
    for target, on, chief in ((st.REVIEW, date(2026, 10, 12), False), (st.NOTICE, date(2026, 10, 13), False),
                              (st.DECISION, date(2026, 10, 21), True), (st.SERVICE, date(2026, 10, 22), False),
                              (st.EXECUTION, date(2026, 10, 23), False)):
        step(cs, a, target, on, chief=chief)
    with cs.station.db.write() as s:  # 10 days late: 20,000 + 6,000 加处罚款, all paid
        record_payment(s, cs.station.clerk, a, date(2026, 11, 16), 26_000_00)
    b = new_case(cs, date(2025, 12, 1), cause="去年的线索")
    step(cs, b, st.FILING, date(2025, 12, 5), chief=True)
    new_case(cs, date(2026, 11, 2), cause="新线索")
    with cs.station.db.read() as s:
        now = case_stats(s, 2026)
        last = case_stats(s, 2025)
    assert (now.active, now.filed, now.closed) == (3, 1, 0)
    assert (now.decided_fen, now.collected_fen) == (20_000_00, 20_000_00)  # 加处罚款 is not counted as 罚款
    assert now.text() == "办理中 3 件　2026年立案 1 件　结案 0 件　罚款决定 2.00 万元　已收缴 2.00 万元"
    assert (last.filed, last.decided_fen) == (1, 0)


@pytest.mark.clock
def test_list_shows_blank_instead_of_zero_overdue(cs: CaseSite) -> None:
    fresh = new_case(cs, clock.today())
    old = new_case(cs, date(2025, 12, 1), cause="另一线索")
    keys = [c.key for c in CASE_LIST.columns]
    with cs.station.db.read() as s:
        page = CASE_LIST.page(s, ListQuery(sort_key="overdue", descending=True))
    assert [r[0] for r in page] == [old, fresh]  # sorting by the column still works (blank last)
    rows = {r[0]: dict(zip(keys, r[1:], strict=True)) for r in page}
    assert rows[fresh]["overdue"] is None and rows[old]["overdue"] == 1
    assert rows[fresh]["reviews"] is None
