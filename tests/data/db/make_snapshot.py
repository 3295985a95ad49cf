"""Write a committed snapshot of a schema revision with rows in it: run once per schema change.

    .venv/bin/python tests/data/db/make_snapshot.py            # the current head
    .venv/bin/python tests/data/db/make_snapshot.py 0001       # an earlier revision

Demo data (small, seed 7) is generated at head; for an earlier revision the rows of the tables that
revision has are copied into a database migrated only that far. The bulkiest tables are then thinned
to their first rows (and every row left pointing at a removed one goes too), so the file stays ~1–2 MB
while every table keeps rows. test_migrations upgrades every
snapshot to head and checks that no row is lost (child rows included: that is what a batch re-create
with foreign keys on silently deletes).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from station_app.db.migrate import head_revision
from station_app.runtime import open_runtime
from station_app.services import auth


def _demo(tmp: Path) -> Path:
    from station_app.services.demo import generate

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


def main() -> None:
    auth.configure_hasher(time_cost=1, memory_cost=1024, parallelism=1)
    revision = sys.argv[1] if len(sys.argv) > 1 else head_revision()
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
        con = sqlite3.connect(src)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("VACUUM")
        con.close()
        out.write_bytes(src.read_bytes())
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
