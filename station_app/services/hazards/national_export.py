"""The major hazards of a period in the field order of the national 房屋市政工程重大事故隐患数据库, and the
pre-check that names every record missing a required field before the clerk re-keys them.

The period is on ``found_on`` (inclusive); 已撤销 records are left out. Dates stay ``date`` objects
(the workbook writes them as ISO 8601 dates). 检查单位 is the station, except 企业自查 (the responsible
enterprise) and 上级督查 (the station's 主管部门).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from station_app.errors import ValidationError
from station_app.models import Enterprise, Hazard, HazardListing, Project, Station, User
from station_app.models.hazard import HazardLevel, HazardSource, HazardState
from station_app.rules import hazards as hazard_rules
from station_app.rules.errors import RuleInputError
from station_app.services.hazards import criteria_review
from station_app.services.hazards.figures import COUNTED_VALUES


@dataclass(frozen=True)
class NationalRow:
    seq: int
    found_on: date
    inspecting_unit: str
    inspectors: str
    project_name: str
    project_address: str
    description: str
    category: str
    criterion: str
    requirement: str
    deadline: date | None
    responsible_unit: str
    responsible_person: str
    rectified_on: date | None
    close_status: str
    listing: str
    supervisor: str
    code: str
    hazard_id: int
    closed: bool
    #: the criterion is on the 判定条款待复核 list (its code may name another item now)
    criterion_pending: bool = False


#: (attribute, column header) in the national database's order, then ours
COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "序号"), ("found_on", "检查时间"), ("inspecting_unit", "检查单位"), ("inspectors", "检查人"),
    ("project_name", "工程名称"), ("project_address", "工程地点"), ("description", "隐患描述"),
    ("category", "隐患类别"), ("criterion", "判定依据"), ("requirement", "整改要求"), ("deadline", "整改期限"),
    ("responsible_unit", "整改责任单位"), ("responsible_person", "整改责任人"), ("rectified_on", "整改完成日期"),
    ("close_status", "销号情况"), ("listing", "挂牌督办"), ("supervisor", "监督员"), ("code", "隐患编号"),
)
_HEADER = dict(COLUMNS)
#: fields the national database requires (整改完成日期 only once the hazard is 已销号)
REQUIRED = ("found_on", "inspecting_unit", "inspectors", "project_name", "project_address", "description",
            "category", "criterion", "requirement", "deadline", "responsible_unit", "responsible_person")
assert {f.name for f in fields(NationalRow)} >= {a for a, _ in COLUMNS}


@dataclass(frozen=True)
class Problem:
    seq: int
    code: str
    hazard_id: int
    field: str  # the column header
    message: str

    @property
    def text(self) -> str:
        return f"第{self.seq}行（{self.code}）{self.field}：{self.message}"


def _criterion_label(code: str | None) -> str:
    if not code:
        return ""
    try:
        return hazard_rules.criterion(code).label
    except RuleInputError:
        return ""


def national_rows(session: Session, date_from: date, date_to: date) -> list[NationalRow]:
    """Major hazards found in the period, oldest first, as the national database's rows."""
    if date_from > date_to:
        raise ValidationError({"导出期间": "开始日期不能晚于结束日期"})
    station = session.scalars(select(Station)).first()
    station_name = station.name if station else ""
    superior = station.bureau if station else ""
    finder, sup = aliased(User), aliased(User)
    resp = aliased(Enterprise)
    rows = session.execute(
        select(Hazard, Project.name, Project.address, resp.name, finder.full_name, sup.full_name)
        .join(Project, Project.id == Hazard.project_id)
        .outerjoin(resp, resp.id == Hazard.responsible_enterprise_id)
        .outerjoin(finder, finder.id == Hazard.found_by_id)
        .outerjoin(sup, sup.id == Hazard.supervisor_id)
        .where(Hazard.level == HazardLevel.MAJOR.value, Hazard.found_on >= date_from, Hazard.found_on <= date_to,
               Hazard.state.in_(COUNTED_VALUES))
        .order_by(Hazard.found_on, Hazard.id)).all()
    ids = [r[0].id for r in rows]
    pending = criteria_review.pending_hazard_ids(session, ids)
    listings: dict[int, list[str]] = defaultdict(list)
    if ids:
        for x in session.scalars(select(HazardListing).where(HazardListing.hazard_id.in_(ids))
                                 .order_by(HazardListing.id)):
            text = f"{x.level}（{x.listed_on.isoformat()}挂牌"
            text += f"，{x.lifted_on.isoformat()}摘牌）" if x.lifted_on else "）"
            listings[x.hazard_id].append(text)
    out = []
    for seq, (h, pname, paddr, rname, fname, sname) in enumerate(rows, 1):
        if h.source == HazardSource.SELF_CHECK.value:
            unit = rname or ""
        elif h.source == HazardSource.OVERSIGHT.value:
            unit = superior
        else:
            unit = station_name
        closed = h.state == HazardState.CLOSED.value
        status = f"已销号（{h.closed_on.isoformat()}）" if closed and h.closed_on else (
            "已销号" if closed else f"未销号（{h.state}）")
        out.append(NationalRow(
            seq, h.found_on, unit, h.found_by_names or fname or "", pname or "", paddr or "", h.description or "",
            h.category or "", "" if h.id in pending else _criterion_label(h.criterion_code), h.requirement or "",
            h.deadline, rname or "", h.responsible_person_name or "", h.rectified_on, status,
            "；".join(listings.get(h.id, [])), sname or "", h.code, h.id, closed, h.id in pending))
    return out


def precheck(rows: list[NationalRow]) -> list[Problem]:
    """Every missing required field, by row and field (the clerk fixes them in the ledger first)."""
    problems = []
    for r in rows:
        for attr in REQUIRED:
            value = getattr(r, attr)
            if value is None or (isinstance(value, str) and not value.strip()):
                message = "未填写"
                if attr == "criterion":
                    message = "判定条款待复核：请站长在“隐患台账 → 判定条款待复核”中确认" if r.criterion_pending \
                        else "重大事故隐患须注明判定标准条款"
                problems.append(Problem(r.seq, r.code, r.hazard_id, _HEADER[attr], message))
        if r.closed and r.rectified_on is None:
            problems.append(Problem(r.seq, r.code, r.hazard_id, _HEADER["rectified_on"], "已销号但未记录整改完成日期"))
    return problems
