"""The 问题隐患 tab: the findings table and, under it, the selected finding's fields and photos;
查看隐患 (button, context menu, double-click) opens the hazard a saved finding became.

A new finding's 整改期限 is the rules' default for its level counted from the inspection day (a
concrete date), recomputed when the level or the day changes until the clerk types or picks a date of their own.
The table shows it in the Chinese form whatever was typed (20261123, 2026-11-23, 2026年11月23日).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.formatting import chinese_date
from station_app.models.inspection import FindingLevel, FindingOrigin
from station_app.rules import hazards
from station_app.rules.errors import RuleInputError
from station_app.services.attachments import AttachmentInfo
from station_app.services.deadlines import PROVISIONAL, stored_deadline
from station_app.services.inspections.forms import LEVELS, SITE_PART_CHOICES, FindingData, suggested_deadline
from station_app.views.inspections.attachment_strip import AttachmentStrip
from station_app.views.inspections.check_items import CheckRow
from station_app.views.inspections.finding_defaults import (
    REQUIREMENTS,
    CriterionCombo,
    default_requirement,
    finding_from_check,
    is_default_requirement,
)
from station_app.views.inspections.finding_hazard import FindingHazardLink
from station_app.views.widgets import DateEdit, InputReader, ValueCombo, choices, parse_date

_CHOOSE = "（请选择类别）"
HEADERS = ("序号", "问题描述", "部位", "类别", "等级", "判定条款", "整改期限", "照片")


def _shown_date(text: str) -> str:
    """A typed deadline as it reads on screen: the Chinese form, or the text itself while it is no date."""
    try:
        return chinese_date(parse_date(text))
    except ValueError:
        return text


def _criterion_category(code: object) -> str:
    if not code:
        return ""
    try:
        return hazards.criterion(str(code)).category
    except RuleInputError:
        return ""


@dataclass
class FindingRow:
    data: FindingData
    deadline_text: str = ""
    deadline_auto: bool = True
    #: why the deadline is 暂定 ("" when exact); dropped when the clerk types a date
    deadline_reason: str = ""
    files: list[str] = field(default_factory=list)

    @property
    def attachments(self) -> tuple[AttachmentInfo, ...]:
        return self.data.attachments


class FindingsPanel(QWidget):
    changed = Signal()

    def __init__(self, strip: AttachmentStrip, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[FindingRow] = []
        self._day: date | None = None
        self._loading = False
        self.read_only = False

        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for i, width in enumerate((40, 300, 110, 90, 50, 150, 90, 45)):
            if i != 1:
                self.table.setColumnWidth(i, width)
        # the longest 整改期限 a cell shows, 暂定 mark included, is never cut short
        self.table.setColumnWidth(6, self.table.fontMetrics().horizontalAdvance("2027年12月31日（暂定）") + 16)
        self.table.itemSelectionChanged.connect(self._on_selected)
        self.hazard_link = FindingHazardLink(self.table, self)
        self.add_button = QPushButton("新增问题(&A)", self)
        self.remove_button = QPushButton("删除问题", self)
        for b in (self.add_button, self.remove_button):
            b.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_blank)
        self.remove_button.clicked.connect(self.remove_current)
        self.error_line = QLabel(self)

        self.description = QLineEdit(self)
        self.description.setPlaceholderText("问题描述，如：2号楼5层东侧临边防护缺失")
        self.location = QLineEdit(self)
        self.location.setPlaceholderText("部位，如：2号楼5层东侧")
        loc_completer = QCompleter(list(SITE_PART_CHOICES), self.location)
        loc_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.location.setCompleter(loc_completer)
        self.category = ValueCombo(choices(hazards.hazard_categories(), blank=_CHOOSE), self)
        self.level = ValueCombo(choices(LEVELS), self)
        self.criterion = CriterionCombo(self)
        self.requirement = QLineEdit(self)
        req_completer = QCompleter([r for rs in REQUIREMENTS.values() for r in rs], self.requirement)
        req_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.requirement.setCompleter(req_completer)
        self.deadline = DateEdit(self)
        self.deadline_hint = QLabel(self)
        self.deadline_hint.setStyleSheet("color: #666;")
        self.strip = strip
        strip.setParent(self)
        self._build_layout()

        self.description.textEdited.connect(lambda t: self._store(description=t))
        self.location.textEdited.connect(lambda t: self._store(location=t))
        self.category.value_changed.connect(lambda v: self._store(category=v or ""))
        self.level.value_changed.connect(self._on_level)
        self.criterion.value_changed.connect(self._on_criterion)
        self.requirement.textChanged.connect(lambda t: self._store(requirement=t))
        self.deadline.textChanged.connect(self._on_deadline_typed)  # typed, picked or tidied
        strip.changed.connect(self._on_files)
        self._show_detail(None)

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.hazard_link.button)
        buttons.addStretch(1)
        self.detail = QGroupBox("所选问题", self)
        form = QFormLayout(self.detail)
        form.addRow("问题描述 *", self.description)
        row = QHBoxLayout()
        row.addWidget(self.location, 2)
        row.addWidget(QLabel("类别", self))
        row.addWidget(self.category, 1)
        row.addWidget(QLabel("等级", self))
        row.addWidget(self.level)
        form.addRow("部位", row)
        form.addRow("判定条款", self.criterion)
        form.addRow("整改要求", self.requirement)
        row = QHBoxLayout()
        row.addWidget(self.deadline)
        row.addWidget(self.deadline_hint, 1)
        form.addRow("整改期限", row)
        form.addRow("问题照片", self.strip)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error_line)
        layout.addWidget(self.detail)
        for a, b in ((self.description, self.location), (self.location, self.category), (self.category, self.level),
                     (self.level, self.criterion), (self.criterion, self.requirement),
                     (self.requirement, self.deadline), (self.deadline, self.strip.add_button)):
            QWidget.setTabOrder(a, b)

    # -------------------------------------------------------------- values

    def set_day(self, day: date | None) -> None:
        """The inspection day: criteria in force and default deadlines follow it."""
        if day == self._day:
            return
        self._day = day
        try:
            found = hazards.criteria(on=day) if day else []
        except RuleInputError:
            found = []
        self.criterion.blockSignals(True)
        self.criterion.set_criteria(found)
        self.criterion.blockSignals(False)
        for i, r in enumerate(self.rows):
            if r.deadline_auto:
                self._suggest(r)
                self._paint(i)
        self._show_detail(self.current_index())

    def load(self, findings: Iterable[FindingData]) -> None:
        self.rows = [FindingRow(f, chinese_date(f.deadline), f.deadline is None, self._stored_reason(f))
                     for f in findings]
        for r in self.rows:
            if r.deadline_auto:
                self._suggest(r)
            r.files = list(r.data.new_files)
        self._refill()

    def collect(self, reader: InputReader | None = None) -> tuple[FindingData, ...]:
        """The findings as typed. With ``reader`` (saving) a date that does not parse is reported to it;
        without (a draft) it is left empty, as is a default deadline (recomputed when the draft returns)."""
        out = []
        for i, r in enumerate(self.rows, 1):
            deadline = None
            if reader is not None:
                deadline = reader.date_text(f"问题第{i}条整改期限", r.deadline_text)
            elif not r.deadline_auto:
                with suppress(ValueError):
                    deadline = parse_date(r.deadline_text)
            level = r.data.level
            out.append(replace(r.data, deadline=deadline, new_files=tuple(r.files), attachments=(),
                               criterion_code=r.data.criterion_code if level == FindingLevel.MAJOR.value else None))
        return tuple(out)

    def check_codes(self) -> set[str]:
        return {r.data.check_item_code for r in self.rows if r.data.check_item_code}

    def file_count(self) -> int:
        return sum(len(r.files) + len(r.attachments) for r in self.rows)

    # -------------------------------------------------------------- actions

    def add_blank(self) -> None:
        self._append(FindingData(description="", requirement=default_requirement(FindingLevel.ORDINARY.value)))
        self.description.setFocus()

    def add_from_check(self, row: CheckRow) -> int:
        """Add a finding pre-filled from a failed check item; returns its 0-based index."""
        self._append(finding_from_check(row))
        self.location.setFocus()
        return len(self.rows) - 1

    def _append(self, data: FindingData) -> None:
        if self.read_only:
            return
        row = FindingRow(data)
        self._suggest(row)
        self.rows.append(row)
        self._refill()
        self.select(len(self.rows) - 1)
        self.changed.emit()

    def remove_current(self) -> None:
        index = self.current_index()
        if index is None or self.read_only:
            return
        del self.rows[index]
        self._refill()
        if self.rows:
            self.select(min(index, len(self.rows) - 1))
        self.changed.emit()

    def current_index(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.table.selectRow(index)

    # -------------------------------------------------------------- internals

    def _suggest(self, row: FindingRow) -> None:
        """The default deadline of the row's level on the inspection day (暂定 with its reason)."""
        row.deadline_text, row.deadline_reason = "", ""
        if self._day is None:
            return
        try:
            default = suggested_deadline(row.data.level, self._day)
        except RuleInputError:
            return
        row.deadline_text, row.deadline_reason = chinese_date(default.day), default.reason

    def _stored_reason(self, f: FindingData) -> str:
        if f.deadline is None or not f.deadline_provisional:
            return ""
        return stored_deadline(f.deadline, True, self._day).reason

    @staticmethod
    def _deadline_shown(row: FindingRow) -> str:
        text = _shown_date(row.deadline_text)
        return f"{text}（{PROVISIONAL}）" if row.deadline_reason and text else text

    def _refill(self) -> None:
        selected = self.current_index()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for i in range(len(self.rows)):
            self._paint(i)
        self.table.blockSignals(False)
        if selected is not None and selected < len(self.rows):
            self.table.selectRow(selected)
        else:
            self.table.clearSelection()
            self._show_detail(None)

    def _paint(self, i: int) -> None:
        r = self.rows[i]
        d = r.data
        crit = ""
        if d.level == FindingLevel.MAJOR.value and d.criterion_code:
            try:
                crit = hazards.criterion(d.criterion_code).label
            except RuleInputError:
                crit = d.criterion_code
        desc = d.description + ("（人员到岗）" if d.origin == FindingOrigin.PRESENCE.value else "")
        category = _criterion_category(d.criterion_code) if d.level == FindingLevel.MAJOR.value else d.category
        cells = (str(i + 1), desc, d.location, category, d.level, crit, self._deadline_shown(r),
                 str(len(r.files) + len(r.attachments)) if (r.files or r.attachments) else "")
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if col == 4 and d.level == FindingLevel.MAJOR.value:
                item.setForeground(Qt.GlobalColor.red)
            if col == 1:
                item.setToolTip(d.description)
            if col == 6 and r.deadline_reason:
                item.setToolTip(r.deadline_reason)
            self.table.setItem(i, col, item)

    def _on_selected(self) -> None:
        self._show_detail(self.current_index())

    def _show_detail(self, index: int | None) -> None:
        self._loading = True
        try:
            row = self.rows[index] if index is not None and index < len(self.rows) else None
            d = row.data if row else FindingData("")
            self.description.setText(d.description)
            self.location.setText(d.location)
            self.category.set_value(d.category or None)
            self.level.set_value(d.level)
            self.criterion.set_value(d.criterion_code)
            self.requirement.setText(d.requirement)
            self.deadline.setText(_shown_date(row.deadline_text) if row else "")
            self._show_hint(row)
            self.strip.set_files(row.attachments if row else (), row.files if row else ())
            self._enable(row is not None, d.level)
        finally:
            self._loading = False
        self.remove_button.setEnabled(row is not None and not self.read_only)
        self.hazard_link.show_for(d.id if row else None, selected=row is not None)

    def _enable(self, on: bool, level: str) -> None:
        editable = on and not self.read_only
        for w in (self.description, self.location, self.level, self.requirement, self.deadline, self.strip):
            w.setEnabled(editable)
        major = level == FindingLevel.MAJOR.value
        self.criterion.setEnabled(editable and major)
        self.category.setEnabled(editable and not major)
        self._category_label(major)
        self.add_button.setEnabled(not self.read_only)

    def _category_label(self, major: bool) -> None:
        """A 重大 finding's category is its criterion's: the (disabled) combo says which."""
        if major:
            category = _criterion_category(self.criterion.value())
            self.category.setItemText(0, f"（按判定条款：{category}）" if category else "（按判定条款）")
            self.category.blockSignals(True)
            self.category.setCurrentIndex(0)
            self.category.blockSignals(False)
        else:
            self.category.setItemText(0, _CHOOSE)
        self.category.setToolTip("重大隐患的类别取判定条款的类别" if major else "")

    def _on_criterion(self, code: object) -> None:
        self._store(criterion_code=str(code) if code else None)
        self._category_label(self.level.value() == FindingLevel.MAJOR.value)

    def _store(self, **changes: object) -> None:
        index = self.current_index()
        if self._loading or index is None:
            return
        r = self.rows[index]
        r.data = replace(r.data, **changes)  # type: ignore[arg-type]
        self._paint(index)
        self.changed.emit()

    def _on_level(self, level: object) -> None:
        index = self.current_index()
        if self._loading or index is None:
            return
        r = self.rows[index]
        level = str(level or FindingLevel.ORDINARY.value)
        changes: dict[str, object] = {"level": level}
        if is_default_requirement(r.data.requirement):
            changes["requirement"] = default_requirement(level)
        r.data = replace(r.data, **changes)  # type: ignore[arg-type]
        if r.deadline_auto:
            self._suggest(r)
        self._paint(index)
        self._show_detail(index)
        if level == FindingLevel.MAJOR.value and not r.data.criterion_code:
            self.criterion.setFocus()
        self.changed.emit()

    def _show_hint(self, row: FindingRow | None) -> None:
        """「按规定默认期限」 beside a default deadline, （暂定） and the reason as tooltip when provisional."""
        hint = "按规定默认期限" if row and row.deadline_auto else ""
        reason = row.deadline_reason if row else ""
        if reason:
            hint = f"{hint}（{PROVISIONAL}）" if hint else PROVISIONAL
        self.deadline_hint.setText(hint)
        self.deadline_hint.setToolTip(reason)
        self.deadline.setToolTip(reason)

    def _on_deadline_typed(self, text: str) -> None:
        index = self.current_index()
        if self._loading or index is None:
            return
        r = self.rows[index]
        if text == r.deadline_text:
            return
        r.deadline_text, r.deadline_auto, r.deadline_reason = text, False, ""
        self._show_hint(r)
        self._paint(index)
        self.changed.emit()

    def _on_files(self) -> None:
        index = self.current_index()
        if self._loading or index is None:
            return
        self.rows[index].files = list(self.strip.pending_paths())
        self._paint(index)
        self.changed.emit()
