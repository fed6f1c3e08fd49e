"""A report document written as Word and PDF: the same words, every script intact, the same
bytes every time, fonts embedded, pages that render."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from akt.reports.document import (
    Document,
    Drawn,
    Heading,
    PageBreak,
    Paragraph,
    Picture,
    Table,
    docx_bytes,
    pdf_bytes,
)
from akt.reports.drawing import drawing, new_figure, png_of

NAMES = ("Graçanicë", "Gračanica", "Грачаница")
WORDS = {
    "en": ("Results by objective", "Participants by community"),
    "sq": ("Rezultatet sipas objektivit", "Pjesëmarrësit sipas komunitetit"),
    "sr-latn": ("Rezultati po cilju", "Učesnici po zajednici"),
    "sr": ("Резултати по циљу", "Учесници по заједници"),
}


def picture() -> bytes:
    with drawing():
        figure = new_figure(4, 2)
        figure.add_subplot().barh(list(NAMES), [3, 5, 2])
    return png_of(figure, dpi=80)


def document(language: str) -> Document:
    heading, chart = WORDS[language]
    rows = tuple((f"{NAMES[index % 3]} {index}", str(index), "12") for index in range(40))
    return Document(
        title=f"{heading}: {' / '.join(NAMES)}",
        subtitle="FY 2016, Q2",
        language=language,
        dated=dt.datetime(2016, 4, 15, 9, 30),
        author="Drita Berisha",
        blocks=(
            Heading(heading),
            Paragraph(f"{NAMES[0]}, {NAMES[1]} — {NAMES[2]}."),
            Table(chart, ("", "2016", "%"), rows, numeric=frozenset({1, 2})),
            Picture(chart, f"{chart}: {', '.join(NAMES)}", Drawn(picture())),
            PageBreak(),
            Paragraph("Boundaries © OpenStreetMap contributors, via geoBoundaries", note=True),
        ),
    )


@pytest.mark.parametrize("language", sorted(WORDS))
def test_the_word_file_holds_the_documents_words_and_pictures(language: str) -> None:
    written = docx_bytes(document(language))
    word = docx.Document(io.BytesIO(written))
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    heading, chart = WORDS[language]
    assert heading in text and chart in text
    assert all(name in text for name in NAMES)
    assert [p.style.name for p in word.paragraphs if p.text == heading] == ["Heading 1"]
    (table,) = word.tables
    assert len(table.rows) == 41 and table.rows[3].cells[0].text == f"{NAMES[2]} 2"
    xml = zipfile.ZipFile(io.BytesIO(written)).read("word/document.xml").decode()
    assert '<w:tblHeader w:val="true"/>' in xml  # the header row repeats on every page
    assert f'descr="{chart}: {", ".join(NAMES)}"' in xml  # the picture's alternative text
    assert word.core_properties.created == dt.datetime(2016, 4, 15, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("language", sorted(WORDS))
def test_the_pdf_keeps_every_script_and_embeds_its_font(language: str) -> None:
    written = pdf_bytes(document(language))
    reader = PdfReader(io.BytesIO(written))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for name in NAMES:
        assert name in text, name
    assert WORDS[language][0] in text
    assert len(reader.pages) >= 2
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts  # every font embedded (no standard font the reader must supply)
    for font in fonts:
        assert "DejaVuSans" in font["/BaseFont"], font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
    assert reader.metadata is not None and reader.metadata.title == document(language).title


@pytest.mark.parametrize("write", [docx_bytes, pdf_bytes])
def test_the_same_document_gives_the_same_bytes(write: object) -> None:
    assert write(document("sr")) == write(document("sr"))  # type: ignore[operator]
    assert write(document("sr")) != write(document("sq"))  # type: ignore[operator]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_the_pdf_pages_render(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(pdf_bytes(document("sr")))
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2 and all(page.stat().st_size > 2_000 for page in pages)
