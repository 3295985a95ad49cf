"""The start-up smoke test the installer runs: a database is created, the main window opens, exit 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_app.gui import smoke_test


def test_smoke_test_creates_database_and_opens_every_area(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert smoke_test(tmp_path, None) == 0
    out = capsys.readouterr().out
    assert "冒烟测试通过" in out and "已初始化示例监督站" in out
    assert (tmp_path / "station.sqlite3").exists()
    # a second run finds the station and opens it again
    assert smoke_test(tmp_path, None) == 0
    assert "已初始化" not in capsys.readouterr().out


def test_smoke_test_reports_failure_as_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "station.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    assert smoke_test(tmp_path, None) != 0
    assert "Traceback" in capsys.readouterr().err
