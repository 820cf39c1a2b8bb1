"""DOCX for the person who translates and annotates: a heading with the citation per page, the text in
paragraphs as the blocks run; uncertain readings in italics followed by ``[?]``, illegible text as ``[…]``."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from workbench.export.layout import text_blocks
from workbench.export.marks import segments
from workbench.export.model import ExportFile, ExportPage

UNCLEAR_SIGN = " [?]"
GAP_SIGN = "[…]"


def _document(title: str, lang: str, updated: str) -> Any:
    from docx import Document

    document = Document()
    props = document.core_properties
    props.title = title
    props.language = lang
    props.author = "workbench"
    props.last_modified_by = "workbench"
    props.created = props.modified = datetime.fromisoformat(updated).replace(tzinfo=None)
    props.revision = 1
    return document


def _line(paragraph: Any, line: str) -> None:
    for segment in segments(line):
        if segment.kind == "text":
            paragraph.add_run(segment.text)
        elif segment.kind == "unclear":
            paragraph.add_run(segment.text).italic = True
            paragraph.add_run(UNCLEAR_SIGN)
        else:
            paragraph.add_run(GAP_SIGN).italic = True


def _page(document: Any, page: ExportPage, level: int) -> None:
    document.add_heading(page.title, level=level)
    if page.citation_local:
        document.add_paragraph(page.citation_local, style="Subtitle" if level == 1 else None)
    for block in text_blocks(page.text):
        paragraph = document.add_paragraph()
        for n, line in enumerate(block):
            if n:
                paragraph.add_run().add_break()
            _line(paragraph, line)


def _bytes(document: Any, updated: str) -> bytes:
    """The saved document with every part dated ``updated``: the same pages give the same bytes.

    python-docx dates each zip member with the clock, so two exports a second apart would differ.
    """
    saved = io.BytesIO()
    document.save(saved)
    stamp = max(datetime.fromisoformat(updated).replace(tzinfo=None), datetime(1980, 1, 1))  # zip's epoch
    stable = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            dated = zipfile.ZipInfo(member.filename, date_time=stamp.timetuple()[:6])
            dated.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(dated, source.read(member))
    return stable.getvalue()


class Docx:
    name = "docx"
    suffix = ".docx"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    label = "DOCX (Word)"

    def render_page(self, page: ExportPage) -> bytes:
        document = _document(page.title, page.lang, page.updated)
        _page(document, page, level=1)
        return _bytes(document, page.updated)

    def render_file(self, file: ExportFile) -> bytes:
        first = file.pages[0] if file.pages else None
        updated = max((p.updated for p in file.pages), default="1970-01-01T00:00:00+00:00")
        document = _document(file.citation, first.lang if first else "ru", updated)
        document.add_heading(file.citation, level=0)
        if file.title:
            document.add_paragraph(file.title)
        for n, page in enumerate(file.pages):
            if n:
                document.add_page_break()
            _page(document, page, level=1)
        return _bytes(document, page.updated)
