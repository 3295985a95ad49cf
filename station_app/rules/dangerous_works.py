"""危险性较大的分部分项工程 classification (住建部令第37号; 建办质〔2018〕31号 附件1、附件2).

Thresholds live in the ``dangerous_work_thresholds`` dataset, one row per condition:
``(edition, province, kind, level, param, threshold)``. A row is met when

* ``param`` is empty — unconditionally (the kind is listed as such in the annex);
* ``threshold`` is empty — the boolean parameter ``param`` is true;
* otherwise — the parameter is ≥ ``threshold`` ("及以上" includes the number).

The result is '超规模' when any 超规模 row is met, else '危大' when any 危大 row is met, else None.
A province override replaces the national rows of that edition *for the kinds it lists*.
Each row's ``basis`` and ``note`` record how the annex text was read (e.g. 悬挑式脚手架 is
危大 at any height and 超规模 from 20 m; 整体顶升 under 1000 kN is not 危大).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from . import refdata
from .errors import RuleInputError

__all__ = [
    "KIND_PARAMS",
    "DangerousWorkResult",
    "classify_dangerous_work",
    "dangerous_work_kinds",
    "explain_dangerous_work",
]

NUMBER, FLAG = "number", "flag"

# kind → {param: (type, required)}; the signatures of the brief. Kinds an admin adds in the
# data without an entry here accept the numeric parameters their rows name.
KIND_PARAMS: dict[str, dict[str, tuple[str, bool]]] = {
    "excavation": {"depth_m": (NUMBER, True), "complex_conditions": (FLAG, False)},
    "tool_formwork": {},
    "formwork_support": {
        "height_m": (NUMBER, False),
        "span_m": (NUMBER, False),
        "total_load_kn_m2": (NUMBER, False),
        "line_load_kn_m": (NUMBER, False),
        "independent_slender": (FLAG, False),
    },
    "steel_support_platform": {"point_load_kn": (NUMBER, False)},
    "lifting_nonstandard": {"single_lift_kn": (NUMBER, True)},
    "crane_hoisting": {},
    "crane_erection": {
        "capacity_kn": (NUMBER, False),
        "height_m": (NUMBER, False),
        "base_elevation_m": (NUMBER, False),
    },
    "scaffold_ground": {"height_m": (NUMBER, True)},
    "scaffold_attached_lifting": {"lift_height_m": (NUMBER, True)},
    "scaffold_cantilever": {"section_height_m": (NUMBER, True)},
    "scaffold_irregular": {},
    "gondola": {},
    "unloading_platform": {},
    "demolition": {"special": (FLAG, False)},
    "underground_excavation": {},
    "curtain_wall": {"height_m": (NUMBER, True)},
    "steel_structure": {"span_m": (NUMBER, True), "space_frame": (FLAG, False)},
    "manual_dug_pile": {"depth_m": (NUMBER, True)},
    "underwater_work": {},
    "prefab_installation": {},
    "whole_structure_moving": {"weight_kn": (NUMBER, True)},
    "new_technology_without_standard": {},
}


@dataclass(frozen=True)
class DangerousWorkResult:
    level: str | None
    kind: str
    edition: str
    province: str
    basis: tuple[str, ...]  # basis text of the rows that decided the level


def _number(value: object, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise RuleInputError(f"参数 {name} 应为数值：{value!r}")
    number = Decimal(str(value))
    if not number.is_finite():
        raise RuleInputError(f"参数 {name} 应为有限数值：{value!r}")
    if number < 0:
        raise RuleInputError(f"参数 {name} 不能为负数：{value}")
    return number


def _derived(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Parameters the rows test that are derived from the call's parameters."""
    if kind == "steel_structure":
        span = values["span_m"]
        space = bool(values.get("space_frame", False))
        values["steel_span_m"] = Decimal(0) if space else span
        values["space_frame_span_m"] = span if space else Decimal(0)
    return values


def _edition_rows(edition: str | None, on: date | None) -> tuple[str, list[dict[str, Any]]]:
    all_rows = refdata.active_rows("dangerous_work_thresholds")
    if edition is None:
        if on is None:
            raise RuleInputError("须指定参数 edition（危大工程范围版本）或 on（日期）")
        national = [r for r in refdata.rows_in_force("dangerous_work_thresholds", on) if not r["province"]]
        if not national:
            raise RuleInputError("参数 on（日期）：" + refdata.not_in_force_message(
                "dangerous_work_thresholds", on, lambda r: not r["province"]))
        edition = max(national, key=lambda r: r["effective_from"] or "")["edition"]
    chosen = [r for r in all_rows if r["edition"] == edition]
    if not chosen:
        raise RuleInputError(f"参数 edition 无效：没有“{edition}”版危大工程范围数据")
    return str(edition), chosen


def _condition_met(row: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    param = row["param"]
    if not param:
        return True
    value = values.get(param)
    if row["threshold"] in (None, ""):
        return bool(value)
    return value is not None and value >= refdata.parse_decimal(row["threshold"], "threshold")


def explain_dangerous_work(
    kind: str,
    *,
    edition: str | None = None,
    province: str | None = None,
    on: date | None = None,
    **params: Any,
) -> DangerousWorkResult:
    """Like :func:`classify_dangerous_work` but also returns the edition and the rows' basis."""
    edition_name, edition_rows = _edition_rows(edition, on)
    kind_rows = [r for r in edition_rows if r["kind"] == kind]
    if not kind_rows:
        raise RuleInputError(f"参数 kind 无效：未知的危大工程类型“{kind}”")
    province_name = province or ""
    if province_name:
        local = [r for r in kind_rows if r["province"] == province_name]
        kind_rows = local or [r for r in kind_rows if not r["province"]]
    else:
        kind_rows = [r for r in kind_rows if not r["province"]]

    spec = KIND_PARAMS.get(kind)
    if spec is None:  # kind known only from the data: numeric params named by its rows
        spec = {r["param"]: (NUMBER, False) for r in kind_rows if r["param"]}
    values: dict[str, Any] = {}
    for name, value in params.items():
        if name not in spec:
            raise RuleInputError(f"参数 {name} 不适用于危大工程类型“{kind}”")
        if spec[name][0] == FLAG:
            if not isinstance(value, bool):
                raise RuleInputError(f"参数 {name} 应为 True/False：{value!r}")
            values[name] = value
        else:
            values[name] = _number(value, name)
    for name, (type_, required) in spec.items():
        if name not in values:
            if required:
                raise RuleInputError(f"缺少参数 {name}（危大工程类型“{kind}”必须提供）")
            values[name] = False if type_ == FLAG else Decimal(0)
    values = _derived(kind, values)

    for level in ("超规模", "危大"):
        met = [r for r in kind_rows if r["level"] == level and _condition_met(r, values)]
        if met:
            return DangerousWorkResult(
                level, kind, edition_name, province_name, tuple(r["basis"] for r in met)
            )
    return DangerousWorkResult(None, kind, edition_name, province_name, ())


def classify_dangerous_work(kind: str, **params: Any) -> str | None:
    """'超规模' (needs an expert review), '危大' (needs a special scheme) or None.

    ``params`` are the kind's parameters (see :data:`KIND_PARAMS`), plus optional
    ``edition`` (default: the national edition in force on ``on``, i.e. 2018),
    ``province`` (a provincial override in the data) and ``on`` (required without ``edition``).
    """
    return explain_dangerous_work(kind, **params).level


def dangerous_work_kinds(edition: str | None = None, on: date | None = None) -> list[tuple[str, str, str]]:
    """(kind, label, category) of each kind in ``edition``, or in the national edition in force on ``on``."""
    _, edition_rows = _edition_rows(edition, on)
    seen: dict[str, tuple[str, str, str]] = {}
    for row in edition_rows:
        seen.setdefault(row["kind"], (row["kind"], row["kind_label"], row["category"]))
    return list(seen.values())
