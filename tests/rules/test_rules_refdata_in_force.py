"""Reference data with an end date: the day after a rule ends with nothing entered after it, every lookup
by day names the dataset, the day and why (never a silent default, never a traceback)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from station_app.rules import RuleInputError, refdata
from station_app.rules.dangerous_works import classify_dangerous_work
from station_app.rules.documents import document_texts
from station_app.rules.fees import safety_fee_rule
from station_app.rules.insurance import min_death_disability_cover

ADMIN_HINT = "请管理员在 系统设置 → 参考数据 中录入"


def _end(dataset: str, day: str, *, where: Any = lambda r: not r.get("effective_to")) -> None:
    """The admin sets an end date on the dataset's open-ended rows (and enters nothing after them)."""
    rows = [{**r, "effective_to": day} if where(r) else r for r in refdata.rows(dataset)]
    refdata.install({dataset: rows})


def test_insurance_minimum_after_its_rule_ended() -> None:
    _end("insurance_minimums", "2027-01-01")
    assert min_death_disability_cover(date(2026, 12, 31)) == 400_000
    with pytest.raises(RuleInputError) as err:
        min_death_disability_cover(date(2027, 3, 1))
    assert str(err.value) == ("参数 on（日期）：参考数据“安全生产责任保险最低保额”中没有2027年3月1日施行的规定："
                              "已收录的规定自2027年1月1日起不再施行，新的规定尚未录入；" + ADMIN_HINT)


def test_before_the_first_rule_and_between_two_rules() -> None:
    with pytest.raises(RuleInputError, match="已收录的规定最早自2018年1月1日起施行"):
        min_death_disability_cover(date(2017, 12, 31))
    rows = refdata.rows("insurance_minimums")
    later = next(r for r in rows if r["effective_from"] == "2025-03-29")
    later["effective_from"] = "2025-06-01"  # a gap: the old rule ends 2025-03-29, the new one starts later
    refdata.install({"insurance_minimums": rows})
    with pytest.raises(RuleInputError, match="自2025年3月29日起不再施行，下一条规定自2025年6月1日起施行"):
        min_death_disability_cover(date(2025, 4, 15))


def test_safety_fee_rate_after_its_rule_ended_names_the_type_s_dataset() -> None:
    _end("safety_fee_rates", "2027-01-01", where=lambda r: r["project_type"] == "房屋建筑工程"
         and not r.get("effective_to"))
    with pytest.raises(RuleInputError) as err:
        safety_fee_rule("房屋建筑工程", date(2027, 3, 1))
    text = str(err.value)
    assert text.startswith("参数 contract_date（合同签订日期）：参考数据“企业安全生产费用提取标准（建设工程）”")
    assert "2027年3月1日" in text and "自2027年1月1日起不再施行" in text and ADMIN_HINT in text
    assert safety_fee_rule("市政公用工程", date(2027, 3, 1)).rate > 0  # the other types keep their rule


def test_dangerous_work_edition_after_it_ended() -> None:
    _end("dangerous_work_thresholds", "2027-01-01")
    assert classify_dangerous_work("excavation", depth_m=4, on=date(2026, 12, 31)) == "危大"
    with pytest.raises(RuleInputError, match=r"危大工程及超规模危大工程范围.*2027年3月1日.*新的规定尚未录入"):
        classify_dangerous_work("excavation", depth_m=4, on=date(2027, 3, 1))


def test_document_texts_after_they_ended_but_a_type_without_texts_stays_empty() -> None:
    _end("document_texts", "2027-01-01", where=lambda r: r["doc_type"] == "安全隐患整改通知书")
    assert document_texts("安全隐患整改通知书", date(2026, 12, 31)).basis
    with pytest.raises(RuleInputError, match=r"执法文书依据及权利告知.*自2027年1月1日起不再施行"):
        document_texts("安全隐患整改通知书", date(2027, 3, 1))
    assert document_texts("停工整改通知书", date(2027, 3, 1)).basis  # its own row is still open-ended
    assert document_texts("隐患整改完成报告", date(2027, 3, 1)) == document_texts("隐患整改完成报告")
