"""The audit log as a lazily paged table (newest first): rows are fetched 200 at a time as you scroll."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from station_app.formatting import chinese_date
from station_app.services import audit
from station_app.services.audit import AuditFilter, AuditRow
from station_app.views.app_context import AppContext
from station_app.views.settings.rows_model import ROW_ID_ROLE

_Index = QModelIndex | QPersistentModelIndex

HEADERS = ("时间", "用户", "操作", "记录类型", "记录编号", "摘要")


def entity_label(entity_type: str) -> str:
    return audit.ENTITY_LABELS.get(entity_type, entity_type)


def action_label(action: str) -> str:
    return audit.ACTION_LABELS.get(action, action)


class AuditModel(QAbstractTableModel):
    def __init__(self, ctx: AppContext, parent: Any = None, *, page_size: int = 200) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = page_size
        self.filter = AuditFilter()
        self.total = 0
        self._rows: list[AuditRow] = []

    def set_filter(self, flt: AuditFilter) -> None:
        """Count the matching rows and load the first page."""
        self.beginResetModel()
        self.filter = flt
        with self.ctx.db.read() as s:
            self.total = audit.count_audit(s, self.ctx.actor, flt)
            self._rows = audit.list_audit(s, self.ctx.actor, flt, 0, self.page_size) if self.total else []
        self.endResetModel()

    def audit_row(self, row: int) -> AuditRow:
        return self._rows[row]

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        with self.ctx.db.read() as s:
            more = audit.list_audit(s, self.ctx.actor, self.filter, len(self._rows), self.page_size)
        if not more:
            self.total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        if role == ROW_ID_ROLE:
            return r.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (f"{chinese_date(r.at)} {r.at:%H:%M:%S}", r.username, action_label(r.action), entity_label(r.entity_type),
                    "" if r.entity_id is None else str(r.entity_id), r.summary)[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None
