"""Reference data: shipped rows in the database, an admin edit takes effect and is audited, 恢复默认."""

from __future__ import annotations

from datetime import date

import pytest

from station_app.errors import PermissionDenied, ValidationError
from station_app.rules.insurance import min_death_disability_cover
from station_app.services import audit, reference
from tests.conftest import Station


def _row(station: Station, dataset: str, key: str) -> reference.RefRowInfo:
    with station.db.read() as s:
        return next(r for r in reference.list_rows(s, dataset) if r.key == key)


def test_every_shipped_dataset_is_in_the_database(station: Station) -> None:
    titles = reference.dataset_titles()
    with station.db.read() as s:
        stored = reference.stored_datasets(s)
    for name in titles:
        assert name in stored or not reference._shipped()[name], name


def test_edit_takes_effect_is_audited_and_restores(station: Station) -> None:
    assert min_death_disability_cover(date(2026, 1, 1)) == 400_000
    row = _row(station, "insurance_minimums", "全国-2025")
    with pytest.raises(PermissionDenied), station.db.write() as s:
        reference.edit_row(s, station.chief, row.id, {**row.payload, "min_death_disability_yuan": 500_000})
    with station.db.write() as s:
        reference.edit_row(s, station.admin, row.id, {**row.payload, "min_death_disability_yuan": 500_000})
    reference.load_into_rules(station.db)
    assert min_death_disability_cover(date(2026, 1, 1)) == 500_000
    assert min_death_disability_cover(date(2024, 1, 1)) == 300_000
    edited = _row(station, "insurance_minimums", "全国-2025")
    assert edited.modified
    with station.db.read() as s:
        entry = audit.list_audit(s, station.admin, audit.AuditFilter(entity_type="reference"))[0]
    assert entry.before == {"min_death_disability_yuan": 400_000}
    assert entry.after == {"min_death_disability_yuan": 500_000}
    # a restart (sync of the shipped data) keeps the admin's value
    reference.load_into_rules(station.db)
    assert min_death_disability_cover(date(2026, 1, 1)) == 500_000
    with station.db.write() as s:
        reference.restore_default(s, station.admin, row.id)
    reference.load_into_rules(station.db)
    assert min_death_disability_cover(date(2026, 1, 1)) == 400_000
    assert not _row(station, "insurance_minimums", "全国-2025").modified


def test_bad_value_refused_nothing_saved(station: Station) -> None:
    row = _row(station, "insurance_minimums", "全国-2025")
    with pytest.raises(ValidationError), station.db.write() as s:
        reference.edit_row(s, station.admin, row.id, {**row.payload, "min_death_disability_yuan": "四十万"})
    assert _row(station, "insurance_minimums", "全国-2025").payload == row.payload


def test_admin_enters_next_years_holidays(station: Station) -> None:
    from station_app.rules.calendar import add_working_days, is_working_day
    from station_app.rules.errors import CalendarYearUnknown

    with pytest.raises(CalendarYearUnknown, match="2027"):
        is_working_day(date(2027, 1, 4))
    payload = {"key": "2027", "year": 2027, "holidays": ["2027-01-01"], "workdays": [],
               "source": "国务院办公厅通知（管理员录入）", "confidence": "V", "effective_from": None,
               "effective_to": None, "note": ""}
    with station.db.write() as s:
        reference.add_row(s, station.admin, "calendar_years", payload)
    reference.load_into_rules(station.db)
    assert not is_working_day(date(2027, 1, 1))
    # 2026-12-31 (Thu) + 1 working day skips the 2027 New Year holiday and lands on Monday 01-04
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
