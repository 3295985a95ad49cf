"""Where a year's arrangement comes from besides the admin's dialog: a ``holiday-cn`` JSON file, and
the ``chinese-calendar`` package (for the years it ships — shown in the dialog and compared on replace).

holiday-cn's layout: ``{"year": 2027, "days": [{"name": "春节", "date": "2027-02-06", "isOffDay": true}, …]}``
— one item per day off (``isOffDay`` true) or weekend day worked (false); holidays taken together are
named together ("国庆节、中秋节"). Every problem names the file's line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from .holiday_arrangement import (
    HOLIDAY_NAMES,
    JOIN,
    Arrangement,
    ArrangementError,
    HolidayEntry,
    Problem,
    days_apart,
    merged,
    runs_of,
)

__all__ = ["from_package", "parse_holiday_cn"]


def parse_holiday_cn(text: str, year: int | None = None) -> Arrangement:
    """A holiday-cn JSON text → Arrangement (not yet validated: call :func:`validate`).

    ``year``: the year expected (the file's ``year`` must agree), or the year of a file without one.
    Off days of another year that fall on a weekend (元旦 taken from 31 December) change nothing and
    are skipped; any other day outside the year is a problem. Each problem names the line.
    """
    text = text.removeprefix("\ufeff")
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as err:
        raise ArrangementError([(f"第{err.lineno}行第{err.colno}列", f"不是有效的 JSON 格式（{err.msg}）")]) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("days"), list):
        raise ArrangementError([("", "文件格式不对：应为 holiday-cn 格式，含 year 和 days 两项")])
    file_year = payload.get("year")
    if file_year is not None and (isinstance(file_year, bool) or not isinstance(file_year, int)):
        raise ArrangementError([(f"第{_key_line(text, 'year')}行", f"year 应为年份数字：{file_year!r}")])
    if year is not None and file_year is not None and file_year != year:
        raise ArrangementError([(f"第{_key_line(text, 'year')}行", f"文件是{file_year}年的安排，不是{year}年的")])
    target = year if year is not None else file_year
    if target is None:
        raise ArrangementError([("", "文件中没有年份（year），请指定年份")])
    if not payload["days"]:
        raise ArrangementError([("", f"文件中没有任何日期（days 为空）：{target}年的安排可能尚未发布")])
    try:
        lines = _day_lines(text)
    except (ValueError, IndexError):  # an unusual but valid layout: items are then named by number
        lines = []
    return _from_days(target, payload["days"], lines)


def _from_days(year: int, days: list[Any], lines: list[int]) -> Arrangement:
    found: list[Problem] = []
    off: dict[str, list[tuple[date, int]]] = {}
    work: dict[str, list[date]] = {}
    for index, item in enumerate(days):
        where = f"第{lines[index]}行" if index < len(lines) else f"days 第{index + 1}项"
        parsed = _day_item(item, where, found)
        if parsed is None:
            continue
        name, day, is_off = parsed
        if day.year != year:
            if not (is_off and day.weekday() >= 5):
                found.append((where, f"{day.isoformat()}不在{year}年内（跨年的日期请在该年的安排中录入）"))
            continue
        unknown = [p for p in name.split(JOIN) if p.strip() not in HOLIDAY_NAMES]
        if unknown:
            found.append((where, f"未知的节日名称“{unknown[0]}”（应为 {'、'.join(HOLIDAY_NAMES)}）"))
            continue
        if is_off:
            off.setdefault(name, []).append((day, lines[index] if index < len(lines) else index + 1))
        else:
            work.setdefault(name, []).append(day)
    entries: list[HolidayEntry] = []
    for name, items in off.items():
        items.sort()
        for (prev, _), (day, line) in pairwise(items):
            if (day - prev).days != 1:
                found.append((f"第{line}行", f"{name}的放假日期不连续：{prev.isoformat()}之后是{day.isoformat()}"))
                break
        entries.append(HolidayEntry(name, items[0][0], items[-1][0], tuple(sorted(set(work.get(name, ()))))))
    for name in work:
        if name not in off:
            found.append((name, "文件中只有调休上班日，没有放假日期"))
    if found:
        raise ArrangementError(merged(found))
    entries.sort(key=lambda e: e.off_from)
    return Arrangement(year, tuple(entries))


def _day_item(item: object, where: str, found: list[Problem]) -> tuple[str, date, bool] | None:
    if not isinstance(item, Mapping):
        found.append((where, "应为 {\"name\": …, \"date\": …, \"isOffDay\": …}"))
        return None
    name, text, is_off = item.get("name"), item.get("date"), item.get("isOffDay")
    if not isinstance(name, str) or not name.strip():
        found.append((where, "缺少节日名称（name）"))
        return None
    if not isinstance(is_off, bool):
        found.append((where, "isOffDay 应为 true（放假）或 false（调休上班）"))
        return None
    try:
        day = date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        day = None
    if day is None:
        found.append((where, f"日期无效（应为 YYYY-MM-DD）：{text!r}"))
        return None
    return name.strip(), day, is_off


def _key_line(text: str, key: str) -> int:
    index = text.find(f'"{key}"')
    return text.count("\n", 0, max(index, 0)) + 1


def _day_lines(text: str) -> list[int]:
    """The line on which each item of the top-level ``days`` list starts (the JSON is valid)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[\s,:]*")

    def skip(i: int) -> int:
        match = ws.match(text, i)
        return match.end() if match else i

    i = skip(text.index("{") + 1)
    while i < len(text) and text[i] != "}":
        key, i = decoder.raw_decode(text, i)
        i = skip(i)
        if key != "days":
            _value, i = decoder.raw_decode(text, i)
            i = skip(i)
            continue
        lines: list[int] = []
        i = skip(i + 1)  # past "["
        while text[i] != "]":
            lines.append(text.count("\n", 0, i) + 1)
            _value, i = decoder.raw_decode(text, i)
            i = skip(i)
        return lines
    return []



def _joins(group: tuple[list[str], date, date], start: date, name: str) -> bool:
    """A run starting on ``start`` belongs to ``group``: it overlaps or touches it, or it is the same
    holiday resumed after a weekend the package does not list."""
    names, _g_start, g_end = group
    if start <= g_end + timedelta(days=1):
        return True
    gap = [g_end + timedelta(days=i) for i in range(1, (start - g_end).days)]
    return name in names and all(d.weekday() >= 5 for d in gap)


#: chinese-calendar's holiday names → the notice's
_PACKAGE_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
                  "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节",
                  "National Day": "国庆节"}


def from_package(year: int) -> Arrangement | None:
    """The arrangement the ``chinese-calendar`` package ships for ``year`` (None when it has none).
    Holidays taken together (2025: 国庆节 with 中秋节 inside) become one entry."""
    from chinese_calendar import constants as cc

    def name_of(value: object) -> str:
        text = str(getattr(value, "value", value))
        return _PACKAGE_NAMES.get(text, text)

    spans: dict[str, list[date]] = {}
    for day, holiday in cc.holidays.items():
        if day.year == year:
            spans.setdefault(name_of(holiday), []).append(day)
    if not spans:
        return None
    runs = sorted((start, end, name) for name, days in spans.items() for start, end in runs_of(sorted(days)))
    groups: list[tuple[list[str], date, date]] = []
    for start, end, name in runs:
        if groups and _joins(groups[-1], start, name):
            names, g_start, g_end = groups[-1]
            groups[-1] = (list(dict.fromkeys([*names, name])), g_start, max(g_end, end))
        else:
            groups.append(([name], start, end))
    order = {n: i for i, n in enumerate(HOLIDAY_NAMES)}
    entries = [HolidayEntry(JOIN.join(sorted(names, key=lambda n: order.get(n, 99))), start, end)
               for names, start, end in groups]
    work: dict[int, list[date]] = {}
    for day, holiday in cc.workdays.items():
        mine = [i for i, (names, _s, _e) in enumerate(groups) if name_of(holiday) in names]
        if day.year == year and mine:
            work.setdefault(min(mine, key=lambda i: days_apart(entries[i], day)), []).append(day)
    entries = [HolidayEntry(e.name, e.off_from, e.off_to, tuple(sorted(work.get(i, ())))) for i, e in enumerate(entries)]
    return Arrangement(year, tuple(entries))
