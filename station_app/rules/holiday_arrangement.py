"""A year's 节假日安排 as the State Council notice states it: per holiday, the 放假 range and the 调休上班 days.

The notice (国务院办公厅关于××年部分节假日安排的通知) comes out each November or December. An admin
enters it in one dialog or imports it from a file in the layout of the widely used ``holiday-cn`` data
(``{"year": 2027, "days": [{"name": "春节", "date": "2027-02-06", "isOffDay": true}, …]}``). Before it
is stored it is checked against 《全国年节及纪念日放假办法》: every statutory holiday day (the
``statutory_holidays`` reference data — the counts changed on 2025-01-01) must lie inside the 放假 range of
its holiday, ranges do not overlap, 调休上班 days are Saturdays or Sundays, every date lies in the year.

Problems are ``(field, message)`` pairs; the field names the holiday and the part of it
("春节 放假起始日") or the file's line ("第12行"), so a form can show each beside its field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from station_app.formatting import chinese_date

from . import refdata
from .errors import RuleInputError
from .schema import HOLIDAY_NAMES

__all__ = [
    "HOLIDAY_NAMES",
    "JOIN",
    "Arrangement",
    "ArrangementError",
    "HolidayEntry",
    "Problem",
    "StatutoryDay",
    "days_apart",
    "from_row",
    "join_covered",
    "merged",
    "parse_range_text",
    "problems",
    "range_text",
    "reminder_from",
    "runs_of",
    "statutory_days",
    "to_row",
    "validate",
]

Problem = tuple[str, str]
_WEEKDAYS = "一二三四五六日"
#: holiday-cn joins holidays taken together: "国庆节、中秋节"
JOIN = "、"


class ArrangementError(RuleInputError):
    """The arrangement (or the file it came from) has problems; nothing may be stored."""

    def __init__(self, found: list[Problem]) -> None:
        self.problems = found
        super().__init__("；".join(f"{f}：{m}" if f else m for f, m in found))


@dataclass(frozen=True)
class HolidayEntry:
    """One holiday of the notice. ``name`` may join holidays taken together ("国庆节、中秋节")."""

    name: str
    off_from: date
    off_to: date
    work_days: tuple[date, ...] = ()

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.name.split(JOIN))

    def off_days(self) -> list[date]:
        return [self.off_from + timedelta(days=i) for i in range((self.off_to - self.off_from).days + 1)]

    def covers(self, day: date) -> bool:
        return self.off_from <= day <= self.off_to


@dataclass(frozen=True)
class Arrangement:
    year: int
    entries: tuple[HolidayEntry, ...] = field(default_factory=tuple)

    def holidays(self) -> list[date]:
        """Every day off (weekends inside a range included), sorted."""
        return sorted({d for e in self.entries for d in e.off_days()})

    def workdays(self) -> list[date]:
        """The weekend days worked (调休上班), sorted."""
        return sorted({d for e in self.entries for d in e.work_days})

    def entry(self, holiday: str) -> HolidayEntry | None:
        """The entry that holds ``holiday`` (alone or taken together with another)."""
        return next((e for e in self.entries if holiday in e.parts), None)


def _weekday(day: date) -> str:
    return f"星期{_WEEKDAYS[day.weekday()]}"


def _cn(day: date) -> str:
    return chinese_date(day)


# --------------------------------------------------------------------------- statutory days


@dataclass(frozen=True)
class StatutoryDay:
    holiday: str
    day: date
    label: str  # "除夕", "正月初一", "5月2日", "清明"


def statutory_days(year: int) -> list[StatutoryDay]:
    """The days 《全国年节及纪念日放假办法》 gives off in ``year`` (rows in force on 1 January)."""
    from lunar_python import Lunar, Solar  # lunar→solar conversion (MIT licence), only loaded here

    out: list[StatutoryDay] = []
    for row in refdata.rows_in_force("statutory_holidays", date(year, 1, 1)):
        holiday, kind = row["holiday"], row["calendar"]
        if kind == "节气":
            term = row.get("solar_term") or holiday.removesuffix("节")
            table = Lunar.fromYmd(year, 1, 1).getJieQiTable()
            if term not in table:
                raise RuleInputError(f"法定节假日“{holiday}”的节气名称无效：{term!r}")
            solar = table[term]
            anchor = date(solar.getYear(), solar.getMonth(), solar.getDay())
        elif kind == "农历":
            solar = Lunar.fromYmd(year, int(row["month"]), int(row["day"])).getSolar()
            anchor = date(solar.getYear(), solar.getMonth(), solar.getDay())
        else:
            anchor = date(year, int(row["month"]), int(row["day"]))
        for i in range(int(row["days"])):
            day = anchor + timedelta(days=int(row["start_offset"]) + i)
            if kind == "公历":
                label = f"{day.month}月{day.day}日"
            elif kind == "节气":
                label = str(row.get("solar_term") or holiday)
            else:
                lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
                nxt = Solar.fromYmd(day.year, day.month, day.day).next(1).getLunar()
                is_eve = nxt.getMonth() == 1 and nxt.getDay() == 1
                label = "除夕" if is_eve else f"{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}"
            out.append(StatutoryDay(holiday, day, label))
    return sorted(out, key=lambda s: s.day)


# --------------------------------------------------------------------------- validation


def problems(arr: Arrangement) -> list[Problem]:
    """Everything wrong with ``arr``, each naming its holiday and field; [] when it may be stored."""
    year = arr.year
    found: list[Problem] = []
    if not 1901 <= year <= 2099:
        return [("年份", f"应在1901～2099之间：{year}")]
    seen: dict[str, str] = {}
    for e in arr.entries:
        for part in e.parts:
            if part not in HOLIDAY_NAMES:
                found.append((e.name, f"未知的节日名称“{part}”（应为 {'、'.join(HOLIDAY_NAMES)}）"))
            elif part in seen:
                found.append((e.name, f"{part}重复录入"))
            seen[part] = e.name
        for label, day in (("放假起始日", e.off_from), ("放假结束日", e.off_to)):
            if day.year != year:
                found.append((f"{e.name} {label}", f"{_cn(day)}不在{year}年内"))
        if e.off_to < e.off_from:
            found.append((f"{e.name} 放假结束日", f"{_cn(e.off_to)}早于放假起始日{_cn(e.off_from)}"))
        found.extend(_work_day_problems(arr, e))
    found.extend(_overlaps(arr.entries))
    if not found:  # coverage is only meaningful once every range is sound
        found.extend(_coverage(arr))
    return merged(found)


def _work_day_problems(arr: Arrangement, e: HolidayEntry) -> list[Problem]:
    key = f"{e.name} 调休上班日"
    found: list[Problem] = []
    for day in e.work_days:
        if day.year != arr.year:
            found.append((key, f"{_cn(day)}不在{arr.year}年内"))
        elif day.weekday() < 5:
            found.append((key, f"{_cn(day)}是{_weekday(day)}，调休上班日应为周六或周日"))
        elif any(other.covers(day) for other in arr.entries):
            found.append((key, f"{_cn(day)}在放假期间内，不能同时是调休上班日"))
        elif sum(day in other.work_days for other in arr.entries) > 1:
            found.append((key, f"{_cn(day)}重复录入"))
    return found


def _overlaps(entries: Iterable[HolidayEntry]) -> list[Problem]:
    ordered = sorted((e for e in entries if e.off_from <= e.off_to), key=lambda e: e.off_from)
    return [(f"{b.name} 放假起始日",
             f"与{a.name}的放假期间（{_cn(a.off_from)}至{_cn(a.off_to)}）重叠")
            for a, b in pairwise(ordered) if b.off_from <= a.off_to]


def _coverage(arr: Arrangement) -> list[Problem]:
    found: list[Problem] = []
    for s in statutory_days(arr.year):
        own = arr.entry(s.holiday)
        what = f"法定节假日{_cn(s.day)}（{s.label}）"
        if own is not None:
            if not own.covers(s.day):
                found.append((f"{own.name} 放假期间", f"应包含{what}"))
        elif not any(e.covers(s.day) for e in arr.entries):
            found.append((s.holiday, f"未填写放假日期：{what}不在任何放假期间内"))
    return found


def merged(found: list[Problem]) -> list[Problem]:
    """One problem per field (a form shows one line per field), messages joined, order kept."""
    by_field: dict[str, list[str]] = {}
    for f, m in found:
        if m not in by_field.setdefault(f, []):
            by_field[f].append(m)
    return [(f, "；".join(ms)) for f, ms in by_field.items()]


def join_covered(arr: Arrangement) -> Arrangement:
    """Name holidays taken together as the notice does: a holiday without an entry of its own whose
    statutory days all lie in another entry's range joins that entry's name (中秋节 inside 国庆节's
    range → "中秋节、国庆节")."""
    order = {n: i for i, n in enumerate(HOLIDAY_NAMES)}
    stat = statutory_days(arr.year)
    joined = {e.name: list(e.parts) for e in arr.entries}
    for holiday in HOLIDAY_NAMES:
        days = [s.day for s in stat if s.holiday == holiday]
        if arr.entry(holiday) is not None or not days:
            continue
        host = next((e for e in arr.entries if all(e.covers(d) for d in days)), None)
        if host is not None:
            joined[host.name].append(holiday)
    return Arrangement(arr.year, tuple(
        HolidayEntry(JOIN.join(sorted(joined[e.name], key=lambda n: order.get(n, 99))), e.off_from, e.off_to,
                     e.work_days) for e in arr.entries))


def validate(arr: Arrangement) -> Arrangement:
    """``arr`` when it may be stored; else ArrangementError listing every problem."""
    found = problems(arr)
    if found:
        raise ArrangementError(found)
    return arr


# --------------------------------------------------------------------------- the reference row

_RANGE = re.compile(r"^(?P<name>[^：]+)：(?P<start>\d{4}-\d{2}-\d{2})至(?P<end>\d{4}-\d{2}-\d{2})"
                    r"(?:；调休上班 (?P<work>[\d\-、]+))?$")


def range_text(e: HolidayEntry) -> str:
    """The stored form of one entry: "春节：2027-02-05至2027-02-13；调休上班 2027-02-01、2027-02-20"."""
    text = f"{e.name}：{e.off_from.isoformat()}至{e.off_to.isoformat()}"
    return text + (f"；调休上班 {JOIN.join(d.isoformat() for d in e.work_days)}" if e.work_days else "")


def parse_range_text(text: str) -> HolidayEntry:
    match = _RANGE.match(str(text).strip())
    if match is None:
        raise RuleInputError(f"节日放假记录格式不对：{text!r}（应如“春节：2027-02-05至2027-02-13；调休上班 2027-02-01”）")
    try:
        work = tuple(date.fromisoformat(d) for d in match["work"].split(JOIN)) if match["work"] else ()
        return HolidayEntry(match["name"], date.fromisoformat(match["start"]), date.fromisoformat(match["end"]),
                            work)
    except ValueError:
        raise RuleInputError(f"节日放假记录中的日期无效：{text!r}") from None


def to_row(arr: Arrangement, *, source: str = "", confidence: str = "V", note: str = "") -> dict[str, Any]:
    """The ``calendar_years`` row for ``arr`` (key = the year). ``holidays``/``workdays`` are what
    ``rules.calendar`` reads; ``holiday_ranges`` keeps the notice's shape for the dialog."""
    return {
        "key": str(arr.year),
        "year": arr.year,
        "holidays": [d.isoformat() for d in arr.holidays()],
        "workdays": [d.isoformat() for d in arr.workdays()],
        "holiday_ranges": [range_text(e) for e in sorted(arr.entries, key=lambda e: e.off_from)],
        "source": source or f"国务院办公厅关于{arr.year}年部分节假日安排的通知",
        "confidence": confidence,
        "effective_from": None,
        "effective_to": None,
        "note": note,
    }


def from_row(row: Mapping[str, Any]) -> Arrangement:
    """A stored ``calendar_years`` row → Arrangement. A row from before the ranges were kept (only the
    day lists) is rebuilt: consecutive days off form a range, named after the holidays it holds."""
    year = int(row["year"])
    ranges = row.get("holiday_ranges") or []
    if ranges:
        return Arrangement(year, tuple(parse_range_text(t) for t in ranges))
    holidays = sorted(refdata.parse_date(d, "holidays") for d in row.get("holidays") or ())
    workdays = sorted(refdata.parse_date(d, "workdays") for d in row.get("workdays") or ())
    return _rebuilt(year, holidays, workdays)


def runs_of(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days → (first, last) of each stretch of consecutive days."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _rebuilt(year: int, holidays: list[date], workdays: list[date]) -> Arrangement:
    statutory = statutory_days(year)
    entries: list[HolidayEntry] = []
    for start, end in runs_of(holidays):
        names = list(dict.fromkeys(s.holiday for s in statutory if start <= s.day <= end)) or ["其他"]
        entries.append(HolidayEntry(JOIN.join(names), start, end))
    if not entries:
        return Arrangement(year, ())
    # a 调休 day belongs to the nearest holiday
    work: dict[int, list[date]] = {}
    for day in workdays:
        nearest = min(range(len(entries)), key=lambda i: days_apart(entries[i], day))
        work.setdefault(nearest, []).append(day)
    return Arrangement(year, tuple(HolidayEntry(e.name, e.off_from, e.off_to, tuple(work.get(i, ())))
                                   for i, e in enumerate(entries)))


def days_apart(e: HolidayEntry, day: date) -> int:
    """How far ``day`` lies from the entry's range (0 inside or at an end)."""
    return 0 if e.covers(day) else min(abs((e.off_from - day).days), abs((e.off_to - day).days))


def reminder_from(year: int) -> date:
    """The day of ``year`` from which the next year's arrangement is asked for (rule constants
    ``calendar_reminder_month`` / ``calendar_reminder_day``, 11月1日 as shipped)."""
    month = int(refdata.parse_decimal(refdata.row_by_key("rule_constants", "calendar_reminder_month")["value"]))
    day = int(refdata.parse_decimal(refdata.row_by_key("rule_constants", "calendar_reminder_day")["value"]))
    try:
        return date(year, month, day)
    except ValueError:
        raise RuleInputError(f"规则常数“提醒录入下一年法定节假日安排”的日期无效：{month}月{day}日") from None
