"""PAGE 2019: regions, lines and words with their text; one page per document, as the format has it."""

from __future__ import annotations

from workbench.export.model import ExportFile, ExportPage
from workbench.export.templating import render


class PageXml:
    name = "page"
    suffix = ".page.xml"
    media_type = "application/xml"
    label = "PAGE 2019"

    def render_page(self, page: ExportPage) -> bytes:
        updated = page.updated.split("+", 1)[0]  # xsd:dateTime, written as UTC
        return render("page.xml", page=page, updated=updated)

    def render_file(self, file: ExportFile) -> None:
        return None  # PAGE holds one page per document
