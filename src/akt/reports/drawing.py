"""Drawing the results' pictures on the server: one matplotlib figure, written as SVG or PNG.

Every chart and map is drawn once, by matplotlib, from its own declarative specification
(:mod:`akt.reports.charts`, :mod:`akt.reports.maps`); the page shows the SVG, a Word file the PNG
and a PDF either, so all three show the same picture. The output is deterministic: the same
specification gives the same bytes (no date, no random ids), which an approved quarter's report
needs to be reproduced byte for byte.

Text is set in DejaVu Sans, which matplotlib ships and which covers Albanian, Serbian Latin and
Serbian Cyrillic; the same font file is embedded in PDFs (:data:`FONT_PATHS`).

matplotlib is imported on first use, not when the module is: it takes a noticeable part of a
second, which a page that draws nothing should not pay.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FONT_FAMILY = "DejaVu Sans"
_LOCK = threading.RLock()  # figures without pyplot are thread-safe; the rc context is global


def _matplotlib() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    return matplotlib


def font_paths() -> dict[str, Path]:
    """DejaVu Sans (regular and bold) as matplotlib ships it, for embedding in PDFs."""
    matplotlib = _matplotlib()
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"regular": folder / "DejaVuSans.ttf", "bold": folder / "DejaVuSans-Bold.ttf"}


@contextmanager
def _style() -> Iterator[None]:
    matplotlib = _matplotlib()
    settings = {
        "font.family": FONT_FAMILY,
        "font.size": 9,
        "svg.hashsalt": "akt",  # ids from a fixed salt, not random: the same picture, same bytes
        "svg.fonttype": "none",  # text stays text: selectable, searchable, translatable
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlelocation": "left",
        "axes.titlesize": 10,
    }
    with _LOCK, matplotlib.rc_context(settings):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` × ``height`` inches, not registered with pyplot (no global state)."""
    _matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


@contextmanager
def drawing() -> Iterator[None]:
    """The house style, for the time a figure is drawn and written."""
    with _style():
        yield


def svg_of(figure: Figure, *, title: str, description: str = "") -> str:
    """The figure as an inline SVG element, labelled for screen readers by its title (and
    description), with its fixed size replaced by a view box so it scales with the page."""
    buffer = io.StringIO()
    with _style():
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'\s(width|height)="[^"]*pt"', "", svg, count=2)
    label = f'<title id="{{id}}-title">{escape(title)}</title>'
    if description:
        label += f'<desc id="{{id}}-desc">{escape(description)}</desc>'
    element_id = "chart-" + _slug(title)
    labelled = f"{element_id}-title" + (f" {element_id}-desc" if description else "")
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{labelled}" class="chart-svg" ',
        1,
    )
    head_end = svg.index(">") + 1
    return svg[:head_end] + label.replace("{id}", element_id) + svg[head_end:]


def png_of(figure: Figure, *, dpi: int = 200) -> bytes:
    """The figure as PNG bytes, without a timestamp or software tag (the same bytes each time)."""
    buffer = io.BytesIO()
    with _style():
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _slug(text: str) -> str:
    """A short id from the title (any script), the same for the same title."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
