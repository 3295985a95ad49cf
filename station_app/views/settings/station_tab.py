"""监督站信息: the station's details; the admin edits them, other roles read them."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from station_app.errors import StationError, ValidationError
from station_app.services.station import StationInfo, get_station, update_station
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.dialogs.form import FormFields, error_label


class StationTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editable = ctx.can("station.edit")
        self._info: StationInfo | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 16)
        if not self.editable:
            note = QLabel("只有管理员可以修改监督站信息。")
            note.setStyleSheet("color: #666;")
            outer.addWidget(note)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(form)
        self.general_error = error_label()
        self.fields = FormFields(form, self.general_error)
        self.name = QLineEdit()
        self.short_name = QLineEdit()
        self.short_name.setMaxLength(20)
        self.county = QLineEdit()
        self.division_code = QLineEdit()
        self.division_code.setMaxLength(6)
        self.division_code.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}"), self))
        self.bureau = QLineEdit()
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.fields.add("监督站名称", "监督站名称", self.name)
        self.fields.add("简称", "机关代字（简称）", self.short_name,
                        hint="用于文书编号，如“东建安监〔2026〕1号”中的“东”；留空则取县（区）名的第一个字")
        self.fields.add("所在县（区）", "所在县（区）", self.county)
        self.fields.add("行政区划代码", "行政区划代码", self.division_code)
        self.fields.add("上级主管部门", "上级主管部门", self.bureau)
        self.fields.add("地址", "地址", self.address)
        self.fields.add("电话", "联系电话", self.phone)
        outer.addWidget(self.general_error)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("保存")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton("放弃修改")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        outer.addStretch(1)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.load)
        for edit in self._edits():
            edit.setReadOnly(not self.editable)
            edit.returnPressed.connect(self.save)
        self.save_button.setVisible(self.editable)
        self.revert_button.setVisible(self.editable)
        ctx.bus.changed.connect(self._on_changed)
        self.load()

    def _edits(self) -> tuple[QLineEdit, ...]:
        return (self.name, self.short_name, self.county, self.division_code, self.bureau, self.address,
                self.phone)

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("station", "*"):
            self.load()

    def load(self) -> None:
        self.fields.clear()
        try:
            with self.ctx.db.read() as s:
                info = get_station(s)
        except StationError as err:
            self.fields.set_general(str(err))
            return
        self._info = info
        for edit, value in zip(self._edits(), (info.name, info.short_name, info.county, info.division_code,
                                               info.bureau, info.address, info.phone), strict=True):
            edit.setText(value)

    def save(self) -> None:
        if not self.editable:
            return
        self.fields.clear()
        info = StationInfo(self.name.text(), self.short_name.text(), self.county.text(), self.division_code.text(),
                           self.bureau.text(), self.address.text(), self.phone.text())
        try:
            with self.ctx.db.write() as s:
                update_station(s, self.ctx.actor, info)
        except ValidationError as err:
            self.fields.show_errors(err)
            return
        except StationError as err:
            messages.warn(self, str(err))
            return
        self.ctx.notify("station")
        messages.info(self, "监督站信息已保存。")
