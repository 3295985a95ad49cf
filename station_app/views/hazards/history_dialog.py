"""The full history of one hazard, one click from its row: the record on top, then every step (date,
what, state change, who, comment, new deadline, evidence, the re-inspection a 复查 named). Double-click a
file to open it."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.formatting import chinese_date, chinese_datetime
from station_app.services.attachments import AttachmentStore
from station_app.services.hazards.evidence import HazardEventInfo, InspectionRef, history
from station_app.services.hazards.records import HazardData, get_hazard
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages

HEADERS = ("办理日期", "办理事项", "状态变化", "办理人", "说明", "整改期限", "证据材料", "关联检查记录", "记录时间")
#: column of the linked inspection
INSPECTION_COLUMN = HEADERS.index("关联检查记录")
_PATH_ROLE = int(Qt.ItemDataRole.UserRole) + 1


def inspection_text(ref: InspectionRef) -> str:
    """How an inspection is named where a hazard step links to it: 2026年3月10日 复查（张监督、赵监督）."""
    who = f"（{ref.inspector_names}）" if ref.inspector_names else ""
    return f"{chinese_date(ref.inspected_at)} {ref.kind}{who}"


def summary_html(h: HazardData, today: date | None = None) -> str:
    overdue = h.overdue_days(today)
    late = f"<span style='color:#c0392b'>（逾期 {overdue} 天）</span>" if overdue else ""
    crit = f"　判定依据：{h.criterion_label}" if h.criterion_label else ""
    listing = f"　<b>{h.listing_level}挂牌督办</b>" if h.listing_level else ""
    return (f"<b>{h.code}</b>　{h.project_name}　<b>{h.level}隐患</b>{crit}{listing}<br>"
            f"{h.description}<br>"
            f"部位：{h.location or '—'}　类别：{h.category}　来源：{h.source}　发现：{chinese_date(h.found_on)}"
            f"（{h.found_by_names or '—'}）<br>"
            f"责任单位：{h.responsible_enterprise_name or h.responsible_role}　监督员：{h.supervisor_name or '—'}"
            f"　网格：{h.grid_name or '—'}<br>"
            f"状态：<b>{h.state}</b>　整改期限：{h.deadline_info.text}{late}"
            + (f"　销号日期：{chinese_date(h.closed_on)}" if h.closed_on else "")
            + (f"　撤销原因：{h.cancel_reason}" if h.cancel_reason else ""))


class HistoryDialog(QDialog):
    def __init__(self, ctx: AppContext, hazard_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = AttachmentStore.of(ctx.runtime.data)
        with ctx.db.read() as s:
            self.hazard = get_hazard(s, hazard_id)
            self.events = history(s, hazard_id)
        self.setWindowTitle(f"隐患办理记录 — {self.hazard.code}")
        self.summary = QLabel(summary_html(self.hazard), self)
        self.summary.setWordWrap(True)
        self.summary.setToolTip(self.hazard.deadline_info.reason)  # why the 整改期限 is 暂定
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(len(self.events), len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        for r, ev in enumerate(self.events):
            for c, text in enumerate(self._cells(ev)):
                cell = QTableWidgetItem(text)
                if c == 4 and text:
                    cell.setToolTip(text)
                elif c == INSPECTION_COLUMN and ev.inspection is not None:
                    cell.setToolTip(inspection_text(ev.inspection))
                self.table.setItem(r, c, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.files = QListWidget(self)
        self.files.setMaximumHeight(110)
        for ev in self.events:
            for a in ev.attachments:
                item = QListWidgetItem(f"{chinese_date(ev.on_date)} {ev.action}　{a.kind}：{a.file_name}")
                item.setData(_PATH_ROLE, (str(self.store.path_of(a.sha256)), a.file_name))
                self.files.addItem(item)
        self.files.itemActivated.connect(self._open_file)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(QLabel("证据材料（双击打开）：", self))
        lay.addWidget(self.files)
        lay.addWidget(buttons)
        self.resize(980, 560)

    @staticmethod
    def _cells(ev: HazardEventInfo) -> list[str]:
        change = f"{ev.from_state} → {ev.to_state}" if ev.from_state and ev.to_state else ev.to_state
        files = "、".join(a.file_name for a in ev.attachments)
        linked = f"{chinese_date(ev.inspection.inspected_at)} {ev.inspection.kind}" if ev.inspection else ""
        return [chinese_date(ev.on_date), ev.action, change, ev.actor_name, ev.comment,
                chinese_date(ev.new_deadline), files, linked, chinese_datetime(ev.at)]

    def step_texts(self) -> list[str]:
        """The 办理事项 column, top to bottom (what a test or a reader sees)."""
        return self.column_texts(1)

    def column_texts(self, column: int) -> list[str]:
        return [item.text() if (item := self.table.item(r, column)) is not None else ""
                for r in range(self.table.rowCount())]

    def _open_file(self, item: QListWidgetItem) -> None:
        """Open a copy under its original name (the store names files by hash, without an extension)."""
        blob, name = item.data(_PATH_ROLE)
        try:
            folder = Path(tempfile.gettempdir()) / "station_app_evidence"
            folder.mkdir(exist_ok=True)
            copy = folder / (Path(name).name or "附件")
            shutil.copyfile(blob, copy)
        except OSError:
            messages.warn(self, f"无法打开文件：{item.text()}\n文件可能已从数据目录中丢失。")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))
