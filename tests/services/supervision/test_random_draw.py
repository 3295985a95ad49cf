"""双随机 draws: reproducible from the seed, exclusions honoured, the record kept."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from station_app.errors import PermissionDenied, ValidationError
from station_app.services.supervision.assignments import set_team
from station_app.services.supervision.conflicts import declare_conflict, end_conflict, list_conflicts
from station_app.services.supervision.grids import set_grid_leader
from station_app.services.supervision.random_draw import (
    DrawFilters,
    DrawSpec,
    count_pool,
    draw_teams,
    get_draw,
    list_draws,
    run_draw,
    verify_draw,
)
from tests.conftest import Station
from tests.services.supervision.supervision_fixtures import (
    add_enterprise,
    add_grid,
    add_inspection,
    add_project,
    add_user,
)

TODAY = date(2025, 6, 30)


def test_algorithm_is_pure_and_balances_load() -> None:
    first = draw_teams(range(1, 21), [11, 12, 13, 14], set(), 6, 2, 42)
    assert first == draw_teams(list(reversed(range(1, 21))), [14, 13, 12, 11], set(), 6, 2, 42)
    assert first != draw_teams(range(1, 21), [11, 12, 13, 14], set(), 6, 2, 43)
    load: dict[int, int] = {}
    for _, team in first[0]:
        assert len(set(team)) == 2
        for u in team:
            load[u] = load.get(u, 0) + 1
    assert sorted(load.values()) == [3, 3, 3, 3]
    chosen, skipped = draw_teams([1, 2], [11, 12, 13], {(11, 1), (12, 1)}, 1, 2, 7)
    assert chosen == [(2, chosen[0][1])] and skipped in ([], [1])


def test_draw_reproducible_from_seed_and_recorded(station: Station) -> None:
    grid = add_grid(station, "城区网格")
    for i in range(6):
        add_project(station, f"项目{i}", grid_id=grid)
    add_project(station, "未开工项目", grid_id=grid, status="未开工")
    c = add_user(station, "sup3", "孙监督").user_id
    assert c
    spec = DrawSpec(title="2025年6月双随机", n_projects=3, seed=20250630, exclude_own_grid=False)
    with station.db.read() as s:
        assert count_pool(s, spec.filters) == 6
    with station.db.write() as s:
        one = run_draw(s, station.chief, spec, TODAY)
    with station.db.write() as s:
        two = run_draw(s, station.chief, spec, TODAY)
    assert one.seed == two.seed == 20250630 and one.pool_size == 6 and one.algorithm == "v1"
    assert [(i.project_id, i.inspector_ids) for i in one.items] == [(i.project_id, i.inspector_ids) for i in two.items]
    assert len(one.items) == 3 and all(len(set(i.inspector_ids)) == 2 for i in one.items)
    assert one.filters["statuses"] == ["在建"] and one.drawn_by_name == "李站长"
    with station.db.write() as s:
        fresh = run_draw(s, station.chief, DrawSpec(title="不指定种子", n_projects=2, exclude_own_grid=False), TODAY)
    assert 100_000_000 <= fresh.seed < 1_000_000_000
    with station.db.read() as s:
        assert verify_draw(s, one.id) and verify_draw(s, fresh.id)
        assert list_draws(s)[0].title == "不指定种子"
        assert get_draw(s, one.id).items == one.items


def test_only_one_valid_pairing_exists(station: Station) -> None:
    """Leader of the project's grid (own grid) and a declared conflict leave exactly one pair."""
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    c, d = add_user(station, "sup3", "孙监督").user_id, add_user(station, "sup4", "钱监督").user_id
    assert a and b and c and d
    grid = add_grid(station, "城区网格")
    other = add_grid(station, "开发区网格")
    gc = add_enterprise(station, "东海建工", 1)
    target = add_project(station, "目标项目", grid_id=grid, contractor_id=gc)
    own = add_project(station, "孙监督的项目", grid_id=other)
    with station.db.write() as s:
        set_grid_leader(s, station.chief, grid, a, date(2025, 1, 1))  # 张 leads the project's grid
        set_team(s, station.chief, own, c, [d], date(2025, 1, 1))  # 孙/钱 supervise in the other grid only
    with station.db.write() as s:
        declare_conflict(s, station.supervisor2, b, gc, "近亲属在该企业任职", date(2025, 1, 1))  # 赵 ↔ 东海建工
    filters = DrawFilters(grid_ids=(grid,))
    for seed in range(1, 16):
        with station.db.write() as s:
            rec = run_draw(s, station.chief, DrawSpec(title=f"抽查{seed}", n_projects=1, filters=filters,
                                                      inspector_ids=(a, b, c, d), seed=seed), TODAY)
        assert [(i.project_id, set(i.inspector_ids)) for i in rec.items] == [(target, {c, d})]
    with station.db.read() as s:
        assert verify_draw(s, rec.id)
    # without the own-grid rule 张 becomes eligible: some seed pairs him
    seen: set[int] = set()
    for seed in range(1, 16):
        with station.db.write() as s:
            rec = run_draw(s, station.chief, DrawSpec(title=f"不限网格{seed}", n_projects=1, filters=filters,
                                                      inspector_ids=(a, b, c, d), seed=seed,
                                                      exclude_own_grid=False), TODAY)
        seen |= set(rec.items[0].inspector_ids)
    assert a in seen and b not in seen  # the conflict holds whatever the flag
    # one more conflict: no valid pair is left, the draw is refused and nothing is kept
    with station.db.write() as s:
        declare_conflict(s, station.chief, c, gc, "其他利害关系", date(2025, 1, 1))
    with station.db.read() as s:
        drawn = len(list_draws(s))
    with pytest.raises(ValidationError, match="能配齐2名检查人员的项目只有0个"), station.db.write() as s:
        run_draw(s, station.chief, DrawSpec(title="无法配对", n_projects=1, filters=filters,
                                            inspector_ids=(a, b, c, d), seed=1), TODAY)
    with station.db.read() as s:
        assert len(list_draws(s)) == drawn


def test_own_projects_excluded_and_recently_inspected_filtered(station: Station) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    c = add_user(station, "sup3", "孙监督").user_id
    assert a and b and c
    p1, p2 = add_project(station, "一号"), add_project(station, "二号")
    with station.db.write() as s:
        set_team(s, station.chief, p1, a, [b], date(2025, 1, 1))
    add_inspection(station, p2, datetime(2025, 6, 1, 9, 0), (a, b))
    with station.db.read() as s:
        assert count_pool(s, DrawFilters(not_inspected_since=date(2025, 6, 1))) == 1
    with pytest.raises(ValidationError, match="少于抽取数1"), station.db.write() as s:  # only 孙 is not on 一号
        run_draw(s, station.chief, DrawSpec(title="x", n_projects=1, inspector_ids=(a, b, c),
                                            filters=DrawFilters(not_inspected_since=date(2025, 6, 1))), TODAY)


def test_draw_input_and_roles(station: Station) -> None:
    add_project(station, "一号")
    with pytest.raises(PermissionDenied, match="双随机"), station.db.write() as s:
        run_draw(s, station.supervisor, DrawSpec(title="x", n_projects=1), TODAY)
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        run_draw(s, station.chief, DrawSpec(title=" ", n_projects=0, inspectors_per_project=1,
                                            filters=DrawFilters(statuses=("已竣工",))), TODAY)
    assert {"抽查名称", "抽取项目数", "每组检查人数", "项目状态"} <= set(err.value.errors)
    with pytest.raises(ValidationError, match="符合条件的项目只有1个"), station.db.write() as s:
        run_draw(s, station.chief, DrawSpec(title="太多", n_projects=2), TODAY)


def test_conflicts_declared_by_self_or_chief(station: Station) -> None:
    a, b = station.supervisor.user_id, station.supervisor2.user_id
    assert a and b
    e = add_enterprise(station, "东海建工", 1)
    with pytest.raises(PermissionDenied, match="本人"), station.db.write() as s:
        declare_conflict(s, station.supervisor, b, e, "其他利害关系")
    with pytest.raises(ValidationError, match="不是有效选项"), station.db.write() as s:
        declare_conflict(s, station.supervisor, a, e, "朋友")
    with station.db.write() as s:
        row = declare_conflict(s, station.supervisor, a, e, "本人曾在该企业任职", date(2025, 1, 1))
    with pytest.raises(ValidationError, match="已登记"), station.db.write() as s:
        declare_conflict(s, station.chief, a, e, "其他利害关系")
    with station.db.write() as s:
        ended = end_conflict(s, station.chief, row.id, date(2025, 6, 1))
    assert ended.ended_on == date(2025, 6, 1)
    with station.db.read() as s:
        assert [x.id for x in list_conflicts(s, active_on=date(2025, 5, 31))] == [row.id]
        assert list_conflicts(s, active_on=date(2025, 6, 1)) == []
