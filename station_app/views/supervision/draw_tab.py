"""双随机抽查 tab: filters (状态, 网格, 类别, 乡镇, 多久未检查), how many projects and inspectors per
project, the 回避 options and an optional seed → 抽取; the result with its seed printed; past draws;
复核 replays a draw from its stored seed and inputs and says whether it gives the same result."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from station_app import clock
from station_app.errors import StationError
from station_app.formatting import chinese_date, chinese_datetime
from station_app.models.enums import ProjectStatus, ProjectType
from station_app.services.registry.projects import towns
from station_app.services.station import list_grids
from station_app.services.supervision.common import IN_SUPERVISION_VALUES
from station_app.services.supervision.random_draw import (
    MIN_INSPECTORS,
    DrawFilters,
    DrawRecord,
    DrawSpec,
    count_pool,
    get_draw,
    list_draws,
    run_draw,
    verify_draw,
)
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.supervision.common import (
    SUPERVISION_ENTITIES,
    RowsModel,
    SupervisionTab,
    make_table,
    selected_row,
    supervisor_items,
    title_label,
)
from station_app.views.supervision.pick_widgets import MultiPick
from station_app.views.tasks import TaskRunner
from station_app.views.widgets import DateEdit

RESULT_HEADERS = ("序号", "工程名称", "检查人员")
HISTORY_HEADERS = ("抽取时间", "抽查名称", "组织人", "项目池", "抽取数", "随机种子")


class DrawTab(SupervisionTab):
    refresh_on = SUPERVISION_ENTITIES | {"random_draw"}

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.record: DrawRecord | None = None
        self.title = QLineEdit(self)
        self.title.setMaxLength(100)
        today = clock.today()
        self.title.setText(f"{today.year}年{today.month}月双随机抽查")
        self.statuses = MultiPick("全部在监项目", [(s, s) for s in IN_SUPERVISION_VALUES], self)
        self.statuses.set_values([ProjectStatus.UNDER_CONSTRUCTION.value])
        self.grids = MultiPick("全部网格", parent=self)
        self.types = MultiPick("全部类别", [(t.value, t.value) for t in ProjectType], self)
        self.towns = MultiPick("全部乡镇/片区", parent=self)
        self.since = DateEdit(self)
        self.since.setPlaceholderText("不限（如 20250101）")
        self.pool_label = QLabel(self)
        self.n_projects = QSpinBox(self)
        self.n_projects.setRange(1, 999)
        self.n_projects.setValue(5)
        self.per_project = QSpinBox(self)
        self.per_project.setRange(MIN_INSPECTORS, 10)
        self.inspectors = MultiPick("全部在岗监督员", parent=self)
        self.exclude_own_projects = QCheckBox("不抽本人分工监督的项目", self)
        self.exclude_own_projects.setChecked(True)
        self.exclude_own_grid = QCheckBox("不抽本人所在网格的项目", self)
        self.exclude_own_grid.setChecked(True)
        self.seed = QLineEdit(self)
        self.seed.setValidator(QIntValidator(0, 2_147_483_647, self))
        self.seed.setPlaceholderText("留空则随机生成")
        self.note = QLineEdit(self)
        self.draw_button = QPushButton("抽取(&D)", self)

        box = QGroupBox("抽取条件", self)
        form = QFormLayout(box)
        form.addRow("抽查名称：", self.title)
        form.addRow("项目状态：", self.statuses)
        form.addRow("网格：", self.grids)
        form.addRow("工程类别：", self.types)
        form.addRow("乡镇/片区：", self.towns)
        form.addRow("自此日起未检查：", self.since)
        form.addRow("", self.pool_label)
        form.addRow("抽取项目数：", self.n_projects)
        form.addRow("每组检查人数：", self.per_project)
        form.addRow("检查人员范围：", self.inspectors)
        form.addRow("回避：", self.exclude_own_projects)
        form.addRow("", self.exclude_own_grid)
        form.addRow("随机种子：", self.seed)
        form.addRow("备注：", self.note)
        form.addRow("", self.draw_button)
        self.permission_hint = QLabel("当前角色无权组织双随机抽查（站长、管理员可以），可查看和复核已有抽查。", self)
        self.permission_hint.setWordWrap(True)
        self.permission_hint.setStyleSheet("color: #8a1c1c;")
        self.permission_hint.setVisible(not ctx.can("draw.run"))
        left = QWidget(self)
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 6, 0)
        left_lay.addWidget(self.permission_hint)
        left_lay.addWidget(box)
        left_lay.addStretch(1)

        self.result_title = title_label("抽取结果", self)
        self.result_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_info = QLabel(self)
        self.result_info.setWordWrap(True)
        self.result_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_button = QPushButton("复核", self)
        self.verify_button.setToolTip("按记录的随机种子和当时的项目池、人员池重放抽取，核对结果是否一致")
        self.result_model = RowsModel(RESULT_HEADERS, numeric=(0,), parent=self)
        self.result_table = make_table(self.result_model, (50, 300), sortable=False)
        self.history_model = RowsModel(HISTORY_HEADERS, numeric=(3, 4, 5), parent=self)
        self.history_table = make_table(self.history_model, (130, 200, 80, 60, 60, 90), sortable=False,
                                        stretch_last=False)
        head = QHBoxLayout()
        head.addWidget(self.result_title, 1)
        head.addWidget(self.verify_button)
        right = QWidget(self)
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(6, 0, 0, 0)
        right_lay.addLayout(head)
        right_lay.addWidget(self.result_info)
        right_lay.addWidget(self.result_table, 3)
        right_lay.addWidget(title_label("历次抽查", self))
        right_lay.addWidget(self.history_table, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([390, 830])
        splitter.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addWidget(splitter, 1)

        for pick in (self.statuses, self.grids, self.types, self.towns):
            pick.changed.connect(self.update_pool)
        self.since.value_changed.connect(self.update_pool)
        self.draw_button.clicked.connect(self.run)
        self.verify_button.clicked.connect(self.verify)
        self.history_table.selectionModel().selectionChanged.connect(lambda *_: self._history_selected())
        self._update_buttons()

    # -------------------------------------------------------------- inputs

    def reload(self) -> None:
        with self.ctx.db.read() as s:
            grids = list_grids(s)
            town_names = towns(s)
            draws = list_draws(s)
        self.grids.set_items([(g.name, g.id) for g in grids])
        self.towns.set_items([(t, t) for t in town_names])
        self.inspectors.set_items(supervisor_items(self.ctx))
        self.history_model.set_rows([(d.drawn_at, d.title, d.drawn_by_name, d.pool_size, d.requested, d.seed)
                                     for d in draws], [d.id for d in draws])
        if self.record is None and draws:
            self.history_table.selectRow(0)  # the latest draw, until one is drawn or chosen
        elif self.record is not None:
            row = self.history_model.row_of(self.record.id)
            if row is not None:
                self.history_table.selectRow(row)
        self.update_pool()

    def filters(self) -> DrawFilters:
        """The filters as chosen; raises ValueError for a mistyped date."""
        return DrawFilters(statuses=tuple(self.statuses.values()), grid_ids=tuple(self.grids.values()),
                           project_types=tuple(self.types.values()), towns=tuple(self.towns.values()),
                           not_inspected_since=self.since.value())

    def update_pool(self) -> None:
        try:
            flt = self.filters()
            with self.ctx.db.read() as s:
                n = count_pool(s, flt)
        except ValueError:
            self.pool_label.setText("日期格式无效")
            return
        except StationError as err:
            self.pool_label.setText(str(err))
            return
        self.pool_label.setText(f"符合条件的项目：{n} 个")

    def spec(self) -> DrawSpec:
        seed = self.seed.text().strip()
        return DrawSpec(title=self.title.text(), n_projects=self.n_projects.value(), filters=self.filters(),
                        inspectors_per_project=self.per_project.value(), inspector_ids=tuple(self.inspectors.values()),
                        exclude_own_grid=self.exclude_own_grid.isChecked(),
                        exclude_own_projects=self.exclude_own_projects.isChecked(),
                        seed=int(seed) if seed else None, note=self.note.text())

    def _update_buttons(self) -> None:
        self.draw_button.setEnabled(self.ctx.can("draw.run"))
        self.verify_button.setEnabled(self.record is not None)

    # -------------------------------------------------------------- draw, show, verify

    def run(self) -> None:
        if not self.draw_button.isEnabled():
            return
        try:
            spec = self.spec()
        except ValueError as err:
            messages.warn(self, f"自此日起未检查：{err}")
            return
        db, actor = self.ctx.db, self.ctx.actor

        def job(progress: object, cancelled: object) -> DrawRecord:
            with db.write() as s:
                return run_draw(s, actor, spec)

        self.draw_button.setEnabled(False)
        task = self.runner.run(job, title="双随机抽取", on_success=self._drawn, cancellable=False)
        task.finished.connect(self._update_buttons)

    def _drawn(self, record: DrawRecord) -> None:
        self.show_record(record)
        self.ctx.notify("random_draw")

    def show_record(self, record: DrawRecord | None) -> None:
        self.record = record
        self._update_buttons()
        if record is None:
            self.result_title.setText("抽取结果")
            self.result_info.clear()
            self.result_model.clear()
            return
        self.result_title.setText(f"{record.title}　随机种子 {record.seed}")
        flt = record.filters
        since = flt.get("not_inspected_since")
        conditions = "；".join(part for part in (
            "状态：" + "、".join(flt.get("statuses") or ["全部在监"]),
            ("工程类别：" + "、".join(flt["project_types"])) if flt.get("project_types") else "",
            ("乡镇：" + "、".join(flt["towns"])) if flt.get("towns") else "",
            ("网格：" + f"{len(flt['grid_ids'])}个") if flt.get("grid_ids") else "",
            f"自{chinese_date(date.fromisoformat(since))}起未检查" if since else "",
        ) if part)
        avoid = "、".join(x for x, on in (("本人分工项目", record.exclude_own_projects),
                                         ("本人所在网格", record.exclude_own_grid)) if on) or "无"
        skipped = f"；因回避无法配齐检查人员而跳过 {len(record.skipped_project_ids)} 个" \
            if record.skipped_project_ids else ""
        self.result_info.setText(
            f"{chinese_datetime(record.drawn_at)} 由{record.drawn_by_name}抽取（算法 {record.algorithm}）。"
            f"从 {record.pool_size} 个项目中抽取 {len(record.items)} 个，每组 {record.inspectors_per_project} 人，"
            f"人员池 {len(record.inspector_pool)} 人{skipped}。\n条件：{conditions}；回避：{avoid}。"
            + (f"\n备注：{record.note}" if record.note else ""))
        self.result_model.set_rows([(i.seq, i.project_name, "、".join(i.inspector_names)) for i in record.items],
                                   [i.seq for i in record.items])

    def _history_selected(self) -> None:
        row = selected_row(self.history_table)
        if row is None:
            return
        draw_id = self.history_model.row_id(row)
        if self.record is not None and self.record.id == draw_id:
            return
        try:
            with self.ctx.db.read() as s:
                record = get_draw(s, draw_id)
        except StationError as err:
            messages.warn(self, str(err))
            return
        self.show_record(record)

    def verify(self) -> bool | None:
        record = self.record
        if record is None:
            return None
        try:
            with self.ctx.db.read() as s:
                same = verify_draw(s, record.id)
        except StationError as err:
            messages.warn(self, str(err), "无法复核")
            return None
        if same:
            messages.info(self, f"复核一致：按随机种子 {record.seed} 和抽取时的项目池、人员池重放，"
                                f"结果与“{record.title}”的记录完全相同。", "复核结果")
        else:
            messages.warn(self, f"复核不一致：按随机种子 {record.seed} 重放的结果与“{record.title}”的记录不同，"
                                "该记录可能被改动，请核查。", "复核结果")
        return same
