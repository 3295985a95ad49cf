"""The tabs of a saved policy: 附件 (content-addressed files), 事故预防服务 (the insurer's visits, and the
project's timeline with the station's own inspections beside them), 出险理赔. Each change is saved at once
through its service (audited) and the tab reloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.errors import StationError, ValidationError
from station_app.formatting import chinese_date, chinese_datetime, format_yuan
from station_app.services.attachments import AttachmentStore
from station_app.services.insurance.records import (
    ATTACHMENT_KINDS,
    CLAIM_STATUSES,
    ClaimData,
    VisitData,
    attach_policy_files,
    delete_claim,
    delete_visit,
    list_claims,
    list_policy_files,
    list_visits,
    project_timeline,
    remove_policy_file,
    save_claim,
    save_visit,
)
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.widgets import DateEdit, FormErrors, InputReader, MoneyEdit, ValueCombo, choices


def _table(headers: Sequence[str], parent: QWidget) -> QTableWidget:
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(list(headers))
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().hide()
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _cell(value: Any) -> str:
    if isinstance(value, date):
        return chinese_date(value)
    return "" if value is None else str(value)


def _fill(t: QTableWidget, rows: Sequence[Sequence[Any]], ids: Sequence[int]) -> None:
    t.setRowCount(len(rows))
    for r, (row, rid) in enumerate(zip(rows, ids, strict=True)):
        for c, value in enumerate(row):
            item = QTableWidgetItem(_cell(value))
            item.setData(256, rid)
            t.setItem(r, c, item)
    t.resizeColumnsToContents()


def _current_id(t: QTableWidget) -> int | None:
    item = t.item(t.currentRow(), 0) if t.currentRow() >= 0 else None
    return int(item.data(256)) if item is not None else None


class _Panel(QWidget):
    """A table with 新增/修改/删除 buttons over one policy's records."""

    def __init__(self, ctx: AppContext, policy_id: int, headers: Sequence[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx, self.policy_id = ctx, policy_id
        self.table = _table(headers, self)
        self.buttons = QHBoxLayout()
        self.add_button = QPushButton("新增", self)
        self.edit_button = QPushButton("修改", self)
        self.delete_button = QPushButton("删除", self)
        for b in (self.add_button, self.edit_button, self.delete_button):
            self.buttons.addWidget(b)
            b.setEnabled(ctx.can("insurance.write"))
        self.buttons.addStretch(1)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.buttons)
        self.layout_.addWidget(self.table, 1)

    def _write(self, action: Callable[[Any], object]) -> bool:
        """Save through the service (errors propagate: a dialog shows them by its fields)."""
        with self.ctx.db.write() as session:
            action(session)
        self.ctx.notify("insurance_policy")
        self.reload()
        return True

    def _run(self, action: Callable[[Any], object]) -> bool:
        try:
            return self._write(action)
        except StationError as err:
            messages.warn(self, str(err))
            return False

    def reload(self) -> None:
        raise NotImplementedError


class FilesPanel(_Panel):
    def __init__(self, ctx: AppContext, policy_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, policy_id, ("类型", "文件名", "大小（KB）", "添加人", "添加时间"), parent)
        self.kind = ValueCombo(choices(ATTACHMENT_KINDS), self)
        self.buttons.insertWidget(0, self.kind)
        self.add_button.setText("添加文件…")
        self.edit_button.hide()
        self.add_button.clicked.connect(self.add_files)
        self.delete_button.clicked.connect(self.remove)
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.read() as s:
            files = list_policy_files(s, self.policy_id)
        _fill(self.table, [(f.kind, f.file_name, f"{f.size / 1024:,.1f}", f.added_by_name,
                            f"{chinese_datetime(f.added_at)}") for f in files], [f.id for f in files])

    def add_files(self, paths: Sequence[str] | None = None) -> None:
        if not paths:
            paths, _ = QFileDialog.getOpenFileNames(self, "选择保单扫描件或其他文件")
        if not paths:
            return
        store = AttachmentStore.of(self.ctx.runtime.data)
        self._run(lambda s: attach_policy_files(s, self.ctx.actor, store, self.policy_id, list(paths),
                                                self.kind.value() or "保单"))

    def remove(self) -> None:
        link = _current_id(self.table)
        if link is not None and messages.confirm(self, "确定删除所选附件吗？", "删除附件", ok_text="删除"):
            self._run(lambda s: remove_policy_file(s, self.ctx.actor, link))


class _RecordDialog(QDialog):
    """A small form (visit or claim) with field errors; ``build()`` reads it, ``save`` calls the service."""

    def __init__(self, title: str, parent: QWidget | None, save: Callable[[Any], bool]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.errors = FormErrors(self)
        self.form = QFormLayout()
        self._save = save
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        box.accepted.connect(self.try_save)
        box.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.errors.banner)
        lay.addLayout(self.form)
        lay.addWidget(box)

    def build(self) -> Any:
        raise NotImplementedError

    def try_save(self) -> None:
        try:
            data = self.build()
            if self._save(data):
                self.accept()
        except ValidationError as err:
            self.errors.show(err)
        except StationError as err:
            self.errors.show(str(err))


class VisitDialog(_RecordDialog):
    def __init__(self, parent: QWidget | None, policy_id: int, visit: VisitData | None,
                 save: Callable[[Any], bool]) -> None:
        super().__init__("事故预防服务记录", parent, save)
        self.policy_id, self.visit_id = policy_id, visit.id if visit else None
        self.day, self.staff = DateEdit(self), QLineEdit(self)
        self.content, self.findings = QPlainTextEdit(self), QPlainTextEdit(self)
        for w in (self.content, self.findings):
            w.setTabChangesFocus(True)
            w.setFixedHeight(70)
        e = self.errors
        self.form.addRow("服务日期 *", e.field("服务日期", self.day))
        self.form.addRow("保险机构人员 *", e.field("保险机构人员", self.staff))
        self.form.addRow("服务内容 *", e.field("服务内容", self.content))
        self.form.addRow("发现问题", self.findings)
        if visit:
            self.day.set_value(visit.visit_date)
            self.staff.setText(visit.staff)
            self.content.setPlainText(visit.content)
            self.findings.setPlainText(visit.findings)

    def build(self) -> VisitData:
        r = InputReader()
        d = VisitData(self.policy_id, r.date("服务日期", self.day), self.staff.text(), self.content.toPlainText(),
                      self.findings.toPlainText(), self.visit_id)
        r.check()
        return d


class VisitsPanel(_Panel):
    """The insurer's visits (editable) above the project's merged timeline (visits + inspections)."""

    def __init__(self, ctx: AppContext, policy_id: int, project_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, policy_id, ("服务日期", "保险机构人员", "服务内容", "发现问题"), parent)
        self.project_id = project_id
        self.timeline = _table(("日期", "来源", "人员", "内容", "发现问题/结论"), self)
        self.layout_.addWidget(QLabel("本项目时间线：保险机构事故预防服务与监督站监督检查", self))
        self.layout_.addWidget(self.timeline, 1)
        self.add_button.clicked.connect(lambda: self.open(None))
        self.edit_button.clicked.connect(lambda: self.open(_current_id(self.table)))
        self.table.doubleClicked.connect(lambda _i: self.open(_current_id(self.table)))
        self.delete_button.clicked.connect(self.remove)
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.read() as s:
            self._visits = list_visits(s, self.policy_id)
            line = project_timeline(s, self.project_id) if self.project_id else []
        _fill(self.table, [(v.visit_date, v.staff, v.content, v.findings) for v in self._visits],
              [v.id or 0 for v in self._visits])
        _fill(self.timeline, [(e.day, e.source, e.who, e.content, e.findings) for e in line],
              [e.record_id for e in line])

    def open(self, visit_id: int | None) -> VisitDialog:
        visit = next((v for v in self._visits if v.id == visit_id), None) if visit_id else None
        dlg = VisitDialog(self, self.policy_id, visit,
                          lambda d: self._write(lambda s: save_visit(s, self.ctx.actor, d)))
        dlg.open()
        return dlg

    def remove(self) -> None:
        vid = _current_id(self.table)
        if vid is not None and messages.confirm(self, "确定删除所选服务记录吗？", "删除记录", ok_text="删除"):
            self._run(lambda s: delete_visit(s, self.ctx.actor, vid))


class ClaimDialog(_RecordDialog):
    def __init__(self, parent: QWidget | None, policy_id: int, claim: ClaimData | None,
                 save: Callable[[Any], bool]) -> None:
        super().__init__("出险理赔记录", parent, save)
        self.policy_id, self.claim = policy_id, claim
        self.day, self.description = DateEdit(self), QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(70)
        self.claimed, self.paid, self.paid_on = MoneyEdit(self), MoneyEdit(self), DateEdit(self)
        self.status = ValueCombo(choices(CLAIM_STATUSES), self)
        e = self.errors
        self.form.addRow("出险日期 *", e.field("出险日期", self.day))
        self.form.addRow("事故经过 *", e.field("事故经过", self.description))
        self.form.addRow("索赔金额（元）*", e.field("索赔金额", self.claimed))
        self.form.addRow("理赔状态", e.field("理赔状态", self.status))
        self.form.addRow("赔付金额（元）", e.field("赔付金额", self.paid))
        self.form.addRow("赔付日期", e.field("赔付日期", self.paid_on))
        if claim:
            self.day.set_value(claim.accident_date)
            self.description.setPlainText(claim.description)
            self.claimed.set_fen(claim.claimed_fen)
            self.paid.set_fen(claim.paid_fen)
            self.paid_on.set_value(claim.paid_on)
            self.status.set_value(claim.status)

    def build(self) -> ClaimData:
        r = InputReader()
        c = self.claim
        d = ClaimData(self.policy_id, r.date("出险日期", self.day), self.description.toPlainText(),
                      r.fen("索赔金额", self.claimed), r.fen("赔付金额", self.paid), r.date("赔付日期", self.paid_on),
                      self.status.value() or "", c.accident_id if c else None, c.id if c else None)
        r.check()
        return d


class ClaimsPanel(_Panel):
    def __init__(self, ctx: AppContext, policy_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, policy_id, ("出险日期", "事故经过", "索赔金额（元）", "赔付金额（元）", "赔付日期", "状态"),
                         parent)
        self.add_button.clicked.connect(lambda: self.open(None))
        self.edit_button.clicked.connect(lambda: self.open(_current_id(self.table)))
        self.table.doubleClicked.connect(lambda _i: self.open(_current_id(self.table)))
        self.delete_button.clicked.connect(self.remove)
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.read() as s:
            self._claims = list_claims(s, self.policy_id)
        _fill(self.table, [(c.accident_date, c.description, format_yuan(c.claimed_fen), format_yuan(c.paid_fen),
                            c.paid_on, c.status) for c in self._claims], [c.id or 0 for c in self._claims])

    def open(self, claim_id: int | None) -> ClaimDialog:
        claim = next((c for c in self._claims if c.id == claim_id), None) if claim_id else None
        dlg = ClaimDialog(self, self.policy_id, claim, lambda d: self._write(lambda s: save_claim(s, self.ctx.actor, d)))
        dlg.open()
        return dlg

    def remove(self) -> None:
        cid = _current_id(self.table)
        if cid is not None and messages.confirm(self, "确定删除所选理赔记录吗？", "删除记录", ok_text="删除"):
            self._run(lambda s: delete_claim(s, self.ctx.actor, cid))
