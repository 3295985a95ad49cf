"""专项行动 (campaigns) an admin can extend, and the check-item catalog an inspection form offers.

Check items come from three catalogs: the JGJ 59 item tables and the major-hazard criteria in force
(both from the rules kernel) and the checklist of the chosen campaign (stored with the campaign).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.errors import DuplicateRecord, NotFound, StaleRecord
from station_app.models import Campaign
from station_app.models.inspection import CheckSource
from station_app.rules import hazards, jgj59
from station_app.rules.errors import RuleInputError
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.validation import Checker, clean

#: the campaigns of the city's 治本攻坚 plan a new station starts with (migration 0003 seeds the same)
DEFAULT_CAMPAIGNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("防高坠", ("临边防护", "洞口防护", "攀登与悬空作业", "操作平台与卸料平台", "安全网与安全带使用",
               "脚手架作业层防护", "电梯井与管道井防护")),
    ("消防“生命至上 隐患必除”", ("消防车通道与疏散通道", "临时消防设施与器材", "动火作业审批与看护",
                               "易燃易爆物品存放", "宿舍及办公区用电", "电气焊作业")),
    ("有限空间", ("作业审批", "先通风、再检测、后作业", "专人监护", "专项安全教育培训", "应急救援器材")),
    ("沟槽开挖", ("专项施工方案", "放坡与支护", "坑边荷载", "降排水", "监测", "上下通道")),
    ("汛期", ("防汛应急预案", "排水设施", "基坑及边坡", "临时设施加固", "塔吊等高耸设备防风", "用电防雨防漏")),
    ("冬季施工", ("冬期施工方案", "防滑措施", "取暖防火防煤气中毒", "混凝土养护", "用电安全")),
    ("起重机械", ("产权备案与使用登记", "安装验收", "安全装置", "附着与标准节连接", "司机与信号司索工持证",
                "维护保养记录")),
)


@dataclass(frozen=True)
class CampaignData:
    name: str
    checklist: tuple[str, ...] = ()
    active: bool = True
    sort_order: int = 0
    note: str = ""
    id: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class CatalogItem:
    """One check item the form can offer. ``group`` is the JGJ 59 table, criterion category or campaign."""

    source: str
    code: str
    label: str
    group: str
    full_points: Decimal | None = None
    guarantee: bool = False


def _to_data(c: Campaign) -> CampaignData:
    return CampaignData(c.name, tuple(json.loads(c.checklist_json or "[]")), c.active, c.sort_order, c.note,
                        c.id, c.version)


def list_campaigns(session: Session, *, active_only: bool = True) -> list[CampaignData]:
    stmt = select(Campaign).order_by(Campaign.sort_order, Campaign.id)
    if active_only:
        stmt = stmt.where(Campaign.active.is_(True))
    return [_to_data(c) for c in session.scalars(stmt)]


def get_campaign(session: Session, campaign_id: int) -> CampaignData:
    c = session.get(Campaign, campaign_id)
    if c is None:
        raise NotFound("专项行动不存在。")
    return _to_data(c)


def save_campaign(session: Session, actor: Actor, data: CampaignData) -> CampaignData:
    """Create (``id`` None) or update a campaign. Campaigns are deactivated, never deleted (inspections keep them)."""
    require(actor, "campaign.manage")
    name = clean(data.name)
    items = tuple(dict.fromkeys(x for x in (clean(i) for i in data.checklist) if x))
    c = Checker()
    c.required("专项行动名称", name)
    c.max_len("专项行动名称", name, 60)
    for i, item in enumerate(items, 1):
        c.max_len(f"检查要点第{i}项", item, 300)
    c.check()
    other = session.scalar(select(Campaign).where(func.lower(Campaign.name) == name.lower()))
    if other is not None and other.id != data.id:
        raise DuplicateRecord(f"专项行动“{name}”已存在。")
    checklist = json.dumps(list(items), ensure_ascii=False)
    if data.id is None:
        new = Campaign(name=name, checklist_json=checklist, active=data.active, sort_order=data.sort_order,
                       note=clean(data.note))
        session.add(new)
        session.flush()
        audit.record(session, actor, "create", "campaign", new.id, after={"name": name, "checklist": list(items)},
                     summary=f"新增专项行动 {name}")
        return _to_data(new)
    row = session.get(Campaign, data.id)
    if row is None:
        raise NotFound("专项行动不存在。")
    if data.version is not None and data.version != row.version:
        raise StaleRecord(f"专项行动“{row.name}”")
    before = {"name": row.name, "checklist": json.loads(row.checklist_json), "active": row.active}
    row.name, row.checklist_json, row.active = name, checklist, data.active
    row.sort_order, row.note = data.sort_order, clean(data.note)
    session.flush()
    audit.record(session, actor, "update", "campaign", row.id, before=before,
                 after={"name": name, "checklist": list(items), "active": data.active},
                 summary=f"修改专项行动 {name}")
    return _to_data(row)


def ensure_default_campaigns(session: Session) -> int:
    """Add any default campaign missing by name (a new station, or a wiped test database). Returns added."""
    have = {n.lower() for n in session.scalars(select(Campaign.name))}
    added = 0
    for order, (name, items) in enumerate(DEFAULT_CAMPAIGNS, 1):
        if name.lower() not in have:
            session.add(Campaign(name=name, checklist_json=json.dumps(list(items), ensure_ascii=False),
                                 active=True, sort_order=order, note=""))
            added += 1
    session.flush()
    return added


def campaign_code(campaign_id: int, index: int) -> str:
    return f"C{campaign_id}-{index}"


def check_item_catalog(session: Session, *, on: date, campaign_id: int | None = None,
                       include_criteria: bool = True) -> list[CatalogItem]:
    """JGJ 59 items, then the major-hazard criteria in force on ``on``, then the campaign's checklist."""
    out: list[CatalogItem] = []
    for table in jgj59.item_tables():
        group = f"{table.table} {table.name}"
        for spec, guarantee in [*((s, True) for s in table.guarantee), *((s, False) for s in table.general)]:
            out.append(CatalogItem(CheckSource.JGJ59.value, f"{table.table}-{spec.seq}", spec.item, group,
                                   Decimal(spec.full_points), guarantee))
    if include_criteria:
        try:
            found = hazards.criteria(on=on)
        except RuleInputError:
            found = []
        out.extend(CatalogItem(CheckSource.MAJOR_HAZARD.value, c.code, c.text, f"{c.label} {c.category}")
                   for c in found)
    if campaign_id is not None:
        camp = session.get(Campaign, campaign_id)
        if camp is not None:
            out.extend(CatalogItem(CheckSource.CAMPAIGN.value, campaign_code(camp.id, i), item, camp.name)
                       for i, item in enumerate(json.loads(camp.checklist_json or "[]"), 1))
    return out


def jgj59_item_keys() -> dict[str, tuple[str, str, Decimal]]:
    """item key ("B.1-1") → (table code, item name, full points)."""
    return {f"{t.table}-{s.seq}": (t.table, s.item, Decimal(s.full_points))
            for t in jgj59.item_tables() for s in (*t.guarantee, *t.general)}
