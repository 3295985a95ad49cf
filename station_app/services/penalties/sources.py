"""Where a case comes from: the pre-filled clue form from a recorded inspection (立案… on the inspection
page) — the project, the 施工总承包 as the party, the facts from the inspection's findings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.errors import NotFound
from station_app.models import Enterprise, Inspection, Project, ProjectParty
from station_app.models.enums import PartyRole

#: the facts text stays a readable paragraph; the clerk trims it in the form
MAX_FACT_ROWS = 20


def _contractor(session: Session, project_id: int) -> Enterprise | None:
    return session.scalar(
        select(Enterprise).join(ProjectParty, ProjectParty.enterprise_id == Enterprise.id)
        .where(ProjectParty.project_id == project_id, ProjectParty.role == PartyRole.GENERAL_CONTRACTOR.value)
        .order_by(ProjectParty.id).limit(1))


def case_prefill_from_inspection(session: Session, inspection_id: int) -> dict[str, Any]:
    """Keyword arguments for NewCaseDialog: project, party (施工总承包), cause and facts from the findings."""
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise NotFound("所选监督检查记录不存在。")
    project = session.get(Project, insp.project_id)
    assert project is not None
    on = insp.inspected_at.date()
    findings = list(insp.findings)
    lines = [f"{i}. {f.description}{'（' + f.location + '）' if f.location else ''}"
             f"{'【重大事故隐患】' if f.level == '重大' else ''}"
             for i, f in enumerate(findings[:MAX_FACT_ROWS], 1)]
    if len(findings) > MAX_FACT_ROWS:
        lines.append(f"……等共{len(findings)}项问题")
    head = f"{on.year}年{on.month}月{on.day}日监督检查{project.name}，发现以下问题"
    facts = head + ("：\n" + "\n".join(lines) if lines else "。")
    first = findings[0].description if findings else ""
    cause = f"{first[:60]}等安全生产违法行为" if len(findings) > 1 else (first[:80] or "安全生产违法行为")
    prefill: dict[str, Any] = {
        "inspection_id": insp.id, "project_id": project.id, "project_name": project.name, "clue_on": on,
        "source": "监督检查", "cause": cause, "facts": facts,
    }
    gc = _contractor(session, project.id)
    if gc is not None:
        prefill.update(enterprise_id=gc.id, enterprise_name=gc.name)
    return prefill
