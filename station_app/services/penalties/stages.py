"""The stage machine of a penalty case (行政处罚一般程序), in one table.

线索登记 → 立案审批 → 调查取证 → 案件审核 → 告知 → (听证) → (集体讨论) → 决定 → 送达 → (执行) → 结案 → 归档.
Optional stages are entered only when the case needs them: 听证 when the party asked for a hearing,
集体讨论 for serious cases, 执行 when a fine was decided. ``next_stage`` says which stage comes next
for a case's flags; any other target is refused with the stage that would be skipped.
No database and no Qt here: the services use it, the views show it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    key: str
    #: what the clerk sees on buttons and the timeline
    title: str
    #: the station chief's approval (case.approve) is needed to record it
    approval: bool = False
    #: documents issued on entering the stage (through services.documents)
    documents: tuple[str, ...] = ()
    #: what the stage's date means (label of the date field)
    date_label: str = "日期"


CLUE = "线索登记"
FILING = "立案审批"
INVESTIGATION = "调查取证"
REVIEW = "案件审核"
NOTICE = "告知"
HEARING = "听证"
DISCUSSION = "集体讨论"
DECISION = "决定"
SERVICE = "送达"
EXECUTION = "执行"
CLOSING = "结案"
ARCHIVE = "归档"
#: a clue that did not become a case (terminal)
NOT_FILED = "不予立案"

STAGES: tuple[Stage, ...] = (
    Stage(CLUE, "线索登记", date_label="发现线索日期"),
    Stage(FILING, "立案审批", approval=True, documents=("立案审批表",), date_label="立案日期"),
    Stage(INVESTIGATION, "调查取证", date_label="调查终结日期"),
    Stage(REVIEW, "案件审核/法制审核", date_label="审核日期"),
    Stage(NOTICE, "告知（陈述申辩/听证）", documents=("行政处罚事先告知书", "行政处罚听证告知书"),
          date_label="告知书送达日期"),
    Stage(HEARING, "听证", date_label="听证日期"),
    Stage(DISCUSSION, "集体讨论", approval=True, date_label="讨论日期"),
    Stage(DECISION, "处罚决定", approval=True, documents=("行政处罚决定书",), date_label="决定日期"),
    Stage(SERVICE, "送达", documents=("送达回证",), date_label="送达日期"),
    Stage(EXECUTION, "执行", date_label="进入执行日期"),
    Stage(CLOSING, "结案", approval=True, documents=("结案审批表",), date_label="结案日期"),
    Stage(ARCHIVE, "归档", date_label="归档日期"),
)

STAGE_KEYS: tuple[str, ...] = tuple(s.key for s in STAGES)
#: stages a case is still being handled in (not 结案/归档/不予立案)
OPEN_STAGES: tuple[str, ...] = STAGE_KEYS[: STAGE_KEYS.index(CLOSING)]
#: stages before which the penalty may still be changed
PENALTY_EDITABLE: tuple[str, ...] = (CLUE, FILING, INVESTIGATION, REVIEW)


def stage(key: str) -> Stage:
    for s in STAGES:
        if s.key == key:
            return s
    raise KeyError(key)


def needed(key: str, *, hearing_requested: bool, serious: bool, has_fine: bool) -> bool:
    """Whether the case passes through stage ``key`` at all."""
    if key == HEARING:
        return hearing_requested
    if key == DISCUSSION:
        return serious
    if key == EXECUTION:
        return has_fine
    return True


def next_stage(current: str, *, hearing_requested: bool, serious: bool, has_fine: bool) -> str | None:
    """The stage that follows ``current`` for a case with these flags (None after 归档/不予立案)."""
    if current not in STAGE_KEYS:
        return None
    for key in STAGE_KEYS[STAGE_KEYS.index(current) + 1:]:
        if needed(key, hearing_requested=hearing_requested, serious=serious, has_fine=has_fine):
            return key
    return None


def skipped_between(current: str, target: str, *, hearing_requested: bool, serious: bool,
                    has_fine: bool) -> list[str]:
    """The needed stages a jump from ``current`` to ``target`` would leave out."""
    if current not in STAGE_KEYS or target not in STAGE_KEYS:
        return []
    lo, hi = STAGE_KEYS.index(current), STAGE_KEYS.index(target)
    return [k for k in STAGE_KEYS[lo + 1: hi]
            if needed(k, hearing_requested=hearing_requested, serious=serious, has_fine=has_fine)]
