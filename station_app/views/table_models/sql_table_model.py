"""A lazy QAbstractTableModel over a ListSpec: pages of 200 rows, sort and filter done by SQL.

Rows are fetched as tuples (never ORM objects) and formatted lazily — a row's cells when the view
first asks for one of them (a page is 200 rows, a screen shows ~30) — and every fetch opens one short
read session. The model listens to the app's "entities changed" bus and reloads with the
same search, filters and sort.

A query runs on a worker thread. The UI thread waits for it up to ``sync_wait_s`` (40 ms): the usual
query is back by then and is shown at once, as if run in place; a slow one (a sort over 250,000 rows
through a join, a PostgreSQL server across a slow county network) is shown when it arrives, and the
window keeps answering meanwhile (``loading_changed``). Only the newest query's result is applied: an
older one — the clerk clicked again before it came back — is cancelled if not started, else dropped.
"""

from __future__ import annotations

import contextlib
import logging
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
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


#: list queries run here: two at most at once (a new query cancels its page's older one if not started)
_QUERIES = ThreadPoolExecutor(max_workers=2, thread_name_prefix="list-query")


#: every model alive, for ``wait_all_loaded`` (closing a window, benchmarks)
_MODELS: weakref.WeakSet[SqlTableModel] = weakref.WeakSet()


def any_loading() -> bool:
    """Some list model is still waiting for its query."""
    return any(m.is_loading() for m in list(_MODELS))


def wait_all_loaded(timeout_s: float = 30.0) -> None:
    """Block until every list model's running query is shown."""
    for model in list(_MODELS):
        model.wait_loaded(timeout_s)


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
    #: True while a query runs past ``sync_wait_s`` (the rows shown are the previous ones), False when done
    loading_changed = Signal(bool)
    #: a worker's result, delivered on the UI thread: (kind, offset, future)
    _arrived = Signal(str, int, object)

    #: how long the UI thread waits for a query before showing its result later (seconds)
    sync_wait_s = 0.04

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
        self._pending: Future[Any] | None = None  # the newest reload or page fetch, until applied
        self._pending_args: tuple[str, int, Future[Any]] | None = None
        self._loading = False
        self._after_load: list[Callable[[], None]] = []
        #: count a text search only up to this many rows (None: exact); set by pages that show "以上"
        self.count_cap: int | None = None
        self._entity_types = frozenset(entity_types)
        self._arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)
        _MODELS.add(self)
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

    def is_loading(self) -> bool:
        """A query is still running on the worker (the rows shown are those of the previous one)."""
        return self._loading

    def after_load(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the rows of the current query are in (at once when they already are):
        e.g. select the record just saved, whose list is reloading."""
        if self._loading:
            self._after_load.append(callback)
        else:
            callback()

    def wait_loaded(self, timeout_s: float = 30.0) -> bool:
        """Block until the running query is shown (benchmarks, tests, closing). True when it is."""
        pending = self._pending
        if pending is not None:
            with contextlib.suppress(Exception):
                pending.result(timeout=timeout_s)
            if pending is self._pending and self._pending_args is not None:
                self._on_arrived(*self._pending_args)
        return not self._loading

    def _reload(self, limit: int) -> None:
        query, cap = replace(self._query, offset=0, limit=limit), self.count_cap
        self._submit("reset", 0, lambda: self._load_first(query, limit, cap))

    def _load_first(self, query: ListQuery, limit: int, cap: int | None) -> tuple[list[Any], int, bool]:
        """The page first (worker thread): when it is short it is everything, and no count runs at all."""
        exact = True
        with self._ctx.db.read() as session:
            rows = self._page(session, query)
            if len(rows) < limit:
                total = len(rows)
            elif cap is not None and query.text.strip():
                cap = max(cap, limit + 1)
                total = self._spec.count(session, query, cap=cap)
                exact = total < cap
            else:
                total = self._spec.count(session, query)
        return rows, total, exact

    def _load_page(self, query: ListQuery) -> list[tuple[Any, ...]]:
        with self._ctx.db.read() as session:
            return self._page(session, query)

    def _submit(self, kind: str, offset: int, work: Callable[[], Any]) -> None:
        """Run ``work`` on a worker; apply its result here within ``sync_wait_s``, else when it arrives."""
        if self._pending is not None:
            self._pending.cancel()  # an older query not started yet: never run it
        future = _QUERIES.submit(work)
        self._pending = future
        args = self._pending_args = (kind, offset, future)
        try:
            future.result(timeout=self.sync_wait_s)
        except FutureTimeout:
            self._set_loading(True)

            def deliver(_f: Future[Any]) -> None:
                with contextlib.suppress(RuntimeError):  # the model is gone (its page was closed)
                    self._arrived.emit(*args)

            future.add_done_callback(deliver)
            return
        except Exception:  # raised again below, on this thread, by _on_arrived
            pass
        self._on_arrived(*args)

    def _on_arrived(self, kind: str, offset: int, future: Future[Any]) -> None:
        if future is not self._pending:  # an older query (or one already applied by wait_loaded)
            return
        self._pending = self._pending_args = None
        try:
            result = future.result()
        except StationError as err:
            log.warning("list query failed: %s", err)
            self.failed.emit(str(err))
            result = ([], 0, True) if kind == "reset" else None
        except BaseException:
            self._set_loading(False)
            raise
        if kind == "reset":
            self._apply_reset(*result)
        elif result is not None and offset == len(self._rows):
            self._apply_more(result)
        self._set_loading(False)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)
        if not loading:
            callbacks, self._after_load = self._after_load, []
            for callback in callbacks:
                callback()

    def _apply_reset(self, rows: list[tuple[Any, ...]], total: int, exact: bool) -> None:
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
        if parent.isValid() or self._pending is not None:
            return False
        return len(self._rows) < self._total or not self._exact

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        query = replace(self._query, offset=len(self._rows), limit=self._page_size)
        self._submit("more", len(self._rows), lambda: self._load_page(query))

    def _apply_more(self, rows: list[tuple[Any, ...]]) -> None:
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
            column = self._columns[col]
            if column.tooltip is not None:
                values = dict(zip((c.key for c in self._columns), self._rows[row][1:], strict=True))
                return column.tooltip(values) or None
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
