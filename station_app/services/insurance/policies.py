"""安责险 policies: enter, change, surrender and replace a project's policy; its files.

Rules enforced here (each refusal a Chinese message naming the field, nothing half-saved):

* amounts are non-negative integers of fen; the end is not before the start; 记名 needs a head count;
* a per-person death/disability limit below the legal minimum on the start date
  (``rules.insurance.min_death_disability_cover``) is saved only with the reason typed, and flagged;
* a policy overlapping another of the same project and insured party raises :class:`OverlappingPolicy`;
  saved again with ``replace=True`` the older one ends the day before the new one starts
  (``replaced_by_id`` set) — never a silent duplicate.

Visits and claims: ``services/insurance/records.py``; the checks: ``services/insurance/checks.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.errors import DuplicateRecord, NotFound, StaleRecord, StationError, ValidationError
from station_app.formatting import chinese_date
from station_app.models import Enterprise, InsurancePolicy, Project
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.insurance.sql import STATUSES, VALID, minimum_on
from station_app.services.search import build_search_key
from station_app.services.validation import Checker, clean

NAMED, UNNAMED = "记名", "不记名不计人数"
HEADCOUNT_MODES = (UNNAMED, NAMED)
UNTIL_COMPLETION_TEXT = "至竣工验收备案"

_FIELDS = ("project_id", "insured_id", "insurer", "insurer_branch", "policy_no", "start_date", "end_date",
           "until_completion", "premium_fen", "premium_base_fen", "rate_permille", "death_limit_fen",
           "medical_limit_fen", "third_party_limit_fen", "aggregate_limit_fen", "headcount_mode", "headcount",
           "status", "status_date", "status_reason", "below_minimum_reason", "note")
_MONEY = (("premium_fen", "保费"), ("premium_base_fen", "计费基数（合同造价）"), ("death_limit_fen", "每人死亡伤残限额"),
          ("medical_limit_fen", "每人医疗限额"), ("third_party_limit_fen", "第三者责任限额"),
          ("aggregate_limit_fen", "累计限额"))


@dataclass(frozen=True)
class PolicyData:
    project_id: int | None
    insured_id: int | None
    insurer: str
    policy_no: str
    start_date: date | None
    death_limit_fen: int | None
    insurer_branch: str = ""
    end_date: date | None = None
    until_completion: bool = False
    premium_fen: int | None = None
    premium_base_fen: int | None = None
    rate_permille: Decimal | None = None
    medical_limit_fen: int | None = None
    third_party_limit_fen: int | None = None
    aggregate_limit_fen: int | None = None
    headcount_mode: str = UNNAMED
    headcount: int | None = None
    status: str = VALID
    status_date: date | None = None
    status_reason: str = ""
    below_minimum_reason: str = ""
    note: str = ""
    # filled on the way out
    id: int | None = None
    version: int | None = None
    project_name: str = ""
    insured_name: str = ""
    insured_uscc: str = ""
    min_limit_fen: int | None = None
    min_limit_rule: str = ""
    replaced_by_id: int | None = None
    #: the last day of cover (the filing date for 至竣工验收备案, the 退保/注销 day); None = open
    effective_end: date | None = None

    @property
    def below_minimum(self) -> bool:
        return (self.min_limit_fen is not None and self.death_limit_fen is not None
                and self.death_limit_fen < self.min_limit_fen)

    @property
    def end_text(self) -> str:
        if self.until_completion:
            return UNTIL_COMPLETION_TEXT + (f"（{chinese_date(self.effective_end)}）" if self.effective_end else "")
        return chinese_date(self.end_date)


@dataclass(frozen=True)
class PolicyBrief:
    id: int
    policy_no: str
    insurer: str
    start_date: date
    effective_end: date | None

    @property
    def period(self) -> str:
        end = chinese_date(self.effective_end) if self.effective_end else UNTIL_COMPLETION_TEXT
        return f"{chinese_date(self.start_date)} 至 {end}"


class OverlappingPolicy(StationError):
    """The policy's period overlaps others of the same project and insured party; save with
    ``replace=True`` to end them the day before this one starts."""

    def __init__(self, overlaps: list[PolicyBrief]) -> None:
        self.overlaps = overlaps
        names = "、".join(f"{p.insurer} {p.policy_no}（{p.period}）" for p in overlaps)
        super().__init__(f"保险期间：与同一项目、同一投保单位已登记的保单 {names} 重叠。"
                         "如为续保或替换，请确认以新保单替换（原保单止期改为新保单起期前一日）。")


# --------------------------------------------------------------------------- helpers


def effective_end_of(p: InsurancePolicy, filing: date | None) -> date | None:
    end = filing if p.until_completion else p.end_date
    if p.status != VALID and p.status_date is not None and (end is None or p.status_date < end):
        return p.status_date
    return end


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate(session: Session, d: PolicyData) -> tuple[PolicyData, Project | None]:
    d = replace(d, insurer=clean(d.insurer), insurer_branch=clean(d.insurer_branch),
                policy_no=clean(d.policy_no), status_reason=clean(d.status_reason),
                below_minimum_reason=clean(d.below_minimum_reason), note=clean(d.note))
    c = Checker()
    project = session.get(Project, d.project_id) if d.project_id is not None else None
    if c.required("项目", d.project_id) and project is None:
        c.add("项目", "所选项目不存在")
    if c.required("投保单位", d.insured_id) and session.get(Enterprise, d.insured_id) is None:
        c.add("投保单位", "所选企业不存在")
    c.required("保险机构", d.insurer)
    c.max_len("保险机构", d.insurer, 100)
    c.max_len("承保分支机构", d.insurer_branch, 100)
    c.required("保单号", d.policy_no)
    c.max_len("保单号", d.policy_no, 60)
    c.required("保险起期", d.start_date)
    if d.until_completion:
        if d.end_date is not None:
            c.add("保险止期", "已选“至竣工验收备案”，不应再填写具体止期")
    elif c.required("保险止期", d.end_date):
        c.date_order("保险起期", d.start_date, "保险止期", d.end_date)
    c.required("每人死亡伤残限额", d.death_limit_fen)
    for attr, label in _MONEY:
        value = getattr(d, attr)
        if value is not None and not _is_int(value):
            c.add(label, f"“{value}”不是有效金额")
        elif value is not None and value < 0:
            c.add(label, "不能为负数")
    if d.rate_permille is not None:
        if not isinstance(d.rate_permille, Decimal) or not d.rate_permille.is_finite():
            c.add("费率（‰）", f"“{d.rate_permille}”不是有效数字")
        elif not Decimal(0) <= d.rate_permille < Decimal(1000):
            c.add("费率（‰）", "应在0到1000‰之间")
    c.one_of("计人方式", d.headcount_mode, HEADCOUNT_MODES)
    if d.headcount_mode == NAMED:
        if d.headcount is None or not _is_int(d.headcount) or d.headcount <= 0:
            c.add("投保人数", "记名投保须填写大于0的人数")
    elif d.headcount is not None:
        c.add("投保人数", "不记名不计人数的保单不填人数")
    c.one_of("保单状态", d.status, STATUSES)
    if d.status != VALID:
        if c.required("退保/注销日期", d.status_date):
            c.date_order("保险起期", d.start_date, "退保/注销日期", d.status_date)
        c.required("退保/注销原因", d.status_reason)
    elif d.status_date is not None:
        c.add("退保/注销日期", "有效保单不填退保/注销日期")
    c.max_len("退保/注销原因", d.status_reason, 200)
    c.max_len("低于最低限额的说明", d.below_minimum_reason, 300)
    c.check()
    if d.rate_permille is None and d.premium_fen and d.premium_base_fen:
        rate = (Decimal(d.premium_fen) * 1000 / Decimal(d.premium_base_fen)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP)
        d = replace(d, rate_permille=rate if rate < 1000 else None)
    return d, project


def _check_minimum(d: PolicyData) -> tuple[int | None, str]:
    assert d.start_date is not None and d.death_limit_fen is not None
    minimum, rule = minimum_on(d.start_date)
    if minimum is not None and d.death_limit_fen < minimum and not d.below_minimum_reason:
        raise ValidationError({"每人死亡伤残限额": (
            f"低于{rule}规定的每人{minimum // 100 // 10000}万元最低限额；如保单确实如此，"
            "请在“低于最低限额的说明”中写明原因，保存后该保单标记为限额不足")})
    return minimum, rule


def _check_unique(session: Session, d: PolicyData, own_id: int | None) -> None:
    other = session.scalar(select(InsurancePolicy).where(InsurancePolicy.insurer == d.insurer,
                                                        InsurancePolicy.policy_no == d.policy_no))
    if other is not None and other.id != own_id:
        raise DuplicateRecord(f"保单号：{d.insurer} 的保单 {d.policy_no} 已登记，不能重复登记。")


def _find_overlaps(session: Session, d: PolicyData, project: Project, own_id: int | None) -> list[InsurancePolicy]:
    assert d.start_date is not None
    mine_end = project.completion_filing_date if d.until_completion else d.end_date
    if d.status != VALID and d.status_date is not None and (mine_end is None or d.status_date < mine_end):
        mine_end = d.status_date
    out = []
    for p in session.scalars(select(InsurancePolicy).where(
            InsurancePolicy.project_id == project.id, InsurancePolicy.insured_id == d.insured_id)
            .order_by(InsurancePolicy.start_date)):
        if p.id == own_id:
            continue
        if _overlaps(d.start_date, mine_end, p.start_date, effective_end_of(p, project.completion_filing_date)):
            out.append(p)
    return out


def _brief(p: InsurancePolicy, filing: date | None) -> PolicyBrief:
    return PolicyBrief(p.id, p.policy_no, p.insurer, p.start_date, effective_end_of(p, filing))


def _snap(p: InsurancePolicy) -> dict[str, Any]:
    return audit.snapshot(p, (*_FIELDS, "min_limit_fen", "min_limit_rule", "replaced_by_id"))


def _to_data(session: Session, p: InsurancePolicy) -> PolicyData:
    project = session.get(Project, p.project_id)
    assert project is not None
    return PolicyData(**{f: getattr(p, f) for f in _FIELDS}, id=p.id, version=p.version,
                      project_name=project.name, insured_name=p.insured.name, insured_uscc=p.insured.uscc,
                      min_limit_fen=p.min_limit_fen, min_limit_rule=p.min_limit_rule,
                      replaced_by_id=p.replaced_by_id,
                      effective_end=effective_end_of(p, project.completion_filing_date))


def _search_key(session: Session, p: InsurancePolicy, project: Project) -> str:
    insured = session.get(Enterprise, p.insured_id)
    return build_search_key(project.name, insured.name if insured else "", p.insurer, p.insurer_branch,
                            extra=(p.policy_no, insured.uscc if insured else ""))


def _replace_older(session: Session, actor: Actor, new: InsurancePolicy, older: list[InsurancePolicy],
                   filing: date | None) -> None:
    for old in older:
        if old.start_date >= new.start_date:
            raise ValidationError({"保险起期": (
                f"被替换的保单 {old.policy_no} 起期（{chinese_date(old.start_date)}）不早于新保单起期，"
                "不能以新保单替换；请直接修改或注销原保单")})
        before = _snap(old)
        old.end_date = new.start_date - timedelta(days=1)
        old.until_completion = False
        old.replaced_by_id = new.id
        if old.status_date is not None and old.status_date > old.end_date:
            old.status_date = old.end_date
        session.flush()
        audit.record(session, actor, "update", "insurance_policy", old.id, before=before, after=_snap(old),
                     summary=f"保单 {old.policy_no} 由新保单 {new.policy_no} 替换，止期改为 {chinese_date(old.end_date)}")


# --------------------------------------------------------------------------- use cases


def create_policy(session: Session, actor: Actor, data: PolicyData, *, replace: bool = False) -> PolicyData:
    """Enter a policy. Overlap with the same project and insured → :class:`OverlappingPolicy`, unless
    ``replace`` (the clerk confirmed): then the older policies end the day before this one starts."""
    require(actor, "insurance.write")
    d, project = _validate(session, data)
    assert project is not None
    minimum, rule = _check_minimum(d)
    _check_unique(session, d, None)
    overlaps = _find_overlaps(session, d, project, None)
    if overlaps and not replace:
        raise OverlappingPolicy([_brief(p, project.completion_filing_date) for p in overlaps])
    p = InsurancePolicy(**{f: getattr(d, f) for f in _FIELDS}, min_limit_fen=minimum, min_limit_rule=rule,
                        created_by=actor.user_id)
    if not (minimum is not None and d.death_limit_fen is not None and d.death_limit_fen < minimum):
        p.below_minimum_reason = ""
    session.add(p)
    session.flush()
    p.search_key = _search_key(session, p, project)
    _replace_older(session, actor, p, overlaps, project.completion_filing_date)
    session.flush()
    audit.record(session, actor, "create", "insurance_policy", p.id, after=_snap(p),
                 summary=f"登记安责险保单 {p.policy_no}（{project.name}）")
    return _to_data(session, p)


def get_policy(session: Session, policy_id: int) -> PolicyData:
    p = session.get(InsurancePolicy, policy_id)
    if p is None:
        raise NotFound("保单不存在。")
    return _to_data(session, p)


def update_policy(session: Session, actor: Actor, data: PolicyData, *, replace: bool = False) -> PolicyData:
    """Save changes (also 退保/注销: status, its date and reason). Same checks as :func:`create_policy`."""
    require(actor, "insurance.write")
    p = session.get(InsurancePolicy, data.id) if data.id is not None else None
    if p is None:
        raise NotFound("保单不存在。")
    if data.version is not None and data.version != p.version:
        raise StaleRecord(f"保单 {p.policy_no} ")
    d, project = _validate(session, data)
    assert project is not None
    minimum, rule = _check_minimum(d)
    _check_unique(session, d, p.id)
    overlaps = _find_overlaps(session, d, project, p.id)
    if overlaps and not replace:
        raise OverlappingPolicy([_brief(x, project.completion_filing_date) for x in overlaps])
    before = _snap(p)
    for f in _FIELDS:
        setattr(p, f, getattr(d, f))
    p.min_limit_fen, p.min_limit_rule = minimum, rule
    if not (minimum is not None and d.death_limit_fen is not None and d.death_limit_fen < minimum):
        p.below_minimum_reason = ""
    p.search_key = _search_key(session, p, project)
    session.flush()
    _replace_older(session, actor, p, overlaps, project.completion_filing_date)
    after = _snap(p)
    if before != after:
        audit.record(session, actor, "update", "insurance_policy", p.id, before=before, after=after,
                     summary=f"修改安责险保单 {p.policy_no}（{project.name}）")
    return _to_data(session, p)


def delete_policy(session: Session, actor: Actor, policy_id: int) -> None:
    """Delete a policy entered by mistake (its visits, claims and file links go with it)."""
    require(actor, "insurance.delete")
    p = session.get(InsurancePolicy, policy_id)
    if p is None:
        raise NotFound("保单不存在。")
    before = _snap(p)
    session.delete(p)
    audit.record(session, actor, "delete", "insurance_policy", policy_id, before=before,
                 summary=f"删除安责险保单 {p.policy_no}")


def project_policies(session: Session, project_id: int) -> list[PolicyData]:
    """A project's policies, oldest first."""
    return [_to_data(session, p) for p in session.scalars(
        select(InsurancePolicy).where(InsurancePolicy.project_id == project_id)
        .order_by(InsurancePolicy.start_date, InsurancePolicy.id))]
