"""Places for demo data: Lianyungang's districts and counties with their towns, grids and roads;
where out-of-town contractors come from; area codes seen in workers' ID numbers.

Division codes are GB/T 2260 codes, except the two national development zones, which carry the
statistics bureau's 统计用区划代码 (320771, 320772). Town lists are the 乡镇/街道 in use around 2023;
a 片区 (development zone) is a place projects are filed under although it is no township.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY = "连云港市"
CITY_CODE = "320700"
PROVINCE = "江苏省"


@dataclass(frozen=True)
class Area:
    """A district, county or development zone a station can supervise."""

    name: str
    code: str
    towns: tuple[str, ...]
    zones: tuple[str, ...] = ()
    #: grid name → towns/片区, in display order; empty means "derive from the town list"
    grids: tuple[tuple[str, tuple[str, ...]], ...] = ()
    roads: tuple[str, ...] = ()
    rivers: tuple[str, ...] = ()
    #: area codes in its residents' ID numbers, when not just ``code`` (older and parent codes)
    id_codes: tuple[str, ...] = ()

    @property
    def agency_prefix(self) -> str:
        """How its government bodies are named: 东海县…, 连云港市海州区…, 连云港经济技术开发区…"""
        return f"{CITY}{self.name}" if self.name.endswith("区") and not self.name.startswith("连云港") else self.name

    @property
    def places(self) -> tuple[str, ...]:
        """Where projects can be: the towns, then the development zones."""
        return self.towns + self.zones


_GENERIC_ROADS = ("人民路", "建设路", "解放路", "幸福路", "振兴路", "滨河路", "朝阳路", "新华路", "文化路",
                  "工业大道", "纬一路", "纬二路", "经三路", "经五路", "迎宾大道", "育才路", "园区大道", "通港路")

DONGHAI = Area(
    name="东海县", code="320722",
    towns=("牛山街道", "石榴街道", "白塔埠镇", "黄川镇", "石梁河镇", "青湖镇", "温泉镇", "双店镇", "桃林镇",
           "洪庄镇", "安峰镇", "房山镇", "平明镇", "驼峰乡", "李埝乡", "山左口乡", "石湖乡", "曲阳乡", "张湾乡"),
    zones=("东海经济开发区", "东海高新区"),
    grids=(
        ("城区网格", ("牛山街道", "石榴街道")),
        ("开发区网格", ("东海经济开发区", "东海高新区")),
        ("东部网格", ("白塔埠镇", "黄川镇", "驼峰乡", "张湾乡", "石湖乡")),
        ("南部网格", ("房山镇", "平明镇", "安峰镇", "曲阳乡")),
        ("西部网格", ("温泉镇", "双店镇", "李埝乡", "洪庄镇")),
        ("北部网格", ("桃林镇", "山左口乡", "石梁河镇", "青湖镇")),
    ),
    roads=("晶都大道", "和平路", "牛山路", "西双湖大道", "青松岭路", "富民路", "金鸡路", "东海大道", "水晶路",
           "石榴路", "海陵路", "白塔路", "驼峰路", "温泉大道", "晶港路", "昌平路", "郁州路", "双湖路"),
    rivers=("石安河", "鲁兰河", "马陵河", "蔷薇河", "龙梁河", "西双湖"),
)

AREAS: tuple[Area, ...] = (
    DONGHAI,
    Area(
        name="海州区", code="320706", id_codes=("320706", "320705"),
        towns=("新海街道", "新南街道", "新东街道", "浦西街道", "浦东街道", "路南街道", "洪门街道", "海州街道",
               "幸福路街道", "朐阳街道", "宁海街道", "新坝镇", "锦屏镇", "板浦镇", "浦南镇"),
        roads=("海连路", "通灌路", "朝阳路", "解放路", "人民路", "建设路", "郁洲路", "苍梧路", "龙河路", "凌州路",
               "巨龙路", "海宁大道", "秦东门大街", "花果山大道"),
        rivers=("蔷薇河", "玉带河", "龙尾河", "大浦河", "东盐河"),
    ),
    Area(
        name="连云区", code="320703",
        towns=("墟沟街道", "连云街道", "云山街道", "板桥街道", "连岛街道", "宿城街道", "高公岛街道", "徐圩街道",
               "前三岛乡"),
        zones=("徐圩新区",),
        roads=("中山路", "海棠路", "海滨大道", "港城大道", "陇海路", "连云港大道", "平山路", "北固山路"),
        rivers=("烧香河", "埒子河"),
    ),
    Area(
        name="赣榆区", code="320707", id_codes=("320707", "320721", "320721"),
        towns=("青口镇", "柘汪镇", "石桥镇", "金山镇", "黑林镇", "厉庄镇", "海头镇", "塔山镇", "赣马镇", "班庄镇",
               "城头镇", "城西镇", "宋庄镇", "沙河镇", "墩尚镇"),
        zones=("赣榆经济开发区", "赣榆海洋经济开发区"),
        roads=("黄海路", "青口路", "沙河路", "宁海路", "朝阳路", "华中路", "海州路", "金海路"),
        rivers=("青口河", "龙王河", "朱稽河", "兴庄河"),
    ),
    Area(
        name="灌云县", code="320723",
        towns=("侍庄街道", "伊山镇", "杨集镇", "燕尾港镇", "同兴镇", "四队镇", "圩丰镇", "龙苴镇", "下车镇",
               "图河镇", "东王集镇", "南岗乡", "小伊乡"),
        zones=("灌云经济开发区", "灌云临港产业区"),
        roads=("胜利路", "振兴路", "人民路", "和平路", "伊山路", "云台山路", "陡沟路", "东方大道"),
        rivers=("叮当河", "东门河", "车轴河"),
    ),
    Area(
        name="灌南县", code="320724",
        towns=("新安镇", "堆沟港镇", "田楼镇", "北陈集镇", "张店镇", "三口镇", "孟兴庄镇", "汤沟镇", "百禄镇",
               "新集镇", "李集镇"),
        zones=("灌南经济开发区", "连云港化工产业园区"),
        roads=("人民路", "新民路", "长江路", "淮河路", "黄河路", "海西路", "汤沟大道", "硕湖路"),
        rivers=("硕项湖", "武障河", "一帆河", "新沂河"),
    ),
    Area(
        name="连云港经济技术开发区", code="320771", id_codes=("320703", "320706"),
        towns=("猴嘴街道", "朝阳街道", "中云街道"),
        zones=("临港产业区", "大浦工业区"),
        roads=("黄河路", "长江路", "珠江路", "昆仑山路", "泰山路", "华山路", "峨眉山路", "大浦路", "新光路"),
        rivers=("大浦河", "妇联河"),
    ),
    Area(
        name="连云港高新技术产业开发区", code="320772", id_codes=("320706", "320705"),
        towns=("花果山街道", "南城街道", "云台街道"),
        zones=("宋跳高新区",),
        roads=("花果山大道", "瀛洲路", "苍梧路", "宋跳路", "高新大道", "振华路"),
        rivers=("东盐河", "排淡河"),
    ),
)

_BY_CODE = {a.code: a for a in AREAS}


def area_by_code(code: str) -> Area | None:
    return _BY_CODE.get(code)


def area_roads(area: Area) -> tuple[str, ...]:
    return area.roads or _GENERIC_ROADS


def area_rivers(area: Area) -> tuple[str, ...]:
    return area.rivers or ("城东河", "城西河", "南干渠")


_ORDINALS = ("一", "二", "三", "四", "五", "六")
_DIRECTIONS = ("东部", "西部", "南部", "北部", "中部", "东北部", "西南部", "东南部", "西北部")


def _split(places: list[str], size: int) -> list[tuple[str, ...]]:
    groups = max(1, round(len(places) / size))
    return [tuple(places[i::groups]) for i in range(groups)]


def area_grids(area: Area) -> list[tuple[str, tuple[str, ...]]]:
    """The grids a station of this area works with: its own list, or 城区 (街道, up to about five per grid),
    开发区, and groups of about four towns named by direction."""
    if area.grids:
        return list(area.grids)
    streets = [t for t in area.towns if t.endswith("街道")]
    rural = [t for t in area.towns if not t.endswith("街道")]
    grids: list[tuple[str, tuple[str, ...]]] = []
    if streets:
        groups = _split(streets, 5)
        grids += [(f"城区{_ORDINALS[i] if len(groups) > 1 else ''}网格", g) for i, g in enumerate(groups)]
    if area.zones:
        grids.append(("开发区网格", area.zones))
    if rural:
        groups = _split(rural, 4)
        grids += [(f"{_DIRECTIONS[i] if len(groups) > 1 else '乡镇'}网格", g) for i, g in enumerate(groups)]
    return grids


@dataclass(frozen=True)
class Origin:
    """Where an enterprise is registered: name prefixes it uses, its address, division code, and the
    province abbreviation on its permits and its staff's certificates."""

    prefixes: tuple[str, ...]
    place: str
    code: str
    abbr: str
    #: area codes of its staff's ID numbers (besides the local labour market)
    id_codes: tuple[str, ...]
    weight: int


#: the local labour market: Lianyungang (with pre-2014 codes: 320721 赣榆县, 320705 新浦区) and its
#: neighbours 沭阳/泗阳/泗洪, 新沂/邳州, 郯城/兰陵, 涟水
LOCAL_ID_CODES = ("320722", "320723", "320724", "320721", "320707", "320706", "320705", "320703", "321322",
                  "321323", "321324", "320381", "320382", "371322", "371324", "320826")


def local_id_codes(area: Area) -> tuple[str, ...]:
    """ID area codes of the local labour market, the station's own area repeated so it dominates."""
    return (area.id_codes or (area.code,)) * 8 + LOCAL_ID_CODES


def local_origins(area: Area) -> tuple[Origin, ...]:
    """The station's own area and the rest of Lianyungang."""
    own_prefixes = (area.name, "连云港", "江苏") if area.name.endswith("县") else ("连云港", "江苏")
    here = Origin(own_prefixes, f"{PROVINCE}{CITY}{area.name}", area.code, "苏", (), 60)
    others = tuple(Origin(("连云港", "江苏"), f"{PROVINCE}{CITY}{a.name}", a.code, "苏", (), 6)
                   for a in AREAS if a.code != area.code)
    return (here, *others)


#: contractors, supervisors and designers from elsewhere (names invented; codes are real districts)
OUTSIDE_ORIGINS: tuple[Origin, ...] = (
    Origin(("江苏",), "江苏省南京市建邺区", "320105", "苏", ("320102", "320115", "320124"), 8),
    Origin(("江苏", "南京"), "江苏省南京市鼓楼区", "320106", "苏", ("320106", "320111"), 4),
    Origin(("南通", "江苏"), "江苏省南通市崇川区", "320602", "苏", ("320682", "320623", "320684"), 6),
    Origin(("如皋", "南通"), "江苏省如皋市", "320682", "苏", ("320682",), 3),
    Origin(("徐州", "江苏"), "江苏省徐州市云龙区", "320303", "苏", ("320321", "320322", "320324", "320382"), 4),
    Origin(("宿迁", "江苏"), "江苏省宿迁市宿城区", "321302", "苏", ("321302", "321322", "321324"), 4),
    Origin(("淮安", "江苏"), "江苏省淮安市清江浦区", "320812", "苏", ("320826", "320804", "320831"), 3),
    Origin(("盐城", "江苏"), "江苏省盐城市亭湖区", "320902", "苏", ("320921", "320922", "320923"), 3),
    Origin(("临沂", "山东"), "山东省临沂市兰山区", "371302", "鲁", ("371302", "371321", "371322", "371324"), 4),
    Origin(("日照", "山东"), "山东省日照市东港区", "371102", "鲁", ("371102", "371121"), 2),
    Origin(("安徽", "合肥"), "安徽省合肥市蜀山区", "340104", "皖", ("340104", "341321", "341322", "341302"), 2),
    Origin(("浙江", "杭州"), "浙江省杭州市西湖区", "330106", "浙", ("330106", "330782", "330621"), 2),
    Origin(("上海",), "上海市浦东新区", "310115", "沪", ("310115", "310110"), 1),
)
