"""Build the shipped enforcement-document templates (templates_docx/<文书类型>.docx) with python-docx.

Run ``python templates_docx/build_templates.py`` after changing a layout; the built files are committed,
so a station gets the same templates byte for byte. Layout of a Chinese enforcement form: A4; the
authority and the title centred in 宋体 (bold, 二号); body in 仿宋; the 文号 under the title; addressee;
body; basis; the requirement with a concrete date; the party's rights where granted; signature and seal
block with the Chinese date; a receipt block. Tables of hazards/evidence grow with docxtpl ``{%tr %}`` rows.

Placeholders (Jinja, rendered with autoescape and StrictUndefined): ``station``, ``doc``, ``project``,
``inspection``, ``hazards``, ``evidence``, ``rights`` and the type's own fields (e.g. ``案由``); see
station_app/services/documents/context.py.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from docx.document import Document as DocumentObject

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from docx_layout import (  # noqa: E402
    evidence_block,
    form_table,
    hazard_table,
    heading,
    loop_table,
    new_document,
    para,
    receipt,
    rights,
    signature,
)

# ------------------------------------------------------------------------ the documents

def rectification(doc: DocumentObject) -> None:
    heading(doc, "安全隐患整改通知书")
    para(doc, "{{ doc.addressee }}：", indent=False)
    para(doc, "{{ inspection.date_cn }}，我站监督人员{{ inspection.inspectors }}对你单位承建的{{ project.located }}"
              "进行安全监督检查，发现存在下列安全隐患：")
    hazard_table(doc)
    para(doc, "依据{{ doc.basis }}的规定，现责令你单位对上述隐患限期整改，于{{ doc.deadline_cn }}前整改完毕"
              "（各项隐患的整改期限见上表），并将《隐患整改完成报告》及整改前后的照片资料报送我站复查。"
              "整改期间应采取有效的防范措施，确保施工安全。逾期未整改或整改不到位的，我站将依法报请"
              "{{ station.bureau }}处理。", space_before=6)
    rights(doc)
    evidence_block(doc)
    signature(doc)
    receipt(doc)


def _stop(doc: DocumentObject, title: str, scope: str) -> None:
    heading(doc, title)
    para(doc, "{{ doc.addressee }}：", indent=False)
    para(doc, "{{ inspection.date_cn }}，我站监督人员{{ inspection.inspectors }}对你单位承建的{{ project.located }}"
              "进行安全监督检查，发现存在下列重大事故隐患（或严重安全隐患）：")
    hazard_table(doc)
    para(doc, "依据{{ doc.basis }}的规定，现责令你单位自{{ doc.issue_date_text }}起" + scope +
         "，立即组织整改，于{{ doc.deadline_cn }}前整改完毕。整改完成后经施工单位自查、监理单位复核，"
         "填写《复工申请》并附整改资料报送我站，经我站复查合格并签发《复工通知书》后方可恢复施工。"
         "停工期间应做好现场安全防护，不得擅自复工。", space_before=6)
    rights(doc)
    evidence_block(doc)
    signature(doc)
    receipt(doc)


def partial_stop(doc: DocumentObject) -> None:
    _stop(doc, "局部停工整改通知书", "对{{ 停工部位 }}暂停施工")


def full_stop(doc: DocumentObject) -> None:
    _stop(doc, "停工整改通知书", "全面停止施工")


def resume(doc: DocumentObject) -> None:
    heading(doc, "复工通知书")
    para(doc, "{{ doc.addressee }}：", indent=False)
    para(doc, "你单位报送的{{ project.name }}复工申请及整改资料收悉。经我站于{{ 复查日期 }}复查，"
              "{{ 原通知书文号 }}所列安全隐患已整改完毕，符合复工条件。现同意该工程{{ 复工范围 }}"
              "自{{ 复工日期 }}起恢复施工。")
    para(doc, "复工后你单位应严格落实安全生产主体责任，加强施工现场安全管理，防止同类隐患再次发生。")
    evidence_block(doc)
    signature(doc)
    receipt(doc)


def spot_check(doc: DocumentObject) -> None:
    heading(doc, "建设工程安全生产监督抽查记录")
    form_table(doc, [
        ("工程名称", "{{ project.name }}"),
        ("工程地址", "{{ project.address }}", "施工许可证号", "{{ project.permit_no }}"),
        ("建设单位", "{{ project.owner }}", "监督登记号", "{{ project.supervision_no }}"),
        ("施工单位", "{{ project.contractor }}", "项目负责人", "{{ project.contractor_manager }}"),
        ("监理单位", "{{ project.supervisor_firm }}", "项目总监", "{{ project.chief_supervisor }}"),
        ("检查时间", "{{ inspection.datetime_cn }}", "检查类型", "{{ inspection.kind }}"),
        ("检查人员", "{{ inspection.inspectors }}", "天气", "{{ inspection.weather }}"),
        ("检查部位", "{{ inspection.site_parts }}"),
        ("人员到岗", "{{ inspection.presence }}"),
    ], (28, 52, 28, 48))
    para(doc, "发现的问题（共{{ hazards|length }}项）：", indent=False)
    hazard_table(doc)
    para(doc, "检查结论及处理意见：{{ inspection.conclusion }}", space_before=6)
    evidence_block(doc)
    para(doc, "", indent=False)
    form_table(doc, [("监督人员签字", "", "受检单位签字", ""),
                     ("监理单位签字", "", "记录日期", "{{ doc.issue_date_cn }}")], (30, 48, 30, 48))


def interview(doc: DocumentObject) -> None:
    heading(doc, "安全生产约谈记录")
    form_table(doc, [
        ("工程名称", "{{ project.name }}"),
        ("约谈时间", "{{ 约谈时间 }}", "约谈地点", "{{ 约谈地点 }}"),
        ("约谈单位", "{{ doc.addressee }}", "约谈对象", "{{ 约谈对象 }}"),
        ("约谈人", "{{ doc.signer }}", "记录人", "{{ 记录人 }}"),
        ("约谈事由", "{{ 约谈事由 }}"),
        ("约谈内容", "{{ 约谈内容 }}"),
        ("整改要求", "{{ 整改要求 }}于{{ doc.deadline_cn }}前完成整改并书面报告我站。"),
        ("被约谈人签字", "", "日期", "　　年　　月　　日"),
    ], (28, 52, 28, 48))
    signature(doc, signer=False)


def case_approval(doc: DocumentObject) -> None:
    heading(doc, "立案审批表")
    form_table(doc, [
        ("案由", "{{ 案由 }}"),
        ("案件来源", "{{ 案件来源 }}", "受案日期", "{{ 受案日期 }}"),
        ("当事人", "{{ 当事人 }}", "证件号码", "{{ 证件号码 }}"),
        ("地址", "{{ 当事人地址 }}", "法定代表人", "{{ 法定代表人 }}"),
        ("工程名称", "{{ project.name }}"),
        ("简要案情", "{{ 违法事实 }}"),
        ("承办人意见", "{{ 承办人意见 }}　承办人：{{ 承办人 }}"),
        ("审核意见", "{{ 审核意见 }}"),
        ("负责人审批意见", "{{ 审批意见 }}　负责人：{{ doc.signer }}　{{ doc.issue_date_cn }}"),
    ], (30, 50, 26, 50))


def prior_notice(doc: DocumentObject) -> None:
    heading(doc, "行政处罚事先告知书")
    para(doc, "{{ doc.addressee }}：", indent=False)
    para(doc, "经查，你（单位）{{ 违法事实 }}以上事实有{{ 证据 }}等证据证实。")
    para(doc, "你（单位）的上述行为违反了{{ 法律依据 }}的规定。依据{{ 处罚依据 }}的规定，本机关拟对你（单位）"
              "作出如下行政处罚：{{ 处罚内容 }}。")
    para(doc, "根据{{ rights.basis }}的规定，你（单位）享有陈述、申辩的权利。"
              "如需陈述、申辩，请于{{ 陈述申辩期限 }}前向本机关提出；逾期未提出的，视为放弃上述权利。")
    para(doc, "联系人：{{ 联系人 }}　联系电话：{{ station.phone }}　地址：{{ station.address }}")
    evidence_block(doc)
    signature(doc)
    receipt(doc, "当事人")


def hearing_notice(doc: DocumentObject) -> None:
    heading(doc, "行政处罚听证告知书")
    para(doc, "{{ doc.addressee }}：", indent=False)
    para(doc, "经查，你（单位）{{ 违法事实 }}你（单位）的上述行为违反了{{ 法律依据 }}的规定。依据{{ 处罚依据 }}"
              "的规定，本机关拟对你（单位）作出如下行政处罚：{{ 处罚内容 }}。")
    para(doc, "根据{{ rights.basis }}的规定，你（单位）有要求举行听证的权利。"
              "如要求听证，应当在收到本告知书之日起{{ rights.hearing_days }}日内（即{{ 听证申请期限 }}前）向本机关"
              "提出；逾期未提出的，视为放弃听证权利。")
    para(doc, "联系人：{{ 联系人 }}　联系电话：{{ station.phone }}　地址：{{ station.address }}")
    signature(doc)
    receipt(doc, "当事人")


def decision(doc: DocumentObject) -> None:
    heading(doc, "行政处罚决定书")
    para(doc, "当事人：{{ 当事人 }}", indent=False)
    para(doc, "统一社会信用代码（身份证号码）：{{ 证件号码 }}", indent=False)
    para(doc, "地址：{{ 当事人地址 }}　法定代表人（负责人）：{{ 法定代表人 }}", indent=False)
    para(doc, "经查，你（单位）{{ 违法事实 }}以上事实有{{ 证据 }}等证据证实。", space_before=6)
    para(doc, "本机关于{{ 告知日期 }}向你（单位）送达了《行政处罚事先告知书》，{{ 陈述申辩情况 }}")
    para(doc, "你（单位）的上述行为违反了{{ 法律依据 }}的规定。依据{{ 处罚依据 }}的规定，本机关决定对你（单位）"
              "作出如下行政处罚：{{ 处罚内容 }}{{ 罚款金额_text }}。")
    para(doc, "罚款自收到本决定书之日起{{ rights.payment_days }}日内缴至{{ 缴款银行 }}。逾期不缴纳罚款的，"
              "每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款数额。")
    rights(doc)
    evidence_block(doc)
    signature(doc)
    receipt(doc, "当事人")


def service_receipt(doc: DocumentObject) -> None:
    heading(doc, "送达回证")
    form_table(doc, [
        ("送达文书名称及文号", "{{ 送达文书 }}"),
        ("受送达人", "{{ doc.addressee }}"),
        ("送达地点", "{{ 送达地点 }}"),
        ("送达方式", "{{ 送达方式 }}", "送达时间", "　　年　　月　　日　　时"),
        ("受送达人签名或盖章", "", "代收人及代收理由", ""),
        ("送达人", "{{ 送达人 }}", "见证人", ""),
        ("备注", "{{ 备注 }}"),
    ], (36, 46, 30, 44))
    signature(doc, signer=False)


def closing(doc: DocumentObject) -> None:
    heading(doc, "结案审批表")
    form_table(doc, [
        ("案由", "{{ 案由 }}"),
        ("当事人", "{{ 当事人 }}", "立案日期", "{{ 立案日期 }}"),
        ("处罚决定书文号", "{{ 决定书文号 }}", "决定日期", "{{ 决定日期 }}"),
        ("处罚内容", "{{ 处罚内容 }}{{ 罚款金额_text }}"),
        ("执行情况", "{{ 执行情况 }}"),
        ("承办人结案意见", "{{ 承办人意见 }}　承办人：{{ 承办人 }}"),
        ("负责人审批意见", "{{ 审批意见 }}　负责人：{{ doc.signer }}　{{ doc.issue_date_cn }}"),
    ], (32, 48, 26, 50))


def completion_report(doc: DocumentObject) -> None:
    heading(doc, "隐患整改完成报告", numbered=False, authority="project.contractor_or_blank")
    para(doc, "{{ station.name }}：", indent=False)
    para(doc, "我单位承建的{{ project.name }}，收到贵站{{ 原通知书文号 }}后，已按要求对下列隐患整改完毕，"
              "经项目部自查、监理单位复核合格，现报请复查。")
    loop_table(doc, ("序号", "隐患编号", "隐患内容", "整改期限", "整改情况"),
               ("{{ h.seq }}", "{{ h.code }}", "{{ h.description }}", "{{ h.deadline_cn }}", ""),
               "h in hazards", (12, 28, 62, 26, 28))
    para(doc, "附：整改前后照片及相关资料____份。", space_before=6)
    form_table(doc, [("施工单位（章）", "", "项目负责人", ""),
                     ("监理单位意见", "", "总监理工程师", ""),
                     ("报告日期", "　　年　　月　　日", "复查人员", "")], (32, 48, 28, 48))


def resume_application(doc: DocumentObject) -> None:
    heading(doc, "复工申请", numbered=False, authority="project.contractor_or_blank")
    para(doc, "{{ station.name }}：", indent=False)
    para(doc, "我单位承建的{{ project.name }}，因{{ 原通知书文号 }}停工整改。现已按要求完成整改，"
              "具备复工条件，申请自______年____月____日起恢复施工，请予复查。")
    loop_table(doc, ("序号", "隐患编号", "隐患内容", "整改情况"),
               ("{{ h.seq }}", "{{ h.code }}", "{{ h.description }}", ""),
               "h in hazards", (12, 28, 74, 42))
    form_table(doc, [("施工单位（章）", "", "项目负责人", ""),
                     ("监理单位意见", "", "总监理工程师", ""),
                     ("建设单位意见", "", "申请日期", "　　年　　月　　日")], (32, 48, 28, 48))


def void_record(doc: DocumentObject) -> None:
    """The 作废 printed on the record: which document, why, who decided it and when."""
    heading(doc, "作废记录")
    form_table(doc, [
        ("被作废文书", "{{ void.doc_type }}"),
        ("原文书文号", "{{ void.number }}", "原签发日期", "{{ void.issue_date_cn }}"),
        ("受文单位", "{{ void.addressee }}"),
        ("工程名称", "{{ project.name }}"),
        ("原文书SHA-256", "{{ void.sha256 }}"),
        ("作废原因", "{{ void.reason }}"),
        ("作废决定人", "{{ void.voided_by }}", "作废时间", "{{ void.voided_at_cn }}"),
    ], (32, 48, 28, 48))
    para(doc, "上述文书自作废之日起不再执行，其文号不再使用；原文书存档文件保留，可凭上列SHA-256核对。"
              "如需更正，另行签发新的文书。", space_before=6)
    signature(doc)
    receipt(doc)


BUILDERS: dict[str, Callable[[DocumentObject], None]] = {
    "安全隐患整改通知书": rectification,
    "局部停工整改通知书": partial_stop,
    "停工整改通知书": full_stop,
    "复工通知书": resume,
    "建设工程安全生产监督抽查记录": spot_check,
    "安全生产约谈记录": interview,
    "立案审批表": case_approval,
    "行政处罚事先告知书": prior_notice,
    "行政处罚听证告知书": hearing_notice,
    "行政处罚决定书": decision,
    "送达回证": service_receipt,
    "结案审批表": closing,
    "隐患整改完成报告": completion_report,
    "复工申请": resume_application,
    "作废记录": void_record,
}


def build(out_dir: Path = HERE, only: Sequence[str] = ()) -> list[Path]:
    written = []
    for name, builder in BUILDERS.items():
        if only and name not in only:
            continue
        doc = new_document()
        doc.core_properties.title = name
        builder(doc)
        path = out_dir / f"{name}.docx"
        tmp = path.with_suffix(".docx.tmp")
        doc.save(str(tmp))
        tmp.replace(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build(only=sys.argv[1:]):
        print(p)
