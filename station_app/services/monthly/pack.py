"""The report pack: figures + the clerk's narrative → the workbook and the Word report.

``build_pack`` renders both files in memory (a bad template stops before anything is written);
``generate_pack`` writes them into a folder (temp name + ``os.replace``). A signed period is never
regenerated over: the call is refused with what changed since the signed version (figure diff);
the signed files themselves come from ``monthly_signoff.export_signed``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app import clock
from station_app.errors import ValidationError
from station_app.exports.monthly_docx import render_document
from station_app.exports.monthly_xlsx import Cell, SheetData, render_workbook, sheet_name, write_bytes
from station_app.formatting import chinese_date, chinese_datetime
from station_app.models import MonthlyReport
from station_app.models.monthly_report import ReportStatus
from station_app.paths import resource_path
from station_app.services.context import Actor, require
from station_app.services.deadlines import Deadline, report_due
from station_app.services.monthly.figures_breakdown import by_grid, by_supervisor
from station_app.services.monthly.stats import (
    COLUMNS,
    DetailTable,
    FigureSet,
    ReportPeriod,
    compute_figures,
    detail_rows,
    format_change,
    format_value,
    used_details,
)
from station_app.services.station import get_station

XLSX_NAME = "监督工作月报.xlsx"
DOCX_NAME = "监督工作月报.docx"
#: progress(done, total, text)
Progress = Callable[[int, int, str], None]
_SUFFIX = {"current": "", "ytd": "|本年累计", "last_year": "|去年同期", "last_ytd": "|去年累计"}


class PeriodSigned(ValidationError):
    """The period is signed: its pack is frozen. ``changes`` lists what moved since."""

    def __init__(self, message: str, changes: list[Any]) -> None:
        super().__init__({"报表期间": message})
        self.changes = changes


@dataclass(frozen=True)
class Template:
    data: bytes
    source: str  # 内置 / 自定义
    path: Path

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Pack:
    period: ReportPeriod
    figures: FigureSet
    xlsx: bytes
    docx: bytes
    xlsx_name: str
    docx_name: str
    xlsx_template: Template
    docx_template: Template


@dataclass(frozen=True)
class Narrative:
    work_summary: str = ""
    data_note: str = ""
    problems: str = ""
    next_plan: str = ""
    signer_name: str = ""


def find_template(name: str, templates_dir: Path | None) -> Template:
    """The admin's file in the data dir's templates folder wins over the shipped one."""
    own = templates_dir / name if templates_dir is not None else None
    path, source = (own, "自定义") if own is not None and own.is_file() else (resource_path("templates_docx", name),
                                                                              "内置")
    try:
        return Template(path.read_bytes(), source, path)
    except OSError as err:
        raise ValidationError({"报表模板": f"无法读取模板“{path}”：{err.strerror or err}"}) from err


def file_names(station_short: str, period: ReportPeriod) -> tuple[str, str]:
    stem = f"{station_short}{period.label}安全监督工作{period.noun}"
    return f"{stem}.xlsx", f"{stem}.docx"


def load_narrative(session: Session, period: ReportPeriod) -> Narrative:
    r = session.scalar(select(MonthlyReport).where(MonthlyReport.period_key == period.key))
    if r is None:
        return Narrative()
    return Narrative(r.work_summary, r.data_note, r.problems, r.next_plan, r.signer_name)


def _paragraphs(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines or ["（未填写）"]


def _cells(figures: FigureSet, meta: dict[str, str], sheet_of: dict[str, str]) -> dict[str, Cell]:
    cells: dict[str, Cell] = {k: Cell(v, v) for k, v in meta.items()}
    for v in figures.values.values():
        for col, _ in COLUMNS:
            raw = v.column(col)
            text = format_value(v, raw, short=True)
            value: Any = text if v.missing or raw is None else (float(raw) if v.digits else int(raw))
            fmt = None if v.missing or raw is None else (f"#,##0.{'0' * v.digits}" if v.digits else "#,##0")
            for name in (v.label + _SUFFIX[col], v.key + _SUFFIX[col]):
                cells[name] = Cell(value, text, fmt)
        for suffix, change in (("|同比", v.yoy), ("|累计同比", v.ytd_yoy)):
            text = "—" if v.missing else format_change(change, rate=v.rate)
            for name in (v.label + suffix, v.key + suffix):
                cells[name] = Cell(text, text)
        sheet = sheet_of.get(v.detail or "")
        link_text = sheet or ("—" if not v.missing else "")
        for name in (v.label + "|明细", v.key + "|明细"):
            cells[name] = Cell(link_text, link_text, None, sheet)
    return cells


def _sheet(table: DetailTable, heading: str, note: str) -> SheetData:
    return SheetData(table.title, heading, note, table.headers, table.kinds, table.widths, table.rows)


def _context(figures: FigureSet, narrative: Narrative, meta: dict[str, str], grid: DetailTable) -> dict[str, Any]:
    vals = figures.values
    f = {k: format_value(v, v.current) for k, v in vals.items()}
    fy = {k: format_value(v, v.ytd) for k, v in vals.items()}
    fc = {k: format_change(v.yoy, rate=v.rate) for k, v in vals.items()}
    fyc = {k: format_change(v.ytd_yoy, rate=v.rate) for k, v in vals.items()}
    rows = [{"label": v.label, "unit": v.unit, "current": format_value(v, v.current), "ytd": format_value(v, v.ytd),
             "last_year": format_value(v, v.last_year), "yoy": (v.missing and "—") or format_change(v.yoy, rate=v.rate)}
            for v in vals.values() if not v.missing]
    def pct(value: Any) -> str:
        return "—" if value is None else f"{value}"

    grid_rows = [{"name": r[0], "active": r[1], "inspections": r[2], "coverage": pct(r[4]), "found": r[5],
                  "rate": pct(r[8])} for r in grid.rows]
    p = figures.period
    return {
        "station": meta["站名"], "bureau": meta["上级主管部门"], "period_label": p.label, "noun": p.noun,
        "next_label": p.next_label, "date_cn": meta["填报日期"], "signer": meta["签发人"] or "（未指定）",
        "f": f, "fy": fy, "fc": fc, "fyc": fyc, "s": {s.key: not s.missing for s in figures.sections},
        "rows": rows, "grid_rows": grid_rows, "not_kept": meta["未建台账"], "round_note": meta["全覆盖排查轮次"],
        "work_summary": _paragraphs(narrative.work_summary), "data_note": [t for t in _paragraphs(
            narrative.data_note) if t != "（未填写）"], "problems": _paragraphs(narrative.problems),
        "next_plan": _paragraphs(narrative.next_plan),
    }


def due_of(period: ReportPeriod) -> Deadline:
    """The report's 报送期限 (暂定 when it reaches a year without holiday data)."""
    return report_due(period.current.end.year, period.current.end.month)


def build_pack(session: Session, period: ReportPeriod, *, templates_dir: Path | None = None,
               today: date | None = None, preparer: str = "", progress: Progress | None = None) -> Pack:
    """Figures, details and both files as bytes. Raises TemplateError / ValidationError; writes nothing."""
    today = today or clock.today()
    period.check_not_future(today)
    tick = progress or (lambda _d, _t, _s: None)
    xt, dt = find_template(XLSX_NAME, templates_dir), find_template(DOCX_NAME, templates_dir)
    tick(0, 100, "正在统计数据…")
    figures = compute_figures(session, period)
    narrative = load_narrative(session, period)
    station = get_station(session)
    due = due_of(period)
    meta = {"站名": station.name, "报表期间": period.label, "上级主管部门": station.bureau,
            "报送期限": due.text, "统计时间": f"{chinese_date(period.current.start)}至{chinese_date(period.current.end)}",
            "填报日期": chinese_date(today), "签发人": narrative.signer_name, "填报人": preparer,
            "全覆盖排查轮次": figures.notes.get("全覆盖排查轮次", ""), "未建台账": "、".join(figures.not_kept)}
    tick(20, 100, "正在查询明细记录…")
    tables = [detail_rows(session, period, key) for key in used_details(figures)]
    grid, people = by_grid(session, period), by_supervisor(session, period)
    taken: set[str] = set()
    sheets: list[tuple[str, SheetData]] = []
    sheet_of: dict[str, str] = {}
    span = f"统计期间：{meta['统计时间']}"
    for table in (grid, people):
        sheets.append((sheet_name(table.title, taken), _sheet(table, f"{period.label}{table.title}", span)))
    for table in tables:
        name = sheet_name(f"明细-{table.title}", taken)
        sheet_of[table.key] = name
        labels = "、".join(v.label for v in figures.values.values() if v.detail == table.key)
        sheets.append((name, _sheet(table, f"{period.label}{table.title}明细（{len(table.rows)}条）",
                                    f"{span}；对应指标：{labels}")))
    tick(50, 100, "正在生成 Excel 报表…")
    xlsx = render_workbook(xt.data, f"{xt.source}模板 {XLSX_NAME}", _cells(figures, meta, sheet_of), sheets)
    tick(80, 100, "正在生成 Word 报告…")
    docx = render_document(dt.data, f"{dt.source}模板 {DOCX_NAME}", _context(figures, narrative, meta, grid))
    tick(100, 100, "完成")
    xname, dname = file_names(station.name, period)
    return Pack(period, figures, xlsx, docx, xname, dname, xt, dt)


@dataclass(frozen=True)
class PackResult:
    xlsx: Path
    docx: Path
    figures: FigureSet


def signed_report(session: Session, period: ReportPeriod) -> MonthlyReport | None:
    r = session.scalar(select(MonthlyReport).where(MonthlyReport.period_key == period.key))
    return r if r is not None and r.status == ReportStatus.SIGNED else None


def generate_pack(session: Session, actor: Actor, period: ReportPeriod, out_dir: Path, *,
                  templates_dir: Path | None = None, today: date | None = None,
                  progress: Progress | None = None) -> PackResult:
    """Write the pack of an unsigned period into ``out_dir`` (both files or neither)."""
    require(actor, "monthly.generate")
    signed = signed_report(session, period)
    if signed is not None:
        from station_app.services.monthly.signoff import compare_with_signed, describe_changes

        changes = compare_with_signed(session, period)
        raise PeriodSigned(f"{period.label}{period.noun}已于{chinese_datetime(signed.signed_at)}由{signed.signed_by_name}"
                           f"签发，不再重新生成（不会覆盖签发版）。{describe_changes(changes)}"
                           "如需签发时的文件，请使用“导出签发版”。", changes)
    pack = build_pack(session, period, templates_dir=templates_dir, today=today, preparer=actor.full_name,
                      progress=progress)
    x = write_bytes(Path(out_dir) / pack.xlsx_name, pack.xlsx)
    d = write_bytes(Path(out_dir) / pack.docx_name, pack.docx)
    return PackResult(x, d, pack.figures)
