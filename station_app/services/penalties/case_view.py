"""A penalty case read back for the case page: plain dataclasses, clocks counted to ``today``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.models import CaseDocument, CaseEvidence, IssuedDocument, Project
from station_app.rules.errors import RuleInputError
from station_app.rules.penalties import penalty_range
from station_app.services.penalties import stages as st
from station_app.services.penalties.cases import CaseInput, load_case
from station_app.services.penalties.clocks import ClockView, view
from station_app.services.penalties.fines import Money, money, range_text
from station_app.services.penalties.flow import expected_next


@dataclass(frozen=True)
class StageRow:
    stage: str
    on_date: date
    actor_name: str
    note: str


@dataclass(frozen=True)
class ReviewRow:
    id: int
    person_name: str
    post: str
    outcome: str
    reason: str
    decided_on: date | None


@dataclass(frozen=True)
class DocumentRow:
    document_id: int
    doc_type: str
    number: str
    stage: str
    status: str


@dataclass(frozen=True)
class EvidenceRow:
    blob_id: int
    kind: str
    name: str
    caption: str


@dataclass(frozen=True)
class CaseView:
    id: int
    version: int
    code: str
    stage: str
    stage_on: date
    next_stage: str | None
    basics: CaseInput
    project_name: str
    violation_code: str | None
    violation_text: str
    range_text: str
    proposed_fine_fen: int | None
    other_measures: str
    factors: str
    factor_note: str
    in_range: bool
    range_approval: str
    hearing_eligible: bool
    hearing_requested: bool
    case_deadline: date | None
    extension: str
    decided_fine_fen: int | None
    money: Money
    reminded_on: date | None
    enforcement_applied_on: date | None
    archive_no: str
    zero_penalty: bool
    stages: tuple[StageRow, ...]
    clocks: tuple[ClockView, ...]
    reviews: tuple[ReviewRow, ...]
    documents: tuple[DocumentRow, ...]
    evidence: tuple[EvidenceRow, ...]

    @property
    def overdue(self) -> tuple[ClockView, ...]:
        return tuple(c for c in self.clocks if c.overdue and c.done_on is None)

    @property
    def pending_reviews(self) -> int:
        return sum(1 for r in self.reviews if not r.outcome)


def get_case(session: Session, case_id: int, today: date | None = None) -> CaseView:
    today = today or clock.today()
    case = load_case(session, case_id)
    project = session.get(Project, case.project_id) if case.project_id else None
    violation_text = rng = ""
    if case.violation_code:
        try:
            spec = penalty_range(case.violation_code)
            violation_text = f"{spec.source}：{spec.description}"
            rng = range_text(spec, case.base_amount_fen)
        except RuleInputError:
            violation_text = f"{case.violation_code}（目录中已无此条目）"
    basics = CaseInput(**{k: getattr(case, k) for k in CaseInput.__dataclass_fields__ if k not in ("id", "version")},
                       id=case.id, version=case.version)
    docs = session.execute(
        select(CaseDocument.document_id, CaseDocument.doc_type, CaseDocument.doc_number, CaseDocument.stage,
               IssuedDocument.status)
        .join(IssuedDocument, IssuedDocument.id == CaseDocument.document_id)
        .where(CaseDocument.case_id == case.id).order_by(CaseDocument.id)).all()
    evidence = session.scalars(select(CaseEvidence).where(CaseEvidence.case_id == case.id)
                               .order_by(CaseEvidence.id)).all()
    approval = ""
    if not case.in_range:
        approval = f"超出法定幅度，经{case.range_approved_by_name}批准：{case.range_approval_reason}"
    return CaseView(
        id=case.id, version=case.version, code=case.code, stage=case.stage, stage_on=case.stage_on,
        next_stage=expected_next(case) if case.stage in st.STAGE_KEYS else None, basics=basics,
        project_name=project.name if project else "", violation_code=case.violation_code,
        violation_text=violation_text, range_text=rng, proposed_fine_fen=case.proposed_fine_fen,
        other_measures=case.other_measures, factors=case.factors, factor_note=case.factor_note,
        in_range=case.in_range, range_approval=approval, hearing_eligible=case.hearing_eligible,
        hearing_requested=case.hearing_requested, case_deadline=case.case_deadline,
        extension=f"经{case.extended_by_name}批准延长：{case.extension_reason}" if case.extended_by_name else "",
        decided_fine_fen=case.decided_fine_fen, money=money(case, today), reminded_on=case.reminded_on,
        enforcement_applied_on=case.enforcement_applied_on, archive_no=case.archive_no,
        zero_penalty=case.zero_penalty_flag,
        stages=tuple(StageRow(r.stage, r.on_date, r.actor_name, r.note) for r in case.stages),
        clocks=tuple(view(c, today) for c in sorted(case.clocks, key=lambda c: (c.start, c.id or 0))),
        reviews=tuple(ReviewRow(r.id, r.person_name, r.post, r.outcome, r.reason, r.decided_on)
                      for r in case.reviews),
        documents=tuple(DocumentRow(*d) for d in docs),
        evidence=tuple(EvidenceRow(e.blob_id, e.kind, e.original_name, e.caption) for e in evidence),
    )
