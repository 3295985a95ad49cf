"""The optional JGJ 59-2011 评分 tab: item tables with 实得分 typed per item checked (an empty cell is
缺项), the table scores, the summary total and the grade recomputed on every entry by
``inspection_jgj59.compute`` — the same rules the save uses."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.errors import ValidationError
from station_app.rules import jgj59
from station_app.services.inspections.jgj59 import Jgj59EntryData, Jgj59Result, compute
from station_app.views.widgets import InputReader, parse_decimal

_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
EARNED, NOTE = 3, 4


class _Delegate(QStyledItemDelegate):
    """Only 实得分 and 说明 of item rows can be edited."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # type: ignore[override]
                     index: QModelIndex | QPersistentModelIndex) -> QWidget | None:
        if index.column() not in (EARNED, NOTE) or not index.parent().isValid():
            return None
        editor = QLineEdit(parent)
        if index.column() == EARNED:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def parse_points(text: str) -> Decimal | None:
    """'' → None (缺项); a number of points (full-width digits from an IME too); else ValueError."""
    return parse_decimal(text.translate(_FULL_WIDTH))


class Jgj59Panel(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.read_only = False
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(("检查项目", "类别", "应得分", "实得分", "扣分说明"))
        for i, w in enumerate((380, 150, 60, 70)):
            self.tree.setColumnWidth(i, w)
        self.tree.setItemDelegate(_Delegate(self.tree))
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.tree.currentItemChanged.connect(self._to_earned_column)
        self.tree.itemChanged.connect(self._item_changed)
        self.summary = QLabel(self)
        font = QFont()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.summary.setFont(font)
        self.hint = QLabel("选填。只给实际检查的项目打分（空白为缺项）；输入数字后按 ↓ 或 Enter 进入下一项。", self)
        self.hint.setStyleSheet("color: #666;")
        self.error_line = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.error_line)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._tables: dict[str, QTreeWidgetItem] = {}
        self._children: dict[str, list[QTreeWidgetItem]] = {}
        self._build()
        self.result: Jgj59Result | None = None
        self._recompute()

    def _build(self) -> None:
        self.tree.blockSignals(True)  # building is not editing: no rescoring per cell
        bold = QFont()
        bold.setBold(True)
        for table in jgj59.item_tables():
            top = QTreeWidgetItem(self.tree, [f"{table.table} {table.name}", table.heading, "100", ""])
            top.setFont(0, bold)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for col in (2, EARNED):
                top.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._tables[table.table] = top
            self._children[table.table] = []
            for group, specs in (("保证项目", table.guarantee), ("一般项目", table.general)):
                for spec in specs:
                    key = f"{table.table}-{spec.seq}"
                    item = QTreeWidgetItem(top, [f"{spec.seq}. {spec.item}", group, str(spec.full_points), "", ""])
                    item.setData(0, _KEY_ROLE, key)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                                  | Qt.ItemFlag.ItemIsEditable)
                    item.setTextAlignment(EARNED, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self._items[key] = item
                    self._children[table.table].append(item)
        self.tree.blockSignals(False)

    # -------------------------------------------------------------- values

    def load(self, entries: Iterable[Jgj59EntryData]) -> None:
        self.tree.blockSignals(True)
        for item in self._items.values():
            item.setText(EARNED, "")
            item.setText(NOTE, "")
        for e in entries:
            found = self._items.get(e.item_key)
            if found is not None:
                found.setText(EARNED, f"{e.earned.normalize():f}" if isinstance(e.earned, Decimal) else str(e.earned))
                found.setText(NOTE, e.note)
        for code, top in self._tables.items():
            top.setExpanded(any(c.text(EARNED) for c in self._children[code]))
        self.tree.blockSignals(False)
        self._recompute()

    def collect(self, reader: InputReader | None = None) -> tuple[Jgj59EntryData, ...]:
        """Entries with points; a cell that is not a number goes to ``reader`` (or is skipped for a draft)."""
        out = []
        for key, item in self._items.items():
            try:
                points = parse_points(item.text(EARNED))
            except ValueError as err:
                if reader is not None:
                    reader.add(f"JGJ 59评分表 {key}", str(err))
                continue
            if points is not None:
                out.append(Jgj59EntryData(key, points, item.text(NOTE).strip()))
        return tuple(out)

    def entry_count(self) -> int:
        return sum(1 for item in self._items.values() if item.text(EARNED).strip())

    def set_read_only(self, on: bool) -> None:
        self.read_only = on
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if on
                                  else QAbstractItemView.EditTrigger.AllEditTriggers)

    # -------------------------------------------------------------- live score

    def _to_earned_column(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is not None and current.parent() is not None and self.tree.currentColumn() not in (EARNED, NOTE):
            self.tree.setCurrentItem(current, EARNED)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if item.parent() is not None and column in (EARNED, NOTE):
            self._recompute()
            self.changed.emit()

    def _recompute(self) -> None:
        bad: list[str] = []
        self.tree.blockSignals(True)
        for key, item in self._items.items():
            try:
                points = parse_points(item.text(EARNED))
                full = Decimal(item.text(2))
                ok = points is None or 0 <= points <= full
            except ValueError:
                ok = False
            item.setBackground(EARNED, QBrush(QColor("#fff0f0")) if not ok else QBrush())
            if not ok:
                bad.append(key)
        entries = self.collect()
        self.result = None
        message = ""
        if bad:
            message = f"以下项目的实得分无效：{'、'.join(bad)}（应为0至应得分之间的数字）"
        elif entries:
            try:
                self.result = compute(entries)
            except ValidationError as err:
                message = "；".join(err.errors.values())
        for code, top in self._tables.items():
            score = self.result.table_scores.get(code) if self.result else None
            top.setText(EARNED, "" if score is None else f"{score:.2f}")
        self.tree.blockSignals(False)
        if message:
            self.summary.setText(message)
            self.summary.setStyleSheet("color: #b00020;")
        elif self.result is not None:
            r = self.result
            self.summary.setText(f"汇总得分 {r.total:.2f} 分　评定等级：{r.grade}（已评 {len(r.table_scores)} 张分项表）")
            self.summary.setStyleSheet("color: #1b5e20;" if r.grade != "不合格" else "color: #b00020;")
        else:
            self.summary.setText("尚未录入评分（选填）")
            self.summary.setStyleSheet("color: #666;")
