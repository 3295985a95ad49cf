"""执法文书 and 行政处罚 figures of the monthly report.

- 文书 (份): issued documents (not 已作废) whose ``issue_date`` is in the period, by type:
  限期整改 = 安全隐患整改通知书; 停工整改 = 停工整改通知书 + 局部停工整改通知书; 复工通知书; 约谈 =
  安全生产约谈记录. 停工整改项目数 = distinct projects that received a 停工 notice in the period.
- 立案: ``filed_on`` in the period; 结案: ``closed_on`` in the period.
- 罚款决定 (万元): ``decided_fine_fen`` of the cases decided in the period.
- 罚款收缴 (万元): ``paid_fen`` of the cases whose last payment (``last_paid_on``) is in the period
  (the case ledger keeps the amount paid so far, not each payment).
A section whose tables do not exist yet reads 本站尚未建立该台账.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from station_app.models import Grid, IssuedDocument, Project
from station_app.models.document import DocumentStatus
from station_app.models.penalty_case import PenaltyCase
from station_app.services.documents.issuing import VOID_RECORD
from station_app.services.monthly.figures_common import (
    NOT_KEPT,
    DetailColumn,
    DetailDef,
    FigureDef,
    Period,
    Section,
    Value,
    has_tables,
    wan,
)

RECTIFY_TYPES = ("安全隐患整改通知书",)
STOP_TYPES = ("停工整改通知书", "局部停工整改通知书")
RESUME_TYPES = ("复工通知书",)
TALK_TYPES = ("安全生产约谈记录",)


def _docs(p: Period, types: tuple[str, ...] | None = None) -> Any:
    # a 作废记录 records the station voiding its own paper; it is not a document issued to a party
    cond = and_(IssuedDocument.status != DocumentStatus.VOID.value, IssuedDocument.doc_type != VOID_RECORD,
                IssuedDocument.issue_date >= p.start, IssuedDocument.issue_date <= p.end)
    return cond if types is None else and_(cond, IssuedDocument.doc_type.in_(types))


def _one(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def compute_documents(session: Session, p: Period) -> dict[str, Value]:
    row = session.execute(select(
        _one(IssuedDocument.doc_type.in_(RECTIFY_TYPES)), _one(IssuedDocument.doc_type.in_(STOP_TYPES)),
        _one(IssuedDocument.doc_type.in_(RESUME_TYPES)), _one(IssuedDocument.doc_type.in_(TALK_TYPES)),
        func.count(IssuedDocument.id),
        func.count(func.distinct(case((IssuedDocument.doc_type.in_(STOP_TYPES), IssuedDocument.project_id)))),
    ).where(_docs(p))).one()
    return {"docs_rectify": int(row[0]), "docs_stop": int(row[1]), "docs_resume": int(row[2]),
            "docs_talk": int(row[3]), "docs_total": int(row[4]), "projects_stop_ordered": int(row[5] or 0)}


def _filed(p: Period) -> Any:
    return and_(PenaltyCase.filed_on >= p.start, PenaltyCase.filed_on <= p.end)


def _closed(p: Period) -> Any:
    return and_(PenaltyCase.closed_on >= p.start, PenaltyCase.closed_on <= p.end)


def _decided(p: Period) -> Any:
    return and_(PenaltyCase.decided_on >= p.start, PenaltyCase.decided_on <= p.end)


def _paid(p: Period) -> Any:
    return and_(PenaltyCase.last_paid_on >= p.start, PenaltyCase.last_paid_on <= p.end, PenaltyCase.paid_fen > 0)


def compute_cases(session: Session, p: Period) -> dict[str, Value]:
    row = session.execute(select(
        _one(_filed(p)), _one(_closed(p)),
        func.sum(case((_decided(p), PenaltyCase.decided_fine_fen), else_=0)),
        func.sum(case((_paid(p), PenaltyCase.paid_fen), else_=0)), _one(_decided(p)),
    )).one()
    return {"cases_filed": int(row[0]), "cases_closed": int(row[1]), "cases_decided": int(row[4]),
            "fines_decided": wan(row[2], 1_000_000), "fines_collected": wan(row[3], 1_000_000)}


def _docs_available(session: Session) -> str:
    return "" if has_tables(session, IssuedDocument.__tablename__) else NOT_KEPT


def _cases_available(session: Session) -> str:
    return "" if has_tables(session, PenaltyCase.__tablename__) else NOT_KEPT


_DOC_COLS = (DetailColumn("文号", "text", 26), DetailColumn("文书类型", "text", 18), DetailColumn("签发日期", "date", 12),
             DetailColumn("工程名称", "text", 36), DetailColumn("网格", "text", 12), DetailColumn("受送达单位", "text", 30),
             DetailColumn("签发人", "text", 10))


def _doc_detail(types: tuple[str, ...] | None) -> Any:
    def stmt(p: Period) -> Any:
        return (select(IssuedDocument.number, IssuedDocument.doc_type, IssuedDocument.issue_date, Project.name,
                       Grid.name, IssuedDocument.addressee, IssuedDocument.signer_name)
                .outerjoin(Project, Project.id == IssuedDocument.project_id)
                .outerjoin(Grid, Grid.id == Project.grid_id).where(_docs(p, types))
                .order_by(IssuedDocument.doc_type, IssuedDocument.year, IssuedDocument.serial))
    return stmt


_CASE_COLS = (DetailColumn("案件编号", "text", 16), DetailColumn("当事人", "text", 30), DetailColumn("案由", "text", 40),
              DetailColumn("阶段", "text", 10), DetailColumn("立案日期", "date", 12), DetailColumn("决定日期", "date", 12),
              DetailColumn("罚款金额(元)", "money", 14), DetailColumn("已缴(元)", "money", 14),
              DetailColumn("最后缴款", "date", 12), DetailColumn("结案日期", "date", 12))


def _case_detail(cond: Any) -> Any:
    def stmt(p: Period) -> Any:
        return (select(PenaltyCase.code, PenaltyCase.party_name, PenaltyCase.cause, PenaltyCase.stage,
                       PenaltyCase.filed_on, PenaltyCase.decided_on, PenaltyCase.decided_fine_fen, PenaltyCase.paid_fen,
                       PenaltyCase.last_paid_on, PenaltyCase.closed_on)
                .where(cond(p)).order_by(PenaltyCase.code))
    return stmt


DOC_SECTION = Section("documents", "执法文书", (
    FigureDef("docs_rectify", "限期整改通知书", "份", "本期签发的安全隐患整改通知书（不含作废）", "docs_rectify"),
    FigureDef("docs_stop", "停工整改通知书", "份", "本期签发的停工、局部停工整改通知书", "docs_stop"),
    FigureDef("projects_stop_ordered", "停工整改项目数", "个", "本期收到停工整改通知书的项目（去重）", "docs_stop"),
    FigureDef("docs_resume", "复工通知书", "份", "本期签发的复工通知书", "docs_resume"),
    FigureDef("docs_talk", "约谈", "次", "本期的安全生产约谈记录", "docs_talk"),
    FigureDef("docs_total", "执法文书合计", "份", "本期签发的全部执法文书（不含作废）", "docs_total"),
), compute_documents, (
    DetailDef("docs_rectify", "限期整改通知书", _DOC_COLS, _doc_detail(RECTIFY_TYPES)),
    DetailDef("docs_stop", "停工整改通知书", _DOC_COLS, _doc_detail(STOP_TYPES)),
    DetailDef("docs_resume", "复工通知书", _DOC_COLS, _doc_detail(RESUME_TYPES)),
    DetailDef("docs_talk", "约谈记录", _DOC_COLS, _doc_detail(TALK_TYPES)),
    DetailDef("docs_total", "执法文书", _DOC_COLS, _doc_detail(None)),
), _docs_available)

CASE_SECTION = Section("cases", "行政处罚", (
    FigureDef("cases_filed", "立案数", "起", "立案日期在本期内的案件", "cases_filed"),
    FigureDef("cases_decided", "作出处罚决定数", "起", "处罚决定日期在本期内的案件", "cases_decided"),
    FigureDef("cases_closed", "结案数", "起", "结案日期在本期内的案件", "cases_closed"),
    FigureDef("fines_decided", "罚款决定金额", "万元", "本期作出的处罚决定的罚款合计", "cases_decided", digits=2),
    FigureDef("fines_collected", "罚款收缴金额", "万元", "最后缴款日期在本期内的案件的已缴金额", "fines_collected",
              digits=2),
), compute_cases, (
    DetailDef("cases_filed", "立案案件", _CASE_COLS, _case_detail(_filed)),
    DetailDef("cases_decided", "处罚决定", _CASE_COLS, _case_detail(_decided)),
    DetailDef("cases_closed", "结案案件", _CASE_COLS, _case_detail(_closed)),
    DetailDef("fines_collected", "罚款收缴", _CASE_COLS, _case_detail(_paid)),
), _cases_available)
