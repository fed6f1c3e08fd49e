"""The contract every file source keeps: bytes in, one :class:`Sheet` of text cells out.

Whatever arrives (an Excel workbook from a municipality, a CSV exported by Kobo, a sheet saved
by a clerk whose Excel writes Windows-1250), the rest of the intake sees the same thing: a header
row, data rows numbered as the spreadsheet program numbers them, every cell as stripped text, and
the rows left out around the data (a title above the header, a total below it) with the reason
each was left out; :mod:`akt.intake.layout` decides which row is which, the same for every
reader.
A file that cannot be read safely and faithfully is refused with :class:`FileRefused`, whose
``code`` tells the page what happened and whose message tells the person what to do; no other
exception escapes :func:`read_sheet` for anything the file contains.

The refusal is decided on what the bytes are, never on the name alone: a ".csv" that is a PDF,
or an ".xlsx" that is an old .xls renamed, is named for what it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from akt.intake.fields import Field

__all__ = [
    "FileRefused",
    "Limits",
    "Sheet",
    "SheetRow",
    "SkippedRow",
    "file_size",
    "read_sheet",
]

file_size = lazy(filesizeformat, str)
"""A byte count as people read it ("20.0 MB"), in the language active when the message is shown."""


@dataclass(frozen=True)
class SheetRow:
    """One non-blank data row.

    ``number`` is the row as the spreadsheet program shows it (the header row and any blank rows
    counted), so a problem reported on row 7 is found on row 7. ``cells`` are stripped text, as
    many as the header has columns (short rows padded with ""), plus any non-empty cells beyond
    the header, kept so that validation can report them rather than lose them.
    """

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class SkippedRow:
    """A row that is neither the header nor data, and why it was left out.

    ``reason`` is one of :data:`akt.intake.layout.REASONS`: "title" (text above the header: a
    title, a date, a place), "blank" (a blank row above the header), "column-numbers" (a row
    numbering the columns 1, 2, 3...), and below the data "total", "numbers" (only numbers: a
    count, or an empty numbered line), "signature" and "note". ``cells`` as read, trailing empty
    ones dropped (none for a blank row).
    """

    number: int
    reason: str
    cells: tuple[str, ...] = ()


@dataclass
class Sheet:
    """The text of one sheet, ready to be mapped onto the intake fields."""

    file_name: str
    sheet_name: str
    """The worksheet read; for a CSV, the file name without its extension, as Excel names it."""
    headers: tuple[str, ...]
    rows: list[SheetRow]
    encoding: str | None
    """For a CSV, the codec it was read as ("utf-8", "utf-8-sig", "utf-16", "cp1250", "cp1251",
    "cp1252"), for the page to say "read as Windows-1250"; None for a workbook."""
    sha256: str
    """Of the file's bytes: the same file is recognised when it is uploaded a second time."""
    header_row: int = 1
    """The row number of the header: within the first rows, the row naming the most intake
    fields (see :func:`akt.intake.layout.arrange`), or the row the person chose."""
    delimiter: str | None = None
    """For a CSV, the cell separator found: ",", ";" or a tab."""
    metadata: dict[str, str] = field(default_factory=dict)
    """Key/value pairs from a workbook's "Activity" sheet, keys as :func:`header_key` gives them
    (a file can say which activity it reports on); empty when there is no such sheet."""
    sheet_names: tuple[str, ...] = ()
    """Every worksheet in the workbook, so the page can offer another one."""
    skipped: tuple[SkippedRow, ...] = ()
    """The rows left out, in the sheet's order: above the header, and below the data."""
    header_by: str = "names"
    """How the header row was chosen: "names" (its cells name intake fields), "first" (no row
    did, so the first row with text, whose columns the person maps by hand) or "chosen" (the
    person said which row it is)."""


@dataclass(frozen=True)
class Limits:
    """How much a file may hold before it is refused unread.

    The defaults are several times the largest sheet a program of this size produces (a year's
    attendance is tens of thousands of rows) and low enough that one upload cannot exhaust the
    server. Tests pass small limits.
    """

    max_file_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000
    """Data rows, not counting the header or blank rows."""
    max_columns: int = 200
    max_unpacked_bytes: int = 200 * 1024 * 1024
    """The sum of the declared sizes of a workbook's zip members."""
    max_compression_ratio: int = 100
    """Unpacked : packed, for any zip member larger than ``ratio_floor_bytes``. Real sheets pack
    10 to 30 times; zip bombs, thousands of times."""
    ratio_floor_bytes: int = 1024 * 1024
    max_archive_members: int = 10_000


class FileRefused(Exception):
    """The file is not read, and why, in words for the person who sent it.

    ``code`` is a short slug the page and the tests can rely on:

    ``too-large``, ``empty``, ``not-a-spreadsheet`` (a PDF, an image, a Word file, an old .xls),
    ``encrypted`` (a password-protected workbook), ``corrupt`` (a damaged or truncated
    workbook), ``zip-bomb``, ``malformed`` (a CSV whose quotes do not close), ``cell-too-large``,
    ``too-many-columns``, ``too-many-rows``, ``formulas``, ``no-sheet``, ``encoding-unknown``,
    ``encoding-ambiguous``, ``encoding-wrong`` (the chosen encoding does not fit the bytes) and
    ``no-header-row`` (the row chosen as the header is blank or past the end of the sheet).

    ``message`` is a lazy translatable text with named placeholders, filled from ``params``
    when it is shown, so ``str(error)`` is in the language active at that moment (the refusal
    may be made in a background task and shown later to a person reading Serbian). The shape
    follows Django's ``ValidationError(message, code, params)``, so a form can pass it on.
    """

    def __init__(
        self, message: StrOrPromise, code: str, params: Mapping[str, object] | None = None
    ) -> None:
        params = dict(params or {})
        super().__init__(message, code, params)  # the arguments again, so that it pickles
        self.template = message
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        """The message in the active language, placeholders filled."""
        return str(self.template) % self.params

    def __str__(self) -> str:
        return self.message


_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
"""The stream that holds an encrypted Office Open XML package inside its OLE2 wrapper."""
_OLE2_WORKBOOK = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
"""The streams of an Excel 97-2003 (BIFF8) and Excel 5 (BIFF5) workbook."""
_OTHER_BINARY = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf", b"\x1f\x8b", b"Rar!")


def read_sheet(
    data: bytes,
    file_name: str,
    *,
    limits: Limits = Limits(),  # frozen, so one shared default is safe
    encoding: str | None = None,
    sheet: str | None = None,
    fields: Sequence[Field] | None = None,
    header_row: int | None = None,
    footer: bool = True,
) -> Sheet:
    """Read a workbook or a CSV into a :class:`Sheet`, or refuse it with :class:`FileRefused`.

    ``encoding`` forces a CSV's encoding (after the person chose it, when detection could not
    decide); ``sheet`` names the worksheet of a workbook to read. Both are ignored for the other
    kind of file. The header is the row naming the most of ``fields`` (the columns of the kind
    of file expected; every intake field when None) unless ``header_row`` says which row it is;
    ``footer=False`` reads total, signature and note rows below the data as data (see
    :func:`akt.intake.layout.arrange`).
    """
    if len(data) > limits.max_file_bytes:
        raise FileRefused(
            _("%(file)s is %(size)s; files up to %(limit)s are read. Split it into smaller files."),
            "too-large",
            {
                "file": file_name,
                "size": file_size(len(data)),
                "limit": file_size(limits.max_file_bytes),
            },
        )
    if not data:
        raise FileRefused(_("%(file)s is empty."), "empty", {"file": file_name})
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith((_ZIP, _EMPTY_ZIP)):
        from akt.intake.sources import xlsx  # the readers import this module's contract

        return xlsx.read_xlsx(
            data,
            file_name,
            digest=digest,
            limits=limits,
            sheet=sheet,
            fields=fields,
            header_row=header_row,
            footer=footer,
        )
    _refuse_other_binaries(data, file_name)
    from akt.intake.sources import csvfile

    return csvfile.read_csv(
        data,
        file_name,
        digest=digest,
        limits=limits,
        encoding=encoding,
        fields=fields,
        header_row=header_row,
        footer=footer,
    )


def _refuse_other_binaries(data: bytes, file_name: str) -> None:
    """Refuse the binary files people upload by mistake, saying what they are where we know.

    An OLE2 compound file is either a workbook Excel encrypted with a password (the whole .xlsx
    package is wrapped in one) or an Excel 97-2003 .xls; neither can be read, and the person
    needs a different remedy for each.
    """
    if data.startswith(_OLE2):
        if _OLE2_ENCRYPTED in data:
            raise FileRefused(
                _(
                    "%(file)s is protected with a password, so it cannot be read. Open it in "
                    "Excel, remove the password and save it again."
                ),
                "encrypted",
                {"file": file_name},
            )
        if any(stream in data for stream in _OLE2_WORKBOOK):
            raise FileRefused(
                _(
                    "%(file)s is an Excel 97-2003 workbook (.xls), which cannot be read. Open "
                    "it in Excel or LibreOffice and save it as an Excel workbook (.xlsx)."
                ),
                "not-a-spreadsheet",
                {"file": file_name},
            )
        raise not_a_spreadsheet(file_name)
    if data.startswith(_OTHER_BINARY):
        raise not_a_spreadsheet(file_name)


def not_a_spreadsheet(file_name: str) -> FileRefused:
    """The refusal for anything that is neither a workbook nor text."""
    return FileRefused(
        _(
            "%(file)s is not an Excel workbook (.xlsx) or a CSV file. Open it in Excel or "
            "LibreOffice and save it as .xlsx or CSV."
        ),
        "not-a-spreadsheet",
        {"file": file_name},
    )


def too_many_rows(limits: Limits) -> FileRefused:
    """The refusal for a sheet with more data rows than are read."""
    return FileRefused(
        _(
            "The file has more than %(limit)s rows; at most %(limit)s are read. Split it into "
            "smaller files."
        ),
        "too-many-rows",
        {"limit": limits.max_rows},
    )
