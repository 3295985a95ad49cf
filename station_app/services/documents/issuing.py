"""Issuing enforcement documents: validate → number → render → store (file bytes + SHA-256 + context).

Everything happens in the caller's transaction, the number and the rows inside one savepoint: a refused
request or a failing template leaves nothing numbered and nothing written. An issued document is locked;
a correction is :func:`void_document` (chief only, reason required; the stored file is not touched and
the number is never reused) plus a new document. :func:`document_file` writes the stored bytes under the
data directory's ``documents`` folder after checking their SHA-256, so a reprint is the same file.

Public API used by the 行政处罚 cases: :class:`IssueRequest`, :func:`issue_document`,
:func:`preview_document`, :func:`void_document`, :func:`document_file`, :func:`export_pdf`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.db.base import now
from station_app.errors import NotFound, StationError, ValidationError
from station_app.formatting import chinese_date, chinese_datetime
from station_app.models import DocumentEvidence, DocumentHazard, Inspection, IssuedDocument, Project
from station_app.models.document import DocumentStatus
from station_app.paths import DataDir
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.documents import context as dc
from station_app.services.documents import numbers, rendering
from station_app.services.documents.printing import export_pdf
from station_app.services.validation import clean

__all__ = ["VOID_RECORD", "IssueRequest", "document_file", "export_pdf", "issue_document", "preview_document",
           "void_document", "void_record_of"]

log = logging.getLogger(__name__)


@dataclass
class IssueRequest:
    doc_type: str
    issue_date: date
    signer_name: str
    project_id: int | None = None
    inspection_id: int | None = None
    hazard_ids: tuple[int, ...] = ()
    addressee: str = ""
    deadline: date | None = None
    #: the given deadline is a computed 暂定 date (e.g. a case clock's); printed with （暂定）
    deadline_provisional: bool = False
    evidence_blob_ids: tuple[int, ...] = ()
    #: type-specific fields (see document_context.document_extra_fields), e.g. 案由, 违法事实, 罚款金额_fen
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Checked:
    spec: dc.TypeSpec
    project_id: int | None
    hazards: list[Any]
    addressee: str
    signer: str
    deadline: date | None
    deadline_provisional: bool = False


def _check(session: Session, req: IssueRequest, *, for_issue: bool) -> _Checked:
    """Every rule a request must pass; all problems at once, each naming its field or row."""
    spec = dc.type_spec(req.doc_type)
    if spec is None:
        raise ValidationError({"文书类型": f"未知的文书类型“{req.doc_type}”；可选：{'、'.join(dc.all_types())}"})
    if for_issue and not spec.numbered:
        raise ValidationError({"文书类型": f"“{req.doc_type}”是施工单位填报的表式，不编号签发；请用“打印表式”"})
    errors: dict[str, str] = {}
    signer = clean(req.signer_name)
    if for_issue and not signer:
        errors["签发人"] = "请填写签发人"
    if for_issue and not isinstance(req.issue_date, date):
        errors["签发日期"] = "请填写签发日期"
    elif isinstance(req.issue_date, date) and (gap := dc.texts_gap(req.doc_type, req.issue_date)):
        errors["签发日期"] = gap
    project_id = req.project_id
    if req.inspection_id is not None:
        insp_project = session.scalar(select(Inspection.project_id).where(Inspection.id == req.inspection_id))
        if insp_project is None:
            raise NotFound("监督检查记录不存在。")
        if project_id is None:
            project_id = insp_project
        elif project_id != insp_project:
            errors["监督检查"] = "所选监督检查记录不属于所选项目"
    if project_id is not None and session.get(Project, project_id) is None:
        raise NotFound("项目不存在。")
    if spec.needs_project and project_id is None and for_issue:
        errors["项目"] = "请选择项目"
    hazards = dc.hazard_rows(session, req.hazard_ids)
    if len(set(req.hazard_ids)) != len(req.hazard_ids):
        errors["隐患"] = "同一隐患不能重复列出"
    for seq, h in enumerate(hazards, start=1):
        if project_id is not None and h.project_id != project_id:
            errors[f"隐患第{seq}行"] = f"隐患{h.code}不属于所选项目"
        elif for_issue and req.issue_date and h.deadline < req.issue_date and spec.needs_deadline:
            errors[f"隐患第{seq}行"] = (f"隐患{h.code}的整改期限{chinese_date(h.deadline)}早于签发日期"
                                        f"{chinese_date(req.issue_date)}，请先调整整改期限")
    deadline, provisional = req.deadline, req.deadline is not None and req.deadline_provisional
    if deadline is None and spec.needs_deadline and hazards:
        deadline = max(h.deadline for h in hazards)
        provisional = any(h.deadline_provisional for h in hazards if h.deadline == deadline)
    if deadline is not None and isinstance(req.issue_date, date) and deadline < req.issue_date:
        errors["整改期限"] = f"整改期限{chinese_date(deadline)}不能早于签发日期{chinese_date(req.issue_date)}"
    if for_issue and spec.needs_deadline and deadline is None:
        errors["整改期限"] = "请填写整改期限（具体日期，不能只写“立即”）"
    addressee = clean(req.addressee)
    if not addressee and spec.needs_addressee:
        addressee = str(req.extra.get("当事人") or "").strip()
        if not addressee and project_id is not None:
            addressee = dc.project_context(session, project_id)["contractor"].strip("_")
        if not addressee and for_issue:
            errors["受文单位"] = "请填写受文单位（当事人）"
    for name in spec.required if for_issue else ():
        value = req.extra.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[name] = f"请填写“{name}”"
    clash = sorted(set(req.extra) & dc.RESERVED)
    if clash:
        errors["附加字段"] = f"字段名“{clash[0]}”为保留名称"
    if errors:
        raise ValidationError(errors)
    return _Checked(spec, project_id, hazards, addressee, signer, deadline, provisional)


def _context(session: Session, req: IssueRequest, c: _Checked, number: str, preview: bool) -> dict[str, Any]:
    return dc.build_context(
        session, c.spec, project_id=c.project_id, inspection_id=req.inspection_id, hazards=c.hazards,
        evidence_blob_ids=req.evidence_blob_ids, addressee=c.addressee, signer=c.signer,
        issue_date=req.issue_date, deadline=c.deadline, extra=dict(req.extra), number=number, preview=preview,
        deadline_provisional=c.deadline_provisional)


def _templates(session: Session, given: Path | None) -> Path | None:
    """The admin's template folder: as given, else as the app set it, else next to a SQLite database file
    (the data directory's layout), so documents a case issues honour the admin's templates too."""
    if given is not None or rendering.configured_template_dir() is not None:
        return given
    url = session.get_bind().engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / "templates"
    return None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def issue_document(session: Session, actor: Actor, request: IssueRequest, *,
                   templates_dir: Path | None = None) -> IssuedDocument:
    """Number, render and store one document in the caller's transaction. Returns the locked record."""
    require(actor, "document.issue")
    templates_dir = _templates(session, templates_dir)
    checked = _check(session, request, for_issue=True)
    numbers.check_pattern(request.doc_type)
    year = request.issue_date.year
    # render once with a stand-in number first: a broken template is refused before any number is taken
    probe = _context(session, request, checked, numbers.format_number(session, request.doc_type, year, 1), False)
    rendering.check_template(request.doc_type, probe, templates_dir)
    with session.begin_nested():
        serial = numbers.take_serial(session, request.doc_type, year)
        number = numbers.format_number(session, request.doc_type, year, serial)
        probe["doc"]["number"] = number
        out = rendering.render(request.doc_type, probe, templates_dir)
        doc = IssuedDocument(
            doc_type=request.doc_type, number=number, year=year, serial=serial,
            status=DocumentStatus.ISSUED.value, project_id=checked.project_id,
            inspection_id=request.inspection_id, addressee=checked.addressee[:200], signer_name=checked.signer[:50],
            issue_date=request.issue_date, deadline=checked.deadline,
            deadline_provisional=checked.deadline_provisional, issued_by_id=actor.user_id,
            issued_by_name=actor.full_name[:50], content=out.data, sha256=out.sha256, size=len(out.data),
            file_name=safe_file_name(f"{number}{request.doc_type}.docx"), context_json=_json(probe),
            template_sha256=out.template_sha256, template_source=out.template_source,
            search_key=" ".join((number, request.doc_type, checked.addressee, probe["project"]["name"],
                                 checked.signer)))
        doc.hazards = [DocumentHazard(hazard_id=h.id, seq=i) for i, h in enumerate(checked.hazards, start=1)]
        doc.evidence = [DocumentEvidence(blob_id=e["blob_id"], seq=e["seq"], evidence_code=e["code"],
                                         sha256_prefix=e["sha_prefix"], caption=str(e["caption"])[:200])
                        for e in probe["evidence"]]
        session.add(doc)
        session.flush()
        audit.record(session, actor, "create", "document", doc.id,
                     after={"number": number, "doc_type": request.doc_type, "sha256": out.sha256,
                            "hazards": [h.code for h in checked.hazards]},
                     summary=f"签发{request.doc_type} {number}")
    return doc


def preview_document(session: Session, request: IssueRequest, *, templates_dir: Path | None = None) -> bytes:
    """The document as it would print, marked 预览 and without a number; nothing is stored."""
    checked = _check(session, request, for_issue=False)
    templates_dir = _templates(session, templates_dir)
    ctx = _context(session, request, checked, dc.PREVIEW_NUMBER, True)
    return rendering.render(request.doc_type, ctx, templates_dir).data


def blank_form(session: Session, doc_type: str, *, project_id: int | None = None,
               hazard_ids: tuple[int, ...] = (), extra: dict[str, Any] | None = None,
               templates_dir: Path | None = None) -> bytes:
    """A form printed blank or pre-filled (隐患整改完成报告, 复工申请 …), not numbered and not stored."""
    req = IssueRequest(doc_type, clock.today(), "", project_id=project_id, hazard_ids=hazard_ids,
                       extra=dict(extra or {}))
    checked = _check(session, req, for_issue=False)
    ctx = dc.build_context(session, checked.spec, project_id=checked.project_id, inspection_id=None,
                           hazards=checked.hazards, evidence_blob_ids=(), addressee=checked.addressee, signer="",
                           issue_date=None, deadline=None, extra=req.extra, number="", preview=False)
    return rendering.render(doc_type, ctx, templates_dir).data


VOID_RECORD = "作废记录"


def void_document(session: Session, actor: Actor, document_id: int, reason: str, *,
                  templates_dir: Path | None = None) -> IssuedDocument:
    """作废: chief only, reason required. The file and the number stay; the record shows 已作废.

    The void is printed on the record: a 作废记录 (original number, type, date, reason, who, when) is
    rendered and stored with its SHA-256 like any document, numbered in its own series — the voided
    type's serials are untouched. All in one savepoint: a failing template voids nothing.
    """
    require(actor, "document.void")
    doc = session.get(IssuedDocument, document_id)
    if doc is None:
        raise NotFound("文书不存在。")
    if doc.doc_type == VOID_RECORD:
        raise ValidationError({"文书类型": "作废记录本身不能作废"})
    text = clean(reason)
    if not text:
        raise ValidationError({"作废原因": "请填写作废原因"})
    if doc.status == DocumentStatus.VOID:
        raise ValidationError({"状态": f"文书{doc.number}已于{chinese_date(doc.voided_at)}作废"})
    templates_dir = _templates(session, templates_dir)
    numbers.check_pattern(VOID_RECORD)
    when = now()
    with session.begin_nested():
        doc.status = DocumentStatus.VOID.value
        doc.void_reason = text
        doc.voided_by_id = actor.user_id
        doc.voided_by_name = actor.full_name[:50]
        doc.voided_at = when
        record = _void_record(session, actor, doc, templates_dir)
        session.flush()
        audit.record(session, actor, "void", "document", doc.id, before={"status": DocumentStatus.ISSUED.value},
                     after={"status": DocumentStatus.VOID.value, "reason": text, "void_record": record.number,
                            "void_record_sha256": record.sha256},
                     summary=f"作废{doc.doc_type} {doc.number}：{text}（作废记录 {record.number}）")
    return doc


def _void_key(document_id: int) -> str:
    return f"void:{document_id} "


def _void_record(session: Session, actor: Actor, doc: IssuedDocument, templates_dir: Path | None) -> IssuedDocument:
    assert doc.voided_at is not None
    day = doc.voided_at.date()
    station = dc.station_context(session)
    ctx: dict[str, Any] = {
        "station": station, "project": dc.project_context(session, doc.project_id),
        "doc": {"type": VOID_RECORD, "title": VOID_RECORD, "number": numbers.format_number(session, VOID_RECORD,
                                                                                          day.year, 1),
                "preview": False, "authority": station["name"], "addressee": doc.addressee or dc.BLANK,
                "signer": doc.voided_by_name, "issue_date": day.isoformat(),
                "issue_date_cn": chinese_date(day, style="upper")},
        "void": {"document_id": doc.id, "doc_type": doc.doc_type, "number": doc.number,
                 "issue_date_cn": chinese_date(doc.issue_date), "addressee": doc.addressee or dc.BLANK,
                 "sha256": doc.sha256, "reason": doc.void_reason, "voided_by": doc.voided_by_name,
                 "voided_at": doc.voided_at.isoformat(timespec="minutes"),
                 "voided_at_cn": chinese_datetime(doc.voided_at)},
    }
    rendering.check_template(VOID_RECORD, ctx, templates_dir)
    serial = numbers.take_serial(session, VOID_RECORD, day.year)
    number = numbers.format_number(session, VOID_RECORD, day.year, serial)
    ctx["doc"]["number"] = number
    out = rendering.render(VOID_RECORD, ctx, templates_dir)
    record = IssuedDocument(
        doc_type=VOID_RECORD, number=number, year=day.year, serial=serial, status=DocumentStatus.ISSUED.value,
        project_id=doc.project_id, inspection_id=doc.inspection_id, addressee=doc.addressee,
        signer_name=doc.voided_by_name, issue_date=day, issued_by_id=actor.user_id,
        issued_by_name=actor.full_name[:50], content=out.data, sha256=out.sha256, size=len(out.data),
        file_name=safe_file_name(f"{number}{VOID_RECORD}（{doc.number}）.docx"), context_json=_json(ctx),
        template_sha256=out.template_sha256, template_source=out.template_source,
        search_key=_void_key(doc.id) + " ".join((number, VOID_RECORD, doc.number, doc.doc_type, doc.addressee)))
    session.add(record)
    return record


def void_record_of(session: Session, document_id: int) -> IssuedDocument | None:
    """The 作废记录 printed when document ``document_id`` was voided (None if it is not void)."""
    return session.scalar(select(IssuedDocument).where(
        IssuedDocument.doc_type == VOID_RECORD, IssuedDocument.search_key.startswith(_void_key(document_id))))


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def safe_file_name(name: str) -> str:
    return _UNSAFE.sub("_", name)[:180]


def document_bytes(session: Session, document_id: int) -> tuple[IssuedDocument, bytes]:
    """The stored bytes after checking them against the SHA-256 recorded at issue."""
    doc = session.get(IssuedDocument, document_id)
    if doc is None:
        raise NotFound("文书不存在。")
    data = doc.content
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise StationError(f"文书{doc.number}的存档内容与签发时的校验值（SHA-256）不符，可能已被改动。"
                           "请勿使用，并报告系统管理员。")
    return doc, data


def document_file(session: Session, data_dir: DataDir, document_id: int) -> Path:
    """The issued .docx under ``documents/<year>/``: the same bytes every time (SHA-256 checked).

    A copy on disk that was changed (e.g. saved over in Word) is replaced by the stored original.
    """
    doc, data = document_bytes(session, document_id)
    folder = data_dir.documents / str(doc.year)
    path = folder / doc.file_name
    try:
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == doc.sha256:
            return path
    except OSError:
        pass
    if path.exists():
        log.warning("document file %s differs from the issued original; rewriting it", path)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".tmp-{uuid.uuid4().hex}.docx"
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    if path.exists():
        os.chmod(path, 0o644)
    os.replace(tmp, path)
    os.chmod(path, 0o444)  # read-only: Word opens it without overwriting the record
    return path


def document_context(session: Session, document_id: int) -> dict[str, Any]:
    """The context the document was rendered from (as stored at issue)."""
    doc = session.get(IssuedDocument, document_id)
    if doc is None:
        raise NotFound("文书不存在。")
    return dict(json.loads(doc.context_json))
