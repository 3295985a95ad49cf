"""法定节假日安排: which years the working-day calendar knows, and saving a year's arrangement.

Each November or December the State Council publishes next year's arrangement; until an admin enters
it, deadlines reaching that year are 暂定 (``services.deadlines``). Saving a year validates it against
《全国年节及纪念日放假办法》 (``rules.holiday_arrangement``), writes the ``calendar_years`` reference row
through the reference-data service (audited), and in the same transaction recomputes every
provisional date of that year (``services.deadline_refresh``). A year that already has data — entered
before, or shipped by the ``chinese-calendar`` package — is replaced only when the caller confirms;
:class:`ArrangementExists` carries the list of changes to confirm.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.errors import StationError, ValidationError
from station_app.formatting import chinese_date
from station_app.models import ReferenceRow
from station_app.rules import holiday_arrangement as ha
from station_app.rules.calendar import working_day_under
from station_app.rules.errors import RuleInputError
from station_app.rules.holiday_arrangement import Arrangement, ArrangementError, HolidayEntry
from station_app.rules.holiday_cn import from_package, parse_holiday_cn
from station_app.services import reference
from station_app.services.context import Actor, require
from station_app.services.deadline_refresh import MovedDeadline, provisional_count, recompute_provisional

if TYPE_CHECKING:
    from station_app.db.database import Database

DATASET = "calendar_years"
ADMIN, PACKAGE = "admin", "chinese-calendar"
SOURCE_LABELS = {ADMIN: "管理员录入", PACKAGE: "程序自带（chinese-calendar）"}


@dataclass(frozen=True)
class KnownYear:
    year: int
    source: str  # ADMIN or PACKAGE

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self.source]


@dataclass(frozen=True)
class CalendarStatus:
    today: date
    known: tuple[KnownYear, ...]
    #: the first year from today's on that the calendar does not know
    first_unknown: int
    #: the day of this year from which next year's arrangement is asked for
    reminder_from: date
    #: the year the home card asks the admin to enter (None: nothing is due)
    due_year: int | None
    #: stored 暂定 dates reaching ``due_year`` (or ``first_unknown`` when nothing is due)
    provisional: int

    @property
    def card_title(self) -> str:
        return f"{self.due_year}年法定节假日安排尚未录入" if self.due_year else ""

    def known_text(self) -> str:
        """'2004—2026年 程序自带（chinese-calendar）；2027年 管理员录入'."""
        parts: list[tuple[int, int, str]] = []
        for k in self.known:
            if parts and parts[-1][1] == k.year - 1 and parts[-1][2] == k.label:
                parts[-1] = (parts[-1][0], k.year, k.label)
            else:
                parts.append((k.year, k.year, k.label))
        return "；".join(f"{a}年 {label}" if a == b else f"{a}—{b}年 {label}" for a, b, label in parts)


@dataclass(frozen=True)
class SaveResult:
    year: int
    #: the year had data before (entered, or shipped by the package) and was replaced
    replaced: bool
    #: what changed against that data, one line per holiday (and the working-day summary)
    changes: list[str] = field(default_factory=list)
    moved: list[MovedDeadline] = field(default_factory=list)


class ArrangementExists(StationError):
    """The year has data; saving replaces it only when confirmed (``replace=True``)."""

    def __init__(self, year: int, changes: list[str]) -> None:
        self.year, self.changes = year, changes
        listed = "\n".join(f"• {c}" for c in changes) or "（与现有数据相同）"
        super().__init__(f"{year}年已有节假日安排，保存将替换为新录入的安排：\n{listed}")


# --------------------------------------------------------------------------- reading


def _admin_rows(session: Session) -> dict[int, ReferenceRow]:
    rows: dict[int, ReferenceRow] = {}
    for r in session.scalars(select(ReferenceRow).where(ReferenceRow.dataset == DATASET).order_by(ReferenceRow.id)):
        rows.setdefault(int(json.loads(r.payload_json)["year"]), r)
    return rows


def _package_years() -> set[int]:
    from chinese_calendar import constants as cc

    return {d.year for d in cc.holidays} | {d.year for d in cc.workdays}


def existing_arrangement(session: Session, year: int) -> tuple[Arrangement | None, str]:
    """The data the calendar has for ``year`` and where it comes from (ADMIN, PACKAGE, or "")."""
    row = _admin_rows(session).get(year)
    if row is not None:
        try:
            return ha.from_row(json.loads(row.payload_json)), ADMIN
        except RuleInputError as err:
            raise ValidationError({f"{year}年已存的节假日安排": str(err)}) from None
    package = from_package(year)
    return (package, PACKAGE) if package is not None else (None, "")


def calendar_status(session: Session, today: date) -> CalendarStatus:
    """What the home card and ``station-app calendar status`` show."""
    admin = set(_admin_rows(session))
    package = _package_years()
    known = tuple(KnownYear(y, ADMIN if y in admin else PACKAGE) for y in sorted(admin | package))
    first_unknown = today.year
    while first_unknown in admin | package:
        first_unknown += 1
    try:
        reminder = ha.reminder_from(today.year)
    except RuleInputError as err:
        raise ValidationError({"提醒日期": str(err)}) from None
    due: int | None = None
    if first_unknown == today.year or (first_unknown == today.year + 1 and today >= reminder):
        due = first_unknown
    return CalendarStatus(today, known, first_unknown, reminder, due,
                          provisional_count(session, due or first_unknown))


def parse_holiday_file(path: Path, year: int | None = None) -> Arrangement:
    """A holiday-cn JSON file → Arrangement, not yet checked against the statutory days (the dialog
    shows those problems beside its fields); ValidationError naming the line when it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"文件": f"{Path(path).name} 不是 UTF-8 编码的文本文件"}) from None
    except OSError as err:
        raise ValidationError({"文件": f"无法读取 {path}：{err.strerror or err}"}) from None
    try:
        return parse_holiday_cn(text, year)
    except ArrangementError as err:
        raise _invalid(err) from None


def read_holiday_file(path: Path, year: int | None = None) -> Arrangement:
    """A holiday-cn JSON file → a validated Arrangement; ValidationError naming the line otherwise."""
    try:
        return ha.validate(parse_holiday_file(path, year))
    except ArrangementError as err:
        raise _invalid(err) from None


def import_source(year: int, path: Path) -> str:
    """The ``source`` of a year imported from a file."""
    return f"国务院办公厅关于{year}年部分节假日安排的通知（从 {Path(path).name} 导入）"


def _invalid(err: ArrangementError) -> ValidationError:
    return ValidationError({f or "节假日安排": m for f, m in err.problems})


# --------------------------------------------------------------------------- comparing


def _span(e: HolidayEntry) -> str:
    end = e.off_to
    tail = f"{end.month}月{end.day}日" if end.year == e.off_from.year else chinese_date(end)
    text = chinese_date(e.off_from) + ("" if e.off_to == e.off_from else f"至{tail}") + "放假"
    if e.work_days:
        text += "，" + "、".join(f"{d.month}月{d.day}日" for d in e.work_days) + "调休上班"
    return text


def diff_arrangement(old: Arrangement | None, new: Arrangement, *, limit: int = 12) -> list[str]:
    """What replacing ``old`` by ``new`` changes: one line per holiday that differs, then the days
    that turn from working day to rest day and back (at most ``limit`` listed each)."""
    if old is None:
        return []
    lines: list[str] = []
    seen: set[tuple[str, str]] = set()
    for holiday in ha.HOLIDAY_NAMES:
        a, b = old.entry(holiday), new.entry(holiday)
        pair = (a.name if a else "", b.name if b else "")
        if pair in seen or pair == ("", ""):
            continue
        seen.add(pair)
        if a is not None and b is not None and (a.off_from, a.off_to, a.work_days) == (b.off_from, b.off_to,
                                                                                       b.work_days):
            continue
        if a is None:
            assert b is not None
            lines.append(f"{b.name}：新增 {_span(b)}")
        elif b is None:
            lines.append(f"{a.name}：删除 {_span(a)}")
        else:
            lines.append(f"{b.name}：{_span(a)} → {_span(b)}")
    old_rest, old_work = set(old.holidays()), set(old.workdays())
    new_rest, new_work = set(new.holidays()), set(new.workdays())
    first = date(new.year, 1, 1)
    days = [first + timedelta(days=i) for i in range((date(new.year + 1, 1, 1) - first).days)]
    to_rest = [d for d in days if working_day_under(d, old_rest, old_work) and not working_day_under(d, new_rest, new_work)]
    to_work = [d for d in days if not working_day_under(d, old_rest, old_work) and working_day_under(d, new_rest, new_work)]
    for listed, what in ((to_rest, "由工作日改为休息日"), (to_work, "由休息日改为工作日")):
        if listed:
            more = f"等{len(listed)}天" if len(listed) > limit else ""
            lines.append("、".join(f"{d.month}月{d.day}日" for d in listed[:limit]) + more + what)
    return lines


# --------------------------------------------------------------------------- saving


def save_arrangement(session: Session, actor: Actor, arrangement: Arrangement, *, replace: bool = False,
                     source: str = "", confidence: str = "V") -> SaveResult:
    """Validate and store ``arrangement`` (audited), then recompute the year's 暂定 dates in the same
    transaction. Raises ValidationError (nothing written) or ArrangementExists unless ``replace``.

    The rules kernel reads the stored rows once the transaction is committed: callers reload it
    (:func:`save_and_reload` does both)."""
    require(actor, "reference.edit")
    try:
        ha.validate(arrangement)
    except ArrangementError as err:
        raise _invalid(err) from None
    year = arrangement.year
    old, origin = existing_arrangement(session, year)
    changes = diff_arrangement(old, arrangement)
    if origin and not replace:
        raise ArrangementExists(year, changes)
    row = ha.to_row(arrangement, source=source, confidence=confidence)
    stored = _admin_rows(session).get(year)
    if stored is None:
        reference.add_row(session, actor, DATASET, row)
    elif json.loads(stored.payload_json) != {**row, "key": stored.key}:
        reference.edit_row(session, actor, stored.id, row)
    moved = recompute_provisional(session, actor, year)
    return SaveResult(year, bool(origin), changes, moved)


def save_and_reload(db: Database, actor: Actor, arrangement: Arrangement, *, replace: bool = False,
                    source: str = "", confidence: str = "V") -> SaveResult:
    """:func:`save_arrangement` in its own transaction; once committed, the rules use the new year."""
    with db.write() as s:
        result = save_arrangement(s, actor, arrangement, replace=replace, source=source, confidence=confidence)
    reference.load_into_rules(db)
    return result


def moved_lines(moved: list[MovedDeadline]) -> list[str]:
    """One line per recomputed date, for the CLI and the log: "隐患 … ：原 2027年1月8日（暂定） → 2027年1月11日"."""
    from station_app.services.deadlines import deadline_text

    return [f"{m.record}：{deadline_text(m.old_day, True)} → {deadline_text(m.new_day, m.still_provisional)}"
            for m in moved]
