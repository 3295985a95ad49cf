"""Build the shipped monthly-report templates: 监督工作月报.xlsx (summary sheet with placeholders) and
监督工作月报.docx (the narrative, docxtpl tags). Run from the repository root after changing figures:

    .venv/bin/python templates_docx/build_monthly_templates.py

An admin replaces either file by putting one of the same name in the data directory's templates folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

XLSX_NAME = "监督工作月报.xlsx"
DOCX_NAME = "监督工作月报.docx"
COLUMNS = (("", "本期"), ("|本年累计", "本年累计"), ("|去年同期", "去年同期"), ("|同比", "同比"),
           ("|去年累计", "去年累计"), ("|累计同比", "累计同比"))


def build_xlsx(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from station_app.services.monthly.stats import SECTIONS

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ncol = 3 + len(COLUMNS) + 1
    last = chr(ord("A") + ncol - 1)
    ws["A1"] = "{{站名}}{{报表期间}}建设工程安全监督工作统计表"
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = "填报单位：{{站名}}　　报送：{{上级主管部门}}　　报送期限：{{报送期限}}　　统计时间：{{统计时间}}"
    ws.merge_cells(f"A2:{last}2")
    side = Side(style="thin", color="808080")
    border = Border(left=side, right=side, top=side, bottom=side)
    heads = ["类别", "指标", "单位", *(h for _, h in COLUMNS), "明细表"]
    for i, h in enumerate(heads, 1):
        c = ws.cell(row=3, column=i, value=h)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", start_color="305496")
        c.alignment = Alignment(horizontal="center", vertical="center")
        c.border = border
    row = 4
    for section in SECTIONS:
        first = row
        for fig in section.figures:
            values = [section.title if row == first else "", fig.label, fig.unit,
                      *(f"{{{{{fig.label}{suffix}}}}}" for suffix, _ in COLUMNS), f"{{{{{fig.label}|明细}}}}"]
            for i, v in enumerate(values, 1):
                c = ws.cell(row=row, column=i, value=v)
                c.border = border
                c.alignment = Alignment(horizontal="left" if i <= 2 else "right" if i < ncol else "center",
                                        vertical="center")
            row += 1
        if row - first > 1:
            ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
        ws.cell(row=first, column=1).alignment = Alignment(vertical="center", wrap_text=True)
    row += 1
    for text in ("全覆盖排查轮次：{{全覆盖排查轮次}}", "尚未建立的台账：{{未建台账}}",
                 "说明：同比为与去年同期相比的增减（%）；比率类指标（覆盖率、整改率、进度）的同比为增减的百分点。"
                 "每个数字的记录见对应的明细表。",
                 "签发人：{{签发人}}　　填报人：{{填报人}}　　填报日期：{{填报日期}}"):
        ws.cell(row=row, column=1, value=text)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        row += 1
    for col, width in zip("ABCDEFGHIJ", (14, 22, 7, 12, 12, 12, 13, 12, 13, 24), strict=False):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "D4"
    ws.print_title_rows = "1:3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.save(path)


def _font(run, name: str, size: float, *, bold: bool = False, color: str | None = None) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def _widths(table, cm: tuple[float, ...]) -> None:  # type: ignore[no-untyped-def]
    from docx.shared import Cm

    table.autofit = False
    for col, w in zip(table.columns, cm, strict=False):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, cm, strict=False):
            cell.width = Cm(w)


def build_docx(path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.2), Cm(2.5), Cm(2.8), Cm(2.6)

    def para(text: str = "", *, size: float = 14, font: str = "仿宋", bold: bool = False, align: str = "left",
             indent: bool = True, color: str | None = None, after: float = 0):  # type: ignore[no-untyped-def]
        p = doc.add_paragraph()
        p.alignment = {"left": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
        p.paragraph_format.line_spacing = Pt(26)
        p.paragraph_format.space_after = Pt(after)
        if indent and align == "left":
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if text:
            _font(p.add_run(text), font, size, bold=bold, color=color)
        return p

    head = para("{{ station }}", size=24, font="宋体", bold=True, align="center", color="C00000", indent=False)
    p_pr = head._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    p_pr.append(borders)
    para("", indent=False)
    para("关于{{ period_label }}建设工程安全监督工作情况的报告", size=20, font="宋体", bold=True, align="center",
         indent=False, after=12)
    para("{{ bureau }}：", indent=False)
    para("现将我站{{ period_label }}建设工程安全监督工作情况报告如下：")

    para("一、工作开展情况", font="黑体")
    para("{%p for t in work_summary %}", indent=False)
    para("{{ t }}")
    para("{%p endfor %}", indent=False)

    para("二、主要数据", font="黑体")
    para("（一）在监项目。{{ period_label }}全站在监项目{{ f.projects_active }}个，其中新开工{{ f.projects_started }}个、"
         "竣工{{ f.projects_completed }}个、停工{{ f.projects_stopped }}个；在监面积{{ f.area_wan_m2 }}万平方米，"
         "在监造价{{ f.cost_wan_yuan }}万元。在监项目数较去年同期{{ fc.projects_active }}。")
    para("（二）监督检查。开展监督检查{{ f.inspections }}次、{{ f.inspector_times }}人次，检查项目{{ f.projects_inspected }}"
         "个，在监项目检查覆盖率{{ f.coverage_rate }}%；本年累计检查{{ fy.inspections }}次，较去年同期"
         "{{ fyc.inspections }}。全覆盖排查：{{ round_note }}，已查{{ f.round_reached }}个、应查{{ f.round_total }}个，"
         "进度{{ f.round_rate }}%。")
    para("（三）隐患排查治理。发现隐患{{ f.hazards_found }}项（一般{{ f.hazards_ordinary }}项、重大{{ f.hazards_major }}"
         "项），已整改{{ f.hazards_rectified }}项，整改率{{ f.rectify_rate }}%；期末重大隐患未销号{{ f.major_open }}项，"
         "本期销号重大隐患{{ f.major_closed }}项，挂牌督办{{ f.major_listed }}项；2023年及以前存量隐患尚余"
         "{{ f.legacy_open }}项。")
    para("（四）执法处罚。{% if s.documents %}签发限期整改通知书{{ f.docs_rectify }}份、停工整改通知书{{ f.docs_stop }}份"
         "（涉及{{ f.projects_stop_ordered }}个项目）、复工通知书{{ f.docs_resume }}份，约谈{{ f.docs_talk }}次"
         "{% else %}执法文书：本站尚未建立该台账{% endif %}；{% if s.cases %}行政处罚立案{{ f.cases_filed }}起、"
         "结案{{ f.cases_closed }}起，罚款决定{{ f.fines_decided }}万元、收缴罚款{{ f.fines_collected }}万元。"
         "{% else %}行政处罚：本站尚未建立该台账。{% endif %}")
    para("（五）安责险与安全生产费用。{% if s.insurance %}期末在建、停工项目{{ f.insurance__active_projects }}个，"
         "已投保{{ f.insurance__insured }}个、未投保{{ f.insurance__uninsured }}个，断保项目{{ f.insurance__gap_projects }}"
         "个{% else %}安全生产责任保险：本站尚未建立该台账{% endif %}；{% if s.safety_fees %}未登记安全生产费用计取基数的"
         "项目{{ f.safety_fees__missing_basis }}个，首付款逾期{{ f.safety_fees__first_payment_late }}个，存疑支出待核查"
         "{{ f.safety_fees__flagged_pending }}笔。{% else %}安全生产费用：本站尚未建立该台账。{% endif %}")
    para("{% if not_kept %}以下台账本站尚未建立，相关数据暂不统计：{{ not_kept }}。{% endif %}")
    para("{%p for t in data_note %}", indent=False)
    para("{{ t }}")
    para("{%p endfor %}", indent=False)

    table = doc.add_table(rows=3, cols=6)
    table.style = "Table Grid"
    heads = ("指标", "单位", "本期", "本年累计", "去年同期", "同比")
    for i, h in enumerate(heads):
        cell = table.rows[0].cells[i]
        cell.text = ""
        _font(cell.paragraphs[0].add_run(h), "黑体", 10.5)
    table.rows[1].cells[0].text = "{%tr for r in rows %}"
    for i, k in enumerate(("label", "unit", "current", "ytd", "last_year", "yoy")):
        cell = table.rows[2].cells[i]
        _font(cell.paragraphs[0].add_run(f"{{{{ r.{k} }}}}"), "仿宋", 10.5)
    end = table.add_row()
    end.cells[0].text = "{%tr endfor %}"
    _widths(table, (5.2, 1.4, 2.4, 2.4, 2.4, 2.6))
    para("", indent=False)
    para("按网格统计（本期）", font="黑体", indent=False)
    grid = doc.add_table(rows=3, cols=6)
    grid.style = "Table Grid"
    for i, h in enumerate(("网格", "在监项目", "检查次数", "覆盖率(%)", "发现隐患", "整改率(%)")):
        _font(grid.rows[0].cells[i].paragraphs[0].add_run(h), "黑体", 10.5)
    grid.rows[1].cells[0].text = "{%tr for g in grid_rows %}"
    for i, k in enumerate(("name", "active", "inspections", "coverage", "found", "rate")):
        _font(grid.rows[2].cells[i].paragraphs[0].add_run(f"{{{{ g.{k} }}}}"), "仿宋", 10.5)
    grid.add_row().cells[0].text = "{%tr endfor %}"
    _widths(grid, (3.6, 2.4, 2.4, 2.4, 2.4, 2.4))
    para("", indent=False)

    para("三、存在问题", font="黑体")
    para("{%p for t in problems %}", indent=False)
    para("{{ t }}")
    para("{%p endfor %}", indent=False)
    para("四、{{ next_label }}工作计划", font="黑体")
    para("{%p for t in next_plan %}", indent=False)
    para("{{ t }}")
    para("{%p endfor %}", indent=False)
    para("", indent=False)
    para("签发人：{{ signer }}", align="right", indent=False)
    para("{{ station }}", align="right", indent=False)
    para("{{ date_cn }}", align="right", indent=False)
    doc.save(str(path))


def main() -> None:
    build_xlsx(HERE / XLSX_NAME)
    build_docx(HERE / DOCX_NAME)
    print(f"已生成 {HERE / XLSX_NAME} 和 {HERE / DOCX_NAME}")


if __name__ == "__main__":
    main()
