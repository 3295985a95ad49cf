"""Eight clerks issuing at once on PostgreSQL get distinct, gapless numbers (each its own connection pool)."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from station_app.db.database import Database
from station_app.models import DocumentSerial, IssuedDocument
from station_app.services.documents.issuing import IssueRequest, issue_document
from tests.conftest import _reset_pg, make_station
from tests.services.documents.document_fixtures import ISSUED_ON, make_doc_site

THREADS = 8
PER_THREAD = 10


class _Abandoned(Exception):
    pass


@pytest.mark.pg
def test_concurrent_issue_on_postgresql_is_gapless(pg_url: str, tmp_path: Path) -> None:
    main = Database(pg_url)
    _reset_pg(main)
    from station_app.services.reference import load_into_rules

    load_into_rules(main)
    station = make_station(main)
    ds = make_doc_site(station, tmp_path, hazards=2)
    errors: list[BaseException] = []
    numbers: list[tuple[str, int]] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def clerk(n: int) -> None:
        # a separate Database per thread: its own engine and writer lane, like a clerk on another PC
        db = Database(pg_url)
        try:
            start.wait()
            for i in range(PER_THREAD):
                doc_type = "安全隐患整改通知书" if (n + i) % 2 else "停工整改通知书"
                try:
                    with db.write() as s:
                        d = issue_document(s, station.clerk, IssueRequest(
                            doc_type, ISSUED_ON, "李站长", inspection_id=ds.inspection_id,
                            hazard_ids=tuple(ds.hazard_ids)))
                        got = (d.doc_type, d.serial)
                        if i % 4 == 3:  # the clerk's transaction fails after numbering: the number returns
                            raise _Abandoned
                except _Abandoned:
                    continue
                with lock:
                    numbers.append(got)
        except BaseException as err:  # reported below
            errors.append(err)
        finally:
            db.dispose()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(numbers) == THREADS * (PER_THREAD - PER_THREAD // 4)
    for doc_type, count in Counter(t for t, _ in numbers).items():
        serials = sorted(s for t, s in numbers if t == doc_type)
        assert serials == list(range(1, count + 1)), doc_type  # no duplicate, none skipped
    with main.read() as s:
        stored = list(s.execute(select(IssuedDocument.doc_type, IssuedDocument.serial, IssuedDocument.number)))
        counters = {r.doc_type: r.last_serial for r in s.scalars(select(DocumentSerial))}
    assert len({n for _, _, n in stored}) == len(stored) == len(numbers)
    assert counters == dict(Counter(t for t, _ in numbers))
    main.dispose()
