"""Arrangements for the holiday tests.

``REAL_2026`` is the State Council's arrangement for 2026 (国务院办公厅, 2025-11-04; see
shared/domain/registries.md §6). ``INVENTED_2027`` is made up for the tests — the real 2027 arrangement
is not published in any source we have; never take these dates for it.
"""

from __future__ import annotations

import json
from datetime import date

from station_app.rules.holiday_arrangement import Arrangement, HolidayEntry


def entry(name: str, start: str, end: str, *work: str) -> HolidayEntry:
    return HolidayEntry(name, date.fromisoformat(start), date.fromisoformat(end),
                        tuple(date.fromisoformat(w) for w in work))


REAL_2026 = Arrangement(2026, (
    entry("元旦", "2026-01-01", "2026-01-03", "2026-01-04"),
    entry("春节", "2026-02-15", "2026-02-23", "2026-02-14", "2026-02-28"),
    entry("清明节", "2026-04-04", "2026-04-06"),
    entry("劳动节", "2026-05-01", "2026-05-05", "2026-05-09"),
    entry("端午节", "2026-06-19", "2026-06-21"),
    entry("中秋节", "2026-09-25", "2026-09-27"),
    entry("国庆节", "2026-10-01", "2026-10-07", "2026-09-20", "2026-10-10"),
))

#: INVENTED for the tests (除夕 2027-02-05, 清明 04-05, 端午 06-09, 中秋 09-15 are the real lunar dates)
INVENTED_2027 = Arrangement(2027, (
    entry("元旦", "2027-01-01", "2027-01-03"),
    entry("春节", "2027-02-05", "2027-02-13", "2027-01-31", "2027-02-20"),
    entry("清明节", "2027-04-03", "2027-04-05"),
    entry("劳动节", "2027-05-01", "2027-05-05", "2027-04-25", "2027-05-08"),
    entry("端午节", "2027-06-09", "2027-06-09"),
    entry("中秋节", "2027-09-15", "2027-09-15"),
    entry("国庆节", "2027-10-01", "2027-10-07", "2027-09-26", "2027-10-09"),
))


def holiday_cn_text(arr: Arrangement, indent: int | None = 4) -> str:
    """``arr`` in holiday-cn's layout, one item per day, as that project writes its files."""
    days = [{"name": e.name, "date": d.isoformat(), "isOffDay": True} for e in arr.entries for d in e.off_days()]
    days += [{"name": e.name, "date": d.isoformat(), "isOffDay": False} for e in arr.entries for d in e.work_days]
    days.sort(key=lambda item: str(item["date"]))
    return json.dumps({"year": arr.year, "papers": [], "days": days}, ensure_ascii=False, indent=indent)
