"""Who is acting, and what each role may do. Every write checks here; the UI only mirrors it."""

from __future__ import annotations

from dataclasses import dataclass

from station_app.errors import PermissionDenied
from station_app.models.enums import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    full_name: str
    role: Role

    @property
    def label(self) -> str:
        return f"{self.full_name}（{self.role}）"


#: the actor of command-line set-up, demo data and migrations
SYSTEM = Actor(user_id=None, username="system", full_name="系统", role=Role.ADMIN)

_ALL_WRITERS = frozenset({Role.ADMIN, Role.CHIEF, Role.SUPERVISOR, Role.CLERK})

#: action → roles allowed. Actions are named by what they change.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "registry.write": _ALL_WRITERS,
    "registry.delete": frozenset({Role.ADMIN, Role.CHIEF, Role.CLERK}),
    "enterprise.merge": frozenset({Role.ADMIN, Role.CHIEF}),
    "grid.write": frozenset({Role.ADMIN, Role.CHIEF}),
    "users.manage": frozenset({Role.ADMIN}),
    "reference.edit": frozenset({Role.ADMIN}),
    "station.edit": frozenset({Role.ADMIN}),
    "backup.create": _ALL_WRITERS,
    "backup.restore": frozenset({Role.ADMIN}),
    "audit.read": frozenset({Role.ADMIN, Role.CHIEF}),
    "person.read_full_id": frozenset({Role.ADMIN, Role.CHIEF, Role.CLERK}),
    # grid supervision (issue 4)
    "supervision.assign": frozenset({Role.ADMIN, Role.CHIEF}),
    "supervision.plan": frozenset({Role.ADMIN, Role.CHIEF}),
    "coverage.manage": frozenset({Role.ADMIN, Role.CHIEF, Role.CLERK}),
    "draw.run": frozenset({Role.ADMIN, Role.CHIEF}),
    "conflict.declare": frozenset({Role.ADMIN, Role.CHIEF, Role.SUPERVISOR}),
    # inspection log (issue 4)
    "inspection.write": frozenset({Role.CHIEF, Role.SUPERVISOR, Role.CLERK}),
    "inspection.delete": frozenset({Role.ADMIN, Role.CHIEF}),
    "campaign.manage": frozenset({Role.ADMIN, Role.CHIEF}),
    "portrait.read": frozenset({Role.ADMIN, Role.CHIEF}),
    # enforcement documents (issue 6)
    "document.issue": frozenset({Role.CHIEF, Role.SUPERVISOR, Role.CLERK}),
    "document.void": frozenset({Role.CHIEF}),
    # administrative-penalty cases (issue 6)
    "case.write": frozenset({Role.CHIEF, Role.SUPERVISOR, Role.CLERK}),
    "case.approve": frozenset({Role.CHIEF}),
    # 安全生产费用 (issue 8, part B)
    "safety_fee.write": frozenset({Role.CHIEF, Role.SUPERVISOR, Role.CLERK}),
    "safety_fee.delete": frozenset({Role.ADMIN, Role.CHIEF, Role.CLERK}),
    "safety_fee.review": frozenset({Role.CHIEF, Role.SUPERVISOR}),
    # 安责险 (issue 8, part A)
    "insurance.write": frozenset({Role.CHIEF, Role.SUPERVISOR, Role.CLERK}),
    "insurance.delete": frozenset({Role.ADMIN, Role.CHIEF}),
    # hazard ledger (issue 5, part A)
    "hazard.write": frozenset({Role.CHIEF, Role.SUPERVISOR, Role.CLERK}),
    "hazard.review": frozenset({Role.CHIEF, Role.SUPERVISOR}),
    "hazard.confirm_close": frozenset({Role.CHIEF}),
    "hazard.cancel": frozenset({Role.CHIEF}),
    "hazard.assign": frozenset({Role.ADMIN, Role.CHIEF}),
    # 判定条款待复核 after a correction of the 重大事故隐患判定标准 (issue 13)
    "hazard.criterion_review": frozenset({Role.CHIEF}),
    # 督办 / 挂牌督办 / 精准拆弹 (issue 5, part B)
    "hazard.urge": frozenset({Role.CHIEF, Role.SUPERVISOR, Role.CLERK}),
    "hazard.list": frozenset({Role.ADMIN, Role.CHIEF}),
    "contractor_review.manage": frozenset({Role.ADMIN, Role.CHIEF, Role.CLERK}),
    # monthly report pack (issue 7)
    "monthly.generate": _ALL_WRITERS,
    "monthly.edit": frozenset({Role.ADMIN, Role.CHIEF, Role.CLERK}),
    "monthly.sign": frozenset({Role.CHIEF}),
}

ACTION_LABELS: dict[str, str] = {
    "registry.write": "修改登记信息",
    "registry.delete": "删除登记记录",
    "enterprise.merge": "合并企业",
    "grid.write": "维护网格",
    "users.manage": "管理用户",
    "reference.edit": "修改参考数据",
    "station.edit": "修改监督站信息",
    "backup.create": "备份数据库",
    "backup.restore": "恢复数据库",
    "audit.read": "查看操作日志",
    "person.read_full_id": "查看完整身份证号",
    "supervision.assign": "调整项目监督员",
    "supervision.plan": "修改监督检查频次",
    "coverage.manage": "维护全覆盖排查轮次",
    "draw.run": "组织双随机抽查",
    "conflict.declare": "登记回避关系",
    "inspection.write": "记录监督检查",
    "inspection.delete": "删除监督检查记录",
    "campaign.manage": "维护专项行动清单",
    "portrait.read": "查看监督员数据画像",
    # enforcement documents (issue 6)
    "document.issue": "签发执法文书",
    "document.void": "作废执法文书",
    # administrative-penalty cases (issue 6)
    "case.write": "办理行政处罚案件",
    "case.approve": "审批行政处罚案件（立案、决定、结案、超幅度处罚、延长办案期限）",
    # 安全生产费用 (issue 8, part B)
    "safety_fee.write": "登记安全生产费用",
    "safety_fee.delete": "删除安全生产费用记录",
    "safety_fee.review": "复核安全生产费用支出",
    # 安责险 (issue 8, part A)
    "insurance.write": "登记安责险保单",
    "insurance.delete": "删除安责险保单",
    # hazard ledger (issue 5, part A)
    "hazard.write": "登记和办理隐患",
    "hazard.review": "复查隐患整改",
    "hazard.confirm_close": "确认重大隐患销号",
    "hazard.cancel": "撤销隐患",
    "hazard.assign": "指派隐患监督员",
    "hazard.criterion_review": "复核重大隐患判定条款",
    # 督办 / 挂牌督办 / 精准拆弹 (issue 5, part B)
    "hazard.urge": "督办隐患",
    "hazard.list": "挂牌督办或摘牌",
    "contractor_review.manage": "安排同一施工总包在建项目排查",
    "monthly.generate": "生成月报",
    "monthly.edit": "填写月报",
    "monthly.sign": "签发月报",
}


def can(actor: Actor, action: str) -> bool:
    return actor.role in PERMISSIONS[action]


def require(actor: Actor, action: str) -> None:
    if not can(actor, action):
        raise PermissionDenied(f"当前角色“{actor.role}”无权{ACTION_LABELS.get(action, action)}。")
