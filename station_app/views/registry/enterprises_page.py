"""企业 page: search (名称、拼音首字母、信用代码、许可证号), kind and permit filters, editor, 合并, delete."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget
from sqlalchemy.orm import Session

from station_app.models.enums import EnterpriseKind, PermitStatus
from station_app.services.registry.enterprises import ENTERPRISE_LIST, delete_enterprise
from station_app.views.app_context import AppContext
from station_app.views.registry.common import RegistryPage
from station_app.views.registry.enterprise_editor import EnterpriseEditor
from station_app.views.registry.enterprise_merge import EnterpriseMergeDialog
from station_app.views.table_models import SqlTableModel
from station_app.views.widgets import ValueCombo, choices


class EnterprisesPage(RegistryPage):
    entity = "enterprise"
    noun = "企业"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        model = SqlTableModel(ctx, ENTERPRISE_LIST, entity_types=("enterprise",))
        super().__init__(ctx, model, "搜索：名称、拼音首字母、信用代码、许可证号", parent)
        self.kind_filter = ValueCombo(choices([k.value for k in EnterpriseKind], blank="全部类型"), self)
        self.permit_filter = ValueCombo(choices([s.value for s in PermitStatus], blank="全部许可证状态"), self)
        self.filter_bar.addWidget(self.kind_filter)
        self.filter_bar.addWidget(self.permit_filter)
        self.kind_filter.value_changed.connect(lambda v: self.model.set_filter("kind", v))
        self.permit_filter.value_changed.connect(lambda v: self.model.set_filter("permit_status", v))
        self.merge_button = QPushButton("合并(&M)", self)
        self.merge_button.setToolTip("选中两家企业（Ctrl+单击）后合并重复登记")
        self.merge_button.clicked.connect(self.merge_selected)
        self.button_bar.insertWidget(2, self.merge_button)
        self.load()

    def update_actions(self) -> None:
        super().update_actions()
        self.merge_button.setEnabled(self.ctx.can("enterprise.merge") and len(self.selected_ids()) == 2)

    def create_editor(self, record_id: int | None) -> EnterpriseEditor:
        return EnterpriseEditor(self.ctx, record_id, self)

    def merge_selected(self) -> EnterpriseMergeDialog | None:
        ids = self.selected_ids()
        if len(ids) != 2 or not self.ctx.can("enterprise.merge"):
            return None
        dialog = EnterpriseMergeDialog(self.ctx, ids[0], ids[1], self)
        dialog.merged.connect(self.select_id)
        dialog.open()
        return dialog

    def delete_record(self, session: Session, record_id: int) -> None:
        delete_enterprise(session, self.ctx.actor, record_id)
