"""Write a committed snapshot of the current schema with rows in it: run once per schema change.

    .venv/bin/python tests/data/db/make_snapshot.py

The file is named after the head revision; test_migrations upgrades every snapshot to head and checks
that no row is lost (child rows included: that is what a batch re-create with foreign keys on deletes).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from station_app.db.migrate import head_revision
from station_app.runtime import open_runtime
from station_app.services import auth


def main() -> None:
    auth.configure_hasher(time_cost=1, memory_cost=1024, parallelism=1)
    from station_app.services.demo import generate

    out = Path(__file__).parent / f"{head_revision()}.sqlite3"
    with tempfile.TemporaryDirectory() as tmp:
        rt = open_runtime(tmp, log_to_file=False)
        generate(rt.db, scale="small", seed=7)
        with rt.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        rt.close()
        src = Path(tmp) / "station.sqlite3"
        import sqlite3

        con = sqlite3.connect(src)
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("VACUUM")
        con.close()
        out.write_bytes(src.read_bytes())
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
