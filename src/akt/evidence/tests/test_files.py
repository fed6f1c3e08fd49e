"""What a file is, told from its bytes (no database)."""

from __future__ import annotations

import io
import zipfile

import pytest

from akt.evidence import files

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)


def office(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("lista e pjesëmarrësve 12.05.2015.PDF", PDF, "application/pdf"),
        ("IMG_20150512_101112.jpg", JPEG, "image/jpeg"),
        ("fotografija.jpeg", JPEG, "image/jpeg"),
        ("skenim.png", PNG, "image/png"),
        ("scan.tif", b"II*\x00" + bytes(20), "image/tiff"),
        ("foto.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(20), "image/webp"),
        (
            "marrëveshja.docx",
            office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "buxheti.xlsx",
            office({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "odluka.odt",
            office({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            "application/vnd.oasis.opendocument.text",
        ),
    ],
)
def test_the_kinds_kept_are_told_by_their_content(name: str, data: bytes, media_type: str) -> None:
    assert files.checked(name, data).media_type == media_type


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("lista.pdf", b"", "empty"),
        ("lista.pdf", b"MZ\x90\x00" + bytes(100), "unknown_type"),  # a program, renamed
        ("lista.pdf", b"<html><script>alert(1)</script>", "unknown_type"),
        ("photo.pdf", JPEG, "wrong_extension"),  # a photo named as a PDF
        ("lista", PDF, "wrong_extension"),  # no extension at all
        ("arkiv.zip", office({"a.txt": b"x"}), "unknown_type"),  # a zip that is no document
        ("broken.docx", b"PK\x03\x04" + bytes(30), "unknown_type"),
    ],
)
def test_other_files_are_refused_with_the_reason(name: str, data: bytes, code: str) -> None:
    with pytest.raises(files.RefusedFile) as refused:
        files.checked(name, data)
    assert refused.value.code == code


def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(files.RefusedFile) as refused:
        files.checked("scan.pdf", PDF + bytes(files.MAX_BYTES))
    assert refused.value.code == "too_large"
    assert refused.value.details["limit"] == files.MAX_BYTES
