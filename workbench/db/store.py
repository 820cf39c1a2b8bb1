"""What the batch, the CLI and the web app do to stored pages, each in the caller's transaction."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from workbench import search
from workbench.db.models import (
    Delo,
    ImageState,
    OcrBlock,
    OcrLine,
    OcrRun,
    OcrWord,
    Page,
    Revision,
    RevisionSource,
    SourceImage,
    Status,
    Transcription,
    utcnow,
)
from workbench.errors import BadInput, NotFound, StaleVersion
from workbench.page import Page as PageLayout

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PhotoFacts:
    path: str
    sha256: str
    size_bytes: int


@dataclass(slots=True)
class RecognizedPage:
    """One page of a photo as the OCR worker hands it back."""

    part: int
    layout: PageLayout
    derived_file: str
    transform: dict[str, Any]
    seconds_preprocess: float
    seconds_ocr: float
    handwriting: bool = False  # Tesseract's words were noise; the lines are OpenCV's, the text is a person's
    sharpness: float | None = None


@dataclass(slots=True)
class OcrMeta:
    engine: str
    engine_version: str
    languages: str
    parameters: dict[str, Any]


def image_by_hash(session: Session, sha256: str, *, for_update: bool = False) -> SourceImage | None:
    """The photo with this content; ``for_update`` locks its row (PostgreSQL) so two workers take turns."""
    query = select(SourceImage).where(SourceImage.sha256 == sha256)
    return session.scalars(query.with_for_update() if for_update else query).first()


def register_image(session: Session, facts: PhotoFacts) -> SourceImage:
    """The photo's row, made before OCR so that a killed batch knows what it had started."""
    image = image_by_hash(session, facts.sha256)
    if image is None:
        image = SourceImage(path=facts.path, sha256=facts.sha256, size_bytes=facts.size_bytes,
                            state=ImageState.NEW)
        session.add(image)
        session.flush()
    else:
        image.path = facts.path
    return image


def record_failure(session: Session, image: SourceImage, reason: str) -> None:
    image.state = ImageState.FAILED
    image.error = reason


def record_ocr(session: Session, image: SourceImage, *, pages: list[RecognizedPage], meta: OcrMeta,
               width: int, height: int, exif_orientation: int | None,
               captured_at: datetime | None, phash: str | None = None) -> list[Page]:
    """Store a photo's OCR as new runs; a transcription a person has edited keeps its text."""
    image.width, image.height = width, height
    image.exif_orientation = exif_orientation
    image.captured_at = captured_at
    image.phash = phash
    image.state = ImageState.DONE
    image.error = None
    existing = {p.part: p for p in image.pages}
    stored: list[Page] = []
    for result in pages:
        page = existing.get(result.part)
        if page is None:
            page = Page(part=result.part, width=result.layout.width, height=result.layout.height)
            image.pages.append(page)
            page.transcription = Transcription(text="", status=Status.NEW, version=0)
        page.width, page.height = result.layout.width, result.layout.height
        page.derived_file = result.derived_file
        page.transform = result.transform
        page.sharpness = result.sharpness
        run = _ocr_run(result, meta)
        page.ocr_runs.append(run)
        session.flush()
        transcription = page.transcription
        # read the row again, locked: a person's save that landed since must win over this OCR
        session.refresh(transcription, with_for_update=True)
        if transcription.edited_by_person:
            log.info("%s part %d: a person has edited it; OCR kept as run %d only", image.path, page.part, run.id)
        else:
            _add_revision(session, transcription, text="" if result.handwriting else result.layout.text,
                          status=Status.OCR_DONE,
                          source=RevisionSource.OCR, author=None, ocr_run_id=run.id)
        stored.append(page)
    return stored


def _ocr_run(result: RecognizedPage, meta: OcrMeta) -> OcrRun:
    layout = result.layout
    run = OcrRun(engine=meta.engine, engine_version=meta.engine_version, languages=meta.languages,
                 parameters={**meta.parameters, "steps": [
                     {"name": s.name, "params": s.params, "seconds": round(s.seconds, 4)} for s in layout.steps]},
                 seconds_preprocess=result.seconds_preprocess, seconds_ocr=result.seconds_ocr,
                 mean_confidence=layout.mean_confidence, word_count=sum(1 for _ in layout.words()),
                 handwriting=result.handwriting)
    for b, block in enumerate(layout.blocks):
        block_row = OcrBlock(seq=b, **_box(block.bbox))
        for n, line in enumerate(block.lines):
            line_row = OcrLine(seq=n, **_box(line.bbox))
            line_row.words = [OcrWord(seq=w, text=word.text, confidence=word.confidence, **_box(word.bbox))
                              for w, word in enumerate(line.words)]
            block_row.lines.append(line_row)
        run.blocks.append(block_row)
    return run


def _box(bbox: Any) -> dict[str, int]:
    return {"x0": bbox.x0, "y0": bbox.y0, "x1": bbox.x1, "y1": bbox.y1}


def _add_revision(session: Session, transcription: Transcription, *, text: str, status: Status,
                  source: RevisionSource, author: str | None, ocr_run_id: int | None = None) -> Revision:
    transcription.version += 1
    transcription.text = text
    transcription.status = status
    transcription.updated_at = utcnow()
    if source is RevisionSource.PERSON:
        transcription.edited_by_person = True
    revision = Revision(version=transcription.version, text=text, status=status, source=source,
                        author=author, ocr_run_id=ocr_run_id)
    transcription.revisions.append(revision)
    search.index_page(session, transcription.page_id, text)
    return revision


def get_page(session: Session, page_id: int) -> Page:
    page = session.get(Page, page_id, options=[selectinload(Page.image), selectinload(Page.transcription)])
    if page is None:
        raise NotFound(f"no page {page_id}")
    return page


def latest_run(session: Session, page_id: int, *, with_layout: bool = True) -> OcrRun | None:
    query = select(OcrRun).where(OcrRun.page_id == page_id).order_by(OcrRun.id.desc()).limit(1)
    if with_layout:
        query = query.options(selectinload(OcrRun.blocks).selectinload(OcrBlock.lines).selectinload(OcrLine.words))
    return session.scalars(query).first()


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and newline (\r is gone by now)
PERSON_STATUSES = frozenset({Status.IN_PROGRESS, Status.NEEDS_REVIEW, Status.VERIFIED})
WORK_STATUSES = (Status.NEW, Status.OCR_DONE, Status.IN_PROGRESS)


@dataclass(frozen=True, slots=True)
class Saved:
    page_id: int
    version: int
    status: Status


def _status_after_edit() -> Any:
    """Editing starts the work; editing a verified page sends it back for review (in SQL, race-free)."""
    return case(
        (Transcription.status.in_([Status.NEW.value, Status.OCR_DONE.value]), Status.IN_PROGRESS.value),
        (Transcription.status == Status.VERIFIED.value, Status.NEEDS_REVIEW.value),
        else_=Transcription.status)


def save_text(session: Session, page_id: int, *, text: str, base_version: int, author: str | None,
              status: Status | None = None) -> Saved:
    """A person's save: refused when it is based on an older version than the current one."""
    bad = sorted({f"U+{ord(ch):04X}" for ch in text if _CONTROL.match(ch)})
    if bad:
        raise BadInput(f"the text contains control characters ({', '.join(bad)}) that no export can carry; "
                       "remove them (a pasted text often brings them)")
    if status is not None and status not in PERSON_STATUSES:
        raise BadInput(f"a person cannot set the status {status.value!r}")
    # compare-and-set in one statement, so two saves on the same version cannot both win
    claimed = session.execute(
        update(Transcription)
        .where(Transcription.page_id == page_id, Transcription.version == base_version)
        .values(version=Transcription.version + 1, text=text, edited_by_person=True, updated_at=utcnow(),
                status=status.value if status else _status_after_edit())
        .returning(Transcription.id, Transcription.version, Transcription.status)
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        current = session.scalar(select(Transcription.version).where(Transcription.page_id == page_id))
        if current is None:
            raise NotFound(f"no page {page_id}")
        raise StaleVersion(f"page {page_id} is at version {current}; this save was based on {base_version}",
                           current_version=current)
    transcription_id, version, new_status = claimed
    new_status = Status(new_status)
    session.execute(insert(Revision).values(transcription_id=transcription_id, version=version, text=text,
                                            status=new_status, source=RevisionSource.PERSON, author=author,
                                            created_at=utcnow()))
    search.index_page(session, page_id, text)
    return Saved(page_id=page_id, version=version, status=new_status)


# file order: capture time, then file name, then the left page of a spread before the right
FILE_ORDER = (SourceImage.captured_at.is_(None), SourceImage.captured_at, SourceImage.path, Page.part)


# citation order: the file, then the leaf; untagged pages last, in file order
CITATION_ORDER = (Page.delo_id.is_(None), Delo.archive, Delo.fond, Delo.opis, Delo.delo, Page.leaf_number,
                  Page.leaf_suffix, Page.leaf_verso, *FILE_ORDER)


def list_pages(session: Session, *, status: Status | None = None, file: dict[str, str] | None = None,
               by_citation: bool = False) -> list[Page]:
    """Pages in file order (or citation order), filtered by status and by archive, fond, opis, delo."""
    query = (select(Page).join(Page.image).join(Page.transcription).outerjoin(Page.delo_row)
             .options(selectinload(Page.image), selectinload(Page.transcription), selectinload(Page.delo_row))
             .order_by(*(CITATION_ORDER if by_citation else FILE_ORDER)))
    if status is not None:
        query = query.where(Transcription.status == status)
    for name, value in (file or {}).items():
        if value:
            query = query.where(getattr(Delo, name) == value)
    return list(session.scalars(query))


def count_by_status(session: Session) -> dict[Status, int]:
    rows = session.execute(select(Transcription.status, func.count()).group_by(Transcription.status))
    return {status: n for status, n in rows}


def failed_images(session: Session) -> list[SourceImage]:
    return list(session.scalars(select(SourceImage).where(SourceImage.state == ImageState.FAILED)
                                .order_by(SourceImage.path)))


def revisions(session: Session, page_id: int) -> list[Revision]:
    return list(session.scalars(select(Revision).join(Transcription).where(Transcription.page_id == page_id)
                                .order_by(Revision.version)))


def revision(session: Session, page_id: int, version: int) -> Revision:
    found = session.scalars(select(Revision).join(Transcription)
                            .where(Transcription.page_id == page_id, Revision.version == version)).first()
    if found is None:
        raise NotFound(f"page {page_id} has no version {version}")
    return found


def restore(session: Session, page_id: int, *, version: int, base_version: int, author: str | None) -> Saved:
    """An old text back as a new revision: history only grows."""
    old = revision(session, page_id, version)
    return save_text(session, page_id, text=old.text, base_version=base_version, author=author)


def page_order(session: Session) -> list[int]:
    """Page ids in file order, the order of the list and of previous/next."""
    return list(session.scalars(select(Page.id).join(Page.image).order_by(*FILE_ORDER)))


def next_needing_work(session: Session, *, after: int | None = None) -> int | None:
    """The first page after ``after`` (wrapping round) that is not yet done."""
    waiting = set(session.scalars(select(Transcription.page_id).where(Transcription.status.in_(WORK_STATUSES))))
    order = page_order(session)
    start = order.index(after) + 1 if after in order else 0
    for page_id in order[start:] + order[:start]:
        if page_id in waiting and page_id != after:
            return page_id
    return None
