"""Login (Enter submits; the lock-out message is shown as the service words it) and 修改密码."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from station_app import APP_TITLE
from station_app.db.database import Database
from station_app.services import auth
from station_app.services.context import Actor
from station_app.views.dialogs.form import FormDialog, password_edit
from station_app.views.tasks import Job


class LoginDialog(FormDialog):
    """``result_value`` is the logged-in Actor after ``accepted``."""

    def __init__(self, db: Database, station_name: str = "", parent: QWidget | None = None, *,
                 username: str = "", notice: str = "") -> None:
        super().__init__(parent, f"登录 — {APP_TITLE}", ok_text="登录")
        self.db = db
        self.setMinimumWidth(400)
        title = QLabel(f"<h3>{station_name or APP_TITLE}</h3>")
        self.form.addRow(title)
        if notice:
            note = QLabel(notice)
            note.setWordWrap(True)
            self.form.addRow(note)
        self.username = QLineEdit(username)
        self.password = password_edit()
        self.add_field("用户名", "用户名", self.username)
        self.add_field("密码", "密码", self.password)
        (self.password if username else self.username).setFocus()

    @property
    def message(self) -> str:
        """The error line (wrong password, locked …); "" when none."""
        return self.general_error.text() if not self.general_error.isHidden() else ""

    def build_job(self) -> Job | None:
        username, password = self.username.text().strip(), self.password.text()
        if not username:
            self.set_field_error("用户名", "请输入用户名")
            self.username.setFocus()
            return None
        if not password:
            self.set_field_error("密码", "请输入密码")
            self.password.setFocus()
            return None
        db = self.db

        def job(progress: object, cancelled: object) -> Actor:
            return auth.login(db, username, password)

        return job

    def _failed(self, err: BaseException) -> bool:
        handled = super()._failed(err)
        if handled:
            self.password.clear()
            self.password.setFocus()
        return handled


class ChangePasswordDialog(FormDialog):
    """The logged-in user changes their own password."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent, "修改密码", ok_text="修改",
                         intro=f"为 {actor.full_name}（{actor.username}）设置新密码。")
        self.db, self.actor = db, actor
        self.setMinimumWidth(420)
        self.old = password_edit()
        self.new = password_edit(f"至少{auth.MIN_PASSWORD_LENGTH}位，须同时包含字母和数字")
        self.new2 = password_edit("再输入一次")
        self.add_field("原密码", "原密码", self.old)
        self.add_field("密码", "新密码", self.new, aliases=("新密码",))
        self.add_field("确认密码", "确认新密码", self.new2)

    def build_job(self) -> Job | None:
        if self.new.text() != self.new2.text():
            self.set_field_error("确认密码", "两次输入的新密码不一致")
            self.new2.setFocus()
            return None
        db, actor, old, new = self.db, self.actor, self.old.text(), self.new.text()

        def job(progress: object, cancelled: object) -> None:
            with db.write() as s:
                auth.change_own_password(s, actor, old, new)

        return job
