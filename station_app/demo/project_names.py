"""Project names the way a county's ledger reads: 宏达·御景苑二期1#-12#楼及地下车库工程, 晶都大道（和平路—牛山路段）
改造工程, 连云港晶源硅材料有限公司年产5万吨高纯石英砂项目（一期）…"""

from __future__ import annotations

import random
from decimal import Decimal

from station_app.demo import names as nm
from station_app.demo.context import EnterpriseRec
from station_app.demo.places import Area, area_rivers, area_roads


def short_town(town: str) -> str:
    """牛山街道 → 牛山, 白塔埠镇 → 白塔埠, 东海经济开发区 stays."""
    for end in ("街道", "镇", "乡"):
        if town.endswith(end) and len(town) > len(end) + 1:
            return town[: -len(end)]
    return town


def _trade_of(owner: EnterpriseRec) -> str:
    for ending in nm.DEVELOPER_ENDINGS:
        if owner.name.endswith(ending):
            return owner.name[: -len(ending)][-2:]
    return owner.name[:2]


def _road_section(rng: random.Random, roads: tuple[str, ...]) -> tuple[str, str]:
    a, b, c = rng.sample(roads, 3)
    return a, f"{a}（{b}—{c}段）"


def project_name(rng: random.Random, area: Area, sub_type: str, town: str, owner: EnterpriseRec,
                 area_m2: Decimal | None) -> str:
    pref = area.agency_prefix
    roads = area_roads(area)
    phase = rng.choice(nm.PHASES)
    st = short_town(town)
    if sub_type == "住宅":
        blocks = max(2, min(30, int((area_m2 or Decimal(20000)) / 9000) + rng.randint(0, 3)))
        return f"{_trade_of(owner)}·{rng.choice(nm.ESTATES)}{phase}1#-{blocks}#楼及地下车库工程"
    if sub_type == "安置房":
        return f"{st}{rng.choice(('新村', '家园', '佳苑', '花园', '社区'))}安置小区{phase}工程"
    if sub_type == "学校":
        school = owner.name if owner.category == "school" else pref + rng.choice(nm.SCHOOLS)
        return f"{school}{rng.choice(nm.SCHOOL_WORKS)}工程"
    if sub_type == "医院":
        hospital = owner.name if owner.category == "hospital" else pref + rng.choice(nm.HOSPITALS)
        return f"{hospital}{rng.choice(nm.HOSPITAL_WORKS)}工程"
    if sub_type == "公共建筑":
        building = rng.choice(nm.PUBLIC_BUILDINGS)
        if building == "商业综合体":
            return f"{_trade_of(owner)}广场商业综合体{phase}工程"
        return f"{pref if town.endswith('街道') else town}{building}工程"
    if sub_type == "工业厂房":
        amount = rng.choice(("5000吨", "2万吨", "5万吨", "10万吨", "100万件", "50万套", "300万片", "1GW"))
        return f"{owner.name}年产{amount}{rng.choice(nm.PRODUCTS)}项目（{rng.choice(('一期', '二期', '厂房'))}）"
    if sub_type == "装饰装修":
        return f"{owner.name}{rng.choice(nm.DECORATION_TARGETS.get(owner.category, nm.DECORATION_DEFAULT))}装饰装修工程"
    if sub_type == "其他房屋建筑":
        return f"{town}{rng.choice(nm.OTHER_BUILDINGS)}工程"
    if sub_type == "道路":
        _a, section = _road_section(rng, roads)
        return f"{section}{rng.choice(('新建', '改造', '提升改造', '拓宽改造'))}工程"
    if sub_type == "桥梁":
        return f"{rng.choice(roads)}跨{rng.choice(area_rivers(area))}{rng.choice(('大桥', '桥梁', '人行桥'))}工程"
    if sub_type == "给排水":
        works = ("污水管网", "雨污分流改造", "供水管网改造", "污水处理厂提标改造", "排涝泵站")
        return f"{town}{rng.choice(works)}工程"
    if sub_type == "燃气":
        return f"{town}天然气{rng.choice(('中压管道', '管网', '老旧管网改造'))}工程"
    if sub_type == "热力":
        return f"{pref}城区集中供热管网{phase}工程"
    if sub_type == "园林绿化":
        if rng.random() < 0.5:
            return f"{rng.choice(nm.PARKS)}公园{rng.choice(('景观提升', '新建', '绿化'))}工程"
        return f"{rng.choice(roads)}绿化提升工程"
    if sub_type == "照明":
        return f"{rng.choice(roads)}路灯照明{rng.choice(('新建', '改造'))}工程"
    if sub_type == "综合管廊":
        return f"{rng.choice(roads)}综合管廊工程"
    return f"{town}{rng.choice(('公共停车场', '城市驿站', '农贸市场配套道路', '环卫设施'))}工程"


def unique(name: str, taken: set[str]) -> str:
    """Same-named works are told apart by 标段, as ledgers do."""
    if name not in taken:
        taken.add(name)
        return name
    for i, ordinal in enumerate(nm.ORDINALS * 10):
        candidate = f"{name}（{ordinal}标段）" if i < len(nm.ORDINALS) else f"{name}（{i + 1}号标段）"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise RuntimeError("演示数据：项目名称用尽")  # pragma: no cover
