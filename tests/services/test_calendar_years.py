"""法定节假日安排 through the service, on SQLite and PostgreSQL: the reminder, saving a year (row, audit,
provisional dates recomputed in the same transaction), confirmation before replacing, nothing half-saved."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from station_app.errors import PermissionDenied, ValidationError
from station_app.models import AuditEntry, Hazard, ReferenceRow
from station_app.rules import calendar
from station_app.rules.holiday_arrangement import Arrangement
from station_app.services import reference
from station_app.services.calendar_years import (
    ArrangementExists,
    calendar_status,
    diff_arrangement,
    existing_arrangement,
    read_holiday_file,
    save_and_reload,
    save_arrangement,
)
from station_app.services.deadline_refresh import provisional_count
from tests.conftest import Station
from tests.rules.holiday_data import INVENTED_2027, REAL_2026, entry, holiday_cn_text
from tests.services.hazards.hazard_fixtures import HazardSite, hazard_input, make_hazard_site, register
from tests.services.inspections.inspection_fixtures import make_site

#: late December: an ordinary hazard's 7 days reach into 2027, which has no holiday data yet
NOW = datetime(2026, 12, 28, 10, 0)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def hs(station: Station, tmp_path: Path, frozen: None) -> HazardSite:
    return make_hazard_site(make_site(station), tmp_path)


def _calendar_rows(st: Station) -> list[ReferenceRow]:
    with st.db.read() as s:
        return list(s.scalars(select(ReferenceRow).where(ReferenceRow.dataset == "calendar_years")))


def _audits(st: Station, summary_like: str) -> int:
    with st.db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.summary.like(f"%{summary_like}%"))) or 0


def test_the_reminder_starts_on_the_configured_day(station: Station) -> None:
    with station.db.read() as s:
        before = calendar_status(s, date(2026, 10, 31))
        on = calendar_status(s, date(2026, 11, 1))
        january = calendar_status(s, date(2027, 1, 5))
    assert 2027 not in calendar.known_years()  # the premise: nothing ships 2027
    assert before.first_unknown == 2027 and before.due_year is None and before.card_title == ""
    assert on.due_year == 2027 and on.card_title == "2027年法定节假日安排尚未录入"
    assert january.due_year == 2027  # the year has begun and is still missing
    assert [k.label for k in on.known if k.year == 2026] == ["程序自带（chinese-calendar）"]
    with station.db.write() as s:  # the admin moves the reminder to 1 December
        row = next(r for r in reference.list_rows(s, "rule_constants") if r.key == "calendar_reminder_month")
        reference.edit_row(s, station.admin, row.id, {**row.payload, "value": "12"})
    reference.load_into_rules(station.db)
    with station.db.read() as s:
        assert calendar_status(s, date(2026, 11, 30)).due_year is None
        assert calendar_status(s, date(2026, 12, 1)).due_year == 2027


def test_saving_a_year_recomputes_its_provisional_deadlines(hs: HazardSite) -> None:
    st = hs.station
    late = register(hs, hazard_input(hs, found_on=date(2026, 12, 25)))  # 7 days → Fri 2027-01-01
    early = register(hs, hazard_input(hs, found_on=date(2026, 12, 1)))
    with st.db.read() as s:
        assert provisional_count(s, 2027) == 1
        assert calendar_status(s, NOW.date()).provisional == 1
        h = s.get(Hazard, late.id)
        assert h is not None and (h.deadline, h.deadline_provisional) == (date(2027, 1, 1), True)

    result = save_and_reload(st.db, st.admin, INVENTED_2027)

    assert result.year == 2027 and not result.replaced and result.changes == []
    (moved,) = result.moved
    assert (moved.kind, moved.record_id, moved.old_day, moved.new_day) == ("hazard", late.id, date(2027, 1, 1),
                                                                           date(2027, 1, 4))
    assert moved.record.endswith("整改期限") and not moved.still_provisional
    with st.db.read() as s:
        h = s.get(Hazard, late.id)
        assert h is not None and (h.deadline, h.deadline_provisional) == (date(2027, 1, 4), False)
        other = s.get(Hazard, early.id)
        assert other is not None and other.deadline == date(2026, 12, 8)
        assert provisional_count(s) == 0
        assert existing_arrangement(s, 2027) == (INVENTED_2027, "admin")
    (row,) = _calendar_rows(st)
    payload = json.loads(row.payload_json)
    assert payload["year"] == 2027 and "2027-02-05" in payload["holidays"] and payload["key"] == "2027"
    assert _audits(st, "新增参考数据 calendar_years/2027") == 1 and _audits(st, "重算") == 1
    assert calendar.calendar_source(2027) == "admin" and not calendar.is_working_day(date(2027, 2, 8))


def test_a_year_with_data_is_replaced_only_when_confirmed(station: Station) -> None:
    save_and_reload(station.db, station.admin, INVENTED_2027)
    spring = entry("春节", "2027-02-04", "2027-02-12", "2027-01-31", "2027-02-20")
    changed = Arrangement(2027, tuple(spring if e.name == "春节" else e for e in INVENTED_2027.entries))
    with pytest.raises(ArrangementExists) as info:
        save_and_reload(station.db, station.admin, changed)
    assert info.value.changes == [
        "春节：2027年2月5日至2月13日放假，1月31日、2月20日调休上班 → 2027年2月4日至2月12日放假，1月31日、2月20日调休上班",
        "2月4日由工作日改为休息日"]
    assert "2027年已有节假日安排" in str(info.value)
    (row,) = _calendar_rows(station)
    assert "2027-02-04" not in json.loads(row.payload_json)["holidays"]  # untouched

    result = save_and_reload(station.db, station.admin, changed, replace=True)
    assert result.replaced and result.changes == info.value.changes
    (row,) = _calendar_rows(station)
    assert "2027-02-04" in json.loads(row.payload_json)["holidays"]
    assert _audits(station, "修改参考数据 calendar_years/2027") == 1
    assert not calendar.is_working_day(date(2027, 2, 4))


def test_a_shipped_year_needs_confirmation_too(station: Station) -> None:
    with station.db.write() as s, pytest.raises(ArrangementExists) as info:
        save_arrangement(s, station.admin, REAL_2026)
    assert info.value.changes == []  # the same as chinese-calendar's
    assert diff_arrangement(REAL_2026, REAL_2026) == []


def test_bad_input_names_the_field_and_saves_nothing(station: Station) -> None:
    bad = Arrangement(2027, tuple(entry("春节", "2027-02-05", "2027-02-13", "2027-02-03") if e.name == "春节"
                                  else e for e in INVENTED_2027.entries))
    with station.db.write() as s, pytest.raises(ValidationError) as info:
        save_arrangement(s, station.admin, bad)
    assert info.value.errors == {"春节 调休上班日": "2027年2月3日是星期三，调休上班日应为周六或周日"}
    with station.db.write() as s, pytest.raises(PermissionDenied):
        save_arrangement(s, station.clerk, INVENTED_2027)
    assert _calendar_rows(station) == [] and _audits(station, "calendar_years") == 0


def test_reading_a_file(tmp_path: Path) -> None:
    good = tmp_path / "2027.json"
    good.write_text(holiday_cn_text(INVENTED_2027), encoding="utf-8")
    assert read_holiday_file(good) == INVENTED_2027
    with pytest.raises(ValidationError) as info:
        read_holiday_file(good, 2028)
    assert info.value.errors == {"第2行": "文件是2027年的安排，不是2028年的"}
    (tmp_path / "gbk.json").write_bytes("{\"year\": 2027, \"days\": [\"春节\"]}".encode("gbk"))
    with pytest.raises(ValidationError, match="不是 UTF-8 编码"):
        read_holiday_file(tmp_path / "gbk.json")
    with pytest.raises(ValidationError, match="无法读取"):
        read_holiday_file(tmp_path / "missing.json")
