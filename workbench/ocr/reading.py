"""Reading a prepared page, with a second look when Tesseract leaves much of the text unread.

Tesseract's layout analysis now and then takes part of a page for a picture (a stamp over the lines, a
dark blot) and drops the words around it, or cuts lines short. The page's letter-like ink tells: when a
large share of it lies outside every word box, the page is read again as one uniform block of text,
which has no picture regions, and that reading is kept if it covers clearly more of the ink and is about
as sure of itself, or sure enough anyway. Now and then it leaves out one whole line instead (a pencil
stroke touching it): a row of unread ink as long and as high as a line is read alone and put back in its
place when Tesseract is sure enough of it. A word box that is tall and unsure, drawn over a stamp's rim and
the line below, is a garbled reading of something else and does not count as reading the ink it covers (it
stays in the text, low in confidence, for the transcriber to see). In a line of other words, such a word
(often a word read together with the one below it, where tight lines' strokes touch) is read again alone
between the line's top and bottom, and replaced when Tesseract is sure enough of that reading.

The same picture region can instead split lines in two: the parts left of a stamp in one block, the parts
right of it in another, read one block after the other, or put a block that starts lower first. On a page
read as one column the pieces of a row are joined again, left to right, and the blocks read top to bottom.
"""

from __future__ import annotations

import logging
from typing import Protocol

import cv2
import numpy as np

from workbench.errors import OcrError
from workbench.imaging.components import components
from workbench.imaging.light import ink_mask
from workbench.page import BBox, Block, Line, Page, Step, Word

log = logging.getLogger(__name__)

BLOCK_PSM = 6  # Tesseract: a single uniform block of text
MAX_UNREAD = 0.2  # share of the letter-like ink outside every word box before a second look
MIN_GAIN = 0.1  # the second reading must leave this much less ink unread
MAX_CONFIDENCE_LOSS = 5.0  # and be at most this much less sure (mean word confidence),
SURE_ENOUGH = 70.0  # or this sure anyway: the lines left out were often the hard ones
BOX_MARGIN = 3  # pixels around a word box (at half size) that still count as read
# A row of unread ink is a skipped line when it spans this share of the page, or this many line heights,
# and is this many line heights high; it is kept when Tesseract, reading it alone as one line, is this sure.
MISSED_LINE_WIDTH = 0.2
MISSED_LINE_LETTERS = 12
MISSED_LINE_HEIGHT = (0.5, 2.5)
MISSED_LINE_CONFIDENCE = 60.0
GARBLED_CONFIDENCE = 50.0  # a word this unsure and this many times as high as the page's words is a garbled
GARBLED_HEIGHT = 1.5  # reading of something else (a stamp's rim), not of the ink under its box
MAX_MISSED_LINES = 3  # read alone at most: more such rows are a page of handwriting under a printed head
# A garbled word in a line of words Tesseract read (its box taller than the line, as when tight lines' strokes
# touch and a word is read together with the one below it) is read again alone, between its line's top and
# bottom and between its neighbours, and replaced when Tesseract is this sure of that reading (at 64 to 70,
# a scrap of a stamp read as letters, "ге поме", or a sign as "Ж"); at most so many a page.
SURE_REREAD = 75.0
MAX_GARBLED_WORDS = 12
LINE_PSM = 7  # Tesseract: a single text line
ONE_COLUMN_PSM = 4  # Tesseract: a single column of text: what a prepared page is
# Two line pieces side by side may share a row when their heights overlap by this share of the smaller; a piece
# that so overlaps two lines continues the one it overlaps more. On a curled page the dewarp may leave a row's
# right-hand end higher than its start, and Tesseract makes it a block of its own (62000/curl-038: overlapping
# its start by 0.49 of its height, it was read after the row below, 9.5% CER; joined, 3.6%).
MIN_ROW_OVERLAP = 1 / 3


class Reader(Protocol):
    def recognize(self, image: np.ndarray, *, languages: str, timeout: float, psm: int | None = None) -> Page: ...


def _garbled(layout: Page) -> set[int]:
    """The ids of the page's tall unsure words: boxes Tesseract draws over a stamp's rim and the line below it,
    or over a word and the one under it, garbled readings of something else than the ink under them."""
    words = list(layout.words())
    if not words:
        return set()
    height = float(np.median([w.bbox.height for w in words]))
    return {id(w) for w in words if w.confidence < GARBLED_CONFIDENCE and w.bbox.height > GARBLED_HEIGHT * height}


def _read_words(layout: Page) -> list[Word]:
    """The words that count as reading the ink under them: not the garbled ones, which would hide a line
    Tesseract left out."""
    garbled = _garbled(layout)
    return [w for w in layout.words() if id(w) not in garbled]


def _unread(layout: Page, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page's letter-like ink, and the part of it outside every word box that counts (``_read_words``),
    at half size: what decides both the second look and the search for skipped lines."""
    half = cv2.resize(image, (max(1, image.shape[1] // 2), max(1, image.shape[0] // 2)), interpolation=cv2.INTER_AREA)
    ink = ink_mask(half) > 0
    read = np.zeros(half.shape, np.uint8)
    for word in _read_words(layout):
        box = word.bbox
        cv2.rectangle(read, (box.x0 // 2 - BOX_MARGIN, box.y0 // 2 - BOX_MARGIN),
                      (box.x1 // 2 + BOX_MARGIN, box.y1 // 2 + BOX_MARGIN), 1, -1)
    return ink, ink & (read == 0)


def _share(ink: np.ndarray, unread: np.ndarray) -> float:
    total = int(np.count_nonzero(ink))
    return float(np.count_nonzero(unread)) / total if total else 0.0


def unread_ink(layout: Page, image: np.ndarray) -> float:
    """The share of the page's letter-like ink that lies outside every word box that counts (0 on a blank
    page)."""
    return _share(*_unread(layout, image))


def missed_lines(layout: Page, image: np.ndarray, unread: np.ndarray | None = None) -> list[BBox]:
    """Rows of unread ink as long and as high as a line of text: lines Tesseract's layout skipped.

    A line touched by a pencil stroke or a stamp's rim is now and then left out whole while the lines around
    it are read. Its ink, smeared along the row over gaps between words, makes a run at least a fifth of the
    page wide and half to two and a half times as high as the page's read lines (at half size).
    """
    heights = [line.bbox.height for line in layout.lines() if line.words]
    if not heights:
        return []
    if unread is None:
        _, unread = _unread(layout, image)
    line_height = float(np.median(heights)) / 2
    smear = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(2 * line_height)), 1))
    runs = cv2.dilate(unread.astype(np.uint8), smear)
    _, _, stats, _ = components(runs)
    found = []
    for x, y, w, h, _ in stats[1:]:
        if (w >= max(MISSED_LINE_LETTERS * line_height, MISSED_LINE_WIDTH * unread.shape[1])
                and MISSED_LINE_HEIGHT[0] * line_height <= h <= MISSED_LINE_HEIGHT[1] * line_height):
            found.append(BBox(int(2 * x), int(2 * y), int(2 * (x + w)), int(2 * (y + h))))
    return found


def _read_missed_lines(engine: Reader, layout: Page, image: np.ndarray, *, languages: str,
                       timeout: float, unread: np.ndarray | None = None) -> Page:
    """The page with each skipped line read on its own (one line, ``LINE_PSM``) and put in its place, when
    Tesseract is sure enough of it; a ``missed-lines`` step lists what was added."""
    added: list[dict[str, object]] = []
    read_boxes = [w.bbox for w in _read_words(layout)]
    for box in missed_lines(layout, image, unread)[:MAX_MISSED_LINES]:
        pad = max(4, box.height // 2)
        strip = BBox(max(0, box.x0 - pad), max(0, box.y0 - pad), min(image.shape[1], box.x1 + pad),
                     min(image.shape[0], box.y1 + pad))
        shifted = _read_line(engine, image, strip, languages=languages, timeout=timeout)
        # the strip's margin may catch a piece of a neighbouring line, already read
        words = [w for w in shifted if not any(_overlap(w.bbox, other) > 0.5 for other in read_boxes)]
        confidence = float(np.mean([w.confidence for w in words])) if words else 0.0
        if confidence < MISSED_LINE_CONFIDENCE or not any(ch.isalpha() for w in words for ch in w.text):
            continue
        _insert_line(layout, Line(bbox=BBox.enclosing([w.bbox for w in words]), words=words))
        added.append({"box": [box.x0, box.y0, box.x1, box.y1], "text": " ".join(w.text for w in words),
                      "confidence": round(confidence, 1)})
    if added:
        layout.steps = [*layout.steps, Step("missed-lines", {"added": added}, 0.0)]
    return layout


def _read_garbled_words(engine: Reader, layout: Page, image: np.ndarray, *, languages: str,
                        timeout: float) -> Page:
    """The page with each garbled word in a line of other words read again alone (one line, ``LINE_PSM``)
    between the top and bottom of those words, and put in its place when Tesseract is sure enough of that
    reading; a ``garbled-words`` step lists what was replaced."""
    garbled = _garbled(layout)
    replaced: list[dict[str, object]] = []
    for line in layout.lines():
        others = [w for w in line.words if id(w) not in garbled]
        if len(others) < 2 or len(others) == len(line.words) or len(replaced) >= MAX_GARBLED_WORDS:
            continue
        top, bottom = min(w.bbox.y0 for w in others), max(w.bbox.y1 for w in others)
        pad = max(2, (bottom - top) // 6)
        words: list[Word] = []
        changed = False
        for i, word in enumerate(line.words):
            if id(word) not in garbled or len(replaced) >= MAX_GARBLED_WORDS:
                words.append(word)
                continue
            # clear of the neighbours, whose edges would be read as signs at the word's ends
            left = line.words[i - 1].bbox.x1 + 1 if i else 0
            right = line.words[i + 1].bbox.x0 - 1 if i + 1 < len(line.words) else image.shape[1]
            x0, x1 = max(left, word.bbox.x0 - 2 * pad, 0), min(right, word.bbox.x1 + 2 * pad, image.shape[1])
            y0 = max(0, top - pad)
            if x1 - x0 < 2:
                words.append(word)
                continue
            read = _read_alone(engine, image, BBox(x0, y0, x1, min(image.shape[0], bottom + pad)),
                               languages=languages, timeout=timeout)
            confidence = float(np.mean([w.confidence for w in read])) if read else 0.0
            if confidence < SURE_REREAD or not any(ch.isalpha() for w in read for ch in w.text):
                words.append(word)
                continue
            words.extend(read)
            changed = True
            replaced.append({"box": [word.bbox.x0, word.bbox.y0, word.bbox.x1, word.bbox.y1], "was": word.text,
                             "confidence_was": round(word.confidence, 1), "text": " ".join(w.text for w in read),
                             "confidence": round(confidence, 1)})
        if changed:
            line.words = words
            line.bbox = BBox.enclosing([w.bbox for w in words])
    if replaced:
        layout.steps = [*layout.steps, Step("garbled-words", {"replaced": replaced}, 0.0)]
    return layout


def _read_alone(engine: Reader, image: np.ndarray, box: BBox, *, languages: str, timeout: float) -> list[Word]:
    """``_read_line``, or no words when Tesseract fails on the crop: the page's own reading stands."""
    try:
        return _read_line(engine, image, box, languages=languages, timeout=timeout)
    except OcrError as exc:
        log.warning("a word could not be read again: %s", exc)
        return []


def _read_line(engine: Reader, image: np.ndarray, box: BBox, *, languages: str, timeout: float) -> list[Word]:
    """The words Tesseract reads in ``box`` of the page as one line (``LINE_PSM``), in page pixels. A box
    narrower than high is widened with paper: too small a crop fails Tesseract's thresholding."""
    crop = image[box.y0:box.y1, box.x0:box.x1]
    margin = max(0, crop.shape[0] - crop.shape[1])
    if margin:
        crop = cv2.copyMakeBorder(crop, 0, 0, margin, margin, cv2.BORDER_CONSTANT, value=255)
    found = engine.recognize(crop, languages=languages, timeout=timeout, psm=LINE_PSM).words()
    dx, dy = box.x0 - margin, box.y0
    return [Word(w.text, BBox(w.bbox.x0 + dx, w.bbox.y0 + dy, w.bbox.x1 + dx, w.bbox.y1 + dy), w.confidence)
            for w in found]


def _overlap(a: BBox, b: BBox) -> float:
    """The share of ``a``'s area that ``b`` covers."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h / max(a.width * a.height, 1) if w > 0 and h > 0 else 0.0


def _insert_line(page: Page, line: Line) -> None:
    """Put ``line`` into the block beside it (in the same column, then nearest in height), before the first of
    its lines that lies lower."""
    centre = (line.bbox.y0 + line.bbox.y1) / 2
    if not page.blocks:
        page.blocks.append(Block(bbox=line.bbox, lines=[line]))
        return

    def distance(b: Block) -> tuple[bool, float]:
        same_column = min(b.bbox.x1, line.bbox.x1) > max(b.bbox.x0, line.bbox.x0)
        return (not same_column, 0 if b.bbox.y0 <= centre <= b.bbox.y1
                else min(abs(b.bbox.y0 - centre), abs(b.bbox.y1 - centre)))

    block = min(page.blocks, key=distance)
    _put_between(block, line)
    block.bbox = block.bbox.union(line.bbox)


def read_page(engine: Reader, image: np.ndarray, *, languages: str, timeout: float, psm: int | None) -> Page:
    """The page read with ``psm``, or read again as one block when that left much of its ink unread.

    Each read has its own ``timeout``: a page that gets a second look may take up to twice as long.
    """
    layout = engine.recognize(image, languages=languages, timeout=timeout, psm=psm)
    if psm == ONE_COLUMN_PSM:
        layout = as_one_column(layout)
    if psm == BLOCK_PSM:
        return layout
    ink, unread_mask = _unread(layout, image)
    unread = _share(ink, unread_mask)
    if unread <= MAX_UNREAD:
        return _read_again(engine, layout, image, languages=languages, timeout=timeout, unread=unread_mask)
    block = engine.recognize(image, languages=languages, timeout=timeout, psm=BLOCK_PSM)
    unread_block = unread_ink(block, image)
    confidence, confidence_block = layout.mean_confidence or 0.0, block.mean_confidence or 0.0
    kept = unread_block <= unread - MIN_GAIN and confidence_block >= min(confidence - MAX_CONFIDENCE_LOSS, SURE_ENOUGH)
    log.debug("%.0f%% of the ink unread; as one block %.0f%%: %s", unread * 100, unread_block * 100,
              "kept" if kept else "not kept")
    chosen = block if kept else layout
    chosen.steps = [*chosen.steps, Step("second-look", {
        "unread": round(unread, 3), "unread_as_block": round(unread_block, 3), "psm": BLOCK_PSM, "kept": kept,
        "confidence": round(confidence, 1), "confidence_as_block": round(confidence_block, 1)}, 0.0)]
    return _read_again(engine, chosen, image, languages=languages, timeout=timeout)


def _read_again(engine: Reader, layout: Page, image: np.ndarray, *, languages: str, timeout: float,
                unread: np.ndarray | None = None) -> Page:
    """The page's reading with the lines it skipped and the words it garbled read alone."""
    layout = _read_missed_lines(engine, layout, image, languages=languages, timeout=timeout, unread=unread)
    return _read_garbled_words(engine, layout, image, languages=languages, timeout=timeout)


def _row_overlap(left: BBox, right: BBox) -> float:
    """How far ``right``'s height overlaps ``left``'s, as a share of the smaller, if it starts where ``left``
    ends or after (less than half the smaller height back); 0 otherwise."""
    overlap = min(left.y1, right.y1) - max(left.y0, right.y0)
    smaller = min(left.height, right.height)
    if smaller <= 0 or right.x0 < left.x1 - smaller // 2:
        return 0.0
    return max(0.0, overlap / smaller)


def _same_row(left: BBox, right: BBox) -> bool:
    """``right`` may continue ``left`` on the same row: ``_row_overlap`` at least ``MIN_ROW_OVERLAP``."""
    return _row_overlap(left, right) >= MIN_ROW_OVERLAP


def _split_row(blocks: list[Block]) -> tuple[Block, Line, Block, Line] | None:
    """A line and the nearest piece of its row to its right in another block, if any: a piece that overlaps
    the heights of two lines before it continues the one it overlaps more."""
    lines = [(block, line) for block in blocks for line in block.lines]
    for block, line in lines:
        pieces = [(other_block, other) for other_block, other in lines if other_block is not block
                  and _same_row(line.bbox, other.bbox)]
        if pieces:
            other_block, other = min(pieces, key=lambda piece: piece[1].bbox.x0)
            overlap = _row_overlap(line.bbox, other.bbox)
            if all(_row_overlap(rival.bbox, other.bbox) <= overlap for rival_block, rival in lines
                   if rival_block is not other_block and rival is not line):
                return block, line, other_block, other
    return None


def _replace(lines: list[Line], old: Line, new: Line | None) -> list[Line]:
    """``lines`` with ``old`` (by identity) replaced by ``new``, or left out when ``new`` is None."""
    out: list[Line] = []
    for line in lines:
        if line is not old:
            out.append(line)
        elif new is not None:
            out.append(new)
    return out


def _inside(inner: BBox, outer: BBox) -> bool:
    """``inner`` lies between ``outer``'s top and bottom, and mostly within its left and right."""
    across = min(inner.x1, outer.x1) - max(inner.x0, outer.x0)
    return outer.y0 < inner.y0 and inner.y1 < outer.y1 and across >= 0.5 * inner.width


def _put_between(block: Block, line: Line) -> None:
    """``line`` into ``block`` before the first of its lines that lies lower."""
    centre = (line.bbox.y0 + line.bbox.y1) / 2
    at = next((i for i, other in enumerate(block.lines) if other.bbox.y0 > centre), len(block.lines))
    block.lines.insert(at, line)


def as_one_column(page: Page) -> Page:
    """Join the pieces of a row that Tesseract put in different blocks side by side, left piece first,
    put a block that lies among another's lines between them, and order the blocks top to bottom.

    A joined row stays in the block with more lines (a pencil mark beside a line of a paragraph is a block
    of its own: the line stays in its paragraph). A line a stamp touched is now and then a block of its own
    that Tesseract reads after the paragraph it lies in (51000/stamp-028 of the benchmark: 20% CER for one
    line out of place); its lines go back into the paragraph by height. Blocks left without lines go, and
    every block's box is drawn again round the lines it keeps.
    """
    blocks = [Block(bbox=block.bbox, lines=[line for line in block.lines if line.words]) for block in page.blocks]
    joined = 0
    while (split := _split_row(blocks)) is not None:
        left_block, left, right_block, right = split
        row = Line(bbox=left.bbox.union(right.bbox), words=[*left.words, *right.words])
        if len(left_block.lines) >= len(right_block.lines):
            left_block.lines = _replace(left_block.lines, left, row)
            right_block.lines = _replace(right_block.lines, right, None)
        else:
            right_block.lines = _replace(right_block.lines, right, row)
            left_block.lines = _replace(left_block.lines, left, None)
        joined += 1
    blocks = [block for block in blocks if block.lines]
    if joined:
        _redraw(blocks)
    nested = 0
    for block in blocks:
        if not block.lines:
            continue
        outer = next((other for other in blocks if other is not block and len(other.lines) > len(block.lines)
                      and _inside(block.bbox, other.bbox)), None)
        if outer is not None:
            for line in block.lines:
                _put_between(outer, line)
            block.lines = []
            nested += 1
    if nested:
        blocks = [block for block in blocks if block.lines]
        _redraw(blocks)
    ordered = sorted(blocks, key=lambda block: (block.bbox.y0, block.bbox.x0))
    moved = sum(a is not b for a, b in zip(ordered, blocks, strict=True))
    if not joined and not moved and not nested:
        return page
    params = {"rows_joined": joined, "blocks_put_between": nested, "blocks_moved": moved}
    return Page(width=page.width, height=page.height, blocks=ordered,
                steps=[*page.steps, Step("one-column", params, 0.0)])


def _redraw(blocks: list[Block]) -> None:
    """Each block's box drawn again round its lines."""
    for block in blocks:
        block.bbox = BBox.enclosing([line.bbox for line in block.lines])
