"""The 行政处罚案件 list: columns, search and filters, all in SQL.

Filters (``ListQuery.filters``):

* ``stage`` — one stage or a list; ``"办理中"`` = every open stage;
* ``overdue`` — True: a clock of the station (or the fine's payment) is open past its last day;
* ``party`` — text in the party's name or code; ``enterprise_id``; ``project_id``;
* ``year`` — the year of the clue (发现线索);
* ``pending_reviews`` — True: 一案双查 with a person still without an outcome;
* ``zero_penalty`` — True: closed after an accident without any penalty (零处罚).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, exists, func, select
from sqlalchemy.types import Date

from station_app import clock
from station_app.models import CaseClock, CaseReview, PenaltyCase, Project
from station_app.services.listing import Column, ListSpec
from station_app.services.penalties import stages as st
from station_app.services.penalties.clocks import ALARM_STEPS
from station_app.services.search import like_pattern

ACTIVE = "办理中"


def _today() -> Any:
    # evaluated at each execution: a list left open over midnight counts from the new day
    return bindparam("case_today", callable_=clock.today, type_=Date())


def _open_alarm() -> Any:
    return and_(CaseClock.case_id == PenaltyCase.id, CaseClock.done_on.is_(None), CaseClock.step.in_(ALARM_STEPS))


OVERDUE_COUNT = (select(func.count(CaseClock.id)).where(_open_alarm(), CaseClock.deadline < _today())
                 .correlate(PenaltyCase).scalar_subquery())
NEXT_DEADLINE = (select(func.min(CaseClock.deadline)).where(_open_alarm()).correlate(PenaltyCase)
                 .scalar_subquery())
PENDING_REVIEWS = (select(func.count(CaseReview.id)).where(CaseReview.case_id == PenaltyCase.id,
                                                            CaseReview.outcome == "")
                   .correlate(PenaltyCase).scalar_subquery())


def _base() -> Select[Any]:
    return select(PenaltyCase).outerjoin(Project, Project.id == PenaltyCase.project_id)


def _stage(stmt: Select[Any], value: str | Sequence[str]) -> Select[Any]:
    if value == ACTIVE:
        return stmt.where(PenaltyCase.stage.in_(st.OPEN_STAGES))
    if isinstance(value, str):
        return stmt.where(PenaltyCase.stage == value)
    return stmt.where(PenaltyCase.stage.in_(list(value)))


def _overdue(stmt: Select[Any], value: bool) -> Select[Any]:
    if not value:
        return stmt
    return stmt.where(exists().where(_open_alarm(), CaseClock.deadline < _today()))


def _party(stmt: Select[Any], value: str) -> Select[Any]:
    pattern = like_pattern(value.strip())
    return stmt.where(PenaltyCase.party_name.like(pattern, escape="\\")
                      | PenaltyCase.party_code.like(pattern, escape="\\"))


def _year(stmt: Select[Any], value: int) -> Select[Any]:
    return stmt.where(PenaltyCase.clue_on >= date(int(value), 1, 1), PenaltyCase.clue_on <= date(int(value), 12, 31))


def _pending(stmt: Select[Any], value: bool) -> Select[Any]:
    if not value:
        return stmt
    return stmt.where(exists().where(CaseReview.case_id == PenaltyCase.id, CaseReview.outcome == ""))


CASE_LIST = ListSpec(
    columns=(
        Column("code", "案号", PenaltyCase.code, 100),
        Column("stage", "当前环节", PenaltyCase.stage, 80),
        Column("stage_on", "环节日期", PenaltyCase.stage_on, 90, "date"),
        Column("party", "当事人", PenaltyCase.party_name, 220),
        Column("cause", "案由", PenaltyCase.cause, 260),
        Column("project", "工程名称", Project.name, 200),
        Column("next_deadline", "最近期限", NEXT_DEADLINE, 90, "date"),
        # NULL (a blank cell) rather than 0: only the cases with something overdue catch the eye
        Column("overdue", "逾期时限", func.nullif(OVERDUE_COUNT, 0), 70, "int"),
        Column("case_deadline", "办案期限", PenaltyCase.case_deadline, 90, "date"),
        Column("fine", "罚款（元）", func.coalesce(PenaltyCase.decided_fine_fen, PenaltyCase.proposed_fine_fen),
               100, "money"),
        Column("paid", "已缴（元）", PenaltyCase.paid_fen, 90, "money"),
        Column("reviews", "一案双查待结", func.nullif(PENDING_REVIEWS, 0), 90, "int"),
        Column("zero", "零处罚", case((PenaltyCase.zero_penalty_flag.is_(True), "是"), else_=""), 60),
        Column("handlers", "承办人", PenaltyCase.handlers, 110),
    ),
    base=_base,
    id_expr=PenaltyCase.id,
    search_expr=PenaltyCase.search_key,
    filters={
        "stage": _stage,
        "overdue": _overdue,
        "party": _party,
        "enterprise_id": lambda s, v: s.where(PenaltyCase.enterprise_id == v),
        "project_id": lambda s, v: s.where(PenaltyCase.project_id == v),
        "year": _year,
        "pending_reviews": _pending,
        "zero_penalty": lambda s, v: s.where(PenaltyCase.zero_penalty_flag.is_(True)) if v else s,
    },
    default_sort=(PenaltyCase.clue_on.desc(),),
)


def case_years(session: Any) -> list[int]:
    """Years that have cases, newest first (for the year filter)."""
    years = {d.year for d in session.scalars(select(PenaltyCase.clue_on).distinct())}
    return sorted(years, reverse=True)
