"""首页 card "2027年法定节假日安排尚未录入": for the admin and the chief, from the reminder day on.

It says how many stored deadlines are 暂定 because of the missing year and opens the holiday dialog.
The status is counted on a worker thread, like the home page's ledger cards.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station_app import clock
from station_app.errors import StationError
from station_app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from station_app.runtime import Runtime
    from station_app.services.calendar_years import CalendarStatus
    from station_app.views.app_context import AppContext
    from station_app.views.settings.holiday_dialog import HolidayDialog

_STYLE = "#calendarCard { border: 1px solid #f0b849; border-radius: 6px; background: #fff8e6; }"


def load_status(runtime: Runtime, today: date) -> CalendarStatus:
    from station_app.services.calendar_years import calendar_status

    with runtime.db.read() as s:
        return calendar_status(s, today)


class CalendarCard(QFrame):
    """Hidden unless the actor is the admin or the chief and next year's arrangement is due."""

    #: the status was counted (or failed); the card is shown or hidden accordingly
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarCard")
        self.setStyleSheet(_STYLE)
        self.tasks = TaskRunner(self)
        self.status: CalendarStatus | None = None
        self.dialog: HolidayDialog | None = None
        self._ctx: AppContext | None = None
        self._round = 0
        lay = QHBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        texts = QVBoxLayout()
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("color: #6b4e00;")
        texts.addWidget(self.title)
        texts.addWidget(self.detail)
        lay.addLayout(texts, 1)
        self.open_button = QPushButton("录入…", self)
        self.open_button.clicked.connect(self.open_dialog)
        lay.addWidget(self.open_button)
        self.hide()

    def refresh(self, ctx: AppContext) -> None:
        from station_app.models.enums import Role

        self._ctx = ctx
        self._round += 1
        if ctx.actor.role not in (Role.ADMIN, Role.CHIEF):
            self.hide()
            self.loaded.emit()
            return
        self.tasks.log_file = ctx.runtime.data.logs / "station_app.log"
        runtime, today = ctx.runtime, clock.today()
        self.tasks.run(lambda _p, _c: load_status(runtime, today), title="统计节假日安排", show_after_ms=-1,
                       on_success=partial(self._done, self._round), on_failure=partial(self._failed, self._round))

    def _done(self, round_: int, status: CalendarStatus) -> None:
        if round_ != self._round:
            return
        self.status = status
        if status.due_year is None:
            self.hide()
        else:
            year = status.due_year
            can_edit = self._ctx is not None and self._ctx.can("reference.edit")
            self.title.setText(status.card_title)
            self.detail.setText(
                f"涉及{year}年的期限暂按仅周六、周日休息计算，标为“暂定”：目前 {status.provisional} 项。"
                f"国务院办公厅发布{year}年节假日安排后，" + ("请点击“录入…”按通知填写或从文件导入，保存后这些期限自动重算。"
                                                     if can_edit else "请提醒管理员录入，录入后这些期限自动重算。"))
            self.open_button.setText("录入…" if can_edit else "查看…")
            self.show()
        self.loaded.emit()

    def _failed(self, round_: int, err: BaseException) -> bool:
        if round_ != self._round:
            return True
        self.loaded.emit()
        if isinstance(err, StationError):
            self.title.setText("无法判断下一年节假日安排是否已录入")
            self.detail.setText(str(err))
            self.open_button.hide()
            self.show()
            return True
        return False

    def open_dialog(self) -> None:
        from station_app.views.settings.holiday_dialog import HolidayDialog

        if self._ctx is None or self.status is None or self.status.due_year is None:
            return
        self.dialog = HolidayDialog(self._ctx, self.status.due_year, self.window())
        self.dialog.open()
