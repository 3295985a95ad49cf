""""上次检查" (F3 in the form): the project's previous inspection — when, who, what was found and by
when it must be put right — and a button that copies its kind, campaign and site parts."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app import clock
from station_app.formatting import chinese_date, chinese_datetime
from station_app.services.inspections.forms import InspectionData


def deadline_state(deadline: date | None, today: date) -> str:
    if deadline is None:
        return ""
    days = (deadline - today).days
    if days < 0:
        return f"已逾期{-days}天"
    return "今日到期" if days == 0 else f"剩余{days}天"


def summary_line(last: InspectionData | None) -> str:
    """One line under the project field: "上次检查：2026-02-05 夜查，张监督、赵监督；问题 3 条（重大 1）"."""
    if last is None:
        return "该项目尚无检查记录"
    major = sum(1 for f in last.findings if f.level == "重大")
    found = f"问题 {len(last.findings)} 条" + (f"（重大 {major}）" if major else "") if last.findings else "未发现问题"
    return f"上次检查：{chinese_date(last.inspected_at)} {last.kind}，{'、'.join(last.inspector_names)}；{found}　（F3 查看）"


class LastInspectionDialog(QDialog):
    """Shows ``last``; ``copy_chosen`` is True when the clerk asked to copy kind, campaign and parts."""

    def __init__(self, last: InspectionData, parent: QWidget | None = None, *, today: date | None = None,
                 can_copy: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"上次检查 — {last.project_name}")
        self.resize(860, 520)
        self.copy_chosen = False
        today = today or clock.today()
        form = QFormLayout()
        form.addRow("检查时间", QLabel(f"{chinese_datetime(last.inspected_at)}（{(today - last.inspected_at.date()).days}天前）"))
        kind = last.kind + (f"　专项行动：{last.campaign_name}" if last.campaign_name else "")
        form.addRow("检查类型", QLabel(kind))
        form.addRow("检查人员", QLabel("、".join(last.inspector_names)))
        form.addRow("检查部位", QLabel("、".join(last.site_parts) or "—"))
        conclusion = QLabel(last.conclusion or "—")
        conclusion.setWordWrap(True)
        form.addRow("检查结论", conclusion)
        if last.jgj59 is not None:
            form.addRow("JGJ 59评分", QLabel(f"{last.jgj59.total:.2f} 分　{last.jgj59.grade}"))

        self.table = QTableWidget(len(last.findings), 5, self)
        self.table.setHorizontalHeaderLabels(("问题描述", "部位", "等级", "整改期限", "期限状态"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for i, w in ((1, 120), (2, 50), (3, 90), (4, 90)):
            self.table.setColumnWidth(i, w)
        for row, f in enumerate(last.findings):
            state = deadline_state(f.deadline, today)
            cells = (f.description, f.location, f.level, chinese_date(f.deadline) if f.deadline else "", state)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if (col == 2 and f.level == "重大") or (col == 4 and "逾期" in state):
                    item.setForeground(QColor("#b00020"))
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        title = QLabel(f"上次发现的问题（{len(last.findings)} 条，整改情况待复查）" if last.findings
                       else "上次检查未发现问题")

        self.copy_button = QPushButton("沿用检查类型、专项行动和部位(&C)", self)
        self.copy_button.setEnabled(can_copy)
        self.copy_button.clicked.connect(self._copy)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.reject)
        close.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def _copy(self) -> None:
        self.copy_chosen = True
        self.accept()
