"""Pages out of the database as plain export data: the only export module that reads the store."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from workbench.archive.citation import Citation, format_citation, format_side, parse_citation
from workbench.db.models import OcrRun, Page, Status
from workbench.db.session import Database
from workbench.db.store import latest_run, list_pages
from workbench.db.tags import delo_citation, first_side, last_side, leaf_order_key, page_citation
from workbench.errors import BadInput
from workbench.export.layout import align
from workbench.export.model import ExportFile, ExportPage
from workbench.export.naming import folder_name, leaf_name, safe, stem_name
from workbench.page import BBox, Block, Line, Word
from workbench.page import Page as Layout

LOOSE = ""  # the folder of pages not yet tagged to a file


def run_layout(run: OcrRun | None, *, width: int, height: int) -> Layout | None:
    if run is None:
        return None
    return Layout(width=width, height=height, blocks=[
        Block(BBox(b.x0, b.y0, b.x1, b.y1), [
            Line(BBox(ln.x0, ln.y0, ln.x1, ln.y1), [Word(w.text, BBox(w.x0, w.y0, w.x1, w.y1), w.confidence)
                                                     for w in ln.words]) for ln in b.lines]) for b in run.blocks])


def export_page(session: Session, page: Page, *, derived_path: Path | None = None,
                image_url: Callable[[Page], str] | None = None) -> ExportPage:
    """One page with its citation, its stable name and its layout aligned to the corrected text."""
    citation = page_citation(page)
    first = first_side(page)
    if citation is not None and first is not None:
        folder, name = folder_name(citation), leaf_name(first, last_side(page))
    elif citation is not None:
        folder, name = folder_name(citation), safe(stem_name(page.image.stem, page.part))
    else:
        folder, name = LOOSE, safe(stem_name(page.image.stem, page.part))
    run = latest_run(session, page.id)
    transcription = page.transcription
    ocr = run_layout(run, width=page.width, height=page.height)
    derived = (str((derived_path / page.derived_file).resolve()) if derived_path is not None and page.derived_file
               else page.derived_file)
    return ExportPage(
        name=name, text=transcription.text, status=transcription.status.value, version=transcription.version,
        image_path=page.image.path, folder=folder,
        citation=format_citation(citation) if citation else "",
        citation_local=format_citation(citation, "ru") if citation else "",
        leaf=format_side(first) if first else "", leaf_number=first.number if first else None,
        leaf_suffix=first.suffix if first else "", leaf_verso=first.verso if first else False,
        page_id=page.id, page_image=derived, width=page.width, height=page.height,
        layout=align(ocr, transcription.text, width=page.width, height=page.height),
        languages=run.languages if run is not None and run.languages else "rus",
        updated=transcription.updated_at.replace(microsecond=0).isoformat(), retake_of=page.retake_of,
        image_url=image_url(page) if image_url else "")


def matches(citation: Citation | None, prefix: str) -> bool:
    """A page is under ``--cite PREFIX`` when its citation starts with it, whole parts only.

    A full citation (fond, opis, delo) is compared as a file, and its leaves, when given, as a range."""
    if citation is None:
        return False
    try:
        wanted, _ = parse_citation(prefix)
    except BadInput:
        wanted = None
    if wanted is not None:
        if wanted.file_key != citation.file_key and not (wanted.archive is None
                                                         and wanted.file_key[1:] == citation.file_key[1:]):
            return False
        if wanted.first is None or citation.first is None:
            return wanted.first is None
        return wanted.first <= citation.first <= (wanted.last or wanted.first)
    text = prefix.strip().rstrip(",")
    for style in ("en", "ru", "uk"):
        full = format_citation(citation, style)
        if full.casefold().startswith(text.casefold()) and (len(full) == len(text) or
                                                             re.match(r"[,\s]", full[len(text)])):
            return True
    return False


def collect(db: Database, *, verified_only: bool, cite: str | None = None, derived_path: Path | None = None,
            image_url: Callable[[Page], str] | None = None) -> list[ExportPage]:
    """The pages to export, in file order: verified ones only unless asked otherwise."""
    with db.session() as session:
        pages = list_pages(session, status=Status.VERIFIED if verified_only else None)
        if cite:
            pages = [p for p in pages if matches(page_citation(p), cite)]
        return [export_page(session, p, derived_path=derived_path, image_url=image_url) for p in pages]


def files_of(pages: list[ExportPage], citations: dict[str, tuple[Citation, str]]) -> list[ExportFile]:
    """The pages grouped by file, each in leaf order; of several photos of one side, the kept one only."""
    exported = {p.page_id for p in pages}
    by_folder: dict[str, list[ExportPage]] = {}
    for page in pages:
        if page.folder == LOOSE or (page.retake_of is not None and page.retake_of in exported):
            continue
        by_folder.setdefault(page.folder, []).append(page)
    files = []
    for folder, members in sorted(by_folder.items()):
        citation, title = citations[folder]
        members.sort(key=lambda p: p.leaf_key)
        files.append(ExportFile(name=folder, citation=format_citation(citation),
                                citation_local=format_citation(citation, "ru"), archive=citation.archive or "",
                                fond=citation.fond, opis=citation.opis, delo=citation.delo, title=title, pages=members))
    return files


def file_citations(db: Database) -> dict[str, tuple[Citation, str]]:
    """Every file's citation and title by its folder name."""
    from sqlalchemy import select

    from workbench.db.models import Delo

    with db.session() as session:
        result = {}
        for delo in session.scalars(select(Delo)):
            citation = delo_citation(delo)
            result[folder_name(citation)] = (citation, delo.title or "")
        return result


def delo_file(session: Session, delo_id: int, *, verified_only: bool, derived_path: Path | None = None,
              image_url: Callable[[Page], str] | None = None) -> ExportFile:
    """One file's pages in leaf order (retakes left out), for a download."""
    from workbench.db.tags import file_view

    view = file_view(session, delo_id)
    pages = sorted((p for p in view.pages if p.retake_of is None
                    and (not verified_only or p.transcription.status is Status.VERIFIED)), key=leaf_order_key)
    citation = view.citation
    return ExportFile(name=folder_name(citation), citation=format_citation(citation),
                      citation_local=format_citation(citation, "ru"), archive=citation.archive or "",
                      fond=citation.fond, opis=citation.opis, delo=citation.delo, title=view.delo.title or "",
                      pages=[export_page(session, p, derived_path=derived_path, image_url=image_url)
                             for p in pages])
