"""Exports: a registry of formats, each rendering plain page data (never ORM rows) to a file.

Format modules render :mod:`workbench.export.model` objects only; :mod:`workbench.export.source` is the one
module that reads the database. Heavy libraries (lxml, fpdf2, python-docx, iiif-prezi3) load on first use.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.export.jsondata import json_bytes
from workbench.export.model import ExportFile, ExportPage
from workbench.export.registry import Format, formats, get_format

if TYPE_CHECKING:
    from workbench.db.models import Page
    from workbench.db.session import Database

__all__ = ["ExportFile", "ExportPage", "Format", "Written", "collect", "export_pages", "formats", "get_format",
           "write_atomically"]

log = logging.getLogger(__name__)

MANIFEST = "export-manifest.json"


def write_atomically(path: Path, payload: bytes) -> None:
    """A temporary file renamed into place: a crash or a full disk leaves no half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def collect(db: Database, *, verified_only: bool, cite: str | None = None,
            derived_path: Path | None = None) -> list[ExportPage]:
    from workbench.export.source import collect as collect_pages

    return collect_pages(db, verified_only=verified_only, cite=cite, derived_path=derived_path)


@dataclass(slots=True)
class Written:
    """What an export wrote, for its manifest and the command's report."""

    pages: list[dict[str, object]] = field(default_factory=list)
    files: list[dict[str, object]] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)


def _dedupe(pages: list[ExportPage]) -> list[ExportPage]:
    """Two pages with one name (one stem in two folders, two photos of one side) get -2, -3; so does an
    untagged photo named like a file's document, the index or the manifest beside it."""
    from dataclasses import replace

    taken = {"/" + MANIFEST.rsplit(".", 1)[0], "/index"} | {"/" + page.folder for page in pages if page.folder}
    result = []
    for page in pages:
        name, n = page.name, 2
        while page.folder + "/" + name in taken:
            name = f"{page.name}-{n}"
            n += 1
        taken.add(page.folder + "/" + name)
        result.append(page if name == page.name else replace(page, name=name))
    return result


def export_pages(db: Database, *, fmt: str, out: Path, verified_only: bool = True, cite: str | None = None,
                 derived_path: Path | None = None, image_url: Callable[[Page], str] | None = None) -> list[Path]:
    """Every selected page as a file, every file (delo) as one document in leaf order, and a manifest."""
    from workbench.export.source import collect as collect_pages
    from workbench.export.source import file_citations, files_of

    renderer = get_format(fmt)
    pages = _dedupe(collect_pages(db, verified_only=verified_only, cite=cite, derived_path=derived_path,
                                  image_url=image_url))
    written = Written()

    def put(relative: str, payload: bytes) -> None:
        path = out / relative
        write_atomically(path, payload)
        written.paths.append(path)

    for page in pages:
        payload = renderer.render_page(page)
        if payload is None:
            continue
        relative = page.path + renderer.suffix
        put(relative, payload)
        written.pages.append({"path": relative, "page_id": page.page_id, "citation": page.citation,
                              "photo": page.image_name, "status": page.status, "version": page.version,
                              "sha256": hashlib.sha256(payload).hexdigest()})
    for file in files_of(pages, file_citations(db)):
        payload = renderer.render_file(file)
        if payload is None:
            continue
        relative = file.name + renderer.suffix
        put(relative, payload)
        written.files.append({"path": relative, "citation": file.citation, "pages": [p.path for p in file.pages],
                              "sha256": hashlib.sha256(payload).hexdigest()})
    index = getattr(renderer, "index_name", None)
    if index and pages:
        payload = renderer.render_file(ExportFile(name=index, citation="", pages=pages))
        if payload is not None:
            put(index + renderer.suffix, payload)
            written.files.append({"path": index + renderer.suffix, "citation": "",
                                  "pages": [p.path for p in pages], "sha256": hashlib.sha256(payload).hexdigest()})
    manifest = {"format": renderer.name, "status": "verified" if verified_only else "any", "cite": cite or "",
                "pages": written.pages, "files": written.files}
    put(MANIFEST, json_bytes(manifest))
    log.info("exported %d page(s) and %d file(s) as %s to %s", len(written.pages), len(written.files), fmt, out)
    return written.paths
