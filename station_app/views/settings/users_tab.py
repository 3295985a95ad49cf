"""用户管理 (admin): the users, and add / change / reset password / disable or enable."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station_app import clock
from station_app.errors import StationError
from station_app.formatting import chinese_datetime
from station_app.services import auth
from station_app.services.auth import UserInfo
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.settings.rows_model import RowsModel, table_view
from station_app.views.settings.user_dialogs import AddUserDialog, EditUserDialog, ResetPasswordDialog
from station_app.views.tasks import TaskRunner

HEADERS = ("用户名", "姓名", "角色", "状态", "锁定至", "最近登录", "电话")


def _time(value: datetime | None) -> str:
    return f"{chinese_datetime(value)}" if value else ""


class UsersTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.users: list[UserInfo] = []
        self.dialog: QDialog | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        hint = QLabel("停用的账号不能登录，但其操作记录保留。连续5次输错密码的账号会锁定15分钟，重置密码可立即解锁。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        lay.addWidget(hint)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("新增用户…")
        self.edit_button = QPushButton("修改…")
        self.reset_button = QPushButton("重置密码…")
        self.toggle_button = QPushButton("停用")
        for b in (self.add_button, self.edit_button, self.reset_button, self.toggle_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.model = RowsModel(HEADERS, self)
        self.view = table_view(self.model, (110, 90, 70, 60, 130, 130))
        lay.addWidget(self.view, 1)
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.view.doubleClicked.connect(lambda _i: self.edit_user())
        self.view.selectionModel().currentRowChanged.connect(self._update_buttons)
        can_manage = ctx.can("users.manage")
        self.add_button.setEnabled(can_manage)
        ctx.bus.changed.connect(self._on_changed)
        self.reload()

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("user", "*"):
            self.reload()

    def reload(self) -> None:
        selected = self.selected_user()
        try:
            with self.ctx.db.read() as s:
                self.users = auth.list_users(s)
        except StationError as err:
            messages.warn(self, str(err))
            return
        now = clock.now()
        rows = [(u.username, u.full_name, u.role.value, "启用" if u.active else "已停用",
                 _time(u.locked_until) if u.locked_until and u.locked_until > now else "",
                 _time(u.last_login_at), u.phone) for u in self.users]
        self.model.set_rows(rows, [u.id for u in self.users],
                            muted=[i for i, u in enumerate(self.users) if not u.active])
        if selected is not None:
            self.select_user(selected.username)
        self._update_buttons()

    def select_user(self, username: str) -> None:
        for row, u in enumerate(self.users):
            if u.username == username:
                self.view.selectRow(row)
                return

    def selected_user(self) -> UserInfo | None:
        index = self.view.currentIndex() if hasattr(self, "view") else QModelIndex()
        if not index.isValid() or index.row() >= len(self.users):
            return None
        return self.users[index.row()]

    def _update_buttons(self, *_args: object) -> None:
        user = self.selected_user()
        ok = user is not None and self.ctx.can("users.manage")
        for b in (self.edit_button, self.reset_button, self.toggle_button):
            b.setEnabled(ok)
        self.toggle_button.setText("启用" if user is not None and not user.active else "停用")

    def _open(self, dlg: QDialog, done_text: str) -> None:
        def finished() -> None:
            self.ctx.notify("user")  # reloads this list too
            if done_text:
                messages.info(self, done_text)

        dlg.accepted.connect(finished)
        self.dialog = dlg
        dlg.open()

    def add_user(self) -> None:
        dlg = AddUserDialog(self.ctx.db, self.ctx.actor, self)
        dlg.accepted.connect(lambda: self.select_user(dlg.username.text().strip()))
        self._open(dlg, "")

    def edit_user(self) -> None:
        user = self.selected_user()
        if user is not None and self.ctx.can("users.manage"):
            self._open(EditUserDialog(self.ctx.db, self.ctx.actor, user, self), "")

    def reset_password(self) -> None:
        user = self.selected_user()
        if user is not None:
            self._open(ResetPasswordDialog(self.ctx.db, self.ctx.actor, user, self),
                       f"已重置 {user.full_name}（{user.username}）的密码，账号已解锁。")

    def toggle_active(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        if user.active and not messages.confirm(
                self, f"停用后 {user.full_name}（{user.username}）将不能登录，其已有的记录和操作日志保留。确定停用吗？",
                ok_text="停用"):
            return
        try:
            with self.ctx.db.write() as s:
                auth.update_user(s, self.ctx.actor, user.id, active=not user.active)
        except StationError as err:
            messages.warn(self, str(err))
            return
        self.ctx.notify("user")
