"""What a file is, told from its bytes: the kinds of evidence files the program keeps.

A file's name says what its sender thinks it is; its first bytes say what it is. A file is
accepted when its content is one of the kinds below and its name's extension agrees (a photo
renamed ``.pdf`` is refused, so the reader who opens it gets what the list promised). Plain
Python, no Django: checked on its own.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

MAX_BYTES = 15 * 1024 * 1024
"""The largest file kept: a scanned sign-in sheet of several pages, a phone's photo."""


@dataclass(frozen=True)
class FileKind:
    media_type: str
    extensions: frozenset[str]
    label: str  # how the refusal names it


PDF = FileKind("application/pdf", frozenset({".pdf"}), "PDF")
JPEG = FileKind("image/jpeg", frozenset({".jpg", ".jpeg"}), "JPEG")
PNG = FileKind("image/png", frozenset({".png"}), "PNG")
TIFF = FileKind("image/tiff", frozenset({".tif", ".tiff"}), "TIFF")
WEBP = FileKind("image/webp", frozenset({".webp"}), "WebP")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    frozenset({".docx"}),
    "Word",
)
XLSX = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    frozenset({".xlsx"}),
    "Excel",
)
ODT = FileKind("application/vnd.oasis.opendocument.text", frozenset({".odt"}), "OpenDocument")

KINDS = (PDF, JPEG, PNG, TIFF, WEBP, DOCX, XLSX, ODT)
EXTENSIONS = sorted(extension for kind in KINDS for extension in kind.extensions)


class RefusedFile(ValueError):
    """A file that is not kept, with the reason in words a person reads (``code`` names it)."""

    def __init__(self, code: str, **details: int | str) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


def _office_kind(data: bytes) -> FileKind | None:
    """A Word, Excel or OpenDocument file: a zip whose parts say which."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
            return ODT if mimetype == ODT.media_type else None
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniffed(data: bytes) -> FileKind | None:
    """The kind of file ``data`` is, from its content; None for none of :data:`KINDS`."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def checked(name: str, data: bytes) -> FileKind:
    """The kind of an arriving file, or :class:`RefusedFile` saying why it is not kept: empty,
    too large, not a kind kept, or named as another kind than it is."""
    if not data:
        raise RefusedFile("empty")
    if len(data) > MAX_BYTES:
        raise RefusedFile("too_large", size=len(data), limit=MAX_BYTES)
    kind = sniffed(data)
    if kind is None:
        raise RefusedFile("unknown_type")
    extension = PurePath(name).suffix.lower()
    if extension not in kind.extensions:
        raise RefusedFile("wrong_extension", extension=extension or "—", kind=kind.label)
    return kind
