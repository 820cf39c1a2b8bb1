"""Reading a prepared page, with a second look when Tesseract leaves much of the text unread.

Tesseract's layout analysis now and then takes part of a page for a picture (a stamp over the lines, a
dark blot) and drops the words around it, or cuts lines short. The page's letter-like ink tells: when a
large share of it lies outside every word box, the page is read again as one uniform block of text,
which has no picture regions, and that reading is kept if it covers clearly more of the ink and is about
as sure of itself, or sure enough anyway.

The same picture region can instead split lines in two: the parts left of a stamp in one block, the parts
right of it in another, read one block after the other, or put a block that starts lower first. On a page
read as one column the pieces of a row are joined again, left to right, and the blocks read top to bottom.
"""

from __future__ import annotations

import logging
from typing import Protocol

import cv2
import numpy as np

from workbench.imaging.light import ink_mask
from workbench.page import BBox, Block, Line, Page, Step

log = logging.getLogger(__name__)

BLOCK_PSM = 6  # Tesseract: a single uniform block of text
MAX_UNREAD = 0.2  # share of the letter-like ink outside every word box before a second look
MIN_GAIN = 0.1  # the second reading must leave this much less ink unread
MAX_CONFIDENCE_LOSS = 5.0  # and be at most this much less sure (mean word confidence),
SURE_ENOUGH = 70.0  # or this sure anyway: the lines left out were often the hard ones
BOX_MARGIN = 3  # pixels around a word box (at half size) that still count as read
ONE_COLUMN_PSM = 4  # Tesseract: a single column of text: what a prepared page is
MIN_ROW_OVERLAP = 0.5  # two line pieces share a row when their heights overlap by this share of the smaller


class Reader(Protocol):
    def recognize(self, image: np.ndarray, *, languages: str, timeout: float, psm: int | None = None) -> Page: ...


def unread_ink(layout: Page, image: np.ndarray) -> float:
    """The share of the page's letter-like ink that lies outside every word box (0 on a blank page)."""
    half = cv2.resize(image, (max(1, image.shape[1] // 2), max(1, image.shape[0] // 2)), interpolation=cv2.INTER_AREA)
    ink = ink_mask(half) > 0
    total = int(np.count_nonzero(ink))
    if total == 0:
        return 0.0
    read = np.zeros(half.shape, np.uint8)
    for word in layout.words():
        box = word.bbox
        cv2.rectangle(read, (box.x0 // 2 - BOX_MARGIN, box.y0 // 2 - BOX_MARGIN),
                      (box.x1 // 2 + BOX_MARGIN, box.y1 // 2 + BOX_MARGIN), 1, -1)
    return float(np.count_nonzero(ink & (read == 0))) / total


def read_page(engine: Reader, image: np.ndarray, *, languages: str, timeout: float, psm: int | None) -> Page:
    """The page read with ``psm``, or read again as one block when that left much of its ink unread.

    Each read has its own ``timeout``: a page that gets a second look may take up to twice as long.
    """
    layout = engine.recognize(image, languages=languages, timeout=timeout, psm=psm)
    if psm == ONE_COLUMN_PSM:
        layout = as_one_column(layout)
    if psm == BLOCK_PSM:
        return layout
    unread = unread_ink(layout, image)
    if unread <= MAX_UNREAD:
        return layout
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
    return chosen


def _same_row(left: BBox, right: BBox) -> bool:
    """``right`` continues ``left`` on the same row: their heights overlap well and it starts after ``left`` ends."""
    overlap = min(left.y1, right.y1) - max(left.y0, right.y0)
    smaller = min(left.height, right.height)
    return smaller > 0 and overlap >= MIN_ROW_OVERLAP * smaller and right.x0 >= left.x1 - smaller // 2


def _split_row(blocks: list[Block]) -> tuple[Block, Line, Block, Line] | None:
    """A line and the nearest piece of its row to its right in another block, if any."""
    for block in blocks:
        for line in block.lines:
            pieces = [(other_block, other) for other_block in blocks if other_block is not block
                      for other in other_block.lines if _same_row(line.bbox, other.bbox)]
            if pieces:
                other_block, other = min(pieces, key=lambda piece: piece[1].bbox.x0)
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


def as_one_column(page: Page) -> Page:
    """Join the pieces of a row that Tesseract put in different blocks side by side, left piece first,
    and order the blocks top to bottom.

    A joined row stays in the block with more lines (a pencil mark beside a line of a paragraph is a block
    of its own: the line stays in its paragraph). Blocks left without lines go, and every block's box is
    drawn again round the lines it keeps.
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
        for block in blocks:
            block.bbox = BBox.enclosing([line.bbox for line in block.lines])
    ordered = sorted(blocks, key=lambda block: (block.bbox.y0, block.bbox.x0))
    moved = sum(a is not b for a, b in zip(ordered, blocks, strict=True))
    if not joined and not moved:
        return page
    return Page(width=page.width, height=page.height, blocks=ordered,
                steps=[*page.steps, Step("one-column", {"rows_joined": joined, "blocks_moved": moved}, 0.0)])
