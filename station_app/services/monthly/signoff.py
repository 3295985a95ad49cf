"""The report of a period: the clerk's narrative, the 站长's sign-off that freezes it, the diff since.

Sign-off stores the figures (JSON) and both files byte for byte with their SHA-256 in the database;
after it, the narrative is read-only and a regeneration is refused with what changed instead.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from station_app import clock
from station_app.db.base import now
from station_app.errors import NotFound, StaleRecord, ValidationError
from station_app.exports.monthly_xlsx import write_bytes
from station_app.formatting import chinese_datetime
from station_app.models import MonthlyReport, MonthlyReportFile
from station_app.models.monthly_report import ReportStatus
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.deadlines import deadline_text, report_due
from station_app.services.monthly.checks import run_checks
from station_app.services.monthly.pack import Narrative, build_pack
from station_app.services.monthly.stats import COLUMNS, ReportPeriod, compute_figures
from station_app.services.validation import clean

_LIMITS = {"work_summary": ("工作开展情况", 8000), "data_note": ("主要数据补充说明", 4000),
           "problems": ("存在问题", 8000), "next_plan": ("下月计划", 8000), "signer_name": ("签发人", 50)}


@dataclass(frozen=True)
class ReportInfo:
    period_key: str
    narrative: Narrative
    status: str
    signed_at: datetime | None
    signed_by_name: str
    version: int | None  # None: nothing saved yet
    files: tuple[tuple[str, str, str, int], ...]  # (kind, file name, sha256, size)

    @property
    def signed(self) -> bool:
        return self.status == ReportStatus.SIGNED


@dataclass(frozen=True)
class FigureChange:
    label: str
    column: str
    signed: str | None
    now: str | None


def _row(session: Session, period: ReportPeriod) -> MonthlyReport | None:
    return session.scalar(select(MonthlyReport).where(MonthlyReport.period_key == period.key))


def get_report(session: Session, period: ReportPeriod) -> ReportInfo:
    r = _row(session, period)
    if r is None:
        return ReportInfo(period.key, Narrative(), ReportStatus.DRAFT, None, "", None, ())
    return ReportInfo(r.period_key, Narrative(r.work_summary, r.data_note, r.problems, r.next_plan, r.signer_name),
                      r.status, r.signed_at, r.signed_by_name, r.version,
                      tuple((f.kind, f.file_name, f.sha256, f.size) for f in r.files))


def _refuse_signed(r: MonthlyReport | None, period: ReportPeriod) -> None:
    if r is not None and r.status == ReportStatus.SIGNED:
        raise ValidationError({"报表期间": f"{period.label}{period.noun}已于{chinese_datetime(r.signed_at)}签发，不能再修改。"})


def save_narrative(session: Session, actor: Actor, period: ReportPeriod, narrative: Narrative, *,
                   expected_version: int | None = None) -> ReportInfo:
    """Keep the free-text sections with the period (created on first save)."""
    require(actor, "monthly.edit")
    r = _row(session, period)
    _refuse_signed(r, period)
    values = {k: clean(getattr(narrative, k)) if k == "signer_name" else (getattr(narrative, k) or "").strip()
              for k in _LIMITS}
    errors = {label: f"不能超过{limit}字" for k, (label, limit) in _LIMITS.items() if len(values[k]) > limit}
    if errors:
        raise ValidationError(errors)
    if r is None:
        r = MonthlyReport(period_key=period.key, kind=period.kind, year=period.year, number=period.number,
                          status=ReportStatus.DRAFT, updated_by=actor.user_id, **values)
        session.add(r)
        session.flush()
        audit.record(session, actor, "create", "monthly_report", r.id, after=values,
                     summary=f"填写{period.label}{period.noun}")
        return get_report(session, period)
    if expected_version is not None and r.version != expected_version:
        raise StaleRecord(f"{period.label}{period.noun}")
    before = audit.snapshot(r, tuple(_LIMITS))
    for k, v in values.items():
        setattr(r, k, v)
    r.updated_by = actor.user_id
    session.flush()
    if before != values:
        audit.record(session, actor, "update", "monthly_report", r.id, before=before, after=values,
                     summary=f"修改{period.label}{period.noun}")
    return get_report(session, period)


def sign_off(session: Session, actor: Actor, period: ReportPeriod, *, acknowledge: bool = False,
             templates_dir: Path | None = None, today: date | None = None) -> ReportInfo:
    """Freeze the period: figures + both files (SHA-256) stored. Open cross-checks must be acknowledged."""
    require(actor, "monthly.sign")
    r = _row(session, period)
    _refuse_signed(r, period)
    period.check_not_future(today or clock.today())
    issues = run_checks(session, period)
    if issues and not acknowledge:
        raise ValidationError({"交叉核对": f"发现{len(issues)}类不一致：" + "；".join(i.title for i in issues)
                               + "。请核实后确认签发。"})
    if r is None:
        r = MonthlyReport(period_key=period.key, kind=period.kind, year=period.year, number=period.number)
        session.add(r)
        session.flush()
    pack = build_pack(session, period, templates_dir=templates_dir, today=today, preparer=actor.full_name)
    r.status, r.signed_at, r.signed_by_id, r.signed_by_name = ReportStatus.SIGNED, now(), actor.user_id, actor.full_name
    r.figures_json = json.dumps(pack.figures.to_json(), ensure_ascii=False)
    r.acknowledged_json = json.dumps([i.title for i in issues], ensure_ascii=False)
    r.updated_by = actor.user_id
    for kind, name, data, tpl in (("xlsx", pack.xlsx_name, pack.xlsx, pack.xlsx_template),
                                  ("docx", pack.docx_name, pack.docx, pack.docx_template)):
        r.files.append(MonthlyReportFile(kind=kind, file_name=name, sha256=hashlib.sha256(data).hexdigest(),
                                         size=len(data), content=data, template_sha256=tpl.sha256,
                                         template_source=tpl.source))
    session.flush()
    audit.record(session, actor, "sign", "monthly_report", r.id,
                 after={"period": period.key, "files": {f.kind: f.sha256 for f in r.files},
                        "acknowledged": [i.title for i in issues]},
                 summary=f"签发{period.label}{period.noun}")
    return get_report(session, period)


def signed_figures(session: Session, period: ReportPeriod) -> dict[str, dict[str, str | None]]:
    r = session.scalar(select(MonthlyReport).options(undefer(MonthlyReport.figures_json))
                       .where(MonthlyReport.period_key == period.key))
    if r is None or r.status != ReportStatus.SIGNED or not r.figures_json:
        raise NotFound(f"{period.label}{period.noun}尚未签发。")
    figures: dict[str, dict[str, str | None]] = json.loads(r.figures_json)["figures"]
    return figures


def compare_with_signed(session: Session, period: ReportPeriod) -> list[FigureChange]:
    """What changed in the records since sign-off: every figure and column that differs now."""
    before = signed_figures(session, period)
    current = compute_figures(session, period).to_json()["figures"]
    names = dict(COLUMNS)
    changes: list[FigureChange] = []
    for key, now_row in current.items():
        old = before.get(key, {})
        for col, _ in COLUMNS:
            if old.get(col) != now_row.get(col):
                changes.append(FigureChange(str(now_row["label"]), names[col], old.get(col), now_row.get(col)))
    return changes


def describe_changes(changes: list[FigureChange], limit: int = 5) -> str:
    if not changes:
        return "与签发版相比，数字没有变化。"
    parts = [f"{c.label}（{c.column}）{c.signed or '—'}→{c.now or '—'}" for c in changes[:limit]]
    more = f"等{len(changes)}处" if len(changes) > limit else ""
    return f"与签发版相比有变化：{'；'.join(parts)}{more}。"


def export_signed(session: Session, period: ReportPeriod, out_dir: Path) -> list[Path]:
    """Write the signed files exactly as signed (their SHA-256 is checked first)."""
    r = session.scalar(select(MonthlyReport).where(MonthlyReport.period_key == period.key))
    if r is None or r.status != ReportStatus.SIGNED:
        raise NotFound(f"{period.label}{period.noun}尚未签发。")
    paths: list[Path] = []
    files = session.scalars(select(MonthlyReportFile).options(undefer(MonthlyReportFile.content))
                            .where(MonthlyReportFile.report_id == r.id).order_by(MonthlyReportFile.id)).all()
    for f in files:
        if hashlib.sha256(f.content).hexdigest() != f.sha256:
            raise ValidationError({"签发文件": f"“{f.file_name}”的校验值与签发时不符，文件可能已损坏。"})
    for f in files:
        paths.append(write_bytes(Path(out_dir) / f.file_name, f.content))
    return paths


@dataclass(frozen=True)
class Deadline:
    """The report due this month (for the previous month): from the 1st, red once the due day is reached."""

    period: ReportPeriod
    due: date
    days_left: int
    signed: bool
    #: the due day reaches a year without holiday data: 暂定, and why
    provisional: bool = False
    reason: str = ""

    @property
    def due_text(self) -> str:
        """'2027年1月5日' or '2027年1月5日（暂定）'."""
        return deadline_text(self.due, self.provisional)

    @property
    def overdue(self) -> bool:
        return not self.signed and self.days_left <= 0

    @property
    def text(self) -> str:
        if self.signed:
            return "已签发"
        if self.days_left > 0:
            return f"还有{self.days_left}天"
        return "今天截止" if self.days_left == 0 else f"已逾期{-self.days_left}天"


def report_deadline(session: Session, today: date | None = None) -> Deadline:
    """Countdown to the due day (reference data; 暂定 when it reaches a year without holiday data) of
    last month's report."""
    today = today or clock.today()
    first = today.replace(day=1)
    year, month = (first.year - 1, 12) if first.month == 1 else (first.year, first.month - 1)
    period = ReportPeriod("month", year, month)
    due = report_due(year, month)
    r = _row(session, period)
    return Deadline(period, due.day, (due.day - today).days, r is not None and r.status == ReportStatus.SIGNED,
                    due.provisional, due.reason)
