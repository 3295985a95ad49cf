"""The widgets of the inspection form's header and 基本信息 tab, and the panels of the other tabs,
with loading an InspectionData into them and reading one back (the dialog in ``form`` drives them)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.db.base import now
from station_app.models.inspection import InspectionKind
from station_app.services.attachments import AttachmentStore
from station_app.services.inspections.campaigns import CampaignData
from station_app.services.inspections.forms import (
    KINDS,
    SITE_PART_CHOICES,
    WEATHER_CHOICES,
    InspectionData,
    InspectorOption,
)
from station_app.views.app_context import AppContext
from station_app.views.inspections.attachment_strip import AttachmentStrip
from station_app.views.inspections.basics import CheckList, InspectorList, PresenceTable
from station_app.views.inspections.check_items import CheckItemsPanel
from station_app.views.inspections.datetime_edit import DateTimeEdit
from station_app.views.inspections.findings import FindingsPanel
from station_app.views.inspections.jgj59_panel import Jgj59Panel
from station_app.views.inspections.project_picker import ProjectPicker
from station_app.views.tasks import TaskRunner
from station_app.views.widgets import FormErrors, InputReader, ValueCombo, choices

_PART_SPLIT = re.compile(r"[、,，;；\s]+")


class FormParts:
    def __init__(self, ctx: AppContext, dialog: QWidget, errors: FormErrors, store: AttachmentStore,
                 runner: TaskRunner, inspectors: Sequence[InspectorOption], campaigns: Sequence[CampaignData],
                 keep_campaign_id: int | None) -> None:
        self.ctx = ctx
        d = dialog
        # header
        self.project = ProjectPicker(ctx, d)
        self.last_button = QPushButton("上次检查(F3)", d)
        self.project_info = QLabel(d)
        self.project_info.setStyleSheet("color: #555;")
        self.when = DateTimeEdit(d)
        self.when.setMaximumWidth(170)
        self.kind = ValueCombo(choices(KINDS), d)
        offered = [c for c in campaigns if c.active or c.id == keep_campaign_id]
        self.campaign = ValueCombo([("（无）", None), *((c.name if c.active else f"{c.name}（已停用）", c.id)
                                                         for c in offered)], d)
        self.campaign.setMinimumWidth(200)
        self.campaign_label = QLabel("专项行动", d)
        self.kind.value_changed.connect(self._kind_changed)
        self.inspectors = InspectorList(d, rows=1)
        self.inspectors.set_inspectors(inspectors)
        # 基本信息
        self.basics_tab = QWidget(d)
        t = self.basics_tab
        self.weather = QComboBox(t)
        self.weather.setEditable(True)
        self.weather.addItems(["", *WEATHER_CHOICES])
        self.weather.setMaximumWidth(160)
        self.site_parts = CheckList(t, rows=2)
        self.site_parts.set_options((p, p) for p in SITE_PART_CHOICES)
        self.other_parts = QLineEdit(t)
        self.other_parts.setPlaceholderText("其他部位，用“、”分隔，如：3号楼屋面、钢筋加工棚")
        self.presence = PresenceTable(t)
        self.presence_hint = QLabel("取消“在岗”即记录缺岗：保存时自动生成一条“关键岗位人员到岗履职”问题。", t)
        self.presence_hint.setStyleSheet("color: #666;")
        self.presence_error = QLabel(t)
        self.conclusion = QPlainTextEdit(t)
        self.conclusion.setTabChangesFocus(True)
        self.conclusion.setFixedHeight(56)
        self.conclusion.setPlaceholderText("检查结论，如：现场安全管理基本到位，发现问题已责令限期整改。")
        self.strip = AttachmentStrip(store, runner, t, add_text="添加现场照片…")
        # other tabs
        self.checks = CheckItemsPanel(d)
        self.findings = FindingsPanel(AttachmentStrip(store, runner, d, add_text="添加问题照片…"), d)
        self.jgj = Jgj59Panel(d)
        self._errors = errors
        self._build_basics(errors)

    # -------------------------------------------------------------- layout

    def header(self, errors: FormErrors) -> QGridLayout:
        e = errors
        g = QGridLayout()
        project_row = QHBoxLayout()
        project_row.addWidget(e.field("工程项目", self.project), 1)
        project_row.addWidget(self.last_button)
        g.addWidget(QLabel("工程项目 *"), 0, 0)
        g.addLayout(project_row, 0, 1, 1, 5)
        g.addWidget(self.project_info, 1, 1, 1, 5)
        g.addWidget(QLabel("检查时间 *"), 2, 0)
        g.addWidget(e.field("检查时间", self.when), 2, 1)
        g.addWidget(QLabel("检查类型 *"), 2, 2)
        g.addWidget(e.field("检查类型", self.kind), 2, 3)
        g.addWidget(self.campaign_label, 2, 4)
        g.addWidget(e.field("专项行动", self.campaign), 2, 5)
        g.addWidget(QLabel("检查人员 *"), 3, 0)
        g.addWidget(e.field("检查人员", self.inspectors), 3, 1, 1, 5)
        g.setColumnStretch(5, 1)
        order = (self.project, self.when, self.kind, self.campaign, self.inspectors)
        for a, b in pairwise(order):
            QWidget.setTabOrder(a, b)
        return g

    def _build_basics(self, e: FormErrors) -> None:
        outer = QVBoxLayout(self.basics_tab)
        f = QFormLayout()
        outer.addLayout(f)
        outer.addStretch(1)  # spare height goes below the form, not between its rows
        f.addRow("天气", e.field("天气", self.weather))
        parts = QVBoxLayout()
        parts.addWidget(self.site_parts)
        parts.addWidget(self.other_parts)
        box = QWidget(self.basics_tab)
        box.setLayout(parts)
        parts.setContentsMargins(0, 0, 0, 0)
        f.addRow("检查部位", e.field("检查部位", box))
        presence = QVBoxLayout()
        presence.addWidget(self.presence)
        presence.addWidget(self.presence_hint)
        presence.addWidget(self.presence_error)
        f.addRow("到岗情况", presence)
        f.addRow("检查结论", self.conclusion)
        f.addRow("现场照片", self.strip)

    def register_errors(self, e: FormErrors) -> None:
        e.register_prefix("到岗情况", self.presence, self.presence_error)
        e.register_prefix("检查项目", self.checks.tree, self.checks.error_line)
        e.register_prefix("问题第", self.findings.table, self.findings.error_line)
        e.register_prefix("附件", self.strip.list, self.strip.error_line)
        e.register_prefix("JGJ 59评分表", self.jgj.tree, self.jgj.error_line)

    def connect_changes(self, slot: Callable[..., None]) -> None:
        for signal in (self.project.textChanged, self.when.textChanged, self.kind.value_changed,
                       self.campaign.value_changed, self.inspectors.changed, self.weather.currentTextChanged,
                       self.site_parts.changed, self.other_parts.textChanged, self.presence.changed,
                       self.conclusion.textChanged, self.strip.changed, self.checks.changed, self.jgj.changed):
            signal.connect(slot)

    def lock(self) -> None:
        """Read-only: the record is shown; nothing can be changed."""
        for edit in (self.project, self.when, self.other_parts):
            edit.setReadOnly(True)
        self.conclusion.setReadOnly(True)
        for w in (self.kind, self.campaign, self.weather, self.inspectors, self.site_parts):
            w.setEnabled(False)
        self.presence.set_read_only(True)
        for panel in (self.checks, self.findings, self.strip, self.findings.strip):
            panel.read_only = True
        self.jgj.set_read_only(True)
        self.checks.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for b in self.findings.findChildren(QAbstractButton) + self.checks.findChildren(QAbstractButton):
            b.setEnabled(False)
        self.strip.add_button.setEnabled(False)

    # -------------------------------------------------------------- values

    @staticmethod
    def now() -> datetime:
        return now().replace(second=0)

    def when_or_none(self) -> datetime | None:
        try:
            return self.when.value()
        except ValueError:
            return None

    def day(self) -> date | None:
        when = self.when_or_none()
        return when.date() if when else None

    def load(self, d: InspectionData, extra: dict[str, Any]) -> None:
        if d.project_id:
            self.project.set_value(d.project_id, d.project_name or str(extra.get("project_text", "")))
        else:
            self.project.set_value(None)
            self.project.setText(str(extra.get("project_text", "")))
        if d.inspected_at:
            self.when.set_value(d.inspected_at)
        else:
            self.when.setText(str(extra.get("when_text", "")))
        self.kind.set_value(d.kind)
        self._kind_changed(d.kind)
        self.campaign.set_value(d.campaign_id)
        self.set_inspectors(d.inspector_ids, d.inspector_names)
        self.weather.setCurrentText(d.weather)
        self.site_parts.set_checked([p for p in d.site_parts if p in SITE_PART_CHOICES])
        self.other_parts.setText("、".join(p for p in d.site_parts if p not in SITE_PART_CHOICES))
        self.presence.load(d.presence)
        self.conclusion.setPlainText(d.conclusion)
        self.strip.set_files(d.attachments, d.new_files)
        self.findings.set_day(d.inspected_at.date() if d.inspected_at else None)
        self.findings.load(d.findings)
        self.jgj.load(d.jgj59_entries)

    def collect(self, r: InputReader | None, inspection_id: int | None, version: int | None) -> InspectionData:
        try:
            when = self.when.value()
        except ValueError as err:
            when = None
            if r is not None:
                r.add("检查时间", str(err))
        if r is not None:
            if when is None and "检查时间" not in r.errors:
                r.add("检查时间", "必填")
            project_id = r.picked("工程项目", self.project, "项目")
        else:
            project_id = self.project.value()
        parts = [str(p) for p in self.site_parts.checked()]
        parts += [p for p in _PART_SPLIT.split(self.other_parts.text().strip()) if p]
        return InspectionData(
            inspected_at=when, project_id=project_id or 0,  # type: ignore[arg-type]  # a draft may lack both
            inspector_ids=self.inspectors.ids(), kind=self.kind.value() or "", campaign_id=self.campaign.value(),
            weather=self.weather.currentText().strip(), site_parts=tuple(dict.fromkeys(parts)),
            conclusion=self.conclusion.toPlainText().strip(), presence=self.presence.collect(),
            check_items=self.checks.collect(), findings=self.findings.collect(r),
            jgj59_entries=self.jgj.collect(r), new_files=self.strip.pending_paths(),
            id=inspection_id, version=version, project_name=self.project.text().strip() if project_id else "")

    def set_inspectors(self, ids: Sequence[int], names: Sequence[str] = ()) -> None:
        for i, uid in enumerate(ids):
            self.inspectors.ensure(f"{names[i]}（非在岗监督员）" if i < len(names) else f"用户{uid}", uid)
        self.inspectors.set_checked(list(ids))

    def show_project(self, extra: dict[str, Any] | None, last_line: str) -> None:
        if not extra:
            self.project_info.setText("")
            return
        facts = [x for x in (extra.get("status"), extra.get("grid"),
                             f"许可证号 {extra['permit_no']}" if extra.get("permit_no") else "") if x]
        self.project_info.setText("　·　".join([*facts, last_line]))

    def copy_from(self, last: InspectionData) -> None:
        """沿用 the last inspection's kind, campaign (if still offered) and site parts."""
        self.kind.set_value(last.kind)
        if last.campaign_id is not None and self.campaign.findData(last.campaign_id) >= 0:
            self.campaign.set_value(last.campaign_id)
        self.site_parts.set_checked([p for p in last.site_parts if p in SITE_PART_CHOICES])
        self.other_parts.setText("、".join(p for p in last.site_parts if p not in SITE_PART_CHOICES))
        self.site_parts.changed.emit()

    def _kind_changed(self, kind: object) -> None:
        special = kind == InspectionKind.SPECIAL.value
        self.campaign_label.setText("专项行动 *" if special else "专项行动")
