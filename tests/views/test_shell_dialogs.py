"""First start, login with lock-out, change password: typed and clicked like a clerk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_app.db.database import Database
from station_app.services import auth
from station_app.services.station import get_station, is_initialized
from station_app.views.dialogs.first_start import FirstStartDialog
from station_app.views.dialogs.login import ChangePasswordDialog, LoginDialog
from tests.conftest import PASSWORD, Station
from tests.views.conftest import type_text


def _fill_first_start(qtbot: QtBot, dlg: FirstStartDialog, division: str) -> None:
    for edit in (dlg.station_name, dlg.county, dlg.division_code, dlg.bureau, dlg.username, dlg.full_name,
                 dlg.password, dlg.password2):
        edit.clear()
    type_text(qtbot, dlg.station_name, "东海县建设工程安全监督站")
    qtbot.keyClicks(dlg.division_code, division)
    type_text(qtbot, dlg.bureau, "连云港市住房和城乡建设局")
    qtbot.keyClicks(dlg.username, "wang")
    type_text(qtbot, dlg.full_name, "王管理")
    qtbot.keyClicks(dlg.password, "Secret123")
    qtbot.keyClicks(dlg.password2, "Secret123")


def test_first_start_shows_field_error_then_creates_station(qtbot: QtBot, sqlite_db: Database) -> None:
    dlg = FirstStartDialog(sqlite_db)
    qtbot.addWidget(dlg)
    dlg.show()
    _fill_first_start(qtbot, dlg, "32072")  # five digits
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.field_error("行政区划代码")), timeout=5000)
    assert "6位数字" in dlg.field_error("行政区划代码")
    assert dlg.field_error("监督站名称") == ""
    assert dlg.county.text() == "东海县"  # guessed from the station name
    assert dlg.isVisible() and dlg.result() == 0
    with sqlite_db.read() as s:
        assert not is_initialized(s)

    qtbot.keyClick(dlg.division_code, Qt.Key.Key_End)
    qtbot.keyClicks(dlg.division_code, "2")
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        qtbot.keyClick(dlg.password2, Qt.Key.Key_Return)  # Enter submits
    with sqlite_db.read() as s:
        info = get_station(s)
    assert (info.name, info.county, info.division_code, info.short_name) == (
        "东海县建设工程安全监督站", "东海县", "320722", "东")
    assert auth.login(sqlite_db, "wang", "Secret123").full_name == "王管理"


def test_first_start_password_mismatch_is_caught_before_saving(qtbot: QtBot, sqlite_db: Database) -> None:
    dlg = FirstStartDialog(sqlite_db)
    qtbot.addWidget(dlg)
    dlg.show()
    _fill_first_start(qtbot, dlg, "320722")
    qtbot.keyClicks(dlg.password2, "x")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.field_error("确认密码") == "两次输入的密码不一致"
    assert not dlg.busy
    with sqlite_db.read() as s:
        assert not is_initialized(s)


def test_weak_password_is_shown_under_the_password(qtbot: QtBot, sqlite_db: Database) -> None:
    dlg = FirstStartDialog(sqlite_db)
    qtbot.addWidget(dlg)
    dlg.show()
    _fill_first_start(qtbot, dlg, "320722")
    dlg.password.setText("12345678")
    dlg.password2.setText("12345678")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.field_error("密码")), timeout=5000)
    assert "字母和数字" in dlg.field_error("密码")
    with sqlite_db.read() as s:
        assert not is_initialized(s)


def _try_login(qtbot: QtBot, dlg: LoginDialog, password: str) -> str:
    before = len(dlg.runner._tasks)
    assert before == 0
    qtbot.keyClicks(dlg.password, password)
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=5000)
    return dlg.message


def test_login_wrong_password_five_times_locks(qtbot: QtBot, sqlite_station: Station) -> None:
    dlg = LoginDialog(sqlite_station.db, "东海县建设工程安全监督站")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.username, "clerk")
    for left in (4, 3, 2, 1):
        assert f"再错{left}次" in _try_login(qtbot, dlg, "wrong-pass1")
        assert dlg.password.text() == ""  # cleared for the next try
    assert "锁定15分钟" in _try_login(qtbot, dlg, "wrong-pass1")
    # the right password is refused while locked, with the countdown
    message = _try_login(qtbot, dlg, PASSWORD)
    assert "已锁定" in message and "分钟后再试" in message
    assert dlg.isVisible() and dlg.result_value is None


def test_login_success_returns_the_actor(qtbot: QtBot, sqlite_station: Station) -> None:
    dlg = LoginDialog(sqlite_station.db, "东海县建设工程安全监督站", username="sup1")
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.username.text() == "sup1"
    qtbot.keyClicks(dlg.password, PASSWORD)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.result_value.full_name == "张监督"


def test_empty_login_asks_for_the_fields(qtbot: QtBot, sqlite_station: Station) -> None:
    dlg = LoginDialog(sqlite_station.db)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.field_error("用户名") == "请输入用户名"
    assert not dlg.busy


def test_change_own_password(qtbot: QtBot, sqlite_station: Station) -> None:
    dlg = ChangePasswordDialog(sqlite_station.db, sqlite_station.clerk)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.old, "not-it-1")
    qtbot.keyClicks(dlg.new, "NewPass456")
    qtbot.keyClicks(dlg.new2, "NewPass456")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.field_error("原密码")), timeout=5000)
    assert dlg.field_error("原密码") == "不正确"
    dlg.old.clear()
    qtbot.keyClicks(dlg.old, PASSWORD)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert auth.login(sqlite_station.db, "clerk", "NewPass456").username == "clerk"
