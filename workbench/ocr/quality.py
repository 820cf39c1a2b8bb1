"""Is an OCR result worth correcting? Handwriting gives Tesseract noise, which is no help to a person."""

from __future__ import annotations

from workbench.page import BBox, Block, Line, Page

# Measured: scribbled handwriting gives a mean near 20 and almost no sure words; a hard carbon copy read
# at 22% CER gives a mean near 41 with a quarter of its letters in sure words, and is worth correcting.
GOOD_WORD_CONFIDENCE = 70.0
MIN_GOOD_SHARE = 0.12  # of the letters, in words Tesseract is sure of
MIN_MEAN_CONFIDENCE = 32.0


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
