"""Pre-fills of a finding: from a failed check item (category, criterion, description), the standard
rectification requirements, and the criterion chooser for 重大 findings."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from station_app.models.inspection import CheckSource, FindingLevel
from station_app.rules import hazards, jgj59
from station_app.rules.errors import RuleInputError
from station_app.rules.hazards import Criterion
from station_app.services.inspections.forms import FindingData
from station_app.views.inspections.check_items import CheckRow
from station_app.views.widgets import ValueCombo

#: the usual wording of 整改要求 by level; the first is the default
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    FindingLevel.ORDINARY.value: (
        "立即组织整改，整改完成后将整改情况书面回复监督站。",
        "限期整改，整改完成后报监理单位复查并书面回复监督站。",
        "立即整改。",
    ),
    FindingLevel.MAJOR.value: (
        "立即停止相关部位施工，撤出作业人员，消除重大事故隐患；整改完成后书面报告，经复查合格后方可恢复施工。",
        "责令暂停施工，限期整改，整改完成后书面报告并申请复查。",
    ),
}
#: campaign names whose checklist maps onto a hazard category the name does not contain
_CAMPAIGN_CATEGORY = {"沟槽开挖": "基坑工程", "起重机械": "塔式起重机与起重吊装"}


@cache
def _table_headings() -> dict[str, str]:
    return {t.table: t.heading for t in jgj59.item_tables()}


def default_requirement(level: str) -> str:
    return REQUIREMENTS.get(level, REQUIREMENTS[FindingLevel.ORDINARY.value])[0]


def is_default_requirement(text: str) -> bool:
    return not text.strip() or any(text == r for rs in REQUIREMENTS.values() for r in rs)


def category_for(row: CheckRow) -> str:
    """The hazard category a failed check item belongs to ("" when the clerk must choose)."""
    categories = hazards.hazard_categories()
    if row.source == CheckSource.JGJ59.value:
        heading = _table_headings().get(row.code.partition("-")[0], "")
        return heading if heading in categories else ""
    if row.source == CheckSource.CAMPAIGN.value:
        if row.group in _CAMPAIGN_CATEGORY:
            return _CAMPAIGN_CATEGORY[row.group]
        return next((c for c in categories if c != "其他" and c in row.group), "")
    return ""


def finding_from_check(row: CheckRow) -> FindingData:
    """A finding pre-filled from a 不符合 check item: nothing to retype but the location."""
    note = row.note.strip()
    if row.source == CheckSource.MAJOR_HAZARD.value:
        try:
            text = hazards.criterion(row.code).text
        except RuleInputError:
            text = row.label
        return FindingData(description=f"{text}（{note}）" if note else text,
                           level=FindingLevel.MAJOR.value, criterion_code=row.code, check_item_code=row.code,
                           requirement=default_requirement(FindingLevel.MAJOR.value))
    text = f"{row.label}：{note}" if note else f"{row.label}不符合要求"
    return FindingData(description=text, category=category_for(row), check_item_code=row.code,
                       requirement=default_requirement(FindingLevel.ORDINARY.value))


class CriterionCombo(ValueCombo):
    """The 判定条款 of a 重大 finding, e.g. "2022版 第八条第(一)项　…"; type a number or a word to find it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__((), parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        view = self.view()
        if view is not None:
            view.setMinimumWidth(640)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        popup = completer.popup()
        if popup is not None:
            popup.setMinimumWidth(640)
        self.setCompleter(completer)
        line = self.lineEdit()
        assert line is not None
        line.setPlaceholderText("输入条款或关键词（如 塔式起重机、第八条）")
        line.editingFinished.connect(self._settle)
        self._criteria: dict[str, Criterion] = {}

    def set_criteria(self, criteria: Sequence[Criterion]) -> None:
        self._criteria = {c.code: c for c in criteria}
        self.set_items([("", None), *((f"{c.label}　{c.text}", c.code) for c in criteria)])

    def criterion(self) -> Criterion | None:
        code = self.value()
        return self._criteria.get(code) if code else None

    def set_value(self, value: object) -> None:
        if value and value not in self._criteria:
            try:  # a saved finding judged under an edition no longer in force: show it, do not lose it
                c = hazards.criterion(str(value))
                self.addItem(f"{c.label}　{c.text}", c.code)
            except RuleInputError:
                self.addItem(str(value), value)
        super().set_value(value)

    def _settle(self) -> None:
        """Typed text that names no criterion falls back to the chosen one (or none when cleared)."""
        text = self.currentText().strip()
        index = self.findText(text) if text else 0
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(self.itemText(self.currentIndex()))
