"""One dialog for every step of a hazard's loop (下达整改期限, 报告整改完成, 复查, 确认销号, 延期, 指派,
撤销), for one hazard or — 延长整改期限 / 指派监督员 — for many selected at once (all or nothing).

Its fields follow the step's row of ``hazard_lifecycle.TRANSITIONS``: a date, a new deadline, a
supervisor, the comment or reason, and evidence files picked from disk (copied into the attachment
store by the service). A 复查 (合格 / 不合格) of one hazard may name the re-inspection it was made at:
one of the project's inspections since the hazard was found, latest first. Saved off the UI thread;
refusals appear under the field they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app import clock
from station_app.formatting import chinese_date
from station_app.services.attachments import AttachmentStore
from station_app.services.hazards.bulk import bulk_assign_supervisor, bulk_extend_deadline
from station_app.services.hazards.evidence import review_inspections
from station_app.services.hazards.lifecycle import TRANSITIONS, target_state, transition
from station_app.services.hazards.records import HazardData
from station_app.services.supervision.assignments import supervisor_choices
from station_app.views.app_context import AppContext
from station_app.views.dialogs.form import FormDialog
from station_app.views.hazards.history_dialog import inspection_text
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, ValueCombo

EVIDENCE_FILTER = "证据文件 (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.xls *.xlsx);;所有文件 (*)"


class EvidencePicker(QWidget):
    """A list of files to attach, with 添加文件… / 移除."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setMaximumHeight(90)
        self.add_button = QPushButton("添加文件…", self)
        self.remove_button = QPushButton("移除", self)
        self.add_button.clicked.connect(self.pick)
        self.remove_button.clicked.connect(self._remove)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.list, 1)
        lay.addLayout(buttons)

    def pick(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(self, "选择证据文件（整改报告、照片）", str(Path.home()),
                                                 EVIDENCE_FILTER)
        self.add_files(paths)

    def add_files(self, paths: Sequence[str]) -> None:
        have = set(self.files())
        for p in paths:
            if p and p not in have:
                self.list.addItem(p)
                have.add(p)

    def files(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _remove(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))


class TransitionDialog(FormDialog):
    """Step ``key`` on ``hazards`` (one, or many for 延长整改期限 / 指派监督员)."""

    def __init__(self, ctx: AppContext, key: str, hazards: Sequence[HazardData],
                 parent: QWidget | None = None) -> None:
        t = TRANSITIONS[key]
        self.ctx, self.key, self.t, self.hazards = ctx, key, t, list(hazards)
        one = self.hazards[0] if len(self.hazards) == 1 else None
        if one is not None:
            after = target_state(t, one.level)
            intro = f"{one.code}　{one.project_name}\n{one.description}\n当前状态：{one.state}" + (
                f" → {after.value}" if after is not None and after.value != one.state else "")
        else:
            intro = f"对选中的 {len(self.hazards)} 条隐患{t.label}（全部通过才保存，任何一条不符合都不会保存）。"
        super().__init__(parent, f"{t.label}" + (f" — {one.code}" if one else f"（{len(self.hazards)}条）"),
                         ok_text=t.label, intro=intro)
        self.on_date = DateEdit(self)
        self.on_date.set_value(clock.today())
        self.add_field("on_date", "办理日期", self.on_date, aliases=("复查日期",))
        self.inspection: ValueCombo | None = None
        if key in ("pass", "fail") and one is not None:
            self._add_inspection_picker(one)
        self.deadline: DateEdit | None = None
        if t.deadline:
            self.deadline = DateEdit(self)
            if one is not None and key == "start":
                self.deadline.set_value(one.deadline)
            hint = "默认按隐患等级的整改期限，可修改" if key == "start" else "新的整改期限"
            self.add_field("deadline", "整改期限", self.deadline, hint=hint)
        self.supervisor: ValueCombo | None = None
        if key == "assign":
            with ctx.db.read() as s:
                people = supervisor_choices(s)
            self.supervisor = ValueCombo([("请选择", None), *((p.name, p.id) for p in people)], self)
            self.add_field("supervisor", "监督员", self.supervisor)
        self.comment = QPlainTextEdit(self)
        self.comment.setMaximumHeight(70)
        self.comment.setTabChangesFocus(True)
        self.add_field("comment", t.comment_label if t.needs_comment else "说明", self.comment,
                       aliases=(t.comment_label,))
        self.evidence: EvidencePicker | None = None
        if t.needs_evidence or key in ("start", "confirm"):
            self.evidence = EvidencePicker(self)
            need = "必须" if t.needs_evidence else "可"
            what = "整改报告或整改照片" if key == "report" else "复查照片、复查记录" if key in ("pass", "fail") else "文件"
            self.add_field("evidence", "证据材料", self.evidence, hint=f"{need}附{what}", aliases=("附件",))
        self.resize(520, self.sizeHint().height())

    def _add_inspection_picker(self, h: HazardData) -> None:
        """关联复查检查记录: optional; the project's inspections on or after the day the hazard was found."""
        with self.ctx.db.read() as s:
            refs = review_inspections(s, h.id)
        self.inspection = ValueCombo([("不关联", None), *((inspection_text(r), r.id) for r in refs)], self)
        self.inspection.setSizeAdjustPolicy(ValueCombo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.inspection.setMinimumContentsLength(24)
        if refs:
            hint = f"可选：复查所在的监督检查（本项目{chinese_date(h.found_on)}以来的 {len(refs)} 次检查，最近的在前）"
        else:
            hint = f"本项目{chinese_date(h.found_on)}以来没有监督检查记录，可先在“监督检查”中登记复查"
            self.inspection.setEnabled(False)
        self.add_field("inspection", "关联复查检查记录", self.inspection, hint=hint,
                       aliases=("复查记录", "复查检查记录"))

    def build_job(self) -> Job | None:
        ok = True
        if not self.on_date.is_valid() or self.on_date.value() is None:
            self.set_field_error("on_date", "请输入有效日期，如 2026-03-10")
            ok = False
        new_deadline: date | None = None
        if self.deadline is not None:
            if not self.deadline.is_valid():
                self.set_field_error("deadline", "请输入有效日期，如 2026-03-10")
                ok = False
            new_deadline = self.deadline.value()
        if not ok:
            return None
        on = self.on_date.value()
        comment = self.comment.toPlainText()
        files = self.evidence.files() if self.evidence is not None else []
        supervisor_id = self.supervisor.value() if self.supervisor is not None else None
        inspection_id = self.inspection.value() if self.inspection is not None else None
        db, actor, key = self.ctx.db, self.ctx.actor, self.key
        store = AttachmentStore.of(self.ctx.runtime.data)
        ids = [h.id for h in self.hazards]
        versions = {h.id: h.version for h in self.hazards}

        def job(progress: Any, cancelled: Any) -> Any:
            with db.write() as s:
                if len(ids) > 1 and key == "extend":
                    assert new_deadline is not None
                    return bulk_extend_deadline(s, actor, ids, new_deadline=new_deadline, reason=comment,
                                                on_date=on)
                if len(ids) > 1 and key == "assign":
                    return bulk_assign_supervisor(s, actor, ids, supervisor_id=supervisor_id or 0, comment=comment)
                return transition(s, actor, ids[0], key, on_date=on, comment=comment, new_deadline=new_deadline,
                                  files=files, store=store, supervisor_id=supervisor_id,
                                  inspection_id=inspection_id, expected_version=versions[ids[0]])

        return job

    def saved(self, result: Any) -> None:
        self.ctx.notify("hazard")
