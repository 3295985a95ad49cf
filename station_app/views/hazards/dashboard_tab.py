"""动态清零 tab: the major-hazard figures, the 2023-and-earlier stock, open ones by age, ordinary hazards
and a twelve-month trend. Every number (and every bar) opens the ledger rows behind it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from station_app.formatting import chinese_date
from station_app.rules.hazards import stock_cutoff
from station_app.services.hazards.stats import ZeroingDashboard, rate, zeroing_dashboard
from station_app.views.app_context import AppContext
from station_app.views.hazards.figure_widgets import FigureCard, HazardTab, OpenLedger
from station_app.views.hazards.trend_chart import TrendChart, TrendPoint
from station_app.views.supervision.common import hint_label, title_label
from station_app.views.tasks import TaskRunner


def _stock_label() -> str:
    cutoff = stock_cutoff()
    return f"{cutoff.year}年" if (cutoff.month, cutoff.day) == (12, 31) else chinese_date(cutoff)


class DashboardTab(HazardTab):
    def __init__(self, ctx: AppContext, open_ledger: OpenLedger, parent: QWidget | None = None, *,
                 runner: TaskRunner | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.open_ledger = open_ledger
        self.data: ZeroingDashboard | None = None
        bar = self.report_bar()

        body = QWidget(self)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 6, 0)

        def card(title: str, alert: bool = False, tip: str = "") -> FigureCard:
            return FigureCard(title, open_ledger, body, alert_when_positive=alert, tip=tip)

        self.major_open = card("未销号", True)
        self.major_overdue = card("其中逾期", True)
        self.major_listed = card("挂牌督办中")
        self.major_found_month = card("本月新增")
        self.major_found_year = card("本年新增")
        self.major_closed_month = card("本月销号")
        self.major_closed_year = card("本年销号")
        self.avg_days = card("本年平均销号天数", tip="本年销号的重大隐患从发现到销号的平均天数；点击查看这些隐患")
        self.stock_total = card("存量总数")
        self.stock_closed = card("已销号")
        self.stock_open = card("未销号", True)
        self.stock_rate = card("清零进度", tip="存量中已销号的比例；点击查看未销号的存量隐患")
        self.band_cards = [card(label) for label in ("7天以内", "8–30天", "31–90天", "90天以上")]
        self.ord_found = card("本年发现")
        self.ord_closed = card("其中已销号")
        self.ord_rate = card("整改率", tip="本年发现的一般隐患中已销号的比例（已撤销的不计）；点击查看本年发现的一般隐患")
        self.ord_open = card("未销号")
        self.ord_overdue = card("逾期", True)

        def row(title: str, cards: list[FigureCard], hint: str = "") -> None:
            lay.addWidget(title_label(title, body))
            grid = QGridLayout()
            grid.setHorizontalSpacing(8)
            for i, c in enumerate(cards):
                grid.addWidget(c, 0, i)
            lay.addLayout(grid)
            if hint:
                lay.addWidget(hint_label(hint, body))

        row("重大事故隐患", [self.major_open, self.major_overdue, self.major_listed, self.major_found_month,
                        self.major_found_year, self.major_closed_month, self.major_closed_year, self.avg_days])
        row(f"存量重大事故隐患（{_stock_label()}及以前发现）",
            [self.stock_total, self.stock_closed, self.stock_open, self.stock_rate])
        row("未销号重大事故隐患（按发现至今天数）", self.band_cards)
        row("一般隐患", [self.ord_found, self.ord_closed, self.ord_rate, self.ord_open, self.ord_overdue],
            "“本年”为统计日期所在年的1月1日至统计日期；整改率 = 本年发现且已销号 ÷ 本年发现（已撤销的不计）。")
        charts = QHBoxLayout()
        self.major_chart = TrendChart("重大事故隐患近12个月", body)
        self.ordinary_chart = TrendChart("一般隐患近12个月", body)
        for chart in (self.major_chart, self.ordinary_chart):
            chart.barClicked.connect(open_ledger)
            charts.addWidget(chart, 1)
        lay.addLayout(charts, 1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 6)
        outer.addLayout(bar)
        outer.addWidget(scroll, 1)

    def reload(self) -> None:
        on = self.report_day(self.day)
        if on is None:
            return
        db = self.ctx.db

        def job(progress: object, cancelled: object) -> ZeroingDashboard:
            with db.read() as s:
                return zeroing_dashboard(s, on)

        self.status.setText("正在统计…")
        self.run_job("dashboard", job, "统计动态清零情况", self._loaded)

    def _loaded(self, d: ZeroingDashboard) -> None:
        self.data = d
        for name in ("major_open", "major_overdue", "major_listed", "major_found_month", "major_found_year",
                     "major_closed_month", "major_closed_year", "stock_total", "stock_closed", "stock_open"):
            getattr(self, name).set_figure(getattr(d, name))
        self.avg_days.set_figure(d.major_closed_year,
                                 "—" if d.avg_days_to_close is None else f"{d.avg_days_to_close:.1f}")
        stock_rate = rate(d.stock_closed.value, d.stock_total.value)
        self.stock_rate.set_figure(d.stock_open, "—" if stock_rate is None else f"{stock_rate}%")
        for c, (_, fig) in zip(self.band_cards, d.age_bands, strict=True):
            c.set_figure(fig)
        self.ord_found.set_figure(d.ordinary_found_year)
        self.ord_closed.set_figure(d.ordinary_closed_year)
        self.ord_rate.set_figure(d.ordinary_found_year, "—" if d.ordinary_rate is None else f"{d.ordinary_rate}%")
        self.ord_open.set_figure(d.ordinary_open)
        self.ord_overdue.set_figure(d.ordinary_overdue)

        def label(month: date) -> str:
            return f"{month.month}月"

        span = f"（{d.trend[0].label} 至 {d.trend[-1].label}）"
        self.major_chart.title = f"重大事故隐患近12个月{span}"
        self.ordinary_chart.title = f"一般隐患近12个月{span}"
        self.major_chart.set_points([TrendPoint(label(m.month), m.major_found, m.major_closed) for m in d.trend])
        self.ordinary_chart.set_points([TrendPoint(label(m.month), m.ordinary_found, m.ordinary_closed)
                                        for m in d.trend])
        self.status.setText(f"截至{chinese_date(d.as_of)}：重大事故隐患未销号 {d.major_open.value} 条，"
                            f"存量未销号 {d.stock_open.value} 条")
