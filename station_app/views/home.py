"""首页: the station, what is under supervision (SQL aggregates), and when the data was last backed up.

Only real figures are shown; later work areas add their own cards. The page can be built before the
database is open (the start-up shell, ``views.startup``): its cards show "…" until ``attach``. The
cards that read the big ledgers are counted on a worker thread, so the page never blocks the UI for
them; ``ledgers_loaded`` fires once they are filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from station_app import clock
from station_app.errors import StationError
from station_app.formatting import chinese_date, chinese_datetime
from station_app.views.app_context import AppContext
from station_app.views.home_calendar import CalendarCard
from station_app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from station_app.runtime import Runtime
    from station_app.services.dashboard import RegistryCounts
    from station_app.services.monthly.signoff import Deadline
    from station_app.services.safety_fees.checks import FeeSummary
    from station_app.services.station import StationInfo

#: the blind-spot count also moves with grids, assignments, inspections and disabled accounts
_REFRESH_ON = {"monthly_report",
               "project", "enterprise", "person", "station", "backup", "grid", "supervision", "inspection", "user",
               "*", "safety_fee", "hazard", "hazard_listing", "insurance_policy", "reference"}

OPENING = "正在打开数据库…"


def format_backup_time(at: datetime | None, *, is_sqlite: bool = True) -> str:
    if not is_sqlite:
        return "由数据库服务器备份"
    if at is None:
        return "尚未备份"
    days = (clock.today() - at.date()).days
    when = "今天" if days == 0 else "昨天" if days == 1 else f"{days}天前" if days > 1 else ""
    return chinese_datetime(at) + (f"（{when}）" if when else "")


@dataclass(frozen=True)
class HomeSummary:
    """The quick cards' figures, read in one go (on any thread: no Qt here)."""

    station: StationInfo
    counts: RegistryCounts
    blind_spots: int
    backup_at: datetime | None
    is_sqlite: bool


def load_summary(runtime: Runtime) -> HomeSummary:
    from station_app.db.backup import last_backup_time
    from station_app.services.dashboard import registry_counts
    from station_app.services.station import get_station
    from station_app.services.supervision.blind_spots import count_blind_spots

    db = runtime.db
    with db.read() as s:
        station, counts, blind_spots = get_station(s), registry_counts(s), count_blind_spots(s)
    return HomeSummary(station, counts, blind_spots, last_backup_time(runtime.data.backups),
                       db.sqlite_path is not None)


@dataclass(frozen=True)
class LedgerSummary:
    """月报, hazards, 安责险 and 安全费用: the cards that read the big ledgers."""

    deadline: Deadline
    fees: FeeSummary
    uninsured: int
    insurance_detail: str
    overdue: int
    major_open: int
    overdue_filters: dict[str, object]
    major_filters: dict[str, object]


def load_ledgers(runtime: Runtime) -> LedgerSummary:
    from station_app.services.dashboard import hazard_counts, insurance_counts
    from station_app.services.monthly.signoff import report_deadline
    from station_app.services.safety_fees.checks import fee_summary

    with runtime.db.read() as s:
        deadline = report_deadline(s)
        fees = fee_summary(s)
        uninsured, insurance_detail = insurance_counts(s)
        overdue, major_open, overdue_filters, major_filters = hazard_counts(s)
    return LedgerSummary(deadline, fees, uninsured, insurance_detail, overdue, major_open, overdue_filters,
                         major_filters)


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

    #: the ledger cards are filled (or their error is shown)
    ledgers_loaded = Signal()

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None, *,
                 summary: HomeSummary | None = None) -> None:
        """``ctx`` None: the database is still opening; ``attach`` fills the page later.
        ``summary``: the quick cards' figures when already read (off the UI thread)."""
        super().__init__(parent)
        self._ctx: AppContext | None = None
        self._dirty = True
        self._ledger_round = 0
        self.tasks = TaskRunner(self)
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
        #: "2027年法定节假日安排尚未录入" for the admin and the chief, from the reminder day on
        self.calendar_card = CalendarCard(body)
        lay.addWidget(self.calendar_card)

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
        self.cards: tuple[_Card, ...] = (
            self.monthly_card, self.overdue_card, self.major_open_card, self.blind_spots_card,
            self.insurance_card, self.fee_card, self.projects_card, self.closed_card, self.enterprises_card,
            self.persons_card, self.backup_card)
        for i, card in enumerate(self.cards):
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
        if ctx is None:
            self.station_label.setText(OPENING)
            for card in self.cards:
                card.set("…", "正在统计…")
        else:
            self.attach(ctx, summary)

    def await_login(self, station_name: str) -> None:
        """The database is open and the login dialog is up: say whose station it is, not "opening"."""
        if self._ctx is None:
            self.station_label.setText(station_name)
            for card in self.cards:
                card.set("…", "登录后显示")

    @property
    def ctx(self) -> AppContext:
        assert self._ctx is not None, "HomePage used before attach()"
        return self._ctx

    @property
    def attached(self) -> bool:
        return self._ctx is not None

    def attach(self, ctx: AppContext, summary: HomeSummary | None = None) -> None:
        """The database is open: show its figures (``summary`` when already read) and follow changes."""
        self._ctx = ctx
        self.tasks.log_file = ctx.runtime.data.logs / "station_app.log"
        ctx.bus.changed.connect(self._on_changed)
        self.refresh(summary)

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in _REFRESH_ON:
            if self.isVisible():
                self.refresh()
            else:
                self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty and self.attached:
            self.refresh()
        super().showEvent(event)

    def refresh(self, summary: HomeSummary | None = None) -> None:
        self._dirty = False
        ctx = self.ctx
        actor = ctx.actor
        self.greeting.setText(f"{actor.full_name}（{actor.role}），您好！今天是{chinese_date(clock.today())}。")
        try:
            self._show_summary(summary or load_summary(ctx.runtime))
        except StationError as err:
            self._show_error(err)
            return
        self.error_label.hide()
        for card in (self.monthly_card, self.overdue_card, self.major_open_card, self.insurance_card,
                     self.fee_card):
            card.set("…", "正在统计…")
        # the window stays responsive: the cards that read the big ledgers are counted on a worker
        self._ledger_round += 1
        round_, runtime = self._ledger_round, ctx.runtime
        self.tasks.run(lambda _p, _c: load_ledgers(runtime), title="统计首页数据", show_after_ms=-1,
                       on_success=partial(self._ledgers_done, round_),
                       on_failure=partial(self._ledgers_failed, round_))

    def _show_error(self, err: BaseException) -> None:
        self.error_label.setText(f"无法读取统计数据：{err}")
        self.error_label.show()

    def _show_summary(self, x: HomeSummary) -> None:
        from station_app.models.enums import IN_SUPERVISION, ProjectStatus

        station, by = x.station, x.counts.projects_by_status
        self.station_label.setText(station.name)
        self.sub_label.setText(f"{station.county}　行政区划代码 {station.division_code}　上级主管部门：{station.bureau}")
        parts = [f"{s.value} {by.get(s.value, 0)}" for s in IN_SUPERVISION]
        self.projects_card.set(str(x.counts.in_supervision), "，".join(parts))
        closed = [ProjectStatus.COMPLETED, ProjectStatus.TERMINATED]
        self.closed_card.set(str(sum(by.get(s.value, 0) for s in closed)),
                             "，".join(f"{s.value} {by.get(s.value, 0)}" for s in closed))
        self.enterprises_card.set(f"{x.counts.enterprises:,}")
        self.persons_card.set(f"{x.counts.persons:,}")
        self.blind_spots_card.set(str(x.blind_spots), "未划分网格、监督员未配齐或超期未检查的在监项目，"
                                                       "详见“网格与分工 → 监管盲区”")
        self.backup_card.set(format_backup_time(x.backup_at, is_sqlite=x.is_sqlite),
                             "每天首次启动和关闭程序时自动备份" if x.is_sqlite else "")

    def _ledgers_done(self, round_: int, x: LedgerSummary) -> None:
        if round_ != self._ledger_round:  # an older count: a newer one is on its way
            return
        fees = x.fees
        self.fee_card.set(str(fees.first_payment_late + fees.flagged_pending_projects),
                          f"首期支付不足 {fees.first_payment_late} 个项目，待复核支出 {fees.flagged_pending} 笔"
                          f"（{fees.flagged_pending_projects} 个项目），详见“安全费用”")
        self.insurance_card.set(str(x.uninsured), x.insurance_detail)
        self.overdue_card.set(f"{x.overdue:,}", "未销号且已过整改期限的隐患，点击查看")
        self.overdue_card.filters = x.overdue_filters
        self.major_open_card.set(f"{x.major_open:,}", "动态清零：未销号的重大事故隐患，点击查看")
        self.major_open_card.filters = x.major_filters
        deadline = x.deadline
        self.monthly_card.set(deadline.text, f"{deadline.period.label}月报，报送截止{deadline.due_text}"
                                             + ("" if deadline.signed else "，详见“月报”"))
        self.monthly_card.value.setStyleSheet("color: #c0392b;" if deadline.overdue else "")
        self.monthly_card.setToolTip(deadline.reason)  # why the due day is 暂定
        self.calendar_card.refresh(self.ctx)  # after the ledgers, so it never slows their count
        self.ledgers_loaded.emit()

    def _ledgers_failed(self, round_: int, err: BaseException) -> bool:
        """A StationError is shown on the page, like the quick cards'; anything else gets the task's dialog."""
        if round_ != self._ledger_round:
            return True
        self.calendar_card.refresh(self.ctx)
        self.ledgers_loaded.emit()
        if isinstance(err, StationError):
            self._show_error(err)
            return True
        return False
