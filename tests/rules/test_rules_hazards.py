from datetime import date

import pytest

from station_app.rules import RuleInputError, refdata
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


PER_ARTICLE_2024 = [0, 0, 0, 5, 4, 4, 3, 9, 5, 2, 4, 2, 7, 3, 3, 1, 1, 0]  # 第一条 … 第十八条


def test_2024_edition_has_the_53_items_of_the_standard() -> None:
    items = criteria("2024")
    assert len(items) == 53
    per_article = [sum(1 for c in items if c.article == a) for a in range(1, 19)]
    assert per_article == PER_ARTICLE_2024
    assert all(c.edition == "2024" and c.confidence == "V" and "建质规〔2024〕5号" in c.source for c in items)
    assert [c.code for c in items if c.article == 13] == [f"2024-13-{i}" for i in range(1, 8)]
    assert [c.code for c in items if c.article >= 16] == ["2024-16", "2024-17"]
    assert all(c.item == 0 for c in items if c.article >= 16)
    assert len({c.code for c in items}) == 53


def test_2024_categories_are_the_articles_as_the_standard_names_them() -> None:
    by_article = {c.article: c.category for c in criteria("2024")}
    assert by_article[5] == "基坑、边坡工程"
    assert by_article[8] == "建筑起重机械及吊装工程"
    assert by_article[13] == "隧道工程"
    assert by_article[14] == "施工临时堆载"
    assert by_article[15] == "冒险作业"


def test_2024_exact_texts_and_labels() -> None:
    lifting_people = criterion("2024-15-3")
    assert lifting_people.label == "2024版 第十五条第(三)项"
    assert lifting_people.category == "冒险作业"
    assert lifting_people.text == "施工现场使用塔式起重机、汽车起重机、履带起重机或轮胎起重机等非载人设备吊运人员"
    assert criterion("2024-16").label == "2024版 第十六条"
    assert criterion("2024-16").text.startswith("使用国家明令禁止和限制使用的")
    assert criterion("2024-17").label == "2024版 第十七条"
    assert criterion("2024-4-1").text == "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动或超（无）资质承揽工程"
    warning_signs = criterion("2024-5-4").text  # the enumerated sub-points stay inside the item
    assert warning_signs.startswith("有下列基坑、边坡坍塌风险预兆之一，且未及时处理：1.")
    assert "3.基坑底部出现管涌或突涌；4.桩间土流失孔洞深度超过桩径" in warning_signs
    assert criterion("2024-8-9").text == "使用达到报废标准的建筑起重机械，或使用达到报废标准的吊索具进行起重吊装作业"
    assert criterion("2024-13-2").label == "2024版 第十三条第(二)项"
    assert "不断增大趋势" not in criterion("2024-13-2").text  # 2024 dropped it; 2022 keeps it
    assert "不断增大趋势" in criterion("2022-13-2").text


def test_2024_items_checkable_from_registries() -> None:
    checks = {c.code: c.registry_check for c in criteria("2024") if c.registry_check}
    assert checks == {"2024-4-1": "certificates", "2024-4-2": "certificates", "2024-4-3": "certificates",
                      "2024-4-4": "dangerous_works", "2024-4-5": "dangerous_works", "2024-5-3": "monitoring",
                      "2024-8-1": "cranes", "2024-8-9": "cranes"}
    assert all(c.registry_hint for c in criteria("2024") if c.registry_check)
    assert "使用登记" in criterion("2024-8-1").registry_hint
    assert all(c.registry_check == "" for c in criteria("2022"))


def test_registry_check_is_validated_reference_data() -> None:
    rows = refdata.rows("hazard_criteria")
    rows[-1]["registry_check"] = "人员"
    with pytest.raises(RuleInputError, match="registry_check"):
        refdata.install({"hazard_criteria": rows})


def test_edition_in_force_boundaries() -> None:
    with pytest.raises(RuleInputError, match="on"):
        edition_in_force(date(2022, 4, 18))
    assert edition_in_force(date(2022, 4, 19)) == "2022"
    assert edition_in_force(date(2024, 12, 12)) == "2022"
    assert edition_in_force(date(2024, 12, 13)) == "2024"
    assert edition_in_force(date(2027, 2, 6)) == "2024"
    assert criteria(on=date(2023, 1, 1)) == criteria("2022")
    assert criteria(on=date(2024, 12, 13)) == criteria("2024")
    with pytest.raises(RuleInputError, match="edition"):
        criteria()


def test_an_admin_correcting_the_2024_date_moves_the_boundary_alone() -> None:
    """Only the 2024 row is edited: the 2022 edition stays in force until the corrected date (no gap)."""
    rows = refdata.rows("hazard_criteria_editions")
    for row in rows:
        if row["key"] == "2024":
            row["effective_from"] = "2025-01-01"
    refdata.install({"hazard_criteria_editions": rows})
    assert edition_in_force(date(2024, 12, 20)) == "2022"
    assert edition_in_force(date(2025, 1, 1)) == "2024"


def test_an_edition_ended_without_successor_is_not_in_force() -> None:
    rows = [r for r in refdata.rows("hazard_criteria_editions") if r["key"] == "2022"]
    refdata.install({"hazard_criteria_editions": rows})
    assert edition_in_force(date(2024, 12, 12)) == "2022"
    with pytest.raises(RuleInputError, match="没有施行中的"):
        edition_in_force(date(2024, 12, 13))


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
