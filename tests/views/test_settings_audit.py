"""系统设置 → 操作日志: filter by user and record type, before/after side by side in Chinese."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_app.rules.ids import uscc_check_char
from station_app.services.registry.enterprises import EnterpriseData, create_enterprise, update_enterprise
from station_app.views.app_context import AppContext
from station_app.views.settings.audit_tab import AuditTab
from tests.conftest import Station
from tests.views.test_settings_users import click_row


def uscc(n: int) -> str:
    body = f"91320722MA{n:07d}"
    return body + uscc_check_char(body)


def test_filter_by_user_shows_only_that_users_rows(qtbot: QtBot, ctx: AppContext, sqlite_station: Station) -> None:
    db = sqlite_station.db
    with db.write() as s:
        e = create_enterprise(s, sqlite_station.supervisor, EnterpriseData("东海建工集团有限公司", uscc(1), "施工企业"))
    with db.write() as s:
        update_enterprise(s, sqlite_station.supervisor, replace(e, contact_phone="0518-80000000"))
    with db.write() as s:
        create_enterprise(s, sqlite_station.clerk, EnterpriseData("东海监理有限公司", uscc(2), "监理企业"))

    tab = AuditTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    everyone = tab.model.total
    assert everyone >= 8  # station set-up, six users, the enterprises
    assert tab.count_label.text() == f"共 {everyone} 条"

    tab.user_combo.setCurrentIndex(tab.user_combo.findText("sup1"))
    qtbot.mouseClick(tab.search_button, Qt.MouseButton.LeftButton)
    assert tab.model.total == 2
    rows = [tab.model.audit_row(r) for r in range(tab.model.rowCount())]
    assert {r.username for r in rows} == {"sup1"}
    assert [r.action for r in rows] == ["update", "create"]  # newest first
    assert tab.model.index(0, 1).data() == "sup1" and tab.model.index(0, 2).data() == "修改"
    assert tab.model.index(0, 3).data() == "企业"

    click_row(qtbot, tab.view, 0)
    assert tab.detail_rows() == [("联系电话", "", "0518-80000000")]
    assert "东海建工集团有限公司" in tab.detail_title.text()

    tab.user_combo.setCurrentIndex(0)
    tab.type_combo.setCurrentIndex(tab.type_combo.findText("企业"))
    qtbot.mouseClick(tab.search_button, Qt.MouseButton.LeftButton)
    assert tab.model.total == 3
    tab.date_check.setChecked(True)
    tab.date_from.setDate(tab.date_from.date().addDays(40))
    tab.date_to.setDate(tab.date_from.date())
    qtbot.mouseClick(tab.search_button, Qt.MouseButton.LeftButton)
    assert tab.model.total == 0


def test_audit_log_is_paged_lazily(qtbot: QtBot, ctx: AppContext, sqlite_station: Station) -> None:
    from station_app.services import audit

    with sqlite_station.db.write() as s:
        for i in range(450):
            audit.record(s, sqlite_station.clerk, "update", "project", i, summary=f"修改 {i}")
    tab = AuditTab(ctx)
    qtbot.addWidget(tab)
    tab.model.page_size = 200
    tab.type_combo.setCurrentIndex(tab.type_combo.findText("项目"))
    tab.apply_filter()
    assert tab.model.total == 450 and tab.model.rowCount() == 200
    while tab.model.canFetchMore():
        tab.model.fetchMore()
    assert tab.model.rowCount() == 450
    assert tab.model.audit_row(0).summary == "修改 449"


def test_date_range_includes_the_whole_last_day(qtbot: QtBot, ctx: AppContext, sqlite_station: Station) -> None:
    from datetime import datetime

    from PySide6.QtCore import QDate

    from station_app.models import AuditEntry

    with sqlite_station.db.write() as s:
        s.add(AuditEntry(at=datetime(2026, 3, 1, 23, 59, 59), user_id=None, username="system", action="update",
                         entity_type="grid", entity_id=1, summary="深夜修改"))
    tab = AuditTab(ctx)
    qtbot.addWidget(tab)
    tab.date_check.setChecked(True)
    tab.date_from.setDate(QDate(2026, 3, 1))
    tab.date_to.setDate(QDate(2026, 3, 1))
    tab.apply_filter()
    assert tab.model.total == 1 and tab.model.audit_row(0).summary == "深夜修改"
