"""What the 网格与分工 tabs share: a sortable in-memory table model, the table view, the tab base
(refresh on the change bus, lazily while hidden; long queries through the task runner), and
small formatting helpers.

The lists here are short (grids, supervisors, a round's groups, a draw's result, blind spots of one
county) and come from service functions that already aggregate in SQL; the long one — projects
with their teams — uses the lazy SQL model instead (``teams_tab``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from station_app import clock
from station_app.formatting import chinese_date, chinese_datetime
from station_app.services.supervision.assignments import supervisor_choices
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.tasks import Job, Task, TaskRunner
from station_app.views.widgets import DateEdit

ROW_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

#: row styles
PROBLEM, MUTED, DONE = "problem", "muted", "done"
_BACKGROUND = {PROBLEM: QColor("#fdecea"), DONE: QColor("#eaf6ec")}
_FOREGROUND = {PROBLEM: QColor("#8a1c1c"), MUTED: QColor("#888888")}

#: what the tabs refresh on: assignments, grids, projects, inspections, accounts, a restore
SUPERVISION_ENTITIES = frozenset({"grid", "supervision", "project", "inspection", "user", "*"})

DASH = "—"


# ---------------------------------------------------------------------------- formatting


def fmt(value: Any) -> str:
    """A cell: dates ISO, None empty, Decimal as is, bools 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return chinese_datetime(value)
    if isinstance(value, date):
        return chinese_date(value)
    return str(value)


def fmt_ratio(value: Decimal | None) -> str:
    """0.8333 → 83.3%; None → —."""
    if value is None:
        return DASH
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def fmt_percent(value: Decimal | None) -> str:
    """83.3 (already in %) → 83.3%; None → —."""
    return DASH if value is None else f"{value}%"


def fmt_wan(fen: int) -> str:
    """Fen → 万元 with two decimals."""
    return f"{Decimal(fen) / 1_000_000:,.2f}"


def fmt_optional(value: int | None) -> str:
    """A figure the service cannot compute yet (None) reads "—", never a misleading 0."""
    return DASH if value is None else str(value)


# ---------------------------------------------------------------------------- table model


class RowsModel(QAbstractTableModel):
    """Rows of display values held in memory, with an id, a sort value and a style per row.

    ``numeric`` columns are right-aligned and sort by their raw values (``set_rows(..., keys=...)``).
    """

    def __init__(self, headers: Sequence[str], numeric: Iterable[int] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._numeric = set(numeric)
        self._rows: list[tuple[str, ...]] = []
        self._keys: list[tuple[Any, ...]] = []
        self._ids: list[Any] = []
        self._styles: list[str] = []
        self._tips: list[str] = []

    def set_rows(self, rows: Sequence[Sequence[Any]], ids: Sequence[Any], *, keys: Sequence[Sequence[Any]] | None = None,
                 styles: Sequence[str] | None = None, tips: Sequence[str] | None = None) -> None:
        """``rows``: values shown (formatted by :func:`fmt`); ``keys``: raw values to sort by (default rows)."""
        self.beginResetModel()
        self._rows = [tuple(fmt(v) for v in r) for r in rows]
        self._keys = [tuple(k) for k in (keys if keys is not None else rows)]
        self._ids = list(ids)
        self._styles = list(styles) if styles is not None else [""] * len(rows)
        self._tips = list(tips) if tips is not None else [""] * len(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([], [])

    # -------------------------------------------------------------- helpers for the tabs

    def row_id(self, row: int) -> Any:
        return self._ids[row]

    def row_of(self, row_id: Any) -> int | None:
        try:
            return self._ids.index(row_id)
        except ValueError:
            return None

    def cell(self, row: int, column: int) -> str:
        return self._rows[row][column]

    def style(self, row: int) -> str:
        return self._styles[row]

    def column_texts(self, column: int) -> list[str]:
        return [r[column] for r in self._rows]

    # -------------------------------------------------------------- Qt model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[row][col]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._tips[row]
            text = self._rows[row][col]
            return tip or (text if len(text) > 14 else None)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in self._numeric else _LEFT
        if role == ROW_ID_ROLE:
            return self._ids[row]
        if role == Qt.ItemDataRole.BackgroundRole and self._styles[row] in _BACKGROUND:
            return QBrush(_BACKGROUND[self._styles[row]])
        if role == Qt.ItemDataRole.ForegroundRole and self._styles[row] in _FOREGROUND:
            return QBrush(_FOREGROUND[self._styles[row]])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in self._numeric else _LEFT
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._headers) or not self._rows:
            return
        descending = order == Qt.SortOrder.DescendingOrder

        def key(i: int) -> tuple[bool, Any]:
            value = self._keys[i][column] if column < len(self._keys[i]) else None
            if isinstance(value, bool):
                value = int(value)
            return (value is None or value == "") != descending, value if value not in (None, "") else 0

        try:
            order_ = sorted(range(len(self._rows)), key=key, reverse=descending)
        except TypeError:  # mixed kinds in one column: sort by the text shown
            order_ = sorted(range(len(self._rows)), key=lambda i: self._rows[i][column], reverse=descending)
        self.layoutAboutToBeChanged.emit()
        self._rows = [self._rows[i] for i in order_]
        self._keys = [self._keys[i] for i in order_]
        self._ids = [self._ids[i] for i in order_]
        self._styles = [self._styles[i] for i in order_]
        self._tips = [self._tips[i] for i in order_]
        self.layoutChanged.emit()


def make_table(model: QAbstractTableModel, widths: Sequence[int] = (), *, sortable: bool = True,
               multi: bool = False, stretch_last: bool = True, parent: QWidget | None = None) -> QTableView:
    """A read-only, whole-row table like the registry lists (``stretch_last`` off for figures)."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    if sortable:
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
    return view


def selected_row(view: QTableView) -> int | None:
    rows = view.selectionModel().selectedRows()
    if rows:
        return rows[0].row()
    index = view.currentIndex()
    return index.row() if index.isValid() else None


def hint_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def title_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def supervisor_items(ctx: AppContext, *, include_inactive: bool = False,
                     blank: str | None = None) -> list[tuple[str, Any]]:
    """(label, user id) of the accounts that can supervise, for a ValueCombo."""
    with ctx.db.read() as s:
        people = supervisor_choices(s, include_inactive=include_inactive)
    head: list[tuple[str, Any]] = [(blank, None)] if blank is not None else []
    return head + [(p.name if p.active else f"{p.name}（已停用）", p.id) for p in people]


# ---------------------------------------------------------------------------- tab base


class SupervisionTab(QWidget):
    """A tab that reloads when what it shows changes — at once if visible, else on its next show.

    Subclasses implement :meth:`reload`. Long queries go through :meth:`run_job`: one job per ``key``
    at a time; a reload asked for meanwhile runs once the job is done.
    """

    refresh_on: frozenset[str] = SUPERVISION_ENTITIES

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self._dirty = True
        self._jobs: dict[str, Task] = {}
        self._again: dict[str, Callable[[], None]] = {}
        ctx.bus.changed.connect(self._on_changed)

    @property
    def loading(self) -> bool:
        """A background query of this tab is running (tests wait on it)."""
        return bool(self._jobs)

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in self.refresh_on:
            if self.isVisible():
                self.refresh()
            else:
                self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._dirty = False
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    def report_bar(self, button_text: str = "刷新", leading: Sequence[QWidget] = ()) -> QHBoxLayout:
        """The bar of a tab that counts on a day: ``leading`` widgets, 统计日期 (``self.day``, today), the
        button (``self.refresh_button``) and the status text (``self.status``); the button or Enter in
        the date reloads."""
        self.day = DateEdit(self)
        self.day.set_value(clock.today())
        self.day.setMaximumWidth(160)
        self.refresh_button = QPushButton(button_text, self)
        self.status = QLabel(self)
        bar = QHBoxLayout()
        for widget in leading:
            bar.addWidget(widget)
        bar.addWidget(QLabel("统计日期：", self))
        bar.addWidget(self.day)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.status, 1)
        self.refresh_button.clicked.connect(self.reload)
        self.day.returnPressed.connect(self.reload)
        return bar

    def report_day(self, edit: DateEdit, label: str = "统计日期") -> date | None:
        """The day the tab counts on: the field's date, today when it is empty; None (the clerk told
        which field is wrong) when it is not a date."""
        try:
            return edit.value() or clock.today()
        except ValueError as err:
            messages.warn(self, f"{label}：{err}")
            return None

    def run_job(self, key: str, job: Job, title: str, on_success: Callable[[Any], None],
                *, show_after_ms: int = 500) -> None:
        if key in self._jobs:
            self._again[key] = lambda: self.run_job(key, job, title, on_success, show_after_ms=show_after_ms)
            return
        task = self.runner.run(job, title=title, on_success=on_success, show_after_ms=show_after_ms)
        self._jobs[key] = task
        task.finished.connect(lambda: self._job_finished(key))

    def _job_finished(self, key: str) -> None:
        self._jobs.pop(key, None)
        again = self._again.pop(key, None)
        if again is not None:
            again()
