"""``station-app calendar import FILE`` / ``calendar status``: a file written here, imported, reported on."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine

from station_app.__main__ import main
from station_app.rules import refdata
from station_app.runtime import open_runtime
from tests.conftest import make_station
from tests.rules.holiday_data import INVENTED_2027, holiday_cn_text
from tests.services.hazards.hazard_fixtures import hazard_input, make_hazard_site, register
from tests.services.inspections.inspection_fixtures import make_site
from tests.test_cli import _init


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    _init(folder, monkeypatch)
    with time_machine.travel(datetime(2026, 12, 28, 10, 0), tick=False):
        yield folder
    refdata.reset()  # the CLI installed the imported year into the process-wide rules


@pytest.fixture
def with_hazard(tmp_path: Path) -> Iterator[Path]:
    """A station whose one hazard has a 暂定 整改期限 (found 2026-12-25: 7 days → Fri 2027-01-01)."""
    folder = tmp_path / "data"
    with time_machine.travel(datetime(2026, 12, 28, 10, 0), tick=False):
        rt = open_runtime(folder, log_to_file=False)
        hs = make_hazard_site(make_site(make_station(rt.db)), tmp_path)
        register(hs, hazard_input(hs, found_on=date(2026, 12, 25)))
        rt.close()
        yield folder
    refdata.reset()


def _file(tmp_path: Path, text: str, name: str = "2027.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_status_then_import_then_status(with_hazard: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = with_hazard
    assert main(["calendar", "status", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "2004—2026年 程序自带（chinese-calendar）" in out
    assert "2027年法定节假日安排尚未录入：暂定期限 1 项" in out

    path = _file(tmp_path, holiday_cn_text(INVENTED_2027))
    assert main(["calendar", "import", str(path), "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "已保存2027年法定节假日安排。" in out and "已重算暂定期限 1 项" in out
    assert "整改期限：2027年1月1日（暂定） → 2027年1月4日" in out

    assert main(["calendar", "status", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "2027年 管理员录入" in out and "首个尚无数据的年份：2028年" in out and "暂无需录入" in out


def test_replacing_asks_first(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "import", str(_file(tmp_path, holiday_cn_text(INVENTED_2027))),
                 "--data-dir", str(data)]) == 0
    days = json.loads(holiday_cn_text(INVENTED_2027))["days"]
    days.append({"name": "春节", "date": "2027-02-04", "isOffDay": True})  # one more day off
    changed = _file(tmp_path, json.dumps({"year": 2027, "days": days}, ensure_ascii=False), "2027b.json")
    capsys.readouterr()

    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    assert main(["calendar", "import", str(changed), "--data-dir", str(data)]) == 1
    out = capsys.readouterr().out
    assert "2027年已有节假日安排" in out and "2月4日由工作日改为休息日" in out and "未替换" in out

    assert main(["calendar", "import", str(changed), "--yes", "--year", "2027", "--data-dir", str(data)]) == 0
    assert "已替换2027年法定节假日安排。" in capsys.readouterr().out
    from station_app.rules.calendar import is_working_day

    assert not is_working_day(date(2027, 2, 4))


def test_a_bad_file_exits_2_naming_the_lines(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = holiday_cn_text(INVENTED_2027)
    bad = _file(tmp_path, good.replace('"date": "2027-04-25"', '"date": "2027-04-26"'))  # a Monday worked
    assert main(["calendar", "import", str(bad), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert "没有保存任何内容" in err
    assert "劳动节 调休上班日：2027年4月26日是星期一，调休上班日应为周六或周日" in err
    assert "Traceback" not in err

    broken = _file(tmp_path, good[:200], "broken.json")
    assert main(["calendar", "import", str(broken), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert "不是有效的 JSON 格式" in err and "行第" in err and "Traceback" not in err

    assert main(["calendar", "status", "--data-dir", str(data)]) == 0
    assert "2027年法定节假日安排尚未录入" in capsys.readouterr().out  # nothing was saved
