import json
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from station_app.rules import RuleInputError, refdata
from station_app.rules.accidents import grade_accident
from station_app.rules.fees import safety_fee_rate
from station_app.rules.schema import DATASET_TITLES


def test_every_dataset_has_a_json_file_and_vice_versa() -> None:
    folder = resources.files("station_app.rules") / "data"
    files = {p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json")}
    assert files == set(DATASET_TITLES)
    for name in files:
        payload = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        assert payload["dataset"] == name and payload["title"]


def test_shipped_rows_are_valid_with_unique_keys() -> None:
    datasets = refdata.shipped_datasets()
    assert set(datasets) == set(DATASET_TITLES)
    for name, ds in datasets.items():
        keys = [r["key"] for r in ds.rows]
        assert len(keys) == len(set(keys)), name
        spec_names = {f.name for f in refdata.field_specs(name)}
        for row in ds.rows:
            assert refdata.validate_row(name, row) == [], (name, row["key"])
            assert set(row) <= spec_names, (name, row["key"], set(row) - spec_names)
            assert row["confidence"] in ("V", "P", "M")
            assert row["source"]


def test_m_tagged_rows_exist_and_say_so() -> None:
    # [M] facts ship as editable defaults; they must be visible as such in the data
    assert any(r["confidence"] == "M" for r in refdata.rows("hazard_deadlines"))
    assert refdata.row_by_key("report_due", "monthly_report")["confidence"] == "M"


def test_validate_row_messages_are_chinese_and_name_the_field() -> None:
    errors = refdata.validate_row(
        "safety_fee_rates",
        {
            "key": "x",
            "project_type": "房屋建筑工程",
            "rate": "三个点",
            "regulation": "",
            "source": "s",
            "confidence": "Q",
            "effective_from": "2023-01-01",
            "effective_to": "2022-01-01",
        },
    )
    text = "；".join(errors)
    assert "rate" in text and "regulation" in text and "confidence" in text
    assert "失效日期必须晚于生效日期" in text
    assert refdata.validate_row("safety_fee_rates", {"key": "x"})  # missing fields


@pytest.mark.parametrize(
    ("dataset", "row", "needle"),
    [
        (
            "accident_grades",
            {
                "grade": "一般",
                "rank": -1,
                "min_deaths": 1,
                "min_serious_injuries": 1,
                "min_direct_loss_yuan": 1,
            },
            "rank",
        ),
        ("calendar_years", {"year": 2030, "holidays": ["2030-02-30"], "workdays": []}, "holidays"),
        (
            "violations",
            {"party": "p", "article": "a", "description": "d", "measure": "m", "min_yuan": 10, "max_yuan": 5},
            "下限",
        ),
        (
            "document_number_patterns",
            {"doc_type": "t", "prefix": "p", "serial_width": 3, "use_di": "yes"},
            "use_di",
        ),
    ],
)
def test_validate_row_catches(dataset: str, row: dict, needle: str) -> None:
    full = {"key": "k", "source": "s", "confidence": "M", **row}
    assert any(needle in e for e in refdata.validate_row(dataset, full))


def test_field_specs_types() -> None:
    specs = {f.name: f for f in refdata.field_specs("safety_fee_rates")}
    assert specs["rate"].type == "decimal"
    assert specs["effective_from"].type == "date"
    assert specs["effective_to"].label_zh
    with pytest.raises(RuleInputError, match="dataset"):
        refdata.field_specs("nope")


def test_rows_in_force_from_inclusive_to_exclusive() -> None:
    def regs(on: date) -> set[str]:
        return {r["regulation"] for r in refdata.rows_in_force("safety_fee_rates", on)}

    assert regs(date(2022, 12, 12)) == {"财企〔2012〕16号"}
    assert regs(date(2022, 12, 13)) == {"财资〔2022〕136号"}
    assert regs(date(2012, 2, 13)) == set()


def test_install_changes_rules_and_reset_restores() -> None:
    edited = refdata.rows("safety_fee_rates")
    for row in edited:
        if row["key"] == "2022-房屋建筑工程":
            row["rate"] = Decimal("0.035")  # Decimal objects are accepted and stored as strings
            row["effective_from"] = date(2022, 12, 13)
    refdata.install({"safety_fee_rates": edited})
    assert safety_fee_rate("房屋建筑工程", date(2024, 1, 1)) == Decimal("0.035")
    assert refdata.row_by_key("safety_fee_rates", "2022-房屋建筑工程")["rate"] == "0.035"
    assert refdata.row_by_key("safety_fee_rates", "2022-房屋建筑工程")["effective_from"] == "2022-12-13"
    refdata.reset()
    assert safety_fee_rate("房屋建筑工程", date(2024, 1, 1)) == Decimal("0.03")


def test_invalid_install_changes_nothing() -> None:
    good = refdata.rows("accident_grades")
    good[0]["min_deaths"] = 40
    bad = refdata.rows("safety_fee_rates")
    bad[0]["rate"] = "abc"
    with pytest.raises(RuleInputError, match="safety_fee_rates"):
        refdata.install({"accident_grades": good, "safety_fee_rates": bad})
    assert grade_accident(30, 0, 0) == "特别重大"  # the valid dataset was not installed either


def test_duplicate_keys_and_unknown_dataset_rejected() -> None:
    rows = refdata.rows("hazard_deadlines")
    with pytest.raises(RuleInputError, match="重复"):
        refdata.install({"hazard_deadlines": [*rows, rows[0]]})
    with pytest.raises(RuleInputError, match="dataset"):
        refdata.install({"no_such_dataset": []})


def test_rows_returns_copies() -> None:
    copy = refdata.rows("accident_grades")
    copy[0]["min_deaths"] = 999
    assert refdata.rows("accident_grades")[0]["min_deaths"] != 999
    in_force = refdata.rows_in_force("accident_grades", date(2025, 1, 1))
    in_force[0]["grade"] = "x"
    assert refdata.rows("accident_grades")[0]["grade"] != "x"


def test_version_changes_on_install_and_reset() -> None:
    before = refdata.version()
    refdata.install({"calendar_years": []})
    middle = refdata.version()
    refdata.reset()
    assert before != middle != refdata.version()
