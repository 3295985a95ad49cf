"""安责险 policy editor: the policy (tab 保单信息), and once saved its files, prevention visits beside the
station's inspections, and claims (tabs from ``policy_parts``).

Saving a policy that overlaps another of the same project and insured party asks whether the new one
replaces it (the old one then ends the day before); a limit below the legal minimum is refused until the
reason is typed, then saved and flagged.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QWidget,
)
from sqlalchemy.orm import Session

from station_app.errors import StationError, ValidationError
from station_app.services.insurance.policies import (
    HEADCOUNT_MODES,
    NAMED,
    OverlappingPolicy,
    PolicyData,
    create_policy,
    get_policy,
    update_policy,
)
from station_app.services.insurance.sql import STATUSES, VALID, minimum_on
from station_app.services.registry.projects import get_project
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.inspections.project_picker import ProjectPicker
from station_app.views.insurance.policy_parts import ClaimsPanel, FilesPanel, VisitsPanel
from station_app.views.registry.editor_base import EditorDialog
from station_app.views.widgets import (
    DateEdit,
    DecimalEdit,
    EnterprisePicker,
    InputReader,
    MoneyEdit,
    ValueCombo,
    choices,
)


class PolicyEditor(EditorDialog):
    """New policy (``policy_id`` None; ``project_id`` pre-fills the project) or an existing one."""

    entity = "insurance_policy"

    def __init__(self, ctx: AppContext, policy_id: int | None = None, parent: QWidget | None = None, *,
                 project_id: int | None = None) -> None:
        super().__init__(ctx, "编辑安责险保单" if policy_id else "新增安责险保单", parent)
        self.read_only = not ctx.can("insurance.write")
        self.save_button.setEnabled(not self.read_only)
        self.resize(980, 640)
        with ctx.db.read() as session:
            data = get_policy(session, policy_id) if policy_id else None
            if data is None and project_id is not None:
                data = self._defaults_for(session, project_id)
        self._id = policy_id
        self._version = data.version if data else None
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_info(), "保单信息")
        if policy_id is not None:
            self.files = FilesPanel(ctx, policy_id, self.tabs)
            self.visits = VisitsPanel(ctx, policy_id, data.project_id if data else None, self.tabs)
            self.claims = ClaimsPanel(ctx, policy_id, self.tabs)
            self.tabs.addTab(self.files, "附件")
            self.tabs.addTab(self.visits, "事故预防服务")
            self.tabs.addTab(self.claims, "出险理赔")
        self.body.addWidget(self.tabs)
        if data is not None:
            self._load(data)
        self._sync()
        self.finish_loading()
        (self.insured if project_id is not None and policy_id is None else self.project).setFocus()

    def _defaults_for(self, session: Session, project_id: int) -> PolicyData:
        """A new policy of a project: its 施工总承包 insured, the 合同造价 as premium base."""
        p = get_project(session, project_id)
        gc = next((x for x in p.parties if x.role == "施工总承包"), None)
        return PolicyData(project_id=project_id, insured_id=gc.enterprise_id if gc else None, insurer="",
                          policy_no="", start_date=p.actual_start, death_limit_fen=None, until_completion=True,
                          premium_base_fen=p.contract_cost_fen, project_name=p.name,
                          insured_name=gc.enterprise_name if gc else "", insured_uscc=gc.enterprise_uscc if gc else "")

    # -------------------------------------------------------------- building

    def _build_info(self) -> QWidget:
        page = QWidget(self)
        e = self.errors
        self.project = ProjectPicker(self.ctx, page)
        self.insured = EnterprisePicker(self.ctx, page)
        self.insurer = QLineEdit(page)
        self.insurer.setPlaceholderText("如：中国人民财产保险股份有限公司")
        self.branch = QLineEdit(page)
        self.policy_no = QLineEdit(page)
        who = QGroupBox("项目与投保", page)
        f = QFormLayout(who)
        f.addRow("项目 *", e.field("项目", self.project))
        f.addRow("投保单位 *", e.field("投保单位", self.insured))
        f.addRow("保险机构 *", e.field("保险机构", self.insurer))
        f.addRow("承保分支机构", e.field("承保分支机构", self.branch))
        f.addRow("保单号 *", e.field("保单号", self.policy_no))

        self.start = DateEdit(page)
        self.end = DateEdit(page)
        self.until_completion = QCheckBox("至竣工验收备案", page)
        self.until_completion.toggled.connect(self._sync)
        period = QGroupBox("保险期间", page)
        f = QFormLayout(period)
        f.addRow("保险起期 *", e.field("保险起期", self.start))
        f.addRow("保险止期", e.field("保险止期", self.end))
        f.addRow("", self.until_completion)

        self.premium = MoneyEdit(page)
        self.base = MoneyEdit(page)
        self.rate = DecimalEdit(4, "未填则按保费÷基数计算", page)
        money = QGroupBox("保费", page)
        f = QFormLayout(money)
        f.addRow("保费（元）", e.field("保费", self.premium))
        f.addRow("计费基数（合同造价，元）", e.field("计费基数（合同造价）", self.base))
        f.addRow("费率（‰）", e.field("费率（‰）", self.rate))

        self.death = MoneyEdit(page)
        self.medical = MoneyEdit(page)
        self.third = MoneyEdit(page)
        self.aggregate = MoneyEdit(page)
        self.minimum_hint = QLabel(page)
        self.minimum_hint.setStyleSheet("color: #555;")
        self.reason = QLineEdit(page)
        self.reason.setPlaceholderText("限额低于法定最低限额时必填：写明原因")
        self.start.value_changed.connect(self._sync)
        limits = QGroupBox("责任限额", page)
        f = QFormLayout(limits)
        f.addRow("每人死亡伤残限额（元）*", e.field("每人死亡伤残限额", self.death))
        f.addRow("", self.minimum_hint)
        f.addRow("低于最低限额的说明", e.field("低于最低限额的说明", self.reason))
        f.addRow("每人医疗限额（元）", e.field("每人医疗限额", self.medical))
        f.addRow("第三者责任限额（元）", e.field("第三者责任限额", self.third))
        f.addRow("累计限额（元）", e.field("累计限额", self.aggregate))

        self.mode = ValueCombo(choices(HEADCOUNT_MODES), page)
        self.headcount = QSpinBox(page)
        self.headcount.setRange(0, 100_000)
        self.headcount.setSpecialValueText("不计人数")
        self.mode.value_changed.connect(self._sync)
        self.status = ValueCombo(choices(STATUSES), page)
        self.status.value_changed.connect(self._sync)
        self.status_date = DateEdit(page)
        self.status_reason = QLineEdit(page)
        self.note = QPlainTextEdit(page)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(50)
        state = QGroupBox("计人方式与状态", page)
        f = QFormLayout(state)
        f.addRow("计人方式", e.field("计人方式", self.mode))
        f.addRow("投保人数", e.field("投保人数", self.headcount))
        f.addRow("保单状态", e.field("保单状态", self.status))
        f.addRow("退保/注销日期", e.field("退保/注销日期", self.status_date))
        f.addRow("退保/注销原因", e.field("退保/注销原因", self.status_reason))
        f.addRow("备注", self.note)

        grid = QGridLayout(page)
        grid.addWidget(who, 0, 0)
        grid.addWidget(period, 1, 0)
        grid.addWidget(money, 2, 0)
        grid.addWidget(limits, 0, 1)
        grid.addWidget(state, 1, 1, 2, 1)
        grid.setRowStretch(3, 1)
        order = (self.project, self.insured, self.insurer, self.branch, self.policy_no, self.start, self.end,
                 self.until_completion, self.premium, self.base, self.rate, self.death, self.reason, self.medical,
                 self.third, self.aggregate, self.mode, self.headcount, self.status, self.status_date,
                 self.status_reason, self.note)
        for a, b in pairwise(order):
            QWidget.setTabOrder(a, b)
        return page

    def _sync(self, *_args: Any) -> None:
        """Enable what applies: the end date, the head count, the surrender fields; show the minimum."""
        self.end.setEnabled(not self.until_completion.isChecked())
        if self.until_completion.isChecked():
            self.end.set_value(None)
        named = self.mode.value() == NAMED
        self.headcount.setEnabled(named)
        if not named:
            self.headcount.setValue(0)
        ended = self.status.value() not in (None, VALID)
        self.status_date.setEnabled(ended)
        self.status_reason.setEnabled(ended)
        start = self.start.value() if self.start.is_valid() else None
        minimum, rule = minimum_on(start) if start else (None, "")
        self.minimum_hint.setText(f"起期适用最低限额：每人{minimum // 1_000_000}万元（{rule}）" if minimum else "")

    # -------------------------------------------------------------- load / collect / save

    def _load(self, d: PolicyData) -> None:
        self.project.set_value(d.project_id, d.project_name)
        self.insured.set_value(d.insured_id, d.insured_name, uscc=d.insured_uscc)
        self.insurer.setText(d.insurer)
        self.branch.setText(d.insurer_branch)
        self.policy_no.setText(d.policy_no)
        self.start.set_value(d.start_date)
        self.end.set_value(d.end_date)
        self.until_completion.setChecked(d.until_completion)
        self.premium.set_fen(d.premium_fen)
        self.base.set_fen(d.premium_base_fen)
        self.rate.set_value(d.rate_permille)
        self.death.set_fen(d.death_limit_fen)
        self.medical.set_fen(d.medical_limit_fen)
        self.third.set_fen(d.third_party_limit_fen)
        self.aggregate.set_fen(d.aggregate_limit_fen)
        self.reason.setText(d.below_minimum_reason)
        self.mode.set_value(d.headcount_mode)
        self.headcount.setValue(d.headcount or 0)
        self.status.set_value(d.status)
        self.status_date.set_value(d.status_date)
        self.status_reason.setText(d.status_reason)
        self.note.setPlainText(d.note)

    def collect(self) -> PolicyData:
        r = InputReader()
        named = self.mode.value() == NAMED
        data = PolicyData(
            project_id=r.picked("项目", self.project, "项目"), insured_id=r.picked("投保单位", self.insured, "企业"),
            insurer=self.insurer.text(), insurer_branch=self.branch.text(), policy_no=self.policy_no.text(),
            start_date=r.date("保险起期", self.start), end_date=r.date("保险止期", self.end),
            until_completion=self.until_completion.isChecked(), premium_fen=r.fen("保费", self.premium),
            premium_base_fen=r.fen("计费基数（合同造价）", self.base), rate_permille=r.decimal("费率（‰）", self.rate),
            death_limit_fen=r.fen("每人死亡伤残限额", self.death), medical_limit_fen=r.fen("每人医疗限额", self.medical),
            third_party_limit_fen=r.fen("第三者责任限额", self.third),
            aggregate_limit_fen=r.fen("累计限额", self.aggregate), headcount_mode=self.mode.value() or "",
            headcount=(self.headcount.value() or None) if named else None, status=self.status.value() or VALID,
            status_date=r.date("退保/注销日期", self.status_date), status_reason=self.status_reason.text(),
            below_minimum_reason=self.reason.text(), note=self.note.toPlainText(), id=self._id,
            version=self._version)
        r.check()
        return data

    def persist(self, session: Session, data: PolicyData) -> int:
        saved = update_policy(session, self.ctx.actor, data) if data.id else create_policy(
            session, self.ctx.actor, data)
        assert saved.id is not None
        return saved.id

    def save(self) -> bool:
        """Save; on an overlap ask whether this policy replaces the older one(s), then save replacing them."""
        if self.read_only:
            return False
        try:
            data = self.collect()
        except ValidationError as err:
            self.errors.show(err)
            return False
        replacing = False
        while True:
            try:
                with self.ctx.db.write() as session:
                    saved = (update_policy if data.id else create_policy)(session, self.ctx.actor, data,
                                                                          replace=replacing)
                break
            except OverlappingPolicy as err:
                names = "\n".join(f"· {p.insurer} {p.policy_no}（{p.period}）" for p in err.overlaps)
                if replacing or not messages.confirm(
                        self, f"该保单的保险期间与已登记的保单重叠：\n{names}\n\n是否以本保单替换？"
                              "原保单止期将改为本保单起期的前一日（记入操作日志）。",
                        "确认替换保单", ok_text="替换原保单", cancel_text="返回修改"):
                    self.errors.show(str(err))
                    return False
                replacing = True
            except ValidationError as err:
                self.errors.show(err)
                return False
            except StationError as err:
                self.errors.show(str(err))
                return False
        assert saved.id is not None
        self.errors.clear()
        self.saved_id = saved.id
        self._id, self._version = saved.id, saved.version
        self.finish_loading()
        self.ctx.notify(self.entity)
        self.saved.emit(saved.id)
        self.accept()
        return True
