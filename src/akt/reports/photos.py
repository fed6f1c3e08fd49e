"""A photo kept as evidence, as a report's picture: drawn from the stored file when written.

A success story's photo is an :class:`~akt.evidence.models.Attachment`, kept in the database
with its checksum. In a report it is a :class:`PhotoDrawing`: the attachment's id and checksum,
nothing else, so a kept report (:mod:`akt.reports.document_json`) names the photo it was
approved with and is written again from the same bytes. The file is read when the report is
written, and refused (:class:`ChangedPhoto`) if its bytes are no longer the ones checked in:
an approved report never shows another photo than the one it was approved with. A removed
attachment is still read (it stays in the database, marked removed), so removing a story's
photo later does not break the quarter's kept report.

The photo is written as PNG, the picture format of the report's writers: a JPEG, PNG or WebP
turned upright by its orientation tag, scaled down to :data:`MAX_PIXELS` on its long side, its
metadata left behind (a phone's photo carries where it was taken). The same file always gives
the same PNG, so the Word file and PDF stay the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import quoteattr

from django.core.cache import cache

from akt.evidence.models import Attachment

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
"""The photo files a report carries (what Pillow reads and every browser shows)."""

MAX_PIXELS = 1600
"""The long side of a photo in a report: sharp at 16 cm in print, a few hundred kilobytes."""

PAGE_PIXELS = 960
"""The long side of the photo shown on a report's page."""

MAX_SOURCE_PIXELS = 60_000_000
"""The largest photo read (a phone's is 12 to 50 megapixels); a bigger image is refused
rather than decoded into gigabytes of memory."""


class ChangedPhoto(ValueError):
    """The stored file is not the one the report names (another checksum, or gone)."""


class UnreadablePhoto(ValueError):
    """The file passed the evidence check by its first bytes but is not a readable image."""


def _opened(data: bytes, longest: int) -> Any:
    """The image upright, in RGB (or RGBA when it has transparency), at most ``longest``
    pixels on its long side."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        stored = Image.open(io.BytesIO(data))
        width, height = stored.size
        if width * height > MAX_SOURCE_PIXELS:
            raise UnreadablePhoto(f"{width} x {height} pixels")
        stored.draft("RGB", (longest, longest))  # a JPEG decoded at a smaller scale: faster
        stored.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
        raise UnreadablePhoto(str(error)) from error
    upright = ImageOps.exif_transpose(stored)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    image = upright.convert("RGBA" if has_alpha else "RGB")
    if max(image.size) > longest:
        image.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    return image


def photo_png(data: bytes, longest: int = MAX_PIXELS) -> bytes:
    """A JPEG, PNG or WebP photo as PNG, upright, scaled down, without its metadata.

    Raises :class:`UnreadablePhoto` for bytes Pillow cannot read as an image."""
    buffer = io.BytesIO()
    _opened(data, longest).save(buffer, format="PNG")
    return buffer.getvalue()


def _page_image(data: bytes) -> tuple[str, bytes, tuple[int, int]]:
    """The photo for a page: small, as JPEG (PNG when it has transparency)."""
    image = _opened(data, PAGE_PIXELS)
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, format="PNG")
        return "image/png", buffer.getvalue(), image.size
    image.save(buffer, format="JPEG", quality=85)
    return "image/jpeg", buffer.getvalue(), image.size


@dataclass(frozen=True)
class PhotoDrawing:
    """A stored photo in a document (:class:`akt.reports.document.Picture`), named by its
    attachment and the checksum it was reported with; read and converted when written."""

    attachment_id: int
    sha256: str
    label: str = ""  # what the photo shows, for those who do not see it (the page's SVG)

    def data(self) -> bytes:
        """The stored file, refused when it is gone or no longer has the reported checksum."""
        content = (
            Attachment.objects.filter(pk=self.attachment_id).values_list("content", flat=True)
        ).first()
        if content is None:
            raise ChangedPhoto(f"attachment {self.attachment_id} is not stored")
        data = bytes(content)
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ChangedPhoto(f"attachment {self.attachment_id} is not the file reported")
        return data

    def png(self) -> bytes:
        data = self.data()  # checked every time; the conversion is kept by checksum
        key = f"akt:photo-png:{MAX_PIXELS}:{self.sha256}"
        found = cache.get(key)
        if found is None:
            found = photo_png(data)
            cache.set(key, found, timeout=60 * 60 * 24)
        return bytes(found)

    def svg(self) -> str:
        """The photo for a report's page: an SVG holding a small copy of it."""
        data = self.data()
        key = f"akt:photo-page:{PAGE_PIXELS}:{self.sha256}"
        found = cache.get(key)
        if found is None:
            found = _page_image(data)
            cache.set(key, found, timeout=60 * 60 * 24)
        media_type, content, (width, height) = found
        source = f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" style="max-width: 40rem" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f"aria-label={quoteattr(self.label)}>"
            f'<image width="{width}" height="{height}" href="{source}"/></svg>'
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": "photo",
            "attachment": self.attachment_id,
            "sha256": self.sha256,
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PhotoDrawing:
        """The drawing :meth:`as_json` wrote."""
        return cls(int(data["attachment"]), str(data["sha256"]), str(data.get("label", "")))
