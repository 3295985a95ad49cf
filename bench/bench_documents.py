"""执法文书: issue (number + render + store), batch rendering, concurrent numbering on PostgreSQL.

Runs on its own small station (one project, 20 hazards with deadlines) so it does not depend on the
county database having documents:

- issue one 安全隐患整改通知书 with 20 hazards, committed (``issue_document``: validate, context from the
  records, template check, serial row lock, render, SHA-256, rows, audit) — beside bare docxtpl rendering
  the same context from the template file and saving it to memory;
- render 100 documents (the app's ``document_render.render`` on 100 stored contexts) beside bare docxtpl
  (DocxTemplate(path) → render(autoescape=True) → save) on the same contexts, in the same run;
- PostgreSQL: 8 threads × 50 ``issue_document`` calls, each thread its own engine, counted for duplicate
  and skipped serials — beside 8 × 50 raw ``UPDATE … RETURNING`` counter bumps with psycopg (no rendering).
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.common import Figure, best_of
from station_app.db.database import Database
from station_app.db.migrate import upgrade
from station_app.models.enums import Role
from station_app.services.context import SYSTEM, Actor

DOC = "安全隐患整改通知书"
ON = date(2026, 3, 10)
CLERK = Actor(None, "bench", "陈内勤", Role.CLERK)
PG_URL = os.environ.get("STATION_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _uscc(n: int) -> str:
    from station_app.rules.ids import uscc_check_char

    body = f"91320722{n:09d}"
    return body + uscc_check_char(body)


def _station(db: Database, hazards: int = 20) -> tuple[int, tuple[int, ...]]:
    """A set-up station with one project (施工总承包 named) and ``hazards`` hazards; (project id, hazard ids)."""
    from station_app.models import Hazard
    from station_app.services.reference import load_into_rules
    from station_app.services.registry.enterprises import EnterpriseData, create_enterprise
    from station_app.services.registry.projects import PartyData, ProjectData, create_project
    from station_app.services.station import StationInfo, init_station

    upgrade(db)
    load_into_rules(db)
    with db.write() as s:
        init_station(s, StationInfo("东海县建设工程安全监督站", "", "东海县", "320722", "连云港市住房和城乡建设局"),
                     "admin", "Passw0rd!", "王管理")
    with db.write() as s:
        gc = create_enterprise(s, SYSTEM, EnterpriseData(name="江苏东海建工集团有限公司", uscc=_uscc(1), kind="施工企业"))
        assert gc.id
        project = create_project(s, SYSTEM, ProjectData(
            name="东海新区安置房一期", project_type="房屋建筑工程", status="在建", address="牛山街道和平路18号",
            actual_start=date(2025, 3, 1),
            parties=(PartyData(role="施工总承包", enterprise_id=gc.id),)))
        assert project.id
        ids = []
        for i in range(1, hazards + 1):
            h = Hazard(code=f"YH2026-{i:06d}", project_id=project.id, found_on=ON, category="脚手架",
                       description=f"外脚手架连墙件设置间距过大，局部缺失 & 剪刀撑不连续 <{i}>",
                       location=f"{i % 6 + 1}#楼{i % 18 + 1}层", requirement="按专项方案补设连墙件、剪刀撑并组织验收",
                       deadline=ON + timedelta(days=3 + i % 5), first_deadline=ON + timedelta(days=3 + i % 5),
                       responsible_person_name="刘项目", search_key="")
            s.add(h)
            s.flush()
            ids.append(h.id)
    return project.id, tuple(ids)


def _bare_render(template: Path, context: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(template))
    doc.render(context, autoescape=True)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _sqlite_figures(root: Path) -> list[Figure]:
    import json

    from sqlalchemy import select

    from station_app.models import IssuedDocument
    from station_app.services.documents import rendering as document_render
    from station_app.services.documents.issuing import IssueRequest, issue_document

    db = Database(f"sqlite:///{root / 'docs.sqlite3'}")
    project_id, hazard_ids = _station(db)
    req = IssueRequest(DOC, ON, "李站长", project_id=project_id, hazard_ids=hazard_ids)

    def issue() -> None:
        with db.write() as s:
            issue_document(s, CLERK, req)

    issue_ms = best_of(issue, repeat=9)
    with db.read() as s:
        contexts = [json.loads(c) for c in s.scalars(select(IssuedDocument.context_json).order_by(IssuedDocument.id))]
    while len(contexts) < 100:
        contexts.extend(contexts[: 100 - len(contexts)])
    template = document_render.shipped_template(DOC)
    bare_one = best_of(lambda: _bare_render(template, contexts[0]), repeat=9)

    def app_batch() -> None:
        for c in contexts:
            document_render.render(DOC, c)

    def bare_batch() -> None:
        for c in contexts:
            _bare_render(template, c)

    app_ms, bare_ms = best_of(app_batch, repeat=3), best_of(bare_batch, repeat=3)
    db.dispose()
    return [
        Figure("签发整改通知书(20项隐患,编号+生成+存档)", issue_ms, "bare docxtpl 生成同一文书", bare_one, "≤300 ms"),
        Figure("批量生成100份文书", app_ms, "bare docxtpl 100份(同上下文)", bare_ms, "≤1.3× bare"),
    ]


def _pg_figures() -> list[Figure]:
    import uuid
    from collections import Counter

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from station_app.services.documents.issuing import IssueRequest, issue_document

    try:
        admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("SELECT 1"))
    except Exception as err:
        print(f"  (PostgreSQL not reachable at {PG_URL}: {err}; concurrent figure skipped)")
        return []
    name = f"station_bench_docs_{uuid.uuid4().hex[:8]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        main = Database(url)
        project_id, hazard_ids = _station(main, hazards=5)
        req = IssueRequest(DOC, ON, "李站长", project_id=project_id, hazard_ids=hazard_ids)
        serials: list[int] = []
        lock = threading.Lock()
        errors: list[BaseException] = []

        def issuer() -> None:
            db = Database(url)
            try:
                for _ in range(50):
                    with db.write() as s:
                        serial = issue_document(s, CLERK, req).serial
                    with lock:
                        serials.append(serial)
            except BaseException as err:
                errors.append(err)
            finally:
                db.dispose()

        def raw_bumper() -> None:
            import psycopg

            with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)) as conn:
                for _ in range(50):
                    with conn.transaction():
                        conn.execute("UPDATE document_serials SET last_serial = last_serial + 1 "
                                     "WHERE doc_type = 'bench' AND year = 2026 RETURNING last_serial").fetchone()

        def run(target: Any) -> float:
            threads = [threading.Thread(target=target) for _ in range(8)]
            t = time.perf_counter()
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            return (time.perf_counter() - t) * 1000

        app_ms = run(issuer)
        with main.write() as s:
            s.execute(text("INSERT INTO document_serials (doc_type, year, last_serial) VALUES ('bench', 2026, 0)"))
        raw_ms = run(raw_bumper)
        main.dispose()
        dup = sum(n - 1 for n in Counter(serials).values() if n > 1)
        skipped = len(set(range(1, max(serials, default=0) + 1)) - set(serials))
        label = f"PG 8×50并发签发 重号{dup} 跳号{skipped}" + (f" 错误{len(errors)}" if errors else "")
        return [Figure(label, app_ms, "psycopg 8×50 UPDATE…RETURNING", raw_ms, "重号=0 跳号=0")]
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(_data: Path | None = None) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-docs-") as tmp:
        figures = _sqlite_figures(Path(tmp))
    return figures + _pg_figures()


if __name__ == "__main__":
    from bench.common import print_table

    print_table("执法文书 — app vs bare docxtpl / raw SQL", run())
