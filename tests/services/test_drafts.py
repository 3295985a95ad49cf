"""Drafts of the inspection form survive a crash: a new DraftStore reads back what the last one saved."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from station_app.paths import DataDir
from station_app.services.drafts import DraftStore
from station_app.services.inspections.forms import (
    CheckItemData,
    FindingData,
    InspectionData,
    PresenceData,
    inspection_from_dict,
)
from station_app.services.inspections.jgj59 import Jgj59EntryData


def _form() -> InspectionData:
    return InspectionData(
        inspected_at=datetime(2026, 3, 10, 9, 30), project_id=7, inspector_ids=(3, 4), kind="夜查",
        weather="小雨", site_parts=("基坑", "临时用电"), conclusion="责令限期整改",
        presence=(PresenceData("施工总承包", "项目负责人", False, 12, "刘项目", "外出"),),
        check_items=(CheckItemData("JGJ59", "B.11 基坑支护", "不符合", "B.11-2"),),
        findings=(FindingData("坑边堆载过近", category="基坑工程", deadline=date(2026, 3, 17),
                              new_files=("/tmp/坑边.jpg",)),),
        jgj59_entries=(Jgj59EntryData("B.11-2", Decimal("7.5"), "扣2.5分"),),
        new_files=("/tmp/全景.jpg",),
    )


def test_draft_survives_a_crash(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path)
    first = DraftStore.of(data_dir)
    data = _form()
    first.save("sup1", "inspection-new", data)
    first.save("sup1", "inspection-new", replace(data, conclusion="责令限期整改，3日内回复"))
    del first  # the app dies here
    again = DraftStore(tmp_path / "drafts")
    draft = again.load("sup1", "inspection-new")
    assert draft is not None and draft.form == "inspection-new"
    restored = inspection_from_dict(draft.payload)
    assert restored == replace(data, conclusion="责令限期整改，3日内回复")
    assert again.forms("sup1") == ["inspection-new"]
    assert again.load("sup2", "inspection-new") is None  # keyed by user
    again.discard("sup1", "inspection-new")
    assert again.load("sup1", "inspection-new") is None and again.forms("sup1") == []


def test_plain_dict_round_trip_and_odd_names(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    payload = {"当天": date(2026, 3, 10), "金额": Decimal("1.50"), "列表": [1, "二"], "嵌套": {"t": datetime(2026, 1, 1)}}
    store.save("../evil user", "项目/42", payload)
    assert all(tmp_path in p.parents for p in tmp_path.rglob("*.json"))
    draft = store.load("../evil user", "项目/42")
    assert draft is not None and draft.payload == payload


def test_damaged_draft_is_set_aside_not_raised(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save("sup1", "inspection-9", {"a": 1})
    path = store.path("sup1", "inspection-9")
    path.write_text('{"format": 1, "form": "inspection-9", "saved_at": "2026-', encoding="utf-8")  # torn write
    assert store.load("sup1", "inspection-9") is None
    assert not path.exists() and list(path.parent.glob("*.corrupt-*"))
    assert not list(tmp_path.rglob(".tmp-*"))
