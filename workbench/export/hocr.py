"""hOCR: an XHTML page per side with boxes in ``title``; a file's sides in one document."""

from __future__ import annotations

from workbench.export.model import ExportFile, ExportPage
from workbench.export.templating import render


class Hocr:
    name = "hocr"
    suffix = ".hocr"
    media_type = "text/html; charset=utf-8"
    label = "hOCR"

    def render_page(self, page: ExportPage) -> bytes:
        return render("hocr.html", pages=[page], title=page.title, lang=page.lang)

    def render_file(self, file: ExportFile) -> bytes:
        lang = file.pages[0].lang if file.pages else "ru"
        return render("hocr.html", pages=file.pages, title=file.citation, lang=lang)
