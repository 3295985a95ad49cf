"""All benchmarks on county demo data; each figure is printed beside a bare-library baseline.

    .venv/bin/python -m bench.run_all            (or: bash scripts/setup.sh bench)

The county database is generated once into bench/out/ (the time is printed the first time) and reused.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import (
    bench_documents,
    bench_hazards,
    bench_inspections,
    bench_insurance,
    bench_monthly,
    bench_projects,
    bench_projects_page,
    bench_safety_fees,
    bench_startup,
    bench_supervision,
)
from bench.common import Figure, county_data_dir, print_table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the county database")
    args = parser.parse_args()
    print(f"station_app benchmarks — Python {platform.python_version()}, {platform.platform()}, "
          f"{os.cpu_count()} CPUs")
    if args.regenerate:
        import shutil

        from bench.common import OUT

        shutil.rmtree(OUT / f"county-seed{args.seed}", ignore_errors=True)
    t = time.perf_counter()
    data, seconds = county_data_dir(args.seed)
    if seconds is not None:
        print_table("demo-data --scale county", [Figure("生成 county 演示数据", seconds * 1000, "—", None,
                                                           "≤90 s")])
    else:
        print(f"(reusing {data}; pass --regenerate to time demo-data --scale county)")
    print_table("项目 list queries (service layer) — app vs raw sqlite3", bench_projects.run(data))
    print_table("项目 page (Qt widget + lazy model) — vs raw sqlite3", bench_projects_page.run(data))
    print_table("监督检查 list and save — app vs raw sqlite3", bench_inspections.run(data))
    print_table("监管盲区 / 全覆盖排查 / 工作量 — app vs raw sqlite3 (same SQL)", bench_supervision.run(data))
    print_table("安全费用 lists and checks — app vs raw sqlite3 (same SQL)", bench_safety_fees.run(data))
    print_table("月报 figures and pack — vs raw sqlite3 / bare openpyxl + docxtpl", bench_monthly.run(data))
    print_table("安责险 lists and checks — app vs raw sqlite3 (same SQL)", bench_insurance.run(data))
    print_table("执法文书 issue / batch render / PG numbering — vs bare docxtpl / raw SQL", bench_documents.run(data))
    print_table("隐患台账 / 动态清零 — app vs raw sqlite3 / bare openpyxl / bare Qt", bench_hazards.run(data))
    print_table("Start-up", bench_startup.run(data))
    print(f"\ntotal {time.perf_counter() - t:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
