"""Paged, sorted, filtered lists pushed into SQL — what every registry table model asks for."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import QueryableAttribute, Session

from station_app.services.search import like_pattern

#: a column expression or a mapped attribute
Expr = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    expr: Expr
    width: int = 120
    kind: str = "text"  # text | date | money | area | int | percent
    #: the cell's tooltip from the row's values by column key ("" for none), e.g. why a date is 暂定
    tooltip: Callable[[dict[str, Any]], str] | None = None


@dataclass(frozen=True)
class ListQuery:
    text: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    sort_key: str | None = None
    descending: bool = False
    offset: int = 0
    limit: int = 200


@dataclass(frozen=True)
class ListSpec:
    """How one list is queried: its columns, its base FROM, its search column and its filters."""

    columns: tuple[Column, ...]
    base: Callable[[], Select[Any]]
    id_expr: Expr
    search_expr: Expr
    filters: dict[str, Callable[[Select[Any], Any], Select[Any]]]
    default_sort: tuple[Expr, ...]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def _where(self, stmt: Select[Any], q: ListQuery) -> Select[Any]:
        for term in q.text.split():
            stmt = stmt.where(self.search_expr.like(like_pattern(term), escape="\\"))
        for name, value in q.filters.items():
            if value is None or value == "" or value == ():
                continue
            stmt = self.filters[name](stmt, value)
        return stmt

    def count_statement(self, q: ListQuery) -> Select[Any]:
        return self._where(self.base().with_only_columns(func.count(self.id_expr)), q)

    def page_statement(self, q: ListQuery) -> Select[Any]:
        """(id, column values in order of ``columns``), sorted, one page."""
        stmt = self._where(self.base().with_only_columns(self.id_expr, *(c.expr for c in self.columns)), q)
        if q.sort_key:
            expr = self.column(q.sort_key).expr
            order = expr.desc() if q.descending else expr.asc()
            # NULLs last either way, then id for a stable order across pages
            stmt = stmt.order_by(expr.is_(None), order, self.id_expr)
        else:
            stmt = stmt.order_by(*self.default_sort, self.id_expr)
        return stmt.offset(q.offset).limit(q.limit)

    def count(self, session: Session, q: ListQuery, cap: int | None = None) -> int:
        """How many rows match; with ``cap``, at most ``cap`` (the scan stops there — a text search
        over 250,000 rows that matches thousands costs a fraction of the exact count)."""
        stmt = self.count_statement(q)
        if cap is not None:
            inner = stmt.with_only_columns(self.id_expr).limit(cap).subquery("capped")
            stmt = select(func.count()).select_from(inner)
        return session.scalar(stmt) or 0

    def page(self, session: Session, q: ListQuery) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in session.execute(self.page_statement(q))]

    def all_ids(self, session: Session, q: ListQuery) -> Sequence[int]:
        stmt = self._where(self.base().with_only_columns(self.id_expr), q)
        return list(session.scalars(stmt))


def base_from(*entities: Any) -> Callable[[], Select[Any]]:
    def build() -> Select[Any]:
        return select(*entities)

    return build
