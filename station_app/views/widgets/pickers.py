"""Pick an enterprise or a person by typing: name, 拼音首字母, USCC or ID number.

Each keystroke runs one small LIMIT query (services.*.search_*) and shows the matches in a
QCompleter popup; the picker holds the chosen record's id. Typing after a pick clears the id until
another row is chosen, so a half-typed name is never saved as a link.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget
from sqlalchemy.orm import Session

from station_app.errors import StationError
from station_app.services.registry.enterprises import EnterpriseChoice, search_enterprises
from station_app.services.registry.persons import PersonChoice, search_persons
from station_app.views.app_context import AppContext

log = logging.getLogger(__name__)

_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
_ID_ROLE = Qt.ItemDataRole.UserRole + 2
_EXTRA_ROLE = Qt.ItemDataRole.UserRole + 3

#: one match: (id, name put into the field, line shown in the popup, extra values kept with the choice)
Match = tuple[int, str, str, dict[str, Any]]
_LIMIT = 20


class RecordPicker(QLineEdit):
    """Base of the pickers: subclasses say how to search and how a match reads in the popup."""

    #: emitted with the id when a row is chosen, and with None when the choice is cleared
    picked = Signal(object)

    def __init__(self, ctx: AppContext, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._id: int | None = None
        self._extra: dict[str, Any] = {}
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._items = QStandardItemModel(self)
        completer = QCompleter(self._items, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCompletionRole(_NAME_ROLE)
        completer.setMaxVisibleItems(12)
        completer.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]
        self.setCompleter(completer)
        self.textEdited.connect(self._on_edited)

    # -------------------------------------------------------------- value

    def value(self) -> int | None:
        return self._id

    def extra(self) -> dict[str, Any]:
        """Extra values of the chosen match (e.g. the USCC of an enterprise)."""
        return dict(self._extra) if self._id is not None else {}

    def set_value(self, record_id: int | None, label: str = "", **extra: Any) -> None:
        self._id = record_id
        self._extra = extra
        self.setText(label if record_id is not None else "")
        self._mark()

    def has_unpicked_text(self) -> bool:
        """Text typed but no row chosen (the form reports it instead of silently dropping it)."""
        return self._id is None and bool(self.text().strip())

    # -------------------------------------------------------------- searching

    def _search(self, session: Session, text: str) -> list[Match]:
        """The matches for ``text``."""
        raise NotImplementedError

    def refresh_matches(self, text: str | None = None) -> int:
        """Query for ``text`` (default: the current text), fill the popup and show it; returns the count."""
        text = self.text() if text is None else text
        try:
            with self._ctx.db.read() as session:
                matches = self._search(session, text)
        except StationError as err:
            log.warning("completion query failed: %s", err)
            matches = []
        self._items.clear()
        for record_id, name, line, extra in matches:
            item = QStandardItem(line)
            item.setData(name, _NAME_ROLE)
            item.setData(record_id, _ID_ROLE)
            item.setData(extra, _EXTRA_ROLE)
            self._items.appendRow(item)
        if matches and self.hasFocus():
            self.completer().complete()
        else:
            self._hide_popup()
        return len(matches)

    def popup_visible(self) -> bool:
        popup = self.completer().popup()
        return popup is not None and popup.isVisible()

    def _hide_popup(self) -> None:
        popup = self.completer().popup()
        if popup is not None:
            popup.hide()

    def _on_edited(self, text: str) -> None:
        if self._id is not None:
            self._id = None
            self.picked.emit(None)
        self._mark()
        if text.strip():
            self.refresh_matches(text)
        else:
            self._hide_popup()

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.choose_row(index.row())

    def choose_row(self, row: int) -> None:
        """Take the ``row``-th match of the popup (what Enter/click on the popup does)."""
        item = self._items.item(row)
        if item is None:
            return
        self._id = int(item.data(_ID_ROLE))
        self._extra = dict(item.data(_EXTRA_ROLE) or {})
        self.setText(str(item.data(_NAME_ROLE)))
        self.setToolTip(item.text())
        self._mark()
        self.picked.emit(self._id)

    def _mark(self) -> None:
        unpicked = self.has_unpicked_text()
        self.setStyleSheet("QLineEdit { background: #fff7e0; }" if unpicked else "")
        if unpicked:
            self.setToolTip("请从下拉列表中选择（可输入名称、拼音首字母或编号）")
        elif self._id is None:
            self.setToolTip("")


class EnterprisePicker(RecordPicker):
    """Completion over 企业: name, 拼音首字母, 统一社会信用代码, 安全生产许可证号."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "输入企业名称、拼音首字母或信用代码", parent)
        self.prefer_kind: str | None = None

    def _search(self, session: Session, text: str) -> list[Match]:
        rows: list[EnterpriseChoice] = search_enterprises(session, text, _LIMIT, prefer_kind=self.prefer_kind)
        return [(r.id, r.name, f"{r.name}　{r.uscc}　{r.kind}", {"uscc": r.uscc, "kind": r.kind}) for r in rows]


class PersonPicker(RecordPicker):
    """Completion over 人员: name, 拼音首字母, 身份证号, phone, employer (ID shown as the role may see it)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "输入姓名、拼音首字母或身份证号", parent)
        self.prefer_employer_id: int | None = None

    def _search(self, session: Session, text: str) -> list[Match]:
        rows: list[PersonChoice] = search_persons(session, self._ctx.actor, text, _LIMIT,
                                                  prefer_employer_id=self.prefer_employer_id)
        return [(r.id, r.name, "　".join(x for x in (r.name, r.id_number, r.employer_name) if x),
                 {"employer": r.employer_name}) for r in rows]
