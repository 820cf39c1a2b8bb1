"""The registry of formats, keyed by name; each renders one page and/or a whole file in leaf order."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Protocol

from workbench.errors import BadInput
from workbench.export.model import ExportFile, ExportPage


class Format(Protocol):
    name: str
    suffix: str
    media_type: str
    label: str

    def render_page(self, page: ExportPage) -> bytes | None:
        """One page as a file, or None when the format has no single-page form."""

    def render_file(self, file: ExportFile) -> bytes | None:
        """A file's pages in leaf order as one document, or None when the format holds one page only."""


def _formats() -> list[Callable[[], Format]]:
    from workbench.export import alto, csvindex, docx, hocr, iiif, jsondata, pagexml, pdf, tei, text

    return [text.PlainText, jsondata.Json, csvindex.CsvIndex, docx.Docx, hocr.Hocr, alto.Alto, pagexml.PageXml,
            tei.Tei, pdf.Pdf, iiif.Iiif]


@cache
def formats() -> dict[str, Format]:
    """Every format by name, in the order the web offers them (built on first use, not at import)."""
    return {f.name: f for f in (make() for make in _formats())}


def get_format(name: str) -> Format:
    found = formats().get(name)
    if found is None:
        raise BadInput(f"unknown export format {name!r}; known: {', '.join(sorted(formats()))}")
    return found
