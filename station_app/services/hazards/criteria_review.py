"""判定条款待复核: records a correction of the 重大事故隐患判定标准 could not re-map on its own.

Migration 0011 re-mapped the hazards and findings judged under the first (copied) 2024 rows by their
wording; what found no clear match kept its code and got a row in ``criterion_remap_reviews``. The chief
opens the list, picks the right item of the record's edition and confirms: the record takes that item
and its heading as category, so does the finding or hazard linked to it, one audit row each, and the
review row records who chose which item. A record re-judged meanwhile (its code no longer the old one)
or deleted drops off the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import CompoundSelect, and_, func, literal, select, union_all
from sqlalchemy.orm import Session

from station_app import clock
from station_app.db.base import now
from station_app.errors import NotFound, ValidationError
from station_app.formatting import chinese_date
from station_app.models import CriterionRemapReview, Hazard, Inspection, InspectionFinding, Project
from station_app.models.hazard import HazardAction
from station_app.rules import hazards as hazard_rules
from station_app.rules.errors import RuleInputError
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.hazards.records import add_event

PERMISSION = "hazard.criterion_review"
KIND_LABELS = {"hazard": "隐患", "finding": "检查发现的问题"}


@dataclass(frozen=True)
class PendingReview:
    id: int
    kind: str  # "hazard" | "finding"
    record_id: int
    #: the hazard's ledger number, or the inspection's day and the finding's place in it
    record_ref: str
    project_name: str
    found_on: date
    description: str
    edition: str
    old_code: str
    #: the item's wording when the record was judged
    old_text: str
    suggested_code: str | None
    reason: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def old_code_now(self) -> str:
        """What the old code names in the current reference data (another item, or nothing)."""
        return _label_and_text(self.old_code) or "（现行判定标准中已无此条款）"

    @property
    def suggested_label(self) -> str:
        return _label_and_text(self.suggested_code) if self.suggested_code else ""


def _label_and_text(code: str | None) -> str:
    try:
        c = hazard_rules.criterion(code or "")
    except RuleInputError:
        return ""
    return f"{c.label}　{c.text}"


def _open_rows() -> CompoundSelect:
    """Unreviewed rows whose record still exists and still carries the old code."""
    r = CriterionRemapReview
    hazards = (
        select(r.id, r.record_kind, r.record_id, r.old_code, r.old_text, r.suggested_code, r.reason,
               Hazard.code.label("ref"), Project.name, Hazard.found_on, Hazard.description,
               func.coalesce(Hazard.criterion_edition, "").label("edition"))
        .join(Hazard, and_(r.record_kind == "hazard", Hazard.id == r.record_id, Hazard.criterion_code == r.old_code))
        .join(Project, Project.id == Hazard.project_id)
        .where(r.reviewed_at.is_(None)))
    findings = (
        select(r.id, r.record_kind, r.record_id, r.old_code, r.old_text, r.suggested_code, r.reason,
               literal("").label("ref"), Project.name, func.date(Inspection.inspected_at).label("found_on"),
               InspectionFinding.description, func.coalesce(InspectionFinding.criterion_edition, "").label("edition"))
        .join(InspectionFinding, and_(r.record_kind == "finding", InspectionFinding.id == r.record_id,
                                      InspectionFinding.criterion_code == r.old_code))
        .join(Inspection, Inspection.id == InspectionFinding.inspection_id)
        .join(Project, Project.id == Inspection.project_id)
        .where(r.reviewed_at.is_(None)))
    return union_all(hazards, findings)


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(_open_rows().subquery())) or 0


def pending_hazard_ids(session: Session, hazard_ids: list[int]) -> set[int]:
    """Those of ``hazard_ids`` whose criterion is waiting for the chief (the national export holds them)."""
    if not hazard_ids:
        return set()
    r = CriterionRemapReview
    return set(session.scalars(
        select(r.record_id).join(Hazard, and_(Hazard.id == r.record_id, Hazard.criterion_code == r.old_code))
        .where(r.record_kind == "hazard", r.reviewed_at.is_(None), r.record_id.in_(hazard_ids))))


def list_pending(session: Session) -> list[PendingReview]:
    """The records waiting for the chief, oldest found first."""
    rows = session.execute(_open_rows()).all()
    out = []
    for rid, kind, record_id, old_code, old_text, suggested, reason, ref, project, found, desc, edition in rows:
        found_on = found if isinstance(found, date) else date.fromisoformat(str(found)[:10])
        if kind == "finding":
            ref = f"{chinese_date(found_on)}检查"
        out.append(PendingReview(rid, kind, record_id, ref, project, found_on, desc, edition or "2024", old_code,
                                 old_text, suggested, reason))
    return sorted(out, key=lambda p: (p.found_on, p.kind, p.record_id))


def choices(item: PendingReview) -> list[hazard_rules.Criterion]:
    """The items the chief can pick: those of the record's edition, the suggestion first."""
    found = hazard_rules.criteria(item.edition)
    return sorted(found, key=lambda c: c.code != item.suggested_code)


def _retag(session: Session, actor: Actor, record: Hazard | InspectionFinding, crit: hazard_rules.Criterion,
           old_code: str) -> None:
    """Give one record the chosen item (and its heading as category), with its audit row."""
    before = {"criterion_code": record.criterion_code, "category": record.category}
    record.criterion_code, record.category = crit.code, crit.category
    after = {"criterion_code": crit.code, "category": crit.category}
    change = f"判定依据由原{old_code}（待复核）改为{crit.label}"
    session.flush()
    if isinstance(record, Hazard):
        add_event(session, actor, record, HazardAction.EDITED, on_date=clock.today(), from_state=record.state,
                  to_state=record.state, comment=f"复核判定条款：{change}")
        audit.record(session, actor, "update", "hazard", record.id, before=before, after=after,
                     summary=f"复核判定条款：隐患 {record.code} {change}")
    else:
        audit.record(session, actor, "update", "inspection", record.inspection_id,
                     before={"finding_id": record.id, **before}, after={"finding_id": record.id, **after},
                     summary=f"复核判定条款：检查发现的问题（编号{record.id}）{change}")
    for review in session.scalars(select(CriterionRemapReview).where(
            CriterionRemapReview.record_kind == ("hazard" if isinstance(record, Hazard) else "finding"),
            CriterionRemapReview.record_id == record.id, CriterionRemapReview.old_code == old_code,
            CriterionRemapReview.reviewed_at.is_(None))):
        review.chosen_code, review.reviewed_by, review.reviewed_at = crit.code, actor.user_id, now()


def confirm(session: Session, actor: Actor, review_id: int, code: str | None) -> None:
    """The chief's choice for one listed record; its linked hazard or finding follows when it had the
    same old code."""
    require(actor, PERMISSION)
    review = session.get(CriterionRemapReview, review_id)
    if review is None:
        raise NotFound("待复核记录不存在。")
    if review.reviewed_at is not None:
        raise ValidationError({"判定依据": "该记录已复核，请刷新列表。"})
    record: Hazard | InspectionFinding | None = (
        session.get(Hazard, review.record_id) if review.record_kind == "hazard"
        else session.get(InspectionFinding, review.record_id))
    if record is None:
        raise NotFound("该记录已删除，请刷新列表。")
    if record.criterion_code != review.old_code:
        raise ValidationError({"判定依据": "该记录的判定依据已另行修改，无需复核，请刷新列表。"})
    if not code:
        raise ValidationError({"判定依据": "请选择判定标准条款"})
    try:
        crit = hazard_rules.criterion(code)
    except RuleInputError:
        raise ValidationError({"判定依据": f"“{code}”不是重大事故隐患判定标准的条款"}) from None
    edition = record.criterion_edition or crit.edition
    if crit.edition != edition:
        raise ValidationError({"判定依据": f"该记录按{edition}版判定标准认定，请选择{edition}版的条款"})
    linked: list[Hazard | InspectionFinding] = []
    if isinstance(record, Hazard) and record.finding_id is not None:
        finding = session.get(InspectionFinding, record.finding_id)
        linked += [finding] if finding is not None else []
    elif isinstance(record, InspectionFinding):
        linked += session.scalars(select(Hazard).where(Hazard.finding_id == record.id)).all()
    _retag(session, actor, record, crit, review.old_code)
    for other in linked:
        if other.criterion_code == review.old_code:
            _retag(session, actor, other, crit, review.old_code)
