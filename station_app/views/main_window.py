"""The main window: navigation by work area, pages created on first visit, status bar, menus.

It only composes: each area's page lives in its own module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from station_app import APP_TITLE, __version__
from station_app.db.backup import last_backup_time
from station_app.errors import StationError
from station_app.services.auth import needs_password_change
from station_app.services.station import get_station
from station_app.views.app_context import AppContext
from station_app.views.coming_soon import ComingSoonPage
from station_app.views.dialogs import messages
from station_app.views.dialogs.login import ChangePasswordDialog, LoginDialog
from station_app.views.home import format_backup_time
from station_app.views.settings.backup_jobs import daily_backup_job
from station_app.views.tasks import TaskRunner

KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 1


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    group: str


AREAS: tuple[Area, ...] = (
    Area("home", "首页", ""),
    Area("projects", "项目", "基础登记"),
    Area("enterprises", "企业", "基础登记"),
    Area("persons", "人员", "基础登记"),
    Area("grids", "网格与分工", "基础登记"),
    Area("inspections", "监督检查", "监督执法"),
    Area("hazards", "隐患台账", "监督执法"),
    Area("documents", "执法文书", "监督执法"),
    Area("penalties", "行政处罚", "监督执法"),
    Area("insurance", "安责险", "专项管理"),
    Area("safety_fees", "安全费用", "专项管理"),
    Area("dangerous_works", "危大工程", "专项管理"),
    Area("cranes", "起重机械", "专项管理"),
    Area("certificates", "人员证书", "专项管理"),
    Area("accidents", "事故", "专项管理"),
    Area("monthly", "月报", "统计报表"),
    Area("settings", "系统设置", "系统"),
)


def _home(ctx: AppContext) -> QWidget:
    from station_app.views.home import HomePage

    return HomePage(ctx)


def _projects(ctx: AppContext) -> QWidget:
    from station_app.views.registry.projects_page import ProjectsPage

    return ProjectsPage(ctx)


def _enterprises(ctx: AppContext) -> QWidget:
    from station_app.views.registry.enterprises_page import EnterprisesPage

    return EnterprisesPage(ctx)


def _persons(ctx: AppContext) -> QWidget:
    from station_app.views.registry.persons_page import PersonsPage

    return PersonsPage(ctx)


def _grids(ctx: AppContext) -> QWidget:
    from station_app.views.supervision.page import SupervisionPage

    return SupervisionPage(ctx)


def _inspections(ctx: AppContext) -> QWidget:
    from station_app.views.inspections.page import InspectionsPage

    return InspectionsPage(ctx)


def _safety_fees(ctx: AppContext) -> QWidget:
    from station_app.views.safety_fees.page import SafetyFeesPage

    return SafetyFeesPage(ctx)


def _documents(ctx: AppContext) -> QWidget:
    from station_app.views.documents.page import DocumentsPage

    return DocumentsPage(ctx)


def _penalties(ctx: AppContext) -> QWidget:
    from station_app.views.penalties.page import CasesPage

    return CasesPage(ctx)


def _hazards(ctx: AppContext) -> QWidget:
    from station_app.views.hazards.page import HazardsPage

    return HazardsPage(ctx)


def _insurance(ctx: AppContext) -> QWidget:
    from station_app.views.insurance.page import InsurancePage

    return InsurancePage(ctx)


def _monthly(ctx: AppContext) -> QWidget:
    from station_app.views.monthly.page import MonthlyPage

    return MonthlyPage(ctx)


#: areas with a real page; every other area shows its coming-soon page
PAGE_FACTORIES: dict[str, Callable[[AppContext], QWidget]] = {
    "home": _home,
    "projects": _projects,
    "enterprises": _enterprises,
    "persons": _persons,
    "grids": _grids,
    "inspections": _inspections,
    "insurance": _insurance,
    "hazards": _hazards,
    "penalties": _penalties,
    "documents": _documents,
    "safety_fees": _safety_fees,
    "monthly": _monthly,
}


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, *, backup_on_close: bool = False, remember_geometry: bool = True) -> None:
        """``backup_on_close``: take the day's backup before closing (the real app; tests leave it off).
        ``remember_geometry``: restore and save the window's size and place (QSettings)."""
        super().__init__()
        self.ctx = ctx
        self._remember_geometry = remember_geometry
        self.tasks = TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
        self.pages: dict[str, QWidget] = {}
        self.login_dialog: LoginDialog | None = None
        self.password_dialog: ChangePasswordDialog | None = None
        self._backup_on_close = backup_on_close
        self._close_ready = not backup_on_close
        self._closing = False
        self.resize(1280, 800)

        self.nav = QListWidget()
        self.nav.setObjectName("areaNav")
        self.nav.setMinimumWidth(130)
        self.nav.setMaximumWidth(200)
        self.nav.setStyleSheet("#areaNav { font-size: 10.5pt; } #areaNav::item { padding: 5px 10px; }")
        self.stack = QStackedWidget()
        self._locked_page = QLabel("已退出登录。请在登录窗口中重新登录。")
        self._locked_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self._locked_page)
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([160, 1120])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self._fill_nav()
        self.nav.currentItemChanged.connect(self._nav_changed)
        self._build_menus()
        self._build_status_bar()
        ctx.bus.changed.connect(self._on_changed)
        if remember_geometry:
            self._restore_geometry()
        self._after_login()

    # ------------------------------------------------------------------ navigation and pages

    def _fill_nav(self) -> None:
        group = None
        for area in AREAS:
            if area.group and area.group != group:
                header = QListWidgetItem(area.group)
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                font = header.font()
                font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
                header.setFont(font)
                self.nav.addItem(header)
            group = area.group
            item = QListWidgetItem(area.title)
            item.setData(KEY_ROLE, area.key)
            index = self.area_keys().index(area.key)
            if index < 9:
                item.setToolTip(f"{area.title}（Ctrl+{index + 1}）")
            self.nav.addItem(item)

    @staticmethod
    def area_keys() -> list[str]:
        return [a.key for a in AREAS]

    @staticmethod
    def area_titles() -> list[str]:
        return [a.title for a in AREAS]

    def nav_item(self, key: str) -> QListWidgetItem:
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            if item.data(KEY_ROLE) == key:
                return item
        raise KeyError(key)

    def _nav_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        key = current.data(KEY_ROLE) if current is not None else None
        if key:
            self.show_area(key)

    def show_area(self, key: str) -> QWidget:
        """Switch to an area, creating its page on the first visit."""
        page = self.pages.get(key)
        if page is None:
            page = self._create_page(key)
            self.pages[key] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        item = self.nav_item(key)
        if self.nav.currentItem() is not item:
            self.nav.setCurrentItem(item)
        return page

    def _create_page(self, key: str) -> QWidget:
        area = next(a for a in AREAS if a.key == key)
        if key == "settings":
            from station_app.views.settings.settings_page import SettingsPage

            settings = SettingsPage(self.ctx, runner=self.tasks)
            settings.relogin_requested.connect(self.relogin)
            return settings
        factory = PAGE_FACTORIES.get(key)
        return factory(self.ctx) if factory is not None else ComingSoonPage(area.title)

    def current_key(self) -> str | None:
        for key, page in self.pages.items():
            if page is self.stack.currentWidget():
                return key
        return None

    def _drop_pages(self) -> None:
        self.stack.setCurrentWidget(self._locked_page)
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()

    # ------------------------------------------------------------------ menus and status bar

    def _build_menus(self) -> None:
        bar = self.menuBar()
        system = bar.addMenu("系统(&S)")
        self.change_password_action = QAction("修改密码(&P)…", self)
        self.change_password_action.triggered.connect(self.change_password)
        self.logout_action = QAction("退出登录(&L)", self)
        self.logout_action.triggered.connect(self.logout)
        quit_action = QAction("退出程序(&X)", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        system.addActions([self.change_password_action, self.logout_action])
        system.addSeparator()
        system.addAction(quit_action)
        go = bar.addMenu("转到(&G)")
        for index, area in enumerate(AREAS):
            action = QAction(area.title, self)
            if index < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, k=area.key: self._go(k))
            go.addAction(action)
        self.go_menu = go
        help_menu = bar.addMenu("帮助(&H)")
        about = QAction("关于(&A)…", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _go(self, key: str) -> None:
        if self.nav.isEnabled():
            self.show_area(key)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.user_label = QLabel()
        self.db_label = QLabel()
        self.backup_label = QLabel()
        for label in (self.user_label, self.db_label, self.backup_label):
            label.setContentsMargins(8, 0, 8, 0)
        status.addWidget(self.user_label)
        status.addWidget(self.db_label, 1)
        status.addPermanentWidget(self.backup_label)

    def refresh_status(self) -> None:
        ctx = self.ctx
        self.user_label.setText(f"当前用户：{ctx.actor.full_name}（{ctx.actor.role}）")
        name = ctx.db.display_name
        kind, _, where = name.partition("：")
        self.db_label.setText(f"数据库：{name if len(name) <= 60 else f'{kind}：…{where[-50:]}'}")
        self.db_label.setToolTip(name)
        self.backup_label.setText("最近备份：" + format_backup_time(
            last_backup_time(ctx.runtime.data.backups), is_sqlite=ctx.db.sqlite_path is not None))
        station = self.station_name()
        self.setWindowTitle(f"{station} — {APP_TITLE}" if station else APP_TITLE)

    def station_name(self) -> str:
        try:
            with self.ctx.db.read() as s:
                return get_station(s).name
        except StationError:
            return ""

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("backup", "station", "user", "*"):
            self.refresh_status()

    # ------------------------------------------------------------------ login, logout, password

    def _after_login(self) -> None:
        self.refresh_status()
        self.nav.setEnabled(True)
        self.menuBar().setEnabled(True)
        self.show_area("home")
        with self.ctx.db.read() as s:
            must_change = needs_password_change(s, self.ctx.actor.user_id)
        if must_change:
            messages.info(self, "您的密码已由管理员重置，请立即设置新密码。")
            self.change_password()

    def logout(self) -> None:
        self.relogin("")

    def relogin(self, notice: str = "") -> None:
        """Close every page and ask for a login (after 退出登录 or a restore). Cancel closes the app."""
        self._drop_pages()
        self.nav.setEnabled(False)
        self.nav.clearSelection()
        dlg = LoginDialog(self.ctx.db, self.station_name(), self, username=self.ctx.actor.username, notice=notice)
        dlg.accepted.connect(lambda: self._logged_in(dlg))
        dlg.rejected.connect(self.close)
        self.login_dialog = dlg
        dlg.open()

    def _logged_in(self, dlg: LoginDialog) -> None:
        self.ctx.actor = dlg.result_value
        self.login_dialog = None
        dlg.deleteLater()
        self._after_login()

    def change_password(self) -> None:
        dlg = ChangePasswordDialog(self.ctx.db, self.ctx.actor, self)
        dlg.accepted.connect(lambda: messages.info(self, "密码已修改，下次登录请使用新密码。"))
        self.password_dialog = dlg
        dlg.open()

    def show_about(self) -> None:
        rt = self.ctx.runtime
        messages.about(self, f"关于{APP_TITLE}",
                       f"<h3>{APP_TITLE}</h3><p>版本 {__version__}</p>"
                       f"<p>供县（区）建设工程安全监督站使用的桌面工作台：项目、企业和人员登记，"
                       f"监督检查、隐患、执法文书与报表。</p>"
                       f"<p>数据库：{rt.db.display_name}<br>数据目录：{rt.data.root}</p>")

    # ------------------------------------------------------------------ backups, geometry, closing

    def start_daily_backup(self) -> None:
        """The day's automatic backup, off the UI thread (at start; again at close)."""
        rt = self.ctx.runtime
        self.tasks.run(daily_backup_job(rt.db, rt.data.backups), title="每日自动备份",
                       on_success=self._daily_done, on_failure=self._daily_failed, show_after_ms=-1)

    def _daily_done(self, path: object) -> None:
        if path is not None:
            self.ctx.notify("backup")

    def _daily_failed(self, err: BaseException) -> bool:
        if isinstance(err, StationError):
            messages.warn(self, f"每日自动备份未完成：{err}\n\n请在“系统设置 → 备份与恢复”中手动备份。")
            return True
        return False

    def _restore_geometry(self) -> None:
        value = QSettings().value("main_window/geometry")
        if isinstance(value, QByteArray | bytes) and value:
            self.restoreGeometry(QByteArray(value))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            event.ignore()
            return
        if not self._close_ready:
            event.ignore()
            self._closing = True
            rt = self.ctx.runtime
            task = self.tasks.run(daily_backup_job(rt.db, rt.data.backups), title="关闭前备份数据库",
                                  cancellable=False, show_after_ms=300)
            task.finished.connect(self._close_after_backup)
            return
        if self._remember_geometry:
            QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)

    def _close_after_backup(self) -> None:
        self._closing = False
        self._close_ready = True
        QTimer.singleShot(0, self.close)
