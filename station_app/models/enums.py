"""Enumerations stored as their Chinese labels (what clerks see and what exports print)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "管理员"
    CHIEF = "站长"
    SUPERVISOR = "监督员"
    CLERK = "内勤"
    READONLY = "只读"


class ProjectStatus(StrEnum):
    NOT_STARTED = "未开工"
    UNDER_CONSTRUCTION = "在建"
    SUSPENDED = "停工"
    AWAITING_ACCEPTANCE = "竣工待验"
    COMPLETED = "已竣工"
    TERMINATED = "终止监督"


#: statuses in which a project is "in supervision" (在监)
IN_SUPERVISION = (ProjectStatus.NOT_STARTED, ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.SUSPENDED,
                  ProjectStatus.AWAITING_ACCEPTANCE)


class ProjectType(StrEnum):
    BUILDING = "房屋建筑工程"
    MUNICIPAL = "市政公用工程"


PROJECT_SUBTYPES: dict[ProjectType, tuple[str, ...]] = {
    ProjectType.BUILDING: ("住宅", "公共建筑", "工业厂房", "学校", "医院", "安置房", "装饰装修", "其他房屋建筑"),
    ProjectType.MUNICIPAL: ("道路", "桥梁", "给排水", "燃气", "热力", "园林绿化", "照明", "综合管廊",
                            "轨道交通", "其他市政"),
}

STRUCTURE_TYPES = ("框架", "框架-剪力墙", "剪力墙", "框架-核心筒", "砖混", "钢结构", "排架", "装配式混凝土",
                   "其他")


class PartyRole(StrEnum):
    OWNER = "建设单位"
    GENERAL_CONTRACTOR = "施工总承包"
    SUPERVISION = "监理"
    SURVEY = "勘察"
    DESIGN = "设计"
    SUBCONTRACTOR = "专业分包"


#: posts of responsible people on a project, by the party role they belong to
PARTY_POSTS: dict[PartyRole, tuple[str, ...]] = {
    PartyRole.OWNER: ("项目负责人", "现场代表"),
    PartyRole.GENERAL_CONTRACTOR: ("项目负责人", "技术负责人", "安全总监", "专职安全员", "施工员"),
    PartyRole.SUPERVISION: ("项目总监", "总监代表", "专业监理工程师", "监理员"),
    PartyRole.SURVEY: ("项目负责人",),
    PartyRole.DESIGN: ("项目负责人",),
    PartyRole.SUBCONTRACTOR: ("项目负责人", "专职安全员", "技术负责人"),
}


class EnterpriseKind(StrEnum):
    OWNER = "建设单位"
    CONTRACTOR = "施工企业"
    SUPERVISION = "监理企业"
    SURVEY = "勘察单位"
    DESIGN = "设计单位"
    SPECIALIST = "专业承包企业"
    LEASING = "设备租赁企业"
    OTHER = "其他"


class PermitStatus(StrEnum):
    VALID = "有效"
    SUSPENDED = "暂扣"
    REVOKED = "吊销"
