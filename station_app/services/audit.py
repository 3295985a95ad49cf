"""The append-only audit log: who changed which record when, before and after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from station_app.db.base import now
from station_app.models import AuditEntry
from station_app.services.context import Actor, require

#: record types as they are shown in the log viewer
ENTITY_LABELS: dict[str, str] = {
    "project": "项目",
    "enterprise": "企业",
    "person": "人员",
    "user": "用户",
    "station": "监督站",
    "grid": "网格",
    "reference": "参考数据",
    "backup": "备份",
    "supervision": "监督安排",
    "supervision_plan": "监督计划",
    "coverage_round": "全覆盖排查",
    "random_draw": "双随机抽查",
    "supervisor_conflict": "回避关系",
    "inspection": "监督检查",
    "campaign": "专项行动",
    "attachment": "附件",
    "document": "执法文书",
    "penalty_case": "行政处罚案件",
    "safety_fee_basis": "安全生产费用基数",
    "safety_fee_subcontract": "分包安全生产费用",
    "safety_fee_payment": "安全生产费用支付",
    "safety_fee_usage": "安全生产费用使用台账",
    "inspection_fee_check": "安全生产费用检查",
    "insurance_policy": "安责险保单",
    "insurance_visit": "保险事故预防服务",
    "insurance_claim": "保险理赔",
    "hazard": "隐患",
    "hazard_listing": "挂牌督办",
    "contractor_review": "精准拆弹排查",
    "monthly_report": "月报",
}

ACTION_LABELS: dict[str, str] = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "merge": "合并",
    "login": "登录",
    "login_failed": "登录失败",
    "restore": "恢复",
    "reset": "恢复默认",
    "reassign": "批量调整",
    "void": "作废",
    "sign": "签发",
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> None:
    """Add an audit row in the caller's transaction: it commits or rolls back with the change."""
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    session.add(
        AuditEntry(
            at=now(),
            user_id=actor.user_id,
            username=actor.username,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            summary=summary[:300],
            before_json=None if before is None else json.dumps(_plain(before), ensure_ascii=False),
            after_json=None if after is None else json.dumps(_plain(after), ensure_ascii=False),
        )
    )


def record_saved(session: Session, actor: Actor, entity_type: str, entity_id: int | None,
                 before: dict[str, Any] | None, after: dict[str, Any], what: str) -> None:
    """The audit row of a create-or-edit form: 「登记<what>」 when ``before`` is None, 「修改<what>」 when
    something changed, nothing when the edit saved the same values."""
    if before is None:
        record(session, actor, "create", entity_type, entity_id, after=after, summary=f"登记{what}")
    elif before != after:
        record(session, actor, "update", entity_type, entity_id, before=before, after=after, summary=f"修改{what}")


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    entity_type: str | None = None
    entity_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def _filtered(stmt: Select[Any], flt: AuditFilter) -> Select[Any]:
    if flt.username:
        stmt = stmt.where(AuditEntry.username == flt.username)
    if flt.entity_type:
        stmt = stmt.where(AuditEntry.entity_type == flt.entity_type)
    if flt.entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == flt.entity_id)
    if flt.date_from:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(flt.date_from, datetime.min.time()))
    if flt.date_to:
        # up to the end of that day: an entry at 23:59:59 belongs to it
        stmt = stmt.where(AuditEntry.at < datetime.combine(flt.date_to + timedelta(days=1), datetime.min.time()))
    return stmt


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    entity_type: str
    entity_id: int | None
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def count_audit(session: Session, actor: Actor, flt: AuditFilter) -> int:
    require(actor, "audit.read")
    return session.scalar(_filtered(select(func.count(AuditEntry.id)), flt)) or 0


def list_audit(session: Session, actor: Actor, flt: AuditFilter, offset: int = 0,
               limit: int = 200) -> list[AuditRow]:
    require(actor, "audit.read")
    stmt = _filtered(select(AuditEntry), flt).order_by(AuditEntry.id.desc()).offset(offset).limit(limit)
    return [
        AuditRow(e.id, e.at, e.username, e.action, e.entity_type, e.entity_id, e.summary,
                 json.loads(e.before_json) if e.before_json else None,
                 json.loads(e.after_json) if e.after_json else None)
        for e in session.scalars(stmt)
    ]


def audit_usernames(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.username).distinct().order_by(AuditEntry.username)))
