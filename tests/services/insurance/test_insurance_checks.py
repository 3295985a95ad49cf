"""The 安责险 checks over constructed policy intervals (edge days included), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from station_app.services.insurance.checks import check_spec, insurance_summary
from station_app.services.insurance.policies import update_policy
from station_app.services.listing import ListQuery
from tests.conftest import Station
from tests.services.insurance.insurance_fixtures import (
    WAN,
    InsSite,
    add_policy,
    add_project,
    make_ins_site,
    surrendered,
)

AS_OF = date(2026, 6, 1)


def rows(site: InsSite, kind: str, as_of: date = AS_OF, **filters: object) -> list[dict[str, object]]:
    spec = check_spec(kind, as_of)
    keys = ["id", *(c.key for c in spec.columns)]
    with site.station.db.read() as s:
        out = [dict(zip(keys, r, strict=True)) for r in spec.page(s, ListQuery(filters=dict(filters), limit=1000))]
        assert spec.count(s, ListQuery(filters=dict(filters))) == len(out)
    return out


@pytest.fixture
def site(station: Station) -> InsSite:
    return make_ins_site(station)


def test_gaps_adjacent_one_day_leading_trailing_and_none(site: InsSite) -> None:
    a = add_project(site, "A 连续投保", start=date(2025, 3, 1))
    add_policy(site, a, date(2025, 3, 1), date(2025, 8, 31))
    add_policy(site, a, date(2025, 9, 1), date(2026, 2, 28))  # the next day: no gap
    add_policy(site, a, date(2026, 3, 2), None)  # one day missed: 2026-03-01
    b = add_project(site, "B 晚一天投保、到期未续", start=date(2025, 5, 1))
    add_policy(site, b, date(2025, 5, 2), date(2025, 12, 31))
    c = add_project(site, "C 至竣工验收备案", start=date(2024, 3, 1), status="已竣工", finish=date(2025, 12, 20),
                    filing=date(2026, 1, 15))
    add_policy(site, c, date(2024, 3, 1), None)
    d = add_project(site, "D 从未投保", start=date(2025, 1, 1))
    add_project(site, "E 未开工", start=None, status="未开工")

    got = sorted((r["project"], r["gap_from"], r["gap_to"], r["days"], r["before_no"] is not None,
                  r["after_no"] is not None) for r in rows(site, "gaps"))
    assert got == [
        ("A 连续投保", date(2026, 3, 1), date(2026, 3, 1), 1, True, True),
        ("B 晚一天投保、到期未续", date(2025, 5, 1), date(2025, 5, 1), 1, False, True),
        ("B 晚一天投保、到期未续", date(2026, 1, 1), AS_OF, 152, True, False),
        ("D 从未投保", date(2025, 1, 1), AS_OF, (AS_OF - date(2025, 1, 1)).days + 1, False, False),
    ]
    ongoing = {r["project"]: r["ongoing"] for r in rows(site, "gaps") if r["gap_to"] == AS_OF}
    assert set(ongoing.values()) == {"至今未续保"}
    # the project filter and the ids behind each row
    only_b = rows(site, "gaps", project_id=b)
    assert {r["id"] for r in only_b} == {b} and len(only_b) == 2
    assert d in {r["id"] for r in rows(site, "gaps")}
    # on the day before the missed day A has no gap yet
    assert not [r for r in rows(site, "gaps", as_of=date(2026, 2, 28)) if r["id"] == a]
    assert c not in {r["id"] for r in rows(site, "gaps")}


def test_gap_after_surrender_and_cover_ending_at_filing(site: InsSite) -> None:
    e = add_project(site, "E 退保", start=date(2025, 1, 1))
    p = add_policy(site, e, date(2025, 1, 1), date(2026, 12, 31))
    with site.station.db.write() as s:
        update_policy(s, site.station.clerk, surrendered(p, date(2026, 4, 30)))
    f = add_project(site, "F 备案前到期", start=date(2024, 1, 1), status="已竣工", finish=date(2025, 12, 1),
                    filing=date(2026, 1, 10))
    add_policy(site, f, date(2024, 1, 1), date(2026, 1, 9))  # one day short of the filing date
    got = {(r["project"], r["gap_from"], r["gap_to"]) for r in rows(site, "gaps")}
    assert got == {("E 退保", date(2026, 5, 1), AS_OF), ("F 备案前到期", date(2026, 1, 10), date(2026, 1, 10))}
    early = rows(site, "early_surrender")
    assert [(r["policy_no"], r["status"], r["status_date"]) for r in early] == [
        (p.policy_no, "退保", date(2026, 4, 30))]
    assert {r["id"] for r in rows(site, "uninsured")} == {e}


def test_uninsured_today_edges(site: InsSite) -> None:
    ends_today = add_project(site, "止期当天", start=date(2025, 6, 1))
    add_policy(site, ends_today, date(2025, 6, 1), AS_OF)
    ended = add_project(site, "昨天到期", start=date(2025, 6, 1))
    add_policy(site, ended, date(2025, 6, 1), AS_OF - timedelta(days=1))
    starts_tomorrow = add_project(site, "明天起保", start=date(2026, 5, 1))
    add_policy(site, starts_tomorrow, AS_OF + timedelta(days=1), date(2027, 5, 1))
    suspended = add_project(site, "停工无保单", start=date(2025, 6, 1), status="停工")
    add_project(site, "已竣工无保单", start=date(2024, 1, 1), status="已竣工", finish=date(2025, 1, 1))
    got = {r["id"]: r for r in rows(site, "uninsured")}
    assert set(got) == {ended, starts_tomorrow, suspended}
    assert got[ended]["last_end"] == AS_OF - timedelta(days=1)
    assert got[suspended]["last_no"] is None


def test_expiring_within_warning_days_without_renewal(site: InsSite) -> None:
    at30 = add_project(site, "30天后到期", start=date(2025, 6, 1))
    p30 = add_policy(site, at30, date(2025, 6, 1), AS_OF + timedelta(days=30))
    at31 = add_project(site, "31天后到期", start=date(2025, 6, 1))
    add_policy(site, at31, date(2025, 6, 1), AS_OF + timedelta(days=31))
    renewed = add_project(site, "已续保", start=date(2025, 6, 1))
    add_policy(site, renewed, date(2025, 6, 1), AS_OF + timedelta(days=10))
    add_policy(site, renewed, AS_OF + timedelta(days=11), date(2027, 6, 1))
    late = add_project(site, "续保晚一天", start=date(2025, 6, 1))
    p_late = add_policy(site, late, date(2025, 6, 1), AS_OF + timedelta(days=10))
    add_policy(site, late, AS_OF + timedelta(days=12), date(2027, 6, 1))
    open_end = add_project(site, "至竣工", start=date(2025, 6, 1))
    add_policy(site, open_end, date(2025, 6, 1), None)
    got = {r["policy_no"]: r["left"] for r in rows(site, "expiring")}
    assert got == {p30.policy_no: 30, p_late.policy_no: 10}
    with site.station.db.read() as s:
        assert check_spec("expiring", AS_OF, days=31).count(s, ListQuery()) == 3


def test_low_limit_by_rule_in_force_on_start(site: InsSite) -> None:
    p = add_project(site, "限额项目", start=date(2024, 1, 1))
    old = add_policy(site, p, date(2024, 1, 1), date(2025, 3, 31), death_limit_fen=30 * WAN)  # 2017 rule: 30万
    low = add_policy(site, p, date(2025, 4, 1), date(2026, 3, 31), death_limit_fen=30 * WAN,
                     below_minimum_reason="保险公司按旧条款出单，已要求批改")
    add_policy(site, p, date(2026, 4, 1), date(2027, 3, 31), death_limit_fen=40 * WAN)
    got = rows(site, "low_limit")
    assert [(r["policy_no"], r["limit"], r["minimum"], r["rule"], r["reason"]) for r in got] == [
        (low.policy_no, 30 * WAN, 40 * WAN, "应急〔2025〕27号", "保险公司按旧条款出单，已要求批改")]
    assert old.policy_no not in {r["policy_no"] for r in got}


def test_wrong_insured(site: InsSite) -> None:
    p = add_project(site, "总包项目", start=date(2025, 6, 1))
    wrong = add_policy(site, p, date(2025, 6, 1), date(2026, 12, 31), insured_id=site.other)
    q = add_project(site, "总包项目二", start=date(2025, 6, 1))
    add_policy(site, q, date(2025, 6, 1), date(2026, 12, 31))
    direct = add_project(site, "建设单位直接发包", start=date(2025, 6, 1), gc=None, subs=(site.other,))
    add_policy(site, direct, date(2025, 6, 1), date(2026, 12, 31), insured_id=site.other)
    stranger = add_project(site, "无总包、投保单位不在参建单位中", start=date(2025, 6, 1), gc=None)
    odd = add_policy(site, stranger, date(2025, 6, 1), date(2026, 12, 31), insured_id=site.other)
    past = add_project(site, "历史保单", start=date(2024, 6, 1))
    add_policy(site, past, date(2024, 6, 1), date(2025, 5, 31), insured_id=site.other)  # ended before today
    got = rows(site, "wrong_insured")
    assert sorted((r["policy_no"], r["insured"], r["contractor"] or "") for r in got) == [
        (wrong.policy_no, "连云港恒达建设有限公司", "江苏东海建工集团有限公司"), (odd.policy_no, "连云港恒达建设有限公司", "")]
    assert got[0]["gc_uscc"] != got[0]["insured_uscc"]
    assert rows(site, "wrong_insured", grid_id=-1) == []


def test_summary_counts(site: InsSite) -> None:
    a = add_project(site, "在保", start=date(2025, 3, 1))
    add_policy(site, a, date(2025, 3, 1), None)
    b = add_project(site, "断保", start=date(2025, 3, 1))
    add_policy(site, b, date(2025, 3, 1), date(2025, 12, 31))
    add_policy(site, b, date(2026, 2, 1), date(2026, 6, 20), death_limit_fen=30 * WAN, below_minimum_reason="旧条款")
    add_project(site, "未投保", start=date(2025, 3, 1), status="停工")
    with site.station.db.read() as s:
        summary = insurance_summary(s, AS_OF)
    assert (summary.active_projects, summary.insured, summary.uninsured) == (3, 2, 1)
    assert (summary.gap_projects, summary.gaps) == (2, 2)
    assert (summary.expiring, summary.low_limit, summary.wrong_insured, summary.early_surrender) == (1, 1, 0, 0)
    assert summary.counts()["gaps"] == 2


def test_policy_list_filters_and_excel_export(site: InsSite, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from station_app.exports.excel_list import export_list_xlsx
    from station_app.services.insurance.policy_table import POLICY_LIST

    a = add_project(site, "列表项目甲", start=date(2025, 3, 1))
    ok = add_policy(site, a, date(2025, 3, 1), None)
    b = add_project(site, "列表项目乙", start=date(2025, 3, 1))
    low = add_policy(site, b, date(2025, 4, 1), None, death_limit_fen=30 * WAN, below_minimum_reason="旧条款",
                     insured_id=site.other)
    with site.station.db.read() as s:
        def nos(**filters: object) -> list[str]:
            idx = 1 + [c.key for c in POLICY_LIST.columns].index("policy_no")
            return [r[idx] for r in POLICY_LIST.page(s, ListQuery(filters=dict(filters)))]

        assert nos() == [low.policy_no, ok.policy_no]
        assert nos(problem="low_limit") == [low.policy_no]
        assert nos(problem="wrong_insured") == [low.policy_no]
        assert nos(problem="gaps") == [low.policy_no]  # 乙 was uncovered 2025-03-01 … 03-31
        assert nos(contractor_id=site.gc) == [ok.policy_no]
        assert nos(grid_id=site.grid, status="有效") == [low.policy_no, ok.policy_no]
        assert nos(grid_id=-1) == []
        assert POLICY_LIST.count(s, ListQuery(text="列表项目甲")) == 1
        path = tmp_path / "保单.xlsx"
        result = export_list_xlsx(s, POLICY_LIST, ListQuery(filters={"problem": "low_limit"}), path,
                                  sheet_title="安责险保单")
        gaps_path = tmp_path / "断保.xlsx"
        export_list_xlsx(s, check_spec("gaps", AS_OF), ListQuery(), gaps_path, sheet_title="断保")
    assert result.rows == 1
    ws = load_workbook(path).active
    assert ws is not None
    header = [c.value for c in ws[2]]  # row 1: the title, row 2: the header
    row = dict(zip(header, [c.value for c in ws[3]], strict=True))
    assert row["保单号"] == low.policy_no and row["每人死亡伤残限额（元）"] == 300000
    assert row["止期约定"] == "至竣工验收备案" and ws.max_row == 3
    gs = load_workbook(gaps_path).active
    assert gs is not None
    grows = [[c.value for c in r] for r in gs.iter_rows(min_row=3)]
    assert [(r[0], r[6]) for r in grows] == [("列表项目乙", 31)]


def test_closed_projects_need_cover_until_their_finish(site: InsSite) -> None:
    done = add_project(site, "已竣工未备案", start=date(2025, 1, 1), status="已竣工", finish=date(2026, 1, 31))
    add_policy(site, done, date(2025, 1, 1), date(2026, 1, 31))  # to the finish: no gap after it
    short = add_project(site, "已竣工、保单早到期", start=date(2025, 1, 1), status="已竣工", finish=date(2026, 1, 31))
    add_policy(site, short, date(2025, 1, 1), date(2026, 1, 20))
    add_project(site, "终止监督、无竣工日期", start=date(2025, 1, 1), status="终止监督")
    got = [(r["project"], r["gap_from"], r["gap_to"]) for r in rows(site, "gaps")]
    assert got == [("已竣工、保单早到期", date(2026, 1, 21), date(2026, 1, 31))]


def test_summaries_on_several_days_match_each_day_computed_alone(site: InsSite) -> None:
    """The multi-day counts cut the latest day's gaps at each earlier day: the same as gap_rows run for that
    day alone, across the edge days; and on a day the statuses agree with the dates, the same as the home
    card's summary."""
    from sqlalchemy import Date, func, literal, select

    from station_app.services.insurance.gaps import gap_rows
    from station_app.services.insurance.history import insurance_summaries

    a = add_project(site, "A 连续投保", start=date(2025, 3, 1))
    add_policy(site, a, date(2025, 3, 1), date(2025, 8, 31))
    add_policy(site, a, date(2025, 9, 1), date(2026, 2, 28))
    add_policy(site, a, date(2026, 3, 2), None)
    b = add_project(site, "B 晚一天投保、到期未续", start=date(2025, 5, 1))
    add_policy(site, b, date(2025, 5, 2), date(2025, 12, 31))
    c = add_project(site, "C 至竣工验收备案", start=date(2024, 3, 1), status="已竣工", finish=date(2025, 12, 20),
                    filing=date(2026, 1, 15))
    add_policy(site, c, date(2024, 3, 1), None)
    add_project(site, "D 从未投保", start=date(2025, 1, 1))
    e = add_project(site, "E 退保后未再投保", start=date(2024, 9, 1), status="停工")
    gone = add_policy(site, e, date(2024, 9, 1), date(2025, 8, 31))
    with site.station.db.write() as s:
        update_policy(s, site.station.clerk, surrendered(gone, date(2025, 4, 30)))
    days = [date(2024, 2, 29), date(2024, 12, 31), date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2),
            date(2025, 12, 31), date(2026, 1, 1), date(2026, 3, 1), date(2026, 3, 2), AS_OF]
    with site.station.db.read() as s:
        together = insurance_summaries(s, days)
        for day in days:
            g = gap_rows(literal(day, Date)).subquery()
            alone = s.execute(select(func.count(), func.count(func.distinct(g.c.project_id)))).one()
            assert (together[day].gaps, together[day].gap_projects) == tuple(alone), day
            assert together[day] == insurance_summaries(s, [day])[day], day
        card = insurance_summary(s, AS_OF)
    assert together[AS_OF] == card
    assert [(together[d].active_projects, together[d].uninsured) for d in days] == [
        (0, 0), (2, 0), (4, 1), (5, 3), (5, 2), (4, 2), (4, 3), (4, 4), (4, 3), (4, 3)]
    assert together[date(2024, 12, 31)].gaps == 0 and together[AS_OF].early_surrender == 1
    assert together[date(2025, 4, 30)].early_surrender == 1 and together[date(2024, 12, 31)].early_surrender == 0
