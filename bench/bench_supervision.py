"""Grid-supervision pages on county data: 监管盲区, 全覆盖排查 (the latest round), 工作量 — each
beside raw sqlite3.

The baseline of each figure is the SQL the service itself sent, captured at the cursor with its bound
parameters and replayed by the bare sqlite3 module (results fetched): what is left is the app's Python
(building dataclasses, the frequency rule, grouping). What each service sends:

- ``list_blind_spots``: projects in supervision with grid, plan and a correlated MAX(inspected_at) per
  project (the core aggregate), the teams in force today, and the raise facts (none yet);
- ``coverage_report``: the round, then projects in scope LEFT JOIN the per-project GROUP BY of the
  round's inspections and the 施工总承包 (the core aggregate), then the teams in force at the end;
- ``supervisor_workload`` + ``grid_workload``: the GROUP BYs of assignments in force by user, of
  inspections this month/year by inspector (the core aggregate) and by grid, and the account list.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bench.bench_inspections import app_vs_raw
from bench.common import Figure
from station_app.db.database import Database
from station_app.services.supervision.blind_spots import list_blind_spots
from station_app.services.supervision.coverage import coverage_report, list_rounds
from station_app.services.supervision.workload import grid_workload, supervisor_workload


def run(data_dir: Path) -> list[Figure]:
    db = Database(f"sqlite:///{data_dir / 'station.sqlite3'}")
    raw = sqlite3.connect(data_dir / "station.sqlite3")
    with db.read() as s:
        latest = list_rounds(s)[0]

    def coverage(s: Any) -> None:
        coverage_report(s, latest.id)

    def workload(s: Any) -> None:
        supervisor_workload(s)
        grid_workload(s)

    figures = [
        app_vs_raw(db, raw, "监管盲区 list_blind_spots", list_blind_spots, "≤300 ms"),
        app_vs_raw(db, raw, f"全覆盖排查 {latest.name.removesuffix('全覆盖排查')}", coverage, "≤300 ms"),
        app_vs_raw(db, raw, "工作量 supervisor + grid", workload, "≤300 ms"),
    ]
    raw.close()
    db.dispose()
    return figures
