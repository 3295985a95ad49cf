"""First start: the station's details and its first administrator, saved in one transaction."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from station_app import APP_TITLE
from station_app.db.database import Database
from station_app.services.station import StationInfo, init_station
from station_app.views.dialogs.form import FormDialog, password_edit
from station_app.views.tasks import Job


def county_from(station_name: str) -> str:
    """东海县建设工程安全监督站 → 东海县 (a guess the clerk can correct)."""
    for end in ("县", "区", "市", "旗"):
        if end in station_name:
            return station_name[: station_name.index(end) + 1]
    return ""


class FirstStartDialog(FormDialog):
    """Shown when the database has no station yet. ``result_value`` is the saved StationInfo."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent, f"{APP_TITLE} — 首次使用设置", ok_text="完成设置",
                         intro="欢迎使用。请先填写本监督站的基本信息，并设置第一个管理员账号。"
                               "管理员登录后可在“系统设置”中添加其他用户、修改这些信息。")
        self.db = db
        self.setMinimumWidth(520)
        self.station_name = QLineEdit()
        self.station_name.setPlaceholderText("如：东海县建设工程安全监督站")
        self.county = QLineEdit()
        self.county.setPlaceholderText("如：东海县")
        self.division_code = QLineEdit()
        self.division_code.setMaxLength(6)
        self.division_code.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}"), self))
        self.division_code.setPlaceholderText("如：320722")
        self.bureau = QLineEdit()
        self.bureau.setPlaceholderText("如：连云港市住房和城乡建设局")
        self.username = QLineEdit("admin")
        self.full_name = QLineEdit()
        self.full_name.setPlaceholderText("管理员的真实姓名")
        self.password = password_edit("至少8位，须同时包含字母和数字")
        self.password2 = password_edit("再输入一次")

        self.add_field("监督站名称", "监督站名称", self.station_name)
        self.add_field("所在县（区）", "所在县（区）", self.county)
        self.add_field("行政区划代码", "行政区划代码", self.division_code,
                       hint="6位数字，本县（区）的代码，用于文书和报表")
        self.add_field("上级主管部门", "上级主管部门", self.bureau)
        heading = QLabel("<b>管理员账号</b>")
        self.form.addRow(heading)
        self.add_field("用户名", "管理员用户名", self.username)
        self.add_field("姓名", "管理员姓名", self.full_name)
        self.add_field("密码", "密码", self.password)
        self.add_field("确认密码", "确认密码", self.password2)
        self.station_name.editingFinished.connect(self._guess_county)

    def _guess_county(self) -> None:
        if not self.county.text().strip():
            self.county.setText(county_from(self.station_name.text().strip()))

    def build_job(self) -> Job | None:
        self._guess_county()
        if self.password.text() != self.password2.text():
            self.set_field_error("确认密码", "两次输入的密码不一致")
            self.password2.setFocus()
            return None
        info = StationInfo(name=self.station_name.text(), short_name="", county=self.county.text(),
                           division_code=self.division_code.text(), bureau=self.bureau.text())
        username, full_name, password = self.username.text(), self.full_name.text(), self.password.text()
        db = self.db

        def job(progress: object, cancelled: object) -> StationInfo:
            with db.write() as s:
                return init_station(s, info, username, password, full_name or "系统管理员")

        return job
