"""Grids: list with leaders and counts, edits, the 网格长 history, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from station_app.errors import DuplicateRecord, PermissionDenied, ValidationError
from station_app.services.supervision.grids import (
    create_grid,
    get_grid,
    grid_leader_history,
    grid_leader_on,
    list_grid_rows,
    set_grid_leader,
    update_grid,
)
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import add_project


def test_grid_with_leader_history_and_counts(station: Station) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    with station.db.write() as s:
        g = create_grid(s, station.chief, "  石榴街道网格 ", towns="石榴街道、牛山街道", leader_id=a,
                        effective_from=date(2025, 1, 1))
    assert g.name == "石榴街道网格" and g.leader_name == "张监督" and g.project_count == 0
    add_project(station, "石榴小区", grid_id=g.id)
    add_project(station, "未开工项目", grid_id=g.id, status="未开工")
    with station.db.write() as s:
        row = set_grid_leader(s, station.chief, g.id, b, date(2025, 4, 1))
    assert row.leader_name == "赵监督" and row.project_count == 2
    with station.db.read() as s:
        assert grid_leader_on(s, g.id, date(2025, 3, 31)) == a
        assert grid_leader_on(s, g.id, date(2025, 4, 1)) == b
        assert [(t.user_name, t.effective_to) for t in grid_leader_history(s, g.id)] == [
            ("张监督", date(2025, 4, 1)), ("赵监督", None)]
        assert [r.name for r in list_grid_rows(s)] == ["石榴街道网格"]


def test_grid_validation_and_roles(station: Station) -> None:
    with pytest.raises(PermissionDenied, match="维护网格"), station.db.write() as s:
        create_grid(s, station.supervisor, "某网格")
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        create_grid(s, station.chief, " ", leader_id=station.clerk.user_id)
    assert err.value.errors["网格名称"] == "必填"
    assert "网格长须为监督员或站长" in err.value.errors["网格长"]
    with station.db.write() as s:
        g = create_grid(s, station.chief, "城北网格")
        create_grid(s, station.chief, "城南网格")
    with pytest.raises(DuplicateRecord), station.db.write() as s:
        update_grid(s, station.chief, g.id, name="城南网格", towns="")
    add_project(station, "城北项目", grid_id=g.id)
    with pytest.raises(ValidationError, match="还有1个在监项目"), station.db.write() as s:
        update_grid(s, station.chief, g.id, name="城北网格", towns="", active=False)
    with station.db.write() as s:
        row = update_grid(s, station.chief, g.id, name="城北片区网格", towns="青湖镇", expected_version=g.version)
    assert row.name == "城北片区网格" and row.towns == "青湖镇"
    with pytest.raises(ValidationError, match="任职日期"), station.db.write() as s:
        set_grid_leader(s, station.chief, g.id, station.supervisor.user_id, date(2999, 1, 1))
    with station.db.read() as s:
        assert get_grid(s, g.id).leader_id is None
