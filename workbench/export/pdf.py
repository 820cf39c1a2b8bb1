"""PDF: the page image with an invisible, selectable text layer (rendering mode 3) in an embedded TTF
with Cyrillic, so that copying and searching give the transcription back."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from workbench.errors import MissingDependency
from workbench.export.model import ExportFile, ExportPage

log = logging.getLogger(__name__)

# read from Debian's font packages at run time (fonts-dejavu-core first); never shipped in the repository
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
DPI = 300  # phone photos say nothing useful; the page image is drawn as if scanned at 300 dpi
ASCENT = 0.8  # the baseline sits this far down a line's box


def font_path() -> Path:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise MissingDependency("no TrueType font with Cyrillic found for the PDF text layer: "
                            "install fonts-dejavu-core")


def _pdf(title: str, lang: str, updated: str) -> Any:
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_font("TextLayer", fname=str(font_path()))
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.set_creator("workbench")
    pdf.set_producer("workbench")
    pdf.set_creation_date(datetime.fromisoformat(updated))
    return pdf


def _page(pdf: Any, page: ExportPage) -> None:
    from fpdf.enums import TextMode

    scale = 72 / DPI
    width, height = max(page.width, 1) * scale, max(page.height, 1) * scale
    pdf.add_page(format=(width, height))
    image = Path(page.page_image) if page.page_image else None
    if image is not None and image.is_file():
        pdf.image(str(image), x=0, y=0, w=width, h=height)
    else:
        log.warning("%s: no page image at %s; the PDF page has the text only", page.title, image)
    pdf.text_mode = TextMode.INVISIBLE
    for line in page.layout.lines() if page.layout else []:
        text = line.text
        if not text:
            continue
        box_h = max(line.bbox.height, 1) * scale
        pdf.set_font("TextLayer", size=box_h)
        natural = pdf.get_string_width(text)
        pdf.set_stretching(100 * max(line.bbox.width, 1) * scale / natural if natural else 100)
        pdf.text(line.bbox.x0 * scale, line.bbox.y0 * scale + box_h * ASCENT, text)
    pdf.set_stretching(100)
    pdf.text_mode = TextMode.FILL


class Pdf:
    name = "pdf"
    suffix = ".pdf"
    media_type = "application/pdf"
    label = "PDF (image and text)"

    def render_page(self, page: ExportPage) -> bytes:
        pdf = _pdf(page.title, page.lang, page.updated)
        _page(pdf, page)
        return bytes(pdf.output())

    def render_file(self, file: ExportFile) -> bytes:
        first = file.pages[0] if file.pages else None
        pdf = _pdf(file.citation, first.lang if first else "ru",
                   max((p.updated for p in file.pages), default="1970-01-01T00:00:00+00:00"))
        for page in file.pages:
            _page(pdf, page)
        return bytes(pdf.output())
