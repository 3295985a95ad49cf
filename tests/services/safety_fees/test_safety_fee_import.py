"""Ledger import from real .xlsx files (SQLite + PG): header detection, all-or-nothing with every bad row
named by row and field, negative-list flags like typed entries, the blank template; deleting 分包 records."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from station_app.errors import PermissionDenied, StaleRecord, ValidationError
from station_app.models import AuditEntry, SafetyFeePayment, SafetyFeeSubcontract, SafetyFeeUsage
from station_app.services.safety_fees.ledger_import import (
    COLUMNS,
    import_ledger,
    preview_import,
    write_template,
)
from station_app.services.safety_fees.records import delete_payment, delete_subcontract
from tests.conftest import Station
from tests.services.safety_fees.safety_fee_fixtures import AS_OF, make_fee_site


def write_xlsx(path: Path, rows: list[list[Any]], *, title: str | None = "XX项目安全生产费用使用台账",
               header: list[str] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.append([title])
        ws.append([])
    ws.append(header or list(COLUMNS))
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _usages(station: Station, project: int) -> list[SafetyFeeUsage]:
    with station.db.read() as s:
        rows = list(s.scalars(select(SafetyFeeUsage).where(SafetyFeeUsage.project_id == project)
                              .order_by(SafetyFeeUsage.id)))
        s.expunge_all()
        return rows


def _audits(station: Station, entity: str) -> int:
    with station.db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity_type == entity)) or 0


GOOD = [
    [datetime(2025, 5, 6), "19-1", 23500, "记-201", "临边洞口防护栏杆"],
    ["2025/6/3", "配备和更新现场作业人员安全防护用品", "8,600.50", "记-202", "安全帽安全带更新"],
    ["2025年7月15日", "19-5", 9800.25, "记-203", "工人罚款抵扣及夏季工作服"],
    [None, None, None, None, None],
    ["2025-08-01", "第十九条第（六）项", "4200", "", "三级安全教育培训"],
]


def test_good_file_imports_every_row_and_flags_like_typed_entries(station: Station, tmp_path: Path) -> None:
    fs = make_fee_site(station)
    before, audits = len(_usages(station, fs.project)), _audits(station, "safety_fee_usage")
    path = write_xlsx(tmp_path / "台账.xlsx", GOOD)
    with station.db.read() as s:
        preview = preview_import(s, fs.project, path, today=AS_OF)
    assert preview.ok and preview.header_row == 3 and [r.row for r in preview.rows] == [4, 5, 6, 8]
    assert preview.total_fen == 23500_00 + 8600_50 + 9800_25 + 4200_00 and preview.flagged_count == 1
    with station.db.write() as s:
        result = import_ledger(s, station.clerk, fs.project, path, today=AS_OF)
    assert len(result.rows) == 4
    new = _usages(station, fs.project)[before:]
    assert [(u.used_on, u.category, u.amount_fen, u.voucher_no) for u in new] == [
        (date(2025, 5, 6), "19-1", 23500_00, "记-201"), (date(2025, 6, 3), "19-5", 8600_50, "记-202"),
        (date(2025, 7, 15), "19-5", 9800_25, "记-203"), (date(2025, 8, 1), "19-6", 4200_00, "")]
    flagged = [u for u in new if u.flagged]
    assert len(flagged) == 1 and flagged[0].review_state == "待复核" and "罚款" in flagged[0].flag_reason
    assert _audits(station, "safety_fee_usage") == audits + 4


def test_three_bad_rows_save_nothing_and_name_row_and_field(station: Station, tmp_path: Path) -> None:
    fs = make_fee_site(station)
    before = len(_usages(station, fs.project))
    path = write_xlsx(tmp_path / "有误.xlsx", [
        ["2025-05-06", "19-1", 1000, "记-301", "安全网"],
        ["2025-05-07", "19-1", -20, "记-302", "安全网"],           # row 5: negative
        ["2025-05-08", "防暑降温", 300, "记-303", "绿豆汤"],          # row 6: unknown category
        ["2024-12-31", "19-2", 500, "记-304", "应急演练"],          # row 7: before the 2025-01-10 contract
        ["2025-05-09", "19-3", 700, "记-305", "隐患排查"],
    ])
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        import_ledger(s, station.clerk, fs.project, path, today=AS_OF)
    assert err.value.errors.keys() == {"第5行 金额", "第6行 使用范围", "第7行 日期"}
    assert "负数" in err.value.errors["第5行 金额"]
    assert "“防暑降温”不是安全生产费用使用范围" in err.value.errors["第6行 使用范围"]
    assert "不能早于合同签订日期（2025年1月10日）" in err.value.errors["第7行 日期"]
    assert len(_usages(station, fs.project)) == before
    with station.db.read() as s:
        preview = preview_import(s, fs.project, path, today=AS_OF)
    assert not preview.ok and [r.row for r in preview.rows if r.error] == [5, 6, 7]
    assert preview.rows[1].error.startswith("金额：")


def test_non_numeric_amounts_and_duplicate_vouchers(station: Station, tmp_path: Path) -> None:
    fs = make_fee_site(station)  # the ledger already has 记-101 and 记-102
    # another column order and spellings: columns are found by their header names
    rows = [["记-401", "2025-05-06", "一千元"], ["记-402", "2025-05-07", "12.345"], ["记-401", "2025-05-08", 100],
            ["记-101", "2025-05-09", 100], ["记-403", "2025-13-01", 100]]
    path = write_xlsx(tmp_path / "重复.xlsx", [[*r, "安全网", "19-1"] for r in rows], title=None,
                      header=["凭证号", "日期", "金额（元）", "摘要", "使用范围"])
    with station.db.read() as s:
        preview = preview_import(s, fs.project, path, today=AS_OF)
    assert preview.header_row == 1
    e = preview.errors
    assert e.keys() == {"第2行 金额", "第3行 金额", "第4行 凭证号", "第5行 凭证号", "第6行 日期"}
    assert "一千元" in e["第2行 金额"] and "12.345" in e["第3行 金额"]
    assert "与第2行重复" in e["第4行 凭证号"] and "已在本项目台账中登记（2025年4月2日）" in e["第5行 凭证号"]
    assert "2025-13-01" in e["第6行 日期"]


def test_not_a_workbook_or_no_header_is_a_message(station: Station, tmp_path: Path) -> None:
    fs = make_fee_site(station)
    text = tmp_path / "台账.xlsx"
    text.write_text("日期,类别,金额\n2025-05-06,19-1,100\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        import_ledger(s, station.clerk, fs.project, text, today=AS_OF)
    assert "不是有效的 Excel 工作簿" in err.value.errors["文件"]
    no_header = write_xlsx(tmp_path / "无表头.xlsx", [["2025-05-06", "19-1", 100]], title=None,
                           header=["时间", "科目", "钱"])
    with pytest.raises(ValidationError) as err, station.db.read() as s:
        preview_import(s, fs.project, no_header, today=AS_OF)
    assert "找不到表头行" in err.value.errors["文件"]
    with pytest.raises(ValidationError) as err, station.db.read() as s:
        preview_import(s, fs.project, tmp_path / "没有.xlsx", today=AS_OF)
    assert "找不到文件" in err.value.errors["文件"]


def test_template_round_trip_and_permission(station: Station, tmp_path: Path) -> None:
    fs = make_fee_site(station)
    path = write_template(tmp_path / "模板.xlsx")
    wb = load_workbook(path)
    ws = wb["使用台账"]
    assert [c.value for c in ws[1]] == list(COLUMNS)
    keys = [r[0] for r in wb["填写说明"].iter_rows(values_only=True) if r[0] and str(r[0]).startswith("19-")]
    assert keys[0] == "19-1" and len(keys) == 10
    # typed under the header as a clerk would; Excel reads a typed "19-3" as 19 March
    for col, value in enumerate((date(2025, 9, 1), datetime(2025, 3, 19), 880, "记-501", "检测费"), start=1):
        ws.cell(2, col).value = value
    wb.save(path)
    with pytest.raises(PermissionDenied), station.db.write() as s:
        import_ledger(s, station.readonly, fs.project, path, today=AS_OF)
    with station.db.write() as s:
        import_ledger(s, station.clerk, fs.project, path, today=AS_OF)
    assert _usages(station, fs.project)[-1].category == "19-3"
    with station.db.read() as s:
        again = preview_import(s, fs.project, path, today=AS_OF)
    assert "已在本项目台账中登记" in again.errors["第2行 凭证号"]


def test_delete_subcontract_only_once_its_payments_are_gone(station: Station) -> None:
    fs = make_fee_site(station)
    with station.db.read() as s:
        sub = s.get(SafetyFeeSubcontract, fs.subcontract)
        assert sub is not None
        version = sub.version
        pay_id, pay_version = s.execute(select(SafetyFeePayment.id, SafetyFeePayment.version)
                                        .where(SafetyFeePayment.subcontract_id == fs.subcontract)).one()
    with pytest.raises(PermissionDenied), station.db.write() as s:
        delete_subcontract(s, station.supervisor, fs.subcontract, version)
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        delete_subcontract(s, station.clerk, fs.subcontract, version)
    assert "已有1笔支付记录" in err.value.errors["分包单位"]
    with pytest.raises(StaleRecord), station.db.write() as s:
        delete_payment(s, station.clerk, pay_id, pay_version + 1)
    with station.db.write() as s:
        delete_payment(s, station.clerk, pay_id, pay_version)
    with station.db.write() as s:
        delete_subcontract(s, station.clerk, fs.subcontract, version)
    with station.db.read() as s:
        assert s.get(SafetyFeeSubcontract, fs.subcontract) is None
        summaries = list(s.scalars(select(AuditEntry.summary).where(AuditEntry.action == "delete")))
    assert "删除安全生产费用支付记录" in summaries
    assert any(t.startswith("删除分包安全生产费用记录") for t in summaries)
