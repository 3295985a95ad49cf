"""The 执法文书 area as a clerk uses it: issue from an inspection, preview, open, void (chief), print a day."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from station_app.models import IssuedDocument
from station_app.services.documents.rendering import docx_text
from station_app.views.documents import file_actions
from station_app.views.documents.issue_dialog import IssueDocumentDialog
from station_app.views.documents.page import DocumentsPage, VoidDialog
from station_app.views.inspections.page import InspectionsPage
from tests.conftest import Station
from tests.services.documents.document_fixtures import DocSite, make_doc_site
from tests.views.conftest import Messages, make_ctx, type_text


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Files the code asked the system to open (Word/WPS is never launched in tests)."""
    paths: list[Path] = []
    monkeypatch.setattr(file_actions, "open_path", lambda parent, p: paths.append(Path(p)) or True)
    return paths


@pytest.fixture
def ds(sqlite_station: Station, tmp_path: Path) -> DocSite:
    return make_doc_site(sqlite_station, tmp_path / "site", hazards=3, photos=1)


def _issue_from_inspection_page(qtbot: QtBot, ds: DocSite, root: Path, doc_type: str) -> IssueDocumentDialog:
    ctx = make_ctx(ds.station, ds.station.supervisor, root)
    page = InspectionsPage(ctx)
    qtbot.addWidget(page)
    page.select_id(ds.inspection_id)
    assert page.document_button.isEnabled()
    dialog = page.issue_document()
    assert isinstance(dialog, IssueDocumentDialog)
    dialog.type_combo.set_value(doc_type)
    return dialog


def test_clerk_issues_rectification_and_stop_notices_from_an_inspection(
        qtbot: QtBot, ds: DocSite, tmp_path: Path, msgs: Messages, opened: list[Path]) -> None:
    for doc_type, number in (("安全隐患整改通知书", "东建安监改〔2026〕第001号"), ("停工整改通知书", "东建安监停〔2026〕第001号")):
        dialog = _issue_from_inspection_page(qtbot, ds, tmp_path / "data", doc_type)
        # the inspection's hazards are listed, checked, with their deadlines
        assert dialog.hazards.count() == 3
        assert "整改期限 2026年3月14日" in dialog.hazards.item(0).text()
        dialog.check_hazard(ds.hazard_ids[2], False)
        dialog.check_all_evidence()
        dialog.signer.clear()
        type_text(qtbot, dialog.signer, "李站长")
        dialog.issue_date.set_value(date(2026, 3, 10))
        dialog.preview()
        assert opened and "预览" in opened[-1].name and "预览" in docx_text(opened[-1].read_bytes())
        dialog.accept()
        qtbot.waitUntil(lambda d=dialog: d.issued is not None, timeout=15_000)
        assert dialog.issued is not None and dialog.issued[1] == number
        assert opened[-1].name.startswith(number)
        text = docx_text(opened[-1].read_bytes())
        assert "YH2026-000001" in text and "YH2026-000003" not in text and "ZJ000001" in text
    assert "已签发 东建安监停〔2026〕第001号" in msgs.last("confirm")


def test_bad_input_shows_messages_under_the_fields(qtbot: QtBot, ds: DocSite, tmp_path: Path) -> None:
    dialog = _issue_from_inspection_page(qtbot, ds, tmp_path / "data", "安全隐患整改通知书")
    dialog.signer.clear()
    dialog.deadline.set_value(date(2020, 1, 1))
    dialog.accept()
    qtbot.waitUntil(lambda: bool(dialog.field_error("签发人")), timeout=10_000)
    assert dialog.field_error("签发人") == "请填写签发人"
    assert "不能早于签发日期" in dialog.field_error("整改期限")
    with ds.station.db.read() as s:
        assert s.scalar(select(IssuedDocument.id)) is None


def test_documents_page_filters_opens_voids_and_prints_a_day(
        qtbot: QtBot, ds: DocSite, tmp_path: Path, msgs: Messages, opened: list[Path]) -> None:
    from station_app.services.documents.issuing import IssueRequest, issue_document

    st = ds.station
    with st.db.write() as s:
        for doc_type in ("安全隐患整改通知书", "安全隐患整改通知书", "停工整改通知书"):
            issue_document(s, st.supervisor, IssueRequest(doc_type, date(2026, 3, 10), "李站长",
                                                          inspection_id=ds.inspection_id,
                                                          hazard_ids=tuple(ds.hazard_ids)))
    ctx = make_ctx(st, st.chief, tmp_path / "data")
    page = DocumentsPage(ctx)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 3
    page.type_filter.set_value("停工整改通知书")
    assert page.model.rowCount() == 1
    page.type_filter.set_value(None)
    first = page.model.row_id(0)
    page.select_id(first)
    path = page.open_document(first)
    assert path is not None and opened[-1] == path
    with st.db.read() as s:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == s.get(IssuedDocument, first).sha256  # type: ignore[union-attr]
    assert page.void_button.isEnabled()
    dialog = page.void_selected()
    assert isinstance(dialog, VoidDialog)
    type_text(qtbot, dialog.reason, "受文单位名称有误")
    dialog.accept()
    qtbot.waitUntil(lambda: page._status(first) == "已作废", timeout=10_000)
    # the void is printed on the record: its 作废记录 opens at once, numbered in its own series
    qtbot.waitUntil(lambda: len(opened) >= 2, timeout=10_000)
    with st.db.read() as s:
        record = s.scalars(select(IssuedDocument).where(IssuedDocument.doc_type == "作废记录")).one()
        assert record.number.startswith("东建安监废〔") and record.file_name in opened[-1].name
        assert "受文单位名称有误" in docx_text(opened[-1].read_bytes())
    assert page.model.rowCount() == 4
    page.status_filter.set_value("已作废")
    assert page.model.rowCount() == 1
    page.select_id(first)
    assert page.void_record_button.isEnabled() and not page.void_button.isEnabled()
    assert page.open_void_record() == opened[-1] == opened[-2]
    page.type_filter.set_value("作废记录")
    page.status_filter.set_value(None)
    assert page.model.rowCount() == 1
    page.type_filter.set_value(None)
    task = page.print_documents_of(date(2026, 3, 10))
    assert task is not None
    qtbot.waitUntil(lambda: len(opened) >= 4, timeout=120_000)
    made = opened[-1]
    assert made.suffix in (".pdf", ".docx")
    if made.suffix == ".pdf":
        assert "当日文书_2份" in made.name  # the voided one is not printed


def test_supervisor_cannot_void(qtbot: QtBot, ds: DocSite, tmp_path: Path) -> None:
    ctx = make_ctx(ds.station, ds.station.supervisor, tmp_path / "data")
    page = DocumentsPage(ctx)
    qtbot.addWidget(page)
    assert page.add_button.isEnabled()
    page.select_id(page.model.row_id(0)) if page.model.rowCount() else None
    assert not page.void_button.isEnabled()
