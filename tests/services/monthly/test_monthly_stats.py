"""Monthly-report figures against counts taken straight from the tables, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from station_app.db.database import Database
from station_app.errors import ValidationError
from station_app.services.monthly.checks import run_checks
from station_app.services.monthly.figures_breakdown import by_grid, by_supervisor
from station_app.services.monthly.stats import ReportPeriod, compute_figures, detail_rows
from tests.conftest import make_station
from tests.services.monthly.monthly_fixtures import OCT, build


def _raw(db: Database, sql: str, **params: object) -> int:
    with db.engine.connect() as c:
        return int(c.execute(text(sql), params).scalar() or 0)


def test_october_figures_match_the_tables(db: Database) -> None:
    st = make_station(db)
    build(st)
    period = ReportPeriod.parse(OCT)
    with db.read() as s:
        f = compute_figures(s, period)
    # straight from the tables, written independently of the service's SQL
    start, end = "2026-10-01", "2026-11-01"
    n_insp = _raw(db, "SELECT count(*) FROM inspections WHERE inspected_at >= :a AND inspected_at < :b",
                  a=start, b=end) if db.is_sqlite else _raw(
        db, "SELECT count(*) FROM inspections WHERE inspected_at >= CAST(:a AS timestamp) "
            "AND inspected_at < CAST(:b AS timestamp)", a=start, b=end)
    assert f["检查次数"].current == n_insp == 5
    cast = "" if db.is_sqlite else "CAST(:a AS timestamp)"
    person_times = _raw(db, "SELECT count(*) FROM inspection_inspectors ii JOIN inspections i ON i.id = ii.inspection_id "
                            f"WHERE i.inspected_at >= {cast or ':a'} AND i.inspected_at < "
                            f"{'CAST(:b AS timestamp)' if cast else ':b'}", a=start, b=end)
    assert f["检查人次"].current == person_times == 8
    found = _raw(db, "SELECT count(*) FROM hazards WHERE state <> '已撤销' AND found_on >= :a AND found_on < :b",
                 a="2026-10-01", b="2026-11-01")
    assert f["发现隐患数"].current == found == 3
    majors = _raw(db, "SELECT count(*) FROM hazards WHERE state <> '已撤销' AND level = '重大' "
                      "AND found_on >= :a AND found_on < :b", a="2026-10-01", b="2026-11-01")
    assert f["重大隐患数"].current == majors == 1
    assert f["一般隐患数"].current == found - majors
    docs = _raw(db, "SELECT count(*) FROM issued_documents WHERE status <> '已作废' AND issue_date >= :a "
                    "AND issue_date < :b", a="2026-10-01", b="2026-11-01")
    assert f["执法文书合计"].current == docs == 3
    # 在监: P1, P2, P3 (completed in October), P5 (停工), P7 (registered in October), P9
    assert f["在监项目数"].current == 6
    assert (f["新开工项目数"].current, f["竣工项目数"].current, f["停工项目数"].current) == (1, 1, 1)
    area = Decimal("12000.50") + 8000 + 20000 + 5000 + 1000 + 1000
    assert f["在监面积"].current == (area / 10000).quantize(Decimal("0.01"))
    assert f["检查项目数"].current == 4
    assert f["覆盖率"].current == Decimal("50.0")  # P1, P2, P5 of 6
    assert (f["已整改隐患数"].current, f["整改率"].current) == (1, Decimal("33.3"))
    assert (f["本期销号隐患数"].current, f["重大隐患未销号"].current, f["重大隐患销号数"].current) == (2, 1, 1)
    assert (f["挂牌督办隐患数"].current, f["2023年及以前存量隐患"].current) == (1, 1)
    assert (f["限期整改通知书"].current, f["停工整改通知书"].current, f["复工通知书"].current) == (1, 1, 1)
    assert (f["约谈"].current, f["约谈"].last_year) == (0, 1)
    assert (f["立案数"].current, f["结案数"].current, f["罚款决定金额"].current) == (1, 1, Decimal("5.00"))
    assert f["罚款收缴金额"].current == Decimal("5.00")
    # same month last year and the change
    assert f["检查次数"].last_year == 1 and f["检查次数"].yoy == Decimal("400.0")
    assert f["在监项目数"].last_year == 6
    assert f["检查次数"].ytd == 6  # 30 September + 5 in October
    # registries not kept: no zeros, the reason instead
    assert f["危大工程数"].current is None and f["危大工程数"].missing == "本站尚未建立该台账"
    assert "危险性较大的分部分项工程" in f.not_kept
    # the round note (月报 page and report) reads its dates in the Chinese form
    assert f.notes["全覆盖排查轮次"] == "本期无全覆盖排查轮次"
    from station_app.services.supervision.coverage import create_round

    with db.write() as s:
        create_round(s, st.chief, "2026年下半年全覆盖排查", date(2026, 7, 1), date(2026, 12, 31))
    with db.read() as s:
        note = compute_figures(s, period).notes["全覆盖排查轮次"]
    assert note == "2026年下半年全覆盖排查（2026年7月1日至2026年12月31日）"


def test_details_list_exactly_the_records_counted(db: Database) -> None:
    st = make_station(db)
    ids = build(st)
    period = ReportPeriod.parse(OCT)
    with db.read() as s:
        f = compute_figures(s, period)
        for v in f.values.values():
            if v.detail and not v.missing and not v.rate and v.unit in ("个", "次", "项", "份", "起"):
                if v.key in ("inspector_times", "hazards_ordinary", "projects_stop_ordered", "docs_talk"):
                    continue
                assert len(detail_rows(s, period, v.detail).rows) == v.current, v.label
        active = detail_rows(s, period, "projects_active")
        names = {r[1] for r in active.rows}
        assert names == {"城东花园1#楼", "开发区厂房", "人民医院门诊楼", "滨河学校", "安置房三期", "去年小区"}
        grids = by_grid(s, period)
        assert grids.rows[-1][0] == "合计" and grids.rows[-1][1] == 6 and grids.rows[-1][2] == 5
        assert any(r[0] == "未划分网格" and r[1] == 1 for r in grids.rows)
        people = by_supervisor(s, period)
        sup1 = next(r for r in people.rows if r[0] == st.supervisor.full_name)
        assert sup1[1] == 3 and sup1[2] == 4  # principal of P1, P2, P9; took part in 4 October inspections
    assert ids["p1"]


def test_quarter_and_year_from_the_same_engine(db: Database) -> None:
    st = make_station(db)
    build(st)
    with db.read() as s:
        q = compute_figures(s, ReportPeriod.parse("2026-Q4"))
        y = compute_figures(s, ReportPeriod.parse("2025"))
    assert q.period.label == "2026年第四季度"
    assert q["检查次数"].current == 6  # October + 1 November
    assert y["检查次数"].current == y["检查次数"].ytd == 1


def test_cross_checks_catch_planted_inconsistencies(db: Database) -> None:
    st = make_station(db)
    ids = build(st)
    from tests.services.monthly.monthly_fixtures import _doc, _hazard

    with db.write() as s:
        _hazard(s, "YH-BAD", ids["p1"], date(2026, 10, 25), state="已销号", closed=date(2026, 10, 2))
        _doc(s, "停工整改通知书", 4, date(2026, 10, 11), ids["p2"])  # 2 and 3 never issued; and before No.1
    with db.read() as s:
        issues = {i.key: i for i in run_checks(s, ReportPeriod.parse(OCT))}
    assert "YH-BAD" in [r[0] for r in issues["hazard_balance"].rows]
    assert any(r[2] == 4 for r in issues["documents_sequence"].rows)
    assert [r[1] for r in issues["stopped_without_notice"].rows] == ["滨河学校"]
    assert [r[1] for r in issues["projects_without_grid"].rows] == ["滨河学校"]
    assert [r[2] for r in issues["inspections_outside"].rows] == ["老城改造"]


def test_bad_periods_are_refused() -> None:
    for bad in ("2026-13", "26-10", "2026/10/01", ""):
        with pytest.raises(ValidationError, match="报表期间"):
            ReportPeriod.parse(bad)
    with pytest.raises(ValidationError, match="尚未结束") as err:
        ReportPeriod.parse("2026-11").check_not_future(date(2026, 11, 24))
    assert err.value.errors["报表期间"].endswith("（今天是2026年11月24日）")
    ReportPeriod.parse("2026-10").check_not_future(date(2026, 11, 1))
    assert ReportPeriod.parse("2026年3月").key == "2026-03"
