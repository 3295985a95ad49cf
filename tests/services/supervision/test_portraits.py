"""Supervisor portraits: every figure equals a count taken straight from the tables (naive Python over rows)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from station_app.errors import PermissionDenied, ValidationError
from station_app.models import (
    Inspection,
    InspectionCheckItem,
    InspectionFinding,
    InspectionInspector,
    SupervisionAssignment,
)
from station_app.services import auth
from station_app.services.inspections.forms import CheckItemData, FindingData
from station_app.services.inspections.records import create_inspection
from station_app.services.supervision.portraits import supervisor_portraits
from tests.conftest import PASSWORD, Station
from tests.services.inspections.inspection_fixtures import Site, form, make_site

START, END = date(2026, 1, 1), date(2026, 3, 31)
MAJOR = FindingData("塔吊未办理使用登记即投入使用", level="重大", criterion_code="2024-8-1")


def _ordinary(n: int) -> tuple[FindingData, ...]:
    return tuple(FindingData(f"临边防护缺失{i}", category="高处作业") for i in range(n))


def _items(n: int) -> tuple[CheckItemData, ...]:
    return tuple(CheckItemData("JGJ59", code=f"B.1-{i}") for i in range(1, n + 1))


@pytest.fixture
def scene(station: Station) -> tuple[Site, int]:
    site = make_site(station)
    st = station
    with st.db.write() as s:
        third = auth.create_user(s, st.admin, "sup3", "钱监督", "监督员", PASSWORD).id
        sup1, sup2 = st.supervisor.user_id, st.supervisor2.user_id
        s.add_all([
            SupervisionAssignment(project_id=site.project, user_id=sup1, role="主监督员",
                                  effective_from=date(2025, 1, 1)),
            SupervisionAssignment(project_id=site.project_b, user_id=sup1, role="第二监督员",
                                  effective_from=date(2026, 1, 1), effective_to=date(2026, 2, 1)),
            SupervisionAssignment(project_id=site.project_b, user_id=sup2, role="主监督员",
                                  effective_from=date(2026, 2, 1)),
            SupervisionAssignment(project_id=site.completed, user_id=third, role="主监督员",
                                  effective_from=date(2024, 1, 1), effective_to=date(2025, 6, 1)),
        ])
    chief = st.chief.user_id
    assert sup1 and sup2 and chief
    rows = [
        form(site, inspected_at=datetime(2025, 12, 1, 9), inspector_ids=(sup1, sup2), findings=_ordinary(4)),
        form(site, inspected_at=datetime(2026, 1, 5, 9), inspector_ids=(sup1, sup2), check_items=_items(3),
             findings=(*_ordinary(1), MAJOR)),
        form(site, inspected_at=datetime(2026, 2, 5, 21), inspector_ids=(sup1, third), kind="夜查",
             check_items=_items(5), findings=_ordinary(1)),
        form(site, project_id=site.project_b, inspected_at=datetime(2026, 2, 20, 10), inspector_ids=(sup2, third)),
        form(site, inspected_at=datetime(2026, 3, 1, 10), inspector_ids=(chief, third), findings=(MAJOR,)),
        form(site, project_id=site.project_b, inspected_at=datetime(2026, 4, 10, 10), inspector_ids=(chief, sup1),
             findings=(MAJOR,)),
    ]
    with st.db.write() as s:
        for data in rows:
            create_inspection(s, st.clerk, data)
    return site, third


def _naive(station: Station) -> dict[int, dict[str, int]]:
    """The same figures from plain rows, counted in Python."""
    lo, hi = datetime(2026, 1, 1), datetime(2026, 4, 1)
    with station.db.read() as s:
        insp = {i.id: i for i in s.scalars(select(Inspection))}
        people: dict[int, set[int]] = {}
        for link in s.scalars(select(InspectionInspector)):
            people.setdefault(link.inspection_id, set()).add(link.user_id)
        findings = list(s.scalars(select(InspectionFinding)))
        items = list(s.scalars(select(InspectionCheckItem)))
        assigns = list(s.scalars(select(SupervisionAssignment)))
    out: dict[int, dict[str, int]] = {}
    users = {u for us in people.values() for u in us} | {a.user_id for a in assigns}
    for u in users:
        mine = [i for i in insp.values() if u in people[i.id] and lo <= i.inspected_at < hi]
        projects = {i.project_id for i in mine}
        assigned = {a.project_id for a in assigns if a.user_id == u and a.effective_from <= END
                    and (a.effective_to is None or a.effective_to > START)}
        later = 0
        for p in projects:
            last = max(i.inspected_at for i in mine if i.project_id == p)
            if any(i.project_id == p and i.inspected_at > last and u not in people[i.id]
                   and any(f.inspection_id == i.id and f.level == "重大" for f in findings) for i in insp.values()):
                later += 1
        ids = {i.id for i in mine}
        out[u] = {
            "inspections": len(mine), "projects_covered": len(projects), "assigned_projects": len(assigned),
            "assigned_covered": len(projects & assigned),
            "check_items": sum(1 for x in items if x.inspection_id in ids),
            "findings": sum(1 for f in findings if f.inspection_id in ids),
            "major_findings": sum(1 for f in findings if f.inspection_id in ids and f.level == "重大"),
            "later_major_projects": later,
        }
    return out


def test_portraits_match_the_tables(scene: tuple[Site, int]) -> None:
    site, third = scene
    st = site.station
    with st.db.read() as s:
        report = supervisor_portraits(s, st.chief, START, END)
    expected = _naive(st)
    got = {r.user_id: r for r in report.rows}
    assert set(got) >= set(expected) - {u for u, e in expected.items() if not any(e.values())}
    for uid, figures in expected.items():
        row = got[uid]
        assert {k: getattr(row, k) for k in figures} == figures, row.name
        assert row.documents_issued == 0
    sup1 = got[st.supervisor.user_id or 0]
    assert (sup1.inspections, sup1.projects_covered, sup1.assigned_projects, sup1.assigned_covered) == (2, 1, 2, 1)
    assert (sup1.findings, sup1.major_findings, sup1.later_major_projects) == (3, 1, 1)
    assert str(sup1.coverage_rate) == "0.5000" and str(sup1.items_per_inspection) == "4.0"
    sup2 = got[st.supervisor2.user_id or 0]
    assert sup2.later_major_projects == 2 and str(sup2.later_major_share) == "1.0000"
    assert got[third].later_major_projects == 1  # project_b, found on 04-10 by others; not project (own 03-01)
    assert any("文书" in n for n in report.notes)


def test_portrait_permissions_and_period(scene: tuple[Site, int]) -> None:
    site, _ = scene
    st = site.station
    with st.db.read() as s:
        own = supervisor_portraits(s, st.supervisor, START, END, user_ids=[st.supervisor.user_id or 0])
        assert [r.name for r in own.rows] == ["张监督"]
        with pytest.raises(PermissionDenied):
            supervisor_portraits(s, st.supervisor, START, END)
        with pytest.raises(PermissionDenied):
            supervisor_portraits(s, st.clerk, START, END)
        with pytest.raises(ValidationError, match="结束日期"):
            supervisor_portraits(s, st.chief, END, START)
