"""隐患台账 tab: every hazard in one lazy SQL table — filters (state, level, 逾期, grid, supervisor, project,
category, found dates), search, sort by any column; select many and act (延期, 指派, 导出); the loop's
steps from the 办理 menu or the row's context menu; the history one double-click away; export of the
current view to Excel off the UI thread with progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from station_app.errors import StationError
from station_app.rules import hazards as hazard_rules
from station_app.services.hazards.ledger import HAZARD_LIST, STATE_CHOICES
from station_app.services.hazards.lifecycle import TRANSITIONS, available
from station_app.services.hazards.records import LEVELS, HazardData, get_hazard
from station_app.services.listing import ListQuery
from station_app.services.station import list_grids
from station_app.services.supervision.assignments import supervisor_choices
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.hazards.hazard_editor import HazardEditor
from station_app.views.hazards.history_dialog import HistoryDialog
from station_app.views.hazards.listing_dialog import ListingDialog
from station_app.views.hazards.transition_dialog import TransitionDialog
from station_app.views.inspections.project_picker import ProjectPicker
from station_app.views.list_export import ExportsView, ask_xlsx_path, run_list_export
from station_app.views.registry.common import RegistryPage
from station_app.views.table_models import SqlTableModel
from station_app.views.tasks import Task
from station_app.views.widgets import DateEdit, ValueCombo, choices

LIST_DEPENDS_ON = ("hazard", "inspection", "project", "grid", "user", "enterprise")
BULK_KEYS = ("extend", "assign")
_OPEN = "__open__"


class LedgerTab(RegistryPage, ExportsView):
    export_noun = "隐患"
    entity = "hazard"
    noun = "隐患"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        model = SqlTableModel(ctx, HAZARD_LIST, entity_types=LIST_DEPENDS_ON)
        super().__init__(ctx, model, "搜索：编号、项目、拼音首字母、隐患描述、施工单位", parent)
        self.search.setMinimumWidth(260)
        self.dialog: QWidget | None = None  # the last dialog opened (tests look at it)
        self.delete_button.hide()
        self.add_button.setText("登记隐患(&N)")
        self.edit_button.setText("修改(&E)")
        self.history_button = QPushButton("办理记录(&H)", self)
        self.history_button.clicked.connect(lambda: self.show_history())
        self.act_button = QToolButton(self)
        self.act_button.setText("办理(&B)")
        self.act_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.act_menu = QMenu(self.act_button)
        self.act_menu.aboutToShow.connect(lambda: self._fill_menu(self.act_menu))
        self.act_button.setMenu(self.act_menu)
        self.init_exports(ctx, "把当前筛选、搜索和排序下的全部隐患导出为 Excel（选中多条时只导出选中的）")
        for b in (self.history_button, self.act_button, self.export_button):
            self.button_bar.addWidget(b)

        self.state_filter = ValueCombo([("全部状态", None), ("未销号", _OPEN), *choices(STATE_CHOICES)], self)
        self.level_filter = ValueCombo(choices(LEVELS, blank="全部等级"), self)
        self.overdue_only = QCheckBox("只看逾期", self)
        self.grid_filter = ValueCombo((), self)
        self.supervisor_filter = ValueCombo((), self)
        self.category_filter = ValueCombo(choices(hazard_rules.hazard_categories(), blank="全部类别"), self)
        self.project_filter = ProjectPicker(ctx, self)
        self.project_filter.setPlaceholderText("项目（名称或拼音首字母）")
        self.project_filter.setMinimumWidth(200)
        self.found_from, self.found_to = DateEdit(self), DateEdit(self)
        for edit, hint in ((self.found_from, "发现起"), (self.found_to, "发现止")):
            edit.setPlaceholderText(hint)
            edit.setMaximumWidth(110)
            edit.value_changed.connect(self._dates_changed)
        self._reload_choices()
        self.state_filter.value_changed.connect(self._state_changed)
        self.level_filter.value_changed.connect(lambda v: self.model.set_filter("level", v))
        self.overdue_only.toggled.connect(lambda on: self.model.set_filter("overdue", on))
        self.grid_filter.value_changed.connect(lambda v: self.model.set_filter("grid", v))
        self.supervisor_filter.value_changed.connect(lambda v: self.model.set_filter("supervisor", v))
        self.category_filter.value_changed.connect(lambda v: self.model.set_filter("category", v))
        self.project_filter.picked.connect(lambda pid: self.model.set_filter("project", pid))
        self.project_filter.textChanged.connect(self._project_text)
        self.drill_label = QLabel(self)
        self.drill_label.setStyleSheet("color: #305496;")
        self.clear_button = QPushButton("清除筛选", self)
        self.clear_button.clicked.connect(self.clear_filters)

        row = QHBoxLayout()
        row.setSpacing(6)
        for w in (self.state_filter, self.level_filter, self.overdue_only, self.grid_filter, self.supervisor_filter,
                  self.category_filter, self.project_filter, QLabel("发现日期", self), self.found_from,
                  QLabel("至", self), self.found_to, self.clear_button, self.drill_label):
            row.addWidget(w)
        row.addStretch(1)
        layout = self.layout()
        assert layout is not None
        layout.insertLayout(1, row)  # type: ignore[attr-defined]
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        ctx.bus.changed.connect(self._on_changed)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_excel)
        self.load()

    # -------------------------------------------------------------- filters

    def _reload_choices(self) -> None:
        with self.ctx.db.read() as session:
            grids = list_grids(session, active_only=False)
            people = supervisor_choices(session, include_inactive=True)
        self.grid_filter.set_items([("全部网格", None), ("未分网格", -1), *((g.name, g.id) for g in grids)])
        self.supervisor_filter.set_items([("全部监督员", None), *(
            (p.name if p.active else f"{p.name}（停用）", p.id) for p in people)])

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("grid", "user", "*"):
            self._reload_choices()

    def _state_changed(self, value: str | None) -> None:
        filters = dict(self.model.query().filters)
        filters.pop("state", None)
        filters.pop("open", None)
        if value == _OPEN:
            filters["open"] = True
        elif value:
            filters["state"] = value
        self.model.set_query(replace(self.model.query(), filters=filters))

    def _dates_changed(self) -> None:
        for key, edit in (("found_from", self.found_from), ("found_to", self.found_to)):
            if edit.is_valid() and edit.value() != self.model.query().filters.get(key):
                self.model.set_filter(key, edit.value())

    def _project_text(self, text: str) -> None:
        if not text.strip() and "project" in self.model.query().filters:
            self.model.set_filter("project", None)

    def apply_filters(self, filters: dict[str, Any]) -> None:
        """Show exactly the hazards of ``filters`` (a drill-down from the dashboard or the 督办 list)."""
        widgets = (self.state_filter, self.level_filter, self.grid_filter, self.supervisor_filter,
                   self.category_filter, self.overdue_only, self.found_from, self.found_to, self.project_filter)
        for w in widgets:
            w.blockSignals(True)
        self.state_filter.set_value(_OPEN if filters.get("open") and "state" not in filters else
                                    filters.get("state") if isinstance(filters.get("state"), str) else None)
        self.level_filter.set_value(filters.get("level"))
        self.grid_filter.set_value(filters.get("grid"))
        self.supervisor_filter.set_value(filters.get("supervisor"))
        self.category_filter.set_value(filters.get("category"))
        self.overdue_only.setChecked(bool(filters.get("overdue")))
        self.found_from.set_value(filters.get("found_from"))
        self.found_to.set_value(filters.get("found_to"))
        self.project_filter.set_value(None)
        for w in widgets:
            w.blockSignals(False)
        self.search.setText("")
        self.drill_label.setText("已按统计口径筛选" if filters else "")
        self.model.set_query(ListQuery(filters=dict(filters)))

    def clear_filters(self) -> None:
        self.apply_filters({})

    # -------------------------------------------------------------- roles and actions

    def update_actions(self) -> None:
        count = len(self.selected_ids())
        writer = self.ctx.can("hazard.write")
        self.add_button.setEnabled(writer)
        self.edit_button.setEnabled(writer and count == 1)
        self.history_button.setEnabled(count == 1)
        self.act_button.setEnabled(count >= 1)

    def selected_hazards(self) -> list[HazardData]:
        ids = self.selected_ids()
        current = self.current_id()
        if not ids and current is not None:
            ids = [current]
        with self.ctx.db.read() as s:
            return [get_hazard(s, i) for i in ids]

    def _fill_menu(self, menu: QMenu) -> None:
        menu.clear()
        hazards = self.selected_hazards()
        if len(hazards) == 1:
            h = hazards[0]
            steps = available(h.state, self.ctx.actor)
            for t in steps:
                menu.addAction(t.label + "…", self._opener(t.key))
            if not steps:
                menu.addAction(f"当前状态“{h.state}”无可办理事项").setEnabled(False)
            menu.addSeparator()
            menu.addAction("办理记录…", lambda: self.show_history())
            listing = menu.addAction("挂牌督办…", self.open_listing)
            listing.setEnabled(h.is_major and h.state not in ("已销号", "已撤销"))
        elif hazards:
            for key in BULK_KEYS:
                t = TRANSITIONS[key]
                act = menu.addAction(f"批量{t.label}（{len(hazards)}条）…", self._opener(key))
                act.setEnabled(self.ctx.can(t.permission))
        if hazards:
            menu.addAction(f"导出选中的{len(hazards)}条…", self.export_excel)

    def _opener(self, key: str) -> Callable[[], object]:
        return lambda: self.open_transition(key)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and index.row() not in {i.row() for i in self.table.selectionModel().selectedRows()}:
            self.table.selectRow(index.row())
        menu = QMenu(self)
        self._fill_menu(menu)
        if not menu.isEmpty():
            menu.popup(self.table.viewport().mapToGlobal(pos))

    def _show(self, dialog: QWidget) -> QWidget:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()  # type: ignore[attr-defined]
        return dialog

    def open_transition(self, key: str) -> QWidget | None:
        hazards = self.selected_hazards()
        if not hazards:
            return None
        return self._show(TransitionDialog(self.ctx, key, hazards, self))

    def show_history(self, hazard_id: int | None = None) -> QWidget | None:
        hid = hazard_id if hazard_id is not None else self.current_id()
        if hid is None:
            return None
        try:
            return self._show(HistoryDialog(self.ctx, hid, self))
        except StationError as err:
            messages.warn(self, str(err))
            return None

    def open_listing(self) -> QWidget | None:
        hid = self.current_id()
        if hid is None:
            return None
        return self._show(ListingDialog(self.ctx, hid, self))

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.show_history(self.model.row_id(index.row()))

    def open_editor(self, record_id: int | None) -> Any:
        """A new hazard, or the content of one still 待整改 that did not come from an inspection."""
        if record_id is not None:
            with self.ctx.db.read() as s:
                h = get_hazard(s, record_id)
            why = ("来自监督检查记录，请在该监督检查记录中修改问题内容" if h.finding_id is not None else
                   f"当前状态为“{h.state}”，只有待整改的隐患可以修改内容；延期请用“办理 → 延长整改期限”"
                   if h.state != "待整改" else "")
            if why:
                messages.info(self, f"隐患{h.code}{why}。", "不能修改")
                return None
        try:
            editor = HazardEditor(self.ctx, record_id, self)
        except StationError as err:
            messages.warn(self, str(err))
            self.model.refresh()
            return None
        return self._show(editor)

    # -------------------------------------------------------------- export

    def export_excel(self) -> Task | None:
        """Ask where, then write the current view (or the selected rows) to an .xlsx (progress, 取消)."""
        if self.export_task is not None:
            return None
        ids = self.selected_ids()
        path = ask_xlsx_path(self, "隐患台账")
        if not path:
            return None
        query = self.model.query()
        if len(ids) > 1:
            query = replace(query, filters={**query.filters, "ids": tuple(ids)})
        task = run_list_export(self.runner, self.ctx.db, HAZARD_LIST, query, path, "隐患台账", self._exported)
        return self._track_export(task)

