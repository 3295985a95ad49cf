"""监督检查记录: save an inspection with its inspectors, presence, check items, findings, JGJ 59 sheet
and files in one transaction; read it back as plain dataclasses.

Rules a save enforces (each refused with a Chinese message naming the field; nothing is saved):

* at least two inspectors (建质〔2014〕154号: 2 or more supervisors per inspection), each an
  **active 监督员 or 站长 account** — 管理员, 内勤 and 只读 accounts, disabled and unknown users are
  refused: they are not supervision staff, though a 内勤 may *record* an inspection for them;
* the time is not in the future;
* the project is in supervision on that day: a project 已竣工 / 终止监督 only up to its completion
  (竣工验收备案 date, else actual finish), any project not after its 竣工验收备案 date (the start is
  left open: 开工前安全条件核查 and visits to sites building without a permit are real inspections);
* 专项检查 names a campaign; a major finding cites a criterion of the edition in force that day;
* every attached file can be read.

A recorded absence of a responsible person becomes a finding of its own (origin 人员到岗).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from station_app.db.base import now
from station_app.errors import NotFound, StaleRecord, ValidationError
from station_app.formatting import chinese_date, chinese_datetime
from station_app.models import (
    Campaign,
    Grid,
    Inspection,
    InspectionCheckItem,
    InspectionFinding,
    InspectionInspector,
    InspectionPresence,
    Project,
    User,
)
from station_app.models.enums import IN_SUPERVISION, PARTY_POSTS, PartyRole, ProjectStatus
from station_app.models.inspection import CheckSource, FindingLevel, FindingOrigin, InspectionKind
from station_app.rules import hazards
from station_app.rules.errors import RuleInputError
from station_app.services import audit
from station_app.services.attachments import (
    AttachmentStore,
    StoredFile,
    editable_inspection,
    link_stored,
    list_attachments,
    store_files,
)
from station_app.services.context import Actor, require
from station_app.services.deadlines import stored_flag
from station_app.services.hazards import from_findings as hazard_sync
from station_app.services.inspections.campaigns import jgj59_item_keys
from station_app.services.inspections.forms import (
    INSPECTOR_ROLES,
    KINDS,
    LEVELS,
    MIN_INSPECTORS,
    RESULTS,
    CheckItemData,
    FindingData,
    InspectionData,
    PresenceData,
    suggested_deadline,
)
from station_app.services.inspections.jgj59 import Jgj59EntryData, compute, get_sheet, write_sheet
from station_app.services.search import build_search_key
from station_app.services.validation import Checker, clean

PRESENCE_CATEGORY = "安全管理"


def supervision_problem(project: Project, on: date) -> str | None:
    """Why ``project`` was not in supervision on ``on``, or None when it was."""
    if project.completion_filing_date and on > project.completion_filing_date:
        return f"项目“{project.name}”已于{chinese_date(project.completion_filing_date)}竣工验收备案，" \
               f"{chinese_date(on)}不在监督期内"
    if project.status not in [s.value for s in IN_SUPERVISION]:
        end = project.completion_filing_date or project.actual_finish
        if end is None:
            return f"项目“{project.name}”状态为“{project.status}”，不在监督期内"
        if on > end:
            what = "竣工" if project.status == ProjectStatus.COMPLETED else project.status
            return f"项目“{project.name}”已于{chinese_date(end)}{what}，{chinese_date(on)}不在监督期内"
    return None


def _presence_findings(data: InspectionData) -> tuple[FindingData, ...]:
    """Keep the form's findings; add one per absence not covered yet; drop those no longer absent."""
    absent = {p.key: p for p in data.presence if not p.present}
    covered: set[str] = set()
    out: list[FindingData] = []
    for f in data.findings:
        if f.origin == FindingOrigin.PRESENCE.value:
            if f.origin_key in absent and f.origin_key not in covered:
                covered.add(f.origin_key)
                out.append(f)
            continue
        out.append(f)
    for key, p in absent.items():
        if key in covered:
            continue
        who = f"（{p.person_name}）" if p.person_name else ""
        note = f"，{p.note}" if p.note else ""
        out.append(FindingData(
            description=f"{p.party_role}{p.post}{who}检查时不在岗{note}（关键岗位人员到岗履职）",
            category=PRESENCE_CATEGORY, level=FindingLevel.ORDINARY.value,
            requirement=f"落实关键岗位人员到岗履职制度，{p.post}应在岗履职，并书面说明缺岗原因。",
            origin=FindingOrigin.PRESENCE.value, origin_key=key))
    return tuple(out)


def _check_inspectors(session: Session, c: Checker, ids: Sequence[int]) -> list[User]:
    label = "检查人员"
    unique = list(dict.fromkeys(ids))
    if len(unique) < MIN_INSPECTORS:
        dup = "，同一人不能重复列入" if len(unique) < len(ids) else ""
        c.add(label, f"至少须有{MIN_INSPECTORS}名监督人员参加检查（现为{len(unique)}名{dup}）")
    elif len(unique) < len(ids):
        c.add(label, "同一人不能重复列为检查人员")
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(unique)))} if unique else {}
    for i, uid in enumerate(unique, 1):
        u = users.get(uid)
        if u is None:
            c.add(label, f"第{i}名检查人员不是本站用户")
        elif not u.active:
            c.add(label, f"“{u.full_name}”的账号已停用，不能作为检查人员")
        elif u.role not in INSPECTOR_ROLES:
            c.add(label, f"“{u.full_name}”是{u.role}账号，检查人员须为在岗的监督员或站长")
    return [users[u] for u in unique if u in users]


def _check_items(c: Checker, items: Sequence[CheckItemData]) -> tuple[CheckItemData, ...]:
    catalog = jgj59_item_keys()
    out = []
    for i, it in enumerate(items, 1):
        label = f"检查项目第{i}项"
        it = replace(it, label=clean(it.label), code=clean(it.code), note=clean(it.note))
        c.one_of(label, it.source, [s.value for s in CheckSource])
        c.one_of(f"{label}结果", it.result, RESULTS)
        if it.source == CheckSource.JGJ59.value:
            if it.code not in catalog:
                c.add(label, f"“{it.code}”不是 JGJ 59 检查评分表的项目")
            else:
                it = replace(it, label=it.label or f"{catalog[it.code][0]} {catalog[it.code][1]}")
        elif it.source == CheckSource.MAJOR_HAZARD.value:
            try:
                it = replace(it, label=it.label or hazards.criterion(it.code).text)
            except RuleInputError:
                c.add(label, f"“{it.code}”不是重大事故隐患判定标准的条款")
        c.required(label, it.label)
        c.max_len(label, it.label, 300)
        c.max_len(f"{label}说明", it.note, 300)
        out.append(replace(it, label=it.label[:300]))
    return tuple(out)


def _check_findings(c: Checker, findings: Sequence[FindingData], on: date,
                    existing_ids: set[int]) -> tuple[FindingData, ...]:
    categories = hazards.hazard_categories()
    try:
        in_force: str | None = hazards.edition_in_force(on)
    except RuleInputError:
        in_force = None
    out = []
    for i, f in enumerate(findings, 1):
        label = f"问题第{i}条"
        f = replace(f, description=clean(f.description), category=clean(f.category), location=clean(f.location),
                    requirement=clean(f.requirement), criterion_code=clean(f.criterion_code) or None)
        c.required(f"{label}问题描述", f.description)
        c.max_len(f"{label}部位", f.location, 200)
        c.one_of(f"{label}隐患等级", f.level, LEVELS)
        if f.id is not None and f.id not in existing_ids:
            c.add(label, "该问题不属于本次检查")
        if f.level == FindingLevel.MAJOR.value:
            if not f.criterion_code:
                c.add(f"{label}判定条款", "重大隐患须选择《重大事故隐患判定标准》的条款")
            else:
                try:
                    crit = hazards.criterion(f.criterion_code)
                except RuleInputError:
                    c.add(f"{label}判定条款", f"“{f.criterion_code}”不是重大事故隐患判定标准的条款")
                else:
                    if in_force is not None and crit.edition != in_force:
                        c.add(f"{label}判定条款", f"{crit.label}不适用：{chinese_date(on)}施行的是{in_force}版判定标准")
                    f = replace(f, category=crit.category, criterion_edition=crit.edition)
        else:
            if f.criterion_code:
                c.add(f"{label}判定条款", "一般隐患不引用重大事故隐患判定条款（引用条款请将等级设为“重大”）")
            if f.origin != FindingOrigin.PRESENCE.value:
                c.required(f"{label}隐患类别", f.category)
                c.one_of(f"{label}隐患类别", f.category, categories)
            f = replace(f, criterion_edition=None)
        if f.deadline is not None and f.deadline < on:
            c.add(f"{label}整改期限", f"不能早于检查日期（{chinese_date(on)}）")
        if f.deadline is None and f.level in LEVELS:
            with suppress(RuleInputError):
                f = replace(f, deadline=suggested_deadline(f.level, on).day)
        out.append(f)
    return tuple(out)


def _validate(session: Session, data: InspectionData, existing: Inspection | None
              ) -> tuple[InspectionData, Project, list[User], Campaign | None]:
    c = Checker()
    data = replace(data, weather=clean(data.weather), conclusion=clean(data.conclusion),
                   site_parts=tuple(dict.fromkeys(p for p in (clean(x) for x in data.site_parts) if p)))
    when = data.inspected_at
    if when is None:
        c.add("检查时间", "必填")
        c.check()
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    when = when.replace(microsecond=0)
    data = replace(data, inspected_at=when)
    if when > now():
        c.add("检查时间", f"不能晚于当前时间（录入为{chinese_datetime(when)}）")
    project = session.get(Project, data.project_id) if data.project_id else None
    if project is None:
        c.add("工程项目", "必填" if not data.project_id else "所选项目不存在")
    else:
        problem = supervision_problem(project, when.date())
        if problem and not (existing and existing.project_id == project.id
                            and existing.inspected_at.date() == when.date()):
            c.add("工程项目", problem)
    users = _check_inspectors(session, c, data.inspector_ids)
    c.one_of("检查类型", data.kind, KINDS)
    campaign = session.get(Campaign, data.campaign_id) if data.campaign_id is not None else None
    if data.campaign_id is not None and campaign is None:
        c.add("专项行动", "所选专项行动不存在")
    elif campaign is not None and not campaign.active and (existing is None or existing.campaign_id != campaign.id):
        c.add("专项行动", f"“{campaign.name}”已停用")
    if data.kind == InspectionKind.SPECIAL.value and campaign is None and data.campaign_id is None:
        c.add("专项行动", "检查类型为专项检查时须选择专项行动")
    c.max_len("天气", data.weather, 30)
    c.max_len("检查部位", "、".join(data.site_parts), 500)
    for i, p in enumerate(data.presence, 1):
        allowed = PARTY_POSTS.get(PartyRole(p.party_role), ()) if p.party_role in PartyRole else ()
        if p.post not in allowed:
            c.add(f"到岗情况第{i}行", f"“{p.party_role}”没有“{p.post}”岗位")
    data = replace(data, check_items=_check_items(c, data.check_items))
    existing_ids = {f.id for f in existing.findings} if existing else set()
    data = replace(data, findings=_check_findings(c, _presence_findings(data), when.date(), existing_ids))
    if data.jgj59_entries:
        try:
            compute(data.jgj59_entries)
        except ValidationError as err:
            for k, v in err.errors.items():
                c.add(k, v)
    c.check()
    assert project is not None
    return data, project, users, campaign


def _store_all(store: AttachmentStore | None, data: InspectionData) -> tuple[list[StoredFile], list[list[StoredFile]]]:
    """Copy every new file in before the database is touched; an unreadable one refuses the save."""
    try:
        own = store_files(store, data.new_files)
    except ValidationError as err:
        raise ValidationError({"附件": next(iter(err.errors.values()))}) from err
    per_finding = []
    for i, f in enumerate(data.findings, 1):
        try:
            per_finding.append(store_files(store, f.new_files))
        except ValidationError as err:
            raise ValidationError({f"问题第{i}条附件": next(iter(err.errors.values()))}) from err
    return own, per_finding


def _default_deadline_flag(f: FindingData, on: date) -> bool:
    """暂定 when the finding's deadline is the provisional default of its level (a typed date is exact)."""
    if f.level not in LEVELS:
        return False
    return stored_flag(f.deadline, suggested_deadline(f.level, on))


def _snap(insp: Inspection) -> dict[str, Any]:
    snap = audit.snapshot(insp, ("inspected_at", "project_id", "kind", "campaign_id", "weather", "site_parts",
                                 "conclusion", "inspector_names"))
    snap["findings"] = [f"{f.level}：{f.description[:60]}" for f in insp.findings]
    return snap


def _write(session: Session, actor: Actor, insp: Inspection, data: InspectionData, project: Project,
           users: list[User], campaign: Campaign | None, files: tuple[list[StoredFile], list[list[StoredFile]]]
           ) -> None:
    # one flush for the row and its children: a lazy load mid-way would autoflush and bump the version twice
    with session.no_autoflush:
        insp.inspected_at = data.inspected_at
        if insp.project_id != project.id or insp.id is None:
            insp.grid_id = project.grid_id
        insp.project_id = project.id
        insp.kind, insp.campaign_id, insp.weather = data.kind, data.campaign_id, data.weather
        insp.site_parts, insp.conclusion = "、".join(data.site_parts), data.conclusion
        current = {x.user_id: x for x in insp.inspectors}
        insp.inspectors = [current.get(u.id) or InspectionInspector(user_id=u.id) for u in users]
        for seq, (who, u) in enumerate(zip(insp.inspectors, users, strict=True), 1):
            who.seq = seq
            who.name = who.name or u.full_name[:50]  # the name as it was on the day
        insp.presence = [InspectionPresence(seq=i, party_role=p.party_role, post=p.post, person_id=p.person_id,
                                            person_name=clean(p.person_name)[:50], present=p.present,
                                            note=clean(p.note)[:200]) for i, p in enumerate(data.presence, 1)]
        insp.check_items = [InspectionCheckItem(seq=i, source=x.source, code=x.code, label=x.label, result=x.result,
                                                note=x.note) for i, x in enumerate(data.check_items, 1)]
        # findings keep their row (and id) across saves; a finding left out of the form is deleted (the
        # hazard ledger, when it references findings, must refuse deleting one that became a hazard)
        by_id = {f.id: f for f in insp.findings}
        rows: list[InspectionFinding] = []
        for seq, f in enumerate(data.findings, 1):
            row = (by_id.get(f.id) if f.id is not None else None) or InspectionFinding()
            row.seq, row.category, row.level = seq, f.category, f.level
            row.criterion_code, row.criterion_edition = f.criterion_code, f.criterion_edition
            row.description, row.location, row.requirement, row.deadline = (f.description, f.location,
                                                                            f.requirement, f.deadline)
            row.check_item_code, row.origin, row.origin_key = clean(f.check_item_code)[:40], f.origin, f.origin_key
            row.deadline_provisional = _default_deadline_flag(f, data.inspected_at.date())
            rows.append(row)
        insp.findings = rows
        names = [u.full_name for u in users]
        insp.inspector_names = "、".join(names)[:200]
        insp.finding_count = len(rows)
        insp.major_count = sum(1 for r in rows if r.level == FindingLevel.MAJOR.value)
        insp.check_item_count = len(data.check_items)
        insp.search_key = build_search_key(*names, campaign.name if campaign else None, data.kind,
                                           project.name)[:800]
    session.flush()
    own, per_finding = files
    for stored in own:
        link_stored(session, actor, insp.id, None, stored)
    for row, stored_list in zip(rows, per_finding, strict=True):
        for stored in stored_list:
            link_stored(session, actor, insp.id, row.id, stored)
    write_sheet(session, insp.id, data.jgj59_entries)
    session.flush()


def create_inspection(session: Session, actor: Actor, data: InspectionData, *,
                      store: AttachmentStore | None = None) -> InspectionData:
    """Save a new inspection. ``store`` is needed when the form carries files."""
    require(actor, "inspection.write")
    data, project, users, campaign = _validate(session, data, None)
    files = _store_all(store, data)
    insp = Inspection(created_by=actor.user_id)
    session.add(insp)
    _write(session, actor, insp, data, project, users, campaign, files)
    hazard_sync.after_inspection_save(session, actor, insp)
    audit.record(session, actor, "create", "inspection", insp.id, after=_snap(insp),
                 summary=f"新增监督检查 {project.name} {chinese_date(data.inspected_at)}")
    return _to_data(session, insp)


def update_inspection(session: Session, actor: Actor, data: InspectionData, *,
                      store: AttachmentStore | None = None) -> InspectionData:
    """Save the form over a saved inspection. Findings are matched by id; missing ones are deleted."""
    if data.id is None:
        raise NotFound("监督检查记录不存在。")
    insp = editable_inspection(session, actor, data.id)
    if data.version is not None and data.version != insp.version:
        raise StaleRecord("该监督检查记录")
    data, project, users, campaign = _validate(session, data, insp)
    files = _store_all(store, data)
    hazard_sync.before_inspection_save(session, actor, insp, data)
    before = _snap(insp)
    # set before _write's flush, so the row is updated (and its version bumped) once per save — also
    # when the save only touched child rows
    insp.updated_at = now()
    flag_modified(insp, "updated_at")
    _write(session, actor, insp, data, project, users, campaign, files)
    hazard_sync.after_inspection_save(session, actor, insp)
    after = _snap(insp)
    if before != after or data.new_files or any(f.new_files for f in data.findings):
        audit.record(session, actor, "update", "inspection", insp.id, before=before, after=after,
                     summary=f"修改监督检查 {project.name} {chinese_date(data.inspected_at)}")
    return _to_data(session, insp)


def get_inspection(session: Session, inspection_id: int) -> InspectionData:
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise NotFound("监督检查记录不存在。")
    return _to_data(session, insp)


def delete_inspection(session: Session, actor: Actor, inspection_id: int) -> None:
    require(actor, "inspection.delete")
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise NotFound("监督检查记录不存在。")
    hazard_sync.before_inspection_delete(session, actor, insp)
    before = _snap(insp)
    session.delete(insp)
    audit.record(session, actor, "delete", "inspection", inspection_id, before=before,
                 summary=f"删除监督检查 {chinese_date(insp.inspected_at)}")


def _to_data(session: Session, insp: Inspection) -> InspectionData:
    files = list_attachments(session, insp.id)
    by_finding: dict[int | None, list[Any]] = {}
    for a in files:
        by_finding.setdefault(a.finding_id, []).append(a)
    project = session.get(Project, insp.project_id)
    grid = session.get(Grid, insp.grid_id) if insp.grid_id else None
    campaign = session.get(Campaign, insp.campaign_id) if insp.campaign_id else None
    sheet = get_sheet(session, insp.id)
    return InspectionData(
        inspected_at=insp.inspected_at, project_id=insp.project_id,
        inspector_ids=tuple(x.user_id for x in insp.inspectors), kind=insp.kind, campaign_id=insp.campaign_id,
        weather=insp.weather, site_parts=tuple(p for p in insp.site_parts.split("、") if p),
        conclusion=insp.conclusion,
        presence=tuple(PresenceData(p.party_role, p.post, p.present, p.person_id, p.person_name, p.note)
                       for p in insp.presence),
        check_items=tuple(CheckItemData(x.source, x.label, x.result, x.code, x.note) for x in insp.check_items),
        findings=tuple(FindingData(
            description=f.description, category=f.category, level=f.level, criterion_code=f.criterion_code,
            location=f.location, requirement=f.requirement, deadline=f.deadline,
            check_item_code=f.check_item_code, origin=f.origin, origin_key=f.origin_key, id=f.id,
            criterion_edition=f.criterion_edition, attachments=tuple(by_finding.get(f.id, ())),
            deadline_provisional=f.deadline_provisional)
            for f in insp.findings),
        jgj59_entries=tuple(Jgj59EntryData(x.item_key, x.earned, x.note) for x in sheet.lines) if sheet else (),
        id=insp.id, version=insp.version,
        project_name=project.name if project else "", grid_id=insp.grid_id, grid_name=grid.name if grid else "",
        campaign_name=campaign.name if campaign else "", inspector_names=tuple(x.name for x in insp.inspectors),
        jgj59=sheet, attachments=tuple(by_finding.get(None, ())), created_by=insp.created_by,
    )
