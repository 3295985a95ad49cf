"""Shared helpers for the benchmarks: timing, a county database, the result table."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


@dataclass
class Figure:
    name: str
    value_ms: float
    baseline_name: str
    baseline_ms: float | None
    target: str

    def line(self) -> str:
        ratio = f"{self.value_ms / self.baseline_ms:5.2f}×" if self.baseline_ms else "   — "
        base = f"{self.baseline_ms:9.1f} ms" if self.baseline_ms is not None else "          —"
        return (f"{self.name:<38} {self.value_ms:9.1f} ms | {self.baseline_name:<30} {base} | {ratio} | "
                f"target {self.target}")


def settle(app: Any) -> None:
    """Process events until every list model shows its query's rows: a list query runs on a worker
    and is shown when it arrives (past a 40 ms wait), so a figure stops when the clerk sees the rows."""
    from station_app.views.table_models import wait_all_loaded

    app.processEvents()
    wait_all_loaded()
    app.processEvents()


def spin_until_loaded(app: Any, seconds: float = 0.05) -> None:
    """Keep the event loop turning (a heartbeat timer keeps ticking) for ``seconds`` and then until
    no list model is waiting for its query."""
    from station_app.views.table_models import any_loading

    end = time.perf_counter() + seconds
    while time.perf_counter() < end or any_loading():
        app.processEvents()
        time.sleep(0.001)


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time in ms over ``repeat`` runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def demo_fingerprint() -> str:
    """What a cached county database was made by: the schema head, a hash of the migration files (slots
    0005–0009 fill in without moving the head) and the demo steps. A different one regenerates it."""
    import hashlib

    from station_app.db.migrate import head_revision
    from station_app.demo import STEPS

    digest = hashlib.sha256()
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        digest.update(path.read_bytes())
    return f"{head_revision()} {digest.hexdigest()[:16]} " + ",".join(step.__name__ for step in STEPS)


def county_data_dir(seed: int = 1) -> tuple[Path, float | None]:
    """A data dir with county-scale demo data; generated once and reused while the schema and the demo
    steps stay the same (see demo_fingerprint). Returns (dir, seconds or None when reused)."""
    data = OUT / f"county-seed{seed}"
    marker = data / ".complete"
    made_by = demo_fingerprint()
    if marker.exists() and marker.read_text().partition("\n")[2].strip() == made_by:
        return data, None
    if data.exists():
        import shutil

        shutil.rmtree(data)
    data.mkdir(parents=True)
    env = {**os.environ, "STATION_APP_DATA_DIR": str(data)}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "station_app", "--data-dir", str(data), "demo-data", "--scale", "county",
                    "--seed", str(seed)], check=True, env=env, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - t
    marker.write_text(f"{seconds:.1f}\n{made_by}\n")
    return data, seconds


def print_table(title: str, figures: list[Figure]) -> None:
    print(f"\n== {title} ==")
    for f in figures:
        print("  " + f.line())
