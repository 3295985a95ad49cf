"""Cold start to a usable main window, beside a bare PySide6 window with one QTableView (same run)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import ROOT, Figure


def _launch(args: list[str]) -> float:
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench.startup_probe", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "READY":
            elapsed = (time.perf_counter() - t) * 1000
            proc.wait(timeout=30)
            return elapsed
    proc.wait()
    raise RuntimeError(f"probe {args} exited {proc.returncode} without READY")


def run(data_dir: Path, repeat: int = 5) -> list[Figure]:
    _launch(["bare"])  # warm the OS file cache for both
    _launch(["app", str(data_dir)])
    bare = statistics.median(_launch(["bare"]) for _ in range(repeat))
    app = statistics.median(_launch(["app", str(data_dir)]) for _ in range(repeat))
    return [Figure("冷启动到主窗口（county 数据）", app, "bare PySide6 + QTableView", bare, "≤1500 ms, ≤2.5× bare")]
