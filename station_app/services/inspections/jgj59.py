"""The optional JGJ 59-2011 scoring sheet of an inspection.

The supervisor enters 实得分 per item actually checked (items not checked are 缺项: no entry); the
item-table scores, the summary total and the grade come from :mod:`station_app.rules.jgj59` and are
stored with the entries and the edition, so a later change of the rules data can be re-applied
(:func:`recompute_sheet`) and compared.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.base import now
from station_app.errors import NotFound, ValidationError
from station_app.models import Jgj59Entry, Jgj59Sheet
from station_app.rules import jgj59
from station_app.rules.errors import RuleInputError
from station_app.services import audit
from station_app.services.attachments import editable_inspection
from station_app.services.context import Actor
from station_app.services.inspections.campaigns import jgj59_item_keys

EDITION = "JGJ 59-2011"
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Jgj59EntryData:
    item_key: str  # "B.1-3"
    earned: Decimal
    note: str = ""


@dataclass(frozen=True)
class Jgj59Line:
    item_key: str
    table: str
    item: str
    full_points: Decimal
    earned: Decimal
    note: str


@dataclass(frozen=True)
class Jgj59Result:
    edition: str
    total: Decimal
    grade: str
    table_scores: dict[str, Decimal]  # "B.1" → 0–100
    lines: tuple[Jgj59Line, ...]
    computed_at: datetime | None = None


def _dec(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def compute(entries: Sequence[Jgj59EntryData]) -> Jgj59Result:
    """Score entries with the rules kernel. Bad entries raise ValidationError naming the item."""
    catalog = jgj59_item_keys()
    tables = {t.table: t for t in jgj59.item_tables()}
    errors: dict[str, str] = {}
    lines: list[Jgj59Line] = []
    seen: set[str] = set()
    for e in entries:
        spec = catalog.get(e.item_key)
        label = f"JGJ 59评分表 {e.item_key}"
        if spec is None:
            errors.setdefault(label, "不是 JGJ 59 检查评分表的项目")
            continue
        if e.item_key in seen:
            errors.setdefault(label, "重复录入")
            continue
        seen.add(e.item_key)
        table, item, full = spec
        try:
            earned = _dec(e.earned)
        except ArithmeticError:
            errors.setdefault(f"{label} {item}", "实得分应为数值")
            continue
        if not earned.is_finite() or not 0 <= earned <= full:
            errors.setdefault(f"{label} {item}", f"实得分须在0至{full}之间（录入为{e.earned}）")
            continue
        lines.append(Jgj59Line(e.item_key, table, item, full, earned, e.note[:200]))
    if not lines and not errors:
        errors["JGJ 59评分表"] = "至少录入一个检查项目的得分"
    if errors:
        raise ValidationError(errors)
    by_table: dict[str, dict[bool, list[tuple[float, float]]]] = defaultdict(lambda: {True: [], False: []})
    guarantee_keys = {f"{t.table}-{s.seq}" for t in tables.values() for s in t.guarantee}
    for line in lines:
        by_table[line.table][line.item_key in guarantee_keys].append((float(line.earned), float(line.full_points)))
    table_scores: dict[str, float] = {}
    by_heading: dict[str, list[float]] = defaultdict(list)
    try:
        for code, groups in by_table.items():
            score = jgj59.score_item_table(groups[True], groups[False])
            table_scores[code] = score
            by_heading[tables[code].heading].append(score)
        total, grade = jgj59.score_summary(by_heading)
    except RuleInputError as err:
        raise ValidationError({"JGJ 59评分表": str(err)}) from err
    ordered = sorted(table_scores, key=lambda c: int(c.partition(".")[2] or 0))
    return Jgj59Result(
        EDITION, _dec(total).quantize(_CENT, ROUND_HALF_UP), grade,
        {c: _dec(table_scores[c]).quantize(_CENT, ROUND_HALF_UP) for c in ordered},
        tuple(sorted(lines, key=lambda x: (int(x.table.partition(".")[2] or 0), int(x.item_key.rpartition("-")[2])))),
    )


def write_sheet(session: Session, inspection_id: int, entries: Sequence[Jgj59EntryData]) -> Jgj59Result | None:
    """Replace the inspection's sheet by ``entries`` (none: remove the sheet). Caller checks permission."""
    sheet = session.scalar(select(Jgj59Sheet).where(Jgj59Sheet.inspection_id == inspection_id))
    if not entries:
        if sheet is not None:
            session.delete(sheet)
        return None
    result = compute(entries)
    if sheet is None:
        sheet = Jgj59Sheet(inspection_id=inspection_id)
        session.add(sheet)
    _apply(sheet, result)
    # matched by item key and updated in place: replacing rows would insert a (sheet, item) pair before
    # the old one is deleted and trip the unique constraint
    current = {e.item_key: e for e in sheet.entries}
    rows: list[Jgj59Entry] = []
    for x in result.lines:
        row = current.get(x.item_key) or Jgj59Entry(item_key=x.item_key)
        row.table_code, row.full_points, row.earned, row.note = x.table, x.full_points, x.earned, x.note
        rows.append(row)
    sheet.entries = rows
    return result


def _apply(sheet: Jgj59Sheet, result: Jgj59Result) -> None:
    sheet.edition = result.edition
    sheet.total = result.total
    sheet.grade = result.grade
    sheet.table_scores_json = json.dumps({k: str(v) for k, v in result.table_scores.items()})
    sheet.computed_at = now()


def get_sheet(session: Session, inspection_id: int) -> Jgj59Result | None:
    sheet = session.scalar(select(Jgj59Sheet).where(Jgj59Sheet.inspection_id == inspection_id))
    if sheet is None:
        return None
    catalog = jgj59_item_keys()
    lines = tuple(Jgj59Line(e.item_key, e.table_code, catalog.get(e.item_key, ("", e.item_key, 0))[1],
                            e.full_points, e.earned, e.note) for e in sheet.entries)
    scores = {k: Decimal(v) for k, v in json.loads(sheet.table_scores_json or "{}").items()}
    return Jgj59Result(sheet.edition, sheet.total, sheet.grade, scores, lines, sheet.computed_at)


def recompute_sheet(session: Session, actor: Actor, inspection_id: int) -> Jgj59Result:
    """Score the stored entries again with the rules data now in force; audit any change of the result."""
    editable_inspection(session, actor, inspection_id)
    sheet = session.scalar(select(Jgj59Sheet).where(Jgj59Sheet.inspection_id == inspection_id))
    if sheet is None:
        raise NotFound("本次检查没有 JGJ 59 评分表。")
    result = compute([Jgj59EntryData(e.item_key, e.earned, e.note) for e in sheet.entries])
    before = {"total": str(sheet.total), "grade": sheet.grade}
    _apply(sheet, result)
    session.flush()
    after = {"total": str(result.total), "grade": result.grade}
    if before != after:
        audit.record(session, actor, "update", "inspection", inspection_id, before=before, after=after,
                     summary=f"重新计算JGJ 59评分：{result.total} {result.grade}")
    return get_sheet(session, inspection_id) or result
