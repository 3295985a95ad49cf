"""首页: the station, what is under supervision (SQL aggregates), and when the data was last backed up.

Only real figures are shown; later work areas add their own cards.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QMouseEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from station_app.db.backup import last_backup_time
from station_app.errors import StationError
from station_app.formatting import chinese_date, chinese_datetime
from station_app.models.enums import IN_SUPERVISION, ProjectStatus
from station_app.services.blind_spots import count_blind_spots
from station_app.services.dashboard import registry_counts
from station_app.services.station import get_station
from station_app.views.app_context import AppContext

#: the blind-spot count also moves with grids, assignments, inspections and disabled accounts
_REFRESH_ON = {"monthly_report",
               "project", "enterprise", "person", "station", "backup", "grid", "supervision", "inspection", "user",
               "*", "safety_fee", "hazard", "hazard_listing", "insurance_policy"}


def format_backup_time(at: datetime | None, *, is_sqlite: bool = True) -> str:
    if not is_sqlite:
        return "由数据库服务器备份"
    if at is None:
        return "尚未备份"
    days = (date.today() - at.date()).days
    when = "今天" if days == 0 else "昨天" if days == 1 else f"{days}天前" if days > 1 else ""
    return chinese_datetime(at) + (f"（{when}）" if when else "")


class _Card(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("homeCard")
        self.setStyleSheet("#homeCard { border: 1px solid #d0d7de; border-radius: 6px; background: #fafbfc; }")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        self.title = QLabel(title)
        self.title.setStyleSheet("color: #555;")
        self.value = QLabel("—")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.value.setFont(font)
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("color: #555;")
        lay.addWidget(self.title)
        lay.addWidget(self.value)
        lay.addWidget(self.detail)
        lay.addStretch(1)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))


class _LinkCard(_Card):
    """A card that opens an area page (and a ledger filter there) when clicked (issue 5: hazards)."""

    def __init__(self, title: str, area: str) -> None:
        super().__init__(title)
        self.area = area
        self.filters: dict[str, object] = {}
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        show_area = getattr(self.window(), "show_area", None)
        if event.button() == Qt.MouseButton.LeftButton and show_area is not None:
            page = show_area(self.area)
            open_ledger = getattr(page, "open_ledger", None)
            if open_ledger is not None and self.filters:
                open_ledger(dict(self.filters))
            return
        super().mousePressEvent(event)


class HomePage(QScrollArea):
    """The cards scroll when the window is small; each card counts something a clerk acts on."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._dirty = True
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(28, 24, 28, 24)
        lay.setSpacing(12)
        self.station_label = QLabel()
        font = self.station_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.station_label.setFont(font)
        self.sub_label = QLabel()
        self.sub_label.setStyleSheet("color: #555;")
        self.greeting = QLabel()
        lay.addWidget(self.station_label)
        lay.addWidget(self.sub_label)
        lay.addWidget(self.greeting)

        grid = QGridLayout()
        grid.setSpacing(12)
        self.projects_card = _Card("在监项目")
        self.closed_card = _Card("已竣工、终止监督的项目")
        self.enterprises_card = _Card("登记企业")
        self.persons_card = _Card("登记人员")
        self.backup_card = _Card("最近一次备份")
        self.blind_spots_card = _Card("监管盲区")
        self.monthly_card = _Card("月报报送")
        self.fee_card = _Card("安全生产费用问题")
        self.insurance_card = _Card("安责险未投保项目")
        self.overdue_card = _LinkCard("逾期隐患", "hazards")
        self.major_open_card = _LinkCard("重大隐患未销号", "hazards")
        # what needs acting on first, then the registers, then housekeeping
        for i, card in enumerate((self.monthly_card, self.overdue_card, self.major_open_card,
                                  self.blind_spots_card, self.insurance_card, self.fee_card,
                                  self.projects_card, self.closed_card, self.enterprises_card,
                                  self.persons_card, self.backup_card)):
            grid.addWidget(card, i // 3, i % 3)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        lay.addLayout(grid)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        lay.addWidget(self.error_label)
        lay.addStretch(1)
        self.station_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _refresh_ledger_cards(self) -> None:
        """月报, hazards, 安责险 and 安全费用 cards (their modules imported here, off the start-up path)."""
        from station_app.services.dashboard import hazard_counts, insurance_counts
        from station_app.services.monthly_signoff import report_deadline
        from station_app.services.safety_fee_checks import fee_summary

        try:
            with self.ctx.db.read() as s:
                deadline = report_deadline(s)
                fees = fee_summary(s)
                uninsured, insurance_detail = insurance_counts(s)
                overdue, major_open, overdue_filters, major_filters = hazard_counts(s)
        except StationError as err:
            self.error_label.setText(f"无法读取统计数据：{err}")
            self.error_label.show()
            return
        self.fee_card.set(str(fees.first_payment_late + fees.flagged_pending_projects),
                          f"首期支付不足 {fees.first_payment_late} 个项目，待复核支出 {fees.flagged_pending} 笔"
                          f"（{fees.flagged_pending_projects} 个项目），详见“安全费用”")
        self.insurance_card.set(str(uninsured), insurance_detail)
        self.overdue_card.set(f"{overdue:,}", "未销号且已过整改期限的隐患，点击查看")
        self.overdue_card.filters = overdue_filters
        self.major_open_card.set(f"{major_open:,}", "动态清零：未销号的重大事故隐患，点击查看")
        self.major_open_card.filters = major_filters
        self.monthly_card.set(deadline.text, f"{deadline.period.label}月报，报送截止{chinese_date(deadline.due)}"
                                             + ("" if deadline.signed else "，详见“月报”"))
        self.monthly_card.value.setStyleSheet("color: #c0392b;" if deadline.overdue else "")

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in _REFRESH_ON:
            if self.isVisible():
                self.refresh()
            else:
                self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._dirty = False
        ctx = self.ctx
        actor = ctx.actor
        self.greeting.setText(f"{actor.full_name}（{actor.role}），您好！今天是{chinese_date(date.today())}。")
        try:
            with ctx.db.read() as s:
                station = get_station(s)
                counts = registry_counts(s)
                blind_spots = count_blind_spots(s)
        except StationError as err:
            self.error_label.setText(f"无法读取统计数据：{err}")
            self.error_label.show()
            return
        self.error_label.hide()
        self.station_label.setText(station.name)
        self.sub_label.setText(f"{station.county}　行政区划代码 {station.division_code}　上级主管部门：{station.bureau}")
        by = counts.projects_by_status
        parts = [f"{s.value} {by.get(s.value, 0)}" for s in IN_SUPERVISION]
        self.projects_card.set(str(counts.in_supervision), "，".join(parts))
        closed = [ProjectStatus.COMPLETED, ProjectStatus.TERMINATED]
        self.closed_card.set(str(sum(by.get(s.value, 0) for s in closed)),
                             "，".join(f"{s.value} {by.get(s.value, 0)}" for s in closed))
        self.enterprises_card.set(f"{counts.enterprises:,}")
        self.persons_card.set(f"{counts.persons:,}")
        self.blind_spots_card.set(str(blind_spots), "未划分网格、监督员未配齐或超期未检查的在监项目，"
                                                     "详见“网格与分工 → 监管盲区”")
        for card in (self.monthly_card, self.overdue_card, self.major_open_card, self.insurance_card,
                     self.fee_card):
            card.set("…", "正在统计…")
        # the window shows first; the cards that read the big ledgers fill a moment later
        QTimer.singleShot(0, self._refresh_ledger_cards)
        db = ctx.db
        self.backup_card.set(format_backup_time(last_backup_time(ctx.runtime.data.backups),
                                                is_sqlite=db.sqlite_path is not None),
                             "每天首次启动和关闭程序时自动备份" if db.sqlite_path is not None else "")
