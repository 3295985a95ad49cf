"""The main window: navigation by work area, pages created on first visit, status bar, menus.

It only composes: each area's page lives in its own module (``views.areas``). At start-up the window
is built before the database is open (``MainWindow(None)``, see ``views.startup``): navigation and the
home page's cards are there at once, showing "…" until ``attach`` hands over the opened database. So
this module imports Qt and the home page only; the database layer is imported where it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
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
from station_app.errors import StationError
from station_app.views.app_context import AppContext, EntityBus
from station_app.views.areas import AREAS, PAGE_FACTORIES, Area
from station_app.views.coming_soon import ComingSoonPage
from station_app.views.dialogs import messages
from station_app.views.home import OPENING, HomePage, HomeSummary, format_backup_time
from station_app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from station_app.runtime import Runtime
    from station_app.views.dialogs.login import ChangePasswordDialog, LoginDialog

__all__ = ["AREAS", "Area", "MainWindow"]

KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class MainWindow(QMainWindow):
    #: ``attach`` completed the start-up shell: the database is open and a user logged in
    attached = Signal()

    def __init__(self, ctx: AppContext | None, *, backup_on_close: bool = False, remember_geometry: bool = True,
                 locked: bool = False) -> None:
        """``ctx`` None: the start-up shell, shown while the database opens; ``attach`` completes it.
        ``locked``: the shell's navigation waits for the first login (``ask_login``; the real app).
        ``backup_on_close``: take the day's backup before closing (the real app; tests leave it off).
        ``remember_geometry``: restore and save the window's size and place (QSettings)."""
        super().__init__()
        self._ctx: AppContext | None = None
        self._remember_geometry = remember_geometry
        self.tasks = TaskRunner(self)
        self.pages: dict[str, QWidget] = {}
        self._wanted: str | None = None  # the area asked for while the database was opening
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
        self._opening_page = QLabel(f"{OPENING}打开后即显示此工作区。")
        self._opening_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self._opening_page)
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
        if remember_geometry:
            self._restore_geometry()
        if ctx is not None:
            self._bind(ctx)
            self._after_login()
        else:
            self._show_shell(locked)

    @property
    def ctx(self) -> AppContext:
        assert self._ctx is not None, "the main window is still opening its database"
        return self._ctx

    @property
    def is_attached(self) -> bool:
        return self._ctx is not None

    def _bind(self, ctx: AppContext) -> None:
        self._ctx = ctx
        self.tasks.log_file = ctx.runtime.data.logs / "station_app.log"
        ctx.bus.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ the start-up shell

    def _show_shell(self, locked: bool) -> None:
        home = HomePage(None)
        self.pages["home"] = home
        self.stack.addWidget(home)
        self.user_label.setText(OPENING)
        self.setWindowTitle(APP_TITLE)
        for action in self._needs_db:
            action.setEnabled(False)
        self.show_area("home")
        self.nav.setEnabled(not locked)

    def attach(self, ctx: AppContext, home_summary: HomeSummary | None = None) -> None:
        """The database is open and the user known: fill the shell; an area chosen meanwhile opens now.
        ``home_summary``: the home page's quick figures, when already read off the UI thread."""
        assert self._ctx is None, "attach() completes the start-up shell only"
        self._bind(ctx)
        home = self.pages["home"]
        assert isinstance(home, HomePage)
        home.attach(ctx, home_summary)
        for action in self._needs_db:
            action.setEnabled(True)
        wanted, self._wanted = self._wanted or "home", None
        self._after_login(wanted)
        self.attached.emit()

    def ask_login(self, runtime: Runtime, station_name: str, *, username: str = "",
                  home_summary: HomeSummary | None = None) -> None:
        """The shell's first login (the real app); on success the window is attached, 取消 closes it."""
        from station_app.views.dialogs.login import LoginDialog

        self.setWindowTitle(f"{station_name} — {APP_TITLE}" if station_name else APP_TITLE)
        self.user_label.setText("请登录")
        home = self.pages.get("home")
        if isinstance(home, HomePage):
            home.await_login(station_name or APP_TITLE)
        dlg = LoginDialog(runtime.db, station_name, self, username=username)
        dlg.accepted.connect(lambda: self._first_login(dlg, runtime, home_summary))
        dlg.rejected.connect(self.close)
        self.login_dialog = dlg
        dlg.open()

    def _first_login(self, dlg: LoginDialog, runtime: Runtime, home_summary: HomeSummary | None) -> None:
        self.login_dialog = None
        dlg.deleteLater()
        self.attach(AppContext(runtime, dlg.result_value, EntityBus()), home_summary)

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
        """Switch to an area, creating its page on the first visit (once the database is open)."""
        page = self.pages.get(key)
        if self._ctx is None:
            self._wanted = key
            page = page or self._opening_page
        elif page is None:
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
        """Actions that need the database (``_needs_db``) are off while the start-up shell waits for it."""
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
        self._needs_db = (self.change_password_action, self.logout_action, about)

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
        from station_app.db.backup import last_backup_time

        self.backup_label.setText("最近备份：" + format_backup_time(
            last_backup_time(ctx.runtime.data.backups), is_sqlite=ctx.db.sqlite_path is not None))
        station = self.station_name()
        self.setWindowTitle(f"{station} — {APP_TITLE}" if station else APP_TITLE)

    def station_name(self) -> str:
        from station_app.services.station import get_station

        try:
            with self.ctx.db.read() as s:
                return get_station(s).name
        except StationError:
            return ""

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("backup", "station", "user", "*"):
            self.refresh_status()

    # ------------------------------------------------------------------ login, logout, password

    def _after_login(self, area: str = "home") -> None:
        from station_app.services.auth import needs_password_change

        self.refresh_status()
        self.nav.setEnabled(True)
        self.menuBar().setEnabled(True)
        self.show_area(area)
        with self.ctx.db.read() as s:
            must_change = needs_password_change(s, self.ctx.actor.user_id)
        if must_change:
            messages.info(self, "您的密码已由管理员重置，请立即设置新密码。")
            self.change_password()

    def logout(self) -> None:
        self.relogin("")

    def relogin(self, notice: str = "") -> None:
        """Close every page and ask for a login (after 退出登录 or a restore). Cancel closes the app."""
        from station_app.views.dialogs.login import LoginDialog

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
        from station_app.views.dialogs.login import ChangePasswordDialog

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
        from station_app.views.settings.backup_jobs import daily_backup_job

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
        if not self._close_ready and self._ctx is not None:  # the shell opened nothing to back up yet
            from station_app.views.settings.backup_jobs import daily_backup_job

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
