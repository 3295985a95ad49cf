import pytest

from station_app.rules import RuleInputError
from station_app.rules.jgj59 import item_tables, score_item_table, score_summary, summary_weights

FULL_G = [(10.0, 10.0)] * 6
FULL_O = [(10.0, 10.0)] * 4


def test_full_table_scores_100() -> None:
    assert score_item_table(FULL_G, FULL_O) == 100


def test_guarantee_item_zero_zeroes_the_table() -> None:
    assert score_item_table([(0, 10)] + [(10, 10)] * 5, FULL_O) == 0


def test_guarantee_subtotal_boundary_40() -> None:
    g39 = [(7, 10), (7, 10), (7, 10), (6, 10), (6, 10), (6, 10)]
    g40 = [(7, 10), (7, 10), (7, 10), (7, 10), (6, 10), (6, 10)]
    assert score_item_table(g39, FULL_O) == 0
    assert score_item_table(g40, FULL_O) == pytest.approx(80)


def test_missing_items_rescale_to_100() -> None:
    # one guarantee and one general item not checked: 80 points checked
    guarantee = [(9, 10)] * 5
    general = [(8, 10)] * 3
    assert score_item_table(guarantee, general) == pytest.approx((45 + 24) / 80 * 100)


def test_guarantee_subtotal_rescaled_against_60_when_items_missing() -> None:
    # 5 guarantee items (50 points) checked: 34 → 34×60/50 = 40.8 passes; 33 → 39.6 fails
    passing = [(7, 10), (7, 10), (7, 10), (7, 10), (6, 10)]
    failing = [(7, 10), (7, 10), (7, 10), (6, 10), (6, 10)]
    assert score_item_table(passing, FULL_O) == pytest.approx((34 + 40) / 90 * 100)
    assert score_item_table(failing, FULL_O) == 0
    # exactly 2/3 of the checked guarantee points is the boundary: 20 of 30 → 40 of 60
    assert score_item_table([(7, 10), (7, 10), (6, 10)], []) == pytest.approx(20 / 30 * 100)
    assert score_item_table([(7, 10), (6, 10), (6, 10)], []) == 0


def test_table_without_guarantee_items() -> None:
    machines = [
        (10, 10),
        (5, 10),
        (8, 8),
        (10, 10),
        (10, 10),
        (10, 10),
        (8, 8),
        (8, 8),
        (6, 6),
        (8, 8),
        (0, 12),
    ]
    assert score_item_table([], machines) == pytest.approx(83)


@pytest.mark.parametrize(
    ("guarantee", "general", "needle"),
    [
        ([], [], "guarantee/general"),
        ([(11, 10)], [], "guarantee"),
        ([(-1, 10)], [], "guarantee"),
        ([(5, 0)], [], "guarantee"),
        ([], [(5,)], "general"),
        ([], [("5", 10)], "general"),
    ],
)
def test_item_table_bad_input(guarantee: list, general: list, needle: str) -> None:
    with pytest.raises(RuleInputError, match=needle):
        score_item_table(guarantee, general)


HEADINGS = [
    "安全管理",
    "文明施工",
    "脚手架",
    "基坑工程",
    "模板支架",
    "高处作业",
    "施工用电",
    "物料提升机与施工升降机",
    "塔式起重机与起重吊装",
    "施工机具",
]


def test_weights_match_the_2011_summary_table() -> None:
    weights = summary_weights()
    assert list(weights) == HEADINGS
    assert weights["文明施工"] == 15 and weights["施工机具"] == 5
    assert sum(weights.values()) == 100


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "优良"), (80, "优良"), (79.99, "合格"), (70, "合格"), (69.99, "不合格"), (50, "不合格")],
)
def test_summary_grade_boundaries(score: float, grade: str) -> None:
    total, result = score_summary({h: score for h in HEADINGS})
    assert total == pytest.approx(score)
    assert result == grade


def test_any_zero_table_fails_the_summary() -> None:
    scores: dict[str, float | list[float]] = {h: 95.0 for h in HEADINGS}
    scores["脚手架"] = [100.0, 0.0]
    total, grade = score_summary(scores)
    assert grade == "不合格"
    assert total == pytest.approx(90.5)  # 95 × 0.90 + 50 (mean of 100 and 0) × 0.10


def test_lists_are_averaged_and_missing_headings_rescale() -> None:
    total, grade = score_summary({"安全管理": 90, "文明施工": 60})
    assert total == pytest.approx(72)  # (9 + 9) / 25 × 100
    assert grade == "合格"
    total, _ = score_summary({"安全管理": 80, "脚手架": [80, 90, 100]})
    assert total == pytest.approx(85)  # (8 + 9) / 20 × 100


def test_summary_total_rounded_half_up() -> None:
    total, grade = score_summary({"安全管理": 70, "施工机具": 71})
    assert total == 70.33  # (7 + 3.55) / 15 × 100 = 70.333…
    assert grade == "合格"
    total, _ = score_summary({"安全管理": 80.125})
    assert total == 80.13


@pytest.mark.parametrize(
    ("scores", "needle"),
    [
        ({}, "item_scores"),
        ({"起重吊装": 80}, "起重吊装"),
        ({"安全管理": 101}, "安全管理"),
        ({"安全管理": -1}, "安全管理"),
        ({"脚手架": []}, "脚手架"),
    ],
)
def test_summary_bad_input(scores: dict, needle: str) -> None:
    with pytest.raises(RuleInputError, match=needle):
        score_summary(scores)


def test_nineteen_item_tables() -> None:
    tables = item_tables()
    assert [t.table for t in tables] == [f"B.{i}" for i in range(1, 20)]
    for table in tables:
        guarantee = sum(i.full_points for i in table.guarantee)
        total = guarantee + sum(i.full_points for i in table.general)
        assert total == 100, table.table
        assert guarantee == (0 if table.table in ("B.13", "B.19") else 60), table.table
        assert table.heading in HEADINGS
    assert {t.heading for t in tables} == set(HEADINGS)
    scaffold = [t.name for t in tables if t.heading == "脚手架"]
    assert len(scaffold) == 8 and "高处作业吊篮" in scaffold
