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


def _open(data_dir: Path | str | None, db_url: str | None) -> Runtime | int:
    """The runtime, or the exit code after a Chinese message box explained why it cannot open."""
    from station_app.runtime import open_runtime
    from station_app.views.dialogs import messages

    try:
        return open_runtime(data_dir, db_url)
    except SchemaTooNew as err:
        messages.error(None, f"{err}\n\n程序将退出。", title="数据库版本过新")
        return 3
    except DatabaseUnavailable as err:
        messages.error(None, f"无法打开数据库：{err}\n\n程序将退出。请检查后重新启动。", title="无法打开数据库")
        return 4
    except StationError as err:
        messages.error(None, f"启动失败：{err}\n\n程序将退出。", title="启动失败")
        return 2


def run_gui(data_dir: Path | str | None = None, db_url: str | None = None) -> int:
    """Start the app: open/migrate the database, first-start set-up, login, the main window."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QDialog

    from station_app.services.station import get_station, is_initialized
    from station_app.views.app_context import AppContext, EntityBus
    from station_app.views.dialogs.first_start import FirstStartDialog
    from station_app.views.dialogs.login import LoginDialog
    from station_app.views.main_window import MainWindow

    app = _application()
    opened = _open(data_dir, db_url)
    if isinstance(opened, int):
        return opened
    runtime = opened
    install_excepthook(runtime.data.logs / "station_app.log")
    log.info("GUI start %s, database %s", __version__, runtime.db.display_name)
    window: MainWindow | None = None
    try:
        with runtime.db.read() as s:
            ready = is_initialized(s)
        username = ""
        if not ready:
            first = FirstStartDialog(runtime.db)
            if first.exec() != QDialog.DialogCode.Accepted:
                return 1
            username = first.username.text().strip()
        with runtime.db.read() as s:
            station = get_station(s).name
        login = LoginDialog(runtime.db, station, username=username)
        if login.exec() != QDialog.DialogCode.Accepted:
            return 0
        ctx = AppContext(runtime=runtime, actor=login.result_value, bus=EntityBus())
        window = MainWindow(ctx, backup_on_close=True)
        window.show()
        window.start_daily_backup()
        code = app.exec()
        QThreadPool.globalInstance().waitForDone(60_000)
        return code
    finally:
        (window.ctx.runtime if window is not None else runtime).close()


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
    try:
        from PySide6.QtCore import QThreadPool

        from station_app.db.migrate import current_revision
        from station_app.runtime import open_runtime
        from station_app.views.app_context import AppContext, EntityBus
        from station_app.views.main_window import AREAS, MainWindow

        app = _application()
        runtime = open_runtime(temp.name if temp else data_dir, db_url, log_to_file=temp is None)
        actor, did = _smoke_actor(runtime)
        ctx = AppContext(runtime=runtime, actor=actor, bus=EntityBus())
        window = MainWindow(ctx, remember_geometry=False)
        window.show()
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
        app.processEvents()
        print(f"冒烟测试通过：{did}数据库 {runtime.db.display_name}（结构版本 {current_revision(runtime.db)}），"
              f"以 {actor.username} 打开主窗口并逐一打开 {len(AREAS)} 个工作区后关闭。", flush=True)
        return 0
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        if runtime is not None:
            runtime.close()
        for handler in [h for h in root.handlers if h not in handlers_before]:
            root.removeHandler(handler)
            handler.close()
        if temp is not None:
            temp.cleanup()
