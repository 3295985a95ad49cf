from datetime import date
from decimal import Decimal

import pytest

from station_app.rules import RuleInputError, refdata
from station_app.rules.fees import (
    safety_fee_amount,
    safety_fee_project_types,
    safety_fee_rate,
    safety_fee_rule,
)
from station_app.rules.insurance import insurance_minimum, min_death_disability_cover

BEFORE_136 = date(2022, 12, 12)
ON_136 = date(2022, 12, 13)


def test_building_rate_changes_on_the_day_136_took_effect() -> None:
    assert safety_fee_rate("房屋建筑工程", BEFORE_136) == Decimal("0.02")
    assert safety_fee_rate("房屋建筑工程", ON_136) == Decimal("0.03")


@pytest.mark.parametrize(
    ("project_type", "old", "new"),
    [
        ("市政公用工程", "0.015", "0.015"),
        ("矿山工程", "0.025", "0.035"),
        ("城市轨道交通工程", "0.02", "0.03"),
        ("公路工程", "0.015", "0.015"),
        ("通信工程", "0.015", "0.02"),
    ],
)
def test_other_types(project_type: str, old: str, new: str) -> None:
    assert safety_fee_rate(project_type, BEFORE_136) == Decimal(old)
    assert safety_fee_rate(project_type, ON_136) == Decimal(new)


def test_rule_version_is_reported() -> None:
    new = safety_fee_rule("房屋建筑工程", date(2025, 6, 1))
    assert new.regulation == "财资〔2022〕136号"
    assert new.effective_from == ON_136 and new.effective_to is None
    old = safety_fee_rule("房屋建筑工程", BEFORE_136)
    assert old.regulation == "财企〔2012〕16号"
    assert old.effective_from == date(2012, 2, 14) and old.effective_to == ON_136


def test_2012_rule_starts_2012_02_14() -> None:
    assert safety_fee_rate("房屋建筑工程", date(2012, 2, 14)) == Decimal("0.02")
    with pytest.raises(RuleInputError, match="contract_date"):
        safety_fee_rate("房屋建筑工程", date(2012, 2, 13))


def test_unknown_project_type() -> None:
    with pytest.raises(RuleInputError, match="project_type"):
        safety_fee_rate("装修工程", ON_136)
    assert "房屋建筑工程" in safety_fee_project_types()


def test_fee_amount() -> None:
    assert safety_fee_amount(12_345_678, "房屋建筑工程", ON_136) == Decimal("370370.34")
    with pytest.raises(RuleInputError, match="contract_price_yuan"):
        safety_fee_amount(-1, "房屋建筑工程", ON_136)


def test_insurance_minimum_boundaries() -> None:
    with pytest.raises(RuleInputError, match="on"):
        min_death_disability_cover(date(2017, 12, 31))
    assert min_death_disability_cover(date(2018, 1, 1)) == 300_000
    assert min_death_disability_cover(date(2025, 3, 28)) == 300_000
    assert min_death_disability_cover(date(2025, 3, 29)) == 400_000
    assert insurance_minimum(date(2025, 3, 29)).regulation == "应急〔2025〕27号"


def test_provincial_minimum() -> None:
    rows = [
        *refdata.rows("insurance_minimums"),
        {
            "key": "江苏-测试",
            "province": "江苏",
            "min_death_disability_yuan": 500000,
            "regulation": "（测试）苏某文",
            "source": "测试",
            "confidence": "M",
            "effective_from": "2025-06-01",
            "effective_to": None,
        },
    ]
    refdata.install({"insurance_minimums": rows})
    assert min_death_disability_cover(date(2025, 5, 31), province="江苏") == 400_000
    assert min_death_disability_cover(date(2025, 6, 1), province="江苏") == 500_000
    assert min_death_disability_cover(date(2025, 6, 1), province="浙江") == 400_000
    assert min_death_disability_cover(date(2025, 6, 1)) == 400_000
