"""Sections for the registries the report is designed for: 危大工程, 起重机械, 事故, 安责险, 安全费用.

危大工程, 起重机械 and 事故 are not kept yet: their sections read 本站尚未建立该台账 (never zeros) until
their registries arrive. 安责险 and 安全生产费用 are states on the period's last day, from their multi-day
summaries (``services.insurance_history.insurance_summaries`` /
``services.safety_fee_history.fee_summaries``): one call for the report's end and last year's, each day
reconstructed from the dates in the records (policy terms, project dates, registration and review
times), so 去年同期 compares like with like. The few figures whose past value the records cannot give
(``history=False``: today's 形象进度, 总包, renewals) show 本期 only; their definitions say so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from station_app.services.monthly.figures_common import (
    NOT_KEPT,
    FigureDef,
    Period,
    Section,
    Value,
    has_tables,
)


def _never(_session: Session) -> str:
    return NOT_KEPT


def _nothing(_session: Session, _p: Period) -> dict[str, Value]:
    return {}


DANGEROUS = Section("dangerous_works", "危险性较大的分部分项工程", (
    FigureDef("dw_total", "危大工程数", "项", "期末在施的危大工程"),
    FigureDef("dw_super", "超规模危大工程数", "项", "其中超过一定规模的危大工程"),
    FigureDef("dw_expert", "专家论证", "次", "本期组织的专项施工方案专家论证"),
), _nothing, (), _never)

CRANES = Section("cranes", "建筑起重机械", (
    FigureDef("cranes_total", "起重机械", "台", "期末在用的塔吊、施工升降机、物料提升机"),
    FigureDef("cranes_registered", "使用登记", "台", "本期办理使用登记的起重机械"),
), _nothing, (), _never)

ACCIDENTS = Section("accidents", "生产安全事故", (
    FigureDef("accidents", "事故起数", "起", "本期发生的生产安全事故"),
    FigureDef("deaths", "死亡人数", "人", "本期事故死亡人数"),
    FigureDef("injuries", "重伤人数", "人", "本期事故重伤人数"),
), _nothing, (), _never)


def _summary_fn(module: str, name: str) -> Callable[..., Any]:
    """The registry's summary function. Imported by name (the registry modules import the report's
    period helpers), but never optional: a missing module or function fails loudly."""
    fn = getattr(importlib.import_module(module), name)
    if not callable(fn):
        raise TypeError(f"{module}.{name} is not callable")
    return fn


def _summary_values(summary: Any, wanted: tuple[FigureDef, ...]) -> dict[str, Value]:
    """The numeric fields of a summary (dataclass or dict) named like our figure keys."""
    if is_dataclass(summary):
        raw = {f.name: getattr(summary, f.name) for f in fields(summary)}
    elif isinstance(summary, dict):
        raw = dict(summary)
    else:
        raw = {k: getattr(summary, k) for k in dir(summary) if not k.startswith("_")}
    out: dict[str, Value] = {}
    for fig in wanted:
        source = fig.key.split("__", 1)[-1]
        value = raw.get(source)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | Decimal):
            out[fig.key] = value
        elif isinstance(value, float):
            out[fig.key] = Decimal(str(round(value, 2)))
    return out


def _summary_section(key: str, title: str, module: str, name: str, tables: tuple[str, ...],
                     figures: tuple[FigureDef, ...]) -> Section:
    def available(session: Session) -> str:
        if not has_tables(session, *tables):
            return NOT_KEPT
        return ""

    def compute_days(session: Session, days: Sequence[date]) -> dict[date, dict[str, Value]]:
        fn = _summary_fn(module, name)
        return {day: _summary_values(summary, figures) for day, summary in fn(session, days).items()}

    def compute(session: Session, p: Period) -> dict[str, Value]:
        return compute_days(session, [p.end]).get(p.end, {})

    return Section(key, title, figures, compute, (), available, as_of=True, compute_days=compute_days)


def _f(section: str, field_name: str, label: str, unit: str, definition: str, *, history: bool = True) -> FigureDef:
    """Figure key "<section>__<summary field>": the field of the summary object it reads (a state at the end)."""
    return FigureDef(f"{section}__{field_name}", label, unit, definition, stock=True, history=history)


#: what the definition of a figure without a past value adds
_NOW_ONLY = "；按生成报表时的登记情况统计，{why}，去年同期无法还原，不作比较"

INSURANCE = _summary_section("insurance", "安全生产责任保险", "station_app.services.insurance.history",
                             "insurance_summaries", ("insurance_policies",), (
    _f("insurance", "active_projects", "应投保项目数", "个",
       "期末在建、停工的项目（按实际开工、竣工等日期推算；未填竣工日期的竣工待验、已竣工项目和终止监督项目，"
       "以其最后一次变更视为离开在建状态）"),
    _f("insurance", "insured", "已投保项目数", "个",
       "应投保项目中期末在保险期间内（起期至止期，退保、注销的至退保、注销日期）有保单的项目"),
    _f("insurance", "uninsured", "未投保项目数", "个", "应投保项目中期末无在保保单的项目"),
    _f("insurance", "gap_projects", "断保项目数", "个", "实际开工至期末（已竣工验收备案的至备案日）出现过断保的项目"),
    _f("insurance", "expiring", "保单即将到期", "份",
       "期末有效、止期在预警天数内且未录入续保保单的保单" + _NOW_ONLY.format(why="续保保单的录入时间和当时的保单状态未保存"),
       history=False),
    _f("insurance", "low_limit", "保额不足保单", "份", "起期在期末以前、每人死亡伤残限额低于起期时规定最低限额的保单"),
    _f("insurance", "wrong_insured", "被保险人不符保单", "份",
       "期末在保、被保险人不是项目施工总承包单位的保单" + _NOW_ONLY.format(why="系统只保存项目现在的参建单位"),
       history=False),
    _f("insurance", "early_surrender", "提前退保保单", "份", "期末以前在竣工验收备案前退保、注销的保单（被新保单替换的除外）"),
))
FEES = _summary_section("safety_fees", "安全生产费用", "station_app.services.safety_fees.history",
                        "fee_summaries", ("safety_fee_bases", "safety_fee_usages"), (
    _f("safety_fees", "projects_with_basis", "已登记计取基数项目数", "个", "期末以前登记了安全生产费用计取基数的项目（按登记时间）"),
    _f("safety_fees", "missing_basis", "未登记计取基数项目数", "个", "期末在建、停工但当时尚未登记计取基数的项目"),
    _f("safety_fees", "first_payment_late", "首付款逾期项目数", "个",
       "期末以前登记了计取基数、首期支付期限已过而建设单位期限内支付不足的项目"),
    _f("safety_fees", "subcontract_late", "分包费用未按期支付", "个",
       "期末以前登记的专业分包中，首期支付期限已过而总包期限内支付不足的项目"),
    _f("safety_fees", "underuse", "使用不足项目数", "个",
       "安全生产费用使用明显低于按形象进度应计提的项目" + _NOW_ONLY.format(why="形象进度只保存当前值"), history=False),
    _f("safety_fees", "flagged_pending", "存疑支出待核查", "笔",
       "期末已录入、被标记可能不属于安全生产费用且当时尚未复核的支出（按录入时间和复核时间推算）"),
    _f("safety_fees", "rejected", "核定不属于安全费用的支出", "笔", "期末以前复核认定不属于安全生产费用的支出"),
))

SECTIONS = (DANGEROUS, CRANES, ACCIDENTS, INSURANCE, FEES)
