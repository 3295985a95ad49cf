"""系统设置: one tab per concern; tabs a role cannot use are not shown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from station_app.views.app_context import AppContext
from station_app.views.tasks import TaskRunner


class SettingsPage(QWidget):
    #: the database was replaced (restore): the main window asks everyone to log in again
    relogin_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        from station_app.views.settings.audit_tab import AuditTab
        from station_app.views.settings.backup_tab import BackupTab
        from station_app.views.settings.holidays_tab import HolidaysTab
        from station_app.views.settings.reference_tab import ReferenceTab
        from station_app.views.settings.station_tab import StationTab
        from station_app.views.settings.users_tab import UsersTab

        self.ctx = ctx
        self.runner = runner or TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        self.tabs = QTabWidget()
        lay.addWidget(self.tabs)
        self.station_tab = StationTab(ctx)
        self.tabs.addTab(self.station_tab, "监督站信息")
        self.users_tab: UsersTab | None = None
        if ctx.can("users.manage"):
            self.users_tab = UsersTab(ctx, runner=self.runner)
            self.tabs.addTab(self.users_tab, "用户管理")
        self.audit_tab: AuditTab | None = None
        if ctx.can("audit.read"):
            self.audit_tab = AuditTab(ctx)
            self.tabs.addTab(self.audit_tab, "操作日志")
        self.backup_tab = BackupTab(ctx, runner=self.runner)
        self.backup_tab.relogin_requested.connect(self.relogin_requested)
        self.tabs.addTab(self.backup_tab, "备份与恢复")
        self.reference_tab = ReferenceTab(ctx)
        self.tabs.addTab(self.reference_tab, "参考数据")
        self.holidays_tab = HolidaysTab(ctx)
        self.tabs.addTab(self.holidays_tab, "法定节假日")

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def show_tab(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)
