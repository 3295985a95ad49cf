"""The 项目 list: columns, search and filters, all in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from station_app.models import Enterprise, Grid, Project, ProjectParty
from station_app.models.enums import IN_SUPERVISION, PartyRole
from station_app.services.listing import Column, ListSpec

_GC = aliased(Enterprise)
_GCParty = aliased(ProjectParty)


def _base() -> Select[Any]:
    return (
        select(Project)
        .outerjoin(Grid, Grid.id == Project.grid_id)
        .outerjoin(_GCParty, (_GCParty.project_id == Project.id)
                   & (_GCParty.role == PartyRole.GENERAL_CONTRACTOR.value))
        .outerjoin(_GC, _GC.id == _GCParty.enterprise_id)
    )


PROJECT_LIST = ListSpec(
    columns=(
        Column("name", "工程名称", Project.name, 280),
        Column("status", "状态", Project.status, 70),
        Column("town", "乡镇/片区", Project.town, 90),
        Column("grid", "网格", Grid.name, 90),
        Column("project_type", "工程类别", Project.project_type, 100),
        Column("contractor", "施工总承包", _GC.name, 220),
        Column("permit_no", "施工许可证号", Project.permit_no, 160),
        Column("contract_cost_fen", "建安造价（元）", Project.contract_cost_fen, 120, "money"),
        Column("building_area", "建筑面积（m²）", Project.building_area, 110, "area"),
        Column("actual_start", "实际开工", Project.actual_start, 90, "date"),
        Column("progress", "形象进度", Project.progress, 100),
    ),
    base=_base,
    id_expr=Project.id,
    search_expr=Project.search_key,
    filters={
        "status": lambda s, v: s.where(Project.status.in_(v) if isinstance(v, list | tuple) else Project.status == v),
        "in_supervision": lambda s, v: s.where(Project.status.in_([x.value for x in IN_SUPERVISION])) if v else s,
        "grid_id": lambda s, v: s.where(Project.grid_id.is_(None) if v == -1 else Project.grid_id == v),
        "town": lambda s, v: s.where(Project.town == v),
        "project_type": lambda s, v: s.where(Project.project_type == v),
        "enterprise_id": lambda s, v: s.where(
            Project.id.in_(select(ProjectParty.project_id).where(ProjectParty.enterprise_id == v))),
    },
    default_sort=(Project.id.desc(),),
)
