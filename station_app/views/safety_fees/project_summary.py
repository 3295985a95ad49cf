"""A one-line 安全生产费用 summary for the project editor, with a button to the project's fee page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from station_app.errors import StationError
from station_app.formatting import format_wan_yuan
from station_app.services.safety_fees.checks import project_fees
from station_app.views.app_context import AppContext


class FeeSummaryWidget(QWidget):
    """应列 / 已付 / 已使用 and the problems of one project; hidden for a project not yet saved."""

    def __init__(self, ctx: AppContext, project_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project_id = project_id
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.button = QPushButton("安全生产费用…", self)
        self.button.clicked.connect(self.open_page)
        lay.addWidget(QLabel("安全生产费用：", self))
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        self.setVisible(project_id is not None)
        self.refresh()

    def refresh(self) -> None:
        if self.project_id is None:
            return
        try:
            with self.ctx.db.read() as s:
                f = project_fees(s, self.project_id)
        except StationError as err:
            self.label.setText(str(err))
            return
        if not f.has_basis:
            self.label.setText("未登记费用基数")
            return
        problems = [p for p, on in (("首期支付不足", f.owner is not None and f.owner.late),
                                    ("分包支付不足", any(s.check.late for s in f.subcontracts)),
                                    ("使用偏低", f.underuse), (f"待复核{f.pending_count}笔", f.pending_count > 0)) if on]
        self.label.setText(f"应列 {format_wan_yuan(f.required_fen, unit=True)}，已付 {format_wan_yuan(f.paid_fen, unit=True)}，"
                           f"已使用 {format_wan_yuan(f.used_fen, unit=True)}" + (f"；{'、'.join(problems)}" if problems else ""))
        self.label.setStyleSheet("color: #c0392b;" if problems else "")

    def open_page(self) -> None:
        if self.project_id is None:
            return
        from station_app.views.safety_fees.project_page import ProjectFeePage

        page = ProjectFeePage(self.ctx, self.project_id, self.window())
        page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        page.finished.connect(lambda _r: self.refresh())
        page.open()
