"""系统设置 → 法定节假日: which years the working-day calendar knows, and the dialog for any year."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from station_app import clock
from station_app.errors import StationError
from station_app.services.calendar_years import CalendarStatus
from station_app.views.app_context import AppContext
from station_app.views.home_calendar import load_status
from station_app.views.settings.holiday_dialog import HolidayDialog
from station_app.views.tasks import TaskRunner


class HolidaysTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # its own runner: a count still running when the page is replaced (restore, new login) is dropped with it
        self.runner = TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
        self.dialog: HolidayDialog | None = None
        self.status: CalendarStatus | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        self.status_label = QLabel("正在读取…", self)
        self.status_label.setWordWrap(True)
        lay.addWidget(self.status_label)
        row = QHBoxLayout()
        row.addWidget(QLabel("年份：", self))
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2099)
        self.year_spin.setValue(clock.today().year + 1)
        row.addWidget(self.year_spin)
        editable = ctx.can("reference.edit")
        self.open_button = QPushButton("录入或修改该年安排…" if editable else "查看该年安排…", self)
        self.open_button.clicked.connect(lambda: self.open_year(self.year_spin.value()))
        row.addWidget(self.open_button)
        row.addStretch(1)
        lay.addLayout(row)
        note = QLabel(
            "计算工作日期限（如行政处罚各环节时限、隐患整改期限顺延）需要每年的法定节假日安排。"
            "国务院办公厅通常在每年11月发布下一年的安排；发布前，涉及下一年的期限暂按仅周六、周日休息计算并标为“暂定”，"
            "录入后自动重算，并列出改变的期限。\n"
            "也可从 holiday-cn 格式的 JSON 文件导入，或在命令行运行：station-app calendar import 文件名.json。"
            + ("" if editable else "\n只有管理员可以录入。"), self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        lay.addWidget(note)
        lay.addStretch(1)
        ctx.bus.changed.connect(self._on_changed)
        self.reload()

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("reference", "*"):
            self.reload()

    def reload(self) -> None:
        runtime, today = self.ctx.runtime, clock.today()
        self.runner.run(lambda _p, _c: load_status(runtime, today), title="读取节假日安排", show_after_ms=-1,
                        on_success=self._show, on_failure=self._failed)

    def _show(self, status: CalendarStatus) -> None:
        self.status = status
        text = f"已有节假日数据：{status.known_text()}。\n{status.first_unknown}年尚无数据"
        text += f"，涉及该年的暂定期限 {status.provisional} 项。" if status.provisional else "。"
        self.status_label.setText(text)

    def _failed(self, err: BaseException) -> bool:
        if isinstance(err, StationError):
            self.status_label.setText(f"无法读取节假日安排：{err}")
            return True
        return False

    def open_year(self, year: int) -> None:
        self.dialog = HolidayDialog(self.ctx, year, self)
        self.dialog.open()
