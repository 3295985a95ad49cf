"""Bulk reassignment: the preview is what is applied, in one audit entry, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from station_app.errors import PermissionDenied, StaleRecord, ValidationError
from station_app.models import AuditEntry, Project
from station_app.services import audit
from station_app.services.supervision.assignments import set_team, team_on, teams_on
from station_app.services.supervision.reassignment import (
    ReassignmentSpec,
    apply_reassignment,
    preview_reassignment,
)
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import add_grid, add_project, add_user, disable_user


def _audit_count(station: Station) -> int:
    with station.db.read() as s:
        return s.scalar(select(func.count(AuditEntry.id))) or 0


def test_supervisor_leaves_preview_equals_applied_one_audit_entry(station: Station) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    c = add_user(station, "sup3", "孙监督").user_id
    d = add_user(station, "sup4", "李接替").user_id
    assert a and b and c and d
    p1, p2, p3, p4 = (add_project(station, n) for n in ("甲项目", "乙项目", "丙项目", "丁项目"))
    with station.db.write() as s:
        set_team(s, station.chief, p1, a, [b], date(2025, 1, 1))
        set_team(s, station.chief, p2, a, [c], date(2025, 1, 1))
        set_team(s, station.chief, p3, c, [a, b], date(2025, 1, 1))
        set_team(s, station.chief, p4, b, [c], date(2025, 1, 1))  # not Zhang's: untouched
    spec = ReassignmentSpec(effective_from=date(2025, 5, 1), reason="张监督调离", from_user_id=a, to_user_id=d)
    with station.db.read() as s:
        preview = preview_reassignment(s, station.chief, spec)
    assert [i.project_name for i in preview.items] == ["丙项目", "乙项目", "甲项目"]  # by name
    assert preview.ok and preview.changed_count == 3
    by_name = {i.project_name: i for i in preview.items}
    assert by_name["甲项目"].principal_after == "李接替" and by_name["甲项目"].seconds_after == ("赵监督",)
    assert by_name["丙项目"].principal_after == "孙监督" and by_name["丙项目"].seconds_after == ("赵监督", "李接替")
    before_audit = _audit_count(station)
    with station.db.write() as s:
        applied = apply_reassignment(s, station.chief, spec, confirmed=preview)
    assert applied == preview
    assert _audit_count(station) == before_audit + 1
    with station.db.read() as s:
        teams = teams_on(s, [p1, p2, p3, p4], date(2025, 5, 1))
        for item in preview.items:
            team = teams[item.project_id]
            assert (team.principal_id, team.second_ids) == (item.principal_id_after, item.second_ids_after)
        assert teams[p4].member_ids == (b, c)
        assert team_on(s, p1, date(2025, 4, 30)).principal_id == a  # history kept
        entry = audit.list_audit(s, station.admin, audit.AuditFilter(entity_type="supervision"))[0]
    assert entry.action == "reassign" and "3个项目" in entry.summary and "张监督调离" in entry.summary
    assert "2025年5月1日起" in entry.summary  # the clerk reads Chinese dates; the stored value stays ISO
    assert entry.after is not None and entry.after["生效日期"] == "2025-05-01"
    assert entry.after is not None and entry.after["调整原因"] == "张监督调离"


def test_grid_split_moves_projects_by_town(station: Station) -> None:
    old = add_grid(station, "城区网格")
    new = add_grid(station, "开发区网格")
    p1 = add_project(station, "开发区标准厂房", grid_id=old, town="开发区")
    p2 = add_project(station, "城中村改造", grid_id=old, town="牛山街道")
    spec = ReassignmentSpec(effective_from=date(2025, 5, 1), reason="网格拆分", from_grid_id=old,
                            towns=("开发区",), to_grid_id=new)
    with station.db.write() as s:
        preview = preview_reassignment(s, station.chief, spec)
        assert [(i.project_id, i.grid_before, i.grid_after) for i in preview.items] == [(p1, "城区网格", "开发区网格")]
        # no team yet is a problem only when the team changes; a grid move alone is fine
        assert preview.ok
        apply_reassignment(s, station.chief, spec, confirmed=preview)
    with station.db.read() as s:
        assert s.get(Project, p1).grid_id == new  # type: ignore[union-attr]
        assert s.get(Project, p2).grid_id == old  # type: ignore[union-attr]


def test_any_problem_refuses_the_whole_operation(station: Station) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    c = add_user(station, "sup3", "孙监督").user_id
    assert a and b and c
    p1, p2 = add_project(station, "甲项目"), add_project(station, "乙项目")
    with station.db.write() as s:
        set_team(s, station.chief, p1, a, [b], date(2025, 1, 1))
        set_team(s, station.chief, p2, b, [a], date(2025, 1, 1))
    # on 乙项目 赵 is principal and 张 the only second: replacing 张 by 赵 leaves no second
    spec = ReassignmentSpec(effective_from=date(2025, 5, 1), reason="调整", from_user_id=a, to_user_id=b)
    with station.db.read() as s:
        preview = preview_reassignment(s, station.chief, spec)
    assert not preview.ok and preview.problem_count == 2  # 甲: 赵 becomes principal and only member too
    before_audit = _audit_count(station)
    with pytest.raises(ValidationError, match="第二监督员"), station.db.write() as s:
        apply_reassignment(s, station.chief, spec)
    assert _audit_count(station) == before_audit
    with station.db.read() as s:
        assert team_on(s, p1, date(2025, 5, 1)).principal_id == a
    disable_user(station, c)
    with station.db.read() as s, pytest.raises(ValidationError, match="已停用"):
        ok = ReassignmentSpec(effective_from=date(2025, 5, 1), reason="调整", from_user_id=a, to_user_id=c)
        apply_reassignment(s, station.chief, ok)


def test_stale_preview_and_bad_spec_refused(station: Station) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    c = add_user(station, "sup3", "孙监督").user_id
    assert a and b and c
    p1 = add_project(station, "甲项目")
    with station.db.write() as s:
        set_team(s, station.chief, p1, a, [b], date(2025, 1, 1))
    spec = ReassignmentSpec(effective_from=date(2025, 5, 1), reason="调整", from_user_id=a, to_user_id=c)
    with station.db.read() as s:
        preview = preview_reassignment(s, station.chief, spec)
    with station.db.write() as s:
        set_team(s, station.chief, p1, a, [c], date(2025, 3, 1))
    with pytest.raises(StaleRecord, match="预览后"), station.db.write() as s:
        apply_reassignment(s, station.chief, spec, confirmed=preview)
    with pytest.raises(ValidationError) as err, station.db.read() as s:
        preview_reassignment(s, station.chief, ReassignmentSpec(effective_from=date(2025, 5, 1), reason=""))
    assert {"调整原因", "调整范围", "调整内容"} <= set(err.value.errors)


def test_supervisor_cannot_reassign_chief_can(station: Station) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    c = add_user(station, "sup3", "孙监督").user_id
    assert a and b and c
    p1 = add_project(station, "甲项目")
    with station.db.write() as s:
        set_team(s, station.chief, p1, a, [b], date(2025, 1, 1))
    spec = ReassignmentSpec(effective_from=date(2025, 5, 1), reason="调整", project_ids=(p1,), new_principal_id=c)
    for actor in (station.supervisor, station.clerk):
        with pytest.raises(PermissionDenied), station.db.write() as s:
            apply_reassignment(s, actor, spec)
        with pytest.raises(PermissionDenied), station.db.read() as s:
            preview_reassignment(s, actor, spec)
    with station.db.write() as s:
        apply_reassignment(s, station.chief, spec)
    with station.db.read() as s:
        assert team_on(s, p1, date(2025, 5, 1)).member_ids == (c, b)
