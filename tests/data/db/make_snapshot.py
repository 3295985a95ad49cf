"""Write a committed snapshot of a schema revision with rows in it: run once per schema change.

    .venv/bin/python tests/data/db/make_snapshot.py            # the current head
    .venv/bin/python tests/data/db/make_snapshot.py 0001       # an earlier revision
    SNAPSHOT_CODE=/tmp/old .venv/bin/python tests/data/db/make_snapshot.py --majors   # see 0010 below

Demo data (small, seed 7) is generated at head; for an earlier revision the rows of the tables that
revision has are copied into a database migrated only that far. The bulkiest tables are then thinned
to their first rows (and every row left pointing at a removed one goes too), so the file stays ~1–2 MB
while every table keeps rows. test_migrations upgrades every
snapshot to head and checks that no row is lost (child rows included: that is what a batch re-create
with foreign keys on silently deletes).

0010.sqlite3 holds what the app wrote before migration 0011 corrected the 2024 major-hazard standard: its
2024 criterion codes are those of the old copied rows. It was written with ``--majors`` by the code of
commit ce2c046 (``git archive ce2c046 | tar -x -C /tmp/old``, then ``SNAPSHOT_CODE=/tmp/old``): the demo data of
that code, thinned to every hazard and finding judged under a criterion plus a few rows per table, on
1 KiB pages (~1 MB).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

#: the station_app whose demo data and migrations are written (default: this checkout)
sys.path.insert(0, os.environ.get("SNAPSHOT_CODE") or str(Path(__file__).resolve().parents[3]))

from station_app.db.migrate import head_revision
from station_app.runtime import open_runtime
from station_app.services import auth


def _demo(tmp: Path) -> Path:
    from station_app.demo import generate

    rt = open_runtime(tmp, log_to_file=False)
    generate(rt.db, scale="small", seed=7)
    rt.close()
    return tmp / "station.sqlite3"


def _at_revision(path: Path, revision: str) -> None:
    from alembic import command

    from station_app.db.database import Database
    from station_app.db.migrate import _config

    db = Database(f"sqlite:///{path}")
    with db.engine.connect() as conn:
        command.upgrade(_config(conn), revision)
        conn.commit()
    db.dispose()


def _copy_rows(src: Path, dest: Path) -> None:
    con = sqlite3.connect(dest)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("ATTACH DATABASE ? AS src", (str(src),))
    tables = [r[0] for r in con.execute("SELECT name FROM main.sqlite_master WHERE type='table' "
                                        "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
    for t in tables:
        cols = [r[1] for r in con.execute(f'PRAGMA main.table_info("{t}")')]
        names = ", ".join(f'"{c}"' for c in cols)
        con.execute(f'DELETE FROM main."{t}"')
        con.execute(f'INSERT INTO main."{t}" ({names}) SELECT {names} FROM src."{t}"')
    con.commit()
    con.execute("DETACH DATABASE src")
    con.close()


#: the first rows kept of the tables the small demo fills by the thousand (or with docx bytes)
THIN = {"hazards": 250, "inspections": 300, "issued_documents": 6, "hazard_events": 700,
        "inspection_check_items": 1000, "inspection_presence": 800, "safety_fee_usages": 150}
#: rows kept beyond the first ones because a sparse child table points at them (it keeps its rows)
KEEP_REFERENCED = {"hazards": ("contractor_reviews", "hazard_id"),
                   "issued_documents": ("case_documents", "document_id"),
                   "inspections": ("inspection_fee_checks", "inspection_id"),
                   "safety_fee_usages": ("inspection_fee_checks", "usage_id")}


def _thin(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table, keep in THIN.items():
        if table not in tables:
            continue
        spare = ""
        if table in KEEP_REFERENCED and KEEP_REFERENCED[table][0] in tables:
            child, column = KEEP_REFERENCED[table]
            spare = f' AND id NOT IN (SELECT "{column}" FROM "{child}" WHERE "{column}" IS NOT NULL)'
        con.execute(f'DELETE FROM "{table}" WHERE rowid NOT IN '
                    f'(SELECT rowid FROM "{table}" ORDER BY rowid LIMIT {keep}){spare}')
    while orphans := con.execute("PRAGMA foreign_key_check").fetchall():  # rows pointing at removed ones
        for table, rowid, _parent, _fk in orphans:
            con.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
    con.commit()
    con.close()


def _thin_to_majors(path: Path) -> None:
    """Further: every hazard and finding judged under a criterion (with its inspection) and a few other rows."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("DELETE FROM inspections WHERE rowid NOT IN (SELECT rowid FROM inspections ORDER BY rowid LIMIT 40)"
                " AND id NOT IN (SELECT inspection_id FROM inspection_findings WHERE criterion_code IS NOT NULL)"
                " AND id NOT IN (SELECT inspection_id FROM hazards WHERE criterion_code IS NOT NULL"
                " AND inspection_id IS NOT NULL) AND id NOT IN (SELECT inspection_id FROM inspection_fee_checks)")
    con.execute("DELETE FROM hazards WHERE criterion_code IS NULL AND rowid NOT IN "
                "(SELECT rowid FROM hazards ORDER BY rowid LIMIT 40) AND id NOT IN "
                "(SELECT hazard_id FROM contractor_reviews WHERE hazard_id IS NOT NULL)")
    for table, keep in (("inspection_check_items", 150), ("inspection_presence", 100), ("hazard_events", 150),
                        ("audit_log", 200), ("attachment_blobs", 3), ("issued_documents", 1),
                        ("safety_fee_usages", 40)):
        con.execute(f'DELETE FROM "{table}" WHERE rowid NOT IN (SELECT rowid FROM "{table}" ORDER BY rowid LIMIT {keep})')
    # reference data: the criteria in full, three rows of every other dataset (the app re-copies them at start)
    con.execute("DELETE FROM reference_rows WHERE dataset NOT LIKE 'hazard_criteria%' AND id NOT IN "
                "(SELECT r.id FROM reference_rows r WHERE (SELECT COUNT(*) FROM reference_rows o "
                "WHERE o.dataset = r.dataset AND o.id < r.id) < 3)")
    con.execute("DELETE FROM persons WHERE id NOT IN (SELECT person_id FROM project_party_people) AND rowid NOT IN "
                "(SELECT rowid FROM persons ORDER BY rowid LIMIT 60)")
    while orphans := con.execute("PRAGMA foreign_key_check").fetchall():
        for table, rowid, _parent, _fk in orphans:
            con.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
    con.commit()
    con.close()


def main() -> None:
    auth.configure_hasher(time_cost=1, memory_cost=1024, parallelism=1)
    majors = "--majors" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--majors"]
    revision = args[0] if args else head_revision()
    out = Path(__file__).parent / f"{revision}.sqlite3"
    with tempfile.TemporaryDirectory() as tmp:
        demo = _demo(Path(tmp))
        if revision == head_revision():
            src = demo
        else:
            src = Path(tmp) / "old.sqlite3"
            _at_revision(src, revision)
            _copy_rows(demo, src)
        _thin(src)
        if majors:
            _thin_to_majors(src)
        con = sqlite3.connect(src)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
        if majors:
            con.execute("PRAGMA page_size=1024")  # ~140 tables and indexes: one 4 KiB page each is half the file
        con.execute("VACUUM")
        con.close()
        out.write_bytes(src.read_bytes())
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
