"""Pick a project by typing its name, 拼音首字母 ("dhxq"), 施工许可证号 or a party's name.

The search is the 项目 list's own (PROJECT_LIST, one LIMIT query per keystroke); projects in
supervision come first, then the others (an inspection of a finished project is refused by the
service with the reason, which the form shows).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from station_app.services.listing import ListQuery
from station_app.services.registry.project_table import PROJECT_LIST
from station_app.views.app_context import AppContext
from station_app.views.widgets import RecordPicker
from station_app.views.widgets.pickers import Match

_LIMIT = 20
_COLS = {c.key: i + 1 for i, c in enumerate(PROJECT_LIST.columns)}  # +1: row[0] is the id


def _match(row: tuple[object, ...]) -> Match:
    name, status, grid, permit = (str(row[_COLS[k]] or "") for k in ("name", "status", "grid", "permit_no"))
    line = "　".join(x for x in (name, status, grid, permit) if x)
    return int(str(row[0])), name, line, {"status": status, "grid": grid, "permit_no": permit}


def search_projects(session: Session, text: str, limit: int = _LIMIT) -> list[Match]:
    """Matches for ``text``: projects in supervision first, then the rest."""
    query = ListQuery(text=text, limit=limit)
    rows = PROJECT_LIST.page(session, replace(query, filters={"in_supervision": True}))
    if len(rows) < limit:
        seen = {r[0] for r in rows}
        rows += [r for r in PROJECT_LIST.page(session, query) if r[0] not in seen][: limit - len(rows)]
    return [_match(r) for r in rows]


class ProjectPicker(RecordPicker):
    """Completion over 项目; ``extra()`` has the chosen project's status, grid and permit number."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "输入工程名称、拼音首字母或施工许可证号", parent)

    def _search(self, session: Session, text: str) -> list[Match]:
        return search_projects(session, text)
