"""Import a contractor's 分类使用台账 from an .xlsx workbook, all or nothing.

Layout (the blank template from :func:`write_template` has it): one header row with the columns
日期 · 类别 · 金额(元) · 凭证号 · 说明, in any order, anywhere in the first :data:`HEADER_SCAN_ROWS` rows
of the first sheet (a title line above it is fine); the rows under it are the entries, blank rows are
skipped. 类别 is the category key ("19-1"), its name or its article ("第十九条第（一）项"). 日期 is a date
cell or text like 2025-04-15 / 2025/4/15 / 2025年4月15日; 金额 is in 元 (two decimals at most).

Every row is checked like a typed entry (:func:`safety_fee_ledger.validate_usage`) plus: the 凭证号 must
not repeat inside the file nor match an entry already in the project's ledger. Every bad row is
reported as "第N行 字段" (N = the Excel row number); nothing is saved unless every row is good. Rows
that match the negative list are imported flagged 待复核, exactly like typed entries.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.errors import ValidationError
from station_app.formatting import chinese_date
from station_app.models.safety_fee import SafetyFeeUsage
from station_app.rules import safety_fee_usage as fee_rules
from station_app.services.context import Actor, require
from station_app.services.safety_fees.ledger import UsageData, save_usage, validate_usage
from station_app.services.safety_fees.records import get_project, require_basis
from station_app.services.validation import Checker, clean

#: the documented columns, in template order
COLUMNS = ("日期", "类别", "金额(元)", "凭证号", "说明")
#: header spellings accepted for each column (compared after removing spaces and brackets)
_ALIASES = {
    "日期": ("日期", "使用日期", "支出日期"),
    "类别": ("类别", "使用范围", "费用类别", "类别代码"),
    "金额(元)": ("金额元", "金额", "支出金额元", "支出金额"),
    "凭证号": ("凭证号", "凭证编号", "凭证"),
    "说明": ("说明", "摘要", "用途", "内容"),
}
HEADER_SCAN_ROWS = 10
MAX_ROWS = 20_000
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class ImportRow:
    row: int
    used_on: date | None
    category: str
    amount_fen: Any
    voucher_no: str
    description: str
    #: "" when good; else the row's problems, "金额：不能为负数；类别：…"
    error: str = ""
    #: the negative-list reason when the entry will be flagged 待复核
    flag_reason: str = ""


@dataclass
class ImportPreview:
    file_name: str
    header_row: int
    rows: list[ImportRow] = field(default_factory=list)
    #: "第N行 字段" → message, for every bad row
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def flagged_count(self) -> int:
        return sum(1 for r in self.rows if r.flag_reason)

    @property
    def total_fen(self) -> int:
        return sum(r.amount_fen for r in self.rows if isinstance(r.amount_fen, int))


# --------------------------------------------------------------------------- reading


def _norm(text: Any) -> str:
    return re.sub(r"[\s()（）\[\]【】:：]", "", str(text or ""))


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, column → cell index) when a row names 日期, 类别 and 金额."""
    lookup = {alias: col for col, names in _ALIASES.items() for alias in names}
    for i, values in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for j, v in enumerate(values):
            col = lookup.get(_norm(v))
            if col is not None and col not in found:
                found[col] = j
        if {"日期", "类别", "金额(元)"} <= found.keys():
            return i, found
    return None


def _date(value: Any) -> date | str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE_RE.match(str(value).strip())
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    return str(value).strip()


def _fen(value: Any) -> int | str | None:
    """元 → fen; anything that is not an amount with at most two decimals stays text (reported)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return str(value)
    text = str(value).replace(",", "").replace("，", "").replace("元", "").strip()
    try:
        d = Decimal(text) if not isinstance(value, float) else Decimal(repr(value))
    except InvalidOperation:
        return str(value).strip()
    if not d.is_finite() or (d * 100) != (d * 100).to_integral_value():
        return str(value).strip()
    return int(d * 100)


def _category_key(value: Any) -> str:
    if isinstance(value, datetime) and value.day == 19:
        # Excel turns a typed "19-3" into 19 March: read it back as the key the clerk meant
        return f"19-{value.month}"
    text = clean(str(value) if value is not None else "")
    for c in fee_rules.usage_categories():
        if _norm(text) in (_norm(c.key), _norm(c.name), _norm(c.article), _norm(c.label)):
            return c.key
    return text


def read_rows(path: Path) -> tuple[int, list[tuple[int, dict[str, Any]]]]:
    """The header's Excel row number and the data rows as (Excel row number, column → raw value)."""
    if not path.is_file():
        raise ValidationError({"文件": f"找不到文件：{path}"})
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise ValidationError({"文件": f"“{path.name}”不是有效的 Excel 工作簿（.xlsx），无法读取"}) from err
    try:
        ws = wb.worksheets[0]
        rows = [tuple(r) for r in ws.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_SCAN_ROWS + 1)]
    finally:
        wb.close()
    found = _find_header(rows)
    if found is None:
        raise ValidationError({"文件": f"前{HEADER_SCAN_ROWS}行中找不到表头行（应含列：{'、'.join(COLUMNS)}），"
                                       "请使用导入模板"})
    head, cols = found
    data: list[tuple[int, dict[str, Any]]] = []
    for i in range(head + 1, len(rows)):
        values = rows[i]
        cells = {c: (values[j] if j < len(values) else None) for c, j in cols.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        data.append((i + 1, cells))
    if len(data) > MAX_ROWS:
        raise ValidationError({"文件": f"一次最多导入{MAX_ROWS:,}行，请分批导入"})
    return head + 1, data


# --------------------------------------------------------------------------- checking


def preview_import(session: Session, project_id: int, path: Path, *, today: date | None = None) -> ImportPreview:
    """Read and check every row; nothing is written. Errors are listed per row and field."""
    project = get_project(session, project_id)
    basis = require_basis(session, project)
    header, raw = read_rows(Path(path))
    preview = ImportPreview(Path(path).name, header)
    if not raw:
        preview.errors["文件"] = f"表头（第{header}行）下没有数据行"
        return preview
    existing = {v: d for v, d in session.execute(
        select(SafetyFeeUsage.voucher_no, SafetyFeeUsage.used_on)
        .where(SafetyFeeUsage.project_id == project.id, SafetyFeeUsage.voucher_no != ""))}
    seen: dict[str, int] = {}
    for n, cells in raw:
        used_on = _date(cells.get("日期"))
        data = UsageData(project.id, used_on if isinstance(used_on, date) else None,
                         _category_key(cells.get("类别")), _fen(cells.get("金额(元)")),
                         clean(str(cells.get("凭证号") or "")), clean(str(cells.get("说明") or "")))
        c = Checker()
        prefix = f"第{n}行 "
        if isinstance(used_on, str):
            c.add(f"{prefix}日期", f"“{used_on}”不是日期，应如 2025-04-15")
        validate_usage(c, data, basis.contract_date, prefix=prefix, today=today)
        voucher = data.voucher_no
        if voucher and voucher in seen:
            c.add(f"{prefix}凭证号", f"“{voucher}”与第{seen[voucher]}行重复")
        elif voucher and voucher in existing:
            c.add(f"{prefix}凭证号", f"“{voucher}”已在本项目台账中登记（{chinese_date(existing[voucher])}）")
        if voucher:
            seen.setdefault(voucher, n)
        match = fee_rules.match_negative_list(data.category, data.description, voucher)
        preview.errors.update(c.errors)
        problem = "；".join(f"{k.removeprefix(prefix)}：{v}" for k, v in c.errors.items())
        preview.rows.append(ImportRow(n, data.used_on, data.category, data.amount_fen, voucher, data.description,
                                      problem, match.reason if match else ""))
    return preview


def import_ledger(session: Session, actor: Actor, project_id: int, path: Path,
                  *, today: date | None = None) -> ImportPreview:
    """Check the file again and save every row (each audited, flagged like typed entries) — or nothing."""
    require(actor, "safety_fee.write")
    preview = preview_import(session, project_id, path, today=today)
    if preview.errors:
        raise ValidationError(preview.errors)
    for r in preview.rows:
        save_usage(session, actor, UsageData(project_id, r.used_on, r.category, r.amount_fen, r.voucher_no,
                                             r.description), today=today)
    return preview


# --------------------------------------------------------------------------- template


def write_template(path: Path) -> Path:
    """A blank workbook with the header row, a 类别 drop-down and a sheet explaining the columns."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "使用台账"
    ws.append(list(COLUMNS))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell, width in zip(ws[1], (14, 44, 14, 16, 40), strict=True):
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"
    for r in range(2, 1002):  # text cells, so Excel keeps "19-1" and voucher numbers as typed
        ws.cell(r, 2).number_format = ws.cell(r, 4).number_format = "@"
    cats = fee_rules.usage_categories()
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "填写要求"])
    for row in (("日期", "支出日期，如 2025-04-15；不能早于合同签订日期，不能晚于今天"),
                ("类别", "使用范围：填下表的代码（如 19-1）或名称"),
                ("金额(元)", "单位：元，大于0，最多两位小数"),
                ("凭证号", "记账凭证号；同一项目内不能重复（可不填）"),
                ("说明", "摘要，必填；含负面清单关键词（罚款、赔偿、工作服……）的支出导入后标记为“待复核”")):
        notes.append(list(row))
    notes.append([])
    notes.append(["代码", "使用范围（财资〔2022〕136号第十九条）"])
    for c in cats:
        notes.append([c.key, f"{c.article} {c.name}"])
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 12, 80
    for cell in (notes["A1"], notes["B1"]):
        cell.font = bold
    choices = DataValidation(type="list", formula1=f"='填写说明'!$A$9:$A${8 + len(cats)}", allow_blank=True)
    choices.add(f"B2:B{MAX_ROWS + 1}")
    ws.add_data_validation(choices)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
