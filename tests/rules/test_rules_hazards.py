from datetime import date

import pytest

from station_app.rules import RuleInputError
from station_app.rules.hazards import chinese_number, criteria, criterion, edition_in_force, hazard_categories


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 4, 10, 11, 15, 20, 23)] == [
        "一",
        "四",
        "十",
        "十一",
        "十五",
        "二十",
        "二十三",
    ]


def test_2022_edition_article_by_article() -> None:
    items = criteria("2022")
    per_article: dict[int, int] = {}
    for c in items:
        per_article[c.article] = per_article.get(c.article, 0) + 1
    assert per_article == {4: 4, 5: 4, 6: 3, 7: 5, 8: 7, 9: 3, 10: 1, 11: 2, 12: 1, 13: 2, 14: 1, 15: 1}
    assert all(c.edition == "2022" and c.text and c.source for c in items)


def test_codes_and_labels() -> None:
    c = criterion("2022-8-1")
    assert c.label == "2022版 第八条第(一)项"
    assert c.category == "起重机械及吊装工程"
    assert "使用登记" in c.text
    assert criterion("2022-10").label == "2022版 第十条"
    assert criterion("2022-7-5").label == "2022版 第七条第(五)项"
    assert criterion("2022-13-2").label == "2022版 第十三条第(二)项"


def test_2024_edition_known_changes() -> None:
    items = {c.code: c for c in criteria("2024")}
    assert "2024-6-4" in items and "2022-6-4" not in {c.code for c in criteria("2022")}
    assert "浇筑" in items["2024-6-4"].text
    scaffold = [c for c in items.values() if c.article == 7]
    assert len(scaffold) == 3
    assert not any("悬臂高度" in c.text for c in scaffold)
    unchanged = items["2024-8-1"]
    assert unchanged.confidence == "M" and "沿用" in unchanged.note


def test_edition_in_force_boundaries() -> None:
    with pytest.raises(RuleInputError, match="on"):
        edition_in_force(date(2022, 4, 18))
    assert edition_in_force(date(2022, 4, 19)) == "2022"
    assert edition_in_force(date(2024, 12, 31)) == "2022"
    assert edition_in_force(date(2025, 1, 1)) == "2024"
    assert criteria(on=date(2023, 1, 1)) == criteria("2022")


def test_bad_codes_and_editions() -> None:
    with pytest.raises(RuleInputError, match="code"):
        criterion("2022-99-1")
    with pytest.raises(RuleInputError, match="edition"):
        criteria("2011")


def test_hazard_categories() -> None:
    cats = hazard_categories()
    for name in (
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
        "消防",
        "有限空间",
        "防高坠",
    ):
        assert name in cats
    assert cats[-1] == "其他"
    assert len(cats) == len(set(cats))


def test_stock_cutoff_is_reference_data_an_admin_can_move() -> None:
    from datetime import date

    from station_app.rules import refdata
    from station_app.rules.hazards import stock_cutoff

    assert stock_cutoff() == date(2023, 12, 31)  # the city plan: 2023年及以前
    edited = refdata.rows("rule_constants")
    for row in edited:
        if row["key"] == "hazard_stock_last_year":
            row["value"] = "2024"
    refdata.install({"rule_constants": edited})
    assert stock_cutoff() == date(2024, 12, 31)
