"""The GUI entry points: ``run_gui`` (the app) and ``smoke_test`` (offscreen start-up check, exit 0)."""

from __future__ import annotations

import logging
import os
import secrets
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from station_app import APP_NAME, APP_TITLE, __version__
from station_app.errors import DatabaseUnavailable, SchemaTooNew, StationError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from station_app.runtime import Runtime
    from station_app.services.context import Actor
    from station_app.views.dialogs.first_start import FirstStartDialog
    from station_app.views.main_window import MainWindow
    from station_app.views.startup import Opened

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]

#: families tried, in order, when the default UI font cannot show Chinese
CJK_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "PingFang SC", "SimSun")


def _application() -> QApplication:
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APP_TITLE)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if not getattr(app, "_station_translator", None):
        translator = QTranslator(app)
        if translator.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            app._station_translator = translator  # type: ignore[attr-defined]
        else:
            log.warning("Qt zh_CN translations not found; standard dialogs stay in English")
    _choose_font(app)
    return app


def _choose_font(app: QApplication) -> None:
    from PySide6.QtGui import QFontDatabase

    font = app.font()
    chinese = QFontDatabase.WritingSystem.SimplifiedChinese
    if chinese in QFontDatabase.writingSystems(font.family()):
        return
    families = set(QFontDatabase.families(chinese))
    for family in CJK_FONTS:
        if family in families:
            font.setFamily(family)
            app.setFont(font)
            return


def make_excepthook(log_file: Path | None) -> ExceptHook:
    """Log an unexpected error and explain it in Chinese; the window stays open with its input."""
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        from station_app.views.dialogs import messages

        if isinstance(exc, StationError):  # an expected error a page forgot to catch
            log.warning("uncaught StationError: %s", exc)
            if not showing:
                showing = True
                try:
                    messages.warn(None, str(exc))
                finally:
                    showing = False
            return
        log.error("未处理的异常", exc_info=(exc_type, exc, tb))
        if showing:  # an error while the dialog is up: logged, not stacked
            return
        showing = True
        try:
            messages.error(None, messages.unexpected_text(exc, log_file, "本次操作"), title="程序出错")
        except Exception:
            traceback.print_exception(exc_type, exc, tb)
        finally:
            showing = False

    return hook


def install_excepthook(log_file: Path | None) -> None:
    sys.excepthook = make_excepthook(log_file)


#: why the database cannot be opened → (dialog title, message, exit code); the first match counts
_OPEN_FAILURES: tuple[tuple[type[StationError], str, str, int], ...] = (
    (SchemaTooNew, "数据库版本过新", "{err}\n\n程序将退出。", 3),
    (DatabaseUnavailable, "无法打开数据库", "无法打开数据库：{err}\n\n程序将退出。请检查后重新启动。", 4),
    (StationError, "启动失败", "启动失败：{err}\n\n程序将退出。", 2),
)


class _Start:
    """``run_gui``'s steps after the shell is on screen: opened → (first-start set-up) → login; or the
    Chinese explanation and the exit code when the database cannot be opened."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        self.app, self.window = app, window
        self.code: int | None = None
        self.kept: list[Runtime] = []  # the runtime as soon as it is open (closed at exit, whatever happened)

    def opened(self, opened: Opened) -> None:
        runtime = opened.runtime
        install_excepthook(runtime.data.logs / "station_app.log")
        log.info("GUI start %s, database %s", __version__, runtime.db.display_name)
        if not self.window.isVisible():  # closed while the database was opening
            return
        if opened.initialized:
            self.window.ask_login(runtime, opened.station_name, home_summary=opened.home)
            return
        from station_app.views.dialogs.first_start import FirstStartDialog

        first = FirstStartDialog(runtime.db, self.window)
        first.accepted.connect(lambda: self._set_up(first, runtime))
        first.rejected.connect(lambda: self.quit(1))
        first.open()

    def _set_up(self, first: FirstStartDialog, runtime: Runtime) -> None:
        from station_app.services.station import get_station

        with runtime.db.read() as s:
            station = get_station(s).name
        self.window.ask_login(runtime, station, username=first.username.text().strip())
        first.deleteLater()

    def failed(self, err: BaseException) -> bool:
        from station_app.views.dialogs import messages

        for kind, title, text, code in _OPEN_FAILURES:
            if isinstance(err, kind):
                messages.error(None, text.format(err=err), title=title)
                self.quit(code)
                return True
        log.error("打开数据库时出错", exc_info=err)
        messages.error(None, messages.unexpected_text(err, None, "打开数据库") + "\n\n程序将退出。", title="启动失败")
        self.quit(1)
        return True

    def quit(self, code: int) -> None:
        self.code = code
        self.window.close()
        self.app.exit(code)


def run_gui(data_dir: Path | str | None = None, db_url: str | None = None) -> int:
    """Start the app: the main window's shell at once; behind it the database opens (migrated) on a
    worker; then the first-start set-up if needed, the login over the window, and the window fills."""
    from PySide6.QtCore import QThreadPool

    from station_app.views.main_window import MainWindow
    from station_app.views.startup import open_for_window

    app = _application()
    window = MainWindow(None, backup_on_close=True, locked=True)
    window.attached.connect(window.start_daily_backup)
    window.show()
    app.processEvents()  # the shell is painted before the worker takes the interpreter's time
    start = _Start(app, window)
    window.tasks.run(lambda _p, _c: open_for_window(data_dir, db_url, keep=start.kept), title="打开数据库",
                     on_success=start.opened, on_failure=start.failed, cancellable=False, show_after_ms=-1)
    try:
        code = app.exec()
        QThreadPool.globalInstance().waitForDone(60_000)
        return start.code if start.code is not None else code
    finally:
        runtimes = list(start.kept)
        if window.is_attached and all(r is not window.ctx.runtime for r in runtimes):
            runtimes.append(window.ctx.runtime)  # after a restore: the restored database's runtime
        for runtime in runtimes:
            runtime.close()


def _smoke_actor(runtime: Runtime) -> tuple[Actor, str]:
    """An admin to open the window as: the existing one, or a station set up just for the test."""
    from station_app.models.enums import Role
    from station_app.services import auth
    from station_app.services.context import Actor
    from station_app.services.station import StationInfo, init_station, is_initialized

    with runtime.db.write() as s:
        did = ""
        if not is_initialized(s):
            init_station(s, StationInfo("示例县建设工程安全监督站", "", "示例县", "320000", "示例市住房和城乡建设局"),
                         "admin", secrets.token_urlsafe(12) + "a1", "冒烟测试")
            did = "已初始化示例监督站；"
        admin = next((u for u in auth.list_users(s, active_only=True) if u.role == Role.ADMIN), None)
    if admin is None:
        raise StationError("数据库中没有启用的管理员账号")
    return Actor(admin.id, admin.username, admin.full_name, Role.ADMIN), did


def smoke_test(data_dir: Path | str | None = None, db_url: str | None = None) -> int:
    """Create/migrate a database, set up a station if needed, show the main window offscreen, close, exit 0."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    temp = tempfile.TemporaryDirectory(prefix="station-smoke-") if data_dir is None and db_url is None else None
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    runtime: Runtime | None = None
    window: MainWindow | None = None
    try:
        from PySide6.QtCore import QThreadPool

        from station_app.db.migrate import current_revision
        from station_app.views.app_context import AppContext, EntityBus
        from station_app.views.main_window import AREAS, MainWindow
        from station_app.views.startup import open_for_window

        app = _application()
        window = MainWindow(None, remember_geometry=False)  # the start-up shell, as run_gui shows it
        window.show()
        app.processEvents()
        opened = open_for_window(temp.name if temp else data_dir, db_url, log_to_file=temp is None)
        runtime = opened.runtime
        actor, did = _smoke_actor(runtime)
        window.attach(AppContext(runtime=runtime, actor=actor, bus=EntityBus()), opened.home)
        app.processEvents()
        for area in AREAS:  # every page is built once: a missing module or resource fails here
            window.show_area(area.key)
            app.processEvents()
        window.show_area("home")
        app.processEvents()
        window.close()
        app.processEvents()
        QThreadPool.globalInstance().waitForDone(30_000)
        runtime = window.ctx.runtime
        window.deleteLater()
        window = None
        app.processEvents()
        print(f"冒烟测试通过：{did}数据库 {runtime.db.display_name}（结构版本 {current_revision(runtime.db)}），"
              f"以 {actor.username} 打开主窗口并逐一打开 {len(AREAS)} 个工作区后关闭。", flush=True)
        return 0
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        if window is not None:  # it failed on the way: the shell goes too
            window.close()
            window.deleteLater()
        if runtime is not None:
            runtime.close()
        for handler in [h for h in root.handlers if h not in handlers_before]:
            root.removeHandler(handler)
            handler.close()
        if temp is not None:
            temp.cleanup()
