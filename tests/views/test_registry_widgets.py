"""The registry's input widgets and the completion lookups behind the pickers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from station_app.errors import ValidationError
from station_app.models.enums import EnterpriseKind
from station_app.paths import DataDir
from station_app.rules.ids import resident_id_check_char, uscc_check_char
from station_app.runtime import Runtime
from station_app.services.registry.enterprises import EnterpriseData, create_enterprise, search_enterprises
from station_app.services.registry.persons import PersonData, create_person, search_persons
from station_app.views.app_context import AppContext, EntityBus
from station_app.views.widgets import (
    DateEdit,
    DecimalEdit,
    EnterprisePicker,
    FormErrors,
    InputReader,
    MoneyEdit,
    SearchBox,
    ValueCombo,
    choices,
    parse_date,
)


def uscc(n: int) -> str:
    body = f"91320722MA{n:07d}"
    return body + uscc_check_char(body)


def resident_id(n: int) -> str:
    body = f"32072219850101{n:03d}"
    return body + resident_id_check_char(body)


@pytest.fixture
def ctx(sqlite_station, tmp_path: Path) -> AppContext:
    return AppContext(Runtime(data=DataDir(tmp_path).ensure(), db=sqlite_station.db), sqlite_station.clerk,
                      EntityBus())


@pytest.fixture
def people(ctx: AppContext, sqlite_station) -> dict[str, int | None]:
    with ctx.db.write() as s:
        gc = create_enterprise(s, ctx.actor, EnterpriseData("江苏东海建工集团有限公司", uscc(1),
                                                            EnterpriseKind.CONTRACTOR.value)).id
        sv = create_enterprise(s, ctx.actor, EnterpriseData("东海建工监理有限公司", uscc(2),
                                                            EnterpriseKind.SUPERVISION.value)).id
        zhang = create_person(s, ctx.actor, PersonData("张伟", resident_id(1), employer_id=sv)).id
        zhang2 = create_person(s, ctx.actor, PersonData("张维", resident_id(2), employer_id=gc)).id
    return {"gc": gc, "sv": sv, "zhang": zhang, "zhang2": zhang2}


# ------------------------------------------------------------------ lookups


def test_search_enterprises_by_initials_uscc_and_kind(ctx: AppContext, people) -> None:
    with ctx.db.read() as s:
        assert {c.name for c in search_enterprises(s, "dhjg")} == {"江苏东海建工集团有限公司", "东海建工监理有限公司"}
        assert [c.id for c in search_enterprises(s, uscc(1)[:17])] == [people["gc"]]
        preferred = search_enterprises(s, "dhjg", prefer_kind=EnterpriseKind.SUPERVISION.value)
        assert preferred[0].id == people["sv"] and preferred[0].kind == "监理企业"
        assert [c.id for c in search_enterprises(s, "东海 监理")] == [people["sv"]]  # every term must match
        assert len(search_enterprises(s, "", limit=1)) == 1
        assert search_enterprises(s, "100%") == []  # LIKE wildcards are escaped


def test_search_persons_masks_by_role_and_prefers_the_employer(ctx: AppContext, people,
                                                               sqlite_station) -> None:
    with ctx.db.read() as s:
        clerk_view = search_persons(s, sqlite_station.clerk, "zw")
        sup_view = search_persons(s, sqlite_station.supervisor, "zw")
        first = search_persons(s, sqlite_station.clerk, "zw", prefer_employer_id=people["gc"])[0]
        by_id = search_persons(s, sqlite_station.clerk, resident_id(1)[-6:])
    assert {p.name for p in clerk_view} == {"张伟", "张维"}
    assert {p.id_number for p in clerk_view} == {resident_id(1), resident_id(2)}
    assert all("*" in p.id_number for p in sup_view)
    assert first.id == people["zhang2"] and first.employer_name == "江苏东海建工集团有限公司"
    assert [p.id for p in by_id] == [people["zhang"]]


def test_enterprise_picker_holds_the_chosen_id(qtbot, ctx: AppContext, people) -> None:
    picker = EnterprisePicker(ctx)
    qtbot.addWidget(picker)
    picked: list[object] = []
    picker.picked.connect(picked.append)
    assert picker.refresh_matches("dhjg") == 2
    picker.choose_row(0)
    assert picker.value() in (people["gc"], people["sv"]) and picked == [picker.value()]
    assert picker.extra()["uscc"] in (uscc(1), uscc(2))
    qtbot.keyClicks(picker, "x")  # typing after a pick drops the link
    assert picker.value() is None and picked[-1] is None and picker.has_unpicked_text()
    picker.set_value(people["gc"], "江苏东海建工集团有限公司")
    assert picker.value() == people["gc"] and not picker.has_unpicked_text()


# ------------------------------------------------------------------ plain widgets


@pytest.mark.parametrize("text", ["2026-11-23", "2026/11/23", "2026.11.23", "20261123", "2026年11月23日",
                                  " 2026-11-23 ", "２０２６－１１－２３", "2026-11-23"])
def test_parse_date_accepts_what_clerks_type(text: str) -> None:
    assert parse_date(text) == date(2026, 11, 23)


@pytest.mark.parametrize("text", ["2026-13-01", "2026-02-30", "abc", "2026", "26-11-23"])
def test_parse_date_rejects_non_dates(text: str) -> None:
    with pytest.raises(ValueError, match="不是有效日期"):
        parse_date(text)


def test_date_edit_supports_empty_and_normalizes(qtbot) -> None:
    edit = DateEdit()
    qtbot.addWidget(edit)
    assert edit.value() is None and edit.is_valid()
    qtbot.keyClicks(edit, "20261123")
    edit.editingFinished.emit()
    assert edit.text() == "2026年11月23日" and edit.value() == date(2026, 11, 23)
    edit.set_value(None)
    assert edit.text() == "" and edit.value() is None
    qtbot.keyClicks(edit, "2026-02-30")
    assert not edit.is_valid() and "background" in edit.styleSheet()


def test_date_edit_calendar_popup(qtbot) -> None:
    edit = DateEdit()
    qtbot.addWidget(edit)
    edit.show()
    qtbot.keyClick(edit, Qt.Key.Key_F4)
    assert edit._popup is not None and edit._popup.isVisible()
    edit._popup.clicked.emit(QDate(2026, 11, 23))
    assert edit.value() == date(2026, 11, 23)
    assert not edit._popup.isVisible()


def test_money_and_decimal_edits(qtbot) -> None:
    money = MoneyEdit()
    qtbot.addWidget(money)
    qtbot.keyClicks(money, "1234567.891")
    assert money.fen() == 123456789
    money.editingFinished.emit()
    assert money.text() == "1,234,567.89"
    money.set_fen(None)
    assert money.fen() is None
    money.setText("-5")
    assert not money.is_valid()
    money.setText("十万")
    with pytest.raises(ValueError):
        money.fen()
    area = DecimalEdit(2)
    qtbot.addWidget(area)
    area.setText("12,345.678")
    assert area.value() == Decimal("12345.68")
    area.set_value(Decimal("5"))
    assert area.text() == "5.00"


def test_search_box_debounces(qtbot) -> None:
    box = SearchBox(delay_ms=50)
    qtbot.addWidget(box)
    seen: list[str] = []
    box.search_changed.connect(seen.append)
    qtbot.keyClicks(box, "dhxq")
    assert seen == []  # nothing while typing
    qtbot.waitUntil(lambda: seen == ["dhxq"])
    qtbot.wait(80)
    assert seen == ["dhxq"]  # once, not once per key


def test_value_combo(qtbot) -> None:
    combo = ValueCombo(choices(["在建", "停工"], blank="全部状态"))
    qtbot.addWidget(combo)
    assert combo.value() is None
    combo.set_value("停工")
    assert combo.value() == "停工" and combo.currentText() == "停工"
    combo.set_items(choices(["停工", "已竣工"], blank="全部状态"))
    assert combo.value() == "停工"  # kept across a reload of the items
    combo.set_value("历史状态")  # a stored value no longer offered is shown, not lost
    assert combo.value() == "历史状态"


def test_form_errors_go_next_to_the_named_fields(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    form = QFormLayout(host)
    errors = FormErrors(host)
    name, code = QLineEdit(host), QLineEdit(host)
    form.addRow(errors.banner)
    form.addRow("名称", errors.field("企业名称", name))
    form.addRow("代码", errors.field("统一社会信用代码", code))
    table = QLineEdit(host)
    form.addRow("资质", table)
    form.addRow(errors.register_prefix("资质", table))
    host.show()
    errors.show(ValidationError({"统一社会信用代码": "校验码不符", "资质第2行": "资质名称必填", "": "其他问题"}))
    assert errors.message_for("统一社会信用代码") == "校验码不符"
    assert errors.message_for("企业名称") == ""
    assert "资质第2行：资质名称必填" in [w.text() for w in host.findChildren(type(errors.banner)) if w.isVisible()]
    assert "其他问题" in errors.banner.text() and errors.banner.isVisible()
    assert host.focusWidget() is code
    errors.show("统一社会信用代码 X 已登记为“甲”")  # DuplicateRecord / StaleRecord: banner only
    assert errors.message_for("统一社会信用代码") == "" and "已登记" in errors.banner.text()
    errors.clear()
    assert not errors.banner.isVisible()


def test_input_reader_collects_every_parse_error(qtbot) -> None:
    d, m = DateEdit(), MoneyEdit()
    qtbot.addWidget(d)
    qtbot.addWidget(m)
    d.setText("2026-02-30")
    m.setText("abc")
    r = InputReader()
    assert r.date("开工日期", d) is None and r.fen("造价", m) is None
    with pytest.raises(ValidationError) as info:
        r.check()
    assert set(info.value.errors) == {"开工日期", "造价"}
