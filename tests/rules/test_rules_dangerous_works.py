from datetime import date
from typing import Any

import pytest

from station_app.rules import RuleInputError, refdata
from station_app.rules.dangerous_works import (
    classify_dangerous_work,
    dangerous_work_kinds,
    explain_dangerous_work,
)

ON = date(2026, 11, 24)  # the 2018 national edition is in force

CASES: list[tuple[str, dict[str, Any], str | None]] = [
    ("excavation", {"depth_m": 2.99}, None),
    ("excavation", {"depth_m": 2.99, "complex_conditions": True}, "危大"),
    ("excavation", {"depth_m": 3}, "危大"),
    ("excavation", {"depth_m": 4.99}, "危大"),
    ("excavation", {"depth_m": 5}, "超规模"),
    ("excavation", {"depth_m": 5, "complex_conditions": True}, "超规模"),
    ("tool_formwork", {}, "超规模"),
    ("formwork_support", {}, None),
    ("formwork_support", {"height_m": 4.99}, None),
    ("formwork_support", {"height_m": 5}, "危大"),
    ("formwork_support", {"height_m": 7.99}, "危大"),
    ("formwork_support", {"height_m": 8}, "超规模"),
    ("formwork_support", {"span_m": 9.99}, None),
    ("formwork_support", {"span_m": 10}, "危大"),
    ("formwork_support", {"span_m": 18}, "超规模"),
    ("formwork_support", {"total_load_kn_m2": 10}, "危大"),
    ("formwork_support", {"total_load_kn_m2": 14.9}, "危大"),
    ("formwork_support", {"total_load_kn_m2": 15}, "超规模"),
    ("formwork_support", {"line_load_kn_m": 14.99}, None),
    ("formwork_support", {"line_load_kn_m": 15}, "危大"),
    ("formwork_support", {"line_load_kn_m": 20}, "超规模"),
    ("formwork_support", {"height_m": 3, "independent_slender": True}, "危大"),
    ("formwork_support", {"height_m": 4, "span_m": 9, "total_load_kn_m2": 16}, "超规模"),
    ("steel_support_platform", {}, "危大"),
    ("steel_support_platform", {"point_load_kn": 6.99}, "危大"),
    ("steel_support_platform", {"point_load_kn": 7}, "超规模"),
    ("lifting_nonstandard", {"single_lift_kn": 9.99}, None),
    ("lifting_nonstandard", {"single_lift_kn": 10}, "危大"),
    ("lifting_nonstandard", {"single_lift_kn": 99.9}, "危大"),
    ("lifting_nonstandard", {"single_lift_kn": 100}, "超规模"),
    ("crane_hoisting", {}, "危大"),
    ("crane_erection", {}, "危大"),
    ("crane_erection", {"capacity_kn": 299}, "危大"),
    ("crane_erection", {"capacity_kn": 300}, "超规模"),
    ("crane_erection", {"height_m": 199.9}, "危大"),
    ("crane_erection", {"height_m": 200}, "超规模"),
    ("crane_erection", {"base_elevation_m": 200}, "超规模"),
    ("scaffold_ground", {"height_m": 23.9}, None),
    ("scaffold_ground", {"height_m": 24}, "危大"),
    ("scaffold_ground", {"height_m": 49.9}, "危大"),
    ("scaffold_ground", {"height_m": 50}, "超规模"),
    ("scaffold_attached_lifting", {"lift_height_m": 10}, "危大"),
    ("scaffold_attached_lifting", {"lift_height_m": 149.9}, "危大"),
    ("scaffold_attached_lifting", {"lift_height_m": 150}, "超规模"),
    ("scaffold_cantilever", {"section_height_m": 0}, "危大"),
    ("scaffold_cantilever", {"section_height_m": 19.9}, "危大"),
    ("scaffold_cantilever", {"section_height_m": 20}, "超规模"),
    ("scaffold_irregular", {}, "危大"),
    ("gondola", {}, "危大"),
    ("unloading_platform", {}, "危大"),
    ("demolition", {}, "危大"),
    ("demolition", {"special": True}, "超规模"),
    ("underground_excavation", {}, "超规模"),
    ("curtain_wall", {"height_m": 10}, "危大"),
    ("curtain_wall", {"height_m": 49.99}, "危大"),
    ("curtain_wall", {"height_m": 50}, "超规模"),
    ("steel_structure", {"span_m": 35.9}, "危大"),
    ("steel_structure", {"span_m": 36}, "超规模"),
    ("steel_structure", {"span_m": 36, "space_frame": True}, "危大"),
    ("steel_structure", {"span_m": 59.9, "space_frame": True}, "危大"),
    ("steel_structure", {"span_m": 60, "space_frame": True}, "超规模"),
    ("manual_dug_pile", {"depth_m": 15.9}, "危大"),
    ("manual_dug_pile", {"depth_m": 16}, "超规模"),
    ("underwater_work", {}, "超规模"),
    ("prefab_installation", {}, "危大"),
    ("whole_structure_moving", {"weight_kn": 999}, None),
    ("whole_structure_moving", {"weight_kn": 1000}, "超规模"),
    ("new_technology_without_standard", {}, "超规模"),
]


@pytest.mark.parametrize(("kind", "params", "expected"), CASES)
def test_thresholds(kind: str, params: dict[str, Any], expected: str | None) -> None:
    assert classify_dangerous_work(kind, **params, on=ON) == expected


def test_every_kind_of_the_brief_is_covered() -> None:
    kinds = {k for k, _, _ in dangerous_work_kinds(on=ON)}
    assert {case[0] for case in CASES} <= kinds


def test_explain_names_edition_and_basis() -> None:
    result = explain_dangerous_work("excavation", depth_m=6, on=ON)
    assert result.level == "超规模" and result.edition == "2018"
    assert any("5m" in b for b in result.basis)


@pytest.mark.parametrize(
    ("kind", "params", "needle"),
    [
        ("excavation", {}, "depth_m"),
        ("excavation", {"depth_m": -0.1}, "depth_m"),
        ("excavation", {"depth_m": "3"}, "depth_m"),
        ("excavation", {"depth_m": 3, "complex_conditions": 1}, "complex_conditions"),
        ("excavation", {"depth_m": 3, "height_m": 2}, "height_m"),
        ("scaffold_ground", {"height_m": float("nan")}, "height_m"),
        ("tunnel_boring", {}, "kind"),
        ("gondola", {"height_m": 10}, "height_m"),
    ],
)
def test_bad_input(kind: str, params: dict[str, Any], needle: str) -> None:
    with pytest.raises(RuleInputError, match=needle):
        classify_dangerous_work(kind, **params, on=ON)


def test_without_edition_the_day_is_required() -> None:
    """The kernel reads no clock: without an edition, the caller names the day that picks it."""
    with pytest.raises(RuleInputError, match=r"须指定参数 edition（危大工程范围版本）或 on（日期）"):
        classify_dangerous_work("excavation", depth_m=4)
    with pytest.raises(RuleInputError, match="on（日期）"):
        dangerous_work_kinds()
    assert dangerous_work_kinds(edition="2018") == dangerous_work_kinds(on=ON)


def test_unknown_edition() -> None:
    with pytest.raises(RuleInputError, match="edition"):
        classify_dangerous_work("gondola", edition="2009")


def _province_rows() -> list[dict[str, Any]]:
    base = refdata.rows("dangerous_work_thresholds")
    extra = []
    for row in base:
        if row["kind"] == "excavation":
            local = dict(
                row, key=row["key"].replace("全国", "江苏"), province="江苏", source="（测试）省级细则"
            )
            if local["level"] == "超规模":
                local["threshold"] = "4"
            extra.append(local)
    return base + extra


def test_province_override_applies_only_to_that_province() -> None:
    refdata.install({"dangerous_work_thresholds": _province_rows()})
    assert classify_dangerous_work("excavation", depth_m=4, province="江苏", on=ON) == "超规模"
    assert classify_dangerous_work("excavation", depth_m=4, on=ON) == "危大"
    assert classify_dangerous_work("excavation", depth_m=4, province="浙江", on=ON) == "危大"
    # kinds without provincial rows fall back to the national rows
    assert classify_dangerous_work("scaffold_ground", height_m=50, province="江苏", on=ON) == "超规模"


def test_admin_edit_of_threshold_takes_effect() -> None:
    edited = refdata.rows("dangerous_work_thresholds")
    for row in edited:
        if row["kind"] == "scaffold_ground" and row["level"] == "危大":
            row["threshold"] = "20"
    refdata.install({"dangerous_work_thresholds": edited})
    assert classify_dangerous_work("scaffold_ground", height_m=20, on=ON) == "危大"
    refdata.reset()
    assert classify_dangerous_work("scaffold_ground", height_m=20, on=ON) is None
