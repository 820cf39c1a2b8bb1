"""Pages tagged to their file (delo) and leaf: tagging runs, retakes, file views, CSV in and out."""

from __future__ import annotations

import csv
import io
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from workbench.archive.citation import Citation, Side, format_citation, parse_citation
from workbench.archive.leaves import SequenceReport, Step, check_sequence, number_photos
from workbench.db.models import Delo, OcrRun, Page, SourceImage, Status, Transcription
from workbench.db.store import FILE_ORDER
from workbench.errors import BadInput, NotFound
from workbench.imaging.fingerprint import hash_distance

log = logging.getLogger(__name__)

# photos closer than this (bits of 64) are shown side by side as possible duplicates
NEAR_DUPLICATE_BITS = 6


def delo_for(session: Session, citation: Citation) -> Delo:
    archive, fond, opis, delo = citation.file_key
    row = session.scalars(select(Delo).where(Delo.archive == archive, Delo.fond == fond, Delo.opis == opis,
                                             Delo.delo == delo)).first()
    if row is None:
        row = Delo(archive=archive, fond=fond, opis=opis, delo=delo)
        session.add(row)
        session.flush()
    return row


def delo_citation(delo: Delo) -> Citation:
    return Citation(fond=delo.fond, opis=delo.opis, delo=delo.delo, archive=delo.archive or None)


def first_side(page: Page) -> Side | None:
    if page.leaf_number is None:
        return None
    return Side(page.leaf_number, page.leaf_suffix, page.leaf_verso)


def last_side(page: Page) -> Side | None:
    if page.last_number is None:
        return None
    return Side(page.last_number, page.last_suffix, page.last_verso)


def page_citation(page: Page) -> Citation | None:
    if page.delo_row is None:
        return None
    return delo_citation(page.delo_row).with_leaves(first_side(page), last_side(page))


def format_page_citation(page: Page, style: str = "en") -> str:
    citation = page_citation(page)
    return "" if citation is None else format_citation(citation, style)  # type: ignore[arg-type]


def _set_sides(page: Page, first: Side | None, last: Side | None) -> None:
    page.leaf_number = first.number if first else None
    page.leaf_suffix = first.suffix if first else ""
    page.leaf_verso = first.verso if first else False
    page.last_number = last.number if last else None
    page.last_suffix = last.suffix if last else ""
    page.last_verso = last.verso if last else False


def set_citation(session: Session, page: Page, citation: Citation | None) -> None:
    """Tag one page (or untag it with None), then settle the retakes of the files involved."""
    old_delo = page.delo_id
    if citation is None:
        page.delo_id = None
        _set_sides(page, None, None)
    else:
        page.delo_id = delo_for(session, citation).id
        _set_sides(page, citation.first, citation.last)
    session.flush()
    for delo_id in {old_delo, page.delo_id} - {None}:
        settle_retakes(session, delo_id)  # type: ignore[arg-type]


def proposed_citation(session: Session, page: Page) -> Citation | None:
    """For an untagged page, the side after the nearest tagged page before it in capture order."""
    order = list(session.scalars(select(Page).join(Page.image).order_by(*FILE_ORDER)
                                 .options(selectinload(Page.delo_row))))
    before = order[:next((i for i, p in enumerate(order) if p.id == page.id), 0)]
    for previous in reversed(before):
        citation, side = page_citation(previous), last_side(previous) or first_side(previous)
        if citation is not None and side is not None:
            return citation.with_leaves(side.next("leaf"))
    return None


def photos_in_capture_order(session: Session, images: Iterable[SourceImage]) -> list[SourceImage]:
    """EXIF capture time first, then file name: the order the leaves lay in the file."""
    return sorted(images, key=lambda i: (i.captured_at is None, i.captured_at or 0, Path(i.path).name, i.path))


@dataclass(slots=True)
class Tagged:
    page: Page
    side: Side


def tag_run(session: Session, images: list[SourceImage], citation: Citation, step: Step) -> list[Tagged]:
    """Tag a run of photos in capture order from the cited side on; a spread's two pages take two sides."""
    if citation.first is None:
        raise BadInput("give the first photo's leaf in the citation, e.g. '..., l. 61'")
    if citation.last is not None:
        raise BadInput("give one leaf to start from, not a range; the photos after it are numbered on")
    ordered = photos_in_capture_order(session, images)
    missing = [i.path for i in ordered if not i.pages]
    if missing:
        raise BadInput(f"not read yet, so not tagged (run `workbench ocr` first): {', '.join(missing[:5])}")
    delo = delo_for(session, citation)
    tagged: list[Tagged] = []
    for image, sides in zip(ordered, number_photos(citation.first, [len(i.pages) for i in ordered], step),
                            strict=True):
        for page, side in zip(image.pages, sides, strict=True):
            page.delo_id = delo.id
            _set_sides(page, side, None)
            tagged.append(Tagged(page, side))
    session.flush()
    settle_retakes(session, delo.id)
    return tagged


def _quality(session: Session, page: Page) -> tuple[float, float]:
    confidence = session.scalar(select(OcrRun.mean_confidence).where(OcrRun.page_id == page.id)
                                .order_by(OcrRun.id.desc()).limit(1))
    return (confidence or 0.0, page.sharpness or 0.0)


def settle_retakes(session: Session, delo_id: int) -> None:
    """Of the pages that show the same side, keep the best (OCR confidence, then sharpness); mark the rest
    as retakes of it. A choice a person made by hand is kept while it still applies."""
    pages = list(session.scalars(select(Page).where(Page.delo_id == delo_id, Page.leaf_number.is_not(None))))
    by_side: dict[tuple[Side | None, Side | None], list[Page]] = defaultdict(list)
    for page in pages:  # a page showing ll. 61 ob.-62 is no retake of one showing l. 61 ob.
        by_side[(first_side(page), last_side(page))].append(page)
    for group in by_side.values():
        ids = {p.id for p in group}
        if len(group) == 1:
            group[0].retake_of = None
            continue
        chosen = [p for p in group if p.retake_of is None]
        if len(chosen) == 1 and all(p.retake_of == chosen[0].id for p in group if p is not chosen[0]):
            continue
        best = max(group, key=lambda p: _quality(session, p))
        for page in group:
            page.retake_of = None if page is best else best.id
        log.info("leaf photographed %d times; chose page %d (others: %s)", len(group), best.id, ids - {best.id})


def choose_retake(session: Session, page_id: int) -> None:
    """A person's choice: this photo of its side is the one to keep."""
    page = session.get(Page, page_id)
    if page is None or page.delo_id is None:
        raise NotFound(f"page {page_id} is not tagged to a file")
    same = session.scalars(select(Page).where(Page.delo_id == page.delo_id, Page.leaf_number == page.leaf_number,
                                              Page.leaf_suffix == page.leaf_suffix,
                                              Page.leaf_verso == page.leaf_verso))
    for other in same:
        other.retake_of = None if other.id == page.id else page.id


def leaf_order_key(page: Page) -> tuple:
    side = first_side(page)
    return (side is None, side or Side(0), page.retake_of is not None, page.id)


@dataclass(slots=True)
class FileView:
    delo: Delo
    citation: Citation
    pages: list[Page]
    report: SequenceReport
    done: int  # verified pages, retakes not counted
    total: int


def file_view(session: Session, delo_id: int) -> FileView:
    delo = session.get(Delo, delo_id)
    if delo is None:
        raise NotFound(f"no file {delo_id}")
    pages = sorted(session.scalars(select(Page).where(Page.delo_id == delo_id)
                                   .options(selectinload(Page.image), selectinload(Page.transcription),
                                            selectinload(Page.delo_row))), key=leaf_order_key)
    kept = [p for p in pages if p.retake_of is None]
    sides = [s for p in pages if (s := first_side(p)) is not None]
    return FileView(delo=delo, citation=delo_citation(delo), pages=pages, report=check_sequence(sides),
                    done=sum(p.transcription.status is Status.VERIFIED for p in kept), total=len(kept))


@dataclass(slots=True)
class Completion:
    label: str
    done: int
    total: int
    delo_id: int | None = None

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


def completion(session: Session) -> tuple[list[Completion], list[Completion]]:
    """Verified pages per file and per fond (retakes not counted)."""
    rows = session.execute(
        select(Delo, func.count(Page.id), func.sum(case((Transcription.status == Status.VERIFIED, 1), else_=0)))
        .join(Page, Page.delo_id == Delo.id).join(Transcription, Transcription.page_id == Page.id)
        .where(Page.retake_of.is_(None)).group_by(Delo.id)
        .order_by(Delo.archive, Delo.fond, Delo.opis, Delo.delo)).all()
    files = [Completion(format_citation(delo_citation(d)), int(done or 0), int(total), d.id) for d, total, done in rows]
    fonds: dict[str, Completion] = {}
    for (d, total, done) in rows:
        label = " ".join(filter(None, [d.archive, f"f. {d.fond}"]))
        entry = fonds.setdefault(label, Completion(label, 0, 0))
        entry.done += int(done or 0)
        entry.total += int(total)
    return files, list(fonds.values())


def near_duplicates(session: Session, *, max_bits: int = NEAR_DUPLICATE_BITS) -> list[tuple[Page, Page, int]]:
    """Pairs of photos that look alike: a retake, or the same leaf photographed twice by mistake."""
    images = list(session.scalars(select(SourceImage).where(SourceImage.phash.is_not(None))
                                  .options(selectinload(SourceImage.pages).selectinload(Page.delo_row))))
    pairs: list[tuple[Page, Page, int]] = []
    for i, a in enumerate(images):
        for b in images[i + 1:]:
            bits = hash_distance(a.phash, b.phash)  # type: ignore[arg-type]
            if bits <= max_bits and a.pages and b.pages:
                pairs.append((a.pages[0], b.pages[0], bits))
    return sorted(pairs, key=lambda pair: pair[2])


def mark_retake(session: Session, page_id: int, *, of: int) -> None:
    """A person says two photos show the same side: give this one the other's tag, kept as its retake."""
    page, other = session.get(Page, page_id), session.get(Page, of)
    if page is None or other is None:
        raise NotFound("no such page")
    if other.delo_id is None:
        raise BadInput("tag the photo to keep first; its retake takes the same leaf")
    page.delo_id = other.delo_id
    _set_sides(page, first_side(other), last_side(other))
    other.retake_of = None
    page.retake_of = other.id


# ------------------------------------------------------------------ CSV
CSV_FIELDS = ["file_name", "sha256", "part", "citation", "archive", "fond", "opis", "delo", "leaf", "verso",
              "last_leaf", "last_verso", "retake"]


def export_csv(session: Session) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    pages = session.scalars(select(Page).join(Page.image).order_by(*FILE_ORDER)
                            .options(selectinload(Page.image), selectinload(Page.delo_row)))
    for page in pages:
        citation = page_citation(page)
        row = {"file_name": Path(page.image.path).name, "sha256": page.image.sha256, "part": page.part,
               "retake": "yes" if page.retake_of else ""}
        if citation is not None:
            row |= {"citation": format_citation(citation), "archive": citation.archive or "",
                    "fond": citation.fond, "opis": citation.opis, "delo": citation.delo}
        for prefix, side in (("", first_side(page)), ("last_", last_side(page))):
            if side is not None:
                row |= {f"{prefix}leaf": f"{side.number}{side.suffix}", f"{prefix}verso": "yes" if side.verso else ""}
        writer.writerow(row)
    return buffer.getvalue()


def import_csv(session: Session, text: str) -> int:
    """Tags from a CSV like the export (the citation column is enough); rows are matched by sha256, or by file
    name when it is unique. Every row is checked before anything is changed."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or "citation" not in reader.fieldnames:
        raise BadInput("the CSV needs a header with at least the columns citation and sha256 or file_name")
    images = list(session.scalars(select(SourceImage).options(selectinload(SourceImage.pages))))
    by_sha = {i.sha256: i for i in images}
    by_name: dict[str, list[SourceImage]] = defaultdict(list)
    for each in images:
        by_name[Path(each.path).name].append(each)
    plan: list[tuple[Page, Citation | None]] = []
    for n, row in enumerate(reader, start=2):
        image = by_sha.get((row.get("sha256") or "").strip())
        if image is None:
            named = by_name.get((row.get("file_name") or "").strip(), [])
            if len(named) != 1:
                raise BadInput(f"line {n}: no single photo with sha256 {row.get('sha256')!r} "
                               f"or file name {row.get('file_name')!r}")
            image = named[0]
        try:
            part = int(row.get("part") or 0)
        except ValueError:
            raise BadInput(f"line {n}: part must be 0, 1 or 2, not {row.get('part')!r}") from None
        page = next((p for p in image.pages if p.part == part), None)
        if page is None:
            raise BadInput(f"line {n}: {Path(image.path).name} has no part {part}")
        text_citation = (row.get("citation") or "").strip()
        try:
            citation = parse_citation(text_citation)[0] if text_citation else None
        except BadInput as exc:
            raise BadInput(f"line {n}: {exc}") from None
        plan.append((page, citation))
    for page, citation in plan:
        set_citation(session, page, citation)
    return len(plan)
