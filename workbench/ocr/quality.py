"""Is an OCR result worth correcting? Handwriting gives Tesseract noise, which is no help to a person.

On a printed page, specks, a page edge, a pencil mark or a stamp's rim read as short lines of stray
letters and signs; those lines are dropped from the reading and kept in the run's parameters.
"""

from __future__ import annotations

import re

import numpy as np

from workbench.imaging.textlines import find_line_boxes
from workbench.ocr.mend import mend_prereform, mend_scripts
from workbench.page import BBox, Block, Line, Page, Step

# Measured: scribbled handwriting gives a mean near 20 and almost no sure words; a hard carbon copy read
# at 22% CER gives a mean near 41 with a quarter of its letters in sure words, and is worth correcting.
GOOD_WORD_CONFIDENCE = 70.0
MIN_GOOD_SHARE = 0.12  # of the letters, in words Tesseract is sure of
MIN_MEAN_CONFIDENCE = 32.0
# A stray line: Tesseract less sure of it than a coin toss, no digit or numero sign (dates, numbers, leaf and
# file references stay however badly read) and no word with a run of four letters. On the benchmark's photos
# such lines were all margin noise; real text read that badly still holds longer words.
NOISE_LINE_CONFIDENCE = 50.0
NOISE_LINE_LETTERS = 4
_LETTER_RUN = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")  # п'ять, Северо-Донецкой: one run
_NUMBER = re.compile(r"[\d№]")


def looks_like_noise(page: Page) -> bool:
    """Mostly low-confidence words, or words without letters: what Tesseract makes of handwriting."""
    words = list(page.words())
    letters = sum(len(w.text) for w in words)
    if not letters:
        return False
    good = sum(len(w.text) for w in words
               if w.confidence >= GOOD_WORD_CONFIDENCE and sum(ch.isalpha() for ch in w.text) * 2 >= len(w.text))
    mean = page.mean_confidence or 0.0
    return mean < MIN_MEAN_CONFIDENCE or good / letters < MIN_GOOD_SHARE


def lines_only(page: Page, boxes: list[BBox]) -> Page:
    """The page with its words dropped and the given line boxes, for transcription by hand."""
    blocks = [Block(bbox=BBox.enclosing(boxes), lines=[Line(bbox=b) for b in boxes])] if boxes else []
    return Page(width=page.width, height=page.height, blocks=blocks, steps=page.steps)


def _line_confidence(line: Line) -> float:
    """Mean confidence of a line's words, each word counted once (a line of words only)."""
    return sum(w.confidence for w in line.words) / len(line.words)


def is_noise_line(line: Line) -> bool:
    """A short low-confidence line of stray letters and signs: a mark on the page, not text."""
    if not line.words or any(_NUMBER.search(w.text) for w in line.words):
        return False
    confidence = _line_confidence(line)
    longest = max((len(run) for w in line.words for run in _LETTER_RUN.findall(w.text)), default=0)
    return confidence < NOISE_LINE_CONFIDENCE and longest < NOISE_LINE_LETTERS


def drop_noise_lines(page: Page) -> Page:
    """The page without its stray lines; each one's text, box and confidence go to a ``noise-lines`` step."""
    dropped: list[dict[str, object]] = []
    blocks: list[Block] = []
    for block in page.blocks:
        flags = [is_noise_line(line) for line in block.lines]
        if not any(flags):
            blocks.append(block)
            continue
        dropped.extend({"text": line.text, "bbox": [line.bbox.x0, line.bbox.y0, line.bbox.x1, line.bbox.y1],
                        "confidence": round(_line_confidence(line), 1)}
                       for line, noise in zip(block.lines, flags, strict=True) if noise)
        kept = [line for line, noise in zip(block.lines, flags, strict=True) if not noise]
        if kept:
            blocks.append(Block(bbox=BBox.enclosing([line.bbox for line in kept]), lines=kept))
    if not dropped:
        return page
    steps = [*page.steps, Step("noise-lines", {"dropped": dropped}, 0.0)]
    return Page(width=page.width, height=page.height, blocks=blocks, steps=steps)


def settle(layout: Page, image: np.ndarray) -> tuple[Page, bool]:
    """The reading to keep, and whether the page is for transcription by hand.

    Noise, or no words where there are lines of ink: handwriting, given as line strips to type into.
    Print keeps its words, less its stray lines, with words spelled in two scripts mended and, on a
    pre-reform page, its ``ѣ`` restored.
    """
    noise = looks_like_noise(layout)
    if not noise and any(True for _ in layout.words()):
        return mend_prereform(mend_scripts(drop_noise_lines(layout))), False
    boxes = find_line_boxes(image)
    if noise or len(boxes) >= 2:
        return lines_only(layout, boxes), True
    return layout, False
