"""What the supervision, inspection and photo steps of one run hand to each other.

GenContext has no slot for it, so the supervision step hangs one :class:`SupervisionHistory` on the
context (:func:`put_history`) and the later steps read it back (:func:`history`): who was on each
project's team when, which grid a project belonged to when, which accounts were disabled when, and the
inspections written (for the photos, and for the hazards' reviews).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime

from station_app.demo.context import GenContext, ProjectRec

_ATTR = "_demo_supervision_history"


@dataclass(frozen=True)
class Segment:
    """One period of a project's team: from ``start`` (inclusive) to ``end`` (exclusive, None = open)."""

    start: date
    end: date | None
    principal: int | None
    seconds: tuple[int, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return ((self.principal,) if self.principal is not None else ()) + self.seconds


@dataclass(frozen=True)
class InspectionRef:
    """An inspection as the photo and hazard steps need it."""

    id: int
    at: datetime
    recorded_at: datetime
    recorded_by: int | None
    findings: tuple[tuple[int, str], ...]  # (finding id, description)
    project_id: int = 0
    kind: str = ""
    inspectors: tuple[int, ...] = ()


@dataclass
class SupervisionHistory:
    #: project id → its team periods, oldest first (no entry: nobody was ever assigned)
    segments: dict[int, list[Segment]] = field(default_factory=dict)
    #: project id → (the day its grid changed, the grid before it); after it the project's own grid_id
    grid_changes: dict[int, tuple[date, int | None]] = field(default_factory=dict)
    #: user id → the day the account was disabled (not an inspector from that day on)
    inactive_from: dict[int, date] = field(default_factory=dict)
    #: user id → full name, for every supervising account
    names: dict[int, str] = field(default_factory=dict)
    #: project id → 竣工验收备案 date (the projects step keeps it only in its rows)
    filing: dict[int, date | None] = field(default_factory=dict)
    inspections: list[InspectionRef] = field(default_factory=list)
    _starts: dict[int, list[date]] = field(default_factory=dict)

    def set_segments(self, project_id: int, segments: list[Segment]) -> None:
        self.segments[project_id] = segments
        self._starts[project_id] = [s.start for s in segments]

    def team_on(self, project_id: int, day: date) -> Segment | None:
        starts = self._starts.get(project_id)
        if not starts:
            return None
        i = bisect.bisect_right(starts, day) - 1
        if i < 0:
            return None
        seg = self.segments[project_id][i]
        return seg if seg.end is None or day < seg.end else None

    def active_team(self, project_id: int, day: date) -> tuple[int, ...]:
        """The team members on ``day`` whose accounts were still enabled (principal first)."""
        seg = self.team_on(project_id, day)
        if seg is None:
            return ()
        return tuple(u for u in seg.members if u not in self.inactive_from or day < self.inactive_from[u])

    def grid_on(self, project: ProjectRec, day: date) -> int | None:
        change = self.grid_changes.get(project.id)
        if change is not None and day < change[0]:
            return change[1]
        return project.grid_id


def put_history(ctx: GenContext, history: SupervisionHistory) -> None:
    setattr(ctx, _ATTR, history)


def history(ctx: GenContext) -> SupervisionHistory:
    found = getattr(ctx, _ATTR, None)
    if not isinstance(found, SupervisionHistory):
        raise RuntimeError("演示数据步骤顺序有误：make_supervision 须在监督检查和照片步骤之前运行")
    return found
