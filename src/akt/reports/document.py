"""A report as a document: headings, paragraphs, tables and pictures, written as Word or PDF.

The report builders (:mod:`akt.reports.report_builders`) say WHAT a report holds, in the reader's
language, as a :class:`Document` of plain blocks; this module only writes such a document out, so
the page, the Word file and the PDF hold the same words, numbers and pictures:

- :func:`docx_bytes`: an Office Open XML document (python-docx), headings as Word headings (a
  navigable outline), tables with a header row repeated on every page, pictures as PNG with
  their description as alternative text.
- :func:`pdf_bytes`: a PDF (reportlab) with DejaVu Sans embedded, which covers Albanian, Serbian
  Latin and Serbian Cyrillic, so "Graçanicë", "Gračanica" and "Грачаница" print and extract intact.

Both are deterministic: the same document gives the same bytes (fixed document dates, a fixed
PDF identifier, fixed times inside the Word file's zip), which an approved quarter's report needs
to be reproduced byte for byte.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from xml.sax.saxutils import escape

from akt.reports.drawing import font_paths

# -- the document ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 for a part, 2 for a section, 3 below


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # smaller print: sources, attributions, explanations


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()  # columns aligned right (figures)


class Drawing(Protocol):
    """What a picture draws: a chart or a map by its specification, drawn when a writer asks
    (so a document can be kept and written again without its pictures' bytes)."""

    def png(self) -> bytes: ...

    def svg(self) -> str: ...


@dataclass(frozen=True)
class Drawn:
    """A picture already drawn: its PNG (and SVG, for a page)."""

    png_bytes: bytes
    svg_text: str = ""

    def png(self) -> bytes:
        return self.png_bytes

    def svg(self) -> str:
        return self.svg_text


@dataclass(frozen=True)
class Picture:
    """A chart or map: its PNG for print, its SVG for the page, and words for those who do not
    see it (the table of its figures goes beside it as a :class:`Table`)."""

    title: str
    description: str
    drawing: Drawing
    width_cm: float = 16.0

    @property
    def png(self) -> bytes:
        return self.drawing.png()

    @property
    def svg(self) -> str:
        return self.drawing.svg()


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Picture | PageBreak


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    language: str  # the interface language code: en, sq, sr-latn, sr
    dated: datetime  # the document's own date (the approval's, for an approved quarter)
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    author: str = ""


def document_text(document: Document) -> str:
    """Every word of the document, in order: what a reader of the page, the Word file or the
    PDF reads (used to check that the three agree)."""
    parts = [document.title, document.subtitle]
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.append(block.caption)
            parts.extend(" ".join(row) for row in (block.header, *block.rows))
        elif isinstance(block, Picture):
            parts.append(block.title)
    return "\n".join(part for part in parts if part)


# -- Word ------------------------------------------------------------------------------------

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_WORD_LANGUAGE = {"en": "en-US", "sq": "sq-AL", "sr-latn": "sr-Latn-RS", "sr": "sr-Cyrl-RS"}


def docx_bytes(document: Document) -> bytes:
    """The document as a Word (.docx) file."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    word = docx.Document()
    language = _WORD_LANGUAGE.get(document.language, "en-US")
    styles = word.styles
    normal = styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)
    _set_language(normal.element, language, OxmlElement, qn)
    properties = word.core_properties
    properties.title = document.title
    properties.subject = document.subtitle
    properties.author = document.author
    properties.language = language
    properties.created = properties.modified = document.dated.replace(tzinfo=None)
    properties.last_modified_by = document.author
    properties.revision = 1

    word.add_heading(document.title, level=0)
    if document.subtitle:
        word.add_paragraph(document.subtitle, style="Subtitle")
    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=min(max(block.level, 1), 3))
        elif isinstance(block, Paragraph):
            paragraph = word.add_paragraph(block.text)
            if block.note:
                for run in paragraph.runs:
                    run.font.size = Pt(8)
        elif isinstance(block, Table):
            if block.caption:
                word.add_paragraph(block.caption, style="Caption")
            table = word.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            header = table.rows[0]
            _repeat_header(header, OxmlElement, qn)
            for index, text in enumerate(block.header):
                cell = header.cells[index]
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.font.bold = True
            for row in block.rows:
                cells = table.add_row().cells
                for index, text in enumerate(row):
                    cells[index].text = text
                    if index in block.numeric:
                        cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif isinstance(block, Picture):
            word.add_paragraph(block.title, style="Caption")
            word.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
            _describe_last_picture(word, block)
        elif isinstance(block, PageBreak):
            word.add_page_break()
    buffer = io.BytesIO()
    word.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _set_language(element: Any, language: str, make: Any, qn: Any) -> None:
    """Marks the style's text as written in ``language`` (spelling and hyphenation)."""
    properties = element.get_or_add_rPr()
    tag = make("w:lang")
    tag.set(qn("w:val"), language)
    tag.set(qn("w:eastAsia"), language)
    tag.set(qn("w:bidi"), language)
    properties.append(tag)


def _repeat_header(row: Any, make: Any, qn: Any) -> None:
    """A table's first row repeats at the top of every page the table runs over."""
    properties = row._tr.get_or_add_trPr()
    repeat = make("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _describe_last_picture(word: Any, picture: Picture) -> None:
    """The picture's description as its alternative text (``descr`` of its drawing)."""
    body = word.element.body
    found = body.xpath(".//wp:docPr")
    if found:
        found[-1].set("descr", picture.description or picture.title)
        found[-1].set("title", picture.title)


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's time fixed, so the file's bytes depend on its content
    only (a zip records when each entry was written)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# -- PDF -------------------------------------------------------------------------------------

_FONT, _BOLD = "AKTSans", "AKTSans-Bold"


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT in pdfmetrics.getRegisteredFontNames():
        return
    paths = font_paths()
    pdfmetrics.registerFont(TTFont(_FONT, str(paths["regular"])))
    pdfmetrics.registerFont(TTFont(_BOLD, str(paths["bold"])))
    pdfmetrics.registerFontFamily(_FONT, normal=_FONT, bold=_BOLD, italic=_FONT, boldItalic=_BOLD)


def pdf_bytes(document: Document) -> bytes:
    """The document as a PDF (A4), DejaVu Sans embedded."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import (
        Image,
        KeepTogether,
        LongTable,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )
    from reportlab.platypus import PageBreak as PdfPageBreak
    from reportlab.platypus import Paragraph as PdfParagraph

    _register_fonts()
    body = ParagraphStyle(
        "body", fontName=_FONT, bulletFontName=_FONT, fontSize=9.5, leading=13, spaceAfter=5
    )
    note = ParagraphStyle("note", parent=body, fontSize=7.5, leading=10, textColor="#444444")
    title = ParagraphStyle("title", parent=body, fontName=_BOLD, fontSize=18, leading=22)
    subtitle = ParagraphStyle("subtitle", parent=body, fontSize=11, leading=15, spaceAfter=12)
    headings = {
        1: ParagraphStyle("h1", parent=body, fontName=_BOLD, fontSize=14, leading=18,
                          spaceBefore=10, spaceAfter=6),
        2: ParagraphStyle("h2", parent=body, fontName=_BOLD, fontSize=12, leading=15,
                          spaceBefore=8, spaceAfter=4),
        3: ParagraphStyle("h3", parent=body, fontName=_BOLD, fontSize=10, leading=13,
                          spaceBefore=6, spaceAfter=3),
    }  # fmt: skip
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0)
    number = ParagraphStyle("number", parent=cell, alignment=TA_RIGHT, fontSize=7.5)
    head = ParagraphStyle("head", parent=cell, fontName=_BOLD, fontSize=7, leading=8.5)
    caption = ParagraphStyle("caption", parent=body, fontName=_BOLD, fontSize=9, spaceAfter=3)

    def text(value: str, style: ParagraphStyle) -> PdfParagraph:
        return PdfParagraph(escape(value).replace("\n", "<br/>"), style)

    flow: list[object] = [text(document.title, title)]
    if document.subtitle:
        flow.append(text(document.subtitle, subtitle))
    width = A4[0] - 4 * cm
    headed: list[object] = []  # headings waiting for what they head: kept on its page
    for block in document.blocks:
        if isinstance(block, Heading):
            headed.append(text(block.text, headings[min(max(block.level, 1), 3)]))
            continue
        kept: list[object] = []  # what stays on one page, with the headings before it
        rest: list[object] = []
        if isinstance(block, Paragraph):
            kept.append(text(block.text, note if block.note else body))
        elif isinstance(block, Table):
            rows = [[text(value, head) for value in block.header]]
            rows += [
                [
                    text(value, number if index in block.numeric else cell)
                    for index, value in enumerate(row)
                ]
                for row in block.rows
            ]
            table = LongTable(rows, repeatRows=1, hAlign="LEFT", colWidths=_widths(block, width))
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), _FONT),
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("TOPPADDING", (0, 0), (-1, -1), 2),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                        ("LEFTPADDING", (0, 0), (-1, -1), 3),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ]
                )
            )
            parts = [text(block.caption, caption)] if block.caption else []
            if len(block.rows) < 25:  # a short table on one page
                kept.extend([*parts, table])
            else:  # a long one from where it starts, its heading row on every page
                kept.extend(parts)
                rest.append(table)
            rest.append(Spacer(1, 6))
        elif isinstance(block, Picture):
            png = block.png
            pixels_wide, pixels_high = ImageReader(io.BytesIO(png)).getSize()
            shown = min(block.width_cm * cm, width)
            image = Image(io.BytesIO(png), width=shown, height=shown * pixels_high / pixels_wide)
            kept.extend([text(block.title, caption), image])
            rest.append(Spacer(1, 6))
        elif isinstance(block, PageBreak):
            flow.extend(headed)
            headed = []
            flow.append(PdfPageBreak())
            continue
        group = [*headed, *kept]
        headed = []
        if group:
            flow.append(KeepTogether(group) if len(group) > 1 else group[0])
        flow.extend(rest)
    flow.extend(headed)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=document.title,
        subject=document.subtitle,
        author=document.author,
        lang=document.language,
        invariant=True,
        creator="AKT",
        # Every text in DejaVu Sans, the page's starting font too (else a standard font that
        # is never embedded is declared on every page).
        initialFontName=_FONT,
        initialFontSize=9.5,
    )
    page_label = document.title

    def footer(canvas: Any, page: Any) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 7.5)
        canvas.drawString(2 * cm, 1.2 * cm, page_label)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, str(page.page))
        canvas.restoreState()

    pdf.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _widths(table: Table, width: float) -> Sequence[float] | None:
    """Names are long, figures short: the figure columns share three fifths of the width, each
    from 2.1 cm (a heading's longest word, an amount with its currency fit) to 2.6 cm; the
    first column takes the rest."""
    columns = len(table.header)
    if columns < 2:
        return None
    figure = min(2.6 * 28.35, max(2.1 * 28.35, width * 0.6 / (columns - 1)))
    first = width - figure * (columns - 1)
    return [first, *([figure] * (columns - 1))]
