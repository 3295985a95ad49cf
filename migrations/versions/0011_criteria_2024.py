"""criteria_2024: the real 2024 major-hazard standard (建质规〔2024〕5号, 18 articles, 53 items) replaces the
first 2024 rows, which were copies of the 2022 items; stored 2024 judgements are re-mapped to the right item

Hazards, inspection findings and 重大隐患 check items stored with one of the old 2024 codes are re-mapped by
the item's wording, one audit row each (actor 系统升级). What finds no clear match keeps its code and is
listed in the new table ``criterion_remap_reviews`` (判定条款待复核) for the chief to decide.

Reference data: the database holds copies of the shipped rows (``reference_rows``). Old 2024 criteria rows
the standard does not have (2024-10, -12, -14, -15) are deleted, and so are old 2024 rows an admin had
edited (the edit was of a wrong copy; its content is kept in the audit row); at start the app copies the
corrected shipped rows in (``services.reference.sync_shipped``). Rows an admin added are left alone.

Both tables of texts are frozen here, so this migration does the same on every database whatever the
shipped JSON says later.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""
from __future__ import annotations

import difflib
import json
import unicodedata
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import station_app.db.base
from station_app import clock
from station_app.rules.hazards import chinese_number

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "系统升级"

#: the 2024 rows as shipped up to revision 0010: code → (category, text)
OLD_2024: dict[str, tuple[str, str]] = {
    "2024-4-1": ("施工安全管理", "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动"),
    "2024-4-2": ("施工安全管理", "施工单位的主要负责人、项目负责人、专职安全生产管理人员未取得安全生产考核合格证书从事相关工作"),
    "2024-4-3": ("施工安全管理", "建筑施工特种作业人员未取得特种作业人员操作资格证书上岗作业"),
    "2024-4-4": ("施工安全管理", "危险性较大的分部分项工程未编制、未审核专项施工方案，或未按规定组织专家对“超过一定规模的危险性较大的分部分项工程范围”的专项施工方案进行论证"),
    "2024-5-1": ("基坑工程", "对因基坑工程施工可能造成损害的毗邻重要建筑物、构筑物和地下管线等，未采取专项防护措施"),
    "2024-5-2": ("基坑工程", "基坑土方超挖且未采取有效措施"),
    "2024-5-3": ("基坑工程", "深基坑施工未进行第三方监测"),
    "2024-5-4": ("基坑工程", "有下列基坑坍塌风险预兆之一，且未及时处理：1.支护结构或周边建筑物变形值超过设计变形控制值；2.基坑侧壁出现大量漏水、流土；3.基坑底部出现管涌；4.桩间土流失孔洞深度超过桩径"),
    "2024-6-1": ("模板工程及支撑体系", "模板工程的地基基础承载力和变形不满足设计要求"),
    "2024-6-2": ("模板工程及支撑体系", "模板支架承受的施工荷载超过设计值"),
    "2024-6-3": ("模板工程及支撑体系", "模板支架拆除及滑模、爬模爬升时，混凝土强度未达到设计或规范要求"),
    "2024-6-4": ("模板工程及支撑体系", "危险性较大的混凝土模板支撑工程未按专项施工方案要求的顺序或分层厚度浇筑混凝土"),
    "2024-7-1": ("脚手架工程", "脚手架工程的地基基础承载力和变形不满足设计要求"),
    "2024-7-2": ("脚手架工程", "未设置连墙件或连墙件整层缺失"),
    "2024-7-3": ("脚手架工程", "附着式升降脚手架的防倾覆、防坠落或同步升降控制装置不符合设计要求、失效、被人为拆除破坏"),
    "2024-8-1": ("起重机械及吊装工程", "塔式起重机、施工升降机、物料提升机等起重机械设备未经验收合格即投入使用，或未按规定办理使用登记"),
    "2024-8-2": ("起重机械及吊装工程", "塔式起重机独立起升高度、附着间距和最高附着以上的最大悬高及垂直度不符合规范要求"),
    "2024-8-3": ("起重机械及吊装工程", "施工升降机附着间距和最高附着以上的最大悬高及垂直度不符合规范要求"),
    "2024-8-4": ("起重机械及吊装工程", "起重机械安装、拆卸、顶升加节以及附着前未对结构件、顶升机构和附着装置以及高强度螺栓、销轴、定位板等连接件及安全装置进行检查"),
    "2024-8-5": ("起重机械及吊装工程", "建筑起重机械的安全装置不齐全、失效或者被违规拆除、破坏"),
    "2024-8-6": ("起重机械及吊装工程", "施工升降机防坠安全器超过定期检验有效期，标准节连接螺栓缺失或失效"),
    "2024-8-7": ("起重机械及吊装工程", "建筑起重机械的地基基础承载力和变形不满足设计要求"),
    "2024-9-1": ("高处作业", "钢结构、网架安装用支撑结构地基基础承载力和变形不满足设计要求，钢结构、网架安装用支撑结构未按设计要求设置防倾覆装置"),
    "2024-9-2": ("高处作业", "单榀钢桁架（屋架）安装时未采取防失稳措施"),
    "2024-9-3": ("高处作业", "悬挑式操作平台的搁置点、拉结点、支撑点未设置在稳定的主体结构上，且未做可靠连接"),
    "2024-10": ("施工临时用电", "特殊作业环境（隧道、人防工程，高温、有导电灰尘、比较潮湿等作业环境）照明未按规定使用安全电压"),
    "2024-11-1": ("有限空间作业", "有限空间作业未履行“作业审批制度”，未对施工人员进行专项安全教育培训，未执行“先通风、再检测、后作业”原则"),
    "2024-11-2": ("有限空间作业", "有限空间作业时现场未有专人负责监护工作"),
    "2024-12": ("拆除工程", "拆除施工作业顺序不符合规范和施工方案要求"),
    "2024-13-1": ("暗挖工程", "作业面带水施工未采取相关措施，或地下水控制措施失效且继续施工"),
    "2024-13-2": ("暗挖工程", "施工时出现涌水、涌沙、局部坍塌，支护结构扭曲变形或出现裂缝，且有不断增大趋势，未及时采取措施"),
    "2024-14": ("施工工艺、设备和材料", "使用危害程度较大、可能导致群死群伤或造成重大经济损失的施工工艺、设备和材料"),
    "2024-15": ("其他", "其他严重违反房屋市政工程安全生产法律法规、部门规章及强制性标准，且存在危害程度较大、可能导致群死群伤或造成重大经济损失的现实危险"),
}

#: the 2024 items of the standard as shipped with this revision: code → (category, text)
NEW_2024: dict[str, tuple[str, str]] = {
    "2024-4-1": ("施工安全管理", "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动或超（无）资质承揽工程"),
    "2024-4-2": ("施工安全管理", "建筑施工企业未按照规定要求足额配备安全生产管理人员，或其主要负责人、项目负责人、专职安全生产管理人员未取得有效安全生产考核合格证书从事相关工作"),
    "2024-4-3": ("施工安全管理", "建筑施工特种作业人员未取得有效特种作业人员操作资格证书上岗作业"),
    "2024-4-4": ("施工安全管理", "危险性较大的分部分项工程未编制、未审核专项施工方案，或专项施工方案存在严重缺陷的，或未按规定组织专家对“超过一定规模的危险性较大的分部分项工程范围”的专项施工方案进行论证"),
    "2024-4-5": ("施工安全管理", "对于按照规定需要验收的危险性较大的分部分项工程，未经验收合格即进入下一道工序或投入使用"),
    "2024-5-1": ("基坑、边坡工程", "未对因基坑、边坡工程施工可能造成损害的毗邻建筑物、构筑物和地下管线等，采取专项防护措施"),
    "2024-5-2": ("基坑、边坡工程", "基坑、边坡土方超挖且未采取有效措施"),
    "2024-5-3": ("基坑、边坡工程", "深基坑、高边坡（一级、二级）施工未进行第三方监测"),
    "2024-5-4": ("基坑、边坡工程", "有下列基坑、边坡坍塌风险预兆之一，且未及时处理：1.支护结构或周边建筑物变形值超过设计变形控制值；2.基坑侧壁出现大量漏水、流土；3.基坑底部出现管涌或突涌；4.桩间土流失孔洞深度超过桩径"),
    "2024-6-1": ("模板工程及支撑体系", "模板支架的基础承载力和变形不满足设计要求"),
    "2024-6-2": ("模板工程及支撑体系", "模板支架承受的施工荷载超过设计值"),
    "2024-6-3": ("模板工程及支撑体系", "模板支架拆除及滑模、爬模爬升时，混凝土强度未达到设计或规范要求"),
    "2024-6-4": ("模板工程及支撑体系", "危险性较大的混凝土模板支撑工程未按专项施工方案要求的顺序或分层厚度浇筑混凝土"),
    "2024-7-1": ("脚手架工程", "脚手架工程的基础承载力和变形不满足设计要求"),
    "2024-7-2": ("脚手架工程", "未设置连墙件或连墙件整层缺失"),
    "2024-7-3": ("脚手架工程", "附着式升降脚手架的防倾覆、防坠落或同步升降控制装置不符合设计要求、失效或缺失"),
    "2024-8-1": ("建筑起重机械及吊装工程", "塔式起重机、施工升降机、物料提升机等起重机械设备未经验收合格即投入使用，或未按规定办理使用登记"),
    "2024-8-2": ("建筑起重机械及吊装工程", "建筑起重机械的基础承载力和变形不满足设计要求"),
    "2024-8-3": ("建筑起重机械及吊装工程", "建筑起重机械安装、拆卸、爬升（降）以及附着前未对结构件、爬升装置和附着装置以及高强度螺栓、销轴、定位板等连接件及安全装置进行检查"),
    "2024-8-4": ("建筑起重机械及吊装工程", "建筑起重机械的安全装置不齐全、失效或者被违规拆除、破坏"),
    "2024-8-5": ("建筑起重机械及吊装工程", "建筑起重机械主要受力构件有可见裂纹、严重锈蚀、塑性变形、开焊，或其连接螺栓、销轴缺失或失效"),
    "2024-8-6": ("建筑起重机械及吊装工程", "施工升降机附着间距和最高附着以上的最大悬高及垂直度不符合规范要求"),
    "2024-8-7": ("建筑起重机械及吊装工程", "塔式起重机独立起升高度、附着间距和最高附着以上的最大悬高及垂直度不符合规范要求"),
    "2024-8-8": ("建筑起重机械及吊装工程", "塔式起重机与周边建（构）筑物或群塔作业未保持安全距离"),
    "2024-8-9": ("建筑起重机械及吊装工程", "使用达到报废标准的建筑起重机械，或使用达到报废标准的吊索具进行起重吊装作业"),
    "2024-9-1": ("高处作业", "钢结构、网架安装用支撑结构基础承载力和变形不满足设计要求，钢结构、网架安装用支撑结构超过设计承载力或未按设计要求设置防倾覆装置"),
    "2024-9-2": ("高处作业", "单榀钢桁架（屋架）等预制构件安装时未采取防失稳措施"),
    "2024-9-3": ("高处作业", "悬挑式卸料平台的搁置点、拉结点、支撑点未设置在稳定的主体结构上，且未做可靠连接"),
    "2024-9-4": ("高处作业", "脚手架与结构外表面之间贯通未采取水平防护措施，或电梯井道内贯通未采取水平防护措施且电梯井口未设置防护门"),
    "2024-9-5": ("高处作业", "高处作业吊篮超载使用，或安全锁失效、安全绳（用于挂设安全带）未独立悬挂"),
    "2024-10-1": ("施工临时用电", "特殊作业环境（通风不畅、高温、有导电灰尘、相对湿度长期超过75%、泥泞、存在积水或其他导电液体等不利作业环境）照明未按规定使用安全电压"),
    "2024-10-2": ("施工临时用电", "在建工程及脚手架、机械设备、场内机动车道与外电架空线路之间的安全距离不符合规范要求且未采取防护措施"),
    "2024-11-1": ("有限空间作业", "未辨识施工现场有限空间，且未在显著位置设置警示标志"),
    "2024-11-2": ("有限空间作业", "有限空间作业未履行“作业审批制度”，未对施工人员进行专项安全教育培训，未执行“先通风、再检测、后作业”原则"),
    "2024-11-3": ("有限空间作业", "有限空间作业时现场无专人负责监护工作，或无专职安全生产管理人员现场监督"),
    "2024-11-4": ("有限空间作业", "有限空间作业现场未配备必要的气体检测、机械通风、呼吸防护及应急救援设施设备"),
    "2024-12-1": ("拆除工程", "装饰装修工程拆除承重结构未经原设计单位或具有相应资质条件的设计单位进行结构复核"),
    "2024-12-2": ("拆除工程", "拆除施工作业顺序不符合规范和施工方案要求"),
    "2024-13-1": ("隧道工程", "作业面带水施工未采取相关措施，或地下水控制措施失效且继续施工"),
    "2024-13-2": ("隧道工程", "施工时出现涌水、涌沙、局部坍塌，支护结构扭曲变形或出现裂缝，未及时采取措施"),
    "2024-13-3": ("隧道工程", "未按规范或施工方案要求选择开挖、支护方法，或未按规定开展超前地质预报、监控量测，或监测数据超过设计控制值且未及时采取措施"),
    "2024-13-4": ("隧道工程", "盾构机始发、接收端头未按设计进行加固，或加固效果未达到要求且未采取措施即开始施工"),
    "2024-13-5": ("隧道工程", "盾构机盾尾密封失效、铰链部位发生渗漏仍继续掘进作业，或盾构机带压开仓检查换刀未按有关规定实施"),
    "2024-13-6": ("隧道工程", "未对因施工可能造成损害的毗邻建筑物、构筑物和地下管线等，采取专项防护措施"),
    "2024-13-7": ("隧道工程", "未经批准，在轨道交通工程安全保护区范围内进行新（改、扩）建建（构）筑物、敷设管线、架空、挖掘、爆破等作业"),
    "2024-14-1": ("施工临时堆载", "基坑周边堆载超过设计允许值"),
    "2024-14-2": ("施工临时堆载", "无支护基坑（槽）周边，在坑底边线周边与开挖深度相等范围内堆载"),
    "2024-14-3": ("施工临时堆载", "楼板、屋面和地下室顶板等结构构件或脚手架上堆载超过设计允许值"),
    "2024-15-1": ("冒险作业", "使用混凝土泵车、打桩设备、汽车起重机、履带起重机等大型机械设备，未校核其运行路线及作业位置承载能力"),
    "2024-15-2": ("冒险作业", "在雷雨、大雪、浓雾或大风等恶劣天气条件下违规进行吊装作业、设备安装、拆卸和高处作业"),
    "2024-15-3": ("冒险作业", "施工现场使用塔式起重机、汽车起重机、履带起重机或轮胎起重机等非载人设备吊运人员"),
    "2024-16": ("施工工艺、设备和材料", "使用国家明令禁止和限制使用的危害程度较大、可能导致群死群伤或造成重大经济损失的施工工艺、设备和材料"),
    "2024-17": ("其他", "其他严重违反房屋市政工程安全生产法律法规、部门规章及强制性标准，且存在危害程度较大、可能导致群死群伤或造成重大经济损失的现实危险"),
}

#: items the 2024 edition narrowed: a record judged under the broader old wording may not meet them
#: (2024 第十六条 adds “国家明令禁止和限制使用的”; what is not on that list may fall under 第十七条)
NARROWED: dict[str, str] = {
    "2024-16": "2024版第十六条限于国家明令禁止和限制使用的工艺、设备和材料，请核实原判定是否仍符合（否则可按第十七条）",
}

#: Similarity (difflib ratio of the normalised heading + text) a match needs, and by how much it must beat
#: the runner-up. Measured on the 33 old rows: every right match scores ≥ 0.667 (the lowest is 第十条, whose
#: list of environments 2024 rewrote), the one row 2024 dropped (升降机防坠安全器) scores 0.44 at best, so
#: 0.6 separates them. The closest runner-up of a right match is 第十三条(六) for 第五条(一) (0.854 vs 0.911):
#: the same neighbour-protection wording under 隧道工程, told apart only by the heading, so 0.05.
THRESHOLD = 0.6
MARGIN = 0.05


def normalise(text: str) -> str:
    """The text without punctuation, symbols or whitespace (Chinese and ASCII alike)."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZS" and not ch.isspace())


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def match(old_code: str) -> tuple[str | None, str | None, str]:
    """(new code, suggested code, reason) for an old 2024 code: a new code when the wording matches one
    2024 item clearly; otherwise None, the closest item (if any comes near) and why it needs a human look."""
    category, text = OLD_2024[old_code]
    old = normalise(text)
    exact = [code for code, (_c, t) in NEW_2024.items() if normalise(t) == old]
    contained = [code for code, (_c, t) in NEW_2024.items() if old in normalise(t) or normalise(t) in old]
    if len(exact) == 1:
        found: str | None = exact[0]
    elif len(contained) == 1:
        found = contained[0]
    else:
        scored = sorted(((_ratio(normalise(category + text), normalise(c + t)), code)
                         for code, (c, t) in NEW_2024.items()), reverse=True)
        (best, best_code), (second, _s) = scored[0], scored[1]
        if best < THRESHOLD:
            near = best_code if best >= THRESHOLD / 2 else None
            return None, near, "2024版没有与原条文对应的条款"
        if best - second < MARGIN:
            return None, best_code, "2024版有两条以上条款与原条文相近"
        found = best_code
    if found in NARROWED:
        return None, found, NARROWED[found]
    return found, None, ""


def label(code: str) -> str:
    parts = [int(p) for p in code.split("-")[1:]]
    text = f"第{chinese_number(parts[0])}条"
    return text + (f"第({chinese_number(parts[1])})项" if len(parts) > 1 else "")


_audit = sa.table("audit_log", sa.column("at", sa.DateTime), sa.column("user_id", sa.Integer),
                  sa.column("username", sa.String), sa.column("action", sa.String),
                  sa.column("entity_type", sa.String), sa.column("entity_id", sa.Integer),
                  sa.column("summary", sa.String), sa.column("before_json", sa.Text),
                  sa.column("after_json", sa.Text))
_reviews = sa.table("criterion_remap_reviews", sa.column("record_kind", sa.String),
                    sa.column("record_id", sa.Integer), sa.column("old_code", sa.String),
                    sa.column("old_text", sa.Text), sa.column("suggested_code", sa.String),
                    sa.column("reason", sa.String), sa.column("created_at", sa.DateTime))


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


class _Writer:
    """Collects the audit and review rows of the upgrade and writes them in one go."""

    def __init__(self) -> None:
        self.at = clock.now()
        self.audit: list[dict[str, Any]] = []
        self.reviews: list[dict[str, Any]] = []

    def audited(self, action: str, entity_type: str, entity_id: int, summary: str,
                before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        self.audit.append({"at": self.at, "user_id": None, "username": ACTOR, "action": action,
                           "entity_type": entity_type, "entity_id": entity_id, "summary": summary[:300],
                           "before_json": None if before is None else _dumps(before),
                           "after_json": None if after is None else _dumps(after)})

    def review(self, kind: str, record_id: int, old_code: str, suggested: str | None, reason: str) -> None:
        self.reviews.append({"record_kind": kind, "record_id": record_id, "old_code": old_code,
                             "old_text": OLD_2024[old_code][1], "suggested_code": suggested,
                             "reason": reason, "created_at": self.at})

    def flush(self, conn: sa.Connection) -> None:
        if self.audit:
            conn.execute(_audit.insert(), self.audit)
        if self.reviews:
            conn.execute(_reviews.insert(), self.reviews)


def _remap_judgements(conn: sa.Connection, w: _Writer, mapping: dict[str, tuple[str | None, str | None, str]]) -> None:
    """Hazards and findings: the code (and the category, where it was the old item's heading)."""
    hazards = sa.table("hazards", sa.column("id", sa.Integer), sa.column("code", sa.String),
                       sa.column("criterion_code", sa.String), sa.column("category", sa.String),
                       sa.column("version", sa.Integer))
    findings = sa.table("inspection_findings", sa.column("id", sa.Integer), sa.column("inspection_id", sa.Integer),
                        sa.column("criterion_code", sa.String), sa.column("category", sa.String))
    for kind, table in (("hazard", hazards), ("finding", findings)):
        cols = [table.c.id, table.c.criterion_code, table.c.category,
                table.c.code if kind == "hazard" else table.c.inspection_id]
        rows = conn.execute(sa.select(*cols).where(table.c.criterion_code.in_(list(OLD_2024)))
                            .order_by(table.c.id)).all()
        for rid, old_code, category, ref in rows:
            new_code, suggested, reason = mapping[old_code]
            if new_code is None:
                w.review(kind, rid, old_code, suggested, reason)
                continue
            new_category = NEW_2024[new_code][0] if category == OLD_2024[old_code][0] else category
            if (new_code, new_category) == (old_code, category):
                continue
            values: dict[str, Any] = {"criterion_code": new_code, "category": new_category}
            if kind == "hazard":
                values["version"] = table.c.version + 1
            conn.execute(table.update().where(table.c.id == rid).values(**values))
            before = {"criterion_code": old_code, "category": category}
            after = {"criterion_code": new_code, "category": new_category}
            change = f"判定依据2024版{label(old_code)}→{label(new_code)}" if new_code != old_code \
                else f"判定依据2024版{label(new_code)}的类别→{new_category}"
            if kind == "hazard":
                w.audited("update", "hazard", rid, f"判定标准2024版更正：隐患 {ref} {change}", before, after)
            else:
                w.audited("update", "inspection", ref, f"判定标准2024版更正：检查发现的问题（编号{rid}）{change}",
                          {"finding_id": rid, **before}, {"finding_id": rid, **after})


def _remap_check_items(conn: sa.Connection, w: _Writer, mapping: dict[str, tuple[str | None, str | None, str]]) -> None:
    """重大隐患 check items: the code only (the label keeps the wording that was checked)."""
    items = sa.table("inspection_check_items", sa.column("id", sa.Integer), sa.column("inspection_id", sa.Integer),
                     sa.column("source", sa.String), sa.column("code", sa.String))
    rows = conn.execute(sa.select(items.c.id, items.c.inspection_id, items.c.code)
                        .where(items.c.source == "重大隐患", items.c.code.in_(list(OLD_2024)))
                        .order_by(items.c.id)).all()
    for rid, inspection_id, old_code in rows:
        new_code = mapping[old_code][0]
        if new_code is None or new_code == old_code:
            continue
        conn.execute(items.update().where(items.c.id == rid).values(code=new_code))
        w.audited("update", "inspection", inspection_id,
                  f"判定标准2024版更正：检查项目（编号{rid}）2024版{label(old_code)}→{label(new_code)}",
                  {"check_item_id": rid, "code": old_code}, {"check_item_id": rid, "code": new_code})


def _drop_stale_reference_rows(conn: sa.Connection, w: _Writer) -> None:
    ref = sa.table("reference_rows", sa.column("id", sa.Integer), sa.column("dataset", sa.String),
                   sa.column("key", sa.String), sa.column("payload_json", sa.Text),
                   sa.column("shipped_json", sa.Text), sa.column("modified", sa.Boolean))
    rows = conn.execute(sa.select(ref.c.id, ref.c.key, ref.c.payload_json, ref.c.modified).where(
        ref.c.dataset == "hazard_criteria", ref.c.key.in_(list(OLD_2024)), ref.c.shipped_json.is_not(None))).all()
    for rid, key, payload, modified in rows:
        if key in NEW_2024 and not modified:
            continue  # the app's start-up sync brings it up to date
        conn.execute(ref.delete().where(ref.c.id == rid))
        if modified:
            w.audited("delete", "reference", rid,
                      f"判定标准2024版更正：管理员修改过的旧2024版条款 {key} 已删除（原内容见修改前），启动时载入更正后的条款",
                      json.loads(payload), None)


def upgrade() -> None:
    op.create_table(
        "criterion_remap_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(length=10), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("old_code", sa.String(length=40), nullable=False),
        sa.Column("old_text", sa.Text(), nullable=False),
        sa.Column("suggested_code", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", station_app.db.base.LocalDateTime(), nullable=False),
        sa.Column("chosen_code", sa.String(length=40), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", station_app.db.base.LocalDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["reviewed_by"], ["users.id"],
                                name=op.f("fk_criterion_remap_reviews_reviewed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion_remap_reviews")),
        sa.UniqueConstraint("record_kind", "record_id", "old_code",
                            name=op.f("uq_criterion_remap_reviews_record_kind_record_id_old_code")),
    )
    conn = op.get_bind()
    mapping = {code: match(code) for code in OLD_2024}
    w = _Writer()
    _remap_judgements(conn, w, mapping)
    _remap_check_items(conn, w, mapping)
    _drop_stale_reference_rows(conn, w)
    w.flush(conn)


def downgrade() -> None:
    """Drops the 待复核 list; re-mapped codes stay (the old 2024 rows were wrong)."""
    op.drop_table("criterion_remap_reviews")
