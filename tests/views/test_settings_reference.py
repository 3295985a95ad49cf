"""系统设置 → 参考数据: an edit takes effect in the rules at once; 恢复默认 brings the shipped value back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from station_app.rules.insurance import min_death_disability_cover
from station_app.views.app_context import AppContext
from station_app.views.settings.reference_dialog import ReferenceRowDialog
from station_app.views.settings.reference_tab import ReferenceTab
from tests.conftest import Station
from tests.views.conftest import Messages, make_ctx, type_text
from tests.views.test_settings_users import click_row

ON = date(2026, 1, 1)


def _tab(qtbot: QtBot, ctx: AppContext) -> ReferenceTab:
    tab = ReferenceTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1100, 600)
    tab.show()
    tab.select_dataset("insurance_minimums")
    return tab


def test_edit_takes_effect_and_restore_default_undoes_it(qtbot: QtBot, ctx: AppContext, msgs: Messages) -> None:
    assert min_death_disability_cover(ON) == 400_000
    changes: list[str] = []
    ctx.bus.changed.connect(changes.append)
    tab = _tab(qtbot, ctx)
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.model.columnCount())]
    assert headers[:2] == ["键", "省份（空=全国）"] and "每人死亡伤残最低保额（元）" in headers
    assert headers[-4:] == ["来源", "生效日期", "失效日期", "已修改"]
    row = [r.key for r in tab.rows].index("全国-2025")
    click_row(qtbot, tab.view, row)
    assert not tab.restore_button.isEnabled()  # nothing modified yet
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    dlg = tab.dialog
    assert isinstance(dlg, ReferenceRowDialog) and dlg.isVisible()
    amount = dlg.widgets["min_death_disability_yuan"]
    assert isinstance(amount, QLineEdit) and amount.text() == "400000"

    amount.clear()
    type_text(qtbot, amount, "50万")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.field_error("min_death_disability_yuan") == "应为整数" and dlg.isVisible()

    amount.clear()
    qtbot.keyClicks(amount, "500000")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5000)
    assert min_death_disability_cover(ON) == 500_000
    assert "reference" in changes
    assert tab.model.cell(row, tab.model.columnCount() - 1) == "已修改"

    click_row(qtbot, tab.view, row)
    assert tab.restore_button.isEnabled()
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert "恢复为程序自带的默认值" in msgs.last("confirm")
    assert min_death_disability_cover(ON) == 400_000
    assert tab.model.cell(row, tab.model.columnCount() - 1) == ""


def test_others_can_only_read(qtbot: QtBot, sqlite_station: Station, tmp_path: Path) -> None:
    tab = _tab(qtbot, make_ctx(sqlite_station, sqlite_station.supervisor, tmp_path))
    click_row(qtbot, tab.view, 0)
    assert not tab.add_button.isEnabled() and not tab.restore_button.isEnabled()
    assert tab.edit_button.text() == "查看…"
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    dlg = tab.dialog
    assert isinstance(dlg, ReferenceRowDialog)
    assert not dlg.ok_button.isVisible() and not dlg.widgets["source"].isEnabled()
