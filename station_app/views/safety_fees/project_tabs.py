"""The read-only tabs of a project's fee page: payments with the 50 % check, by category, by month,
flagged entries. Each is filled from one ``ProjectFees`` (plain data); rows keep their record id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.formatting import chinese_date, format_yuan
from station_app.services.safety_fees.checks import FirstPaymentCheck, ProjectFees

ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
LATE_STYLE = "color: #c0392b; font-weight: bold;"
OK_STYLE = "color: #1e7e34;"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def make_table(headers: Sequence[str], parent: QWidget | None = None) -> QTableWidget:
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(list(headers))
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(24)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def fill(table: QTableWidget, rows: Sequence[tuple[int | None, Sequence[Any]]], money_cols: Sequence[int] = ()) -> None:
    """Rows of (record id, cell values); money columns are fen shown in 元, right-aligned."""
    table.setRowCount(len(rows))
    for r, (rid, values) in enumerate(rows):
        for c, value in enumerate(values):
            text = format_yuan(value) if c in money_cols and value is not None else ("" if value is None else str(value))
            item = QTableWidgetItem(text)
            if c in money_cols:
                item.setTextAlignment(_RIGHT)
            if c == 0:
                item.setData(ID_ROLE, rid)
            table.setItem(r, c, item)


def selected_id(table: QTableWidget) -> int | None:
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    value = item.data(ID_ROLE) if item is not None else None
    return value if isinstance(value, int) else None


def verdict_label(check: FirstPaymentCheck | None, parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    set_verdict(label, check)
    return label


def set_verdict(label: QLabel, check: FirstPaymentCheck | None) -> None:
    label.setWordWrap(True)
    if check is None:
        label.setText("尚未登记费用基数")
        label.setStyleSheet("color: #555;")
        return
    start = f"开工日期 {chinese_date(check.start)}（{check.start_source}），首期支付期限 {chinese_date(check.due)}；" \
        if check.start and check.due else ""
    label.setText(f"{check.payee}：{start}{check.verdict}")
    label.setStyleSheet(LATE_STYLE if check.late else OK_STYLE if check.shortfall_fen == 0 else "color: #b35c00;")


class PaymentsTab(QWidget):
    """The 50 % check of the 建设单位 and of each 专业分包, and every payment with "计入首期" or "逾期"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.owner_verdict = QLabel(self)
        self.owner_verdict.setObjectName("ownerVerdict")
        self.payments = make_table(("支付日期", "付款方向", "金额（元）", "凭证号", "首期核查", "凭证文件", "备注"), self)
        self.sub_title = QLabel("专业分包（总包→分包首期支付核查）", self)
        self.subs = make_table(("分包单位", "分包内容", "分包费用（元）", "分包开工", "首期期限", "期限内已付（元）", "结论"),
                               self)
        self.subs.setMaximumHeight(150)
        self.edit_pay_button = QPushButton("编辑支付…", self)
        self.delete_pay_button = QPushButton("删除支付", self)
        self.edit_sub_button = QPushButton("编辑分包…", self)
        self.delete_sub_button = QPushButton("删除分包", self)
        pay_row, sub_row = QHBoxLayout(), QHBoxLayout()
        pay_row.addWidget(self.owner_verdict, 1)
        sub_row.addWidget(self.sub_title, 1)
        for row, buttons in ((pay_row, (self.edit_pay_button, self.delete_pay_button)),
                             (sub_row, (self.edit_sub_button, self.delete_sub_button))):
            for b in buttons:
                row.addWidget(b)
        lay.addLayout(pay_row)
        lay.addWidget(self.payments, 2)
        lay.addLayout(sub_row)
        lay.addWidget(self.subs, 1)

    def show_fees(self, fees: ProjectFees) -> None:
        set_verdict(self.owner_verdict, fees.owner)
        rows: list[tuple[int | None, Sequence[Any]]] = []
        names = {s.id: s.enterprise_name for s in fees.subcontracts}
        checks = ([fees.owner] if fees.owner else []) + [s.check for s in fees.subcontracts]
        for check in checks:
            for p in check.payments:
                status = ("计入首期" if p.in_time else "" if check.due is None
                          else "后续支付" if check.shortfall_fen == 0 else "期限后支付，不计入首期")
                direction = "建设单位→总包" if p.subcontract_id is None else f"总包→{names.get(p.subcontract_id, '')}"
                rows.append((p.id, (f"{chinese_date(p.paid_on)}", direction, p.amount_fen, p.voucher_no, status,
                                    p.file_name, p.note)))
        rows.sort(key=lambda r: r[1][0])
        fill(self.payments, rows, money_cols=(2,))
        fill(self.subs, [(s.id, (s.enterprise_name, s.scope, s.fee_fen, f"{chinese_date(s.start_date)}",
                                 f"{chinese_date(s.check.due)}" if s.check.due else "", s.check.paid_by_due_fen,
                                 s.check.verdict)) for s in fees.subcontracts], money_cols=(2, 5))


class CategoryTab(QWidget):
    """Used amount by 第十九条 category, with a bar of each category's share."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.table = make_table(("使用范围", "笔数", "金额（元）", "占已使用"), self)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel("不予认可的支出不计入。", self)
        self.note.setStyleSheet("color: #555;")
        lay.addWidget(self.table)
        lay.addWidget(self.note)

    def show_fees(self, fees: ProjectFees) -> None:
        total = max(fees.used_fen, 1)
        fill(self.table, [(None, (c.label, c.count, c.amount_fen, "")) for c in fees.categories], money_cols=(2,))
        for r, c in enumerate(fees.categories):
            bar = QProgressBar(self.table)
            bar.setRange(0, 1000)
            bar.setValue(c.amount_fen * 1000 // total)
            bar.setFormat(f"{c.amount_fen * 100 / total:.1f}%")
            self.table.setCellWidget(r, 3, bar)


class MonthsTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.table = make_table(("月份", "当月支付（元）", "当月使用（元）", "累计支付（元）", "累计使用（元）",
                                 "按进度应计提（元）"), self)
        note = QLabel("按进度应计提＝应列费用×月末形象进度（本月取项目登记的形象进度，以前各月按开工至计划竣工日期推算）。",
                      self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        lay.addWidget(self.table)
        lay.addWidget(note)

    def show_fees(self, fees: ProjectFees) -> None:
        fill(self.table, [(None, (f"{m.month.year}年{m.month.month}月", m.paid_fen, m.used_fen, m.paid_cum_fen, m.used_cum_fen,
                                  m.accrued_fen)) for m in reversed(fees.months)], money_cols=(1, 2, 3, 4, 5))


class FlaggedTab(QWidget):
    """Entries flagged by the negative list, with their review."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.table = make_table(("日期", "使用范围", "金额（元）", "凭证号", "摘要", "标记原因", "复核", "复核意见"), self)
        lay.addWidget(self.table)

    def show_fees(self, fees: ProjectFees) -> None:
        fill(self.table, [(u.id, (f"{chinese_date(u.used_on)}", u.category_label, u.amount_fen, u.voucher_no,
                                  u.description, u.flag_reason, u.review_state, u.review_comment))
                          for u in fees.flagged], money_cols=(2,))
