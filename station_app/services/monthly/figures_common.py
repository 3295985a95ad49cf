"""Shared pieces of the monthly-report figures: report periods, figure and detail definitions.

A figure is one number of the report (在监项目数, 发现隐患数 …). Its section computes it with a
few SQL aggregates for any ``Period`` (the month, the year to date, the same periods last year); its
``detail`` names a ``DetailDef`` whose SELECT lists exactly the records counted, so every number in
the pack can be reproduced by the city (one detail sheet per distinct record set).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Select, inspect
from sqlalchemy.orm import Session

from station_app.errors import ValidationError
from station_app.formatting import chinese_date

Value = int | Decimal | None

NOT_KEPT = "本站尚未建立该台账"
_QUARTER_CN = "一二三四"


@dataclass(frozen=True)
class Period:
    """Days ``start`` … ``end`` inclusive."""

    start: date
    end: date

    @property
    def start_dt(self) -> datetime:
        return datetime.combine(self.start, time.min)

    @property
    def end_dt(self) -> datetime:
        """The first moment after the period (compare with ``<``)."""
        return datetime.combine(self.end + timedelta(days=1), time.min)

    def shift_years(self, years: int) -> Period:
        return Period(_same_day(self.start, self.start.year + years), _same_day(self.end, self.end.year + years))


def _same_day(d: date, year: int) -> date:
    """``d`` in ``year`` (29 Feb → 28 Feb)."""
    try:
        return d.replace(year=year)
    except ValueError:
        return d.replace(year=year, day=28)


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


@dataclass(frozen=True)
class ReportPeriod:
    """A reporting period: a month, a quarter or a year (the same engine serves all three)."""

    kind: str  # "month" | "quarter" | "year"
    year: int
    number: int = 0  # month 1–12, quarter 1–4, 0 for a year

    @classmethod
    def parse(cls, text: str) -> ReportPeriod:
        """'2026-10' (or 2026年10月), '2026-Q3', '2026' → a period; anything else → ValidationError."""
        t = (text or "").strip().upper().replace("年", "-").replace("月", "").rstrip("-")
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12 and 2000 <= year <= 2999:
                return cls("month", year, month)
        elif m := re.fullmatch(r"(\d{4})-?Q([1-4])", t):
            return cls("quarter", int(m[1]), int(m[2]))
        elif re.fullmatch(r"\d{4}", t) and 2000 <= int(t) <= 2999:
            return cls("year", int(t), 0)
        raise ValidationError({"报表期间": f"“{text}”不是有效的期间，应为 2026-10（月）、2026-Q3（季度）或 2026（年度）"})

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return f"{self.year}"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        if self.kind == "quarter":
            return f"{self.year}年第{_QUARTER_CN[self.number - 1]}季度"
        return f"{self.year}年度"

    @property
    def noun(self) -> str:
        return {"month": "月报", "quarter": "季报", "year": "年报"}[self.kind]

    @property
    def current(self) -> Period:
        if self.kind == "month":
            return Period(date(self.year, self.number, 1), _month_end(self.year, self.number))
        if self.kind == "quarter":
            first = 3 * self.number - 2
            return Period(date(self.year, first, 1), _month_end(self.year, first + 2))
        return Period(date(self.year, 1, 1), date(self.year, 12, 31))

    @property
    def ytd(self) -> Period:
        return Period(date(self.year, 1, 1), self.current.end)

    @property
    def last_year(self) -> Period:
        return self.current.shift_years(-1)

    @property
    def last_ytd(self) -> Period:
        return self.ytd.shift_years(-1)

    @property
    def next_label(self) -> str:
        """下月 / 下季度 / 下一年度 — the heading of the plan section."""
        return {"month": "下月", "quarter": "下季度", "year": "下一年度"}[self.kind]

    def check_not_future(self, today: date) -> None:
        """A period must have ended before it is reported (the current month has no final figures)."""
        if self.current.end >= today:
            raise ValidationError({"报表期间": f"{self.label}尚未结束，不能生成{self.noun}（今天是{chinese_date(today)}）"})


@dataclass(frozen=True)
class FigureDef:
    key: str  # ascii id, used in the Word template (``f.projects_active``)
    label: str  # the Chinese name, the Excel placeholder ({{在监项目数}})
    unit: str
    definition: str
    detail: str | None = None  # key of the DetailDef listing the records counted
    digits: int = 0  # decimals shown (万元, 万m², %)
    #: a rate (%) computed from other figures; its change is shown in percentage points
    rate: bool = False
    #: a state at the end of the period (open hazards …): the YTD value is the same state
    stock: bool = False
    #: False: the records keep only today's state behind it (a 形象进度, who the 总包 is …), so a past
    #: period cannot be reconstructed: 去年同期 and 去年累计 stay empty ("—"), the definition says why
    history: bool = True


@dataclass(frozen=True)
class DetailColumn:
    header: str
    kind: str = "text"  # text | int | date | datetime | money | area
    width: int = 14


@dataclass(frozen=True)
class DetailDef:
    key: str
    title: str
    columns: tuple[DetailColumn, ...]
    statement: Callable[[Period], Select[Any]]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple[FigureDef, ...]
    compute: Callable[[Session, Period], dict[str, Value]]
    details: tuple[DetailDef, ...] = ()
    #: "" when the registry is kept; else why the section is empty (本站尚未建立该台账)
    availability: Callable[[Session], str] = field(default=lambda _s: "")
    #: the figures are a state on the period's last day only (computed once per distinct end date)
    as_of: bool = False
    #: for an ``as_of`` section: its figures on several days in one call (end date → values)
    compute_days: Callable[[Session, Sequence[date]], dict[date, dict[str, Value]]] | None = None


def percent(part: int | Decimal | None, whole: int | Decimal | None, digits: int = 1) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def wan(value: int | Decimal | None, divisor: int, digits: int = 2) -> Decimal:
    """Sum → 万 units (fen ÷ 1,000,000 for 万元; m² ÷ 10,000 for 万m²)."""
    return (Decimal(value or 0) / divisor).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def has_tables(session: Session, *names: str) -> bool:
    """Whether the database has these tables (a registry whose migration has not run yet has not)."""
    bind = session.get_bind()
    insp = inspect(bind)
    return all(insp.has_table(n) for n in names)
