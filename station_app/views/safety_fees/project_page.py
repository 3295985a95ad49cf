"""One project's 安全生产费用 page: basis and figures on top, the 50 % checks with the payments behind
them, the usage ledger (lazy SQL list), by category, by month, and the flagged entries to review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_app import clock
from station_app.errors import StaleRecord, StationError
from station_app.formatting import chinese_date, format_wan_yuan
from station_app.services.safety_fees.checks import ProjectFees, project_fees
from station_app.services.safety_fees.ledger import delete_usage, get_usage
from station_app.services.safety_fees.records import delete_payment, delete_subcontract
from station_app.services.safety_fees.tables import VERSION_COLUMN, usage_list
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.dialogs.form import FormDialog
from station_app.views.safety_fees.editors import ENTITY, BasisDialog, PaymentDialog, SubcontractDialog
from station_app.views.safety_fees.import_dialog import LedgerImportDialog
from station_app.views.safety_fees.ledger_dialogs import FeeCheckDialog, ReviewDialog, UsageDialog
from station_app.views.safety_fees.project_tabs import (
    LATE_STYLE,
    CategoryTab,
    FlaggedTab,
    MonthsTab,
    PaymentsTab,
    selected_id,
)
from station_app.views.table_models import SqlTableModel


class ProjectFeePage(QDialog):
    """Open with ``open()`` (window-modal, not blocking). ``as_of`` is "today" for the checks."""

    def __init__(self, ctx: AppContext, project_id: int, parent: QWidget | None = None,
                 as_of: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project_id = project_id
        self.as_of = as_of or clock.today()
        self.fees: ProjectFees | None = None
        self.last_dialog: QDialog | None = None
        self.resize(1100, 720)
        lay = QVBoxLayout(self)
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.figures = QLabel(self)
        self.figures.setWordWrap(True)
        self.basis_line = QLabel(self)
        self.basis_line.setStyleSheet("color: #555;")
        self.basis_line.setWordWrap(True)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(LATE_STYLE)
        buttons = QHBoxLayout()
        self.basis_button = QPushButton("费用基数…", self)
        self.pay_button = QPushButton("新增支付(&P)…", self)
        self.sub_button = QPushButton("新增分包…", self)
        self.use_button = QPushButton("新增使用(&U)…", self)
        for b, slot in ((self.basis_button, self.edit_basis), (self.pay_button, self.add_payment),
                        (self.sub_button, self.add_subcontract), (self.use_button, self.add_usage)):
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        for w in (self.title, self.figures, self.basis_line, self.problems):
            lay.addWidget(w)
        lay.addLayout(buttons)

        self.tabs = QTabWidget(self)
        self.payments_tab = PaymentsTab(self.tabs)
        self.tabs.addTab(self.payments_tab, "支付核查")
        self.tabs.addTab(self._ledger_tab(), "使用台账")
        self.category_tab = CategoryTab(self.tabs)
        self.tabs.addTab(self.category_tab, "分类汇总")
        self.months_tab = MonthsTab(self.tabs)
        self.tabs.addTab(self.months_tab, "按月")
        self.flagged_tab = FlaggedTab(self.tabs)
        self.tabs.addTab(self.flagged_tab, "待复核支出")
        lay.addWidget(self.tabs, 1)
        self.payments_tab.payments.doubleClicked.connect(lambda *_: self.edit_payment())
        actions: tuple[tuple[QPushButton, Callable[[], object]], ...] = (
            (self.payments_tab.edit_pay_button, self.edit_payment),
            (self.payments_tab.delete_pay_button, self.delete_payment),
            (self.payments_tab.edit_sub_button, self.edit_subcontract),
            (self.payments_tab.delete_sub_button, self.delete_subcontract))
        for button, act in actions:
            button.clicked.connect(lambda *_, f=act: f())
        self.payments_tab.subs.doubleClicked.connect(lambda *_: self.edit_subcontract())
        self.flagged_tab.table.doubleClicked.connect(lambda *_: self.review(selected_id(self.flagged_tab.table)))
        ctx.bus.changed.connect(self._on_changed)
        self.reload()

    def _ledger_tab(self) -> QWidget:
        box = QWidget(self)
        lay = QVBoxLayout(box)
        self.model = SqlTableModel(self.ctx, usage_list(), entity_types=(ENTITY,), parent=self)
        self.model.set_filter("project_id", self.project_id)
        self.ledger = QTableView(box)
        self.ledger.setModel(self.model)
        self.ledger.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ledger.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ledger.setAlternatingRowColors(True)
        self.ledger.verticalHeader().hide()
        self.ledger.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.ledger.horizontalHeader().setStretchLastSection(True)
        for i in range(self.model.columnCount()):
            self.ledger.setColumnWidth(i, self.model.column_width(i))
        self.ledger.setColumnHidden(self.model.column_index(VERSION_COLUMN), True)
        self.ledger.doubleClicked.connect(lambda *_: self.edit_usage())
        row = QHBoxLayout()
        self.ledger_count = QLabel(box)
        self.model.total_changed.connect(lambda n: self.ledger_count.setText(f"共 {n:,} 条"))
        self.ledger_buttons: dict[str, QPushButton] = {}
        for text, slot in (("编辑(&E)…", self.edit_usage), ("删除", self.delete_usage), ("复核…", self.review_current),
                           ("记录检查…", self.record_check), ("导入台账(&I)…", self.import_ledger)):
            b = QPushButton(text, box)
            b.clicked.connect(lambda *_, f=slot: f())
            row.addWidget(b)
            self.ledger_buttons[text] = b
        self.import_button = self.ledger_buttons["导入台账(&I)…"]
        # 编辑/删除/复核 act on one entry (as on the other list pages); 记录检查 takes several
        self.ledger.selectionModel().selectionChanged.connect(lambda *_: self._update_ledger_buttons())
        self.model.modelReset.connect(self._update_ledger_buttons)
        row.addStretch(1)
        row.addWidget(self.ledger_count)
        lay.addLayout(row)
        lay.addWidget(self.ledger, 1)
        return box

    # -------------------------------------------------------------- data

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in (ENTITY, "project", "*"):
            self.reload()

    def reload(self) -> None:
        try:
            with self.ctx.db.read() as s:
                self.fees = project_fees(s, self.project_id, self.as_of)
        except StationError as err:
            messages.warn(self, str(err))
            return
        f = self.fees
        self.setWindowTitle(f"安全生产费用 — {f.project_name}")
        self.title.setText(f.project_name)
        progress = f"{f.progress}%" if f.progress is not None else "未知"
        accrued = format_wan_yuan(f.accrued_fen, unit=True) if f.accrued_fen is not None else "—"
        self.figures.setText(
            f"应列 {format_wan_yuan(f.required_fen, unit=True)}　已付 {format_wan_yuan(f.paid_fen, unit=True)}　"
            f"已使用 {format_wan_yuan(f.used_fen, unit=True)}　形象进度 {progress}　按进度应计提 {accrued}"
            + (f"　不予认可 {format_wan_yuan(f.rejected_fen, unit=True)}" if f.rejected_fen else ""))
        if f.has_basis:
            self.basis_line.setText(
                f"建安工程造价 {format_wan_yuan(f.cost_fen, unit=True)} × {f.rate * 100 if f.rate else 0:.2f}%"
                f"（{f.fee_project_type}，{f.regulation}，合同签订 {chinese_date(f.contract_date)}）")
        else:
            self.basis_line.setText("尚未登记费用基数：请点“费用基数…”录入建安工程造价和合同签订日期。")
        problems = []
        if f.owner is not None and f.owner.late:
            problems.append(f"首期支付不足：{f.owner.verdict}")
        problems += [f"分包 {s.enterprise_name} {s.check.verdict}" for s in f.subcontracts if s.check.late]
        if f.underuse:
            problems.append("使用偏低：已使用远低于按形象进度应计提的费用")
        if f.pending_count:
            problems.append(f"待复核支出 {f.pending_count} 笔（疑似负面清单）")
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        for tab in (self.payments_tab, self.category_tab, self.months_tab, self.flagged_tab):
            tab.show_fees(f)
        self.tabs.setTabText(4, f"待复核支出（{f.pending_count}）" if f.pending_count else "待复核支出")
        writer = self.ctx.can("safety_fee.write")
        for b in (self.pay_button, self.sub_button, self.use_button, self.import_button):
            b.setEnabled(writer and f.has_basis)
        deleter = self.ctx.can("safety_fee.delete")
        for b in (self.payments_tab.delete_pay_button, self.payments_tab.delete_sub_button):
            b.setEnabled(deleter)
        self.basis_button.setEnabled(True)
        self._update_ledger_buttons()

    def _update_ledger_buttons(self) -> None:
        one = len(self._ledger_ids()) == 1
        self.ledger_buttons["编辑(&E)…"].setEnabled(one)
        self.ledger_buttons["复核…"].setEnabled(one)
        self.ledger_buttons["删除"].setEnabled(one and self.ctx.can("safety_fee.delete"))

    # -------------------------------------------------------------- actions

    def _open(self, dlg: QDialog) -> QDialog:
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def _project_type(self) -> str:
        from station_app.services.registry.projects import get_project

        with self.ctx.db.read() as s:
            return get_project(s, self.project_id).project_type

    def edit_basis(self) -> QDialog:
        return self._open(BasisDialog(self.ctx, self.project_id, self._project_type(), self.fees, self))

    def _payees(self) -> list[tuple[str, int | None]]:
        subs = self.fees.subcontracts if self.fees else []
        return [("建设单位→施工总承包", None), *((f"施工总承包→{s.enterprise_name}", s.id) for s in subs)]

    def add_payment(self) -> QDialog:
        return self._open(PaymentDialog(self.ctx, self.project_id, self._payees(), None, self))

    def _payment(self) -> object | None:
        pid = selected_id(self.payments_tab.payments)
        checks = ([self.fees.owner] if self.fees and self.fees.owner else []) + \
                 [s.check for s in (self.fees.subcontracts if self.fees else [])]
        return next((p for c in checks for p in c.payments if p.id == pid), None)

    def edit_payment(self) -> QDialog | None:
        pay = self._payment()
        return self._open(PaymentDialog(self.ctx, self.project_id, self._payees(), pay, self)) if pay else None

    def delete_payment(self) -> None:
        pay = self._payment()
        if pay is None:
            messages.info(self, "请先在支付列表中选择要删除的支付记录。")
            return
        if not messages.confirm(self, "确定删除所选支付记录吗？删除将记入操作日志。", ok_text="删除"):
            return
        self._write(lambda s: delete_payment(s, self.ctx.actor, pay.id, pay.version))  # type: ignore[attr-defined]

    def add_subcontract(self) -> QDialog:
        return self._open(SubcontractDialog(self.ctx, self.project_id, None, self))

    def edit_subcontract(self) -> QDialog | None:
        sid = selected_id(self.payments_tab.subs)
        sub = next((s for s in (self.fees.subcontracts if self.fees else []) if s.id == sid), None)
        return self._open(SubcontractDialog(self.ctx, self.project_id, sub, self)) if sub else None

    def delete_subcontract(self) -> None:
        sid = selected_id(self.payments_tab.subs)
        sub = next((s for s in (self.fees.subcontracts if self.fees else []) if s.id == sid), None)
        if sub is None:
            messages.info(self, "请先在分包列表中选择要删除的分包。")
            return
        if not messages.confirm(self, f"确定删除分包“{sub.enterprise_name}”的安全生产费用记录吗？删除将记入操作日志。",
                                ok_text="删除"):
            return
        self._write(lambda s: delete_subcontract(s, self.ctx.actor, sub.id, sub.version))

    def import_ledger(self) -> QDialog:
        name = self.fees.project_name if self.fees else ""
        return self._open(LedgerImportDialog(self.ctx, self.project_id, name, self, today=self.as_of))

    def add_usage(self) -> QDialog:
        return self._open(UsageDialog(self.ctx, self.project_id, None, self))

    def _ledger_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.ledger.selectionModel().selectedRows()})
        return [self.model.row_id(r) for r in rows]

    def edit_usage(self) -> QDialog | None:
        ids = self._ledger_ids()
        if not ids:
            return None
        with self.ctx.db.read() as s:
            usage = get_usage(s, ids[0])
        return self._open(UsageDialog(self.ctx, self.project_id, usage, self))

    def delete_usage(self) -> None:
        """Delete the one selected entry as it was shown (the button is off for none or several): if someone
        changed it since the list loaded, the service refuses (已被他人修改), nothing is deleted, and the
        list reloads to show it as it is now."""
        rows = sorted({i.row() for i in self.ledger.selectionModel().selectedRows()})
        if len(rows) != 1 or not self.ledger_buttons["删除"].isEnabled():
            return
        usage_id = self.model.row_id(rows[0])
        values = self.model.row_values(rows[0])
        version = int(values[self.model.column_index(VERSION_COLUMN)])
        used_on, text = values[self.model.column_index("used_on")], values[self.model.column_index("description")]
        if not messages.confirm(self, f"确定删除使用台账记录“{chinese_date(used_on)} {text}”吗？删除将记入操作日志。",
                                ok_text="删除"):
            return
        self._write(lambda s: delete_usage(s, self.ctx.actor, usage_id, version))

    def review_current(self) -> QDialog | None:
        ids = self._ledger_ids()
        return self.review(ids[0]) if ids else None

    def review(self, usage_id: int | None) -> QDialog | None:
        if usage_id is None:
            return None
        with self.ctx.db.read() as s:
            usage = get_usage(s, usage_id)
        if not usage.flagged:
            messages.info(self, "该支出未被标记，无需复核。")
            return None
        return self._open(ReviewDialog(self.ctx, usage, self))

    def record_check(self) -> FormDialog | None:
        ids = self._ledger_ids()
        if not ids:
            messages.info(self, "请先在使用台账中选择本次检查核查过的记录（可多选）。")
            return None
        dlg = FeeCheckDialog(self.ctx, self.project_id, ids, self)
        self._open(dlg)
        return dlg

    def _write(self, fn: object) -> None:
        try:
            with self.ctx.db.write() as s:
                fn(s)  # type: ignore[operator]
        except StationError as err:
            messages.warn(self, str(err), "无法完成")
            if isinstance(err, StaleRecord):
                self.model.refresh()  # show the records as they are now
                self.reload()
            return
        self.ctx.notify(ENTITY)
