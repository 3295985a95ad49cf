"""Importing a holiday-cn JSON file, and the arrangement chinese-calendar ships for a year."""

from __future__ import annotations

import json
from datetime import date

import pytest

from station_app.rules import holiday_arrangement as ha
from station_app.rules.holiday_arrangement import ArrangementError
from station_app.rules.holiday_cn import from_package, parse_holiday_cn
from tests.rules.holiday_data import INVENTED_2027, REAL_2026, holiday_cn_text


def _problems(text: str, year: int | None = None) -> list[tuple[str, str]]:
    with pytest.raises(ArrangementError) as info:
        parse_holiday_cn(text, year)
    return info.value.problems


def _line_of(text: str, needle: str) -> int:
    """The line on which the day item holding ``needle`` starts (its "{")."""
    return text[: text.rindex("{", 0, text.index(needle))].count("\n") + 1


def test_a_holiday_cn_file_gives_the_arrangement() -> None:
    for arr in (REAL_2026, INVENTED_2027):
        parsed = parse_holiday_cn(holiday_cn_text(arr))
        assert parsed == arr and ha.validate(parsed) is parsed
    # one line per file, a BOM, a year given by the caller: the same
    assert parse_holiday_cn("\ufeff" + holiday_cn_text(INVENTED_2027, indent=None), 2027) == INVENTED_2027


def test_malformed_json_names_line_and_column() -> None:
    text = holiday_cn_text(INVENTED_2027).replace('"isOffDay": true\n        },', '"isOffDay": true\n        }', 1)
    ((where, message),) = _problems(text)
    assert where.startswith("第") and "列" in where and message.startswith("不是有效的 JSON 格式")
    assert int(where[1:where.index("行")]) > 3


def test_each_bad_day_names_its_line() -> None:
    good = holiday_cn_text(INVENTED_2027)
    text = (good.replace('"name": "端午节"', '"name": "龙舟节"', 1)
            .replace('"date": "2027-09-15"', '"date": "2027-09-31"', 1))
    found = dict(_problems(text))
    assert found[f"第{_line_of(good, '端午节')}行"].startswith("未知的节日名称“龙舟节”")
    assert found[f"第{_line_of(good, '2027-09-15')}行"] == "日期无效（应为 YYYY-MM-DD）：'2027-09-31'"


def test_gaps_wrong_year_and_work_only_names() -> None:
    days = json.loads(holiday_cn_text(INVENTED_2027))["days"]
    gap = [d for d in days if d["date"] != "2027-02-09"]
    text = json.dumps({"year": 2027, "days": gap}, ensure_ascii=False, indent=2)
    ((where, message),) = _problems(text)
    assert message == "春节的放假日期不连续：2027-02-08之后是2027-02-10" and where == f"第{_line_of(text, '2027-02-10')}行"
    weekday_2026 = [{"name": "元旦", "date": "2026-12-31", "isOffDay": True}, *days]  # a Thursday
    assert _problems(json.dumps({"year": 2027, "days": weekday_2026}))[0][1].startswith("2026-12-31不在2027年内")
    only_work = [*days, {"name": "中秋节、国庆节", "date": "2027-09-26", "isOffDay": False}]
    assert ("中秋节、国庆节", "文件中只有调休上班日，没有放假日期") in _problems(json.dumps({"year": 2027, "days": only_work}))


def test_a_weekend_day_off_of_the_year_before_is_skipped() -> None:
    days = json.loads(holiday_cn_text(INVENTED_2027))["days"]
    with_eve = [{"name": "元旦", "date": "2026-12-26", "isOffDay": True}, *days]  # a Saturday: changes nothing
    assert parse_holiday_cn(json.dumps({"year": 2027, "days": with_eve})) == INVENTED_2027


def test_file_level_problems() -> None:
    text = holiday_cn_text(INVENTED_2027)
    assert _problems(text, 2028) == [("第2行", "文件是2027年的安排，不是2028年的")]
    assert _problems('{"year": 2027, "papers": [], "days": []}') == [
        ("", "文件中没有任何日期（days 为空）：2027年的安排可能尚未发布")]
    assert _problems('{"days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}') == [
        ("", "文件中没有年份（year），请指定年份")]
    assert _problems("[1, 2]")[0][1].startswith("文件格式不对")
    no_year = '{"days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": "yes"}]}'
    assert _problems(no_year, 2027) == [("第1行", "isOffDay 应为 true（放假）或 false（调休上班）")]


def test_chinese_calendar_years_are_arrangements_too() -> None:
    assert from_package(2026) == REAL_2026
    joint = from_package(2025)
    assert joint is not None and ha.problems(joint) == []
    last = joint.entries[-1]
    assert last.name == "中秋节、国庆节" and (last.off_from, last.off_to) == (date(2025, 10, 1), date(2025, 10, 8))
    assert from_package(1999) is None
