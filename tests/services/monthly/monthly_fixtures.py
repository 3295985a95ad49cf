"""A small constructed county for the monthly-report tests: projects at every stage around October 2026,
inspections, hazards, documents and cases with known dates (rows inserted directly, as a ledger would hold them).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from station_app.models import (
    Grid,
    Hazard,
    HazardListing,
    Inspection,
    InspectionInspector,
    IssuedDocument,
    Project,
    SupervisionAssignment,
)
from station_app.models.penalty_case import PenaltyCase
from tests.conftest import Station

OCT = "2026-10"


def _project(s: Session, name: str, status: str, created: date, *, grid: int | None, updated: date | None = None,
             start: date | None = None, finish: date | None = None, area: str = "1000", cost: int = 10_000_000) -> int:
    p = Project(name=name, project_type="房屋建筑工程", status=status, grid_id=grid, building_area=Decimal(area),
                contract_cost_fen=cost, actual_start=start, actual_finish=finish,
                created_at=datetime.combine(created, datetime.min.time()),
                updated_at=datetime.combine(updated or created, datetime.min.time()))
    s.add(p)
    s.flush()
    return p.id


def _inspection(s: Session, project: int, at: datetime, grid: int | None, users: list[tuple[int, str]]) -> int:
    i = Inspection(inspected_at=at, project_id=project, grid_id=grid, kind="日常巡查",
                   inspector_names="、".join(n for _, n in users))
    s.add(i)
    s.flush()
    for seq, (uid, name) in enumerate(users):
        s.add(InspectionInspector(inspection_id=i.id, user_id=uid, seq=seq, name=name))
    return i.id


def _hazard(s: Session, code: str, project: int, found: date, *, level: str = "一般", state: str = "待整改",
            closed: date | None = None, grid: int | None = None, supervisor: int | None = None) -> int:
    h = Hazard(code=code, project_id=project, found_on=found, category="脚手架", description=f"隐患{code}", level=level,
               deadline=found, first_deadline=found, state=state, closed_on=closed, grid_id=grid,
               supervisor_id=supervisor, search_key="")
    s.add(h)
    s.flush()
    return h.id


def _doc(s: Session, doc_type: str, serial: int, issued: date, project: int, status: str = "已签发") -> None:
    body = f"{doc_type}{serial}".encode()
    s.add(IssuedDocument(doc_type=doc_type, number=f"东建安监〔{issued.year}〕第{serial:03d}号-{doc_type}",
                         year=issued.year, serial=serial, status=status, project_id=project, signer_name="李站长",
                         issue_date=issued, content=body, sha256=hashlib.sha256(body).hexdigest(), size=len(body),
                         file_name="x.docx", context_json="{}", template_sha256="0" * 64))


def build(station: Station) -> dict[str, int]:
    """The county; returns ids by name."""
    sup1, sup2 = station.supervisor, station.supervisor2
    ids: dict[str, int] = {}
    with station.db.write() as s:
        g1, g2 = Grid(name="城区网格"), Grid(name="开发区网格")
        s.add_all([g1, g2])
        s.flush()
        ids["g1"], ids["g2"] = g1.id, g2.id
        ids["p1"] = _project(s, "城东花园1#楼", "在建", date(2025, 3, 1), grid=g1.id, start=date(2025, 4, 1),
                             area="12000.50", cost=150_000_000_00)
        ids["p2"] = _project(s, "开发区厂房", "在建", date(2026, 9, 20), grid=g2.id, start=date(2026, 10, 5),
                             area="8000", cost=60_000_000_00)
        ids["p3"] = _project(s, "人民医院门诊楼", "已竣工", date(2024, 1, 1), grid=g1.id, start=date(2024, 2, 1),
                             finish=date(2026, 10, 15), area="20000", cost=300_000_000_00)
        ids["p4"] = _project(s, "老城改造", "已竣工", date(2024, 5, 1), grid=g1.id, start=date(2024, 6, 1),
                             finish=date(2026, 8, 1))
        ids["p5"] = _project(s, "滨河学校", "停工", date(2025, 5, 1), grid=None, start=date(2025, 6, 1),
                             updated=date(2026, 10, 10), area="5000")
        ids["p6"] = _project(s, "体育馆", "终止监督", date(2025, 1, 1), grid=g2.id, updated=date(2026, 6, 1))
        ids["p7"] = _project(s, "安置房三期", "未开工", date(2026, 10, 20), grid=g2.id)
        ids["p8"] = _project(s, "新建商场", "在建", date(2026, 11, 5), grid=g1.id, start=date(2026, 11, 6))
        ids["p9"] = _project(s, "去年小区", "在建", date(2025, 9, 1), grid=g1.id, start=date(2025, 10, 3))
        for pid in (ids["p1"], ids["p2"], ids["p9"]):
            s.add(SupervisionAssignment(project_id=pid, user_id=sup1.user_id, role="主监督员",
                                        effective_from=date(2025, 1, 1)))
        a, b = (sup1.user_id, sup1.full_name), (sup2.user_id, sup2.full_name)
        _inspection(s, ids["p1"], datetime(2026, 10, 8, 9), g1.id, [a, b])
        _inspection(s, ids["p1"], datetime(2026, 10, 28, 14), g1.id, [a, b])
        _inspection(s, ids["p2"], datetime(2026, 10, 12, 10), g2.id, [a])
        _inspection(s, ids["p5"], datetime(2026, 10, 31, 16), None, [b])
        _inspection(s, ids["p4"], datetime(2026, 10, 2, 9), g1.id, [a, b])  # after completion: outside supervision
        _inspection(s, ids["p1"], datetime(2025, 10, 9, 9), g1.id, [a, b])
        _inspection(s, ids["p1"], datetime(2026, 11, 1, 0), g1.id, [a])  # November: not October
        _inspection(s, ids["p1"], datetime(2026, 9, 30, 23, 59), g1.id, [a])  # September
        ids["h1"] = _hazard(s, "YH1", ids["p1"], date(2026, 10, 8), state="已销号", closed=date(2026, 10, 20),
                            grid=g1.id, supervisor=sup1.user_id)
        ids["h2"] = _hazard(s, "YH2", ids["p2"], date(2026, 10, 12), level="重大", grid=g2.id, supervisor=sup1.user_id)
        _hazard(s, "YH3", ids["p1"], date(2026, 10, 8), state="已撤销", grid=g1.id)
        _hazard(s, "YH4", ids["p3"], date(2023, 5, 1), grid=g1.id)  # 存量, still open
        _hazard(s, "YH5", ids["p1"], date(2026, 9, 1), level="重大", state="已销号", closed=date(2026, 10, 3), grid=g1.id)
        _hazard(s, "YH6", ids["p1"], date(2025, 10, 9), grid=g1.id, state="已销号", closed=date(2025, 10, 30))
        _hazard(s, "YH7", ids["p1"], date(2026, 10, 30), grid=g1.id, state="已销号", closed=date(2026, 11, 2))
        s.add(HazardListing(hazard_id=ids["h2"], level="县级", listed_on=date(2026, 10, 15), responsible_unit="县住建局",
                            required_by=date(2026, 11, 30)))
        _doc(s, "安全隐患整改通知书", 1, date(2026, 10, 8), ids["p1"])
        _doc(s, "停工整改通知书", 1, date(2026, 10, 12), ids["p2"])
        _doc(s, "复工通知书", 1, date(2026, 10, 25), ids["p2"])
        _doc(s, "安全隐患整改通知书", 2, date(2026, 10, 9), ids["p2"], status="已作废")
        _doc(s, "安全生产约谈记录", 1, date(2025, 10, 20), ids["p1"])
        s.add(PenaltyCase(code="AJ2026-001", stage="结案", stage_on=date(2026, 10, 30), cause="未按方案搭设脚手架",
                          source="监督检查", project_id=ids["p1"], party_kind="单位", party_name="某建设集团",
                          clue_on=date(2026, 8, 1), filed_on=date(2026, 8, 5), decided_on=date(2026, 10, 10),
                          decided_fine_fen=5_000_000, paid_fen=5_000_000, last_paid_on=date(2026, 10, 20),
                          closed_on=date(2026, 10, 30)))
        s.add(PenaltyCase(code="AJ2026-002", stage="调查取证", stage_on=date(2026, 10, 18), cause="特种作业人员无证",
                          source="监督检查", project_id=ids["p2"], party_kind="单位", party_name="某劳务公司",
                          clue_on=date(2026, 10, 16), filed_on=date(2026, 10, 18)))
    return ids
