"""Exports: a registry of formats, each rendering plain page data (never ORM rows) to a file."""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from workbench.db.models import Status
from workbench.db.session import Database
from workbench.db.store import list_pages
from workbench.errors import BadInput

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExportPage:
    """What every format needs of a page, taken out of the database first."""

    name: str  # the file name without suffix: the image's stem, with the part for a spread
    text: str
    status: str
    version: int
    image_path: str


class Format(Protocol):
    suffix: str

    def render(self, page: ExportPage) -> bytes: ...


class PlainText:
    suffix = ".txt"

    def render(self, page: ExportPage) -> bytes:
        text = page.text if page.text.endswith("\n") or not page.text else page.text + "\n"
        return text.encode("utf-8")


FORMATS: dict[str, Format] = {"txt": PlainText()}


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


def collect(db: Database, *, verified_only: bool) -> list[ExportPage]:
    with db.session() as session:
        pages = list_pages(session, status=Status.VERIFIED if verified_only else None)
        return [ExportPage(name=p.image.stem if p.part == 0 else f"{p.image.stem}_{p.part}",
                           text=p.transcription.text, status=p.transcription.status.value,
                           version=p.transcription.version, image_path=p.image.path) for p in pages]


def export_pages(db: Database, *, fmt: str, out: Path, verified_only: bool = True) -> list[Path]:
    renderer = FORMATS.get(fmt)
    if renderer is None:
        raise BadInput(f"unknown export format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
    written: list[Path] = []
    taken: set[str] = set()
    for page in collect(db, verified_only=verified_only):
        name = page.name
        n = 2
        while name in taken:  # two photos with one stem in different folders
            name = f"{page.name}-{n}"
            n += 1
        taken.add(name)
        path = out / f"{name}{renderer.suffix}"
        write_atomically(path, renderer.render(page))
        written.append(path)
    log.info("exported %d page(s) as %s to %s", len(written), fmt, out)
    return written
