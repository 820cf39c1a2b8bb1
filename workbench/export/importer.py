"""Import ALTO, PAGE and hOCR from other tools as a new layer on the matching page.

The layout becomes an OCR-run-like layer (engine ``import:alto``, ``import:page`` or ``import:hocr``) with its
blocks, lines and words; the page's text gets a new revision from it unless a person has edited the page,
exactly as a new OCR run would (the store keeps a person's text).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path, PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workbench.db.models import Page, SourceImage
from workbench.db.store import OcrMeta, RecognizedPage, get_page, latest_run, record_ocr
from workbench.errors import BadInput, NotFound
from workbench.export.read import ImportedPage, read_layout
from workbench.page import BBox, Block, Line, Word
from workbench.page import Page as Layout

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Imported:
    source: str
    page_id: int
    kind: str
    lines: int
    text_replaced: bool  # False when a person's text was kept and the layer stored beside it


def _name(path: str | None) -> str:
    return PurePath((path or "").replace("\\", "/")).name.casefold()


def _stem(path: str | None) -> str:
    name = _name(path)
    for suffix in (".alto.xml", ".page.xml", ".hocr", ".xml", ".html"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name.rsplit(".", 1)[0] if "." in name else name


def match_page(session: Session, imported: ImportedPage, source: str) -> Page:
    """The page whose photo or page image has the name the document gives, else the document's own stem."""
    pages = list(session.scalars(select(Page).join(Page.image).options(selectinload(Page.image))))
    for wanted, how in ((_name(imported.image_name), "name"), (_stem(imported.image_name), "stem"),
                        (_stem(source), "stem")):
        if not wanted:
            continue
        found = [p for p in pages
                 if (how == "name" and wanted in (_name(p.image.path), _name(p.derived_file)))
                 or (how == "stem" and wanted in (_stem(p.image.path), _stem(p.derived_file),
                                                  f"{_stem(p.image.path)}_{p.part}"))]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise BadInput(f"{source}: {len(found)} pages match {wanted!r} (a spread?); give the page with --page")
    raise NotFound(f"{source}: no page matches the image {imported.image_name or '(none named)'!r} or the file "
                   f"name; read the photo first, or give the page with --page")


def scaled(layout: Layout, width: int, height: int) -> Layout:
    """Boxes in another tool's image pixels brought to the page image's, when the sizes differ."""
    if not layout.width or not layout.height or (layout.width, layout.height) == (width, height):
        return Layout(width, height, layout.blocks)
    sx, sy = width / layout.width, height / layout.height

    def box(b: BBox) -> BBox:
        return BBox(round(b.x0 * sx), round(b.y0 * sy), round(b.x1 * sx), round(b.y1 * sy))

    return Layout(width, height, [Block(box(b.bbox), [Line(box(ln.bbox), [Word(w.text, box(w.bbox), w.confidence)
                                                                         for w in ln.words]) for ln in b.lines])
                                  for b in layout.blocks])


def import_file(session: Session, path: Path, *, page_id: int | None = None) -> list[Imported]:
    """Every page in one ALTO, PAGE or hOCR file, stored as a layer on its page."""
    try:
        payload = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc}") from None
    documents = read_layout(payload, path.name)
    if page_id is not None and len(documents) > 1:
        raise BadInput(f"{path.name} has {len(documents)} pages; --page names one")
    results = []
    for document in documents:
        page = get_page(session, page_id) if page_id is not None else match_page(session, document, path.name)
        results.append(store_layer(session, page, document, source=path.name))
    return results


def store_layer(session: Session, page: Page, document: ImportedPage, *, source: str) -> Imported:
    image: SourceImage = page.image
    previous = latest_run(session, page.id, with_layout=False)
    layout = scaled(document.layout, page.width, page.height)
    before = page.transcription.version
    record_ocr(session, image, pages=[RecognizedPage(
        part=page.part, layout=layout, derived_file=page.derived_file or "", transform=page.transform,
        seconds_preprocess=0.0, seconds_ocr=0.0, sharpness=page.sharpness)],
        meta=OcrMeta(engine=f"import:{document.kind}", engine_version=document.producer[:40],
                     languages=previous.languages if previous is not None else "rus",
                     parameters={"source": source, "producer": document.producer,
                                 "image": document.image_name,
                                 "size": [document.layout.width, document.layout.height]}),
        width=image.width or page.width, height=image.height or page.height,
        exif_orientation=image.exif_orientation, captured_at=image.captured_at, phash=image.phash)
    replaced = page.transcription.version != before
    log.info("%s: %s layer on page %d (%s)", source, document.kind, page.id,
             "text replaced" if replaced else "a person's text kept")
    return Imported(source=source, page_id=page.id, kind=document.kind,
                    lines=sum(1 for _ in layout.lines()), text_replaced=replaced)
