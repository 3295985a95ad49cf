"""Issuing enforcement documents on SQLite and PostgreSQL: numbers, rendering, storing, voiding, refusing."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from station_app.errors import NotFound, PermissionDenied, StationError, ValidationError
from station_app.models import AuditEntry, DocumentEvidence, DocumentHazard, DocumentSerial, IssuedDocument
from station_app.paths import DataDir
from station_app.rules import refdata
from station_app.services.documents.issuing import (
    IssueRequest,
    blank_form,
    document_context,
    document_file,
    issue_document,
    preview_document,
    void_document,
)
from station_app.services.documents.rendering import docx_text, shipped_template
from tests.conftest import Station
from tests.services.documents.document_fixtures import ISSUED_ON, DocSite, add_hazards, make_doc_site

RECT = "安全隐患整改通知书"
STOP = "停工整改通知书"


@pytest.fixture
def ds(station: Station, tmp_path: Path) -> DocSite:
    return make_doc_site(station, tmp_path, hazards=3, photos=2)


def _req(ds: DocSite, doc_type: str = RECT, **kw: object) -> IssueRequest:
    base: dict[str, object] = {"doc_type": doc_type, "issue_date": ISSUED_ON, "signer_name": "李站长",
                               "inspection_id": ds.inspection_id, "hazard_ids": tuple(ds.hazard_ids)}
    base.update(kw)
    return IssueRequest(**base)  # type: ignore[arg-type]


def _issue(ds: DocSite, doc_type: str = RECT, **kw: object) -> tuple[int, str, int]:
    with ds.station.db.write() as s:
        d = issue_document(s, ds.station.supervisor, _req(ds, doc_type, **kw))
        return d.id, d.number, d.serial


def _counts(ds: DocSite) -> tuple[int, int]:
    with ds.station.db.read() as s:
        docs = s.scalar(select(func.count(IssuedDocument.id))) or 0
        serials = s.scalar(select(func.coalesce(func.sum(DocumentSerial.last_serial), 0))) or 0
    return docs, serials


def test_numbers_are_gapless_per_type_and_restart_each_year(ds: DocSite) -> None:
    got = [_issue(ds)[1:] for _ in range(3)]
    assert got == [("东建安监改〔2026〕第001号", 1), ("东建安监改〔2026〕第002号", 2), ("东建安监改〔2026〕第003号", 3)]
    assert _issue(ds, STOP)[1:] == ("东建安监停〔2026〕第001号", 1)
    later = add_hazards(ds.station, ds.site, None, 1, start=50)
    with ds.station.db.write() as s:
        from station_app.models import Hazard
        s.get(Hazard, later[0]).deadline = date(2027, 1, 20)  # type: ignore[union-attr]
    assert _issue(ds, issue_date=date(2027, 1, 5), inspection_id=None, project_id=ds.site.project,
                  hazard_ids=tuple(later))[1:] == ("东建安监改〔2027〕第001号", 1)
    assert _issue(ds)[1:] == ("东建安监改〔2026〕第004号", 4)


def test_issue_stores_file_hash_context_links_and_audit(ds: DocSite) -> None:
    doc_id, number, _ = _issue(ds, evidence_blob_ids=tuple(ds.blob_ids))
    with ds.station.db.read() as s:
        d = s.get(IssuedDocument, doc_id)
        assert d is not None
        assert hashlib.sha256(d.content).hexdigest() == d.sha256 and d.size == len(d.content)
        assert d.template_sha256 == hashlib.sha256(shipped_template(RECT).read_bytes()).hexdigest()
        assert d.template_source == "内置" and d.addressee == "江苏东海建工集团有限公司"
        assert d.deadline == max(ISSUED_ON.replace(day=10 + 3 + i % 5) for i in (1, 2, 3))
        assert [h.hazard_id for h in s.scalars(select(DocumentHazard).order_by(DocumentHazard.seq))] == ds.hazard_ids
        ev = list(s.scalars(select(DocumentEvidence).order_by(DocumentEvidence.seq)))
        assert [e.evidence_code for e in ev] == [f"ZJ{b:06d}" for b in ds.blob_ids]
        ctx = document_context(s, doc_id)
        audit = s.scalar(select(AuditEntry).where(AuditEntry.entity_type == "document"))
        text = docx_text(d.content)
    assert ctx["doc"]["number"] == number and len(ctx["hazards"]) == 3
    assert audit is not None and number in audit.summary
    for e in ev:
        assert e.evidence_code in text and e.sha256_prefix in text
    assert "二〇二六年三月十日" in text and "2026年3月14日" in text
    assert "60日内" in text and "6个月内" in text and "签 收 回 执" in text


def test_render_escapes_and_grows_the_hazard_table(station: Station, tmp_path: Path) -> None:
    ds = make_doc_site(station, tmp_path, hazards=0)
    nasty = '模板<支撑> & "扣件" \'松动\''
    ds.hazard_ids = add_hazards(station, ds.site, ds.inspection_id, 60, description=nasty, major_every=7)
    doc_id, _, _ = _issue(ds, addressee='A<B & "C" 公司')
    with station.db.read() as s:
        d = s.get(IssuedDocument, doc_id)
        assert d is not None
        data = d.content
    word = Document(io.BytesIO(data))
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "序号")
    assert len(table.rows) == 61
    assert table.rows[60].cells[3].text == f"{nasty}（第60处）"
    assert table.rows[7].cells[3].text.endswith("（重大事故隐患，判定标准 2022-8-1）")
    assert any(p.text == 'A<B & "C" 公司：' for p in word.paragraphs)


def test_bad_input_is_refused_and_nothing_is_numbered(ds: DocSite) -> None:
    cases = [
        (dict(signer_name="  "), "签发人"),
        (dict(deadline=date(2026, 3, 1)), "整改期限"),
        (dict(hazard_ids=(), deadline=None), "整改期限"),
        (dict(doc_type="不存在的文书"), "文书类型"),
        (dict(doc_type="局部停工整改通知书"), "停工部位"),
        (dict(doc_type="隐患整改完成报告"), "文书类型"),
    ]
    for kw, field in cases:
        with pytest.raises(ValidationError) as err, ds.station.db.write() as s:
            issue_document(s, ds.station.supervisor, _req(ds, **kw))
        assert field in err.value.errors, (kw, err.value.errors)
    with ds.station.db.write() as s:
        from station_app.models import Hazard
        s.get(Hazard, ds.hazard_ids[1]).deadline = date(2026, 3, 5)  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as err, ds.station.db.write() as s:
        issue_document(s, ds.station.supervisor, _req(ds))
    assert "隐患第2行" in err.value.errors and "YH2026-000002" in str(err.value)
    with pytest.raises(PermissionDenied), ds.station.db.write() as s:
        issue_document(s, ds.station.readonly, _req(ds))
    assert _counts(ds) == (0, 0)


def test_pattern_without_serial_is_refused(ds: DocSite) -> None:
    rows = refdata.rows("document_number_patterns")
    for r in rows:
        if r["doc_type"] == RECT:
            r["template"] = "{prefix}〔{year}〕号"
    refdata.install({"document_number_patterns": rows})
    with pytest.raises(ValidationError) as err, ds.station.db.write() as s:
        issue_document(s, ds.station.supervisor, _req(ds))
    assert "编号格式" in err.value.errors and "{serial}" in str(err.value)
    assert _counts(ds) == (0, 0)


def _admin_template(folder: Path, extra_paragraph: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    word = Document(str(shipped_template(RECT)))
    word.add_paragraph(extra_paragraph)
    path = folder / f"{RECT}.docx"
    word.save(str(path))
    return path


def test_unknown_placeholder_names_it_and_stores_nothing(ds: DocSite, tmp_path: Path) -> None:
    folder = tmp_path / "admin_templates"
    _admin_template(folder, "备注：{{ 不存在的字段 }}")
    with pytest.raises(ValidationError) as err, ds.station.db.write() as s:
        issue_document(s, ds.station.supervisor, _req(ds), templates_dir=folder)
    assert "不存在的字段" in str(err.value)
    _admin_template(folder, "备注：{{ project.no_such_attr }}")
    with pytest.raises(ValidationError) as err, ds.station.db.write() as s:
        issue_document(s, ds.station.supervisor, _req(ds), templates_dir=folder)
    assert "no_such_attr" in str(err.value)
    assert _counts(ds) == (0, 0)


def test_admin_template_wins(ds: DocSite, tmp_path: Path) -> None:
    folder = tmp_path / "admin_templates"
    _admin_template(folder, "本站自定义：{{ project.name }}")
    with ds.station.db.write() as s:
        d = issue_document(s, ds.station.supervisor, _req(ds), templates_dir=folder)
        text, source = docx_text(d.content), d.template_source
    assert "本站自定义：东海新区安置房一期" in text and source == "自定义"


def test_reprint_gives_the_same_bytes_and_detects_tampering(ds: DocSite, tmp_path: Path) -> None:
    doc_id, _, _ = _issue(ds)
    data_dir = DataDir(tmp_path / "data").ensure()
    with ds.station.db.read() as s:
        first = document_file(s, data_dir, doc_id)
        original = first.read_bytes()
        sha = s.get(IssuedDocument, doc_id).sha256  # type: ignore[union-attr]
    assert hashlib.sha256(original).hexdigest() == sha
    first.chmod(0o644)
    first.write_bytes(b"changed in Word")
    with ds.station.db.read() as s:
        again = document_file(s, data_dir, doc_id)
    assert again == first and again.read_bytes() == original
    with ds.station.db.write() as s:
        s.get(IssuedDocument, doc_id).content = b"tampered"  # type: ignore[union-attr]
    with pytest.raises(StationError, match="SHA-256"), ds.station.db.read() as s:
        document_file(s, data_dir, doc_id)


def test_void_is_chief_only_keeps_number_and_file(ds: DocSite) -> None:
    doc_id, number, _ = _issue(ds)
    st = ds.station
    with pytest.raises(PermissionDenied), st.db.write() as s:
        void_document(s, st.supervisor, doc_id, "写错了")
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        void_document(s, st.chief, doc_id, "  ")
    assert "作废原因" in err.value.errors
    with st.db.read() as s:
        before = s.get(IssuedDocument, doc_id).sha256  # type: ignore[union-attr]
    with st.db.write() as s:
        void_document(s, st.chief, doc_id, "受文单位名称有误")
    with st.db.read() as s:
        d = s.get(IssuedDocument, doc_id)
        assert d is not None
        assert (d.status, d.number, d.sha256, d.void_reason, d.voided_by_name) == (
            "已作废", number, before, "受文单位名称有误", "李站长")
    with pytest.raises(ValidationError), st.db.write() as s:
        void_document(s, st.chief, doc_id, "再作废一次")
    with pytest.raises(NotFound), st.db.write() as s:
        void_document(s, st.chief, 999999, "不存在")
    assert _issue(ds)[1] == "东建安监改〔2026〕第002号"


def test_preview_is_marked_and_takes_no_number(ds: DocSite) -> None:
    with ds.station.db.read() as s:
        data = preview_document(s, _req(ds, signer_name=""))
    text = docx_text(data)
    assert "预览" in text and "（签发时编号）" in text and "YH2026-000003" in text
    assert _counts(ds) == (0, 0)


def test_case_documents_take_the_callers_fields(ds: DocSite) -> None:
    extra = {"当事人": "江苏东海建工集团有限公司", "违法事实": "未对危大工程编制专项施工方案。",
             "证据": "现场检查笔录、照片", "法律依据": "《建设工程安全生产管理条例》第二十六条",
             "处罚依据": "《建设工程安全生产管理条例》第六十五条", "处罚内容": "责令限期改正",
             "罚款金额_fen": 12_000_000, "告知日期": date(2026, 3, 2)}
    with ds.station.db.write() as s:
        d = issue_document(s, ds.station.clerk, IssueRequest(
            "行政处罚决定书", ISSUED_ON, "李站长", project_id=ds.site.project, extra=extra))
        text, number = docx_text(d.content), d.number
    assert number == "东建罚决〔2026〕第001号"
    assert "连云港市住房和城乡建设局" in text and "罚款人民币120,000.00元" in text
    assert "2026年3月2日" in text and "60日内" in text and "缴至__________" in text
    with pytest.raises(ValidationError) as err, ds.station.db.write() as s:
        issue_document(s, ds.station.clerk, IssueRequest("行政处罚决定书", ISSUED_ON, "李站长",
                                                         extra={"当事人": "某公司"}))
    assert {"违法事实", "法律依据", "处罚依据", "处罚内容"} <= set(err.value.errors)


def test_contractor_forms_print_blank_or_prefilled(ds: DocSite) -> None:
    with ds.station.db.read() as s:
        filled = docx_text(blank_form(s, "隐患整改完成报告", project_id=ds.site.project,
                                      hazard_ids=tuple(ds.hazard_ids), extra={"原通知书文号": "东建安监改〔2026〕第001号"}))
        blank = docx_text(blank_form(s, "复工申请"))
    assert "YH2026-000002" in filled and "东建安监改〔2026〕第001号" in filled and "江苏东海建工集团有限公司" in filled
    assert "东海县建设工程安全监督站：" in blank and "__________" in blank


def test_every_shipped_template_renders(ds: DocSite) -> None:
    from station_app.services.documents.context import all_types

    with ds.station.db.read() as s:
        for doc_type in all_types():
            text = docx_text(preview_document(s, _req(ds, doc_type)))
            assert doc_type in text, doc_type


def test_context_is_json(ds: DocSite) -> None:
    doc_id, _, _ = _issue(ds)
    with ds.station.db.read() as s:
        raw = s.get(IssuedDocument, doc_id).context_json  # type: ignore[union-attr]
    assert json.loads(raw)["project"]["contractor"] == "江苏东海建工集团有限公司"


@pytest.mark.slow
def test_printed_pages_as_images(sqlite_station: Station, tmp_path: Path) -> None:
    """LibreOffice → PDF → PNG for the two notices (skipped where LibreOffice is not installed)."""
    from station_app.services.documents.printing import export_pdfs, office_binary

    if office_binary() is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice/pdftoppm not installed")
    import subprocess

    ds = make_doc_site(sqlite_station, tmp_path, hazards=4, photos=1)
    data_dir = DataDir(tmp_path / "data").ensure()
    ids = [_issue(ds)[0], _issue(ds, STOP)[0]]
    with ds.station.db.read() as s:
        paths = [document_file(s, data_dir, i) for i in ids]
    pdfs = export_pdfs(paths, tmp_path / "pdf")
    assert len(pdfs) == 2
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF")
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(pdf.with_suffix(""))],
                       check=True, capture_output=True)
        assert pdf.with_name(pdf.stem + "-1.png").stat().st_size > 5000


def test_committed_templates_are_what_the_build_script_makes(tmp_path: Path) -> None:
    import importlib.util
    import zipfile

    from station_app.paths import resource_path

    script = resource_path("templates_docx", "build_templates.py")
    spec = importlib.util.spec_from_file_location("build_templates", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path)
    assert len(built) == 15  # 14 document types + 作废记录
    for path in built:
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(shipped_template(path.stem)) as old:
            assert new.read("word/document.xml") == old.read("word/document.xml"), path.name


def test_admin_template_in_the_data_dir_wins_without_being_passed(
        sqlite_station: Station, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from station_app import paths

    monkeypatch.setattr(paths, "_active_templates", None)  # no runtime opened: the SQLite file's folder
    ds = make_doc_site(sqlite_station, tmp_path / "site", hazards=1)
    db_file = sqlite_station.db.sqlite_path
    assert db_file is not None
    _admin_template(db_file.parent / "templates", "本站模板：{{ station.name }}")
    with sqlite_station.db.write() as s:
        d = issue_document(s, sqlite_station.clerk, _req(ds))
        assert "本站模板：东海县建设工程安全监督站" in docx_text(d.content) and d.template_source == "自定义"


def test_the_open_runtime_sets_the_template_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL there is no database file to look beside: start-up names the data dir's folder."""
    from station_app import paths
    from station_app.runtime import open_runtime

    monkeypatch.setattr(paths, "_active_templates", None)
    runtime = open_runtime(tmp_path / "data", log_to_file=False)
    try:
        assert paths.active_templates_dir() == runtime.data.templates
        from station_app.services.documents.rendering import template_path

        _admin_template(runtime.data.templates, "本站模板")
        assert template_path("安全隐患整改通知书")[0] == runtime.data.templates / "安全隐患整改通知书.docx"
    finally:
        runtime.db.dispose()
