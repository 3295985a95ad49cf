"""Photos on demo hazards, linked as services.hazards.lifecycle links evidence: the 隐患照片 of about a
seventh of the hazards (on their 登记); the contractor's 整改照片 (on each 报告整改完成) and the supervisor's
复查照片 (on each 复查合格) for every such step of the last year and for about one older hazard in 12;
now and then two photos.

They reuse the few site photos that :mod:`photos` stored (content-addressed blobs): many link rows, no
new files. Without those photos (no data directory, e.g. PostgreSQL without one) no hazard gets any.
The hazard step's writer hands each hazard's events over as it writes them (reading 250,000 hazards'
events back would cost more than the links themselves) and inserts the rows with its own; the draws
come from a ``random.Random`` of their own, seeded by the run's seed, so the hazards and every later
step draw exactly what they drew before.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from station_app.demo.context import GenContext, table_of
from station_app.models import HazardAttachment, InspectionAttachment
from station_app.models.hazard import HazardAction

#: share of hazards with photos of the hazard itself; share of closed ones with rectification photos
FOUND_SHARE = 0.15
CLOSED_SHARE = 0.08
#: share of links with a second photo (not on the review)
SECOND = 0.3
_FOUND, _REPORT, _PASS = (HazardAction.FOUND.value, HazardAction.RECTIFICATION_REPORTED.value,
                          HazardAction.REVIEW_PASSED.value)
#: by the step linked: kind, caption, (earliest, latest) minutes before the step that the photo was taken
_HOW = {_FOUND: ("隐患照片", "", (2, 180)), _REPORT: ("整改照片", "整改后", (30, 3 * 24 * 60)),
        _PASS: ("复查照片", "复查现场", (5, 120))}


class HazardPhotos:
    """The photo links of the hazards a writer writes; ``rows`` waits for the writer's next flush."""

    def __init__(self, ctx: GenContext) -> None:
        self.blobs = list(ctx.session.scalars(select(InspectionAttachment.blob_id).distinct()
                                              .order_by(InspectionAttachment.blob_id)))
        self.rng = random.Random(f"hazard_photos:{ctx.seed}")
        self.next_id = ctx.next_id(table_of(HazardAttachment))
        self.rows: list[dict[str, Any]] = []
        self.found = self.closed = self.links = 0
        #: from this day on every report and review step has photos
        self.recent_from = ctx.today - timedelta(days=365)

    def add(self, hazard_id: int, first_event_id: int, events: Sequence[tuple[Any, ...]], closed: bool) -> None:
        """Photos for one hazard; ``events`` as hazard_flow.Event (on_date, at, action, …), their ids
        consecutive from ``first_event_id``."""
        if not self.blobs:
            return
        r = self.rng.random
        if r() < FOUND_SHARE:
            k = next(k for k, e in enumerate(events) if e[2] == _FOUND)
            self._link(hazard_id, first_event_id + k, _FOUND, events[k][1])
            self.found += 1
        # a 报告整改完成 or 复查合格 needs evidence (hazard_lifecycle refuses it without): every one in the
        # last year has its photos, as the app would have made sure; older ones only now and then — the
        # station's earlier years were closed on paper, their evidence is in the paper archive
        older = r() < CLOSED_SHARE
        linked = False
        for k, e in enumerate(events):
            if (e[2] == _REPORT or e[2] == _PASS) and (older or e[0] >= self.recent_from):
                self._link(hazard_id, first_event_id + k, e[2], e[1])
                linked = True
        self.closed += linked

    def _link(self, hazard_id: int, event_id: int, action: str, at: datetime) -> None:
        """One photo, or two different ones (plain rng.random(): 100,000 calls at county scale)."""
        kind, caption, (lo, hi) = _HOW[action]
        r, blobs = self.rng.random, self.blobs
        taken = at - timedelta(minutes=lo + int(r() * (hi - lo)))
        first = int(r() * len(blobs))
        picks = [first]
        if action != _PASS and len(blobs) > 1 and r() < SECOND:
            picks.append((first + 1 + int(r() * (len(blobs) - 1))) % len(blobs))
        for k, b in enumerate(picks):
            shot = taken + timedelta(seconds=k * (5 + int(r() * 85)))
            self.rows.append({"id": self.next_id + self.links, "hazard_id": hazard_id, "event_id": event_id,
                              "blob_id": blobs[b], "kind": kind, "file_name": f"IMG_{shot:%Y%m%d_%H%M%S}.jpg",
                              "caption": caption, "added_at": at})
            self.links += 1

    def report(self, ctx: GenContext) -> None:
        """Counts and the progress line, once every hazard went through ``add``."""
        if not self.blobs:
            ctx.progress("没有现场照片（未指定数据目录），隐患记录不附照片。")
            return
        ctx.counts["隐患照片关联"] = self.links
        ctx.progress(f"隐患附照片 {self.links} 处（复用现场照片 {len(self.blobs)} 张，无新文件）：{self.found} 条隐患的"
                     f"发现照片，{self.closed} 条隐患的整改、复查照片")


__all__ = ["CLOSED_SHARE", "FOUND_SHARE", "HazardPhotos"]
