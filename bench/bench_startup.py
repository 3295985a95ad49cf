"""Cold start to a usable main window, beside a bare PySide6 window with one QTableView (same run).

Three marks of the app's start-up (see bench/startup_probe.py): READY — the main window is on screen,
navigation works, the home page shows its cards as "…" while the database opens behind it; OPENED —
the database is open and the quick cards filled; FILLED — the ledger cards counted too.

The children run with bytecode caching on, as an installed app does (pip compiles the .pyc files):
a shell's PYTHONDONTWRITEBYTECODE would otherwise make the app, but not the installed PySide6 of
the baseline, compile its ~100 modules on every start (≈0.1–0.15 s here).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import ROOT, Figure

MARKS = ("READY", "OPENED", "FILLED")


def _launch(args: list[str]) -> dict[str, float]:
    """ms from the launch to each mark the child prints."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench.startup_probe", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    marks: dict[str, float] = {}
    for line in proc.stdout:
        if line.strip() in MARKS:
            marks[line.strip()] = (time.perf_counter() - t) * 1000
    proc.wait(timeout=60)
    if "READY" not in marks or (args[0] == "app" and len(marks) < len(MARKS)):
        raise RuntimeError(f"probe {args} exited {proc.returncode} with only {sorted(marks)}")
    return marks


def run(data_dir: Path, repeat: int = 5) -> list[Figure]:
    _launch(["bare"])  # warm the OS file cache (and the bytecode cache) for both
    _launch(["app", str(data_dir)])
    bare = statistics.median(_launch(["bare"])["READY"] for _ in range(repeat))
    runs = [_launch(["app", str(data_dir)]) for _ in range(repeat)]
    app = {mark: statistics.median(r[mark] for r in runs) for mark in MARKS}
    base = "bare PySide6 + QTableView"
    return [Figure("冷启动到主窗口（county 数据）", app["READY"], base, bare, "≤1500 ms, ≤2.5× bare"),
            Figure("  … 数据库已打开、首页快卡片已填", app["OPENED"], base, bare, "（参考）"),
            Figure("  … 首页台账卡片也已统计", app["FILLED"], base, bare, "≤1500 ms")]
