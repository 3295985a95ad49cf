"""法定节假日安排: next year's State Council notice entered in a minute, shaped like the notice.

One row per holiday (元旦 … 国庆节): 放假 from–to and the 调休上班 days, with the statutory days of that
holiday as a hint; a twelve-month preview colours what has been typed so far. 从文件导入… fills the rows
from a holiday-cn JSON file. 保存 checks everything (problems beside their rows), asks before replacing a
year that has data (listing the changes), saves off the UI thread, then lists every 暂定 date it moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station_app.errors import StationError, ValidationError
from station_app.formatting import chinese_date
from station_app.rules import holiday_arrangement as ha
from station_app.rules.holiday_arrangement import HOLIDAY_NAMES, Arrangement, HolidayEntry, Problem
from station_app.services import calendar_years as cy
from station_app.services.deadline_refresh import KINDS
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.dialogs.form import ERROR_STYLE
from station_app.views.settings.month_grid import MonthGrid, legend
from station_app.views.settings.moved_dialog import MovedDialog
from station_app.views.tasks import TaskRunner
from station_app.views.widgets.date_edit import DateEdit, parse_date

_LIST_SEP = re.compile(r"[、,，;；\s]+")
_HINT_STYLE = "color: #666;"


@dataclass
class HolidayRow:
    name: str
    start: DateEdit
    end: DateEdit
    work: QLineEdit
    hint: QLabel
    error: QLabel

    def is_blank(self) -> bool:
        return not (self.start.text().strip() or self.end.text().strip() or self.work.text().strip())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class HolidayDialog(QDialog):
    """``year``: the year shown first. Read-only for roles that may not edit reference data."""

    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editable = ctx.can("reference.edit")
        self.runner = TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
        self.busy = False
        self.old: Arrangement | None = None
        self.origin = ""
        self.source, self.confidence = "", "V"
        self.result_value: cy.SaveResult | None = None
        self.moved_dialog: MovedDialog | None = None
        self.setWindowTitle("法定节假日安排" if self.editable else "查看法定节假日安排")
        outer = QVBoxLayout(self)
        intro = QLabel("按国务院办公厅《关于××年部分节假日安排的通知》逐项录入：每个节日的放假起止日期，以及调休上班的"
                       "周六、周日（多个日期用顿号分隔）。保存后，涉及该年的暂定期限自动重新计算。", self)
        intro.setWordWrap(True)
        outer.addWidget(intro)
        top = QHBoxLayout()
        top.addWidget(QLabel("年份：", self))
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2099)
        self.year_spin.setValue(year)
        top.addWidget(self.year_spin)
        self.origin_label = QLabel(self)
        top.addWidget(self.origin_label, 1)
        self.import_button = QPushButton("从文件导入(&I)…", self)
        self.import_button.setToolTip("holiday-cn 格式的 JSON 文件：{\"year\": 2027, \"days\": [{\"name\": \"春节\", "
                                      "\"date\": \"2027-02-06\", \"isOffDay\": true}, …]}")
        top.addWidget(self.import_button)
        outer.addLayout(top)

        body = QHBoxLayout()
        body.addLayout(self._build_rows(), 1)
        right = QVBoxLayout()
        self.preview = MonthGrid(year, self)
        right.addWidget(self.preview)
        right.addWidget(legend(self))
        right.addStretch(1)
        body.addLayout(right)
        outer.addLayout(body, 1)
        self.banner = QLabel(self)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        outer.addWidget(self.banner)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消" if self.editable else "关闭",
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        outer.addWidget(self.buttons)
        self.year_spin.valueChanged.connect(self.load_year)
        self.import_button.clicked.connect(lambda: self.choose_file())
        if not self.editable:
            self.save_button.hide()
            self.import_button.hide()
            for row in self.rows.values():
                for w in (row.start, row.end, row.work):
                    w.setEnabled(False)
        self.load_year(year)

    def _build_rows(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        for col, text in enumerate(("节日", "放假起始日", "", "放假结束日", "调休上班日（周六、周日）")):
            head = QLabel(text, self)
            head.setStyleSheet("font-weight: bold;")
            grid.addWidget(head, 0, col)
        self.rows: dict[str, HolidayRow] = {}
        for i, name in enumerate(HOLIDAY_NAMES):
            r = 1 + 3 * i
            start, end, work = DateEdit(self), DateEdit(self), QLineEdit(self)
            end.setPlaceholderText("同起始日可不填")
            work.setPlaceholderText("无调休可不填")
            hint, error = QLabel(self), QLabel(self)
            hint.setStyleSheet(_HINT_STYLE)
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            grid.addWidget(QLabel(name, self), r, 0)
            grid.addWidget(start, r, 1)
            grid.addWidget(QLabel("至", self), r, 2)
            grid.addWidget(end, r, 3)
            grid.addWidget(work, r, 4)
            grid.addWidget(hint, r + 1, 1, 1, 4)
            grid.addWidget(error, r + 2, 1, 1, 4)
            self.rows[name] = HolidayRow(name, start, end, work, hint, error)
            for edit in (start, end):
                edit.value_changed.connect(self.refresh_preview)
            work.textChanged.connect(self.refresh_preview)
        tips = QLabel("日期可输入 20270205、2027-02-05 或 2027年2月5日；放假只有一天时结束日可不填。\n"
                      "几个节日合并放假（如中秋节、国庆节）时，只在其中一行填写合并后的日期，另一行留空。\n"
                      "也可用“从文件导入”读入 holiday-cn 格式的 JSON 文件，核对后保存。", self)
        tips.setStyleSheet(_HINT_STYLE)
        tips.setWordWrap(True)
        end_row = 1 + 3 * len(HOLIDAY_NAMES)
        grid.addWidget(tips, end_row, 0, 1, 5)
        grid.setColumnStretch(4, 1)
        grid.setRowStretch(end_row + 1, 1)
        return grid

    @property
    def year(self) -> int:
        return self.year_spin.value()

    # -------------------------------------------------------------- loading

    def load_year(self, year: int) -> None:
        """Show what the calendar has for ``year`` (nothing when it has none)."""
        try:
            with self.ctx.db.read() as s:
                self.old, self.origin = cy.existing_arrangement(s, year)
        except StationError as err:
            messages.warn(self, str(err))
            self.old, self.origin = None, ""
        self.source, self.confidence = "", "V"
        self.origin_label.setText(
            f"{year}年已有数据：{cy.SOURCE_LABELS[self.origin]}，保存将替换" if self.origin
            else f"{year}年尚无数据：保存后，涉及{year}年的暂定期限自动重算")
        self.fill(self.old)

    def fill(self, arr: Arrangement | None) -> None:
        """Put ``arr`` into the rows; a range taken together (中秋节、国庆节) goes to the row of the holiday
        with most statutory days in it, the other rows say where they went."""
        statutory = ha.statutory_days(self.year)
        for row in self.rows.values():
            for w in (row.start, row.end, row.work):
                w.blockSignals(True)
                w.clear()
            row.show_error("")
            days = [s for s in statutory if s.holiday == row.name]
            row.hint.setText("法定节假日：" + "、".join(_short(s) for s in days) if days else "")
            row.start.setPlaceholderText(f"如 {days[0].day:%Y%m%d}" if days else "如 20270101")
        for e in (arr.entries if arr else ()):
            home = _home_row(e, statutory)
            if home not in self.rows:
                continue
            row = self.rows[home]
            row.start.set_value(e.off_from)
            row.end.set_value(e.off_to)
            row.work.setText("、".join(chinese_date(d) for d in e.work_days))
            for part in e.parts:
                if part != home and part in self.rows:
                    self.rows[part].hint.setText(self.rows[part].hint.text() + f"；与{home}合并放假")
        for row in self.rows.values():
            for w in (row.start, row.end, row.work):
                w.blockSignals(False)
        self.clear_errors()
        self.refresh_preview()

    def choose_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "选择节假日安排文件（holiday-cn 格式）", str(Path.home()),
                                                  "JSON 文件 (*.json);;所有文件 (*)")
        if not path:
            return
        try:
            arr = cy.parse_holiday_file(Path(path))
        except ValidationError as err:
            self.clear_errors()
            self.show_banner(f"{Path(path).name} 未能导入：\n" + "\n".join(
                f"• {f}：{m}" if f else f"• {m}" for f, m in err.errors.items()))
            return
        if not self.year_spin.minimum() <= arr.year <= self.year_spin.maximum():
            self.clear_errors()
            self.show_banner(f"{Path(path).name} 未能导入：文件中的年份 {arr.year} 不在"
                             f"{self.year_spin.minimum()}～{self.year_spin.maximum()}之间")
            return
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(arr.year)
        self.year_spin.blockSignals(False)
        self.load_year(arr.year)
        self.fill(arr)
        self.source, self.confidence = cy.import_source(arr.year, Path(path)), "P"
        self.show_problems(ha.problems(arr))

    # -------------------------------------------------------------- reading the rows

    def read(self, *, tolerant: bool = False) -> Arrangement | None:
        """The rows as an Arrangement; None after showing what cannot be read (``tolerant``: skip it)."""
        entries: list[HolidayEntry] = []
        problems: list[Problem] = []
        for row in self.rows.values():
            if row.is_blank():
                continue
            try:
                start, end = row.start.value(), row.end.value()
            except ValueError as err:
                problems.append((f"{row.name} 放假日期", str(err)))
                continue
            work: list[date] = []
            for text in (t for t in _LIST_SEP.split(row.work.text().strip()) if t):
                try:
                    day = parse_date(text)
                except ValueError as err:
                    problems.append((f"{row.name} 调休上班日", str(err)))
                    continue
                if day is not None:
                    work.append(day)
            if start is None:
                problems.append((f"{row.name} 放假起始日", "未填写"))
                continue
            entries.append(HolidayEntry(row.name, start, end or start, tuple(sorted(set(work)))))
        if problems and not tolerant:
            self.show_problems(problems)
            return None
        return ha.join_covered(Arrangement(self.year, tuple(entries)))

    def refresh_preview(self) -> None:
        arr = self.read(tolerant=True)
        rest = set(arr.holidays()) if arr else set()
        worked = set(arr.workdays()) if arr else set()
        self.preview.set_days(self.year, rest, worked, {s.day for s in ha.statutory_days(self.year)})

    # -------------------------------------------------------------- errors

    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.show_error("")
        self.banner.hide()

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def show_problems(self, problems: list[Problem]) -> None:
        """Each problem beside its holiday's row; the rest in the banner."""
        self.clear_errors()
        by_row: dict[str, list[str]] = {}
        rest: list[str] = []
        for field, message in problems:
            name, _, part = field.partition(" ")
            home = next((h for h in name.split(ha.JOIN) if h in self.rows and self.rows[h].start.text()), None)
            home = home or next((h for h in name.split(ha.JOIN) if h in self.rows), None)
            if home is None:
                rest.append(f"{field}：{message}" if field else message)
            else:
                by_row.setdefault(home, []).append(f"{part}：{message}" if part else message)
        for name, texts in by_row.items():
            self.rows[name].show_error("；".join(texts))
        if by_row:
            rest.insert(0, "请修正标红的项目后再保存。")
        if rest:
            self.show_banner("\n".join(rest))
        first = next((self.rows[n] for n in HOLIDAY_NAMES if n in by_row), None)
        if first is not None:
            first.start.setFocus()

    # -------------------------------------------------------------- saving

    def save(self) -> None:
        if self.busy or not self.editable:
            return
        self.clear_errors()
        arr = self.read()
        if arr is None:
            return
        problems = ha.problems(arr)
        if problems:
            self.show_problems(problems)
            return
        replace = False
        if self.origin:
            changes = cy.diff_arrangement(self.old, arr)
            if not changes and self.origin == cy.ADMIN:
                messages.info(self, f"{arr.year}年的安排与已保存的相同，无需保存。")
                return
            if not self._confirm_replace(arr.year, changes):
                return
            replace = True
        self._run(arr, replace)

    def _confirm_replace(self, year: int, changes: list[str]) -> bool:
        listed = "\n".join(f"• {c}" for c in changes) or "• 与程序自带的数据相同（保存后以录入的为准）"
        return messages.confirm(self, f"{year}年已有节假日安排（{cy.SOURCE_LABELS.get(self.origin, '')}）。"
                                      f"保存将替换为新录入的安排，变化如下：\n{listed}", ok_text="替换并保存")

    def _run(self, arr: Arrangement, replace: bool) -> None:
        self._busy(True)
        db, actor, source, confidence = self.ctx.db, self.ctx.actor, self.source, self.confidence

        def job(_progress: object, _cancelled: object) -> cy.SaveResult:
            return cy.save_and_reload(db, actor, arr, replace=replace, source=source, confidence=confidence)

        self.runner.run(job, title="保存法定节假日安排", on_success=self._saved,
                        on_failure=lambda err: self._failed(arr, err), cancellable=False, show_after_ms=1500)

    def _busy(self, busy: bool) -> None:
        self.busy = busy
        self.save_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        self.save_button.setText("请稍候…" if busy else "保存")

    def _saved(self, result: cy.SaveResult) -> None:
        self._busy(False)
        self.result_value = result
        entities = {"reference"} | {k.audit_entity for k in KINDS if any(m.kind == k.kind for m in result.moved)}
        for entity in sorted(entities):
            self.ctx.notify(entity)
        self.moved_dialog = MovedDialog(result, self.parentWidget())
        self.moved_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.moved_dialog.open()
        self.accept()

    def _failed(self, arr: Arrangement, err: BaseException) -> bool:
        self._busy(False)
        if isinstance(err, cy.ArrangementExists):  # entered elsewhere meanwhile: ask against that data
            self._reread_stored(arr.year)
            if self._confirm_replace(arr.year, err.changes):
                self._run(arr, True)
            return True
        if isinstance(err, ValidationError):
            self.show_problems(list(err.errors.items()))
            return True
        if isinstance(err, StationError):
            self.show_banner(str(err))
            return True
        return False

    def _reread_stored(self, year: int) -> None:
        """Re-read what is stored for ``year`` without touching the rows (someone saved meanwhile)."""
        with self.ctx.db.read() as s:
            self.old, self.origin = cy.existing_arrangement(s, year)

    def reject(self) -> None:
        if not self.busy:
            super().reject()


def _short(s: ha.StatutoryDay) -> str:
    """"2月16日（除夕）", or "5月1日" where the label says no more."""
    day = f"{s.day.month}月{s.day.day}日"
    return day if s.label == day else f"{day}（{s.label}）"


def _home_row(e: HolidayEntry, statutory: list[ha.StatutoryDay]) -> str:
    """The holiday of ``e`` with most statutory days in its range (国庆节 for "中秋节、国庆节")."""
    return max(e.parts, key=lambda p: (sum(s.holiday == p and e.covers(s.day) for s in statutory),
                                       -HOLIDAY_NAMES.index(p) if p in HOLIDAY_NAMES else -99))
