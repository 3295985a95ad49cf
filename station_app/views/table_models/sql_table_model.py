"""A lazy QAbstractTableModel over a ListSpec: pages of 200 rows, sort and filter done by SQL.

Rows are fetched as tuples (never ORM objects) and formatted lazily — a row's cells when the view
first asks for one of them (a page is 200 rows, a screen shows ~30) — and every fetch opens one short
read session. The model listens to the app's "entities changed" bus and reloads with the
same search, filters and sort.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from sqlalchemy.orm import Session

from station_app.errors import StationError
from station_app.formatting import chinese_date, chinese_datetime, format_area, format_yuan
from station_app.services.listing import Column, ListQuery, ListSpec
from station_app.views.app_context import AppContext

log = logging.getLogger(__name__)

ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_KEY_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 200

PageFunction = Callable[[Session, ListQuery], list[tuple[Any, ...]]]
_Index = QModelIndex | QPersistentModelIndex

_NUMERIC_KINDS = frozenset({"money", "area", "int", "percent"})
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


#: widths (px) below which a Chinese date or date-time would be cut off
_MIN_WIDTH = {"date": 112, "datetime": 150}


def format_cell(kind: str, value: Any) -> str:
    """How a list cell reads: money in 元 with separators, areas with 2 decimals, dates in Chinese form
    (2026年11月24日; files keep ISO 8601)."""
    if value is None:
        return ""
    if kind == "money":
        return format_yuan(int(value))
    if kind == "area":
        return format_area(Decimal(value))
    if kind == "percent":
        return f"{value}%"
    if kind == "date" and isinstance(value, date | datetime):
        return chinese_date(value)
    if kind == "datetime" and isinstance(value, datetime):
        return chinese_datetime(value)
    return str(value)


class SqlTableModel(QAbstractTableModel):
    """Rows of ``spec`` matching a ListQuery, fetched lazily.

    ``page`` replaces ``spec.page`` (e.g. the persons list, whose ID numbers are masked per role).
    ``entity_types`` are the bus entity types whose change reloads the model ('*' always does).
    """

    #: the total count changed (after a reset or reload): for the "共 N 条" label
    total_changed = Signal(int)
    #: a query failed; the message is for the clerk
    failed = Signal(str)

    def __init__(self, ctx: AppContext, spec: ListSpec, *, entity_types: Iterable[str] = (),
                 page: PageFunction | None = None, page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._spec = spec
        self._columns: tuple[Column, ...] = spec.columns
        self._page: PageFunction = page or spec.page
        self._page_size = page_size
        self._query = ListQuery(limit=page_size)
        self._rows: list[tuple[Any, ...]] = []
        self._display: list[list[str] | None] = []  # formatted on first use
        self._total = 0
        self._loaded = False  # the current query has been run (a sort to the same order is then a no-op)
        self._exact = True  # False: ``_total`` is a capped count of a text search ("N 条以上")
        #: count a text search only up to this many rows (None: exact); set by pages that show "以上"
        self.count_cap: int | None = None
        self._entity_types = frozenset(entity_types)
        if self._entity_types:
            ctx.bus.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ querying

    @property
    def spec(self) -> ListSpec:
        return self._spec

    def query(self) -> ListQuery:
        return self._query

    def set_query(self, query: ListQuery) -> None:
        """Replace search, filters and sort; reload from the first page."""
        self._query = replace(query, offset=0, limit=self._page_size)
        self._reload(self._page_size)

    def set_text(self, text: str) -> None:
        self.set_query(replace(self._query, text=text))

    def set_filter(self, name: str, value: Any) -> None:
        filters = dict(self._query.filters)
        if value is None or value == "" or value is False:
            filters.pop(name, None)
        else:
            filters[name] = value
        self.set_query(replace(self._query, filters=filters))

    def refresh(self) -> None:
        """Reload with the same query, keeping as many rows loaded as before (one query)."""
        loaded = max(self._page_size, -(-len(self._rows) // self._page_size) * self._page_size)
        self._reload(loaded)

    def total_count(self) -> int:
        return self._total

    def total_is_exact(self) -> bool:
        """False while the total is a capped count (there are at least that many rows)."""
        return self._exact

    def _reload(self, limit: int) -> None:
        """The page first: when it is short it is everything, and no count runs at all."""
        exact = True
        try:
            with self._ctx.db.read() as session:
                rows = self._page(session, replace(self._query, offset=0, limit=limit))
                if len(rows) < limit:
                    total = len(rows)
                elif self.count_cap is not None and self._query.text.strip():
                    cap = max(self.count_cap, limit + 1)
                    total = self._spec.count(session, self._query, cap=cap)
                    exact = total < cap
                else:
                    total = self._spec.count(session, self._query)
        except StationError as err:
            log.warning("list query failed: %s", err)
            self.failed.emit(str(err))
            total, rows = 0, []
        self.beginResetModel()
        self._rows = rows
        self._display = [None] * len(rows)
        self._total = max(total, len(rows))
        self._exact = exact
        self._loaded = True
        self.endResetModel()
        self.total_changed.emit(self._total)

    def _on_changed(self, entity_type: str) -> None:
        if entity_type == "*" or entity_type in self._entity_types:
            self.refresh()

    def _format(self, row: tuple[Any, ...]) -> list[str]:
        return [format_cell(c.kind, v) for c, v in zip(self._columns, row[1:], strict=True)]

    def _cells(self, row: int) -> list[str]:
        cells = self._display[row]
        if cells is None:
            cells = self._display[row] = self._format(self._rows[row])
        return cells

    # ------------------------------------------------------------------ lazy loading

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and (len(self._rows) < self._total or not self._exact)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        try:
            with self._ctx.db.read() as session:
                rows = self._page(session, replace(self._query, offset=len(self._rows), limit=self._page_size))
        except StationError as err:
            log.warning("list page failed: %s", err)
            self.failed.emit(str(err))
            return
        if not rows:  # rows were deleted since the count (or a capped count ran out): stop asking
            self._total, self._exact = len(self._rows), True
            self.total_changed.emit(self._total)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._display.extend([None] * len(rows))
        self.endInsertRows()
        if not self._exact and (len(rows) < self._page_size or len(self._rows) >= self._total):
            # past the cap: a short page is the end; otherwise the total is at least what is loaded
            if len(rows) < self._page_size:
                self._total, self._exact = len(self._rows), True
            else:
                self._total = len(self._rows)
            self.total_changed.emit(self._total)

    # ------------------------------------------------------------------ sorting (in SQL)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self._columns):
            key: str | None = self._columns[column].key
            descending = order == Qt.SortOrder.DescendingOrder
        else:
            key, descending = None, False
        # Qt calls sort() when sorting is switched on and on every header click: a repeat of the loaded
        # order costs no query (the first screen was loaded twice before)
        if (key, descending) == (self._query.sort_key, self._query.descending) and self._loaded:
            return
        self.set_query(replace(self._query, sort_key=key, descending=descending))

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(row)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if self._columns[col].kind in _NUMERIC_KINDS else _LEFT
        if role == ROW_ID_ROLE:
            return self._rows[row][0]
        if role == SORT_KEY_ROLE:
            return self._rows[row][col + 1]
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._cells(row)[col]
            return text if len(text) > 16 else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if self._columns[section].kind in _NUMERIC_KINDS else _LEFT
        return None

    # ------------------------------------------------------------------ helpers for pages

    def column_index(self, key: str) -> int:
        for i, c in enumerate(self._columns):
            if c.key == key:
                return i
        raise KeyError(key)

    def column_width(self, column: int) -> int:
        """The spec's width, but never too narrow for a Chinese date ("2026年12月31日") to show whole."""
        col = self._columns[column]
        return max(col.width, _MIN_WIDTH.get(col.kind, 0))

    def row_id(self, row: int) -> int:
        return int(self._rows[row][0])

    def row_values(self, row: int) -> tuple[Any, ...]:
        """The raw column values of a loaded row (without the id)."""
        return self._rows[row][1:]

    def row_of_id(self, row_id: int) -> int | None:
        """The row of ``row_id`` among the rows loaded so far."""
        for i, r in enumerate(self._rows):
            if r[0] == row_id:
                return i
        return None
