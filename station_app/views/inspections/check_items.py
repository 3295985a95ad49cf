"""The 检查项目 tab: the check-item catalog (JGJ 59 items, major-hazard criteria, the campaign's list)
with a quick filter (name or 拼音首字母), a result per item, and "转为隐患" for an item that fails.

Keys on the tree: 1 符合 · 2 不符合 · 3 不适用 · 0 未查 · Space 符合/未查 · Enter on a 不符合 item 转为隐患.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.models.inspection import CheckResult, CheckSource
from station_app.rules import hazards
from station_app.rules.errors import RuleInputError
from station_app.services.inspections.campaigns import CatalogItem
from station_app.services.inspections.forms import CheckItemData
from station_app.services.search import build_search_key

_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
_OTHER_GROUP = "其他检查项"
_KEYS = {Qt.Key.Key_1: CheckResult.CONFORMS.value, Qt.Key.Key_2: CheckResult.NONCONFORMING.value,
         Qt.Key.Key_3: CheckResult.NOT_APPLICABLE.value, Qt.Key.Key_0: ""}
_COLORS = {CheckResult.CONFORMS.value: "#1b5e20", CheckResult.NONCONFORMING.value: "#b00020",
           CheckResult.NOT_APPLICABLE.value: "#616161"}


@dataclass
class CheckRow:
    """One item the tab offers; ``result`` "" = not checked."""

    source: str
    code: str
    label: str
    group: str
    result: str = ""
    note: str = ""
    search: str = ""

    @property
    def key(self) -> str:
        return f"{self.source}|{self.code or self.label}"

    @classmethod
    def of(cls, c: CatalogItem) -> CheckRow:
        if c.source == CheckSource.MAJOR_HAZARD.value:  # one group per category, the clause in the line
            try:
                crit = hazards.criterion(c.code)
            except RuleInputError:
                return cls(c.source, c.code, c.label, c.group)
            return cls(c.source, c.code, f"{crit.label}　{crit.text}", f"重大事故隐患（{crit.edition}版）· {crit.category}")
        return cls(c.source, c.code, c.label, c.group)


class _Tree(QTreeWidget):
    result_key = Signal(str)
    convert_key = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        item = self.currentItem()
        if item is not None and item.data(0, _KEY_ROLE) and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            if key in _KEYS:
                self.result_key.emit(_KEYS[Qt.Key(key)])
                return
            if key == Qt.Key.Key_Space:
                self.result_key.emit("toggle")
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
                self.convert_key.emit()
                return
        super().keyPressEvent(event)


class CheckItemsPanel(QWidget):
    changed = Signal()
    #: a 不符合 item to turn into a finding
    convert_requested = Signal(object)  # CheckRow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[str, CheckRow] = {}
        self._converted: set[str] = set()
        self._items: dict[str, QTreeWidgetItem] = {}
        self._groups: dict[str, tuple[QTreeWidgetItem, list[str]]] = {}  # group → (its item, child keys)
        self.read_only = False
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("筛选：名称、编号或拼音首字母（如 lbfh 临边防护）；↓ 进入列表")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.returnPressed.connect(self._focus_first)
        self.filter.installEventFilter(self)
        self.tree = _Tree(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(("检查项目", "结果", "说明（可选）"))
        self.tree.setColumnWidth(0, 520)
        self.tree.setColumnWidth(1, 150)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.result_key.connect(self._keyed)
        self.tree.convert_key.connect(self.convert_current)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for text, value in (("符合(1)", CheckResult.CONFORMS.value), ("不符合(2)", CheckResult.NONCONFORMING.value),
                            ("不适用(3)", CheckResult.NOT_APPLICABLE.value), ("未查(0)", "")):
            b = QPushButton(text, self)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _c=False, v=value: self.set_result(v))
            bar.addWidget(b)
            self.buttons[value] = b
        self.convert_button = QPushButton("转为隐患(&Z)", self)
        self.convert_button.setAutoDefault(False)
        self.convert_button.setToolTip("把当前“不符合”的检查项目转为一条问题（隐患），类别和判定条款自动带入")
        self.convert_button.clicked.connect(self.convert_current)
        bar.addWidget(self.convert_button)
        bar.addStretch(1)
        self.summary = QLabel(self)
        bar.addWidget(self.summary)
        self.hint = QLabel("键盘：1 符合 · 2 不符合 · 3 不适用 · 0 未查 · 空格 符合/未查 · "
                           "在“不符合”项上按 Enter 转为隐患 · F2 填写说明", self)
        self.hint.setStyleSheet("color: #666;")
        self.error_line = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.error_line)

    # -------------------------------------------------------------- catalog and values

    def set_catalog(self, catalog: Sequence[CatalogItem]) -> None:
        """Offer ``catalog``; results already given are kept (items gone from it move to 其他检查项)."""
        checked = {k: r for k, r in self._rows.items() if r.result}
        rows = {}
        for c in catalog:
            row = CheckRow.of(c)
            old = checked.pop(row.key, None)
            if old is not None:
                row.result, row.note = old.result, old.note
            rows[row.key] = row
        for key, old in checked.items():
            old.group = _OTHER_GROUP
            rows[key] = old
        self._rows = rows
        self._rebuild()

    def load(self, items: Iterable[CheckItemData]) -> None:
        for r in self._rows.values():
            r.result, r.note = "", ""
        for it in items:
            row = CheckRow(it.source, it.code, it.label, _OTHER_GROUP, it.result, it.note)
            existing = self._rows.get(row.key)
            if existing is not None:
                existing.result, existing.note = it.result, it.note
            else:
                self._rows[row.key] = row
        self._rebuild()

    def collect(self) -> tuple[CheckItemData, ...]:
        """The items given a result. JGJ 59 and criteria items carry only their code (the service names them)."""
        out = []
        for r in self._rows.values():
            if not r.result:
                continue
            named_by_service = r.source in (CheckSource.JGJ59.value, CheckSource.MAJOR_HAZARD.value) and r.code
            out.append(CheckItemData(r.source, "" if named_by_service else r.label, r.result, r.code, r.note.strip()))
        return tuple(out)

    def checked_count(self) -> int:
        return sum(1 for r in self._rows.values() if r.result)

    def set_converted(self, codes: set[str]) -> None:
        """Codes of check items that already have a finding (shown as "→ 已转为隐患")."""
        self._converted = set(codes)
        for row in self._rows.values():
            self._paint(row)
        self._update_buttons()

    def row(self, key: str) -> CheckRow | None:
        return self._rows.get(key)

    def current_row(self) -> CheckRow | None:
        item = self.tree.currentItem()
        key = item.data(0, _KEY_ROLE) if item is not None else None
        return self._rows.get(key) if key else None

    def select(self, key: str) -> None:
        item = self._items.get(key)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)

    # -------------------------------------------------------------- actions

    def set_result(self, result: str) -> None:
        row = self.current_row()
        if row is None or self.read_only:
            return
        row.result = result
        self._paint(row)
        self._update_buttons()
        self.changed.emit()

    def _keyed(self, what: str) -> None:
        row = self.current_row()
        if row is None:
            return
        if what == "toggle":
            what = "" if row.result else CheckResult.CONFORMS.value
        self.set_result(what)

    def convert_current(self) -> None:
        row = self.current_row()
        if row is not None and self._can_convert(row):
            self.convert_requested.emit(row)

    def _can_convert(self, row: CheckRow) -> bool:
        return (not self.read_only and row.result == CheckResult.NONCONFORMING.value
                and not (row.code and row.code in self._converted))

    def _update_buttons(self) -> None:
        row = self.current_row()
        for b in self.buttons.values():
            b.setEnabled(row is not None and not self.read_only)
        self.convert_button.setEnabled(row is not None and self._can_convert(row))
        done = self.checked_count()
        bad = sum(1 for r in self._rows.values() if r.result == CheckResult.NONCONFORMING.value)
        self.summary.setText(f"已查 {done} 项，不符合 {bad} 项")

    def _focus_first(self) -> None:
        for group, keys in self._groups.values():
            shown = [k for k in keys if not self._items[k].isHidden()]
            if shown and not group.isHidden():
                group.setExpanded(True)
                self.tree.setCurrentItem(self._items[shown[0]])
                self.tree.setFocus()
                return

    def eventFilter(self, obj: object, event: object) -> bool:
        if obj is self.filter and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Down:
            self._focus_first()
            return True
        return super().eventFilter(obj, event)  # type: ignore[arg-type]

    # -------------------------------------------------------------- tree

    def _rebuild(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        self._items = {}
        self._groups = {}
        bold = QFont()
        bold.setBold(True)
        for row in self._rows.values():
            if row.group not in self._groups:
                top = QTreeWidgetItem(self.tree, [row.group])
                top.setFont(0, bold)
                top.setFirstColumnSpanned(True)
                top.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self._groups[row.group] = (top, [])
            group, keys = self._groups[row.group]
            keys.append(row.key)
            item = QTreeWidgetItem(group, [row.label, "", row.note])
            item.setData(0, _KEY_ROLE, row.key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | (Qt.ItemFlag.NoItemFlags if self.read_only else Qt.ItemFlag.ItemIsEditable))
            item.setToolTip(0, f"{row.code}　{row.label}" if row.code else row.label)
            if not row.search:
                row.search = build_search_key(row.label, row.group, extra=(row.code,))
            self._items[row.key] = item
            self._paint(row)
        for name, (group, keys) in self._groups.items():
            group.setExpanded(name == _OTHER_GROUP or any(self._rows[k].result for k in keys))
        self.tree.blockSignals(False)
        self._apply_filter(self.filter.text())
        self._update_buttons()

    def _paint(self, row: CheckRow) -> None:
        item = self._items.get(row.key)
        if item is None:
            return
        self.tree.blockSignals(True)
        text = row.result or "未查"
        if row.result == CheckResult.NONCONFORMING.value and row.code and row.code in self._converted:
            text += " → 已转为隐患"
        item.setText(1, text)
        item.setForeground(1, QBrush(QColor(_COLORS.get(row.result, "#9e9e9e"))))
        self.tree.blockSignals(False)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        row = self._rows.get(item.data(0, _KEY_ROLE) or "")
        if row is None or column != 2:
            return
        row.note = item.text(2)
        self.changed.emit()

    def _apply_filter(self, text: str) -> None:
        terms = text.strip().lower().split()
        for group, keys in self._groups.values():
            visible = 0
            for key in keys:
                hit = all(t in self._rows[key].search for t in terms)
                self._items[key].setHidden(not hit)
                visible += hit
            group.setHidden(visible == 0)
            if terms:
                group.setExpanded(True)
