"""Versioned reference data: the shipped JSON datasets and the process-wide active store.

The rules read every number through this module, so an admin edit takes effect as soon as
the app calls :func:`install` with the edited rows.

Row conventions (all datasets):

* ``key`` is unique within the dataset;
* ``effective_from`` / ``effective_to`` bound the period in which a row applies:
  **from inclusive, to exclusive** (a rule replaced on 2022-12-13 has ``effective_to``
  "2022-12-13" and its successor ``effective_from`` "2022-12-13"); ``null`` is open-ended;
* ``confidence`` is V (checked against the source), P (partly checked) or M (commonly known,
  not checked: an editable default);
* decimals are stored as strings ("0.03"), dates as ISO strings.

A lookup by day that finds no row in force (the day is before the first rule, or the last rule has
ended and its successor is not entered yet) is an error the clerk can act on, never a silent
default: :func:`not_in_force_message` names the dataset, the day and why.
"""

from __future__ import annotations

import copy
import json
import string
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from station_app.formatting import chinese_date

from .errors import RuleInputError
from .schema import COMMON_FIELDS, DATASET_FIELDS, DATASET_TITLES, FieldSpec

__all__ = [
    "DATASET_TITLES",
    "Dataset",
    "FieldSpec",
    "active_rows",
    "dataset_names",
    "field_specs",
    "install",
    "normalize_row",
    "not_in_force_message",
    "parse_date",
    "parse_decimal",
    "reset",
    "row_by_key",
    "rows",
    "rows_in_force",
    "shipped_datasets",
    "validate_row",
    "version",
]

Row = dict[str, Any]


@dataclass(frozen=True)
class Dataset:
    """One shipped dataset. Treat ``rows`` as read-only."""

    name: str
    title: str
    rows: tuple[Row, ...]


def dataset_names() -> list[str]:
    return list(DATASET_TITLES)


def field_specs(dataset: str) -> list[FieldSpec]:
    """Common fields followed by the dataset's own fields."""
    _check_name(dataset)
    return [*COMMON_FIELDS, *DATASET_FIELDS[dataset]]


def _check_name(dataset: str) -> None:
    if dataset not in DATASET_TITLES:
        raise RuleInputError(f"参数 dataset 无效：未知的参考数据集“{dataset}”")


# --------------------------------------------------------------------------- parsing helpers


def parse_date(value: object, field: str = "date") -> date:
    """ISO string or date → date; anything else raises RuleInputError naming ``field``."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise RuleInputError(f"字段 {field} 不是有效日期（YYYY-MM-DD）：{value!r}")


def parse_decimal(value: object, field: str = "value") -> Decimal:
    if isinstance(value, bool):
        raise RuleInputError(f"字段 {field} 不是有效数值：{value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise RuleInputError(f"字段 {field} 不是有效数值：{value!r}") from None
    else:
        raise RuleInputError(f"字段 {field} 不是有效数值（请用字符串或整数表示）：{value!r}")
    if not result.is_finite():
        raise RuleInputError(f"字段 {field} 不是有效数值：{value!r}")
    return result


# --------------------------------------------------------------------------- validation


def _field_error(spec: FieldSpec, value: object) -> str | None:
    """Chinese error for one non-null value, or None when it fits ``spec``."""
    label = f"{spec.label_zh}（{spec.name}）"
    if spec.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{label} 应为整数：{value!r}"
        if spec.minimum is not None and value < spec.minimum:
            return f"{label} 不能小于 {spec.minimum}：{value}"
    elif spec.type == "decimal":
        try:
            number = parse_decimal(value, spec.name)
        except RuleInputError:
            return f'{label} 应为数值（如 "0.03"）：{value!r}'
        if spec.minimum is not None and number < spec.minimum:
            return f"{label} 不能小于 {spec.minimum}：{value}"
    elif spec.type == "date":
        try:
            parse_date(value, spec.name)
        except RuleInputError:
            return f"{label} 应为日期（YYYY-MM-DD）：{value!r}"
    elif spec.type == "str":
        if not isinstance(value, str):
            return f"{label} 应为文本：{value!r}"
        if spec.choices and value not in spec.choices:
            return f"{label} 只能是 {'、'.join(spec.choices)} 之一：{value!r}"
    elif spec.type == "bool":
        if not isinstance(value, bool):
            return f"{label} 应为是/否：{value!r}"
    elif spec.type == "list":
        if not isinstance(value, list | tuple):
            return f"{label} 应为列表：{value!r}"
        item_spec = FieldSpec(spec.name, spec.label_zh, spec.item_type or "str")
        for item in value:
            error = _field_error(item_spec, item)
            if error:
                return f"{label} 的某一项有误：{error}"
    return None


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def validate_row(dataset: str, row: Mapping[str, Any]) -> list[str]:
    """Chinese error messages for ``row``; an empty list means the row is valid.

    Fields not in the schema are ignored (the database may add its own columns).
    """
    _check_name(dataset)
    errors: list[str] = []
    for spec in field_specs(dataset):
        value = row.get(spec.name)
        if _is_blank(value) and spec.type not in ("list", "bool"):
            if spec.required:
                errors.append(f"缺少必填字段 {spec.label_zh}（{spec.name}）")
            continue
        if value is None and spec.required:
            errors.append(f"缺少必填字段 {spec.label_zh}（{spec.name}）")
            continue
        if value is None:
            continue
        error = _field_error(spec, value)
        if error:
            errors.append(error)
    if not errors:
        errors.extend(_cross_field_errors(dataset, row))
    start, end = row.get("effective_from"), row.get("effective_to")
    if not _is_blank(start) and not _is_blank(end):
        try:
            if parse_date(start) >= parse_date(end):
                errors.append("失效日期必须晚于生效日期")
        except RuleInputError:
            pass  # already reported above
    return errors


def _cross_field_errors(dataset: str, row: Mapping[str, Any]) -> list[str]:
    errors: list[str] = []
    if dataset == "calendar_years":
        year = row["year"]
        for field in ("holidays", "workdays"):
            if any(parse_date(d).year != year for d in row[field]):
                errors.append(f"{field} 中含有不属于{year}年的日期")
        if set(map(str, row["holidays"])) & set(map(str, row["workdays"])):
            errors.append("同一日期不能既是放假日又是调休上班日")
    elif dataset == "violations":
        low, high = row.get("min_yuan"), row.get("max_yuan")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            errors.append("罚款下限不能高于上限")
        p_low, p_high = row.get("percent_min"), row.get("percent_max")
        if not _is_blank(p_low) and not _is_blank(p_high) and parse_decimal(p_low) > parse_decimal(p_high):
            errors.append("比例下限不能高于上限")
        if _is_blank(high) and _is_blank(p_high):
            errors.append("须填写罚款上限或按比例罚款上限")
    elif dataset == "document_texts":
        errors.extend(_rights_text_errors(row))
    return errors


RIGHTS_PLACEHOLDERS = ("subject", "reconsideration_body", "reconsideration_days", "litigation_months",
                       "rights_basis")


def _rights_text_errors(row: Mapping[str, Any]) -> list[str]:
    """A 复议/诉讼 text may only use the known placeholders and then needs both periods."""
    text = row.get("rights_text")
    if _is_blank(text):
        return []
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(str(text)) if f is not None}
    except ValueError:
        return ["复议诉讼告知文字中的花括号不成对"]
    unknown = sorted(fields - set(RIGHTS_PLACEHOLDERS))
    errors = [f"复议诉讼告知文字含有未知的占位符“{{{f}}}”" for f in unknown]
    for name, label in (("reconsideration_days", "申请行政复议期限"), ("litigation_months", "提起行政诉讼期限")):
        if _is_blank(row.get(name)):
            errors.append(f"填写了复议诉讼告知文字时须填写{label}")
    return errors


def normalize_row(dataset: str, row: Mapping[str, Any]) -> Row:
    """Copy ``row`` into its JSON shape: dates → ISO strings, decimals → strings, blanks → None."""
    result: Row = copy.deepcopy(dict(row))
    for spec in field_specs(dataset):
        value = result.get(spec.name)
        if spec.type in ("date", "decimal", "int") and _is_blank(value):
            result[spec.name] = None
        elif spec.type == "date" and isinstance(value, date):
            result[spec.name] = value.isoformat()
        elif spec.type == "decimal" and isinstance(value, Decimal | int) and not isinstance(value, bool):
            result[spec.name] = str(value)
        elif spec.type == "list" and isinstance(value, list | tuple):
            result[spec.name] = [v.isoformat() if isinstance(v, date) else v for v in value]
        elif spec.type == "str" and value is None and not spec.required:
            result[spec.name] = ""
    return result


def _validated(dataset: str, raw_rows: Iterable[Mapping[str, Any]]) -> tuple[Row, ...]:
    out: list[Row] = []
    seen: set[str] = set()
    problems: list[str] = []
    for index, raw in enumerate(raw_rows, start=1):
        row = normalize_row(dataset, raw)
        for error in validate_row(dataset, row):
            problems.append(f"第{index}行（key={row.get('key')!r}）：{error}")
        key = row.get("key")
        if isinstance(key, str):
            if key in seen:
                problems.append(f"第{index}行：键“{key}”重复")
            seen.add(key)
        out.append(row)
    if problems:
        title = DATASET_TITLES[dataset]
        raise RuleInputError(f"参考数据集“{title}”（{dataset}）有误：" + "；".join(problems))
    return tuple(out)


# --------------------------------------------------------------------------- shipped data


@cache
def _load_shipped() -> dict[str, Dataset]:
    folder = resources.files(__package__ or "station_app.rules") / "data"
    result: dict[str, Dataset] = {}
    for name, title in DATASET_TITLES.items():
        text = (folder / f"{name}.json").read_text(encoding="utf-8")
        payload = json.loads(text)
        if payload.get("dataset") != name:
            raise RuleInputError(f"数据文件 {name}.json 的 dataset 字段应为 {name}")
        result[name] = Dataset(name, payload.get("title") or title, _validated(name, payload["rows"]))
    return result


def shipped_datasets() -> dict[str, Dataset]:
    """The datasets shipped in ``station_app/rules/data`` (loaded once, cached)."""
    return dict(_load_shipped())


# --------------------------------------------------------------------------- active store

_lock = threading.Lock()
_active: dict[str, tuple[Row, ...]] = {}
_version = 0


def _store() -> dict[str, tuple[Row, ...]]:
    if not _active:
        with _lock:
            if not _active:
                _active.update({name: ds.rows for name, ds in _load_shipped().items()})
    return _active


def install(datasets: Mapping[str, Iterable[Mapping[str, Any]]]) -> None:
    """Replace the active rows of the given datasets (others keep their current rows).

    All datasets are validated first; on any error nothing is replaced and RuleInputError
    lists the problems.
    """
    global _version
    prepared: dict[str, tuple[Row, ...]] = {}
    for name, raw_rows in datasets.items():
        _check_name(name)
        prepared[name] = _validated(name, raw_rows)
    store = _store()
    with _lock:
        store.update(prepared)
        _version += 1


def reset() -> None:
    """Back to the shipped data."""
    global _version
    shipped = _load_shipped()
    with _lock:
        _active.clear()
        _active.update({name: ds.rows for name, ds in shipped.items()})
        _version += 1


def version() -> int:
    """Changes whenever the active store changes; rule modules key their caches on it."""
    return _version


def active_rows(dataset: str) -> tuple[Row, ...]:
    """The active rows without copying. Rule modules only; never mutate them."""
    _check_name(dataset)
    return _store()[dataset]


def rows(dataset: str) -> list[Row]:
    """A copy of the active rows of ``dataset``."""
    return copy.deepcopy(list(active_rows(dataset)))


def _in_force(row: Mapping[str, Any], on: date) -> bool:
    start, end = row.get("effective_from"), row.get("effective_to")
    if start and parse_date(start) > on:
        return False
    return not (end and parse_date(end) <= on)


def rows_in_force(dataset: str, on: date) -> list[Row]:
    """Active rows with effective_from ≤ on < effective_to (null bounds are open)."""
    if not isinstance(on, date):
        raise RuleInputError(f"参数 on 应为日期：{on!r}")
    return [copy.deepcopy(row) for row in active_rows(dataset) if _in_force(row, on)]


def not_in_force_message(dataset: str, on: date, where: Callable[[Row], bool] | None = None) -> str:
    """Why no row of ``dataset`` (narrowed by ``where``) is in force on ``on``, for the clerk and the admin."""
    rows = [r for r in active_rows(dataset) if where is None or where(r)]
    head = f"参考数据“{DATASET_TITLES[dataset]}”中没有{chinese_date(on)}施行的规定"
    ended = [parse_date(r["effective_to"]) for r in rows if r.get("effective_to")]
    ended = [d for d in ended if d <= on]
    later = [parse_date(r["effective_from"]) for r in rows if r.get("effective_from")]
    later = [d for d in later if d > on]
    if ended and later:
        return (f"{head}：已收录的规定自{chinese_date(max(ended))}起不再施行，"
                f"下一条规定自{chinese_date(min(later))}起施行")
    if ended:
        return (f"{head}：已收录的规定自{chinese_date(max(ended))}起不再施行，新的规定尚未录入；"
                "请管理员在 系统设置 → 参考数据 中录入")
    if later:
        return f"{head}：已收录的规定最早自{chinese_date(min(later))}起施行"
    return f"{head}；请管理员在 系统设置 → 参考数据 中录入"


def row_by_key(dataset: str, key: str) -> Row:
    for row in active_rows(dataset):
        if row["key"] == key:
            return copy.deepcopy(row)
    raise RuleInputError(f"参考数据集“{DATASET_TITLES[dataset]}”中没有键为“{key}”的记录")
