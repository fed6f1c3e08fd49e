"""A document kept as JSON and read back: how an approved quarter keeps its report.

A :class:`~akt.reports.document.Document` is plain words and figures, and its pictures are
specifications (:class:`~akt.reports.charts.ChartDrawing`, :class:`~akt.reports.maps.MapDrawing`)
drawn when the document is written. Kept as JSON, it is written again as the same page, the same
Word file and the same PDF, byte for byte, whatever happens to the records afterwards: nothing in
it is read from them again. A success story's photo is the one exception, and a checked one: it
is kept as its stored file's id and checksum (:class:`~akt.reports.photos.PhotoDrawing`), read
from the evidence when written and refused if that file's bytes changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from akt.reports.charts import ChartDrawing
from akt.reports.document import Block, Document, Heading, PageBreak, Paragraph, Picture, Table
from akt.reports.maps import MapDrawing
from akt.reports.photos import PhotoDrawing

DOCUMENT_FORMAT = 1
"""The layout of a kept document; a change of layout gets a new number."""


class UnknownFormat(ValueError):
    """A kept document of a layout this code does not read."""


def document_as_json(document: Document) -> dict[str, Any]:
    return {
        "format": DOCUMENT_FORMAT,
        "title": document.title,
        "subtitle": document.subtitle,
        "language": document.language,
        "dated": document.dated.isoformat(),
        "author": document.author,
        "blocks": [_block_as_json(block) for block in document.blocks],
    }


def document_from_json(data: Mapping[str, Any]) -> Document:
    """The document :func:`document_as_json` wrote. Raises :class:`UnknownFormat` for another
    layout."""
    if data.get("format") != DOCUMENT_FORMAT:
        raise UnknownFormat(f"a kept document of format {data.get('format')!r}")
    return Document(
        title=data["title"],
        subtitle=data["subtitle"],
        language=data["language"],
        dated=datetime.fromisoformat(data["dated"]),
        author=data["author"],
        blocks=tuple(_block_from_json(block) for block in data["blocks"]),
    )


def _block_as_json(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"heading": block.text, "level": block.level}
    if isinstance(block, Paragraph):
        return {"paragraph": block.text, "note": block.note}
    if isinstance(block, Table):
        return {
            "table": block.caption,
            "header": list(block.header),
            "rows": [list(row) for row in block.rows],
            "numeric": sorted(block.numeric),
        }
    if isinstance(block, Picture):
        drawing = block.drawing
        if not isinstance(drawing, ChartDrawing | MapDrawing | PhotoDrawing):
            raise TypeError(f"a picture drawn by {type(drawing).__name__} cannot be kept")
        return {
            "picture": block.title,
            "description": block.description,
            "width_cm": block.width_cm,
            "drawing": drawing.as_json(),
        }
    return {"page_break": True}


def _block_from_json(data: Mapping[str, Any]) -> Block:
    if "heading" in data:
        return Heading(data["heading"], data["level"])
    if "paragraph" in data:
        return Paragraph(data["paragraph"], data["note"])
    if "table" in data:
        return Table(
            caption=data["table"],
            header=tuple(data["header"]),
            rows=tuple(tuple(row) for row in data["rows"]),
            numeric=frozenset(data["numeric"]),
        )
    if "picture" in data:
        return Picture(
            data["picture"],
            data["description"],
            _drawing_from_json(data["drawing"]),
            data["width_cm"],
        )
    if data.get("page_break"):
        return PageBreak()
    raise UnknownFormat(f"a kept block of no known kind: {sorted(data)}")


def _drawing_from_json(data: Mapping[str, Any]) -> ChartDrawing | MapDrawing | PhotoDrawing:
    """A picture's drawing by its kind: a map, a stored photo, else a chart (bars or trend)."""
    if data["kind"] == "map":
        return MapDrawing.from_json(data)
    if data["kind"] == "photo":
        return PhotoDrawing.from_json(dict(data))
    return ChartDrawing.from_json(dict(data))
