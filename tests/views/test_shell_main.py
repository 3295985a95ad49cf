"""The main window: every work area, coming-soon pages, shortcuts, status bar, logout, geometry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from station_app.gui import make_excepthook
from station_app.views.app_context import AppContext
from station_app.views.coming_soon import AREA_PLANS, LATER, ComingSoonPage
from station_app.views.home import HomePage
from station_app.views.main_window import AREAS, MainWindow
from station_app.views.settings.settings_page import SettingsPage
from tests.conftest import PASSWORD, Station
from tests.views.conftest import Messages

EXPECTED_AREAS = ["首页", "项目", "企业", "人员", "网格与分工", "监督检查", "隐患台账", "执法文书", "行政处罚",
                  "安责险", "安全费用", "危大工程", "起重机械", "人员证书", "事故", "月报", "系统设置"]


def _window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_every_area_is_listed_and_coming_soon_explains_itself(qtbot: QtBot, ctx: AppContext) -> None:
    win = _window(qtbot, ctx)
    assert win.area_titles() == EXPECTED_AREAS
    nav_texts = [win.nav.item(i).text() for i in range(win.nav.count())]
    assert all(title in nav_texts for title in EXPECTED_AREAS)
    assert isinstance(win.stack.currentWidget(), HomePage)
    assert list(win.pages) == ["home"]  # the others are built on first visit

    item = win.nav_item("dangerous_works")  # 隐患台账 has its page since issue 5
    rect = win.nav.visualItemRect(item)
    qtbot.mouseClick(win.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = win.stack.currentWidget()
    assert isinstance(page, ComingSoonPage)
    assert page.title == "危大工程"
    assert "危险性较大" in page.plan_label.text() and page.later_label.text() == LATER
    assert page.plan_label.isVisible()
    # every area without a page has its own paragraph
    for area in AREAS:
        if area.key not in ("home", "projects", "enterprises", "persons", "settings"):
            assert len(AREA_PLANS[area.title]) > 40, area.title


def test_ctrl_number_switches_area_and_pages_are_created_once(qtbot: QtBot, ctx: AppContext) -> None:
    win = _window(qtbot, ctx)
    win.windowHandle().requestActivate()  # offscreen: shortcuts need the active window
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    qtbot.keyClick(win.nav, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert win.current_key() == "inspections"
    first = win.stack.currentWidget()
    qtbot.keyClick(win.stack.currentWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert win.current_key() == "home"
    qtbot.keyClick(win.nav, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert win.stack.currentWidget() is first


def test_registry_and_settings_pages_open(qtbot: QtBot, ctx: AppContext) -> None:
    win = _window(qtbot, ctx)
    for key in ("projects", "enterprises", "persons"):
        page = win.show_area(key)
        assert not isinstance(page, ComingSoonPage)
    settings = win.show_area("settings")
    assert isinstance(settings, SettingsPage)
    assert settings.tab_titles() == ["监督站信息", "用户管理", "操作日志", "备份与恢复", "参考数据", "法定节假日"]


def test_status_bar_and_title(qtbot: QtBot, ctx: AppContext) -> None:
    win = _window(qtbot, ctx)
    assert win.user_label.text() == "当前用户：王管理（管理员）"
    assert "SQLite" in win.db_label.text()
    assert win.backup_label.text() == "最近备份：尚未备份"
    assert win.windowTitle().startswith("东海县建设工程安全监督站")


def test_logout_and_login_as_someone_else(qtbot: QtBot, ctx: AppContext) -> None:
    win = _window(qtbot, ctx)
    win.show_area("settings")
    win.logout_action.trigger()
    assert win.pages == {} and not win.nav.isEnabled()
    dlg = win.login_dialog
    assert dlg is not None and dlg.isVisible() and dlg.username.text() == "admin"
    dlg.username.clear()
    qtbot.keyClicks(dlg.username, "viewer")
    qtbot.keyClicks(dlg.password, PASSWORD)
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.nav.isEnabled(), timeout=5000)
    assert ctx.actor.username == "viewer"
    assert win.user_label.text() == "当前用户：周只读（只读）"
    settings = win.show_area("settings")
    assert isinstance(settings, SettingsPage)
    assert settings.tab_titles() == ["监督站信息", "备份与恢复", "参考数据", "法定节假日"]


def test_cancelling_the_login_closes_the_window(qtbot: QtBot, ctx: AppContext) -> None:
    win = _window(qtbot, ctx)
    win.logout()
    assert win.login_dialog is not None
    win.login_dialog.reject()
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=3000)


def test_change_password_from_the_menu(qtbot: QtBot, ctx: AppContext, msgs: Messages) -> None:
    win = _window(qtbot, ctx)
    win.change_password_action.trigger()
    dlg = win.password_dialog
    assert dlg is not None and dlg.isVisible()
    qtbot.keyClicks(dlg.old, PASSWORD)
    qtbot.keyClicks(dlg.new, "Another789")
    qtbot.keyClicks(dlg.new2, "Another789")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "密码已修改" in msgs.last("info"), timeout=5000)


def test_about_and_geometry_is_kept(qtbot: QtBot, ctx: AppContext, msgs: Messages) -> None:
    win = _window(qtbot, ctx)
    win.show_about()
    assert "版本" in msgs.last("about")
    win.resize(701, 503)
    win.close()
    assert QSettings().value("main_window/geometry")
    again = _window(qtbot, ctx)
    assert (again.width(), again.height()) == (701, 503)


def test_backup_on_close_takes_the_daily_backup(qtbot: QtBot, ctx: AppContext) -> None:
    win = MainWindow(ctx, backup_on_close=True)
    qtbot.addWidget(win)
    win.show()
    win.close()
    assert win.isVisible()  # waits for the backup first
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=10_000)
    assert list((ctx.runtime.data.backups).glob("station-*-daily.sqlite3"))


def test_unexpected_error_is_logged_explained_and_the_window_stays(qtbot: QtBot, ctx: AppContext, msgs: Messages,
                                                                  tmp_path: Path) -> None:
    win = _window(qtbot, ctx)
    hook = make_excepthook(tmp_path / "logs" / "station_app.log")
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError as err:
        hook(type(err), err, err.__traceback__)
    text = msgs.last("error")
    assert "意外错误" in text and "station_app.log" in text and "仍然保留" in text
    assert win.isVisible()


def test_station_error_reaching_the_hook_is_a_plain_warning(ctx: AppContext, msgs: Messages,
                                                            sqlite_station: Station) -> None:
    from station_app.errors import PermissionDenied

    hook = make_excepthook(None)
    err = PermissionDenied("当前角色无权修改。")
    hook(PermissionDenied, err, None)
    assert msgs.shown == [("warn", "当前角色无权修改。")]


def test_reset_password_asks_for_a_new_one_after_login(qtbot, sqlite_station, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from station_app.paths import DataDir
    from station_app.runtime import Runtime
    from station_app.services import auth
    from station_app.views import main_window as mw
    from station_app.views.app_context import AppContext, EntityBus

    with sqlite_station.db.write() as s:
        auth.reset_password(s, sqlite_station.admin, sqlite_station.clerk.user_id, "Reset1234")
    shown: list[str] = []
    monkeypatch.setattr(mw.messages, "info", lambda parent, text, *a, **k: shown.append(text))
    ctx = AppContext(Runtime(DataDir(tmp_path).ensure(), sqlite_station.db), sqlite_station.clerk, EntityBus())
    win = mw.MainWindow(ctx)
    qtbot.addWidget(win)
    assert any("重置" in t for t in shown)
    assert win.password_dialog is not None and win.password_dialog.isVisible()


def test_ledger_cards_fill_after_the_window_shows(qtbot: QtBot, ctx: AppContext) -> None:
    """The home page's big-ledger cards are counted just after the first paint, not before it."""
    win = _window(qtbot, ctx)
    home = win.stack.currentWidget()
    assert isinstance(home, HomePage)
    qtbot.waitUntil(lambda: home.overdue_card.value.text() not in ("", "…"), timeout=5000)
    assert home.overdue_card.value.text() == "0" and home.major_open_card.value.text() == "0"
    assert home.insurance_card.value.text() not in ("", "…") and home.fee_card.value.text() not in ("", "…")
    assert "月报" in home.monthly_card.detail.text()
