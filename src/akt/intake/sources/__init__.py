"""Reading the files people upload: Excel workbooks and CSV files, into one :class:`Sheet`.

One module per kind of file, behind the contract of :mod:`akt.intake.sources.base`; callers use
:func:`read_sheet` and never pick the reader themselves (the bytes decide, not the name).
"""

from __future__ import annotations

from akt.intake.sources.base import FileRefused, Limits, Sheet, SheetRow, SkippedRow, read_sheet

__all__ = ["FileRefused", "Limits", "Sheet", "SheetRow", "SkippedRow", "read_sheet"]
