"""项目 page: search (名称、拼音首字母、许可证号、信用代码), filters, the lazy list, 新增/编辑/删除."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QWidget
from sqlalchemy.orm import Session

from station_app.models.enums import ProjectStatus, ProjectType
from station_app.services.registry.project_table import PROJECT_LIST
from station_app.services.registry.projects import delete_project, towns
from station_app.services.station import list_grids
from station_app.views.app_context import AppContext
from station_app.views.registry.common import RegistryPage
from station_app.views.registry.project_editor import ProjectEditor
from station_app.views.table_models import SqlTableModel
from station_app.views.widgets import ValueCombo, choices

#: besides projects themselves, the list shows grid and contractor names
LIST_DEPENDS_ON = ("project", "enterprise", "grid")


class ProjectsPage(RegistryPage):
    entity = "project"
    noun = "项目"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        model = SqlTableModel(ctx, PROJECT_LIST, entity_types=LIST_DEPENDS_ON)
        super().__init__(ctx, model, "搜索：名称、拼音首字母（如 dhxq）、许可证号、信用代码", parent)
        self.status_filter = ValueCombo(choices([s.value for s in ProjectStatus], blank="全部状态"), self)
        self.grid_filter = ValueCombo((), self)
        self.town_filter = ValueCombo((), self)
        self.type_filter = ValueCombo(choices([t.value for t in ProjectType], blank="全部类别"), self)
        self.in_supervision = QCheckBox("仅在监项目", self)
        for w in (self.status_filter, self.grid_filter, self.town_filter, self.type_filter):
            self.filter_bar.addWidget(w)
        self.filter_bar.addWidget(self.in_supervision)
        self._reload_choices()
        self.status_filter.value_changed.connect(lambda v: self.model.set_filter("status", v))
        self.grid_filter.value_changed.connect(lambda v: self.model.set_filter("grid_id", v))
        self.town_filter.value_changed.connect(lambda v: self.model.set_filter("town", v))
        self.type_filter.value_changed.connect(lambda v: self.model.set_filter("project_type", v))
        self.in_supervision.toggled.connect(lambda on: self.model.set_filter("in_supervision", on))
        ctx.bus.changed.connect(self._on_changed)
        self.load()

    def _reload_choices(self) -> None:
        """Grid and town filter lists (they change when grids are edited or projects saved)."""
        with self.ctx.db.read() as session:
            grids = list_grids(session, active_only=False)
            town_names = towns(session)
        grid_items: list[tuple[str, Any]] = [("全部网格", None), ("未分网格", -1), *((g.name, g.id) for g in grids)]
        self.grid_filter.set_items(grid_items)
        self.town_filter.set_items(choices(town_names, blank="全部乡镇"))

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("project", "grid", "*"):
            self._reload_choices()

    def create_editor(self, record_id: int | None) -> ProjectEditor:
        return ProjectEditor(self.ctx, record_id, self)

    def delete_record(self, session: Session, record_id: int) -> None:
        delete_project(session, self.ctx.actor, record_id)
