"""The statistics engine of the report pack: every figure for a period, the year to date, and the same
periods last year with the change in %, all from SQL aggregates (no ledger is loaded).

``compute_figures`` runs each section's aggregates for four periods (本期, 本年累计, 去年同期,
去年累计); a year report has 本期 = 本年累计. A section that is a state on a day (安责险, 安全生产费用)
is computed once for this year's and last year's end dates together; a figure of it whose past the
records cannot give (``FigureDef.history`` False) leaves 去年同期 empty ("—"). ``detail_rows`` lists
the records behind a figure (its ``DetailDef``) for the report's own period. Sections whose registry is not kept return no
values and carry the reason (本站尚未建立该台账) instead of zeros. Definitions of every figure are in
the section modules (monthly_figures_*).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session

from station_app.db.base import now
from station_app.errors import NotFound
from station_app.formatting import chinese_date
from station_app.services.monthly import figures_enforcement as enforcement
from station_app.services.monthly import figures_hazards as hazards
from station_app.services.monthly import figures_projects as projects
from station_app.services.monthly import figures_registries as registries
from station_app.services.monthly.figures_common import (
    NOT_KEPT,
    DetailDef,
    FigureDef,
    Period,
    ReportPeriod,
    Section,
    Value,
)

SECTIONS: tuple[Section, ...] = (projects.SECTION, hazards.SECTION, enforcement.DOC_SECTION,
                                 enforcement.CASE_SECTION, *registries.SECTIONS)

#: the four columns of every figure, in report order
COLUMNS: tuple[tuple[str, str], ...] = (("current", "本期"), ("ytd", "本年累计"), ("last_year", "去年同期"),
                                        ("last_ytd", "去年累计"))


def all_figures() -> Iterator[tuple[Section, FigureDef]]:
    for section in SECTIONS:
        for fig in section.figures:
            yield section, fig


def figure_def(key: str) -> tuple[Section, FigureDef]:
    for section, fig in all_figures():
        if fig.key == key or fig.label == key:
            return section, fig
    raise NotFound(f"没有名为“{key}”的统计指标。")


def detail_def(key: str) -> DetailDef:
    for section in SECTIONS:
        for d in section.details:
            if d.key == key:
                return d
    raise NotFound(f"没有名为“{key}”的明细。")


def change(cur: Value, prev: Value, *, rate: bool = False) -> Decimal | None:
    """Change in % (one decimal) against last year; for a rate, the difference in percentage points."""
    if cur is None or prev is None:
        return None
    if rate:
        return (Decimal(cur) - Decimal(prev)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if not prev:
        return None
    return ((Decimal(cur) - Decimal(prev)) * 100 / Decimal(prev)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class FigureValue:
    key: str
    label: str
    unit: str
    section: str
    definition: str
    digits: int
    rate: bool
    detail: str | None
    current: Value
    ytd: Value
    last_year: Value
    last_ytd: Value
    #: "" or why there is no value (本站尚未建立该台账)
    missing: str = ""

    @property
    def yoy(self) -> Decimal | None:
        return change(self.current, self.last_year, rate=self.rate)

    @property
    def ytd_yoy(self) -> Decimal | None:
        return change(self.ytd, self.last_ytd, rate=self.rate)

    def column(self, name: str) -> Value:
        return {"current": self.current, "ytd": self.ytd, "last_year": self.last_year, "last_ytd": self.last_ytd,
                "yoy": self.yoy, "ytd_yoy": self.ytd_yoy}[name]


@dataclass(frozen=True)
class SectionState:
    key: str
    title: str
    missing: str


@dataclass
class FigureSet:
    period: ReportPeriod
    values: dict[str, FigureValue]
    sections: list[SectionState]
    notes: dict[str, str] = field(default_factory=dict)
    computed_at: datetime = field(default_factory=now)

    def __getitem__(self, key: str) -> FigureValue:
        if key in self.values:
            return self.values[key]
        for v in self.values.values():
            if v.label == key:
                return v
        raise KeyError(key)

    @property
    def not_kept(self) -> list[str]:
        return [s.title for s in self.sections if s.missing]

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (numbers as strings) — what sign-off freezes and the diff compares."""
        def plain(v: Value) -> str | None:
            return None if v is None else str(v)

        return {"period": self.period.key, "computed_at": self.computed_at.isoformat(), "notes": self.notes,
                "figures": {k: {"label": v.label, "unit": v.unit, **{c: plain(v.column(c)) for c, _ in COLUMNS}}
                            for k, v in self.values.items()}}


def _empty(section: Section, fig: FigureDef, missing: str) -> FigureValue:
    return FigureValue(fig.key, fig.label, fig.unit, section.title, fig.definition, fig.digits, fig.rate,
                       fig.detail, None, None, None, None, missing)


def _span_values(session: Session, section: Section, spans: dict[str, Period]) -> dict[str, dict[str, Value]]:
    done: dict[Period, dict[str, Value]] = {}  # a year's YTD is the year: computed once
    for span in spans.values():
        if span not in done:
            done[span] = section.compute(session, span)
    return {name: done[span] for name, span in spans.items()}


def _state_values(session: Session, section: Section, spans: dict[str, Period]) -> dict[str, dict[str, Value]]:
    """A state on the period's last day: each distinct end date once (all in one call where the section
    can); the YTD is the same state as its period. Figures whose past the records cannot give
    (``history=False``) are left out of last year's columns."""
    days = sorted({span.end for span in spans.values()})
    if section.compute_days is not None:
        by_day = section.compute_days(session, days)
    else:
        by_day = {day: section.compute(session, Period(day, day)) for day in days}
    now_only = {fig.key for fig in section.figures if not fig.history}
    return {name: {k: v for k, v in by_day.get(span.end, {}).items()
                   if not (name.startswith("last") and k in now_only)}
            for name, span in spans.items()}


def compute_figures(session: Session, period: ReportPeriod) -> FigureSet:
    """All figures of ``period`` (a few aggregates per section and period)."""
    spans = {"current": period.current, "ytd": period.ytd, "last_year": period.last_year,
             "last_ytd": period.last_ytd}
    values: dict[str, FigureValue] = {}
    states: list[SectionState] = []
    for section in SECTIONS:
        missing = section.availability(session)
        states.append(SectionState(section.key, section.title, missing))
        if missing:
            for fig in section.figures:
                values[fig.key] = _empty(section, fig, missing)
            continue
        got = _state_values(session, section, spans) if section.as_of else _span_values(session, section, spans)
        for fig in section.figures:
            values[fig.key] = FigureValue(
                fig.key, fig.label, fig.unit, section.title, fig.definition, fig.digits, fig.rate, fig.detail,
                got["current"].get(fig.key), got["ytd"].get(fig.key), got["last_year"].get(fig.key),
                got["last_ytd"].get(fig.key), "" if fig.key in got["current"] else NOT_KEPT)
    notes: dict[str, str] = {}
    r = projects.latest_round(session, period.current)
    notes["全覆盖排查轮次"] = (f"{r.name}（{chinese_date(r.starts_on)}至{chinese_date(r.ends_on)}）" if r is not None
                          else "本期无全覆盖排查轮次")
    return FigureSet(period, values, states, notes)


@dataclass(frozen=True)
class DetailTable:
    key: str
    title: str
    headers: tuple[str, ...]
    kinds: tuple[str, ...]
    widths: tuple[int, ...]
    rows: list[tuple[Any, ...]]


def detail_rows(session: Session, period: ReportPeriod, key: str, *, limit: int | None = None) -> DetailTable:
    """The records behind the figures sharing detail ``key``, for the report's own period."""
    d = detail_def(key)
    stmt = d.statement(period.current)
    if limit is not None:
        stmt = stmt.limit(limit)
    # Core execution on the session's connection: plain column rows need none of the ORM's result machinery
    # (a third of the time on the 40,000 detail rows of a county month)
    rows = [tuple(r) for r in session.connection().execute(stmt)]
    return DetailTable(d.key, d.title, tuple(c.header for c in d.columns), tuple(c.kind for c in d.columns),
                       tuple(c.width for c in d.columns), rows)


def used_details(figures: FigureSet) -> list[str]:
    """Detail keys of the figures that have values, in report order, each once."""
    seen: list[str] = []
    for v in figures.values.values():
        if v.detail and not v.missing and v.detail not in seen:
            seen.append(v.detail)
    return seen


#: what a cell of a figure whose registry is not kept shows (the report names the registries in full)
MISSING_SHORT = "未建台账"


def format_value(v: FigureValue, value: Value, *, short: bool = False) -> str:
    if v.missing:
        return MISSING_SHORT if short else v.missing
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.{v.digits}f}"
    return f"{value:,}"


def format_change(value: Decimal | None, *, rate: bool = False) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ""
    return f"{sign}{value}" + ("个百分点" if rate else "%")


__all__ = [
    "COLUMNS",
    "NOT_KEPT",
    "SECTIONS",
    "DetailTable",
    "FigureSet",
    "FigureValue",
    "ReportPeriod",
    "all_figures",
    "change",
    "compute_figures",
    "detail_def",
    "detail_rows",
    "figure_def",
    "format_change",
    "format_value",
    "used_details",
]
