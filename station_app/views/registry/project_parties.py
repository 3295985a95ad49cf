"""The 参建单位 tab of the project editor: parties (role, enterprise, scope, dates) and their people.

The table above lists the parties; the form below edits the selected one, and under it its
responsible people (person picker + a post limited to PARTY_POSTS[role] + certificate number).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.formatting import chinese_date
from station_app.models.enums import PARTY_POSTS, EnterpriseKind, PartyRole
from station_app.services.registry.projects import SINGLE_ROLES, PartyData, PartyPersonData
from station_app.views.app_context import AppContext
from station_app.views.widgets import (
    DateEdit,
    EnterprisePicker,
    InputReader,
    PersonPicker,
    ValueCombo,
    choices,
)

#: the enterprise kind listed first when picking the enterprise of a role
ROLE_KIND: dict[str, str] = {
    PartyRole.OWNER: EnterpriseKind.OWNER, PartyRole.GENERAL_CONTRACTOR: EnterpriseKind.CONTRACTOR,
    PartyRole.SUPERVISION: EnterpriseKind.SUPERVISION, PartyRole.SURVEY: EnterpriseKind.SURVEY,
    PartyRole.DESIGN: EnterpriseKind.DESIGN, PartyRole.SUBCONTRACTOR: EnterpriseKind.SPECIALIST,
}

PARTY_HEADERS = ("参建角色", "单位名称", "统一社会信用代码", "负责人员", "承包范围", "进场日期", "退场日期")


@dataclass
class PartyRow:
    role: str
    enterprise_id: int | None = None
    enterprise_name: str = ""
    enterprise_uscc: str = ""
    scope: str = ""
    start_text: str = ""
    end_text: str = ""
    people: list[PartyPersonData] = field(default_factory=list)

    @classmethod
    def of(cls, p: PartyData) -> PartyRow:
        return cls(p.role, p.enterprise_id, p.enterprise_name, p.enterprise_uscc, p.scope,
                   chinese_date(p.start_date) if p.start_date else "", chinese_date(p.end_date) if p.end_date else "",
                   list(p.people))

    def people_summary(self) -> str:
        return "、".join(f"{x.post}：{x.person_name}" for x in self.people)


class PartiesEditor(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[PartyRow] = []
        self._loading = False

        self.table = QTableWidget(0, len(PARTY_HEADERS), self)
        self.table.setHorizontalHeaderLabels(PARTY_HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for i, width in enumerate((90, 220, 160, 200, 120, 90, 90)):
            self.table.setColumnWidth(i, width)
        self.table.itemSelectionChanged.connect(self._on_selected)
        self.add_party_button = QPushButton("添加参建单位(&A)", self)
        self.remove_party_button = QPushButton("删除参建单位", self)
        self.add_party_button.clicked.connect(self.add_party)
        self.remove_party_button.clicked.connect(self.remove_party)
        self.error_line = QLabel(self)

        # the selected party
        self.role = ValueCombo(choices([r.value for r in PartyRole]), self)
        self.enterprise = EnterprisePicker(ctx, self)
        self.scope = QLineEdit(self)
        self.scope.setPlaceholderText("如：土建、安装（专业分包填写）")
        self.start_date = DateEdit(self)
        self.end_date = DateEdit(self)
        self.role.value_changed.connect(self._on_role)
        self.enterprise.picked.connect(self._on_enterprise)
        for w in (self.scope, self.start_date, self.end_date):
            w.textChanged.connect(self._store)

        # its people
        self.people_table = QTableWidget(0, 3, self)
        self.people_table.setHorizontalHeaderLabels(("岗位", "姓名", "证书编号"))
        self.people_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people_table.verticalHeader().hide()
        self.people_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.person = PersonPicker(ctx, self)
        self.post = ValueCombo((), self)
        self.certificate = QLineEdit(self)
        self.certificate.setPlaceholderText("证书编号（可不填）")
        self.add_person_button = QPushButton("添加人员", self)
        self.remove_person_button = QPushButton("移除人员", self)
        self.add_person_button.clicked.connect(self.add_person)
        self.remove_person_button.clicked.connect(self.remove_person)
        self.person_message = QLabel(self)
        self.person_message.setStyleSheet("color: #8a5a00;")
        for w in (self.person, self.certificate):
            w.installEventFilter(self)

        self._build_layout()
        self._enable_detail(False)

    def _build_layout(self) -> None:
        party_buttons = QHBoxLayout()
        party_buttons.addWidget(self.add_party_button)
        party_buttons.addWidget(self.remove_party_button)
        party_buttons.addStretch(1)

        detail = QGroupBox("所选参建单位", self)
        form = QFormLayout(detail)
        form.addRow("参建角色", self.role)
        form.addRow("单位名称", self.enterprise)
        form.addRow("承包范围", self.scope)
        form.addRow("进场日期", self.start_date)
        form.addRow("退场日期", self.end_date)

        people = QGroupBox("项目负责人员", self)
        people_layout = QVBoxLayout(people)
        people_layout.addWidget(self.people_table)
        entry = QHBoxLayout()
        entry.addWidget(self.person, 3)
        entry.addWidget(self.post, 2)
        entry.addWidget(self.certificate, 2)
        entry.addWidget(self.add_person_button)
        entry.addWidget(self.remove_person_button)
        people_layout.addLayout(entry)
        people_layout.addWidget(self.person_message)

        lower = QHBoxLayout()
        lower.addWidget(detail, 1)
        lower.addWidget(people, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(party_buttons)
        layout.addWidget(self.error_line)
        layout.addLayout(lower)

    # -------------------------------------------------------------- load / collect

    def load(self, parties: tuple[PartyData, ...]) -> None:
        self.rows = [PartyRow.of(p) for p in parties]
        self._refresh_table()
        if self.rows:
            self.table.selectRow(0)

    def collect(self, reader: InputReader) -> tuple[PartyData, ...]:
        out = []
        for i, r in enumerate(self.rows, 1):
            label = f"参建单位第{i}行"
            start = reader.date_text(f"{label}进场日期", r.start_text)
            end = reader.date_text(f"{label}退场日期", r.end_text)
            if r.enterprise_id is None:
                reader.add(label, f"请为“{r.role}”从列表中选择单位")
                continue
            out.append(PartyData(role=r.role, enterprise_id=r.enterprise_id, scope=r.scope, start_date=start,
                                 end_date=end, people=tuple(r.people), enterprise_name=r.enterprise_name,
                                 enterprise_uscc=r.enterprise_uscc))
        return tuple(out)

    # -------------------------------------------------------------- parties

    def current_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def add_party(self) -> None:
        used = {r.role for r in self.rows}
        role = next((r.value for r in SINGLE_ROLES if r.value not in used), PartyRole.SUBCONTRACTOR.value)
        self.rows.append(PartyRow(role))
        self._refresh_table()
        self.table.selectRow(len(self.rows) - 1)
        self.role.setFocus()

    def remove_party(self) -> None:
        row = self.current_row()
        if row is None:
            return
        del self.rows[row]
        self._refresh_table()
        if self.rows:
            self.table.selectRow(min(row, len(self.rows) - 1))
        else:
            self._on_selected()

    def _refresh_table(self) -> None:
        selected = self.current_row()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for i in range(len(self.rows)):
            self._refresh_row(i)
        self.table.blockSignals(False)
        if selected is not None and selected < len(self.rows):
            self.table.selectRow(selected)

    def _refresh_row(self, i: int) -> None:
        r = self.rows[i]
        for col, text in enumerate((r.role, r.enterprise_name, r.enterprise_uscc, r.people_summary(), r.scope,
                                    r.start_text, r.end_text)):
            item = self.table.item(i, col)
            if item is None:
                self.table.setItem(i, col, QTableWidgetItem(text))
            else:
                item.setText(text)

    def _on_selected(self) -> None:
        row = self.current_row()
        self._enable_detail(row is not None)
        self._loading = True
        try:
            if row is None:
                self.role.setCurrentIndex(0)
                self.enterprise.set_value(None)
                for w in (self.scope, self.start_date, self.end_date):
                    w.clear()
            else:
                r = self.rows[row]
                self.role.set_value(r.role)
                self.enterprise.set_value(r.enterprise_id, r.enterprise_name, uscc=r.enterprise_uscc)
                self.scope.setText(r.scope)
                self.start_date.setText(r.start_text)
                self.end_date.setText(r.end_text)
                self._on_role(r.role)
            self._refresh_people()
        finally:
            self._loading = False

    def _enable_detail(self, on: bool) -> None:
        for w in (self.role, self.enterprise, self.scope, self.start_date, self.end_date, self.person, self.post,
                  self.certificate, self.add_person_button, self.remove_person_button, self.remove_party_button):
            w.setEnabled(on)

    def _on_role(self, role: object) -> None:
        self.post.set_items(choices(PARTY_POSTS.get(PartyRole(str(role)), ())) if role else [], keep=True)
        self.enterprise.prefer_kind = ROLE_KIND.get(str(role))
        self._store()

    def _on_enterprise(self, enterprise_id: object) -> None:
        self.person.prefer_employer_id = enterprise_id if isinstance(enterprise_id, int) else None
        self._store()

    def _store(self, *_args: object) -> None:
        """Copy the form into the selected party (on every edit) and refresh its table row."""
        row = self.current_row()
        if self._loading or row is None:
            return
        r = self.rows[row]
        r.role = str(self.role.value() or r.role)
        r.enterprise_id = self.enterprise.value()
        r.enterprise_name = self.enterprise.text().strip()
        r.enterprise_uscc = str(self.enterprise.extra().get("uscc", "")) if r.enterprise_id else ""
        r.scope = self.scope.text()
        r.start_text = self.start_date.text()
        r.end_text = self.end_date.text()
        self._refresh_row(row)

    # -------------------------------------------------------------- people

    def _refresh_people(self) -> None:
        row = self.current_row()
        people = self.rows[row].people if row is not None else []
        self.people_table.setRowCount(len(people))
        for i, p in enumerate(people):
            for col, text in enumerate((p.post, p.person_name, p.certificate_no)):
                self.people_table.setItem(i, col, QTableWidgetItem(text))
        self.person_message.clear()

    def add_person(self) -> None:
        row = self.current_row()
        person_id, post = self.person.value(), self.post.value()
        if row is None:
            return
        if person_id is None:
            self.person_message.setText("请先从下拉列表中选择人员")
            self.person.setFocus()
            return
        if not post:
            self.person_message.setText("请选择岗位")
            return
        r = self.rows[row]
        if any(p.person_id == person_id and p.post == post for p in r.people):
            self.person_message.setText(f"{self.person.text()}已是本单位的{post}")
            return
        r.people.append(PartyPersonData(person_id, str(post), self.certificate.text().strip(),
                                        self.person.text().strip()))
        self._refresh_people()
        self._refresh_row(row)
        self.person.set_value(None)
        self.certificate.clear()
        self.person.setFocus()

    def remove_person(self) -> None:
        row = self.current_row()
        selected = self.people_table.selectionModel().selectedRows()
        if row is None or not selected:
            return
        del self.rows[row].people[selected[0].row()]
        self._refresh_people()
        self._refresh_row(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in a filled person or certificate field adds the person (instead of saving the project)."""
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not self.person.popup_visible()
                and (self.person.text().strip() or self.certificate.text().strip())):
            self.add_person()
            return True
        return super().eventFilter(watched, event)
