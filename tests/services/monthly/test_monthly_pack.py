"""The report pack: workbook and document reopened and compared with the service; templates; sign-off; CLI."""

from __future__ import annotations

import hashlib
import io
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from station_app.db.database import Database
from station_app.errors import PermissionDenied, ValidationError
from station_app.exports.monthly_xlsx import TemplateError
from station_app.models import Inspection
from station_app.services.monthly.pack import DOCX_NAME, XLSX_NAME, Narrative, PeriodSigned, generate_pack
from station_app.services.monthly.signoff import (
    compare_with_signed,
    export_signed,
    get_report,
    save_narrative,
    sign_off,
)
from station_app.services.monthly.stats import ReportPeriod
from tests.conftest import make_station
from tests.services.monthly.monthly_fixtures import OCT, build

TODAY = date(2026, 11, 2)


def _summary_values(path: Path) -> dict[str, list[object]]:
    ws = load_workbook(path).worksheets[0]
    return {str(r[1].value): [c.value for c in r[3:10]] for r in ws.iter_rows(min_row=4) if r[1].value}


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.append("|".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_pack_files_agree_with_each_other_and_the_service(db: Database, tmp_path: Path) -> None:
    st = make_station(db)
    build(st)
    period = ReportPeriod.parse(OCT)
    with db.write() as s:
        save_narrative(s, st.clerk, period, Narrative(work_summary="开展“安全生产月”活动。\n组织A<B & C专项检查。",
                                                      problems="部分项目整改不及时。", next_plan="开展冬季施工检查。",
                                                      signer_name="李站长"))
    with db.read() as s:
        result = generate_pack(s, st.clerk, period, tmp_path / "out", templates_dir=tmp_path / "tpl", today=TODAY)
    f = result.figures
    values = _summary_values(result.xlsx)
    assert values["在监项目数"][0] == f["在监项目数"].current == 6
    assert values["检查次数"][:3] == [5, 6, 1]  # 本期, 本年累计, 去年同期
    assert values["检查次数"][3] == "+400.0%"
    assert values["覆盖率"][0] == 50.0
    assert values["在监面积"][0] == float(f["在监面积"].current)
    assert values["危大工程数"][0] == "未建台账"
    wb = load_workbook(result.xlsx)
    active = wb["明细-在监项目"]
    assert active.freeze_panes == "A4" and int(active.page_setup.paperSize) == 9
    rows = [r for r in active.iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert len(rows) == 6
    heads = [c for r in active.iter_rows(max_row=3, values_only=True) for c in r if c]
    assert heads[1].startswith("统计期间：2026年10月1日至2026年10月31日；")  # dates a reader reads: Chinese form
    summary = wb.worksheets[0]
    link = next(r[9] for r in summary.iter_rows(min_row=4) if r[1].value == "在监项目数")
    assert link.value == "明细-在监项目" and link.hyperlink is not None
    assert "按网格统计" in wb.sheetnames and "按监督员统计" in wb.sheetnames
    text = _docx_text(result.docx)
    assert "全站在监项目6个" in text and "开展监督检查5次、8人次" in text
    assert "组织A<B & C专项检查。" in text  # escaped, not corrupting the XML
    assert "部分项目整改不及时。" in text and "签发人：李站长" in text
    assert "以下台账本站尚未建立，相关数据暂不统计：危险性较大的分部分项工程" in text  # named, not zeros
    assert "检查次数|次|5|6|1|+400.0%" in text


def test_bad_templates_are_reported_and_nothing_is_written(db: Database, tmp_path: Path) -> None:
    st = make_station(db)
    build(st)
    tpl, out = tmp_path / "tpl", tmp_path / "out"
    tpl.mkdir()
    wb = load_workbook(Path(__file__).resolve().parents[3] / "templates_docx" / XLSX_NAME)
    wb.worksheets[0]["L2"] = "{{不存在的指标}} 和 {{在监项目数}}"
    wb.save(tpl / XLSX_NAME)
    with db.read() as s, pytest.raises(TemplateError, match="不存在的指标"):
        generate_pack(s, st.clerk, ReportPeriod.parse(OCT), out, templates_dir=tpl, today=TODAY)
    assert not out.exists() or not any(out.iterdir())
    (tpl / XLSX_NAME).write_text("这不是工作簿", encoding="utf-8")
    with db.read() as s, pytest.raises(TemplateError, match="不是"):
        generate_pack(s, st.clerk, ReportPeriod.parse(OCT), out, templates_dir=tpl, today=TODAY)
    (tpl / XLSX_NAME).unlink()
    (tpl / DOCX_NAME).write_bytes(b"PK\x03\x04 broken")
    with db.read() as s, pytest.raises(TemplateError, match="Word"):
        generate_pack(s, st.clerk, ReportPeriod.parse(OCT), out, templates_dir=tpl, today=TODAY)
    assert not out.exists() or not any(out.iterdir())
    with db.read() as s, pytest.raises(ValidationError, match="尚未结束"):
        generate_pack(s, st.clerk, ReportPeriod.parse("2026-11"), out, today=TODAY)


def test_an_admins_workbook_with_defined_names_is_filled(sqlite_db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    st = make_station(sqlite_db)
    build(st)
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    wb = Workbook()
    ws = wb.active
    ws.title = "市局表"
    ws["A1"] = "{{报表期间}}报表"
    ws["B3"] = None
    wb.defined_names["检查次数"] = DefinedName("检查次数", attr_text="'市局表'!$B$3")
    wb.save(tpl / XLSX_NAME)
    with sqlite_db.read() as s:
        result = generate_pack(s, st.clerk, ReportPeriod.parse(OCT), tmp_path / "o", templates_dir=tpl, today=TODAY)
    back = load_workbook(result.xlsx)["市局表"]
    assert back["A1"].value == "2026年10月报表" and back["B3"].value == 5


def test_sign_off_freezes_the_month(db: Database, tmp_path: Path) -> None:
    st = make_station(db)
    ids = build(st)
    period = ReportPeriod.parse(OCT)
    with db.write() as s, pytest.raises(PermissionDenied):
        sign_off(s, st.supervisor, period, today=TODAY)
    with db.write() as s, pytest.raises(ValidationError, match="交叉核对"):
        sign_off(s, st.chief, period, today=TODAY)  # the planted 停工/网格 issues must be acknowledged
    with db.write() as s:
        info = sign_off(s, st.chief, period, acknowledge=True, today=TODAY)
    assert info.signed and {k for k, *_ in info.files} == {"xlsx", "docx"}
    out = tmp_path / "signed"
    with db.read() as s:
        paths = export_signed(s, period, out)
    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in paths} == {sha for _, _, sha, _ in info.files}
    with db.write() as s, pytest.raises(ValidationError, match=r"已于\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}签发"):
        save_narrative(s, st.clerk, period, Narrative(work_summary="改一下"))
    # a record entered later: the regeneration is refused and says what changed
    with db.write() as s:
        s.add(Inspection(inspected_at=datetime(2026, 10, 30, 9), project_id=ids["p9"], kind="日常巡查"))
    before = {p.name: p.read_bytes() for p in paths}
    with db.read() as s, pytest.raises(PeriodSigned) as caught:
        generate_pack(s, st.clerk, period, out, today=TODAY)
    assert "检查次数（本期）5→6" in str(caught.value)
    assert {p.name: p.read_bytes() for p in paths} == before  # nothing overwritten
    with db.read() as s:
        changes = compare_with_signed(s, period)
        assert get_report(s, period).narrative.work_summary == ""
    assert ("检查次数", "本期", "5", "6") in {(c.label, c.column, c.signed, c.now) for c in changes}


def test_cli_writes_both_files(tmp_path: Path, sqlite_template: Path) -> None:
    from station_app.__main__ import main
    from station_app.db.migrate import upgrade  # noqa: F401  (the template is migrated already)

    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(sqlite_template, data / "station.sqlite3")
    db = Database(f"sqlite:///{data / 'station.sqlite3'}", data_dir=data)
    build(make_station(db))
    db.dispose()
    out = tmp_path / "out"
    assert main(["--data-dir", str(data), "report", "monthly", "--month", OCT, "--out", str(out)]) == 0
    files = sorted(p.suffix for p in out.iterdir())
    assert files == [".docx", ".xlsx"]
    xlsx = next(out.glob("*.xlsx"))
    assert _summary_values(xlsx)["检查次数"][0] == 5
    assert main(["--data-dir", str(data), "report", "monthly", "--month", "2999-01", "--out", str(out)]) == 2
    assert io.BytesIO(xlsx.read_bytes()).getbuffer().nbytes > 0
