"""Edit or add one reference-data row, in a form built from the dataset's field specs."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from station_app.db.database import Database
from station_app.rules import refdata
from station_app.rules.refdata import FieldSpec
from station_app.rules.schema import COMMON_FIELDS
from station_app.services import reference
from station_app.services.context import Actor
from station_app.services.reference import RefRowInfo
from station_app.views.dialogs.form import FormDialog
from station_app.views.tasks import Job

_LIST_SEP = re.compile(r"[、,，;；\s]+")

TYPE_HINTS = {
    "int": "整数",
    "decimal": "数值，如 0.03",
    "date": "日期，格式 2026-01-01",
    "list": "多项之间用顿号“、”或逗号分隔",
}


def spec_label(spec: FieldSpec) -> str:
    return spec.label_zh + ("" if spec.required or spec.type in ("bool", "list") else "（可空）")


def value_text(spec: FieldSpec, value: Any) -> str:
    if value is None:
        return ""
    if spec.type == "bool":
        return "是" if value else "否"
    if spec.type == "list":
        return "、".join(str(v) for v in value)
    return str(value)


class ReferenceRowDialog(FormDialog):
    """``row`` None = 新增 (the key is typed); otherwise edit the row (its key stays)."""

    def __init__(self, db: Database, actor: Actor, dataset: str, row: RefRowInfo | None,
                 parent: QWidget | None = None) -> None:
        title = refdata.DATASET_TITLES.get(dataset, dataset)
        super().__init__(parent, f"{'修改' if row else '新增'}参考数据 — {title}", ok_text="保存")
        self.db, self.actor, self.dataset, self.row = db, actor, dataset, row
        self.setMinimumWidth(760)
        specs = refdata.field_specs(dataset)
        # the key, then what the dataset is about, then where it comes from and when it applies
        self.specs = [specs[0], *specs[len(COMMON_FIELDS):], *specs[1:len(COMMON_FIELDS)]]
        self.widgets: dict[str, QWidget] = {}
        payload = row.payload if row else {}
        if row is not None and row.shipped is None:
            self.form.addRow(QLabel("本行由管理员新增。"))
        elif row is not None and row.modified:
            self.form.addRow(QLabel("本行已被修改过，可在列表中“恢复默认”回到程序自带的值。"))
        for spec in self.specs:
            value = payload.get(spec.name)
            if spec.name == "key" and row is not None:
                widget: QWidget = QLabel(row.key)
            elif spec.type == "bool":
                widget = QCheckBox("是")
                widget.setChecked(bool(value))
            elif spec.choices:
                combo = QComboBox()
                if not spec.required:
                    combo.addItem("（空）", "")
                for choice in spec.choices:
                    combo.addItem(choice, choice)
                combo.setCurrentIndex(max(combo.findData(value if value is not None else ""), 0))
                widget = combo
            else:
                edit = QLineEdit(value_text(spec, value))
                edit.setCursorPosition(0)
                if spec.type == "date":
                    edit.setPlaceholderText("YYYY-MM-DD" + ("" if spec.required else "，留空表示不限"))
                widget = edit
            self.widgets[spec.name] = widget
            self.add_field(spec.name, spec_label(spec), widget, hint=TYPE_HINTS.get(spec.type, ""),
                           aliases=(spec.label_zh,))

    def read_value(self, spec: FieldSpec) -> tuple[Any, str | None]:
        """(value, error) from the field's widget."""
        widget = self.widgets[spec.name]
        if isinstance(widget, QLabel):
            return widget.text(), None
        if isinstance(widget, QCheckBox):
            return widget.isChecked(), None
        if isinstance(widget, QComboBox):
            return str(widget.currentData() or ""), None
        assert isinstance(widget, QLineEdit)
        text = widget.text().strip()
        if spec.type == "int":
            if not text:
                return None, None
            try:
                return int(text.replace(",", "").replace("，", "")), None
            except ValueError:
                return None, "应为整数"
        if spec.type in ("decimal", "date"):
            return (text or None), None
        if spec.type == "list":
            items = [t for t in _LIST_SEP.split(text) if t]
            if spec.item_type == "int":
                try:
                    return [int(t) for t in items], None
                except ValueError:
                    return None, "每一项都应为整数"
            return items, None
        return text, None

    def payload(self) -> dict[str, Any] | None:
        """The row as the service takes it, or None after showing the problems under their fields."""
        out: dict[str, Any] = dict(self.row.payload) if self.row else {}
        ok = True
        for spec in self.specs:
            value, problem = self.read_value(spec)
            if problem:
                self.set_field_error(spec.name, problem)
                ok = False
            out[spec.name] = value
        if not ok:
            return None
        row = refdata.normalize_row(self.dataset, out)
        problems = refdata.validate_row(self.dataset, row)
        for problem in problems:
            field = next((s.name for s in self.specs if f"（{s.name}）" in problem), None)
            if field is None and "失效日期" in problem:
                field = "effective_to"
            if field is not None:
                self.set_field_error(field, problem)
            else:
                self.set_general_error(problem)
        return None if problems else row

    def build_job(self) -> Job | None:
        payload = self.payload()
        if payload is None:
            return None
        db, actor, dataset, row = self.db, self.actor, self.dataset, self.row

        def job(progress: object, cancelled: object) -> RefRowInfo:
            with db.write() as s:
                if row is None:
                    info = reference.add_row(s, actor, dataset, payload)
                else:
                    info = reference.edit_row(s, actor, row.id, payload, expected_version=row.version)
            reference.load_into_rules(db)
            return info

        return job
