"""安全生产费用 checks: one project's figures with the records behind each claim, and station counts.

:func:`project_fees` answers the fee page: required vs paid vs used, the 50 % check for the 建设单位
and for each 专业分包 (with the payments counted and those too late), usage by category, a monthly
series (paid, used, accrued by progress) and the flagged entries. :func:`fee_summary` gives the
counts for the home page (the monthly report's, on several days at once: ``safety_fee_history``).
Definitions (start date, deadline, 形象进度, 使用偏低) are in :mod:`station_app.services.safety_fees.tables`,
whose SQL both use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.formatting import chinese_date
from station_app.models import Enterprise, Project, ProjectParty
from station_app.models.enums import PartyRole, ProjectStatus
from station_app.models.safety_fee import (
    ReviewState,
    SafetyFeeBasis,
    SafetyFeePayment,
    SafetyFeeSubcontract,
    SafetyFeeUsage,
)
from station_app.rules import safety_fee_usage as fee_rules
from station_app.rules.calendar import add_months
from station_app.services.listing import ListQuery
from station_app.services.safety_fees.ledger import UsageInfo, category_labels, usage_info
from station_app.services.safety_fees.records import basis_of, get_project
from station_app.services.safety_fees.tables import overview_list, progress_expr


@dataclass(frozen=True)
class PaymentInfo:
    id: int
    subcontract_id: int | None
    paid_on: date
    amount_fen: int
    voucher_no: str
    note: str
    file_name: str
    version: int
    #: paid on or before the first-share deadline (counts toward the 50 %)
    in_time: bool = False


@dataclass(frozen=True)
class FirstPaymentCheck:
    """The 第十八条 check of one payee: who, from when, how much was due and paid, and the verdict."""

    payee: str
    start: date | None
    start_source: str
    due: date | None
    required_fen: int
    first_due_fen: int
    paid_by_due_fen: int
    paid_fen: int
    payments: tuple[PaymentInfo, ...]
    as_of: date

    @property
    def shortfall_fen(self) -> int:
        return max(0, self.first_due_fen - self.paid_by_due_fen)

    @property
    def late(self) -> bool:
        return self.due is not None and self.due < self.as_of and self.shortfall_fen > 0

    @property
    def verdict(self) -> str:
        if self.start is None:
            return "无开工日期，无法核查"
        if self.shortfall_fen == 0:
            return "首期已按时足额支付"
        if self.late:
            return f"首期支付不足：期限{chinese_date(self.due)}前应付不少于{self.first_due_fen / 100:,.2f}元，" \
                   f"仅付{self.paid_by_due_fen / 100:,.2f}元"
        return f"首期支付期限{chinese_date(self.due)}未到，尚差{self.shortfall_fen / 100:,.2f}元"


@dataclass(frozen=True)
class SubcontractInfo:
    id: int
    enterprise_id: int
    enterprise_name: str
    scope: str
    fee_fen: int
    start_date: date
    version: int
    check: FirstPaymentCheck


@dataclass(frozen=True)
class CategoryTotal:
    key: str
    label: str
    count: int
    amount_fen: int


@dataclass(frozen=True)
class MonthRow:
    month: date  # first day of the month
    paid_fen: int
    used_fen: int
    paid_cum_fen: int
    used_cum_fen: int
    accrued_fen: int | None


@dataclass
class ProjectFees:
    project_id: int
    project_name: str
    as_of: date
    has_basis: bool = False
    basis_id: int | None = None
    basis_version: int | None = None
    cost_fen: int = 0
    contract_date: date | None = None
    fee_project_type: str = ""
    rate: Decimal | None = None
    regulation: str = ""
    rule_key: str = ""
    required_fen: int = 0
    start_date: date | None = None
    note: str = ""
    owner: FirstPaymentCheck | None = None
    subcontracts: list[SubcontractInfo] = field(default_factory=list)
    used_fen: int = 0
    rejected_fen: int = 0
    progress: int | None = None
    accrued_fen: int | None = None
    underuse: bool = False
    categories: list[CategoryTotal] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)
    flagged: list[UsageInfo] = field(default_factory=list)

    @property
    def paid_fen(self) -> int:
        return self.owner.paid_fen if self.owner else 0

    @property
    def pending_count(self) -> int:
        return sum(1 for u in self.flagged if u.review_state == ReviewState.PENDING.value)


def _start_of(project: Project, explicit: date | None) -> tuple[date | None, str]:
    if explicit is not None:
        return explicit, "费用登记中录入的开工日期"
    if project.actual_start is not None:
        return project.actual_start, "项目实际开工日期"
    if project.permit_date is not None and project.status != ProjectStatus.NOT_STARTED.value:
        return project.permit_date, "施工许可日期（未填实际开工日期）"
    return None, ""


def _check(payee: str, start: date | None, source: str, required: int, first_due: int,
           payments: list[PaymentInfo], as_of: date) -> FirstPaymentCheck:
    due = fee_rules.first_payment_due(start) if start else None
    marked = tuple(PaymentInfo(**{**p.__dict__, "in_time": due is not None and p.paid_on <= due}) for p in payments)
    return FirstPaymentCheck(payee, start, source, due, required, first_due,
                             sum(p.amount_fen for p in marked if p.in_time), sum(p.amount_fen for p in marked),
                             marked, as_of)


def _payments(session: Session, project_id: int) -> list[PaymentInfo]:
    rows = session.scalars(select(SafetyFeePayment).where(SafetyFeePayment.project_id == project_id)
                           .order_by(SafetyFeePayment.paid_on, SafetyFeePayment.id))
    return [PaymentInfo(p.id, p.subcontract_id, p.paid_on, p.amount_fen, p.voucher_no, p.note, p.file_name,
                        p.version) for p in rows]


def _month(d: date) -> date:
    return d.replace(day=1)


def project_fees(session: Session, project_id: int, as_of: date | None = None) -> ProjectFees:
    as_of = as_of or clock.today()
    project = get_project(session, project_id)
    out = ProjectFees(project.id, project.name, as_of)
    basis = basis_of(session, project.id)
    payments = _payments(session, project.id)
    if basis is not None:
        out.has_basis, out.basis_id, out.basis_version = True, basis.id, basis.version
        out.cost_fen, out.contract_date, out.fee_project_type = basis.cost_fen, basis.contract_date, \
            basis.fee_project_type
        out.rate, out.regulation, out.rule_key = basis.rate, basis.regulation, basis.rule_key
        out.required_fen, out.start_date, out.note = basis.required_fen, basis.start_date, basis.note
        start, source = _start_of(project, basis.start_date)
        out.owner = _check("建设单位→施工总承包", start, source, basis.required_fen, basis.first_due_fen,
                           [p for p in payments if p.subcontract_id is None], as_of)
    subs = session.execute(select(SafetyFeeSubcontract, Enterprise.name)
                           .join(Enterprise, Enterprise.id == SafetyFeeSubcontract.enterprise_id)
                           .where(SafetyFeeSubcontract.project_id == project.id).order_by(SafetyFeeSubcontract.id))
    for sub, name in subs:
        check = _check(f"施工总承包→{name}", sub.start_date, "分包开工日期", sub.fee_fen, sub.first_due_fen,
                       [p for p in payments if p.subcontract_id == sub.id], as_of)
        out.subcontracts.append(SubcontractInfo(sub.id, sub.enterprise_id, name, sub.scope, sub.fee_fen,
                                                sub.start_date, sub.version, check))
    not_rejected = SafetyFeeUsage.review_state != ReviewState.REJECTED.value
    labels = category_labels()
    by_cat = session.execute(select(SafetyFeeUsage.category, func.count(), func.sum(SafetyFeeUsage.amount_fen))
                             .where(SafetyFeeUsage.project_id == project.id, not_rejected)
                             .group_by(SafetyFeeUsage.category).order_by(SafetyFeeUsage.category))
    out.categories = [CategoryTotal(k, labels.get(k, k), n, int(s or 0)) for k, n, s in by_cat]
    out.categories.sort(key=lambda c: (list(labels).index(c.key) if c.key in labels else 99, c.key))
    out.used_fen = sum(c.amount_fen for c in out.categories)
    out.rejected_fen = int(session.scalar(select(func.coalesce(func.sum(SafetyFeeUsage.amount_fen), 0)).where(
        SafetyFeeUsage.project_id == project.id, SafetyFeeUsage.review_state == ReviewState.REJECTED.value)) or 0)
    out.progress = session.scalar(select(progress_expr(as_of)).where(Project.id == project.id))
    if basis is not None and out.progress is not None:
        out.accrued_fen = basis.required_fen * int(out.progress) // 100
        ratio = fee_rules.underuse_ratio()
        out.underuse = out.progress >= 10 and Decimal(out.used_fen) < Decimal(out.accrued_fen) * ratio
    flagged = session.scalars(select(SafetyFeeUsage).where(SafetyFeeUsage.project_id == project.id,
                                                           SafetyFeeUsage.flagged.is_(True))
                              .order_by(SafetyFeeUsage.used_on, SafetyFeeUsage.id))
    out.flagged = [usage_info(u) for u in flagged]
    out.months = _months(session, project, out, payments, as_of)
    return out


def _progress_on(project: Project, day: date) -> int | None:
    start = project.actual_start or project.permit_date or project.planned_start
    if project.actual_finish is not None and day >= project.actual_finish:
        return 100
    if start is None or project.planned_finish is None or project.planned_finish <= start:
        return None
    span = (project.planned_finish - start).days
    return max(0, min(100, (day - start).days * 100 // span))


def _months(session: Session, project: Project, out: ProjectFees, payments: list[PaymentInfo],
            as_of: date) -> list[MonthRow]:
    """Month by month from the contract (or first record) to ``as_of``: paid, used, cumulative, accrued."""
    used_by_month: dict[date, int] = {}
    rows = session.execute(select(SafetyFeeUsage.used_on, SafetyFeeUsage.amount_fen).where(
        SafetyFeeUsage.project_id == project.id, SafetyFeeUsage.review_state != ReviewState.REJECTED.value))
    for day, amount in rows:
        used_by_month[_month(day)] = used_by_month.get(_month(day), 0) + amount
    paid_by_month: dict[date, int] = {}
    for p in payments:
        if p.subcontract_id is None:
            paid_by_month[_month(p.paid_on)] = paid_by_month.get(_month(p.paid_on), 0) + p.amount_fen
    firsts = [d for d in (out.contract_date, *used_by_month, *paid_by_month) if d is not None]
    if not firsts:
        return []
    month, last = _month(min(firsts)), _month(as_of)
    result: list[MonthRow] = []
    paid_cum = used_cum = 0
    while month <= last and len(result) < 240:
        paid, used = paid_by_month.get(month, 0), used_by_month.get(month, 0)
        paid_cum += paid
        used_cum += used
        month_end = min(add_months(month, 1), as_of)
        pct = out.progress if month == last else _progress_on(project, month_end)
        accrued = out.required_fen * pct // 100 if out.has_basis and pct is not None else None
        result.append(MonthRow(month, paid, used, paid_cum, used_cum, accrued))
        month = add_months(month, 1)
    return result


# --------------------------------------------------------------------------- station counts


@dataclass(frozen=True)
class FeeSummary:
    """Station-wide 安全生产费用 counts on ``as_of`` (home page; the monthly report via ``fee_summaries``).

    * ``projects_with_basis`` — projects with a registered fee basis;
    * ``missing_basis`` — projects 在建/停工 without one;
    * ``first_payment_late`` — projects whose 建设单位 had not paid the first share (50 %) by the
      deadline (start + 1 month) — the 费用支付不足 count;
    * ``subcontract_late`` — projects with at least one 专业分包 not paid its first share in time;
    * ``underuse`` — projects using far less than accrued for their progress;
    * ``flagged_pending`` / ``flagged_pending_projects`` — usage entries awaiting review, and their projects;
    * ``flagged_total`` — all entries ever flagged; ``rejected`` — entries marked 不予认可.
    """

    as_of: date
    projects_with_basis: int
    missing_basis: int
    first_payment_late: int
    subcontract_late: int
    underuse: int
    flagged_pending: int
    flagged_pending_projects: int
    flagged_total: int
    rejected: int

    @property
    def shortfalls(self) -> int:
        return self.first_payment_late


def fee_summary(session: Session, as_of: date | None = None) -> FeeSummary:
    """Counts of fee problems on ``as_of`` (default today), by the same SQL as the overview lists: today's
    records judged on the day. The monthly report's counts on past days come from
    ``safety_fee_history.fee_summaries`` (same fields, reconstructed from registration and review dates)."""
    as_of = as_of or clock.today()
    spec = overview_list(as_of)

    def n(problem: str, **filters: object) -> int:
        return spec.count(session, ListQuery(filters={"problem": problem, **filters}))

    with_basis = session.scalar(select(func.count(SafetyFeeBasis.id))) or 0
    flagged = dict(session.execute(select(SafetyFeeUsage.review_state, func.count())
                                   .where(SafetyFeeUsage.flagged.is_(True)).group_by(SafetyFeeUsage.review_state)).all())
    pending_projects = session.scalar(select(func.count(func.distinct(SafetyFeeUsage.project_id)))
                                      .where(SafetyFeeUsage.review_state == ReviewState.PENDING.value)) or 0
    return FeeSummary(
        as_of=as_of,
        projects_with_basis=with_basis,
        missing_basis=n("no_basis", status=(ProjectStatus.UNDER_CONSTRUCTION.value, ProjectStatus.SUSPENDED.value)),
        first_payment_late=n("late"),
        subcontract_late=n("sub_late"),
        underuse=n("underuse"),
        flagged_pending=int(flagged.get(ReviewState.PENDING.value, 0)),
        flagged_pending_projects=pending_projects,
        flagged_total=int(sum(flagged.values())),
        rejected=int(flagged.get(ReviewState.REJECTED.value, 0)),
    )


def general_contractor_name(session: Session, project_id: int) -> str:
    return session.scalar(select(Enterprise.name).join(ProjectParty, ProjectParty.enterprise_id == Enterprise.id)
                          .where(ProjectParty.project_id == project_id,
                                 ProjectParty.role == PartyRole.GENERAL_CONTRACTOR.value).limit(1)) or ""
