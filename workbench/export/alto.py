"""ALTO 4.3: the layout with the corrected words; marks kept as typed in CONTENT (so they round-trip)."""

from __future__ import annotations

from workbench.export.model import ExportFile, ExportPage
from workbench.export.templating import render


class Alto:
    name = "alto"
    suffix = ".alto.xml"
    media_type = "application/xml"
    label = "ALTO 4.3"

    def render_page(self, page: ExportPage) -> bytes:
        return render("alto.xml", pages=[page], citation=page.citation)

    def render_file(self, file: ExportFile) -> bytes:
        """One ALTO document with a Page per side, in leaf order."""
        return render("alto.xml", pages=file.pages, citation=file.citation)
