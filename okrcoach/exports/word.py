"""Shared python-docx helpers: safe text, an A4 document with styles and page numbers, tables that fit."""

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Calibri"
INK = RGBColor(0x1F, 0x2A, 0x37)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
ACCENT_HEX = "1F4E79"
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
RULE_HEX = "A6B4C4"
LABEL_FILL_HEX = "E8EEF5"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.0)
TEXT_WIDTH_CM = 17.0
TABLE_STYLE = "Table Grid"
TABLE_TEXT = "Table Text"
TABLE_HEADING = "Table Heading"
SMALL = "Small Note"
SPACER = "Spacer"
KICKER = "Kicker"
FIELD_LABEL = "Field Label"
FORM_TEXT = "Form Text"
KEEP_ROW_CHARS = 800

# XML 1.0 forbids these (python-docx raises on them); C1 controls and lone surrogates go too.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
_OPENERS, _POP = "\u202a\u202b\u202d\u202e", "\u202c"  # LRE RLE LRO RLO, closed by PDF
_ISOLATE_OPENERS, _POP_ISOLATE = "\u2066\u2067\u2068", "\u2069"  # LRI RLI FSI, closed by PDI
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _close_bidi(text: str) -> str:
    """Close direction overrides and isolates left open, so they cannot reverse the text after them."""
    depth = isolates = 0
    for char in text:
        if char in _OPENERS:
            depth += 1
        elif char == _POP and depth:
            depth -= 1
        elif char in _ISOLATE_OPENERS:
            isolates += 1
        elif char == _POP_ISOLATE and isolates:
            isolates -= 1
    return text + _POP * depth + _POP_ISOLATE * isolates


def safe(text: object) -> str:
    """The text with every character XML cannot hold removed, line ends made plain, bidi overrides closed."""
    if text is None:
        return ""
    value = _ILLEGAL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    return _close_bidi(value) if _BIDI_CONTROLS.search(value) else value


def short(text: object, limit: int = 120) -> str:
    """One line of safe text, cut at a word boundary with an ellipsis if longer than limit."""
    value = _SPACES.sub(" ", safe(text)).strip()
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(" ", 1)[0] if " " in value[:limit] else value[:limit]
    cut = cut.rstrip(" ,;:.-—") + "…"
    return _close_bidi(cut) if _BIDI_CONTROLS.search(cut) else cut


def _fonts(element, name: str = FONT) -> None:
    """Pin a style's or default's fonts by name (theme fonts would override a plain font name)."""
    rpr = element.get_or_add_rPr() if hasattr(element, "get_or_add_rPr") else element.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _paragraph_style(doc: DocxDocument, name: str, *, size: float, bold: bool = False, italic: bool = False,
                     color: RGBColor = INK, before: float = 0, after: float = 6, keep_with_next: bool = False):
    styles = doc.styles
    style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name not in ("Normal",):
        style.base_style = styles["Normal"]
    _fonts(style.element)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = color
    style.paragraph_format.space_before = Pt(before)
    style.paragraph_format.space_after = Pt(after)
    style.paragraph_format.keep_with_next = keep_with_next
    return style


def _set_styles(doc: DocxDocument) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    _fonts(defaults)
    normal = _paragraph_style(doc, "Normal", size=10.5, after=6)
    normal.paragraph_format.line_spacing = 1.12
    title = _paragraph_style(doc, "Title", size=30, bold=True, color=ACCENT, after=10)
    border = title.element.find(qn("w:pPr")).find(qn("w:pBdr"))
    if border is not None:  # the default template underlines the title in bright blue
        border.getparent().remove(border)
    subtitle = _paragraph_style(doc, "Subtitle", size=15, color=MUTED, after=24)
    numbering = subtitle.element.find(qn("w:pPr")).find(qn("w:numPr"))
    if numbering is not None:  # a stray list level in the default template's subtitle
        numbering.getparent().remove(numbering)
    for level, (size, before, after) in enumerate(((17, 18, 10), (13.5, 16, 6), (11.5, 12, 4)), start=1):
        heading = _paragraph_style(doc, f"Heading {level}", size=size, bold=True, color=ACCENT,
                                   before=before, after=after, keep_with_next=True)
        heading.paragraph_format.keep_together = True
    _paragraph_style(doc, TABLE_TEXT, size=9, after=0).paragraph_format.line_spacing = 1.0
    _paragraph_style(doc, TABLE_HEADING, size=9, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF),
                     after=0).paragraph_format.line_spacing = 1.0
    _paragraph_style(doc, FORM_TEXT, size=10, after=0).paragraph_format.line_spacing = 1.05
    _paragraph_style(doc, SMALL, size=8.5, color=MUTED, after=4)
    _paragraph_style(doc, SPACER, size=4, after=0).paragraph_format.line_spacing = 1.0
    _paragraph_style(doc, KICKER, size=11, bold=True, color=MUTED, after=4)
    _paragraph_style(doc, FIELD_LABEL, size=10.5, bold=True, color=ACCENT, before=8, after=2, keep_with_next=True)
    for name in ("List Bullet", "List Number"):
        doc.styles[name].paragraph_format.space_after = Pt(3)
    doc.styles["Header"].font.size = Pt(8)
    doc.styles["Footer"].font.size = Pt(8)


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A simple field (PAGE, NUMPAGES) Word and LibreOffice compute when they lay out the page."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    properties = _append(run, "w:rPr")
    _append(properties, "w:color", val=str(MUTED))
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def new_document(title: str, subject: str, author: str, *, footer: str = "", header: str = "",
                 created: float | None = None, keywords: str = "OKRs") -> DocxDocument:
    """An A4 document with our styles, core properties set and 'Page N of M' in the footer."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
    section.header_distance, section.footer_distance = Cm(0.9), Cm(0.8)
    _set_styles(doc)
    properties = doc.core_properties
    properties.title = short(title, 250)
    properties.subject = short(subject, 250)
    properties.author = short(author, 250)
    properties.last_modified_by = properties.author
    properties.keywords = keywords
    properties.comments = ""
    properties.category = ""
    properties.revision = 1
    when = datetime.fromtimestamp(created, UTC) if created is not None else datetime.now(UTC)
    properties.created = properties.modified = when.replace(microsecond=0, tzinfo=None)
    page = section.footer.paragraphs[0]
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _styled(page, "Footer")
    lead = safe(footer).strip()
    page.add_run(f"{lead}   ·   Page " if lead else "Page ").font.color.rgb = MUTED
    _field(page, "PAGE")
    page.add_run(" of ").font.color.rgb = MUTED
    _field(page, "NUMPAGES")
    if header:
        top = section.header.paragraphs[0]
        top.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _styled(top, "Header")
        top.add_run(short(header, 200)).font.color.rgb = MUTED
    return doc


def plain_first_page(doc: DocxDocument) -> None:
    """No header or footer on the first page (a cover)."""
    doc.sections[0].different_first_page_header_footer = True


def to_bytes(doc: DocxDocument) -> bytes:
    """The document as .docx bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def style_id(name: str) -> str:
    """The id of one of our paragraph styles (python-docx and Word derive it by dropping spaces)."""
    return name.replace(" ", "")


def _styled(paragraph: Paragraph, style: str | None) -> Paragraph:
    # Setting the id directly: paragraph.style = ... rescans every style each time, slow in long packs.
    if style:
        paragraph._p.style = style_id(style)
    return paragraph


def _add_block(doc_or_cell, element) -> Paragraph:
    """Append a paragraph element to the document body (before its section properties) or to a cell."""
    if isinstance(doc_or_cell, DocxDocument):
        body = doc_or_cell.element.body
        last = next(body.iterchildren(reversed=True), None)  # len(body) would walk every child
        if last is not None and last.tag == qn("w:sectPr"):
            last.addprevious(element)  # python-docx's add_paragraph scans the whole body each time
        else:
            body.append(element)
        return Paragraph(element, doc_or_cell._body)
    doc_or_cell._tc.append(element)
    return Paragraph(element, doc_or_cell)


def _paragraph_xml(text: str, style: str | None, *, bold: bool = False, italic: bool = False,
                   color: RGBColor | None = None, keep_with_next: bool = False, page_break: bool = False,
                   bookmark: tuple[int, str] | None = None) -> str:
    properties = "".join([
        f'<w:pStyle w:val="{style_id(style)}"/>' if style else "",
        "<w:keepNext/>" if keep_with_next else "",
        "<w:pageBreakBefore/>" if page_break else "",
    ])
    runs = _runs_xml(text, bold, italic=italic, color=color)
    if bookmark:
        number, name = bookmark
        runs = f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>{runs}<w:bookmarkEnd w:id="{number}"/>'
    return f"<w:p {_W_NS}><w:pPr>{properties}</w:pPr>{runs}</w:p>"


def heading(doc: DocxDocument, text: object, level: int, *, new_page: bool = False, limit: int = 150,
            bookmark: tuple[int, str] | None = None) -> Paragraph:
    """A heading in Word's heading style (level 0 is the Title), on one line, never empty, kept with what follows."""
    style = "Title" if level == 0 else f"Heading {level}"
    return _add_block(doc, parse_xml(_paragraph_xml(short(text, limit) or "—", style, keep_with_next=True,
                                                    page_break=new_page, bookmark=bookmark)))


def runs(doc: DocxDocument, pieces: list[tuple[str, bool]], *, keep_with_next: bool = False) -> Paragraph:
    """A paragraph of several runs of safe text, each bold or not ('Status: ' in bold, then the status)."""
    xml = "".join(_runs_xml(safe(text), bold) for text, bold in pieces)
    keep = "<w:keepNext/>" if keep_with_next else ""
    return _add_block(doc, parse_xml(f"<w:p {_W_NS}><w:pPr>{keep}</w:pPr>{xml}</w:p>"))


def para(doc_or_cell, text: object = "", style: str | None = None, *, bold: bool = False,
         italic: bool = False, color: RGBColor | None = None, keep_with_next: bool = False) -> Paragraph:
    """A paragraph of safe text (newlines become line breaks)."""
    return _add_block(doc_or_cell, parse_xml(_paragraph_xml(safe(text), style, bold=bold, italic=italic, color=color,
                                                            keep_with_next=keep_with_next)))


def _restarted_numbering(doc: DocxDocument) -> int:
    """A new list instance of the 'List Number' style that starts again at 1."""
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    numbering = doc.part.numbering_part.element
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def bullets(doc: DocxDocument, items: list[str], numbered: bool = False) -> None:
    """A bulleted list, or a numbered one starting at 1, of safe text."""
    style = "List Number" if numbered else "List Bullet"
    num_id = _restarted_numbering(doc) if numbered and items else None
    for item in items:
        paragraph = para(doc, item, style)
        if num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id


def _append(parent, tag: str, **attributes):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    parent.append(element)
    return element


def _cm_to_twips(cm: float) -> int:
    return round(cm * 567)


def row_cells(table: Table, row) -> list[_Cell]:
    """A row's cells without re-scanning the table (fast for long tables)."""
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def shade(cell: _Cell, fill_hex: str) -> None:
    """Fill a cell's background."""
    tc_pr = cell._tc.get_or_add_tcPr()
    old = tc_pr.find(qn("w:shd"))
    if old is not None:
        tc_pr.remove(old)
    _append(tc_pr, "w:shd", val="clear", color="auto", fill=fill_hex)


def set_text(cell: _Cell, value: object, style: str | None = None, *, bold: bool = False,
             italic: bool = False) -> None:
    """Write safe text into a fresh cell's paragraph (newlines become line breaks)."""
    paragraph = _styled(cell.paragraphs[0], style)
    text = safe(value)
    if text:
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if italic:
            run.italic = True


def widths_for(count: int, widths: list[float] | None) -> list[float]:
    """Column widths in cm that add up to the text width of an A4 portrait page."""
    if not widths:
        return [TEXT_WIDTH_CM / count] * count
    if len(widths) != count:
        raise ValueError(f"{count} columns but {len(widths)} widths")
    scale = TEXT_WIDTH_CM / sum(widths)
    return [w * scale for w in widths] if scale < 1 else list(widths)


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _runs_xml(text: str, bold: bool = False, *, italic: bool = False, color: RGBColor | None = None) -> str:
    """A run of already-safe text: newlines become line breaks and tabs tabs."""
    parts = []
    for number, line in enumerate(text.split("\n")):
        if number:
            parts.append("<w:br/>")
        for piece_number, piece in enumerate(line.split("\t")):
            if piece_number:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    if not parts:
        return ""
    properties = "".join(["<w:b/>" if bold else "", "<w:i/>" if italic else "",
                          f'<w:color w:val="{color}"/>' if color is not None else ""])
    return f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{''.join(parts)}</w:r>"


def _cell_xml(width: int, text: str, style: str, *, fill: str = "", bold: bool = False, span: int = 1,
              keep_next: bool = False) -> str:
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    keep = "<w:keepNext/>" if keep_next else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}{shading}</w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}</w:pPr>{_runs_xml(text, bold)}</w:p></w:tc>')


def _table_xml(twips: list[int], rows: list[list[str]], *, header: list[str] | None, borders_hex: str,
               bold_last_row: bool = False, keep_together: bool = False, fill: str = "") -> str:
    """A whole fixed-layout table as WordprocessingML, built as text: far faster than cell by cell."""
    parts = [_table_start(twips, borders_hex)]
    if header is not None:
        # cantSplit keeps the header whole; tblHeader repeats it on every page the table runs onto.
        parts.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        parts += [_cell_xml(w, safe(label), style_id(TABLE_HEADING), fill=ACCENT_HEX, keep_next=keep_together)
                  for w, label in zip(twips, header, strict=True)]
        parts.append("</w:tr>")
    text_style = style_id(TABLE_TEXT)
    for index, values in enumerate(rows):
        bold = bold_last_row and index == len(rows) - 1
        # A short row stays on one page; a very long one may split, or it would be cut off at the page end.
        short_row = sum(len(str(value or "")) for value in values) <= KEEP_ROW_CHARS
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>" if short_row else "<w:tr>")
        keep = keep_together and index < len(rows) - 1
        parts += [_cell_xml(w, safe(value), text_style, bold=bold, keep_next=keep, fill=fill)
                  for w, value in zip(twips, values, strict=True)]
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _table_start(twips: list[int], borders_hex: str) -> str:
    side = (f'w:val="single" w:sz="4" w:space="0" w:color="{borders_hex}"' if borders_hex
            else 'w:val="nil"')
    borders = "".join(f"<w:{name} {side}/>" for name in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return "".join([
        f"<w:tbl {_W_NS}><w:tblPr><w:tblStyle w:val=\"{style_id(TABLE_STYLE)}\"/>",
        f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="left"/><w:tblBorders>{borders}</w:tblBorders>',
        # Fixed layout: long words wrap inside their cell and never push the table past the margin.
        ('<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="45" w:type="dxa"/>'
         '<w:left w:w="90" w:type="dxa"/><w:bottom w:w="45" w:type="dxa"/><w:right w:w="90" w:type="dxa"/>'
         '</w:tblCellMar><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
         'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>'),
        "".join(f'<w:gridCol w:w="{w}"/>' for w in twips),
        "</w:tblGrid>",
    ])


@dataclass(frozen=True)
class FormCell:
    """One cell of a paper form: a shaded label, a value (or space to write), or a grey hint."""

    text: str = ""
    span: int = 1
    label: bool = False
    hint: bool = False


def form(doc: DocxDocument, rows: list[tuple[float | None, list[FormCell]]], widths: list[float]) -> Table:
    """A form kept on one page: each row has a minimum height (room to write) and its cells."""
    twips = [_cm_to_twips(w) for w in widths_for(len(widths), widths)]
    parts = [_table_start(twips, RULE_HEX)]
    for number, (height, cells) in enumerate(rows):
        height_xml = f'<w:trHeight w:val="{_cm_to_twips(height)}" w:hRule="atLeast"/>' if height else ""
        keep = "<w:cantSplit/>" if sum(len(cell.text) for cell in cells) <= KEEP_ROW_CHARS else ""
        parts.append(f"<w:tr><w:trPr>{keep}{height_xml}</w:trPr>")
        column = 0
        for cell in cells:
            width = sum(twips[column:column + cell.span])
            column += cell.span
            style = SMALL if cell.hint else FORM_TEXT
            parts.append(_cell_xml(width, safe(cell.text), style_id(style), fill=LABEL_FILL_HEX if cell.label else "",
                                   bold=cell.label, span=cell.span, keep_next=number < len(rows) - 1))
        if column != len(twips):
            raise ValueError(f"form row {number} spans {column} of {len(twips)} columns")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return _insert_table(doc, "".join(parts))


def box(doc: DocxDocument, height_cm: float, text: object = "", hint: str = "") -> Table:
    """A framed space to write in, optionally holding text already written."""
    value = safe(text).strip()
    return form(doc, [(height_cm, [FormCell(value or hint, hint=not value and bool(hint))])], [TEXT_WIDTH_CM])


def _insert_table(doc: DocxDocument, xml: str) -> Table:
    tbl = parse_xml(xml)
    doc.element.body._insert_tbl(tbl)  # before the final section properties, as add_table does
    return Table(tbl, doc._body)


def grid(doc: DocxDocument, rows: int, widths: list[float], *, borders_hex: str = RULE_HEX) -> Table:
    """An empty fixed-layout table whose columns fit the page; each cell holds one table-text paragraph."""
    twips = [_cm_to_twips(w) for w in widths_for(len(widths), widths)]
    return _insert_table(doc, _table_xml(twips, [[""] * len(twips)] * rows, header=None, borders_hex=borders_hex))


def table(doc: DocxDocument, headers: list[str], rows: list[list[object]], widths: list[float] | None = None,
          *, bold_last_row: bool = False, keep_together: bool = False, fill: str = "") -> Table:
    """A readable table: a shaded header row repeated on every page, wrapped text, fitted to the page.

    keep_together keeps each row on the page of the next one, so a short table is never split."""
    twips = [_cm_to_twips(w) for w in widths_for(len(headers), widths)]
    table_ = _insert_table(doc, _table_xml(twips, rows, header=headers, borders_hex=RULE_HEX,
                                           bold_last_row=bold_last_row, keep_together=keep_together, fill=fill))
    para(doc, "", SMALL)  # breathing room after the table
    return table_


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the table of contents: a heading's level, its text and its bookmark."""

    level: int
    text: str
    bookmark: str


def contents(after: Paragraph, entries: list[ContentsEntry], right_tab_cm: float = TEXT_WIDTH_CM) -> None:
    """A table of contents after a paragraph: each heading linked, with a PAGEREF field for its page number.

    Word knows the block as its table of contents (Update Table rebuilds it); LibreOffice keeps a TOC field's
    stored text as it was written, but computes PAGEREF fields when it lays out the pages."""
    tab = _cm_to_twips(right_tab_cm)
    lines = []
    for entry in entries:
        name = escape(entry.bookmark, {'"': "&quot;"})
        lines.append(
            f'<w:p><w:pPr><w:pStyle w:val="TOC{entry.level}"/><w:tabs><w:tab w:val="right" w:leader="dot" '
            f'w:pos="{tab}"/></w:tabs></w:pPr><w:hyperlink w:anchor="{name}" w:history="1">'
            f'{_runs_xml(short(entry.text, 100))}<w:r><w:tab/></w:r>'
            f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF {name} \\h </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>?</w:t></w:r>'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>')
    block = parse_xml(
        f'<w:sdt {_W_NS}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
        f'</w:docPartObj></w:sdtPr><w:sdtContent>{"".join(lines)}</w:sdtContent></w:sdt>')
    after._p.addnext(block)


def contents_styles(doc: DocxDocument, levels: int = 2) -> None:
    """The TOC 1, TOC 2… paragraph styles of the table of contents."""
    for level in range(1, levels + 1):
        style = _paragraph_style(doc, f"TOC {level}", size=11 if level == 1 else 10, bold=level == 1,
                                 before=6 if level == 1 else 0, after=2)
        style.paragraph_format.left_indent = Cm(0.6 * (level - 1))


def update_fields_on_open(doc: DocxDocument) -> None:
    """Ask Word to refresh every field (page numbers, the table of contents) when it opens the file."""
    settings = doc.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")
