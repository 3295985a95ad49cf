"""Field specifications of the reference datasets (for the admin editor and for validation).

Every row of every dataset carries the common fields (``key``, ``source``, ``confidence``,
``effective_from``, ``effective_to``, ``note``) followed by the dataset's own fields.
Types: ``int``, ``decimal`` (stored as a string such as ``"0.03"``), ``date`` (ISO string),
``str``, ``bool`` and ``list`` (JSON list; ``item_type`` says what the items are).
"""

from __future__ import annotations

from dataclasses import dataclass

FIELD_TYPES = ("int", "decimal", "date", "str", "bool", "list")
CONFIDENCE_LEVELS = ("V", "P", "M")
GRADES = ("特别重大", "重大", "较大", "一般")
STEP_UNITS = ("working_days", "calendar_days", "months")
#: the station registries a major-hazard criterion can be checked against (hazard_criteria.registry_check)
REGISTRY_CHECKS = ("certificates", "dangerous_works", "cranes", "monitoring")
#: the holidays of 《全国年节及纪念日放假办法》 that every citizen has off, in the order of the year
HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
HOLIDAY_CALENDARS = ("公历", "农历", "节气")


@dataclass(frozen=True)
class FieldSpec:
    """One editable field of a dataset row."""

    name: str
    label_zh: str
    type: str
    required: bool = True
    choices: tuple[str, ...] = ()
    item_type: str | None = None
    minimum: int | None = None


def _f(
    name: str,
    label: str,
    type_: str,
    *,
    required: bool = True,
    choices: tuple[str, ...] = (),
    item_type: str | None = None,
    minimum: int | None = None,
) -> FieldSpec:
    return FieldSpec(name, label, type_, required, choices, item_type, minimum)


COMMON_FIELDS: tuple[FieldSpec, ...] = (
    _f("key", "键（数据集内唯一）", "str"),
    _f("source", "来源（文号/出处）", "str"),
    _f("confidence", "可信度（V已核对/P部分核对/M未核对）", "str", choices=CONFIDENCE_LEVELS),
    _f("effective_from", "生效日期", "date", required=False),
    _f("effective_to", "失效日期（不含当日）", "date", required=False),
    _f("note", "说明", "str", required=False),
)

DATASET_TITLES: dict[str, str] = {
    "accident_grades": "生产安全事故等级划分",
    "accident_reporting": "事故报告时限",
    "dangerous_work_thresholds": "危大工程及超规模危大工程范围",
    "safety_fee_rates": "企业安全生产费用提取标准（建设工程）",
    "safety_fee_categories": "安全生产费用使用范围（建设工程）",
    "safety_fee_negative_list": "安全生产费用使用负面清单（关键词）",
    "insurance_minimums": "安全生产责任保险最低保额",
    "procedure_steps": "行政处罚程序时限",
    "rule_constants": "规则常数",
    "certificate_validity": "证书有效期",
    "document_number_patterns": "文书编号规则",
    "document_texts": "执法文书依据及权利告知",
    "hazard_criteria_editions": "重大事故隐患判定标准版本",
    "hazard_criteria": "重大事故隐患判定标准条款",
    "hazard_categories": "一般隐患类别",
    "jgj59_tables": "JGJ 59-2011 分项检查评分表项目",
    "jgj59_summary": "JGJ 59-2011 检查评分汇总表权重",
    "violations": "违法行为及处罚幅度",
    "hazard_deadlines": "隐患整改期限默认值",
    "supervision_frequency": "监督检查频次",
    "report_due": "报表报送期限",
    "calendar_years": "法定节假日安排（管理员录入年度）",
    "statutory_holidays": "全体公民放假的节日及天数",
}

DATASET_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "accident_grades": (
        _f("grade", "事故等级", "str", choices=GRADES),
        _f("rank", "严重程度序号（1最重）", "int", minimum=1),
        _f("min_deaths", "死亡人数下限（含）", "int", minimum=0),
        _f("min_serious_injuries", "重伤人数下限（含）", "int", minimum=0),
        _f("min_direct_loss_yuan", "直接经济损失下限（元，含）", "int", minimum=0),
    ),
    "accident_reporting": (
        _f("seq", "顺序", "int", minimum=1),
        _f("step", "环节", "str"),
        _f("from_level", "报告人/报告单位", "str"),
        _f("to_level", "接收单位", "str"),
        _f("within", "时限数值（0=立即）", "int", minimum=0),
        _f("unit", "时限单位", "str", choices=("hour", "day")),
        _f("counts_from", "起算", "str", choices=("previous_step", "occurrence")),
        _f("grades", "适用事故等级", "list", item_type="str"),
        _f("basis", "法律依据", "str"),
    ),
    "dangerous_work_thresholds": (
        _f("edition", "版本", "str"),
        _f("province", "省份（空=全国）", "str", required=False),
        _f("kind", "工程类型代码", "str"),
        _f("kind_label", "工程类型名称", "str"),
        _f("category", "类别", "str"),
        _f("level", "判定结果", "str", choices=("危大", "超规模")),
        _f("param", "参数（空=无条件）", "str", required=False),
        _f("threshold", "阈值（含本数；空=参数为真即满足）", "decimal", required=False),
        _f("basis", "依据条目", "str"),
    ),
    "safety_fee_rates": (
        _f("project_type", "工程类别", "str"),
        _f("rate", "提取比例（小数，如0.03）", "decimal", minimum=0),
        _f("regulation", "文件名称及文号", "str"),
    ),
    "safety_fee_categories": (
        _f("name", "使用范围", "str"),
        _f("article", "条款", "str"),
        _f("order", "排序", "int", minimum=0),
        _f("review_required", "该类支出须逐笔复核", "bool"),
    ),
    "safety_fee_negative_list": (
        _f("label", "负面清单事项", "str"),
        _f("keywords", "关键词（说明中出现即标记待复核）", "list", item_type="str"),
    ),
    "insurance_minimums": (
        _f("province", "省份（空=全国）", "str", required=False),
        _f("min_death_disability_yuan", "每人死亡伤残最低保额（元）", "int", minimum=0),
        _f("regulation", "文件名称及文号", "str"),
    ),
    "procedure_steps": (
        _f("step", "环节代码", "str"),
        _f("label", "环节名称", "str"),
        _f("n", "期限数值", "int", minimum=0),
        _f("unit", "期限单位", "str", choices=STEP_UNITS),
        _f("start_event", "起算事件", "str"),
        _f("basis", "法律依据", "str"),
    ),
    "rule_constants": (
        _f("label", "名称", "str"),
        _f("value", "数值", "decimal", minimum=0),
        _f("unit", "单位", "str", required=False),
    ),
    "certificate_validity": (
        _f("label", "证书类别", "str"),
        _f("validity_years", "有效期（年）", "int", minimum=1),
        _f("renewal_window_months", "期满前可申请延续（月）", "int", minimum=0),
        _f("basis", "依据", "str"),
    ),
    "document_number_patterns": (
        _f("doc_type", "文书类型", "str"),
        _f("prefix", "机关代字（可含{station_short}）", "str"),
        _f("serial_width", "序号位数（0=不补零）", "int", minimum=0),
        _f("use_di", "是否写“第”", "bool"),
        _f("template", "自定义格式（空=按上列生成）", "str", required=False),
    ),
    "document_texts": (
        _f("doc_type", "文书类型", "str"),
        _f("basis", "责令依据（印在“依据……的规定”处）", "str", required=False),
        _f("rights_basis", "权利告知依据（复议/诉讼或陈述申辩/听证条款）", "str", required=False),
        _f("rights_text", "复议诉讼告知文字（空=不告知；可用{subject}{reconsideration_body}"
           "{reconsideration_days}{litigation_months}{rights_basis}）", "str", required=False),
        _f("reconsideration_days", "申请行政复议期限（日）", "int", required=False, minimum=1),
        _f("litigation_months", "提起行政诉讼期限（月）", "int", required=False, minimum=1),
    ),
    "hazard_criteria_editions": (
        _f("edition", "版本", "str"),
        _f("document", "文号", "str"),
        _f("title", "标准名称", "str"),
    ),
    "hazard_criteria": (
        _f("edition", "版本", "str"),
        _f("article", "条", "int", minimum=1),
        _f("item", "项（0=该条不分项）", "int", minimum=0),
        _f("category", "类别", "str"),
        _f("text", "条文", "str"),
        _f("registry_check", "可据台账核查（certificates证书/dangerous_works危大工程/cranes起重机械/monitoring第三方监测）",
           "str", required=False, choices=REGISTRY_CHECKS),
        _f("registry_hint", "台账核查提示", "str", required=False),
    ),
    "hazard_categories": (
        _f("name", "类别名称", "str"),
        _f("order", "排序", "int", minimum=0),
    ),
    "jgj59_tables": (
        _f("table", "表号", "str"),
        _f("table_name", "检查表名称", "str"),
        _f("heading", "汇总表项目", "str"),
        _f("group", "项目类型", "str", choices=("保证项目", "一般项目")),
        _f("seq", "序号", "int", minimum=1),
        _f("item", "检查项目", "str"),
        _f("full_points", "应得分数", "int", minimum=1),
    ),
    "jgj59_summary": (
        _f("heading", "汇总表项目", "str"),
        _f("weight", "分值（权重）", "int", minimum=1),
        _f("order", "排序", "int", minimum=0),
    ),
    "violations": (
        _f("party", "责任主体", "str"),
        _f("article", "条款", "str"),
        _f("description", "违法行为", "str"),
        _f("measure", "处理措施", "str"),
        _f("min_yuan", "罚款下限（元，含）", "int", required=False, minimum=0),
        _f("max_yuan", "罚款上限（元，含）", "int", required=False, minimum=0),
        _f("percent_min", "按比例罚款下限（小数，1=100%）", "decimal", required=False, minimum=0),
        _f("percent_max", "按比例罚款上限（小数）", "decimal", required=False, minimum=0),
        _f("percent_base", "比例的计算基数", "str", required=False),
    ),
    "hazard_deadlines": (
        _f("level", "隐患等级", "str", choices=("一般", "重大")),
        _f("n", "整改期限数值", "int", minimum=0),
        _f("unit", "期限单位", "str", choices=STEP_UNITS),
        _f("action", "处理措施", "str"),
    ),
    "supervision_frequency": (
        _f("condition", "条件代码", "str"),
        _f("label", "条件", "str"),
        _f("min_visits_per_month", "每月最少检查次数", "int", minimum=0),
        _f("threshold", "数量阈值（含）", "int", required=False, minimum=0),
        _f("lookback_months", "回溯月数", "int", required=False, minimum=0),
    ),
    "report_due": (
        _f("report", "报表", "str"),
        _f("day_of_month", "次月报送日", "int", minimum=1),
        _f("move_to_next_working_day", "遇节假日顺延至下一工作日", "bool"),
    ),
    "calendar_years": (
        _f("year", "年份", "int", minimum=1900),
        _f("holidays", "放假日期（含周末）", "list", item_type="date"),
        _f("workdays", "调休上班的周末日期", "list", item_type="date"),
        # one item per holiday, "春节：2027-02-05至2027-02-13；调休上班 2027-02-01、2027-02-20"
        # (rules.holiday_arrangement); rows entered before it was kept have only the two lists above
        _f("holiday_ranges", "各节日放假及调休上班", "list", required=False, item_type="str"),
    ),
    "statutory_holidays": (
        _f("holiday", "节日", "str", choices=HOLIDAY_NAMES),
        _f("calendar", "历法", "str", choices=HOLIDAY_CALENDARS),
        _f("month", "月（节气填0）", "int", minimum=0),
        _f("day", "日（节气填0）", "int", minimum=0),
        _f("solar_term", "节气名称（历法为节气时填）", "str", required=False),
        _f("start_offset", "放假首日相对该日的天数（除夕为-1）", "int"),
        _f("days", "放假天数", "int", minimum=1),
        _f("basis", "依据", "str"),
    ),
}
