"""操作日志 (admin, 站长): filter by user, record type and date; a row's before/after side by side."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app import clock
from station_app.errors import StationError
from station_app.formatting import chinese_date
from station_app.rules import refdata
from station_app.services import audit
from station_app.services.audit import AuditFilter, AuditRow
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.settings.audit_model import AuditModel, action_label, entity_label
from station_app.views.settings.rows_model import table_view

#: Chinese names of the fields the services snapshot into the log (others are shown as stored)
FIELD_LABELS: dict[str, str] = {
    "name": "名称", "full_name": "姓名", "username": "用户名", "role": "角色", "active": "启用", "phone": "电话",
    "short_name": "简称", "county": "所在县（区）", "division_code": "行政区划代码", "bureau": "上级主管部门",
    "address": "地址", "note": "备注", "uscc": "统一社会信用代码", "kind": "企业类型",
    "legal_representative": "法定代表人", "contact_person": "联系人", "contact_phone": "联系电话",
    "safety_permit_no": "安全生产许可证号", "safety_permit_valid_until": "许可证有效期至",
    "safety_permit_status": "许可证状态", "qualifications": "资质", "id_number": "身份证号",
    "employer_id": "所在单位编号", "title": "职务/岗位", "gender": "性别", "project_type": "工程类别",
    "status": "状态", "town": "乡镇/片区", "grid_id": "网格编号", "sub_type": "工程子类", "structure_type": "结构类型",
    "building_area": "建筑面积（m²）", "contract_cost_fen": "建安造价（分）", "permit_no": "施工许可证号",
    "permit_date": "许可日期", "supervision_no": "监督登记号", "planned_start": "计划开工",
    "planned_finish": "计划竣工", "actual_start": "实际开工", "actual_finish": "实际竣工",
    "completion_filing_date": "竣工备案日期", "progress": "形象进度", "progress_percent": "进度（%）",
    "parties": "参建单位", "towns": "所辖乡镇", "leader_id": "负责人编号",
}


@cache
def _reference_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in refdata.dataset_names():
        for spec in refdata.field_specs(name):
            out.setdefault(spec.name, spec.label_zh)
    return out


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key) or _reference_labels().get(key) or key


def show_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(show_value(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class AuditTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.user_combo = QComboBox()
        self.user_combo.setMinimumWidth(120)
        self.type_combo = QComboBox()
        self.type_combo.addItem("全部类型", "")
        for key, label in audit.ENTITY_LABELS.items():
            self.type_combo.addItem(label, key)
        self.date_check = QCheckBox("日期")
        today = QDate(clock.today())
        self.date_from = self._date_edit(today.addDays(-30))
        self.date_to = self._date_edit(today)
        self.search_button = QPushButton("查询")
        self.count_label = QLabel()
        for w in (QLabel("用户："), self.user_combo, QLabel("记录类型："), self.type_combo, self.date_check,
                  self.date_from, QLabel("至"), self.date_to, self.search_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        lay.addLayout(bar)

        self.model = AuditModel(ctx, self)
        self.view = table_view(self.model, (150, 90, 70, 80, 70))
        self.detail_title = QLabel("选择一条记录查看修改前后的内容。")
        self.detail_title.setWordWrap(True)
        self.detail = QTableWidget(0, 3)
        self.detail.setHorizontalHeaderLabels(["字段", "修改前", "修改后"])
        self.detail.verticalHeader().hide()
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.horizontalHeader().setStretchLastSection(True)
        self.detail.setColumnWidth(0, 160)
        self.detail.setColumnWidth(1, 320)
        self.detail.setWordWrap(True)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 4, 0, 0)
        bl.addWidget(self.detail_title)
        bl.addWidget(self.detail)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(bottom)
        split.setSizes([400, 220])
        lay.addWidget(split, 1)

        self._toggle_dates(False)
        self.date_check.toggled.connect(self._toggle_dates)
        self.search_button.clicked.connect(self.apply_filter)
        self.user_combo.activated.connect(lambda _i: self.apply_filter())
        self.type_combo.activated.connect(lambda _i: self.apply_filter())
        self.view.selectionModel().currentRowChanged.connect(self._show_detail)
        self._fill_users()
        self.apply_filter()

    @staticmethod
    def _date_edit(value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy年M月d日")
        return edit

    def showEvent(self, event: QShowEvent) -> None:
        self._fill_users()
        super().showEvent(event)

    def _toggle_dates(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)

    def _fill_users(self) -> None:
        current = self.user_combo.currentData()
        try:
            with self.ctx.db.read() as s:
                names = audit.audit_usernames(s)
        except StationError:
            names = []
        self.user_combo.blockSignals(True)
        self.user_combo.clear()
        self.user_combo.addItem("全部用户", "")
        for name in names:
            self.user_combo.addItem(name, name)
        index = self.user_combo.findData(current) if current else 0
        self.user_combo.setCurrentIndex(max(index, 0))
        self.user_combo.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        dates: tuple[date | None, date | None] = (None, None)
        if self.date_check.isChecked():
            dates = (self.date_from.date().toPython(), self.date_to.date().toPython())  # type: ignore[assignment]
        return AuditFilter(username=self.user_combo.currentData() or None,
                           entity_type=self.type_combo.currentData() or None, date_from=dates[0], date_to=dates[1])

    def apply_filter(self) -> None:
        try:
            self.model.set_filter(self.current_filter())
        except StationError as err:
            messages.warn(self, str(err))
            return
        self.count_label.setText(f"共 {self.model.total} 条")
        self._show_detail(QModelIndex())

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        self.detail.setRowCount(0)
        if not current.isValid():
            self.detail_title.setText("选择一条记录查看修改前后的内容。")
            return
        row: AuditRow = self.model.audit_row(current.row())
        target = entity_label(row.entity_type) + ("" if row.entity_id is None else f" {row.entity_id}")
        self.detail_title.setText(f"{chinese_date(row.at)} {row.at:%H:%M:%S}　{row.username}　{action_label(row.action)}"
                                  f"（{target}）　{row.summary}")
        before, after = row.before or {}, row.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        self.detail.setRowCount(len(keys))
        for i, key in enumerate(keys):
            cells = (field_label(key), show_value(before.get(key)) if key in before else "",
                     show_value(after.get(key)) if key in after else "")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.detail.setItem(i, col, item)
        self.detail.resizeRowsToContents()
        if not keys:
            self.detail_title.setText(self.detail_title.text() + "（本条记录没有字段变化明细）")

    def detail_rows(self) -> list[tuple[str, str, str]]:
        out = []
        for r in range(self.detail.rowCount()):
            cells = [self.detail.item(r, c) for c in range(3)]
            out.append(tuple(c.text() if c is not None else "" for c in cells))
        return out  # type: ignore[return-value]
