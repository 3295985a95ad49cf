"""安责险 page: the 保单 list (filters by grid, insured contractor, status, problem type; SQL-side; Excel
export off the UI thread) and one tab per check with its count in the tab's title."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from station_app.errors import StationError
from station_app.services.insurance.checks import CHECK_TITLES, check_counts
from station_app.services.insurance.policies import delete_policy
from station_app.services.insurance.policy_table import POLICY_LIST
from station_app.services.insurance.sql import STATUSES
from station_app.services.station import list_grids
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.insurance.check_tab import DEPENDS_ON, CheckTab, export_view, fit_columns_once
from station_app.views.insurance.policy_editor import PolicyEditor
from station_app.views.list_export import ExportsView
from station_app.views.registry.common import RegistryPage
from station_app.views.table_models import SqlTableModel
from station_app.views.tasks import Task, TaskRunner
from station_app.views.widgets import EnterprisePicker, ValueCombo, choices


class PoliciesTab(RegistryPage, ExportsView):
    entity = "insurance_policy"
    noun = "保单"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        model = SqlTableModel(ctx, POLICY_LIST, entity_types=DEPENDS_ON)
        super().__init__(ctx, model, "搜索：工程名称、拼音首字母、保单号、投保单位、保险机构", parent)
        self.search.setMinimumWidth(260)
        self.init_exports(ctx)
        self.button_bar.addWidget(self.export_button)
        self.grid_filter = ValueCombo((), self)
        with ctx.db.read() as s:
            grids = list_grids(s, active_only=False)
        self.grid_filter.set_items([("全部网格", None), ("未分网格", -1), *((g.name, g.id) for g in grids)])
        self.contractor = EnterprisePicker(ctx, self)
        self.contractor.setPlaceholderText("投保单位")
        self.status_filter = ValueCombo(choices(STATUSES, blank="全部状态"), self)
        self.problem_filter = ValueCombo([("全部保单", None), *((f"问题：{t}", k) for k, t in CHECK_TITLES.items())],
                                         self)
        self.grid_filter.value_changed.connect(lambda v: self.model.set_filter("grid_id", v))
        self.contractor.picked.connect(lambda v: self.model.set_filter("contractor_id", v))
        self.contractor.textChanged.connect(self._contractor_text)
        self.status_filter.value_changed.connect(lambda v: self.model.set_filter("status", v))
        self.problem_filter.value_changed.connect(lambda v: self.model.set_filter("problem", v))
        for w in (self.grid_filter, self.contractor, self.status_filter, self.problem_filter):
            self.filter_bar.addWidget(w)
        self.load()
        fit_columns_once(self.table, self.model)

    def _contractor_text(self, text: str) -> None:
        if not text.strip() and "contractor_id" in self.model.query().filters:
            self.model.set_filter("contractor_id", None)

    def update_actions(self) -> None:
        count = len(self.selected_ids())
        writer = self.ctx.can("insurance.write")
        self.add_button.setEnabled(writer)
        self.edit_button.setText("编辑(&E)" if writer else "查看(&E)")
        self.edit_button.setEnabled(count == 1)
        self.delete_button.setEnabled(self.ctx.can("insurance.delete") and count == 1)

    def create_editor(self, record_id: int | None) -> PolicyEditor:
        return PolicyEditor(self.ctx, record_id, self)

    def delete_record(self, session: Session, record_id: int) -> None:
        delete_policy(session, self.ctx.actor, record_id)

    def export_excel(self, path: str | None = None) -> Task | None:
        if self.export_task is not None:
            return None
        task = export_view(self, self.runner, POLICY_LIST, self.model, "安责险保单", self._exported, path)
        return self._track_export(task)



class InsurancePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget(self)
        self.policies = PoliciesTab(ctx, self.tabs)
        self.tabs.addTab(self.policies, "保单")
        self.checks: dict[str, CheckTab] = {}
        self._slots: dict[str, QWidget] = {}
        for kind, title in CHECK_TITLES.items():
            slot = QWidget(self.tabs)  # the check's tab is built when first shown
            QVBoxLayout(slot).setContentsMargins(0, 0, 0, 0)
            self._slots[kind] = slot
            self.tabs.addTab(slot, title)
        self.tabs.currentChanged.connect(self._tab_shown)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)
        self.runner = TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
        self.counts: dict[str, int] = {}
        self.counts_task: Task | None = None
        self._again = False
        ctx.bus.changed.connect(self._on_changed)
        self._counted = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._counted:  # after the first paint, so the counts never hold up the page
            self._counted = True
            QTimer.singleShot(0, self.refresh_counts)

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in DEPENDS_ON or entity_type == "*":
            self.refresh_counts()

    def refresh_counts(self) -> None:
        """Every check's count into its tab title, computed off the UI thread."""
        if self.counts_task is not None:
            self._again = True
            return
        self._again = False
        db = self.ctx.db

        def job(_progress: Any, _cancelled: Any) -> dict[str, int]:
            with db.read() as session:
                return check_counts(session)

        self.counts_task = self.runner.run(job, title="统计安责险问题", on_success=self._counts_done,
                                           show_after_ms=-1)
        self.counts_task.finished.connect(self._counts_finished)

    def _counts_done(self, counts: dict[str, int]) -> None:
        for kind, n in counts.items():
            self._count(kind, n)

    def _counts_finished(self) -> None:
        self.counts_task = None
        if self._again:
            self.refresh_counts()

    def check(self, kind: str) -> CheckTab:
        """The tab of check ``kind``, built (and queried) on first use."""
        tab = self.checks.get(kind)
        if tab is None:
            slot = self._slots[kind]
            tab = CheckTab(self.ctx, kind, slot)
            tab.open_policy.connect(self.open_policy)
            tab.count_changed.connect(self._count)
            layout = slot.layout()
            assert layout is not None
            layout.addWidget(tab)
            tab.show()
            self.checks[kind] = tab
            tab.ensure_loaded()
        return tab

    def show_check(self, kind: str) -> CheckTab:
        self.tabs.setCurrentWidget(self._slots[kind])
        return self.check(kind)

    def _tab_shown(self, index: int) -> None:
        for kind, slot in self._slots.items():
            if self.tabs.widget(index) is slot:
                self.check(kind)

    def _count(self, kind: str, n: int) -> None:
        self.counts[kind] = n
        index = self.tabs.indexOf(self._slots[kind])
        if index >= 0:
            self.tabs.setTabText(index, f"{CHECK_TITLES[kind]}（{n:,}）")

    def open_policy(self, policy_id: int | None, project_id: int | None = None) -> PolicyEditor | None:
        """Open a policy, or a new policy of ``project_id``."""
        try:
            editor = PolicyEditor(self.ctx, policy_id, self, project_id=project_id)
        except StationError as err:
            messages.warn(self, str(err))
            return None
        editor.open()
        return editor
