"""合并企业: two registrations of one enterprise side by side; the clerk picks which to keep."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from station_app.errors import StationError
from station_app.formatting import chinese_date
from station_app.services.registry.enterprises import (
    EnterpriseData,
    count_links,
    get_enterprise,
    merge_enterprises,
)
from station_app.views.app_context import AppContext

_FIELDS = (("企业名称", "name"), ("统一社会信用代码", "uscc"), ("企业类型", "kind"),
           ("法定代表人", "legal_representative"), ("地址", "address"), ("安全生产许可证号", "safety_permit_no"),
           ("许可证有效期至", "safety_permit_valid_until"), ("许可证状态", "safety_permit_status"))


class EnterpriseMergeDialog(QDialog):
    #: the id of the enterprise kept
    merged = Signal(int)

    def __init__(self, ctx: AppContext, first_id: int, second_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("合并企业")
        self.resize(760, 420)
        with ctx.db.read() as session:
            self.records: list[EnterpriseData] = [get_enterprise(session, first_id),
                                                  get_enterprise(session, second_id)]
            self.links: list[tuple[int, int]] = [count_links(session, first_id), count_links(session, second_id)]

        intro = QLabel("同一企业被登记了两次时，可将其合并：选择要保留的记录，另一条的项目参建记录和人员"
                       "将转到保留的企业，然后删除另一条。", self)
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        self.keep_group = QButtonGroup(self)
        self.keep_buttons: list[QRadioButton] = []
        for col in range(1, 3):
            button = QRadioButton("保留此企业", self)
            self.keep_group.addButton(button, col - 1)
            self.keep_buttons.append(button)
            grid.addWidget(button, 0, col)
        for row, (label, attr) in enumerate(_FIELDS, 1):
            grid.addWidget(QLabel(label, self), row, 0)
            for col, record in enumerate(self.records, 1):
                value = getattr(record, attr)
                cell = QLabel(chinese_date(value) if isinstance(value, date) else "" if value is None else str(value),
                              self)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                cell.setWordWrap(True)
                grid.addWidget(cell, row, col)
        row = len(_FIELDS) + 1
        grid.addWidget(QLabel("参建项目记录", self), row, 0)
        grid.addWidget(QLabel("在册人员", self), row + 1, 0)
        for col, (parties, people) in enumerate(self.links, 1):
            grid.addWidget(QLabel(f"{parties} 条", self), row, col)
            grid.addWidget(QLabel(f"{people} 名", self), row + 1, col)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("QLabel { background: #fff7e0; border: 1px solid #f0d58c; padding: 6px; }")
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(self)
        self.merge_button = buttons.addButton("合并", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.merge_button.clicked.connect(self.merge)
        buttons.rejected.connect(self.reject)
        self.merge_button.setEnabled(ctx.can("enterprise.merge"))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)

        self.keep_group.idToggled.connect(self._on_keep_toggled)
        # keep, by default, the registration with more links (the one clerks have been using)
        default = 0 if sum(self.links[0]) >= sum(self.links[1]) else 1
        self.keep_buttons[default].setChecked(True)

    def keep_index(self) -> int:
        return max(self.keep_group.checkedId(), 0)

    def _on_keep_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._update_summary()

    def _update_summary(self) -> None:
        keep, gone = self.records[self.keep_index()], self.records[1 - self.keep_index()]
        parties, people = self.links[1 - self.keep_index()]
        self.summary.setText(
            f"将把“{gone.name}”（{gone.uscc}）的 {parties} 条项目参建记录、{people} 名人员转到"
            f"“{keep.name}”（{keep.uscc}），然后删除“{gone.name}”。此操作不可撤销，将记入操作日志。")

    def merge(self) -> None:
        keep, gone = self.records[self.keep_index()], self.records[1 - self.keep_index()]
        assert keep.id is not None and gone.id is not None
        try:
            with self.ctx.db.write() as session:
                merge_enterprises(session, self.ctx.actor, keep.id, gone.id)
        except StationError as err:
            self.error.setText(str(err))
            self.error.show()
            return
        self.ctx.notify("enterprise")
        self.merged.emit(keep.id)
        self.accept()
