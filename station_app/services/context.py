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
}


def can(actor: Actor, action: str) -> bool:
    return actor.role in PERMISSIONS[action]


def require(actor: Actor, action: str) -> None:
    if not can(actor, action):
        raise PermissionDenied(f"当前角色“{actor.role}”无权{ACTION_LABELS.get(action, action)}。")
