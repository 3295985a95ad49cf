"""暂定 deadlines end to end, on SQLite and PostgreSQL: on 2026-12-08 (no 2027 holiday data yet) every
computed date that reaches 2027 is stored and shown provisional; once a 2027 arrangement is entered,
``recompute_provisional`` moves each one to its exact date in the same transaction, with audit rows.

The 2027 arrangement here is INVENTED for the test (1–4 and 7–8 January off, Saturday 9 January
worked) so that every date visibly moves; it is not the State Council's real 2027 arrangement."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import func, select

from station_app.errors import PermissionDenied
from station_app.exports.excel_list import export_list_xlsx
from station_app.models import AuditEntry, CaseDocument, Hazard, IssuedDocument
from station_app.models.inspection import InspectionFinding
from station_app.models.penalty_case import CaseClock, PenaltyCase
from station_app.rules import calendar
from station_app.services import reference
from station_app.services.deadline_refresh import provisional_count, recompute_provisional
from station_app.services.hazards.ledger import HAZARD_LIST
from station_app.services.hazards.records import get_hazard
from station_app.services.inspections.forms import FindingData
from station_app.services.inspections.records import create_inspection
from station_app.services.listing import ListQuery
from station_app.services.monthly.signoff import report_deadline
from station_app.services.penalties import stages as st
from tests.conftest import Station
from tests.services.hazards.hazard_fixtures import (
    HazardSite,
    hazard_input,
    major_input,
    make_hazard_site,
    register,
)
from tests.services.inspections.inspection_fixtures import form
from tests.services.penalties.case_fixtures import CaseSite, make_case_site, new_case, penalty, step

TODAY = datetime(2026, 12, 8, 10, 0)
#: invented for the test: New Year 1–4 January, a second break 7–8 January, Saturday 9 January worked
INVENTED_2027 = {"key": "2027", "year": 2027,
                 "holidays": ["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04", "2027-01-07", "2027-01-08"],
                 "workdays": ["2027-01-09"], "source": "测试用虚构安排（非国务院实际安排）", "confidence": "M",
                 "effective_from": None, "effective_to": None, "note": ""}


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cs(station: Station, frozen: time_machine.Coordinates) -> CaseSite:
    assert 2027 not in calendar.known_years()  # the premise: nothing ships 2027 yet
    return make_case_site(station)


@pytest.fixture
def hs(cs: CaseSite, tmp_path: Path) -> HazardSite:
    return make_hazard_site(cs.site, tmp_path)


def _audits(st_: Station, like: str) -> int:
    with st_.db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.summary.like(f"%{like}%"))) or 0


def test_provisional_everywhere_then_recomputed(cs: CaseSite, hs: HazardSite, frozen: time_machine.Coordinates,
                                                tmp_path: Path) -> None:
    station = hs.station
    # a major hazard found today: 30 days → Thu 2027-01-07, weekends-only (2027 unknown)
    major = register(hs, major_input(hs, found_on=date(2026, 12, 8)))
    assert (major.deadline, major.deadline_provisional) == (date(2027, 1, 7), True)
    assert major.deadline_info.text == "2027年1月7日（暂定）"
    assert "2027年法定节假日安排尚未录入" in major.deadline_info.reason
    # an ordinary one found on 1 December: 7 days → Tue 2026-12-08, exact
    ordinary = register(hs, hazard_input(hs, found_on=date(2026, 12, 1)))
    assert (ordinary.deadline, ordinary.deadline_provisional) == (date(2026, 12, 8), False)
    assert ordinary.deadline_info.reason == ""
    # a date the clerk typed into 2027 is his, exact
    typed = register(hs, hazard_input(hs, found_on=date(2026, 12, 8), deadline=date(2027, 1, 20)))
    assert typed.deadline_provisional is False
    # the ledger's Excel export carries the mark in its 期限说明 column
    with station.db.read() as s:
        export_list_xlsx(s, HAZARD_LIST, ListQuery(), tmp_path / "台账.xlsx")
    sheet = load_workbook(tmp_path / "台账.xlsx").active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    mark, code = rows[0].index("期限说明"), rows[0].index("编号")
    assert {r[code]: r[mark] for r in rows[1:]} == {major.code: "暂定", ordinary.code: None, typed.code: None}

    # an inspection today with a major finding: the finding and its hazard carry 暂定
    with station.db.write() as s:
        insp = create_inspection(s, station.supervisor, form(hs.site, inspected_at=TODAY, findings=(FindingData(
            "1号楼基坑土方超挖且未采取有效措施", level="重大", criterion_code="2024-5-2"),)))
    with station.db.read() as s:
        finding = s.scalars(select(InspectionFinding).where(InspectionFinding.inspection_id == insp.id)).one()
        assert (finding.deadline, finding.deadline_provisional) == (date(2027, 1, 7), True)
        from_finding = s.scalars(select(Hazard).where(Hazard.finding_id == finding.id)).one()
        assert from_finding.deadline_provisional

    # the December report is due on 3 January (a Sunday) → Monday 4 January, provisional
    with station.db.read() as s:
        due = report_deadline(s, date(2027, 1, 2))
    assert (due.due, due.provisional, due.due_text) == (date(2027, 1, 4), True, "2027年1月4日（暂定）")

    # a penalty case: 告知 served on 28 December, 陈述申辩 5 working days into 2027 — 暂定, not refused
    frozen.move_to(datetime(2026, 12, 28, 10, 0))
    case_id = new_case(cs, date(2026, 12, 1))
    step(cs, case_id, st.FILING, date(2026, 12, 2), chief=True)  # 办案期限 90 days → 2027-03-02, 暂定
    step(cs, case_id, st.INVESTIGATION, date(2026, 12, 3))
    penalty(cs, case_id, 10_000)
    step(cs, case_id, st.REVIEW, date(2026, 12, 7))
    step(cs, case_id, st.NOTICE, date(2026, 12, 28))
    with station.db.read() as s:
        clocks = {c.step: c for c in s.scalars(select(CaseClock).where(CaseClock.case_id == case_id))}
        assert (clocks["statement_defense"].deadline, clocks["statement_defense"].provisional) == \
            (date(2027, 1, 4), True)  # 29, 30, 31 Dec, Fri 1 Jan, Mon 4 Jan
        assert (clocks["decision"].deadline, clocks["decision"].provisional) == (date(2027, 3, 2), True)
        notice = s.scalars(select(IssuedDocument).join(CaseDocument, CaseDocument.document_id == IssuedDocument.id)
                           .where(CaseDocument.case_id == case_id,
                                  IssuedDocument.doc_type == "行政处罚事先告知书")).one()
        assert (notice.deadline, notice.deadline_provisional) == (date(2027, 1, 4), True)
        assert "2027年1月4日（暂定）" in notice.context_json
        assert provisional_count(s) == provisional_count(s, 2027) == 6  # 2 hazards, finding, 2 clocks, 告知书
        assert provisional_count(s, 2028) == 0

    # only an admin recomputes
    with pytest.raises(PermissionDenied), station.db.write() as s:
        recompute_provisional(s, station.clerk, 2027)

    # the admin enters the (invented) 2027 arrangement; the same transaction recomputes
    with station.db.write() as s:
        reference.add_row(s, station.admin, "calendar_years", INVENTED_2027)
        moved = recompute_provisional(s, station.admin, 2027)
    assert 2027 not in calendar.known_years()  # the rules saw the year only inside the recomputation
    reference.load_into_rules(station.db)
    assert calendar.calendar_source(2027) == "admin"

    by_record = {(m.kind, m.record_id): (m.old_day, m.new_day, m.still_provisional) for m in moved}
    # 7 and 8 January off: the last day moves to Saturday 9 January, worked in the invented arrangement
    assert by_record[("hazard", major.id)] == (date(2027, 1, 7), date(2027, 1, 9), False)
    assert by_record[("hazard", from_finding.id)] == (date(2027, 1, 7), date(2027, 1, 9), False)
    assert by_record[("finding", finding.id)] == (date(2027, 1, 7), date(2027, 1, 9), False)
    # 29, 30, 31 December, then 1–4 January off: 5 and 6 January
    assert by_record[("case_clock", clocks["statement_defense"].id)] == (date(2027, 1, 4), date(2027, 1, 6), False)
    assert by_record[("case_clock", clocks["decision"].id)] == (date(2027, 3, 2), date(2027, 3, 2), False)
    assert by_record[("document", notice.id)] == (date(2027, 1, 4), date(2027, 1, 6), False)
    assert len(moved) == 6
    assert any(m.record == f"隐患 {major.code} 整改期限" for m in moved)
    assert _audits(station, "节假日安排录入后重算") == 6
    assert _audits(station, f"重算隐患 {major.code} 整改期限：2027年1月7日（暂定） → 2027年1月9日") == 1

    with station.db.read() as s:
        assert provisional_count(s) == 0
        h = get_hazard(s, major.id)
        assert (h.deadline, h.first_deadline, h.deadline_info.text) == (date(2027, 1, 9), date(2027, 1, 9),
                                                                         "2027年1月9日")
        assert get_hazard(s, typed.id).deadline == date(2027, 1, 20)  # the clerk's date is left alone
        case = s.get(PenaltyCase, case_id)
        assert case is not None and case.case_deadline == date(2027, 3, 2)
        due = report_deadline(s, date(2027, 1, 2))
    assert (due.due, due.provisional) == (date(2027, 1, 5), False)  # 3 Jan Sun, 4 Jan off → Tue 5 Jan

    # a second recomputation finds nothing left to do
    with station.db.write() as s:
        assert recompute_provisional(s, station.admin, 2027) == []

