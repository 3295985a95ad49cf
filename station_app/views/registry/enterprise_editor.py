"""企业 editor: identity (name, 统一社会信用代码 with a live check), contacts, 安全生产许可证, 资质."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from station_app.formatting import chinese_date
from station_app.models.enums import EnterpriseKind, PermitStatus
from station_app.rules.ids import USCC_ALPHABET, is_valid_uscc, normalize_uscc, uscc_check_char
from station_app.services.registry.enterprises import (
    EnterpriseData,
    QualificationData,
    create_enterprise,
    get_enterprise,
    update_enterprise,
)
from station_app.views.app_context import AppContext
from station_app.views.registry.editor_base import EditorDialog
from station_app.views.widgets import DateEdit, InputReader, ValueCombo, choices
from station_app.views.widgets.checked_edit import CheckedCodeEdit

QUALIFICATION_HEADERS = ("资质名称", "等级", "证书编号", "有效期至")


def uscc_feedback(text: str) -> tuple[bool | None, str]:
    """(ok, message) for what is typed so far: None while incomplete, True/False once 18 characters."""
    code = normalize_uscc(text)
    if not code:
        return None, ""
    bad = sorted({ch for ch in code if ch not in USCC_ALPHABET})
    if bad:
        return False, f"含有无效字符：{'、'.join(bad)}（不使用 I、O、S、V、Z）"
    if len(code) < 18:
        return None, f"已输入 {len(code)}/18 位"
    if len(code) > 18:
        return False, f"应为18位，现为{len(code)}位"
    if is_valid_uscc(code):
        return True, "✓ 校验通过"
    return False, f"✗ 校验码不符：末位应为 {uscc_check_char(code[:17])}"


class EnterpriseEditor(EditorDialog):
    entity = "enterprise"

    def __init__(self, ctx: AppContext, enterprise_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "编辑企业" if enterprise_id else "新增企业", parent)
        self.resize(860, 600)
        data = None
        if enterprise_id:
            with ctx.db.read() as session:
                data = get_enterprise(session, enterprise_id)
        self._id = enterprise_id
        self._version = data.version if data else None
        self._build()
        self._load(data or EnterpriseData(name="", uscc="", kind=EnterpriseKind.CONTRACTOR.value))
        self.finish_loading()
        self.name.setFocus()

    def _build(self) -> None:
        e = self.errors
        self.name = QLineEdit(self)
        self.name.setMaxLength(120)
        uscc_row = CheckedCodeEdit("18位，如 91320722MA1XXXXXXX", uscc_feedback, self)
        self.uscc, self.uscc_hint = uscc_row.edit, uscc_row.hint
        self.kind = ValueCombo(choices([k.value for k in EnterpriseKind]), self)
        self.legal_rep = QLineEdit(self)
        self.address = QLineEdit(self)
        self.contact_person = QLineEdit(self)
        self.contact_phone = QLineEdit(self)
        basic = QGroupBox("基本信息", self)
        f = QFormLayout(basic)
        f.addRow("企业名称 *", e.field("企业名称", self.name))
        f.addRow("统一社会信用代码 *", e.field("统一社会信用代码", uscc_row))
        f.addRow("企业类型 *", e.field("企业类型", self.kind))
        f.addRow("法定代表人", self.legal_rep)
        f.addRow("地址", self.address)
        f.addRow("联系人", self.contact_person)
        f.addRow("联系电话", self.contact_phone)

        self.permit_no = QLineEdit(self)
        self.permit_valid = DateEdit(self)
        self.permit_status = ValueCombo(choices([s.value for s in PermitStatus], blank="（未填）"), self)
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        permit = QGroupBox("安全生产许可证", self)
        f = QFormLayout(permit)
        f.addRow("许可证号", e.field("安全生产许可证号", self.permit_no))
        f.addRow("有效期至", e.field("安全生产许可证有效期", self.permit_valid))
        f.addRow("许可证状态", e.field("安全生产许可证状态", self.permit_status))
        f.addRow("备注", self.note)

        self.qualifications = QTableWidget(0, len(QUALIFICATION_HEADERS), self)
        self.qualifications.setHorizontalHeaderLabels(QUALIFICATION_HEADERS)
        self.qualifications.verticalHeader().hide()
        self.qualifications.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.qualifications.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.qualifications.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        add, remove = QPushButton("添加资质", self), QPushButton("删除资质", self)
        add.clicked.connect(self.add_qualification)
        remove.clicked.connect(self.remove_qualification)
        quals = QGroupBox("资质（日期按 2026-11-23 填写）", self)
        q = QVBoxLayout(quals)
        q.addWidget(self.qualifications)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        q.addLayout(buttons)
        q.addWidget(self.errors.register_prefix("资质", self.qualifications))

        grid = QGridLayout()
        grid.addWidget(basic, 0, 0)
        grid.addWidget(permit, 0, 1)
        grid.addWidget(quals, 1, 0, 1, 2)
        grid.setRowStretch(1, 1)
        self.body.addLayout(grid)

    def add_qualification(self) -> None:
        row = self.qualifications.rowCount()
        self.qualifications.insertRow(row)
        for col in range(len(QUALIFICATION_HEADERS)):
            self.qualifications.setItem(row, col, QTableWidgetItem(""))
        self.qualifications.setCurrentCell(row, 0)  # its CurrentChanged trigger usually opens the editor
        if self.qualifications.state() != QAbstractItemView.State.EditingState:  # else Qt warns "editing failed"
            self.qualifications.editItem(self.qualifications.item(row, 0))  # type: ignore[arg-type]

    def remove_qualification(self) -> None:
        rows = sorted({i.row() for i in self.qualifications.selectionModel().selectedRows()}, reverse=True)
        for row in rows:
            self.qualifications.removeRow(row)

    def _load(self, d: EnterpriseData) -> None:
        self.name.setText(d.name)
        self.uscc.setText(d.uscc)
        self.kind.set_value(d.kind)
        self.legal_rep.setText(d.legal_representative)
        self.address.setText(d.address)
        self.contact_person.setText(d.contact_person)
        self.contact_phone.setText(d.contact_phone)
        self.permit_no.setText(d.safety_permit_no)
        self.permit_valid.set_value(d.safety_permit_valid_until)
        self.permit_status.set_value(d.safety_permit_status or None)
        self.note.setPlainText(d.note)
        self.qualifications.setRowCount(0)
        for qd in d.qualifications:
            row = self.qualifications.rowCount()
            self.qualifications.insertRow(row)
            values = (qd.name, qd.grade, qd.certificate_no, chinese_date(qd.valid_until) if qd.valid_until else "")
            for col, text in enumerate(values):
                self.qualifications.setItem(row, col, QTableWidgetItem(text))

    def _cell(self, row: int, col: int) -> str:
        item = self.qualifications.item(row, col)
        return item.text().strip() if item else ""

    def collect(self) -> EnterpriseData:
        r = InputReader()
        quals = []
        for row in range(self.qualifications.rowCount()):
            values = [self._cell(row, c) for c in range(4)]
            if not any(values):
                continue  # an empty row added by mistake
            valid = r.date_text(f"资质第{row + 1}行", values[3])
            quals.append(QualificationData(values[0], values[1], values[2], valid))
        data = EnterpriseData(
            name=self.name.text(), uscc=self.uscc.text(), kind=self.kind.value() or "",
            legal_representative=self.legal_rep.text().strip(), address=self.address.text().strip(),
            contact_person=self.contact_person.text().strip(), contact_phone=self.contact_phone.text().strip(),
            safety_permit_no=self.permit_no.text(),
            safety_permit_valid_until=r.date("安全生产许可证有效期", self.permit_valid),
            safety_permit_status=self.permit_status.value() or "", note=self.note.toPlainText(),
            qualifications=tuple(quals), id=self._id, version=self._version)
        r.check()
        return data

    def persist(self, session: Session, data: EnterpriseData) -> int:
        actor = self.ctx.actor
        saved = update_enterprise(session, actor, data) if data.id else create_enterprise(session, actor, data)
        assert saved.id is not None
        return saved.id
