"""项目 editor: every field of ProjectData, grouped, plus the 参建单位 tab."""

from __future__ import annotations

from itertools import pairwise
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QWidget,
)
from sqlalchemy.orm import Session

from station_app.models.enums import PROJECT_SUBTYPES, STRUCTURE_TYPES, ProjectStatus, ProjectType
from station_app.services.registry.projects import (
    ProjectData,
    create_project,
    get_project,
    towns,
    update_project,
)
from station_app.services.station import list_grids
from station_app.views.app_context import AppContext
from station_app.views.registry.editor_base import EditorDialog
from station_app.views.registry.project_parties import PartiesEditor
from station_app.views.widgets import DateEdit, DecimalEdit, InputReader, MoneyEdit, ValueCombo, choices

_UNSET = "（未填）"


class ProjectEditor(EditorDialog):
    """New project (``project_id`` None) or an existing one. Open with ``open()``; emits ``saved(id)``."""

    entity = "project"
    #: a new project starts from the type, town and grid of the last one saved (keyboard-first entry)
    last_entry: ClassVar[dict[str, Any]] = {}

    def __init__(self, ctx: AppContext, project_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "编辑项目" if project_id else "新增项目", parent)
        self.resize(980, 660)
        with ctx.db.read() as session:
            grids = list_grids(session)
            town_names = towns(session)
            data = get_project(session, project_id) if project_id else None
        self._id = project_id
        self._version = data.version if data else None

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_info(town_names), "项目信息")
        self.parties = PartiesEditor(ctx, self.tabs)
        self.errors.register_prefix("参建单位", self.parties.table, self.parties.error_line)
        self.tabs.addTab(self.parties, "参建单位")
        if project_id:  # 安责险 summary of a saved project (issue 8)
            from station_app.views.insurance.project_summary import InsuranceSummary

            self.tabs.addTab(InsuranceSummary(ctx, project_id, self.tabs), "安责险")
        self.body.addWidget(self.tabs)
        from station_app.views.safety_fees.project_summary import FeeSummaryWidget

        self.fee_summary = FeeSummaryWidget(ctx, project_id, self)
        self.body.addWidget(self.fee_summary)

        grid_items: list[tuple[str, Any]] = [("未分网格", None), *((g.name, g.id) for g in grids)]
        if data and data.grid_id is not None and all(g.id != data.grid_id for g in grids):
            grid_items.append((f"{data.grid_name}（已停用）", data.grid_id))
        self.grid.set_items(grid_items, keep=False)
        self._load(data or self._new_defaults())
        self.finish_loading()
        self.name.setFocus()

    # -------------------------------------------------------------- building

    def _build_info(self, town_names: list[str]) -> QWidget:
        page = QWidget(self)
        e = self.errors
        self.name = QLineEdit(page)
        self.name.setMaxLength(200)
        self.project_type = ValueCombo(choices([t.value for t in ProjectType]), page)
        self.sub_type = ValueCombo((), page)
        self.structure_type = ValueCombo(choices(STRUCTURE_TYPES, blank=_UNSET), page)
        self.address = QLineEdit(page)
        self.town = QLineEdit(page)
        completer = QCompleter(town_names, self.town)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.town.setCompleter(completer)
        self.grid = ValueCombo((), page)
        basic = QGroupBox("基本信息", page)
        f = QFormLayout(basic)
        f.addRow("工程名称 *", e.field("工程名称", self.name))
        f.addRow("工程类别 *", e.field("工程类别", self.project_type))
        f.addRow("工程子类", e.field("工程子类", self.sub_type))
        f.addRow("结构类型", self.structure_type)
        f.addRow("工程地址", self.address)
        f.addRow("乡镇/片区", self.town)
        f.addRow("网格", e.field("网格", self.grid))
        self.project_type.value_changed.connect(self._on_type)

        self.area = DecimalEdit(2, "未填（m²）", page)
        self.cost = MoneyEdit(page)
        scale = QGroupBox("规模与造价", page)
        f = QFormLayout(scale)
        f.addRow("建筑面积（m²）", e.field("建筑面积", self.area))
        f.addRow("建安造价（元）", e.field("建安造价", self.cost))

        self.permit_no = QLineEdit(page)
        self.permit_date = DateEdit(page)
        self.supervision_no = QLineEdit(page)
        self.planned_start = DateEdit(page)
        self.planned_finish = DateEdit(page)
        self.actual_start = DateEdit(page)
        self.actual_finish = DateEdit(page)
        self.filing_date = DateEdit(page)
        permits = QGroupBox("许可与日期", page)
        f = QFormLayout(permits)
        f.addRow("施工许可证号", e.field("施工许可证号", self.permit_no))
        f.addRow("施工许可日期", e.field("施工许可日期", self.permit_date))
        f.addRow("监督登记号", e.field("监督登记号", self.supervision_no))
        f.addRow("计划开工日期", e.field("计划开工日期", self.planned_start))
        f.addRow("计划竣工日期", e.field("计划竣工日期", self.planned_finish))
        f.addRow("实际开工日期", e.field("实际开工日期", self.actual_start))
        f.addRow("实际竣工日期", e.field("实际竣工日期", self.actual_finish))
        f.addRow("竣工验收备案日期", e.field("竣工验收备案日期", self.filing_date))

        self.status = ValueCombo(choices([s.value for s in ProjectStatus]), page)
        self.progress = QLineEdit(page)
        self.progress.setPlaceholderText("如：主体结构施工至12层")
        self.progress_percent = QSpinBox(page)
        self.progress_percent.setRange(-1, 100)
        self.progress_percent.setSpecialValueText("未填")
        self.progress_percent.setSuffix(" %")
        self.note = QPlainTextEdit(page)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(60)
        state = QGroupBox("状态与进度", page)
        f = QFormLayout(state)
        f.addRow("项目状态 *", e.field("项目状态", self.status))
        f.addRow("形象进度", self.progress)
        f.addRow("形象进度（%）", e.field("形象进度（%）", self.progress_percent))
        f.addRow("备注", self.note)

        grid = QGridLayout(page)
        grid.addWidget(basic, 0, 0)
        grid.addWidget(scale, 1, 0)
        grid.addWidget(permits, 0, 1)
        grid.addWidget(state, 1, 1)
        grid.setRowStretch(2, 1)
        order = (self.name, self.project_type, self.sub_type, self.structure_type, self.address, self.town,
                 self.grid, self.area, self.cost, self.permit_no, self.permit_date, self.supervision_no,
                 self.planned_start, self.planned_finish, self.actual_start, self.actual_finish, self.filing_date,
                 self.status, self.progress, self.progress_percent, self.note)
        for a, b in pairwise(order):
            QWidget.setTabOrder(a, b)
        return page

    def _on_type(self, project_type: object) -> None:
        subtypes = PROJECT_SUBTYPES.get(ProjectType(str(project_type)), ()) if project_type else ()
        self.sub_type.set_items(choices(subtypes, blank=_UNSET))

    # -------------------------------------------------------------- load / collect / save

    def _new_defaults(self) -> ProjectData:
        last = self.last_entry
        return ProjectData(name="", project_type=last.get("project_type", ProjectType.BUILDING.value),
                           town=last.get("town", ""), grid_id=last.get("grid_id"))

    def _load(self, d: ProjectData) -> None:
        self.name.setText(d.name)
        self.project_type.set_value(d.project_type)
        self._on_type(d.project_type)
        self.sub_type.set_value(d.sub_type or None)
        self.structure_type.set_value(d.structure_type or None)
        self.address.setText(d.address)
        self.town.setText(d.town)
        self.grid.set_value(d.grid_id)
        self.area.set_value(d.building_area)
        self.cost.set_fen(d.contract_cost_fen)
        self.permit_no.setText(d.permit_no or "")
        self.permit_date.set_value(d.permit_date)
        self.supervision_no.setText(d.supervision_no or "")
        self.planned_start.set_value(d.planned_start)
        self.planned_finish.set_value(d.planned_finish)
        self.actual_start.set_value(d.actual_start)
        self.actual_finish.set_value(d.actual_finish)
        self.filing_date.set_value(d.completion_filing_date)
        self.status.set_value(d.status)
        self.progress.setText(d.progress)
        self.progress_percent.setValue(-1 if d.progress_percent is None else d.progress_percent)
        self.note.setPlainText(d.note)
        self.parties.load(d.parties)

    def collect(self) -> ProjectData:
        r = InputReader()
        percent = self.progress_percent.value()
        data = ProjectData(
            name=self.name.text(), project_type=self.project_type.value() or "",
            status=self.status.value() or "", address=self.address.text(), town=self.town.text(),
            grid_id=self.grid.value(), sub_type=self.sub_type.value() or "",
            structure_type=self.structure_type.value() or "",
            building_area=r.decimal("建筑面积", self.area), contract_cost_fen=r.fen("建安造价", self.cost),
            permit_no=self.permit_no.text(), permit_date=r.date("施工许可日期", self.permit_date),
            supervision_no=self.supervision_no.text(),
            planned_start=r.date("计划开工日期", self.planned_start),
            planned_finish=r.date("计划竣工日期", self.planned_finish),
            actual_start=r.date("实际开工日期", self.actual_start),
            actual_finish=r.date("实际竣工日期", self.actual_finish),
            completion_filing_date=r.date("竣工验收备案日期", self.filing_date),
            progress=self.progress.text(), progress_percent=None if percent < 0 else percent,
            note=self.note.toPlainText(), parties=self.parties.collect(r), id=self._id, version=self._version,
        )
        r.check()
        return data

    def persist(self, session: Session, data: ProjectData) -> int:
        saved = update_project(session, self.ctx.actor, data) if data.id else create_project(
            session, self.ctx.actor, data)
        if data.id is None:
            ProjectEditor.last_entry = {"project_type": saved.project_type, "town": saved.town,
                                        "grid_id": saved.grid_id}
        assert saved.id is not None
        return saved.id
