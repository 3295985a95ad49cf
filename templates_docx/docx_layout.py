"""Layout helpers for the enforcement-document templates (python-docx): A4 page, fonts with the east-Asian
font set, centred authority/title/文号, paragraphs, grids and growing docxtpl tables, signature and receipt
blocks. Used by build_templates.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table

SONG, FANG, HEI = "宋体", "仿宋", "黑体"
BODY_PT, TABLE_PT = 14, 10.5  # 四号 body, 五号 tables


def _font(run, family: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:  # type: ignore[no-untyped-def]
    run.font.name = family
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), family)


def new_document() -> DocumentObject:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(30), Mm(25)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = FANG
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), FANG)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(26)
    # the core properties carry no date/author: a rebuild gives the same file content
    doc.core_properties.author = "station_app"
    return doc


def para(doc: DocumentObject, text: str = "", *, indent: bool = True, align: str = "justify",
         family: str = FANG, size: float = BODY_PT, bold: bool = False, color: RGBColor | None = None,
         space_before: float = 0, keep_with_next: bool = False) -> None:
    p = doc.add_paragraph()
    if keep_with_next:  # e.g. a table's heading: never left alone at the foot of a page
        p.paragraph_format.keep_with_next = True
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if space_before:
        p.paragraph_format.space_before = Pt(space_before)
    if text:
        _font(p.add_run(text), family, size, bold=bold, color=color)


def tag(doc: DocumentObject, text: str) -> None:
    """A paragraph holding only a docxtpl ``{%p … %}`` tag (removed on render)."""
    doc.add_paragraph().add_run(text)


def heading(doc: DocumentObject, title: str, *, numbered: bool = True, authority: str = "doc.authority") -> None:
    tag(doc, "{%p if doc.preview %}")
    para(doc, "【预览 · 未编号 · 不具法律效力】", indent=False, align="center", family=HEI, size=12,
         color=RGBColor(0xC0, 0x00, 0x00))
    tag(doc, "{%p endif %}")
    para(doc, "{{ " + authority + " }}", indent=False, align="center", family=SONG, size=18, bold=True)
    para(doc, title, indent=False, align="center", family=SONG, size=22, bold=True)
    if numbered:
        para(doc, "{{ doc.number }}", indent=False, align="center", size=BODY_PT)
    para(doc, "", indent=False)


def _cell_text(cell, text: str, *, bold: bool = False, align: str = "left") -> None:  # type: ignore[no-untyped-def]
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing = Pt(18)
    p.paragraph_format.first_line_indent = None
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
    if text:
        _font(p.add_run(text), FANG, TABLE_PT, bold=bold)


def _widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Column widths in the grid (LibreOffice reads these) and on every cell (Word reads those)."""
    table.autofit = False
    for col, w in zip(table.columns, widths_mm, strict=False):
        col.width = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)


def loop_table(doc: DocumentObject, headers: Sequence[str], cells: Sequence[str], loop: str,
               widths_mm: Sequence[float]) -> None:
    """A header row, then one row per item of ``loop`` (``h in hazards``) — the table grows."""
    t = doc.add_table(rows=4, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(t.rows[0].cells, headers, strict=True):
        _cell_text(cell, text, bold=True, align="center")
        cell.paragraphs[0].paragraph_format.keep_with_next = True  # the header row stays with the first row
    # repeat the header row on every page
    trpr = t.rows[0]._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
    _cell_text(t.rows[1].cells[0], "{%tr for " + loop + " %}")
    for cell, text in zip(t.rows[2].cells, cells, strict=True):
        _cell_text(cell, text, align="center" if len(text) < 20 and "seq" in text else "left")
    _cell_text(t.rows[3].cells[0], "{%tr endfor %}")
    _cant_split(t.rows[2])  # a hazard's row is never torn across two pages
    _widths(t, widths_mm)


def _cant_split(row) -> None:  # type: ignore[no-untyped-def]
    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:cantSplit"), {}))


def form_table(doc: DocumentObject, rows: Sequence[Sequence[str]], widths_mm: Sequence[float], *,
               keep_together: bool = False) -> None:
    """A label/value grid: each row is (label, value[, label, value]); a 2-cell row spans the width.

    ``keep_together``: the rows stay on one page (keep-with-next on every row but the last)."""
    cols = max(len(r) for r in rows)
    t = doc.add_table(rows=len(rows), cols=cols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, items in enumerate(rows):
        cells = t.rows[r].cells
        if len(items) < cols:
            merged = cells[len(items) - 1].merge(cells[cols - 1])
            cells = [*cells[: len(items) - 1], merged]
        for i, text in enumerate(items):
            _cell_text(cells[i], text, bold=(i % 2 == 0), align="center" if i % 2 == 0 else "left")
        _cant_split(t.rows[r])
        if keep_together and r < len(rows) - 1:
            for cell in t.rows[r].cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True
    _widths(t, widths_mm)
    para(doc, "", indent=False)


def evidence_block(doc: DocumentObject) -> None:
    tag(doc, "{%p if evidence %}")
    para(doc, "附：证据清单（凭证据编号和SHA-256前缀可与监督站存档文件核对）", indent=False, size=12, space_before=6,
         keep_with_next=True)
    loop_table(doc, ("证据编号", "说明", "SHA-256前缀"), ("{{ e.code }}", "{{ e.caption }}", "{{ e.sha_prefix }}"),
               "e in evidence", (32, 86, 38))
    tag(doc, "{%p endif %}")


def hazard_table(doc: DocumentObject) -> None:
    # 隐患编号 (YH2026-000001) and 整改期限 (2026年3月14日) fit on one line; the text columns take the rest
    loop_table(doc, ("序号", "隐患编号", "部位", "隐患内容及判定依据", "整改要求", "整改期限"),
               ("{{ h.seq }}", "{{ h.code }}", "{{ h.location }}", "{{ h.description }}{{ h.criterion_text }}",
                "{{ h.requirement }}", "{{ h.deadline_cn }}"),
               "h in hazards", (12, 35, 17, 37, 25, 30))


def signature(doc: DocumentObject, *, signer: bool = True) -> None:
    para(doc, "", indent=False)
    if signer:
        para(doc, "签发人：{{ doc.signer }}", indent=False, align="right")
    para(doc, "{{ doc.authority }}（盖章）", indent=False, align="right")
    para(doc, "{{ doc.issue_date_cn }}", indent=False, align="right")


def receipt(doc: DocumentObject, who: str = "受文单位") -> None:
    para(doc, "", indent=False)
    para(doc, "- - - - - - - - - - - - - - - - 签 收 回 执 - - - - - - - - - - - - - - - -", indent=False,
         align="center", size=11, keep_with_next=True)
    form_table(doc, [(f"{who}签收人", "", "签收日期", "　　年　　月　　日"),
                     ("文书", "{{ doc.title }}　{{ doc.number }}")], (38, 44, 26, 48), keep_together=True)
    # the paragraph Word needs after the last table: 1 pt high, so a full page gets no blank page after it
    last = doc.paragraphs[-1].paragraph_format
    last.line_spacing, last.space_before, last.space_after = Pt(1), Pt(0), Pt(0)


def rights(doc: DocumentObject) -> None:
    tag(doc, "{%p if rights.text %}")
    para(doc, "{{ rights.text }}")
    tag(doc, "{%p endif %}")


def copy_line(doc: DocumentObject) -> None:
    para(doc, "本文书一式{{ doc.copies }}份，{{ doc.copies_note }}。", indent=False, size=11)
