"""挂牌督办 of a major hazard (or 摘牌 when it is listed). After listing, it offers the 精准拆弹 review
of the contractor's other projects that the listing opened."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from station_app import clock
from station_app.models.hazard import ListingLevel
from station_app.services.hazards.placards import ListingData, ListingResult, lift_listing, list_hazard
from station_app.services.hazards.records import HazardData, get_hazard
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.supervision.forms import SupervisionForm
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, ValueCombo


class ListingDialog(SupervisionForm):
    entities = ("hazard", "hazard_listing", "contractor_review")

    def __init__(self, ctx: AppContext, hazard_id: int, parent: QWidget | None = None) -> None:
        with ctx.db.read() as s:
            h: HazardData = get_hazard(s, hazard_id)
        self.hazard = h
        self.lifting = bool(h.listing_level)
        self.review_offered = False
        self.review_window: QWidget | None = None
        title = f"摘牌：{h.code}" if self.lifting else f"挂牌督办：{h.code}"
        intro = (f"{h.project_name}｜{h.criterion_label or h.category}｜{h.description}"
                 + (f"\n当前：{h.listing_level}挂牌督办中。" if self.lifting else ""))
        super().__init__(ctx, parent, title, ok_text="摘牌" if self.lifting else "挂牌督办", intro=intro,
                         allowed=ctx.can("hazard.list"))
        self.setMinimumWidth(500)
        today = clock.today()
        if self.lifting:
            self.lifted_on = DateEdit()
            self.lifted_on.set_value(today)
            self.lift_note = QPlainTextEdit()
            self.lift_note.setFixedHeight(80)
            self.lift_note.setPlaceholderText("如：隐患已整改完成，经复查合格并销号。")
            self.add_field("摘牌日期", "摘牌日期", self.lifted_on)
            self.add_field("摘牌说明", "摘牌说明", self.lift_note)
            return
        self.level = ValueCombo([(lv.value, lv.value) for lv in ListingLevel])
        self.listed_on = DateEdit()
        self.listed_on.set_value(today)
        self.unit = QLineEdit(h.responsible_enterprise_name or h.contractor_name)
        self.unit.setMaxLength(100)
        self.required_by = DateEdit()
        self.required_by.set_value(h.deadline if h.deadline >= today else today + timedelta(days=15))
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(70)
        self.note.setPlaceholderText("督办要求（可选）")
        self.add_field("督办级别", "督办级别", self.level)
        self.add_field("挂牌日期", "挂牌日期", self.listed_on)
        self.add_field("责任单位", "责任单位", self.unit)
        self.add_field("要求完成日期", "要求完成日期", self.required_by)
        self.add_field("督办要求", "督办要求", self.note)

    def build_job(self) -> Job | None:
        db, actor, hid, version = self.ctx.db, self.ctx.actor, self.hazard.id, self.hazard.version
        if self.lifting:
            ok, lifted_on = self.read_date("摘牌日期", self.lifted_on)
            if not ok:
                return None
            note = self.lift_note.toPlainText()

            def lift(progress: object, cancelled: object) -> Any:
                with db.write() as s:
                    return lift_listing(s, actor, hid, lifted_on, note, version)

            return lift
        ok1, listed_on = self.read_date("挂牌日期", self.listed_on)
        ok2, required_by = self.read_date("要求完成日期", self.required_by)
        if not (ok1 and ok2):
            return None
        data = ListingData(str(self.level.value()), listed_on, self.unit.text(), required_by,
                           self.note.toPlainText())

        def job(progress: object, cancelled: object) -> ListingResult:
            with db.write() as s:
                return list_hazard(s, actor, hid, data, version)

        return job

    def saved(self, result: Any) -> None:
        super().saved(result)
        if isinstance(result, ListingResult) and result.review_id is not None:
            self.review_offered = True
            if messages.confirm(self, "已挂牌督办。已列出该施工总包在本县的其他在监项目（精准拆弹排查），"
                                      "是否现在安排检查？", ok_text="安排检查"):
                self.open_review(result.review_id)

    def open_review(self, review_id: int) -> None:
        """Show the review's projects for scheduling (the 精准拆弹 tab's list, in a window)."""
        from PySide6.QtWidgets import QDialog, QVBoxLayout

        from station_app.views.hazards.reviews_tab import ReviewsTab

        dlg = QDialog(self.parentWidget())
        dlg.setWindowTitle("精准拆弹排查：安排检查")
        dlg.resize(1000, 560)
        tab = ReviewsTab(self.ctx, dlg)
        tab.focus_review = review_id
        QVBoxLayout(dlg).addWidget(tab)
        self.review_window = dlg
        dlg.show()
