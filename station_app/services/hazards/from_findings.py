"""Inspection findings → the hazard ledger. Every finding of a saved inspection is one hazard (1:1 by
``finding_id``, source 监督检查, found on the inspection day by its inspectors).

Editing rule (the decision, and why):

* While the hazard is still **待整改** it is only a registration: it follows its finding on every save
  (content, deadline, project, date); a finding removed from the form removes its hazard.
* Once it has **moved on** (整改中 and later, or 撤销) the finding is the record the contractor was told
  to rectify and the review judged against. Its content is then frozen: a save that changes such a
  finding's description, category, level, criterion, location, requirement or deadline, removes it,
  or moves the inspection to another project or day is refused with a message naming the finding and
  the hazard. Everything else on the inspection (conclusion, presence, check items, photos) stays
  editable. Deadlines of a moving hazard change by 延长整改期限 in the ledger instead.
* Deleting an inspection is refused while any of its hazards is in the loop (整改中 … 已销号); pending
  ones go with it; cancelled (撤销) ones stay in the ledger, unlinked. The same holds for removing
  one finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.errors import ValidationError
from station_app.models import Hazard, Inspection, InspectionFinding, Project
from station_app.models.hazard import HazardAction, HazardSource, HazardState
from station_app.services import audit
from station_app.services.context import Actor
from station_app.services.hazards.records import (
    HazardInput,
    ProjectSnapshot,
    add_event,
    apply_content,
    check_content,
    create_hazard,
    project_snapshot,
    refresh_search_key,
    snapshot_assignment,
)
from station_app.services.inspections.forms import FindingData, InspectionData
from station_app.services.validation import Checker

#: finding fields a hazard follows (and that freeze once the hazard moved on)
FROZEN_FIELDS = ("description", "category", "level", "criterion_code", "location", "requirement", "deadline")
_PENDING = HazardState.PENDING.value
_CANCELLED = HazardState.CANCELLED.value


@dataclass(frozen=True)
class FindingHazard:
    """The hazard a finding became (what the inspection form's 查看隐患 names)."""

    id: int
    code: str
    state: str


def hazard_of_finding(session: Session, finding_id: int) -> FindingHazard | None:
    row = session.execute(select(Hazard.id, Hazard.code, Hazard.state).where(Hazard.finding_id == finding_id)).first()
    return FindingHazard(*row) if row is not None else None


def _hazards_of(session: Session, inspection_id: int) -> dict[int | None, Hazard]:
    return {h.finding_id: h for h in session.scalars(select(Hazard).where(Hazard.inspection_id == inspection_id))}


def _moved(h: Hazard) -> str:
    return f"已转入隐患台账（{h.code}，状态“{h.state}”）"


def before_inspection_save(session: Session, actor: Actor, insp: Inspection, data: InspectionData) -> None:
    """Refuse changes to findings whose hazard moved on; drop the pending hazards of removed findings.

    ``data`` is the validated form (findings normalised, default deadlines filled).
    """
    hazards = _hazards_of(session, insp.id)
    if not hazards:
        return
    rows: dict[int | None, InspectionFinding] = {f.id: f for f in insp.findings}
    form: dict[int, tuple[int, FindingData]] = {f.id: (i, f) for i, f in enumerate(data.findings, 1)
                                                if f.id is not None}
    c = Checker()
    moved = [h for h in hazards.values() if h.state != _PENDING]
    if moved and (data.project_id != insp.project_id or data.inspected_at.date() != insp.inspected_at.date()):
        what = "工程项目" if data.project_id != insp.project_id else "检查时间"
        c.add(what, f"本次检查发现的隐患{moved[0].code}已进入“{moved[0].state}”，不能再改动{what}")
    for fid, h in hazards.items():
        if h.state == _PENDING:
            continue
        if fid not in form:
            if h.state == _CANCELLED:
                continue  # the cancelled hazard stays in the ledger as it was, unlinked
            row = rows.get(fid)
            desc = f"“{row.description[:20]}”" if row is not None else ""
            c.add(f"问题{desc}", f"{_moved(h)}，不能删除")
            continue
        seq, f = form[fid]
        row = rows.get(fid)
        if row is not None and any(getattr(f, name) != getattr(row, name) for name in FROZEN_FIELDS):
            c.add(f"问题第{seq}条", f"{_moved(h)}，其内容不能再修改；如需延期请在隐患台账中办理延长整改期限")
    c.check()
    for fid, h in hazards.items():
        if h.state == _PENDING and fid not in form:
            audit.record(session, actor, "delete", "hazard", h.id, summary=f"随监督检查记录删除问题，删除隐患 {h.code}")
            session.delete(h)
    session.flush()


def _input(insp: Inspection, f: InspectionFinding) -> HazardInput:
    return HazardInput(
        project_id=insp.project_id, description=f.description, found_on=insp.inspected_at.date(),
        category=f.category, level=f.level, source=HazardSource.INSPECTION.value,
        criterion_code=f.criterion_code, location=f.location, requirement=f.requirement, deadline=f.deadline,
        found_by_names=insp.inspector_names, found_by_id=insp.inspectors[0].user_id if insp.inspectors else None)


def after_inspection_save(session: Session, actor: Actor, insp: Inspection) -> None:
    """Create the hazards of new findings; bring pending ones up to date with their finding."""
    hazards = _hazards_of(session, insp.id)
    snapshot: ProjectSnapshot | None = None
    for seq, f in enumerate(insp.findings, 1):
        h = hazards.get(f.id)
        data = _input(insp, f)
        if h is None:
            if snapshot is None:
                project = session.get(Project, insp.project_id)
                assert project is not None
                snapshot = project_snapshot(session, project, data.found_on)
            create_hazard(session, actor, data, inspection_id=insp.id, finding_id=f.id, snapshot=snapshot)
            continue
        if h.state != _PENDING:
            continue
        c = Checker()
        data = check_content(c, data, label=f"问题第{seq}条")
        c.check()
        before = {k: getattr(h, k) for k in (*FROZEN_FIELDS, "project_id", "found_on", "found_by_names")}
        with session.no_autoflush:  # one UPDATE, one version step
            apply_content(h, data)
            h.first_deadline = h.deadline
            if h.project_id != insp.project_id:
                h.project_id = insp.project_id
                project = session.get(Project, insp.project_id)
                assert project is not None
                snapshot_assignment(session, h, project)
                h.responsible_enterprise_id = h.contractor_id
            after = {k: getattr(h, k) for k in before}
            if before != after:
                refresh_search_key(session, h)
        if before != after:
            session.flush()
            add_event(session, actor, h, HazardAction.EDITED, on_date=clock.today(), from_state=h.state,
                      to_state=h.state, comment="随监督检查记录修改")
            audit.record(session, actor, "update", "hazard", h.id, before=before, after=after,
                         summary=f"随监督检查记录修改隐患 {h.code}")


def before_inspection_delete(session: Session, actor: Actor, insp: Inspection) -> None:
    """Refuse while a hazard of the inspection moved on; delete the pending ones."""
    hazards = list(_hazards_of(session, insp.id).values())
    moved = [h for h in hazards if h.state not in (_PENDING, _CANCELLED)]
    if moved:
        codes = "、".join(h.code for h in moved[:5]) + ("等" if len(moved) > 5 else "")
        raise ValidationError({"": f"本次检查发现的隐患{codes}已进入整改流程（{moved[0].state}），"
                                   "不能删除该监督检查记录；如系误录，请站长先在隐患台账中撤销这些隐患"})
    for h in hazards:
        if h.state == _CANCELLED:
            continue  # stays in the ledger (its links become empty)
        audit.record(session, actor, "delete", "hazard", h.id, summary=f"随监督检查记录删除隐患 {h.code}")
        session.delete(h)
    session.flush()
