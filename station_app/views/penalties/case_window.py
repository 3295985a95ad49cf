"""One penalty case: header, the stage timeline, every clock (days left, overdue in red, legal basis),
the penalty and money, 一案双查, documents and the stage log; buttons for the next step."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_app.errors import StationError
from station_app.formatting import chinese_date, format_yuan
from station_app.services.documents.context import evidence_context
from station_app.services.penalties import stages as st
from station_app.services.penalties.case_view import CaseView, get_case
from station_app.services.penalties.cases import load_case
from station_app.services.penalties.flow import flags
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.penalties.dialogs import (
    HearingDialog,
    PaymentDialog,
    PenaltyDialog,
    ReviewDialog,
    StageDialog,
)
from station_app.views.penalties.event_dialogs import (
    EnforcementDialog,
    EvidenceDialog,
    ExtendDialog,
    NotFileDialog,
    PreservationDialog,
)

RED = QColor("#c0392b")
GREY = QColor("#888888")


def _table(parent: QWidget, headers: tuple[str, ...], widths: tuple[int, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    for i, w in enumerate(widths):
        table.setColumnWidth(i, w)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[Any, ...]], colors: list[QColor | None] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            text = chinese_date(value) if isinstance(value, date) else ("" if value is None else str(value))
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if colors and colors[r] is not None:
                item.setForeground(colors[r])  # type: ignore[arg-type]
            table.setItem(r, c, item)


class CaseWindow(QDialog):
    """Non-modal window of one case; it reloads after every change it makes (and on the bus)."""

    def __init__(self, ctx: AppContext, case_id: int, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id, self.today = ctx, case_id, today
        self.view: CaseView | None = None
        self.resize(1100, 720)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.timeline = QLabel(self)
        self.timeline.setTextFormat(Qt.TextFormat.RichText)
        self.timeline.setWordWrap(True)
        self.penalty_label = QLabel(self)
        self.penalty_label.setWordWrap(True)
        self.penalty_label.setTextFormat(Qt.TextFormat.RichText)

        self.clocks = _table(self, ("时限", "主体", "起算日", "最后期限", "状态", "法律依据"), (190, 60, 90, 90, 170, 400))
        self.log = _table(self, ("环节", "日期", "办理人", "办理意见"), (110, 90, 90, 500))
        self.reviews = _table(self, ("姓名", "岗位", "处理结论", "理由", "日期"), (90, 100, 80, 360, 90))
        self.documents = _table(self, ("文书", "文号", "环节", "状态"), (170, 240, 90, 80))
        # the same evidence ID and SHA-256 prefix the documents print (document_context.evidence_context)
        self.evidence = _table(self, ("证据编号", "类别", "文件", "SHA-256前缀", "说明"), (80, 110, 240, 110, 360))
        self.tabs = QTabWidget(self)
        for widget, title in ((self.clocks, "时限"), (self.log, "办理记录"), (self.reviews, "一案双查"),
                              (self.documents, "文书"), (self.evidence, "证据")):
            self.tabs.addTab(widget, title)

        self.next_button = QPushButton(self)
        self.penalty_button = QPushButton("拟定处罚(&P)…", self)
        self.hearing_button = QPushButton("登记听证申请…", self)
        self.payment_button = QPushButton("登记缴款…", self)
        self.review_button = QPushButton("一案双查结论…", self)
        close = QPushButton("关闭", self)
        self.next_button.clicked.connect(self.open_next_stage)
        self.penalty_button.clicked.connect(lambda: self._open(PenaltyDialog))
        self.hearing_button.clicked.connect(lambda: self._open(HearingDialog))
        self.payment_button.clicked.connect(lambda: self._open(PaymentDialog))
        self.review_button.clicked.connect(self.open_review)
        close.clicked.connect(self.close)
        # events inside a stage (second row): each opens a small form that goes through the service
        self.preservation_button = QPushButton("先行登记保存…", self)
        self.evidence_button = QPushButton("添加证据…", self)
        self.remind_button = QPushButton("催告…", self)
        self.enforce_button = QPushButton("申请强制执行…", self)
        self.extend_button = QPushButton("延长办案期限…", self)
        self.not_file_button = QPushButton("不予立案…", self)
        self.preservation_button.clicked.connect(lambda: self._open(PreservationDialog))
        self.evidence_button.clicked.connect(lambda: self._open(EvidenceDialog))
        self.remind_button.clicked.connect(lambda: self._open(EnforcementDialog, "催告"))
        self.enforce_button.clicked.connect(lambda: self._open(EnforcementDialog, "申请强制执行"))
        self.extend_button.clicked.connect(lambda: self._open(ExtendDialog))
        self.not_file_button.clicked.connect(lambda: self._open(NotFileDialog))
        events = QHBoxLayout()
        for b in (self.preservation_button, self.evidence_button, self.remind_button, self.enforce_button,
                  self.extend_button, self.not_file_button):
            events.addWidget(b)
        events.addStretch(1)
        buttons = QHBoxLayout()
        for b in (self.next_button, self.penalty_button, self.hearing_button, self.payment_button,
                  self.review_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.timeline)
        layout.addWidget(self.penalty_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(events)
        layout.addLayout(buttons)
        ctx.bus.changed.connect(self._on_changed)
        self.reload()

    # ------------------------------------------------------------------ data

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("penalty_case", "*"):
            self.reload()

    def reload(self) -> None:
        try:
            with self.ctx.db.read() as session:
                self.view = get_case(session, self.case_id, self.today)
                fl = flags(load_case(session, self.case_id))
                marks = {e["blob_id"]: e for e in evidence_context(session, [e.blob_id for e in self.view.evidence])}
        except StationError as err:
            messages.warn(self, str(err))
            return
        v = self.view
        self.setWindowTitle(f"行政处罚案件 {v.code} — {v.basics.party_name}")
        self._show_header(v)
        self._show_timeline(v, fl)
        self._show_penalty(v)
        colors: list[QColor | None] = [RED if c.overdue else (GREY if c.done_on else None) for c in v.clocks]
        _fill(self.clocks, [(c.label, c.owner, c.start, c.deadline_text, c.status, c.basis) for c in v.clocks], colors)
        for row, c in enumerate(v.clocks):
            cell = self.clocks.item(row, 3)
            if c.reason and cell is not None:  # why the last day is 暂定
                cell.setToolTip(c.reason)
        _fill(self.log, [(r.stage, r.on_date, r.actor_name, r.note) for r in v.stages])
        _fill(self.reviews, [(r.person_name, r.post, r.outcome or "待处理", r.reason, r.decided_on)
                             for r in v.reviews],
              [None if r.outcome else RED for r in v.reviews])
        _fill(self.documents, [(d.doc_type, d.number, d.stage, d.status) for d in v.documents])
        _fill(self.evidence, [(marks[e.blob_id]["code"], e.kind, e.name, marks[e.blob_id]["sha_prefix"], e.caption)
                              for e in v.evidence])
        self.tabs.setTabText(4, f"证据（{len(v.evidence)}）" if v.evidence else "证据")
        self.tabs.setTabText(2, f"一案双查（{v.pending_reviews}人待处理）" if v.pending_reviews else "一案双查")
        self._update_buttons(v)

    def _show_header(self, v: CaseView) -> None:
        b = v.basics
        deadline = ""
        clock = next((c for c in v.clocks if c.step == "decision"), None)
        if clock is not None:
            color = "#c0392b" if clock.overdue else "#222"
            deadline = (f"　办案期限：<b style='color:{color}'>{clock.deadline_text}（{escape(clock.status)}）"
                        f"</b>{escape('　' + v.extension) if v.extension else ''}")
        overdue = "".join(f"<br><b style='color:#c0392b'>⚠ {escape(c.label)}已{escape(c.status)}"
                          f"（最后期限{chinese_date(c.deadline)}）</b>" for c in v.overdue)
        zero = "<br><b style='color:#c0392b'>⚠ 关联事故的案件未作任何处罚（零处罚），请核实</b>" if v.zero_penalty else ""
        self.header.setText(
            f"<span style='font-size:13pt'><b>{escape(v.code)}</b>　{escape(b.cause)}</span><br>"
            f"当事人：<b>{escape(b.party_name)}</b>（{escape(b.party_kind)}，{escape(b.party_code)}）"
            f"　工程：{escape(v.project_name or '—')}　来源：{escape(b.source)}"
            f"{'　关联事故：' + escape(b.accident_note) if b.accident_note else ''}<br>"
            f"当前环节：<b>{escape(v.stage)}</b>（{chinese_date(v.stage_on)}）{deadline}{overdue}{zero}")

    def _show_timeline(self, v: CaseView, fl: dict[str, bool]) -> None:
        done = {r.stage for r in v.stages}
        parts = []
        for s in st.STAGES:
            if s.key in done:
                parts.append(f"<span style='color:#2e7d32'>✔ {s.key}</span>")
            elif s.key == v.next_stage:
                parts.append(f"<b style='color:#1565c0'>▶ {s.key}</b>")
            elif not st.needed(s.key, **fl):
                parts.append(f"<span style='color:#bbb'><s>{s.key}</s></span>")
            else:
                parts.append(f"<span style='color:#777'>{s.key}</span>")
        if v.stage == st.NOT_FILED:
            parts.append("<b style='color:#c0392b'>不予立案</b>")
        self.timeline.setText(" → ".join(parts))

    def _show_penalty(self, v: CaseView) -> None:
        if not v.violation_code:
            self.penalty_label.setText("拟处罚：<span style='color:#777'>尚未拟定</span>")
            return
        fine = v.decided_fine_fen if v.decided_fine_fen is not None else v.proposed_fine_fen
        text = (f"违法行为：{escape(v.violation_text[:120])}<br>法定幅度：{escape(v.range_text)}　"
                f"{'决定' if v.decided_fine_fen is not None else '拟'}罚款：<b>{format_yuan(fine) if fine else '无'}"
                f"{'元' if fine else ''}</b>")
        if v.other_measures:
            text += f"　其他：{escape(v.other_measures)}"
        if v.factors:
            text += f"　情节：{escape(v.factors)}（{escape(v.factor_note[:60])}）"
        if v.range_approval:
            text += f"<br><b style='color:#b26a00'>{escape(v.range_approval)}</b>"
        if v.hearing_eligible:
            text += "　<i>应告知听证权利</i>" + ("（已申请听证）" if v.hearing_requested else "")
        m = v.money
        if m.fine_fen and v.basics and v.stage in (st.SERVICE, st.EXECUTION, st.CLOSING, st.ARCHIVE):
            color = "#c0392b" if m.outstanding_fen and m.surcharge_fen else "#222"
            text += (f"<br>已缴：{format_yuan(m.paid_fen)}元　加处罚款（截至{chinese_date(m.as_of)}）："
                     f"<b style='color:{color}'>{format_yuan(m.surcharge_fen)}元</b>　"
                     f"未缴：<b style='color:{color}'>{format_yuan(m.outstanding_fen)}元</b>")
        self.penalty_label.setText(text)

    def _update_buttons(self, v: CaseView) -> None:
        writer = self.ctx.can("case.write")
        nxt = v.next_stage
        self.next_button.setText(f"办理：{nxt}(&N)…" if nxt else "已办结")
        approval = nxt is not None and st.stage(nxt).approval
        self.next_button.setEnabled(writer and nxt is not None and (not approval or self.ctx.can("case.approve")))
        if approval and not self.ctx.can("case.approve"):
            self.next_button.setToolTip(f"“{nxt}”须由站长审批")
        self.penalty_button.setEnabled(writer and v.stage in st.PENALTY_EDITABLE)
        self.hearing_button.setVisible(v.hearing_eligible)
        self.hearing_button.setEnabled(writer and v.stage == st.NOTICE)
        self.payment_button.setVisible(bool(v.money.fine_fen))
        self.payment_button.setEnabled(writer and v.stage == st.EXECUTION and v.money.outstanding_fen > 0)
        self.review_button.setVisible(bool(v.reviews))
        self.review_button.setEnabled(writer and v.pending_reviews > 0)
        self._update_event_buttons(v, writer)

    def _update_event_buttons(self, v: CaseView, writer: bool) -> None:
        chief = self.ctx.can("case.approve")
        held = any(c.step == "evidence_preservation" and c.done_on is None for c in v.clocks)
        self.preservation_button.setText("先行登记保存处理决定…" if held else "先行登记保存…")
        self.preservation_button.setVisible(held or v.stage in (st.FILING, st.INVESTIGATION))
        self.preservation_button.setEnabled(writer)
        closed = v.stage in (st.CLOSING, st.ARCHIVE, st.NOT_FILED)
        self.evidence_button.setVisible(not closed)
        self.evidence_button.setEnabled(writer)
        m = v.money
        due_passed = m.payment_due is not None and m.as_of > m.payment_due
        unpaid = v.stage == st.EXECUTION and m.outstanding_fen > 0
        self.remind_button.setVisible(bool(m.fine_fen) and v.stage == st.EXECUTION)
        self.remind_button.setEnabled(writer and unpaid and due_passed)
        self.remind_button.setText("再次催告…" if v.reminded_on else "催告…")
        self.enforce_button.setVisible(bool(m.fine_fen) and v.stage == st.EXECUTION)
        self.enforce_button.setEnabled(writer and unpaid and v.reminded_on is not None
                                       and v.enforcement_applied_on is None)
        self.enforce_button.setToolTip("" if v.reminded_on else "申请强制执行前须先催告当事人")
        deciding = any(c.step == "decision" and c.done_on is None for c in v.clocks)
        self.extend_button.setVisible(deciding)
        self.extend_button.setEnabled(chief)
        self.extend_button.setToolTip("" if chief else "延长办案期限须由站长批准")
        self.not_file_button.setVisible(v.stage == st.CLUE)
        self.not_file_button.setEnabled(chief)
        self.not_file_button.setToolTip("" if chief else "不予立案须由站长审批")

    # ------------------------------------------------------------------ actions

    def _open(self, cls: Any, *args: Any) -> QDialog | None:
        if self.view is None:
            return None
        dlg = cls(self.ctx, self.view, *args, parent=self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self.last_dialog = dlg
        return dlg

    def open_next_stage(self) -> QDialog | None:
        if self.view is None or self.view.next_stage is None:
            return None
        return self._open(StageDialog)

    def open_review(self) -> QDialog | None:
        if self.view is None:
            return None
        row = self.reviews.currentRow()
        pending = [r for r in self.view.reviews if not r.outcome]
        chosen = self.view.reviews[row] if 0 <= row < len(self.view.reviews) else None
        review = chosen if chosen is not None and not chosen.outcome else (pending[0] if pending else None)
        return self._open(ReviewDialog, review.id) if review is not None else None
