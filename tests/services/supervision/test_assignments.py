"""Project supervisors with effective-date history, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from station_app.errors import PermissionDenied, ValidationError
from station_app.services import audit
from station_app.services.supervision.assignments import (
    assignment_history,
    end_team,
    principal_on,
    set_team,
    supervisor_choices,
    team_on,
)
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import add_project, add_user, disable_user


def test_history_answers_who_was_principal_on_a_day(station: Station) -> None:
    sup3 = add_user(station, "sup3", "孙监督")
    pid = add_project(station, "东海花园1#楼")
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    assert a is not None and b is not None and sup3.user_id is not None
    with station.db.write() as s:
        set_team(s, station.chief, pid, a, [b], date(2025, 1, 10))
    with station.db.write() as s:
        team = set_team(s, station.chief, pid, sup3.user_id, [b], date(2025, 4, 1), note="张监督调岗")
    assert team.principal_name == "孙监督" and team.second_names == ("赵监督",)
    with station.db.read() as s:
        assert principal_on(s, pid, date(2025, 3, 15)) == a
        assert principal_on(s, pid, date(2025, 3, 31)) == a
        assert principal_on(s, pid, date(2025, 4, 1)) == sup3.user_id
        assert principal_on(s, pid, date(2025, 1, 9)) is None
        march = team_on(s, pid, date(2025, 3, 15))
        assert march.label == "张监督（主）、赵监督"
        history = assignment_history(s, pid)
    rows = {(r.user_name, r.role): (r.effective_from, r.effective_to) for r in history}
    assert rows == {
        ("张监督", "主监督员"): (date(2025, 1, 10), date(2025, 4, 1)),
        ("赵监督", "第二监督员"): (date(2025, 1, 10), None),  # unchanged: one continuous row
        ("孙监督", "主监督员"): (date(2025, 4, 1), None),
    }


def test_team_needs_two_distinct_active_supervisors(station: Station) -> None:
    pid = add_project(station, "城南小学")
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    clerk = station.clerk.user_id
    assert a is not None and b is not None and clerk is not None
    cases = [
        (a, [], "第二监督员"),
        (a, [a], "第二监督员"),
        (None, [b], "主监督员"),
        (a, [b, b], "第二监督员"),
        (a, [clerk], "第二监督员"),
    ]
    for principal, seconds, field in cases:
        with pytest.raises(ValidationError) as err, station.db.write() as s:
            set_team(s, station.chief, pid, principal, seconds, date(2025, 2, 1))
        assert field in err.value.errors, (principal, seconds, err.value.errors)
    disable_user(station, b)
    with pytest.raises(ValidationError, match="已停用"), station.db.write() as s:
        set_team(s, station.chief, pid, a, [b], date(2025, 2, 1))
    with station.db.read() as s:
        assert assignment_history(s, pid) == []  # nothing half-saved
        assert b not in [c.id for c in supervisor_choices(s)]


def test_dates_append_to_history_and_same_day_corrections(station: Station) -> None:
    pid = add_project(station, "滨河路改造")
    a, b, chief = station.supervisor.user_id, station.supervisor2.user_id, station.chief.user_id
    assert a is not None and b is not None and chief is not None
    with station.db.write() as s:
        set_team(s, station.chief, pid, a, [b], date(2025, 3, 1))
    with pytest.raises(ValidationError, match="最近一次调整日期（2025年3月1日）"), station.db.write() as s:
        set_team(s, station.chief, pid, b, [a], date(2025, 2, 1))
    with pytest.raises(ValidationError, match="不能晚于今天"), station.db.write() as s:
        set_team(s, station.chief, pid, b, [a], date(2999, 1, 1))
    with station.db.write() as s:  # corrected the same day: no empty period is left behind
        set_team(s, station.chief, pid, chief, [b], date(2025, 3, 1))
    with station.db.read() as s:
        history = assignment_history(s, pid)
    assert [(r.user_id, r.role, r.effective_to) for r in history] == [(chief, "主监督员", None), (b, "第二监督员", None)]
    with station.db.write() as s:
        end_team(s, station.chief, pid, date(2025, 9, 30))
    with station.db.read() as s:
        assert team_on(s, pid, date(2025, 9, 30)).member_ids == ()
        assert team_on(s, pid, date(2025, 9, 29)).member_ids == (chief, b)


def test_project_not_in_supervision_refused(station: Station) -> None:
    pid = add_project(station, "已竣工项目", status="竣工待验")
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    assert a is not None and b is not None
    with station.db.write() as s:
        set_team(s, station.chief, pid, a, [b], date(2025, 1, 1))
    with station.db.write() as s:
        from station_app.models import Project

        p = s.get(Project, pid)
        assert p is not None
        p.status, p.actual_finish = "已竣工", date(2025, 5, 1)
    with pytest.raises(ValidationError, match="不在监督中"), station.db.write() as s:
        set_team(s, station.chief, pid, b, [a], date(2025, 6, 1))


def test_only_chief_and_admin_assign(station: Station) -> None:
    pid = add_project(station, "工业园厂房")
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    assert a is not None and b is not None
    for actor in (station.supervisor, station.clerk, station.readonly):
        with pytest.raises(PermissionDenied, match="调整项目监督员"), station.db.write() as s:
            set_team(s, actor, pid, a, [b])
    with station.db.write() as s:
        set_team(s, station.chief, pid, a, [b])
    with station.db.read() as s:
        entries = audit.list_audit(s, station.admin, audit.AuditFilter(entity_type="supervision"))
    assert len(entries) == 1 and "张监督（主）、赵监督" in entries[0].summary
