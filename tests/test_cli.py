"""The command line: init (password on stdin), backup/restore, db check, bilingual help; init + demo data +\nlast month's report on any day of the year (a moved clock)."""

from __future__ import annotations

import io
import sqlite3
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from station_app import clock
from station_app.__main__ import build_parser, main


def _init(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Secret123\n"))
    assert main(["init", "--data-dir", str(tmp), "--station", "东海县建设工程安全监督站", "--division", "320722",
                 "--bureau", "连云港市住房和城乡建设局", "--admin", "admin", "--password", "-"]) == 0


def test_init_reads_password_from_stdin_and_login_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    _init(tmp_path, monkeypatch)
    assert "已初始化" in capsys.readouterr().out
    from station_app.runtime import open_runtime
    from station_app.services import auth
    from station_app.services.station import get_station

    rt = open_runtime(tmp_path, log_to_file=False)
    assert auth.login(rt.db, "admin", "Secret123").role == "管理员"
    with rt.db.read() as s:
        st = get_station(s)
    assert (st.county, st.division_code, st.short_name) == ("东海县", "320722", "东")
    rt.close()
    # a second init is refused with a message, exit code 2
    monkeypatch.setattr(sys, "stdin", io.StringIO("Secret123\n"))
    assert main(["init", "--data-dir", str(tmp_path), "--station", "x", "--division", "320722", "--bureau", "y",
                 "--admin", "a2", "--password", "-"]) == 2
    assert "重复初始化" in capsys.readouterr().err


def test_init_rejects_bad_division_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--data-dir", str(tmp_path), "--station", "东海县站", "--division", "32072",
                 "--bureau", "市局", "--admin", "admin", "--password", "Secret123"]) == 2
    assert "行政区划代码" in capsys.readouterr().err


def test_backup_restore_and_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    _init(data, monkeypatch)
    target = tmp_path / "usb" / "b.sqlite3"
    assert main(["backup", "--data-dir", str(data), "--to", str(target)]) == 0
    assert target.exists()
    con = sqlite3.connect(data / "station.sqlite3")
    con.execute("UPDATE station SET name = '改坏了'")
    con.commit()
    con.close()
    assert main(["restore", "--data-dir", str(data), str(target)]) == 0
    con = sqlite3.connect(data / "station.sqlite3")
    assert con.execute("SELECT name FROM station").fetchone() == ("东海县建设工程安全监督站",)
    con.close()
    assert main(["db", "check", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "完整性检查：ok" in out and "已保留为" in out
    assert main(["backup", "--data-dir", str(data)]) == 0
    assert list((data / "backups").glob("station-*-manual.sqlite3"))


def test_help_is_bilingual() -> None:
    text = build_parser().format_help()
    assert "备份数据库" in text and "back up the database" in text and "--data-dir" in text


@pytest.mark.parametrize("before", [True, False])
def test_data_dir_before_or_after_the_verb(before: bool) -> None:
    args = ["--data-dir", "/x", "backup"] if before else ["backup", "--data-dir", "/x"]
    ns = build_parser().parse_args(args)
    assert ns.data_dir == "/x" and ns.db is None


# ---------------------------------------------------------------- any day of the year
@pytest.mark.clock
@pytest.mark.slow
@pytest.mark.parametrize("day", [
    None,  # the run's own day: the real date, or the one --clock-at moved the run to
    date(2026, 12, 31),  # the year's last day: deadlines and the demo's "next weeks" reach the next year
    date(2027, 1, 4),  # the first working day of a year whose holidays may not be entered yet
    date(2027, 10, 8),  # the day after the National Day week
    date(2028, 2, 29),  # a leap day, two years past the last known holiday arrangement
], ids=lambda d: "today" if d is None else d.isoformat())
def test_init_demo_data_and_last_months_report_work_on_any_day(
        day: date | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        clock_at: Callable[[date], date]) -> None:
    today = clock_at(day) if day else clock.today()
    data = tmp_path / "data"
    _init(data, monkeypatch)
    assert main(["demo-data", "--data-dir", str(data), "--scale", "small", "--seed", "1"]) == 0, \
        capsys.readouterr().err
    last_month = today.replace(day=1) - timedelta(days=1)
    out = tmp_path / "reports"
    assert main(["report", "monthly", "--data-dir", str(data), "--month", f"{last_month:%Y-%m}",
                 "--out", str(out)]) == 0, capsys.readouterr().err
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err and "错误" not in printed.err
    assert "演示数据已生成" in printed.out
    written = sorted(p.suffix for p in out.iterdir())
    assert written == [".docx", ".xlsx"], written
    assert clock.today() == today  # the clock stood still through all three commands
