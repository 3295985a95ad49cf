"""The admin's user dialogs: add a user, change name/role/phone, reset a password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from station_app.db.database import Database
from station_app.models.enums import Role
from station_app.services import auth
from station_app.services.auth import UserInfo
from station_app.services.context import Actor
from station_app.views.dialogs.form import FormDialog, password_edit
from station_app.views.tasks import Job

ROLE_HINTS: dict[Role, str] = {
    Role.ADMIN: "管理员：全部功能，含用户管理、参考数据和恢复数据库",
    Role.CHIEF: "站长：全部业务，查看操作日志，维护网格",
    Role.SUPERVISOR: "监督员：登记和修改业务记录",
    Role.CLERK: "内勤：登记和修改业务记录，可删除登记",
    Role.READONLY: "只读：只能查看",
}


def role_hint(combo: QComboBox) -> QLabel:
    """A line under the role combo saying what the chosen role may do."""
    label = QLabel()
    label.setStyleSheet("color: #555;")
    label.setWordWrap(True)

    def update() -> None:
        label.setText(ROLE_HINTS.get(Role(str(combo.currentData())), ""))

    combo.currentIndexChanged.connect(lambda _i: update())
    update()
    return label


def role_combo(current: Role | None = None) -> QComboBox:
    combo = QComboBox()
    for role in Role:
        combo.addItem(role.value, role.value)
        combo.setItemData(combo.count() - 1, ROLE_HINTS[role], Qt.ItemDataRole.ToolTipRole)
    if current is not None:
        combo.setCurrentIndex(combo.findData(current.value))
    else:
        combo.setCurrentIndex(combo.findData(Role.SUPERVISOR.value))
    return combo


class AddUserDialog(FormDialog):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent, "新增用户", ok_text="新增")
        self.db, self.actor = db, actor
        self.setMinimumWidth(440)
        self.username = QLineEdit()
        self.username.setPlaceholderText("登录用，字母、数字、下划线或点")
        self.full_name = QLineEdit()
        self.role = role_combo()
        self.phone = QLineEdit()
        self.password = password_edit(f"至少{auth.MIN_PASSWORD_LENGTH}位，须同时包含字母和数字")
        self.password2 = password_edit("再输入一次")
        self.add_field("用户名", "用户名", self.username)
        self.add_field("姓名", "姓名", self.full_name)
        self.add_field("角色", "角色", self.role)
        self.form.addRow("", role_hint(self.role))
        self.add_field("电话", "电话", self.phone)
        self.add_field("密码", "初始密码", self.password)
        self.add_field("确认密码", "确认密码", self.password2)

    def build_job(self) -> Job | None:
        if self.password.text() != self.password2.text():
            self.set_field_error("确认密码", "两次输入的密码不一致")
            return None
        db, actor = self.db, self.actor
        username, full_name, role = self.username.text(), self.full_name.text(), str(self.role.currentData())
        password, phone = self.password.text(), self.phone.text()

        def job(progress: object, cancelled: object) -> UserInfo:
            with db.write() as s:
                return auth.create_user(s, actor, username, full_name, role, password, phone)

        return job


class EditUserDialog(FormDialog):
    def __init__(self, db: Database, actor: Actor, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent, f"修改用户 {user.username}", ok_text="保存")
        self.db, self.actor, self.user = db, actor, user
        self.setMinimumWidth(420)
        self.form.addRow("用户名：", QLabel(user.username))
        self.full_name = QLineEdit(user.full_name)
        self.role = role_combo(user.role)
        self.phone = QLineEdit(user.phone)
        self.add_field("姓名", "姓名", self.full_name)
        self.add_field("角色", "角色", self.role)
        self.form.addRow("", role_hint(self.role))
        self.add_field("电话", "电话", self.phone)

    def build_job(self) -> Job | None:
        db, actor, user_id = self.db, self.actor, self.user.id
        full_name, role, phone = self.full_name.text(), str(self.role.currentData()), self.phone.text()

        def job(progress: object, cancelled: object) -> UserInfo:
            with db.write() as s:
                return auth.update_user(s, actor, user_id, full_name=full_name, role=role, phone=phone)

        return job


class ResetPasswordDialog(FormDialog):
    def __init__(self, db: Database, actor: Actor, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent, f"重置 {user.full_name} 的密码", ok_text="重置",
                         intro=f"为用户 {user.username}（{user.full_name}）设置新密码，同时解除锁定。"
                               "请把新密码当面告诉本人，并提醒其登录后修改。")
        self.db, self.actor, self.user = db, actor, user
        self.setMinimumWidth(440)
        self.password = password_edit(f"至少{auth.MIN_PASSWORD_LENGTH}位，须同时包含字母和数字")
        self.password2 = password_edit("再输入一次")
        self.add_field("密码", "新密码", self.password)
        self.add_field("确认密码", "确认新密码", self.password2)

    def build_job(self) -> Job | None:
        if self.password.text() != self.password2.text():
            self.set_field_error("确认密码", "两次输入的密码不一致")
            return None
        db, actor, user_id, password = self.db, self.actor, self.user.id, self.password.text()

        def job(progress: object, cancelled: object) -> None:
            with db.write() as s:
                auth.reset_password(s, actor, user_id, password)

        return job
