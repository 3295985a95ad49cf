"""网格 dialogs: add or edit a grid, and change its 网格长 from a date."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from station_app import clock
from station_app.services.supervision.grids import GridRow, create_grid, set_grid_leader, update_grid
from station_app.views.app_context import AppContext
from station_app.views.supervision.common import supervisor_items
from station_app.views.supervision.forms import SupervisionForm
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, ValueCombo


class GridDialog(SupervisionForm):
    """New grid (name, towns, leader from a date, note) or edit (name, towns, note)."""

    entities = ("grid",)

    def __init__(self, ctx: AppContext, grid: GridRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, "新增网格" if grid is None else f"编辑网格 {grid.name}",
                         ok_text="新增" if grid is None else "保存", allowed=ctx.can("grid.write"))
        self.grid = grid
        self.setMinimumWidth(460)
        self.name = QLineEdit()
        self.name.setMaxLength(50)
        self.name.setPlaceholderText("如：城区网格、东部网格")
        self.towns = QLineEdit()
        self.towns.setPlaceholderText("用顿号分隔，如：牛山街道、石榴街道")
        self.note = QLineEdit()
        self.add_field("网格名称", "网格名称", self.name)
        self.add_field("所辖乡镇/片区", "所辖乡镇/片区", self.towns)
        self.leader = ValueCombo(supervisor_items(ctx, blank="（暂不指定）"))
        self.leader_from = DateEdit()
        self.leader_from.set_value(clock.today())
        if grid is None:
            self.add_field("网格长", "网格长", self.leader)
            self.add_field("网格长任职日期", "任职日期", self.leader_from)
        else:
            self.name.setText(grid.name)
            self.towns.setText(grid.towns)
            self.note.setText(grid.note)
            self.form.addRow("网格长：", QLabel(grid.leader_name or "（空缺）"))
        self.add_field("备注", "备注", self.note)

    def build_job(self) -> Job | None:
        db, actor = self.ctx.db, self.ctx.actor
        name, towns, note = self.name.text(), self.towns.text(), self.note.text()
        grid = self.grid
        if grid is not None:
            def update(progress: object, cancelled: object) -> GridRow:
                with db.write() as s:
                    return update_grid(s, actor, grid.id, name=name, towns=towns, note=note, active=grid.active,
                                       expected_version=grid.version)

            return update
        leader = self.leader.value()
        ok, since = self.read_date("网格长任职日期", self.leader_from, required=leader is not None)
        if not ok:
            return None

        def create(progress: object, cancelled: object) -> GridRow:
            with db.write() as s:
                return create_grid(s, actor, name, towns, leader, note, since)

        return create


class LeaderDialog(SupervisionForm):
    """设置网格长: who leads the grid from which day (the previous term ends that day)."""

    entities = ("grid",)

    def __init__(self, ctx: AppContext, grid: GridRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, f"设置网格长 — {grid.name}", allowed=ctx.can("grid.write"),
                         intro=f"现任网格长：{grid.leader_name or '（空缺）'}。新网格长自任职日期起生效，"
                               "现任网格长的任期在该日结束。")
        self.grid = grid
        self.setMinimumWidth(420)
        self.leader = ValueCombo(supervisor_items(ctx, blank="（空缺）"))
        self.leader.set_value(grid.leader_id)
        self.since = DateEdit()
        self.since.set_value(clock.today())
        self.add_field("网格长", "网格长", self.leader)
        self.add_field("任职日期", "任职日期", self.since)

    def build_job(self) -> Job | None:
        ok, since = self.read_date("任职日期", self.since)
        if not ok:
            return None
        db, actor, grid_id, leader = self.ctx.db, self.ctx.actor, self.grid.id, self.leader.value()

        def job(progress: object, cancelled: object) -> GridRow:
            with db.write() as s:
                return set_grid_leader(s, actor, grid_id, leader, since)

        return job
