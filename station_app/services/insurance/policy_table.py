"""The 保单 list: every 安责险 policy with its project, insured party and cover, all in SQL.

Filters (``ListQuery.filters``): ``grid_id`` (-1 = none), ``contractor_id`` (the insured enterprise),
``status`` (有效/退保/注销), ``project_id``, ``problem`` (a key of ``CHECK_TITLES``: the policies behind that
check today — for 未投保/断保 the policies of the projects concerned).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, literal, select, true
from sqlalchemy.orm import aliased

from station_app.models import Enterprise, Grid, InsurancePolicy, Project
from station_app.services.insurance.checks import PROJECT_CHECKS, check_ids
from station_app.services.insurance.sql import effective_end
from station_app.services.listing import Column, ListSpec

Insured = aliased(Enterprise, name="insured")


def _base() -> Select[Any]:
    return (select(InsurancePolicy).join(Project, Project.id == InsurancePolicy.project_id)
            .outerjoin(Grid, Grid.id == Project.grid_id).join(Insured, Insured.id == InsurancePolicy.insured_id))


def _grid(stmt: Select[Any], value: int) -> Select[Any]:
    return stmt.where(Project.grid_id.is_(None) if value == -1 else Project.grid_id == value)


def _problem(stmt: Select[Any], kind: str) -> Select[Any]:
    ids = check_ids(kind)
    if kind in PROJECT_CHECKS:
        return stmt.where(InsurancePolicy.project_id.in_(ids))
    return stmt.where(InsurancePolicy.id.in_(ids))


_END_TEXT = case((InsurancePolicy.until_completion == true(), literal("至竣工验收备案")), else_=literal(""))

POLICY_LIST = ListSpec(
    columns=(
        Column("project", "工程名称", Project.name, 230),
        Column("grid", "网格", Grid.name, 80),
        Column("insured", "投保单位", Insured.name, 200),
        Column("insurer", "保险机构", InsurancePolicy.insurer, 150),
        Column("policy_no", "保单号", InsurancePolicy.policy_no, 150),
        Column("start", "保险起期", InsurancePolicy.start_date, 95, "date"),
        Column("end", "保险止期", effective_end(), 95, "date"),
        Column("until", "止期约定", _END_TEXT, 110),
        Column("premium", "保费（元）", InsurancePolicy.premium_fen, 100, "money"),
        Column("death_limit", "每人死亡伤残限额（元）", InsurancePolicy.death_limit_fen, 140, "money"),
        Column("headcount_mode", "计人方式", InsurancePolicy.headcount_mode, 100),
        Column("status", "状态", InsurancePolicy.status, 60),
    ),
    base=_base,
    id_expr=InsurancePolicy.id,
    search_expr=InsurancePolicy.search_key,
    filters={
        "grid_id": _grid,
        "contractor_id": lambda s, v: s.where(InsurancePolicy.insured_id == v),
        "status": lambda s, v: s.where(InsurancePolicy.status == v),
        "project_id": lambda s, v: s.where(InsurancePolicy.project_id == v),
        "problem": _problem,
    },
    default_sort=(InsurancePolicy.start_date.desc(),),
)
