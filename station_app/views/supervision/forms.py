"""The base of this area's small dialogs: a FormDialog that knows the context, reads typed dates
under the labels the services use, and tells open pages what changed once the save succeeded."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from station_app.views.app_context import AppContext
from station_app.views.dialogs.form import FormDialog
from station_app.views.widgets import DateEdit


class SupervisionForm(FormDialog):
    #: bus entity types announced after a successful save
    entities: tuple[str, ...] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None, title: str, *, ok_text: str = "保存",
                 intro: str = "", allowed: bool = True) -> None:
        super().__init__(parent, title + ("" if allowed else "（只读）"), ok_text=ok_text, intro=intro)
        self.ctx = ctx
        self.allowed = allowed
        if not allowed:
            self.ok_button.setEnabled(False)
            self.ok_button.setToolTip("当前角色无权修改")

    def _set_busy(self, busy: bool) -> None:
        super()._set_busy(busy)
        if not self.allowed:
            self.ok_button.setEnabled(False)

    def read_date(self, key: str, widget: DateEdit, *, required: bool = True) -> tuple[bool, date | None]:
        """(ok, value): a parse error or a missing required date goes under the field ``key``."""
        try:
            value = widget.value()
        except ValueError as err:
            self.set_field_error(key, str(err))
            return False, None
        if value is None and required:
            self.set_field_error(key, "必填")
            return False, None
        return True, value

    def saved(self, result: Any) -> None:
        for entity in self.entities:
            self.ctx.notify(entity)
