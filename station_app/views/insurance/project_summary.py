"""The project's 安责险 at a glance, for the project editor: cover today, every policy, 新增/打开保单."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.errors import StationError
from station_app.formatting import chinese_date, format_wan_yuan
from station_app.services.insurance.records import project_insurance
from station_app.views.app_context import AppContext


class InsuranceSummary(QWidget):
    def __init__(self, ctx: AppContext, project_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.project_id = ctx, project_id
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels(["保险机构", "保单号", "起期", "止期", "每人死亡伤残限额（万元）", "状态"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda i: self.open(self._ids[i.row()]))
        self.add_button = QPushButton("新增保单", self)
        self.add_button.setEnabled(ctx.can("insurance.write"))
        self.add_button.clicked.connect(lambda: self.open(None))
        bar = QHBoxLayout()
        bar.addWidget(self.headline, 1)
        bar.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        self._ids: list[int] = []
        ctx.bus.changed.connect(lambda e: self.reload() if e in ("insurance_policy", "project", "*") else None)
        self.reload()

    def reload(self) -> None:
        try:
            with self.ctx.db.read() as s:
                info = project_insurance(s, self.project_id)
        except StationError as err:
            self.headline.setText(str(err))
            return
        self.headline.setText(info.headline)
        self.headline.setStyleSheet("color: #c0392b;" if info.uncovered else "")
        self._ids = [p.id or 0 for p in info.policies]
        self.table.setRowCount(len(info.policies))
        for r, p in enumerate(info.policies):
            flag = "（限额不足）" if p.below_minimum else ""
            for c, text in enumerate((p.insurer, p.policy_no, chinese_date(p.start_date), p.end_text,
                                      format_wan_yuan(p.death_limit_fen) + flag, p.status)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def open(self, policy_id: int | None) -> None:
        from station_app.views.insurance.policy_editor import PolicyEditor

        editor = PolicyEditor(self.ctx, policy_id, self, project_id=None if policy_id else self.project_id)
        editor.open()
