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


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time in ms over ``repeat`` runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def county_data_dir(seed: int = 1) -> tuple[Path, float | None]:
    """A data dir with county-scale demo data; generated once and reused. Returns (dir, seconds or None)."""
    data = OUT / f"county-seed{seed}"
    marker = data / ".complete"
    if marker.exists():
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
    marker.write_text(f"{seconds:.1f}")
    return data, seconds


def print_table(title: str, figures: list[Figure]) -> None:
    print(f"\n== {title} ==")
    for f in figures:
        print("  " + f.line())
