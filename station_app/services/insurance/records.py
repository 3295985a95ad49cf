"""What hangs off a 安责险 policy: the insurer's 事故预防服务 visits, 出险/理赔 claims and the files; the
project's merged timeline (insurer visits beside the station's own inspections) and its policy summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.db.base import now
from station_app.errors import NotFound, ValidationError
from station_app.formatting import chinese_date
from station_app.models import (
    Inspection,
    InsuranceAttachment,
    InsuranceClaim,
    InsurancePolicy,
    InsuranceVisit,
    Project,
)
from station_app.services import audit
from station_app.services.attachments import AttachmentStore, _blob_for, store_files
from station_app.services.context import Actor, require
from station_app.services.insurance.policies import PolicyData, effective_end_of, project_policies
from station_app.services.validation import Checker, clean

CLAIM_STATUSES = ("已报案", "理赔中", "已赔付", "拒赔")
ATTACHMENT_KINDS = ("保单", "批单", "发票", "其他")


@dataclass(frozen=True)
class VisitData:
    policy_id: int
    visit_date: date | None
    staff: str
    content: str = ""
    findings: str = ""
    id: int | None = None


@dataclass(frozen=True)
class ClaimData:
    policy_id: int
    accident_date: date | None
    description: str
    claimed_fen: int | None
    paid_fen: int | None = None
    paid_on: date | None = None
    status: str = "已报案"
    accident_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class PolicyFile:
    id: int
    kind: str
    file_name: str
    sha256: str
    size: int
    added_by_name: str
    added_at: datetime


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the project's merged timeline: 保险机构服务 or 监督检查."""

    day: date
    source: str
    who: str
    content: str
    findings: str
    record_id: int


def _policy(session: Session, actor: Actor, policy_id: int) -> InsurancePolicy:
    require(actor, "insurance.write")
    p = session.get(InsurancePolicy, policy_id)
    if p is None:
        raise NotFound("保单不存在。")
    return p


def _money(c: Checker, label: str, value: object, *, required: bool = False) -> None:
    if value is None:
        if required:
            c.add(label, "必填")
    elif not isinstance(value, int) or isinstance(value, bool):
        c.add(label, f"“{value}”不是有效金额")
    elif value < 0:
        c.add(label, "不能为负数")


@dataclass(frozen=True)
class _Kind[R: (InsuranceVisit, InsuranceClaim)]:
    """A kind of record under a policy (visit, claim): its table, fields and how the audit log names it."""

    model: type[R]
    entity: str  #: audit entity type
    name: str  #: 服务记录 / 理赔记录 (「…不存在。」)
    fields: tuple[str, ...]  #: what the form saves
    logged_on_delete: tuple[str, ...]
    deleted: str  #: the audit summary of a delete


_VISIT = _Kind(InsuranceVisit, "insurance_visit", "服务记录", ("visit_date", "staff", "content", "findings"),
               ("policy_id", "visit_date", "staff", "content"), "删除事故预防服务记录")
_CLAIM = _Kind(InsuranceClaim, "insurance_claim", "理赔记录",
               ("accident_date", "accident_id", "description", "claimed_fen", "paid_fen", "paid_on", "status"),
               ("policy_id", "accident_date", "claimed_fen", "paid_fen", "status"), "删除理赔记录")


def _save_record[R: (InsuranceVisit, InsuranceClaim)](
        session: Session, actor: Actor, p: InsurancePolicy, kind: _Kind[R], data: VisitData | ClaimData,
        created: str, changed: str, **on_create: Any) -> int:
    """Add a record under policy ``p`` (``data.id`` None) or change one of its records, with its audit row
    (「登记保单 X <created>」 / 「修改保单 X <changed>」); returns its id."""
    values = {f: getattr(data, f) for f in kind.fields}
    if data.id is None:
        obj = kind.model(policy_id=p.id, created_by=actor.user_id, **on_create, **values)
        session.add(obj)
        session.flush()
        audit.record(session, actor, "create", kind.entity, obj.id, after=audit.snapshot(obj, kind.fields),
                     summary=f"登记保单 {p.policy_no} {created}")
        return obj.id
    found = session.get(kind.model, data.id)
    if found is None or found.policy_id != p.id:
        raise NotFound(f"{kind.name}不存在。")
    before = audit.snapshot(found, kind.fields)
    for f, value in values.items():
        setattr(found, f, value)
    session.flush()
    audit.record(session, actor, "update", kind.entity, found.id, before=before,
                 after=audit.snapshot(found, kind.fields), summary=f"修改保单 {p.policy_no} {changed}")
    return found.id


def _delete_record[R: (InsuranceVisit, InsuranceClaim)](session: Session, actor: Actor, kind: _Kind[R],
                                                         record_id: int) -> None:
    found = session.get(kind.model, record_id)
    if found is None:
        raise NotFound(f"{kind.name}不存在。")
    _policy(session, actor, found.policy_id)
    before = audit.snapshot(found, kind.logged_on_delete)
    session.delete(found)
    audit.record(session, actor, "delete", kind.entity, record_id, before=before, summary=kind.deleted)


# --------------------------------------------------------------------------- visits


def save_visit(session: Session, actor: Actor, data: VisitData) -> VisitData:
    """Add (``id`` None) or change a prevention-service visit."""
    p = _policy(session, actor, data.policy_id)
    d = replace(data, staff=clean(data.staff), content=clean(data.content), findings=clean(data.findings))
    c = Checker()
    c.required("服务日期", d.visit_date)
    c.not_future("服务日期", d.visit_date)
    c.required("保险机构人员", d.staff)
    c.max_len("保险机构人员", d.staff, 100)
    c.required("服务内容", d.content)
    c.check()
    return replace(d, id=_save_record(session, actor, p, _VISIT, d, f"事故预防服务（{chinese_date(d.visit_date)}）", "事故预防服务",
                                      project_id=p.project_id))


def list_visits(session: Session, policy_id: int) -> list[VisitData]:
    return [VisitData(v.policy_id, v.visit_date, v.staff, v.content, v.findings, v.id) for v in session.scalars(
        select(InsuranceVisit).where(InsuranceVisit.policy_id == policy_id)
        .order_by(InsuranceVisit.visit_date, InsuranceVisit.id))]


def delete_visit(session: Session, actor: Actor, visit_id: int) -> None:
    _delete_record(session, actor, _VISIT, visit_id)


# --------------------------------------------------------------------------- claims


def save_claim(session: Session, actor: Actor, data: ClaimData) -> ClaimData:
    """Add (``id`` None) or change a claim (出险/理赔)."""
    p = _policy(session, actor, data.policy_id)
    d = replace(data, description=clean(data.description))
    c = Checker()
    if c.required("出险日期", d.accident_date):
        c.not_future("出险日期", d.accident_date)
        if d.accident_date is not None and d.accident_date < p.start_date:
            c.add("出险日期", f"早于保险起期（{chinese_date(p.start_date)}）")
    c.required("事故经过", d.description)
    _money(c, "索赔金额", d.claimed_fen, required=True)
    _money(c, "赔付金额", d.paid_fen)
    c.one_of("理赔状态", d.status, CLAIM_STATUSES)
    if d.status == "已赔付":
        if d.paid_fen is None:
            c.add("赔付金额", "已赔付的须填写赔付金额")
        c.required("赔付日期", d.paid_on)
    c.date_order("出险日期", d.accident_date, "赔付日期", d.paid_on)
    c.check()
    return replace(d, id=_save_record(session, actor, p, _CLAIM, d, f"出险理赔（{chinese_date(d.accident_date)}）", "理赔记录"))


def list_claims(session: Session, policy_id: int) -> list[ClaimData]:
    return [ClaimData(x.policy_id, x.accident_date, x.description, x.claimed_fen, x.paid_fen, x.paid_on, x.status,
                      x.accident_id, x.id) for x in session.scalars(
        select(InsuranceClaim).where(InsuranceClaim.policy_id == policy_id)
        .order_by(InsuranceClaim.accident_date, InsuranceClaim.id))]


def delete_claim(session: Session, actor: Actor, claim_id: int) -> None:
    _delete_record(session, actor, _CLAIM, claim_id)


# --------------------------------------------------------------------------- files


def attach_policy_files(session: Session, actor: Actor, store: AttachmentStore | None, policy_id: int,
                        paths: Sequence[str | Path], kind: str = "保单") -> list[PolicyFile]:
    """Copy the files into the content-addressed store first, then link them (same file twice = one link)."""
    p = _policy(session, actor, policy_id)
    if kind not in ATTACHMENT_KINDS:
        raise ValidationError({"附件类型": f"“{kind}”不是有效选项，可选：{'、'.join(ATTACHMENT_KINDS)}"})
    stored = store_files(store, paths)
    for s in stored:
        blob = _blob_for(session, s)
        exists = session.scalar(select(InsuranceAttachment.id).where(
            InsuranceAttachment.policy_id == p.id, InsuranceAttachment.blob_id == blob.id))
        if exists is None:
            session.add(InsuranceAttachment(policy_id=p.id, blob_id=blob.id, kind=kind, file_name=s.original_name,
                                            added_by_name=actor.full_name[:50], added_at=now()))
    session.flush()
    audit.record(session, actor, "update", "insurance_policy", p.id,
                 after={"files": [s.original_name for s in stored], "kind": kind},
                 summary=f"保单 {p.policy_no} 添加附件 {'、'.join(s.original_name for s in stored)}")
    return list_policy_files(session, p.id)


def list_policy_files(session: Session, policy_id: int) -> list[PolicyFile]:
    rows = session.scalars(select(InsuranceAttachment).where(InsuranceAttachment.policy_id == policy_id)
                           .order_by(InsuranceAttachment.id))
    return [PolicyFile(a.id, a.kind, a.file_name, a.blob.sha256, a.blob.size, a.added_by_name, a.added_at)
            for a in rows]


def remove_policy_file(session: Session, actor: Actor, link_id: int) -> None:
    a = session.get(InsuranceAttachment, link_id)
    if a is None:
        raise NotFound("附件不存在。")
    p = _policy(session, actor, a.policy_id)
    name = a.file_name
    session.delete(a)
    audit.record(session, actor, "update", "insurance_policy", p.id, before={"file": name},
                 summary=f"保单 {p.policy_no} 删除附件 {name}")


# --------------------------------------------------------------------------- project views


def project_timeline(session: Session, project_id: int) -> list[TimelineEntry]:
    """The insurer's prevention visits and the station's inspections of the project, newest first."""
    out = [TimelineEntry(v.visit_date, "保险机构服务", v.staff, v.content, v.findings, v.id)
           for v in session.scalars(select(InsuranceVisit).where(InsuranceVisit.project_id == project_id))]
    for i in session.scalars(select(Inspection).where(Inspection.project_id == project_id)):
        out.append(TimelineEntry(i.inspected_at.date(), "监督检查", i.inspector_names, i.kind,
                                 i.conclusion or f"发现问题 {i.finding_count} 项", i.id))
    out.sort(key=lambda e: (e.day, e.source), reverse=True)
    return out


@dataclass(frozen=True)
class ProjectInsurance:
    """What the project page shows: its policies and whether it is covered on ``as_of``."""

    policies: list[PolicyData]
    in_force: PolicyData | None
    as_of: date
    project_status: str = ""

    @property
    def uncovered(self) -> bool:
        """在建/停工 without a policy in force: what the 未投保 check lists."""
        return self.in_force is None and self.project_status in ("在建", "停工")

    @property
    def headline(self) -> str:
        if self.in_force is not None:
            p = self.in_force
            flag = "（限额不足）" if p.below_minimum else ""
            return f"在保：{p.insurer} {p.policy_no}，{chinese_date(p.start_date)} 至 {p.end_text or '—'}{flag}"
        if not self.uncovered:
            return f"项目{self.project_status}，已登记保单 {len(self.policies)} 份"
        if not self.policies:
            return "未登记安责险保单"
        return f"{chinese_date(self.as_of)} 无有效保单（已登记 {len(self.policies)} 份）"


def project_insurance(session: Session, project_id: int, as_of: date | None = None) -> ProjectInsurance:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("项目不存在。")
    day = as_of or clock.today()
    policies = project_policies(session, project_id)
    in_force = None
    for p in policies:
        if p.start_date is not None and p.start_date <= day and (p.effective_end is None or day <= p.effective_end):
            in_force = p
    return ProjectInsurance(policies, in_force, day, project.status)


__all__ = ["CLAIM_STATUSES", "ClaimData", "PolicyData", "PolicyFile", "ProjectInsurance", "TimelineEntry",
           "VisitData", "attach_policy_files", "delete_claim", "delete_visit", "effective_end_of", "list_claims",
           "list_policy_files", "list_visits", "project_insurance", "project_timeline", "remove_policy_file",
           "save_claim", "save_visit"]
