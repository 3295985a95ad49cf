"""全覆盖排查轮次: name, period and (optionally) the one inspection kind that counts."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QWidget

from station_app import clock
from station_app.models.inspection import InspectionKind
from station_app.services.supervision.coverage import RoundInfo, create_round, update_round
from station_app.views.app_context import AppContext
from station_app.views.supervision.forms import SupervisionForm
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, ValueCombo


class RoundDialog(SupervisionForm):
    entities = ("coverage_round",)

    def __init__(self, ctx: AppContext, round_: RoundInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, "新增排查轮次" if round_ is None else f"编辑排查轮次 {round_.name}",
                         ok_text="新增" if round_ is None else "保存", allowed=ctx.can("coverage.manage"),
                         intro="轮次期间内有检查记录的项目即为已覆盖；范围为在建、停工、竣工待验的项目，"
                               "企业为这些项目的施工总承包单位。")
        self.round = round_
        self.setMinimumWidth(460)
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.name.setPlaceholderText("如：2025年上半年全覆盖排查")
        self.starts = DateEdit()
        self.ends = DateEdit()
        self.kind = ValueCombo([("不限检查类型", ""), *((k.value, k.value) for k in InspectionKind)])
        self.note = QLineEdit()
        if round_ is not None:
            self.name.setText(round_.name)
            self.starts.set_value(round_.starts_on)
            self.ends.set_value(round_.ends_on)
            self.kind.set_value(round_.inspection_kind)
            self.note.setText(round_.note)
        else:
            today = clock.today()
            first_half = today.month <= 6
            self.name.setText(f"{today.year}年{'上' if first_half else '下'}半年全覆盖排查")
            self.starts.set_value(date(today.year, 1 if first_half else 7, 1))
            self.ends.set_value(date(today.year, 6, 30) if first_half else date(today.year, 12, 31))
        self.add_field("轮次名称", "轮次名称", self.name)
        self.add_field("开始日期", "开始日期", self.starts)
        self.add_field("结束日期", "结束日期", self.ends)
        self.add_field("检查类型", "计入的检查类型", self.kind)
        self.add_field("说明", "说明", self.note)

    def build_job(self) -> Job | None:
        ok1, starts = self.read_date("开始日期", self.starts)
        ok2, ends = self.read_date("结束日期", self.ends)
        if not (ok1 and ok2) or starts is None or ends is None:
            return None
        db, actor, r = self.ctx.db, self.ctx.actor, self.round
        name, kind, note = self.name.text(), str(self.kind.value() or ""), self.note.text()

        def job(progress: object, cancelled: object) -> RoundInfo:
            with db.write() as s:
                if r is None:
                    return create_round(s, actor, name, starts, ends, kind, note)
                return update_round(s, actor, r.id, name=name, starts_on=starts, ends_on=ends, inspection_kind=kind,
                                    note=note, expected_version=r.version)

        return job
