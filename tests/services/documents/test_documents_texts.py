"""Legal wording as reference data (an admin edit changes the printed text) and the printed 作废记录."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from station_app import clock
from station_app.errors import ValidationError
from station_app.models import DocumentSerial, IssuedDocument
from station_app.rules import documents as doc_rules
from station_app.services import reference
from station_app.services.documents.issuing import (
    VOID_RECORD,
    IssueRequest,
    issue_document,
    void_document,
    void_record_of,
)
from station_app.services.documents.rendering import docx_text
from tests.conftest import Station
from tests.services.documents.document_fixtures import ISSUED_ON, DocSite, make_doc_site

RECT = "安全隐患整改通知书"


@pytest.fixture
def ds(station: Station, tmp_path: Path) -> DocSite:
    return make_doc_site(station, tmp_path, hazards=2, photos=1)


def _issue(ds: DocSite, doc_type: str = RECT, **kw: object) -> tuple[int, str]:
    base: dict[str, object] = {"doc_type": doc_type, "issue_date": ISSUED_ON, "signer_name": "李站长",
                               "inspection_id": ds.inspection_id, "hazard_ids": tuple(ds.hazard_ids)}
    base.update(kw)
    with ds.station.db.write() as s:
        d = issue_document(s, ds.station.supervisor, IssueRequest(**base))  # type: ignore[arg-type]
        return d.id, d.number


def _text(ds: DocSite, doc_id: int) -> str:
    with ds.station.db.read() as s:
        d = s.get(IssuedDocument, doc_id)
        assert d is not None
        return docx_text(d.content)


def _edit(station: Station, doc_type: str, **changes: object) -> None:
    with station.db.read() as s:
        row = next(r for r in reference.list_rows(s, "document_texts") if r.key == doc_type)
    with station.db.write() as s:
        reference.edit_row(s, station.admin, row.id, {**row.payload, **changes})
    reference.load_into_rules(station.db)


def test_shipped_wording_is_printed(ds: DocSite) -> None:
    text = _text(ds, _issue(ds)[0])
    assert "依据《建设工程安全生产管理条例》第四十三条的规定，现责令你单位" in text
    assert "之日起60日内向" in text and "6个月内依法向人民法院提起行政诉讼" in text
    assert "《中华人民共和国行政复议法》第二十条" in text


def test_admin_edit_changes_the_printed_basis_rights_and_periods(ds: DocSite) -> None:
    _edit(ds.station, RECT, basis="《某省建设工程安全生产条例》第二十条", reconsideration_days=45,
          litigation_months=3, rights_basis="《甲法》第一条",
          rights_text="如不服{subject}，可于{reconsideration_days}日内向{reconsideration_body}申请复议，"
                      "或于{litigation_months}个月内起诉（{rights_basis}）。")
    text = _text(ds, _issue(ds)[0])
    assert "依据《某省建设工程安全生产条例》第二十条的规定" in text
    assert "第四十三条" not in text
    assert "如不服本通知，可于45日内向" in text and "人民政府申请复议，或于3个月内起诉（《甲法》第一条）。" in text
    # an empty rights text: the type no longer grants the paragraph
    _edit(ds.station, RECT, rights_text="")
    assert "申请复议" not in _text(ds, _issue(ds)[0])


def test_admin_edit_changes_the_hearing_notice_basis(ds: DocSite) -> None:
    fields = {"违法事实": "未按规定设置防护。", "法律依据": "《条例》第二十八条", "处罚依据": "《条例》第六十五条",
              "处罚内容": "罚款", "听证申请期限": "2026年3月15日"}
    kind = "行政处罚听证告知书"
    before = _text(ds, _issue(ds, kind, hazard_ids=(), addressee="某公司", extra=fields)[0])
    assert "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有要求举行听证的权利" in before
    _edit(ds.station, kind, rights_basis="《行政处罚法》第六十三条")
    after = _text(ds, _issue(ds, kind, hazard_ids=(), addressee="某公司", extra=fields)[0])
    assert "根据《行政处罚法》第六十三条的规定" in after


def test_bad_wording_is_refused_by_the_editor(ds: DocSite) -> None:
    with ds.station.db.read() as s:
        row = next(r for r in reference.list_rows(s, "document_texts") if r.key == RECT)
    for bad in ({"rights_text": "{subject}{未知}"}, {"rights_text": "{subject", },
                {"reconsideration_days": None}):
        with pytest.raises(ValidationError), ds.station.db.write() as s:
            reference.edit_row(s, ds.station.admin, row.id, {**row.payload, **bad})
    assert doc_rules.document_texts(RECT).reconsideration_days == 60


@pytest.mark.clock
def test_void_prints_a_record_with_its_own_number(ds: DocSite) -> None:
    doc_id, number = _issue(ds)
    void_number = f"东建安监废〔{clock.today().year}〕第001号"  # numbered in the year it is voided
    st = ds.station
    with st.db.write() as s:
        void_document(s, st.chief, doc_id, "受文单位名称有误 <A&B>")
    with st.db.read() as s:
        rec = void_record_of(s, doc_id)
        assert rec is not None
        orig = s.get(IssuedDocument, doc_id)
        assert orig is not None and orig.status == "已作废"
        assert rec.doc_type == VOID_RECORD and rec.number == void_number
        assert hashlib.sha256(rec.content).hexdigest() == rec.sha256 and rec.status == "已签发"
        assert rec.project_id == orig.project_id and rec.signer_name == "李站长"
        serials = dict(s.execute(select(DocumentSerial.doc_type, func.max(DocumentSerial.last_serial))
                                 .group_by(DocumentSerial.doc_type)).all())
        text = docx_text(rec.content)
        cells = [c.text for t in Document(__import__("io").BytesIO(rec.content)).tables
                 for r in t.rows for c in r.cells]
    assert serials == {RECT: 1, VOID_RECORD: 1}  # the voided type's serial was not consumed
    assert number in cells and RECT in cells and orig.sha256 in cells
    assert "受文单位名称有误 <A&B>" in cells and "李站长" in cells
    assert "作废记录" in text and void_number in text
    # the next notice continues the voided type's series; the void record can't itself be voided
    assert _issue(ds)[1] == "东建安监改〔2026〕第002号"
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        void_document(s, st.chief, rec.id, "不行")
    assert "文书类型" in err.value.errors
    with st.db.read() as s:
        assert void_record_of(s, _issue(ds)[0]) is None


def test_void_with_broken_record_template_voids_nothing(ds: DocSite, tmp_path: Path) -> None:
    doc_id, _ = _issue(ds)
    broken = tmp_path / "tpl"
    broken.mkdir()
    d = Document()
    d.add_paragraph("{{ void.no_such_field_here }}{{ 不存在的占位符 }}")
    d.save(str(broken / f"{VOID_RECORD}.docx"))
    with pytest.raises(Exception) as err, ds.station.db.write() as s:
        void_document(s, ds.station.chief, doc_id, "原因", templates_dir=broken)
    assert "不存在的占位符" in str(err.value)
    with ds.station.db.read() as s:
        d2 = s.get(IssuedDocument, doc_id)
        assert d2 is not None and d2.status == "已签发"
        assert s.scalar(select(func.count(IssuedDocument.id)).where(IssuedDocument.doc_type == VOID_RECORD)) == 0
        assert s.scalar(select(DocumentSerial.last_serial).where(DocumentSerial.doc_type == VOID_RECORD)) is None


def test_templates_keep_headings_with_tables_and_rows_whole() -> None:
    """The evidence heading keeps with its table, hazard rows never split, the receipt stays in one piece."""
    from docx.oxml.ns import qn

    from station_app.services.documents.rendering import shipped_template

    for doc_type in (RECT, "停工整改通知书"):
        body = Document(str(shipped_template(doc_type))).element.body
        paras = [p for p in body.iter(qn("w:p"))]
        heading = next(p for p in paras if "附：证据清单" in "".join(t.text or "" for t in p.iter(qn("w:t"))))
        assert heading.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
        tables = list(body.iter(qn("w:tbl")))
        hazard_rows = tables[0].findall(qn("w:tr"))
        assert hazard_rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert hazard_rows[2].find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
        receipt_first = tables[-1].findall(qn("w:tr"))[0]
        assert all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in receipt_first.iter(qn("w:p")))


def test_printed_notices_have_no_blank_page_and_the_evidence_list_stays_whole(
        sqlite_station: Station, tmp_path: Path) -> None:
    """LibreOffice → PDF → text and PNG per page (skipped where LibreOffice/poppler are missing)."""
    import shutil
    import subprocess

    from station_app.paths import DataDir
    from station_app.services.documents.issuing import document_file
    from station_app.services.documents.printing import export_pdfs, office_binary

    if office_binary() is None or not shutil.which("pdftoppm") or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice/poppler not installed")
    site = make_doc_site(sqlite_station, tmp_path, hazards=7, photos=3)
    ids = [_issue(site, kind, evidence_blob_ids=tuple(site.blob_ids))[0] for kind in (RECT, "停工整改通知书")]
    data_dir = DataDir(tmp_path / "data").ensure()
    with site.station.db.read() as s:
        paths = [document_file(s, data_dir, i) for i in ids]
    for pdf in export_pdfs(paths, tmp_path / "pdf"):
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                               text=True).stdout.split("\f")
        pages = [p for p in pages[:-1]] if pages[-1].strip() == "" and len(pages) > 1 else pages
        assert all(p.strip() for p in pages), f"{pdf.name}: a blank page"
        with_heading = [p for p in pages if "附：证据清单" in p]
        assert len(with_heading) == 1 and "ZJ" in with_heading[0].split("附：证据清单", 1)[1]
        assert any("签收回执" in p.replace(" ", "") and "文书" in p.split("签", 1)[-1] for p in pages)
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / pdf.stem)], check=True)
        assert len(list(tmp_path.glob(f"{pdf.stem}-*.png"))) == len(pages)


def test_word_com_converts_on_windows_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Word path (Windows, pywin32, no LibreOffice) with a recording stand-in for Word's COM objects."""
    import sys
    import types

    from station_app.services.documents import printing as document_print

    if sys.platform != "win32":
        assert not document_print.word_available()  # never the Word path on Linux
    calls: list[str] = []

    class FakeDoc:
        def ExportAsFixedFormat(self, path: str, fmt: int) -> None:
            calls.append(f"export {fmt}")
            Path(path).write_bytes(b"%PDF-1.7 word")

        def Close(self, save: bool) -> None:
            calls.append(f"close {save}")

    class FakeWord:
        Visible, DisplayAlerts = True, 1

        class Documents:
            @staticmethod
            def Open(path: str, **kw: object) -> FakeDoc:
                calls.append(f"open {Path(path).name} {kw['ReadOnly']}")
                return FakeDoc()

        def Quit(self) -> None:
            calls.append("quit")

    client = types.SimpleNamespace(DispatchEx=lambda name: FakeWord())
    win32com = types.ModuleType("win32com")
    win32com.client = client  # type: ignore[attr-defined]
    pythoncom = types.SimpleNamespace(CoInitialize=lambda: None, CoUninitialize=lambda: None)
    monkeypatch.setitem(sys.modules, "win32com", win32com)
    monkeypatch.setitem(sys.modules, "win32com.client", client)
    monkeypatch.setitem(sys.modules, "pythoncom", pythoncom)
    monkeypatch.setattr(document_print, "office_binary", lambda: None)
    monkeypatch.setattr(document_print, "word_available", lambda: True)
    src = tmp_path / "a.docx"
    src.write_bytes(b"docx")
    made = document_print.export_pdfs([src], tmp_path / "pdf")
    assert made == [tmp_path / "pdf" / "a.pdf"] and made[0].read_bytes().startswith(b"%PDF")
    assert calls == ["open a.docx True", "export 17", "close False", "quit"]
    assert not list((tmp_path / "pdf").glob(".tmp-*"))
    monkeypatch.setattr(document_print, "word_available", lambda: False)
    assert document_print.export_pdfs([src], tmp_path / "pdf") == []
