"""An admin ends a rule's reference data and enters nothing after it: on a later day (the clock moved
there) the clerk's action is refused with a message naming the field, the dataset and the day, and
nothing is numbered or stored; before the end date the same action goes through."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station_app import clock
from station_app.errors import ValidationError
from station_app.models import IssuedDocument
from station_app.services.documents.issuing import IssueRequest, issue_document, preview_document
from station_app.services.reference import edit_row, list_rows, load_into_rules
from tests.conftest import Station
from tests.services.documents.document_fixtures import make_doc_site

RECT = "安全隐患整改通知书"


def _end_document_texts(station: Station, doc_type: str, day: str) -> None:
    with station.db.write() as s:
        row = next(r for r in list_rows(s, "document_texts") if r.key == doc_type)
        edit_row(s, station.admin, row.id, {**row.payload, "effective_to": day})
    load_into_rules(station.db)


def test_a_notice_after_its_legal_texts_ended_is_refused_naming_the_issue_date(
        station: Station, tmp_path: Path, clock_at: Callable[[date], date]) -> None:
    ds = make_doc_site(station, tmp_path, hazards=0)
    _end_document_texts(station, RECT, "2027-01-01")

    def request() -> IssueRequest:
        today = clock.today()
        return IssueRequest(RECT, today, "李站长", inspection_id=ds.inspection_id, deadline=today + timedelta(7))

    clock_at(date(2027, 3, 1))
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        issue_document(s, station.supervisor, request())
    assert list(err.value.errors) == ["签发日期"]
    assert err.value.errors["签发日期"] == (
        "参考数据“执法文书依据及权利告知”中没有2027年3月1日施行的规定：已收录的规定自2027年1月1日起不再施行，"
        "新的规定尚未录入；请管理员在 系统设置 → 参考数据 中录入")
    with pytest.raises(ValidationError, match="执法文书依据及权利告知"), station.db.read() as s:
        preview_document(s, request())
    with station.db.read() as s:
        assert s.scalar(select(func.count(IssuedDocument.id))) == 0

    clock_at(date(2026, 12, 31))  # the last day the texts apply: the notice goes out with its basis
    with station.db.write() as s:
        issued = issue_document(s, station.supervisor, request())
    assert issued.number and issued.issue_date == date(2026, 12, 31)
