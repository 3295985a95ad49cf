"""Document numbers (文号) of the station's enforcement documents.

No official numbering rule was found; the default follows the common 执法文书 style
"{机关代字}〔{年}〕第{序号}号" (GB/T 9704-2012 公文 style has no 第 and no leading zeros —
set ``use_di`` false and ``serial_width`` 0 for that). Serials restart at 1 each year per
document type; the database keeps the counter, :func:`next_serial` picks the next one.

Templates use the placeholders ``{prefix}``, ``{station_short}``, ``{year}`` and ``{serial}``
(``{serial}`` may carry a format spec such as ``{serial:03d}``); a template without a serial
is rejected.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from . import refdata
from .errors import RuleInputError

__all__ = ["DocumentTexts", "document_texts", "document_types", "format_document_number", "next_serial",
           "validate_number_pattern"]

_PLACEHOLDERS = {"prefix", "station_short", "year", "serial"}


def _fields(pattern: str, arg: str) -> set[str]:
    if not isinstance(pattern, str):
        raise RuleInputError(f"参数 {arg}（编号格式）应为文本：{pattern!r}")
    found: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise RuleInputError(f"参数 {arg}（编号格式）有误：{pattern!r}（{exc}）") from None
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in _PLACEHOLDERS or conversion:
            raise RuleInputError(f"参数 {arg}（编号格式）含有不支持的占位符“{{{field}}}”：{pattern!r}")
        if spec and field != "serial":
            raise RuleInputError(f"参数 {arg}（编号格式）中只有 {{serial}} 可带格式：{pattern!r}")
        if spec and "{" in spec:
            raise RuleInputError(f"参数 {arg}（编号格式）中的格式说明不能嵌套：{pattern!r}")
        found.add(field)
    return found


def validate_number_pattern(pattern: str) -> None:
    """Raise RuleInputError unless ``pattern`` is a usable template containing ``{serial}``."""
    fields = _fields(pattern, "pattern")
    if "serial" not in fields:
        raise RuleInputError(f"参数 pattern（编号格式）必须包含序号占位符 {{serial}}：{pattern!r}")
    try:
        pattern.format(prefix="", station_short="", year=2000, serial=1)
    except (ValueError, TypeError) as exc:
        raise RuleInputError(f"参数 pattern（编号格式）有误：{pattern!r}（{exc}）") from None


def document_types() -> list[str]:
    return [r["doc_type"] for r in refdata.active_rows("document_number_patterns")]


def _row(doc_type: str) -> dict:
    for row in refdata.active_rows("document_number_patterns"):
        if doc_type in (row["doc_type"], row["key"]):
            return row
    raise RuleInputError(f"参数 doc_type（文书类型）无效：“{doc_type}”；可选：{'、'.join(document_types())}")


def default_template(doc_type: str) -> str:
    """The template the data row describes (its ``template`` if set, else built from its fields)."""
    row = _row(doc_type)
    if row.get("template"):
        return str(row["template"])
    width = int(row["serial_width"])
    serial = f"{{serial:0{width}d}}" if width > 0 else "{serial}"
    return "{prefix}〔{year}〕" + ("第" if row["use_di"] else "") + serial + "号"


def format_document_number(
    doc_type: str, year: int, serial: int, pattern: str | None = None, *, station_short: str = ""
) -> str:
    """E.g. 东建安监改〔2026〕第012号 (default) or 东建安监改〔2026〕12号 (pattern without 第/padding).

    ``station_short`` fills ``{station_short}`` in the type's prefix (e.g. "东").
    """
    row = _row(doc_type)
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2999:
        raise RuleInputError(f"参数 year（年份）应为四位年份：{year!r}")
    if isinstance(serial, bool) or not isinstance(serial, int) or serial < 1:
        raise RuleInputError(f"参数 serial（序号）应为正整数：{serial!r}")
    if not isinstance(station_short, str):
        raise RuleInputError(f"参数 station_short（站点简称）应为文本：{station_short!r}")
    template = default_template(doc_type) if pattern is None else pattern
    validate_number_pattern(template)
    prefix_fields = _fields(row["prefix"], "prefix")
    if prefix_fields - {"station_short"}:
        raise RuleInputError(
            f"文书类型“{row['doc_type']}”的机关代字只能包含 {{station_short}}：{row['prefix']!r}"
        )
    prefix = row["prefix"].format(station_short=station_short)
    return template.format(prefix=prefix, station_short=station_short, year=year, serial=serial)


def next_serial(used: Iterable[int]) -> int:
    """Next serial after those already used this year for one document type (1 when none)."""
    values = list(used)
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in values):
        raise RuleInputError("参数 used（已用序号）应均为正整数")
    return max(values, default=0) + 1


@dataclass(frozen=True)
class DocumentTexts:
    """The legal wording a document type prints (reference data ``document_texts``)."""

    basis: str = ""
    rights_basis: str = ""
    rights_text: str = ""
    reconsideration_days: int | None = None
    litigation_months: int | None = None


def document_texts(doc_type: str, on: date | None = None) -> DocumentTexts:
    """The row in force on ``on`` (any active row when None) for ``doc_type``; empty when the type has
    none at all. A type whose texts all ended before ``on`` (or start after it) raises RuleInputError:
    a document must not go out without its legal basis."""
    rows = refdata.rows_in_force("document_texts", on) if on else refdata.active_rows("document_texts")
    for row in rows:
        if row["doc_type"] == doc_type:
            return DocumentTexts(str(row.get("basis") or ""), str(row.get("rights_basis") or ""),
                                 str(row.get("rights_text") or ""), row.get("reconsideration_days"),
                                 row.get("litigation_months"))
    if on is not None and any(r["doc_type"] == doc_type for r in refdata.active_rows("document_texts")):
        raise RuleInputError("参数 on（签发日期）：" + refdata.not_in_force_message(
            "document_texts", on, lambda r: r["doc_type"] == doc_type))
    return DocumentTexts()


def rights_paragraph(texts: DocumentTexts, *, subject: str, reconsideration_body: str) -> str:
    """The 复议/诉讼 paragraph filled in, or "" when the type grants no such rights."""
    if not texts.rights_text:
        return ""
    try:
        return texts.rights_text.format(
            subject=subject, reconsideration_body=reconsideration_body,
            reconsideration_days=texts.reconsideration_days, litigation_months=texts.litigation_months,
            rights_basis=texts.rights_basis)
    except (KeyError, IndexError, ValueError) as exc:
        raise RuleInputError(f"参考数据“执法文书依据及权利告知”的告知文字有误：{exc}") from None
