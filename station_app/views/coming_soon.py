"""The page of a work area not built yet: what it will do, and that it comes in a later version."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

#: area title → what the area will do (one paragraph, for the clerk)
AREA_PLANS: dict[str, str] = {
    "网格与分工": "按乡镇、开发区或若干乡镇划分监督网格，指定每个网格的负责人和监督员分工；"
                  "项目归属到网格后，首页、检查计划和月报都可以按网格统计，人员调整时一次改好分工。",
    "监督检查": "登记日常巡查、专项检查、节假日前检查和复查：检查日期、参加人员、检查部位和发现的问题，"
                "可按 JGJ 59 检查评分表打分；发现的问题可直接转入隐患台账，检查记录可打印存档。",
    "隐患台账": "登记一般隐患和重大事故隐患（按现行判定标准的条款认定），按参考数据自动给出整改期限，"
                "跟踪整改回复、复查和销号，逾期未整改的隐患在首页提醒。",
    "执法文书": "按统一格式生成责令整改通知书、停工整改通知书、复工通知书等执法文书（Word），"
                "自动编排文号且作废后不重复使用，记录送达和签收；已签发的文书不可修改，更正须作废后重开。",
    "行政处罚": "记录立案、调查取证、告知、陈述申辩或听证、处罚决定、执行到结案的全过程，"
                "按法定程序时限（含工作日计算）提醒，处罚幅度参照违法行为及处罚幅度清单。",
    "安责险": "登记项目的安全生产责任保险：保险公司、保单号、保险期间和每人死亡伤残保额，"
              "低于最低保额标准或保险即将到期、未续保的项目会被提示。",
    "安全费用": "按工程类别和提取比例核算项目的安全生产费用，登记拨付和使用情况，"
                "在监督检查中核对费用是否足额提取、专款专用。",
    "危大工程": "建立危险性较大的分部分项工程清单：按规定的范围和阈值判定“危大”或“超过一定规模”，"
                "跟踪专项施工方案编制、专家论证、验收和监测情况。",
    "起重机械": "建立塔式起重机、施工升降机等建筑起重机械台账：产权备案、安装（拆卸）告知、"
                "检验检测和使用登记，检验到期前提醒。",
    "人员证书": "登记三类人员安全生产考核合格证书（A、B、C证）和特种作业人员操作资格证书，"
                "提醒有效期和延续，核查项目负责人、专职安全员等关键岗位是否持证在岗。",
    "事故": "登记生产安全事故快报和续报，按死亡、重伤人数和直接经济损失自动判定事故等级，"
            "按报告时限提醒逐级上报，并记录调查处理结果。",
    "月报": "按上级主管部门的要求自动汇总本月的监督工作量：在监项目、检查次数、隐患及整改、"
            "执法文书、行政处罚等，填入市局报表模板并导出 Excel。",
}

LATER = ("此功能将在后续版本中提供。届时会直接使用本程序中已登记的项目、企业和人员信息，无需重新录入。")


class ComingSoonPage(QWidget):
    """A plain explanation, not an empty frame."""

    def __init__(self, title: str, plan: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.plan = plan if plan is not None else AREA_PLANS.get(title, "")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(32, 28, 32, 28)
        lay.setSpacing(14)
        heading = QLabel(title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        lay.addWidget(heading)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        lay.addWidget(line)
        self.plan_label = QLabel(self.plan)
        self.plan_label.setWordWrap(True)
        self.plan_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plan_label.setMaximumWidth(760)
        lay.addWidget(self.plan_label)
        self.later_label = QLabel(LATER)
        self.later_label.setWordWrap(True)
        self.later_label.setMaximumWidth(760)
        self.later_label.setStyleSheet("color: #8a6d3b; background: #fcf8e3; border: 1px solid #f5e79e;"
                                       " padding: 8px; border-radius: 4px;")
        lay.addWidget(self.later_label)
        lay.addStretch(1)

    def text(self) -> str:
        return f"{self.title}\n{self.plan}\n{LATER}"
