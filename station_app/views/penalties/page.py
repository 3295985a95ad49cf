"""行政处罚 page: the case list (filters: stage, overdue clock, party, year, 一案双查 pending, 零处罚 — all
in SQL), 登记线索, open a case window, and 导出Excel of exactly the rows in view (off the UI thread)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from station_app.services.penalties import stages as st
from station_app.services.penalties.stats import case_stats
from station_app.services.penalties.table import ACTIVE, CASE_LIST, case_years
from station_app.views.app_context import AppContext
from station_app.views.list_export import ExportsView, ask_xlsx_path, run_list_export
from station_app.views.penalties.case_window import CaseWindow
from station_app.views.penalties.new_case import NewCaseDialog
from station_app.views.registry.common import RegistryPage
from station_app.views.table_models import SqlTableModel
from station_app.views.tasks import Task
from station_app.views.widgets import ValueCombo

LIST_DEPENDS_ON = ("penalty_case", "project", "enterprise")


class CasesPage(RegistryPage, ExportsView):
    entity = "penalty_case"
    noun = "行政处罚案件"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        model = SqlTableModel(ctx, CASE_LIST, entity_types=LIST_DEPENDS_ON)
        super().__init__(ctx, model, "搜索：案号、当事人、案由、工程名称、拼音首字母", parent)
        self.search.setMinimumWidth(240)
        self.add_button.setText("登记线索(&N)")
        self.edit_button.setText("打开案件(&O)")
        self.delete_button.hide()  # a case is never deleted: 不予立案 or 结案
        self.init_exports(ctx)
        self.windows: dict[int, CaseWindow] = {}
        self.button_bar.addWidget(self.export_button)

        self.stage_filter = ValueCombo([("全部环节", None), ("办理中", ACTIVE),
                                        *((s, s) for s in (*st.STAGE_KEYS, st.NOT_FILED))], self)
        self.stage_filter.set_value(ACTIVE)
        self.model.set_filter("stage", ACTIVE)
        self.year_filter = ValueCombo((), self)
        self.party_filter = QLineEdit(self)
        self.party_filter.setPlaceholderText("当事人或证件号码")
        self.party_filter.setMaximumWidth(160)
        self.overdue_only = QCheckBox("有逾期时限", self)
        self.reviews_only = QCheckBox("一案双查待结", self)
        self.zero_only = QCheckBox("零处罚", self)
        self.zero_only.setToolTip("关联事故、结案时没有任何处罚的案件")
        self.stats_label = QLabel(self)
        self.stats_label.setStyleSheet("font-size: 11pt; color: #333; padding: 2px 0;")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.stats_label)
        self._reload_years()
        self.stage_filter.value_changed.connect(lambda v: self.model.set_filter("stage", v))
        self.year_filter.value_changed.connect(lambda v: self.model.set_filter("year", v))
        self.party_filter.textChanged.connect(lambda t: self.model.set_filter("party", t.strip() or None))
        self.overdue_only.toggled.connect(lambda on: self.model.set_filter("overdue", on or None))
        self.reviews_only.toggled.connect(lambda on: self.model.set_filter("pending_reviews", on or None))
        self.zero_only.toggled.connect(lambda on: self.model.set_filter("zero_penalty", on or None))
        for w in (self.stage_filter, self.year_filter, self.party_filter, self.overdue_only, self.reviews_only,
                  self.zero_only):
            self.filter_bar.addWidget(w)
        ctx.bus.changed.connect(self._on_changed)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_excel)
        self.load()

    def _reload_years(self) -> None:
        """The year filter's choices and the header figures (办理中, 本年立案/结案, 罚款决定/已收缴 in 万元)."""
        with self.ctx.db.read() as session:
            years = case_years(session)
            stats = case_stats(session)
        self.stats_label.setText(stats.text())
        self.year_filter.set_items([("全部年度", None), *((f"{y}年", y) for y in years)])

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("penalty_case", "*"):
            self._reload_years()

    def update_actions(self) -> None:
        self.add_button.setEnabled(self.ctx.can("case.write"))
        self.edit_button.setEnabled(len(self.selected_ids()) == 1)

    # -------------------------------------------------------------- opening

    def open_editor(self, record_id: int | None) -> Any:
        """A new clue (record_id None) or the case window (one per case, raised when open)."""
        if record_id is None:
            dlg = NewCaseDialog(self.ctx, self)
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dlg.accepted.connect(lambda: self._created(dlg.result_value))
            dlg.open()
            return dlg
        return self.open_case(record_id)

    def _created(self, case_id: Any) -> None:
        if isinstance(case_id, int):
            self.model.refresh()
            self.select_id(case_id)
            self.open_case(case_id)

    def open_case(self, case_id: int, today: date | None = None) -> CaseWindow:
        window = self.windows.get(case_id)
        if window is None:
            window = CaseWindow(self.ctx, case_id, self, today=today)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.finished.connect(lambda _r, cid=case_id: self.windows.pop(cid, None))
            self.windows[case_id] = window
        window.show()
        window.raise_()
        return window

    def create_editor(self, record_id: int | None) -> QDialog:  # type: ignore[override]
        return self.open_editor(record_id)

    # -------------------------------------------------------------- export

    def export_excel(self) -> Task | None:
        if self.export_task is not None:
            return None
        path = ask_xlsx_path(self, "行政处罚案件")
        if not path:
            return None
        task = run_list_export(self.runner, self.ctx.db, CASE_LIST, self.model.query(), path, "行政处罚案件",
                               self._exported)
        return self._track_export(task)

