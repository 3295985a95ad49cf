"""动态清零 dashboard: every figure on constructed data (month/year boundaries, the 2023 stock), and each
figure's drill-down filters list exactly the records it counts."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal

from station_app.models.hazard import HazardState
from station_app.services.hazards.figures import Figure, add_months, quarter_bounds
from station_app.services.hazards.stats import home_counts, zeroing_dashboard
from tests.conftest import Station
from tests.services.hazards.hazard_b_fixtures import add_hazard, count_ledger, make_world

S = HazardState
AS_OF = date(2025, 3, 10)


def _figures(dash: object) -> list[tuple[str, Figure]]:
    out: list[tuple[str, Figure]] = []
    for f in fields(dash):  # type: ignore[arg-type]
        value = getattr(dash, f.name)
        if isinstance(value, Figure):
            out.append((f.name, value))
    out += [(f"band {label}", fig) for label, fig in dash.age_bands]  # type: ignore[attr-defined]
    for m in dash.trend:  # type: ignore[attr-defined]
        out += [(f"{m.label} {f.name}", getattr(m, f.name)) for f in fields(m) if f.name != "month"]
    return out


def test_period_helpers() -> None:
    assert add_months(date(2025, 1, 15), -1) == date(2024, 12, 1)
    assert add_months(date(2025, 12, 3), 1) == date(2026, 1, 1)
    assert add_months(date(2025, 3, 31), -11) == date(2024, 4, 1)
    assert quarter_bounds(date(2025, 3, 31)) == (date(2025, 1, 1), date(2025, 3, 31))
    assert quarter_bounds(date(2025, 11, 2)) == (date(2025, 10, 1), date(2025, 12, 31))


def test_dashboard_figures_and_drilldown(station: Station) -> None:
    w = make_world(station)
    major = {"level": "重大", "criterion": "2022-8-1"}
    # major, found this month (3/1 boundary) and on 2/28 (last month, this year)
    add_hazard(station, w.p1, found_on=date(2025, 3, 1), deadline=date(2025, 3, 20), **major)
    add_hazard(station, w.p1, found_on=date(2025, 3, 10), state=S.RECTIFYING, deadline=date(2025, 3, 9), **major)
    add_hazard(station, w.p2, found_on=date(2025, 2, 28), state=S.AWAITING_REVIEW, deadline=date(2025, 3, 5),
               listing_level="县级", **major)
    # found next day after as_of: not in any period figure, but open now
    add_hazard(station, w.p2, found_on=date(2025, 3, 11), **major)
    # major closed: this month (found 2025-01-01 → closed 3/1, 59 days), this year (found 12/31 → 1/10, 10 days)
    add_hazard(station, w.p1, found_on=date(2025, 1, 1), state=S.CLOSED, closed_on=date(2025, 3, 1), **major)
    add_hazard(station, w.p1, found_on=date(2024, 12, 31), state=S.CLOSED, closed_on=date(2025, 1, 10), **major)
    # closed last year (not this year), and cancelled (never counted)
    add_hazard(station, w.p3, found_on=date(2024, 6, 1), state=S.CLOSED, closed_on=date(2024, 12, 31), **major)
    add_hazard(station, w.p3, found_on=date(2025, 3, 2), state=S.CANCELLED, **major)
    # the 2023 stock: 2023-12-31 open (age > 90), 2023-05-01 closed, 2023-07-01 cancelled; 2024-01-01 not stock
    add_hazard(station, w.p3, found_on=date(2023, 12, 31), state=S.RECTIFYING, deadline=date(2024, 1, 31), **major)
    add_hazard(station, w.p3, found_on=date(2023, 5, 1), state=S.CLOSED, closed_on=date(2023, 6, 1), **major)
    add_hazard(station, w.p3, found_on=date(2023, 7, 1), state=S.CANCELLED, **major)
    add_hazard(station, w.p3, found_on=date(2024, 1, 1), state=S.AWAITING_CONFIRMATION,
               deadline=date(2025, 4, 1), **major)
    # ordinary: this year 4 found (1 cancelled not counted), 2 closed; last year 1 found, closed this year
    add_hazard(station, w.p1, found_on=date(2025, 1, 1), state=S.CLOSED, closed_on=date(2025, 1, 5))
    add_hazard(station, w.p1, found_on=date(2025, 3, 3), state=S.CLOSED, closed_on=date(2025, 3, 4))
    add_hazard(station, w.p2, found_on=date(2025, 2, 1), state=S.PENDING, deadline=date(2025, 2, 8))
    add_hazard(station, w.p2, found_on=date(2025, 3, 10), state=S.PENDING, deadline=date(2025, 3, 10))
    add_hazard(station, w.p2, found_on=date(2025, 2, 2), state=S.CANCELLED)
    add_hazard(station, w.p2, found_on=date(2024, 12, 20), state=S.CLOSED, closed_on=date(2025, 2, 1))

    with station.db.read() as s:
        d = zeroing_dashboard(s, AS_OF)
        # the ages: 3/10 → 0 days, 3/1 → 9, 2/28 → 10, 2024-01-01 → 434, 2023-12-31 → 435; 3/11 in none
        assert [(label, f.value) for label, f in d.age_bands] == [
            ("7天以内", 1), ("8–30天", 2), ("31–90天", 0), ("90天以上", 2)]
        assert d.major_open.value == 6
        assert d.major_overdue.value == 3  # 3/9, 3/5, 2024-01-31 deadlines; 3/20, 4/1 and (3/18) not
        assert d.major_listed.value == 1
        assert d.major_found_month.value == 2  # 3/1, 3/10 (3/2 cancelled, 3/11 after as_of)
        assert d.major_found_year.value == 4  # + 2/28, 1/1
        assert d.major_closed_month.value == 1
        assert d.major_closed_year.value == 2
        assert d.avg_days_to_close == (59 + 10) / 2
        assert (d.stock_total.value, d.stock_closed.value, d.stock_open.value) == (2, 1, 1)
        assert d.ordinary_found_year.value == 4
        assert d.ordinary_closed_year.value == 2
        assert d.ordinary_rate == Decimal("50.0")
        assert d.ordinary_open.value == 2
        assert d.ordinary_overdue.value == 1  # deadline 2/8; the 3/10 deadline is not before as_of
        trend = {m.label: m for m in d.trend}
        assert list(trend) == [f"2024年{m}月" for m in range(4, 13)] + ["2025年1月", "2025年2月", "2025年3月"]
        assert trend["2025年3月"].major_found.value == 2 and trend["2025年3月"].major_closed.value == 1
        assert trend["2025年2月"].major_found.value == 1 and trend["2025年2月"].ordinary_closed.value == 1
        assert trend["2025年1月"].major_closed.value == 1 and trend["2025年1月"].ordinary_found.value == 1
        assert trend["2024年12月"].major_found.value == 1 and trend["2024年12月"].major_closed.value == 1
        assert trend["2024年6月"].major_found.value == 1
        assert trend["2024年12月"].ordinary_found.value == 1
        # every figure opens exactly its records
        for name, fig in _figures(d):
            assert count_ledger(s, fig.filters) == fig.value, name

        overdue, major_open = home_counts(s, AS_OF)
        assert (overdue.value, major_open.value) == (4, 6)
        assert count_ledger(s, overdue.filters) == 4 and count_ledger(s, major_open.filters) == 6


def test_empty_dashboard(station: Station) -> None:
    with station.db.read() as s:
        d = zeroing_dashboard(s, AS_OF)
    assert d.major_open.value == 0 and d.avg_days_to_close is None and d.ordinary_rate is None
    assert len(d.trend) == 12 and all(m.major_found.value == 0 for m in d.trend)
