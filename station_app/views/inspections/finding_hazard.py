"""查看隐患 on the inspection form's 问题隐患 tab: every saved finding became one hazard of the ledger
(services.hazards.from_findings, 1:1 by ``finding_id``); the button under the findings table, the table's context
menu and a double-click on a finding row open that hazard's history (办理记录) — the same dialog the
ledger opens on a double-click, so its steps, evidence and linked re-inspection are one click away.

Off, with a tooltip saying why, when no finding is selected, when it is not saved yet (its hazard is
registered when the inspection is saved), or when it has no hazard in the ledger.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QMenu, QPushButton, QTableWidget, QWidget

from station_app.errors import StationError
from station_app.services.hazards.from_findings import FindingHazard, hazard_of_finding
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages

NO_ROW = "先在上表中选择一条问题"
UNSAVED = "该问题尚未保存：保存检查记录后自动转入隐患台账，之后可在这里查看"
NO_HAZARD = "该问题在隐患台账中没有对应的隐患记录"


class FindingHazardLink(QObject):
    """The 查看隐患 button and the table's menu / double-click, for the finding shown below the table."""

    def __init__(self, table: QTableWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self.table = table
        self.ctx: AppContext | None = None
        self.finding_id: int | None = None
        self.selected = False
        self.hazard: FindingHazard | None = None
        self.dialog: QWidget | None = None
        self.button = QPushButton("查看隐患…", parent)
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.open)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._menu)
        table.doubleClicked.connect(lambda _index: self.open())
        self.show_for(None, selected=False)

    def set_context(self, ctx: AppContext) -> None:
        """Where hazards are looked up (the form's database); until then the button stays off."""
        self.ctx = ctx
        self.show_for(self.finding_id, selected=self.selected)

    def show_for(self, finding_id: int | None, *, selected: bool) -> None:
        """Follow the selected finding (``finding_id`` None: a new one, not saved yet)."""
        self.finding_id, self.selected = finding_id, selected
        self.hazard = None
        if self.ctx is not None and finding_id is not None:
            with self.ctx.db.read() as s:
                self.hazard = hazard_of_finding(s, finding_id)
        self.button.setEnabled(self.hazard is not None)
        self.button.setToolTip(self.reason())

    def reason(self) -> str:
        """The tooltip: which hazard opens, or why none does."""
        if self.hazard is not None:
            return f"查看隐患 {self.hazard.code}（{self.hazard.state}）的办理记录；双击问题行也可打开"
        if not self.selected:
            return NO_ROW
        return UNSAVED if self.finding_id is None else NO_HAZARD

    def open(self) -> QWidget | None:
        """The hazard's history dialog (window-modal over the form); None when there is none to open."""
        if self.hazard is None or self.ctx is None:
            return None
        from station_app.views.hazards.history_dialog import HistoryDialog

        parent = self.button.window()
        try:
            dialog = HistoryDialog(self.ctx, self.hazard.id, parent)
        except StationError as err:  # deleted since the finding was selected
            messages.warn(parent, str(err))
            self.show_for(self.finding_id, selected=self.selected)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def menu(self) -> QMenu:
        """The findings table's context menu (built for the current row)."""
        menu = QMenu(self.table)
        action = menu.addAction(self.button.text())
        action.setEnabled(self.hazard is not None)
        action.setToolTip(self.reason())
        menu.setToolTipsVisible(True)
        action.triggered.connect(self.open)
        return menu

    def _menu(self, pos: QPoint) -> None:
        row = self.table.rowAt(pos.y())
        if row >= 0:
            self.table.selectRow(row)  # the menu is about the row under the mouse
        menu = self.menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))
