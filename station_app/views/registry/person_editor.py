"""人员 editor: name, 身份证号 (live check; masked for roles that may not see it), phone, employer, and the
person's posts on projects (read-only)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from sqlalchemy.orm import Session

from station_app import clock
from station_app.formatting import chinese_date
from station_app.rules.ids import (
    PROVINCE_CODES,
    is_valid_resident_id,
    normalize_resident_id,
    resident_id_birth_date,
    resident_id_check_char,
    resident_id_gender,
)
from station_app.services.registry.persons import (
    PersonData,
    create_person,
    get_person,
    person_posts,
    update_person,
)
from station_app.views.app_context import AppContext
from station_app.views.registry.editor_base import EditorDialog
from station_app.views.widgets import EnterprisePicker, InputReader
from station_app.views.widgets.checked_edit import CheckedCodeEdit


def resident_id_feedback(text: str) -> tuple[bool | None, str]:
    """(ok, message) for what is typed so far: None while incomplete or masked."""
    number = normalize_resident_id(text)
    if not number:
        return None, ""
    if "*" in number:
        return None, "已部分隐藏（当前角色无权查看完整号码）；如需更正请输入完整号码"
    if len(number) < 18:
        return None, f"已输入 {len(number)}/18 位"
    if len(number) > 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return False, "应为18位：前17位数字，末位数字或X"
    if is_valid_resident_id(number, today=clock.today()):
        return True, f"✓ 校验通过（{resident_id_gender(number)}，{chinese_date(resident_id_birth_date(number))}出生）"
    if number[:2] not in PROVINCE_CODES:
        return False, "✗ 地区码无效"
    expected = resident_id_check_char(number[:17])
    if expected != number[17]:
        return False, f"✗ 校验码不符：末位应为 {expected}"
    return False, "✗ 出生日期无效"


class PersonEditor(EditorDialog):
    entity = "person"

    def __init__(self, ctx: AppContext, person_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "编辑人员" if person_id else "新增人员", parent)
        self.resize(720, 560)
        data, posts = None, []
        if person_id:
            with ctx.db.read() as session:
                data = get_person(session, ctx.actor, person_id)
                posts = person_posts(session, person_id)
        self._id = person_id
        self._version = data.version if data else None

        e = self.errors
        self.name = QLineEdit(self)
        self.name.setMaxLength(50)
        id_row = CheckedCodeEdit("18位居民身份证号（可不填）", resident_id_feedback, self)
        self.id_number, self.id_hint = id_row.edit, id_row.hint
        self.phone = QLineEdit(self)
        self.employer = EnterprisePicker(ctx, self)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("如：项目经理、专职安全员")
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(60)
        form_box = QGroupBox("人员信息", self)
        f = QFormLayout(form_box)
        f.addRow("姓名 *", e.field("姓名", self.name))
        f.addRow("身份证号", e.field("身份证号", id_row))
        f.addRow("联系电话", self.phone)
        f.addRow("所在单位", e.field("所在单位", self.employer))
        f.addRow("职务/岗位", self.title)
        f.addRow("备注", self.note)

        self.posts = QTableWidget(len(posts), 4, self)
        self.posts.setHorizontalHeaderLabels(("项目", "参建角色", "单位", "岗位"))
        self.posts.verticalHeader().hide()
        self.posts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.posts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for i, p in enumerate(posts):
            for col, text in enumerate((p.project_name, p.role, p.enterprise_name, p.post)):
                self.posts.setItem(i, col, QTableWidgetItem(text))
        posts_box = QGroupBox(f"在项目上的岗位（{len(posts)}）", self)
        QHBoxLayout(posts_box).addWidget(self.posts)

        self.body.addWidget(form_box)
        self.body.addWidget(posts_box, 1)
        self._load(data or PersonData(name=""))
        self.finish_loading()
        self.name.setFocus()

    def _load(self, d: PersonData) -> None:
        self.name.setText(d.name)
        self.id_number.setText(d.id_number or "")
        self.phone.setText(d.phone)
        self.employer.set_value(d.employer_id, d.employer_name)
        self.title.setText(d.title)
        self.note.setPlainText(d.note)

    def collect(self) -> PersonData:
        r = InputReader()
        employer_id = r.picked("所在单位", self.employer, "单位")
        data = PersonData(name=self.name.text(), id_number=self.id_number.text() or None,
                          phone=self.phone.text(), employer_id=employer_id, title=self.title.text().strip(),
                          note=self.note.toPlainText(), id=self._id, version=self._version)
        r.check()
        return data

    def persist(self, session: Session, data: PersonData) -> int:
        actor = self.ctx.actor
        saved = update_person(session, actor, data) if data.id else create_person(session, actor, data)
        assert saved.id is not None
        return saved.id
