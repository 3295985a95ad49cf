"""Bulk actions on hazards selected in the ledger: extend the deadline, assign a supervisor.

All or nothing: every hazard is tried in the caller's transaction; if any is refused, the whole
action is refused with one message per hazard (by its code) and the caller's ``db.write()`` rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.errors import StaleRecord, StationError, ValidationError
from station_app.models import Hazard
from station_app.services.context import Actor, require
from station_app.services.hazards.lifecycle import TRANSITIONS, transition

MAX_BULK = 5000


@dataclass(frozen=True)
class BulkResult:
    done: int
    codes: tuple[str, ...]


def _run(session: Session, actor: Actor, ids: Sequence[int], key: str,
         step: Callable[[int], object]) -> BulkResult:
    require(actor, TRANSITIONS[key].permission)
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ValidationError({"": "请先选择隐患"})
    if len(ids) > MAX_BULK:
        raise ValidationError({"": f"一次最多处理{MAX_BULK}条隐患（已选{len(ids)}条）"})
    codes: dict[int, str] = {hid: code for hid, code in session.execute(
        select(Hazard.id, Hazard.code).where(Hazard.id.in_(ids)))}
    errors: dict[str, str] = {}
    for hid in ids:
        code = codes.get(hid, f"#{hid}")
        if hid not in codes:
            errors[code] = "隐患记录不存在"
            continue
        try:
            step(hid)
        except StaleRecord as err:
            errors[code] = str(err)
            break  # the session's state is no longer usable
        except ValidationError as err:
            errors[code] = "；".join(err.errors.values())
        except StationError as err:
            errors[code] = str(err)
    if errors:
        lines = dict(list(errors.items())[:20])
        if len(errors) > 20:
            lines["…"] = f"另有{len(errors) - 20}条未通过"
        raise ValidationError(lines)
    return BulkResult(len(ids), tuple(codes[i] for i in ids))


def bulk_extend_deadline(session: Session, actor: Actor, ids: Sequence[int], *, new_deadline: date, reason: str,
                         on_date: date | None = None) -> BulkResult:
    """延长整改期限 of every selected hazard to ``new_deadline`` (all or nothing)."""
    return _run(session, actor, ids, "extend", lambda hid: transition(
        session, actor, hid, "extend", new_deadline=new_deadline, comment=reason, on_date=on_date))


def bulk_assign_supervisor(session: Session, actor: Actor, ids: Sequence[int], *, supervisor_id: int,
                           comment: str = "") -> BulkResult:
    """指派监督员 for every selected hazard (all or nothing); those already with that supervisor are kept."""
    def step(hid: int) -> object:
        if session.scalar(select(Hazard.supervisor_id).where(Hazard.id == hid)) == supervisor_id:
            return None
        return transition(session, actor, hid, "assign", supervisor_id=supervisor_id, comment=comment)

    return _run(session, actor, ids, "assign", step)
