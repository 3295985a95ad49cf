"""人员 page: search (姓名、拼音首字母、身份证号、电话、单位); ID numbers masked for roles that may not see them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from station_app.services.registry.persons import PERSON_LIST, delete_person, person_page
from station_app.views.app_context import AppContext
from station_app.views.registry.common import RegistryPage
from station_app.views.registry.person_editor import PersonEditor
from station_app.views.table_models import SqlTableModel


class PersonsPage(RegistryPage):
    entity = "person"
    noun = "人员"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        model = SqlTableModel(ctx, PERSON_LIST, entity_types=("person", "enterprise"),
                              page=lambda session, q: person_page(session, ctx.actor, q))
        super().__init__(ctx, model, "搜索：姓名、拼音首字母、身份证号、电话、单位", parent)
        self.load()

    def create_editor(self, record_id: int | None) -> PersonEditor:
        return PersonEditor(self.ctx, record_id, self)

    def delete_record(self, session: Session, record_id: int) -> None:
        delete_person(session, self.ctx.actor, record_id)
