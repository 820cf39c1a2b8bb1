"""The exported layout: the OCR geometry carrying the corrected text.

A person's corrections change the text, not the boxes, so the layout is rebuilt from both:

1. The text's lines (blank lines separate blocks) are paired with the OCR lines by index when the counts
   match. A line whose words still match the OCR words in number keeps the word boxes (with the corrected
   words in them); otherwise its words share the line box in proportion to their length.
2. When the counts differ, the text's lines share the box enclosing all OCR lines, in equal strips.
3. Without any OCR geometry (a page typed by hand), the lines share the page, in equal strips.
"""

from __future__ import annotations

from workbench.export.marks import words as split_words
from workbench.page import BBox, Block, Line, Word
from workbench.page import Page as Layout

PERSON_CONFIDENCE = 100.0  # a word a person typed or kept: as certain as the transcription is


def text_blocks(text: str) -> list[list[str]]:
    """The text's blocks of non-empty lines, split at blank lines."""
    blocks: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = raw.strip()
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def spread_words(line: str, box: BBox) -> list[Word]:
    """The line's words across its box, each as wide as its share of the characters."""
    parts = split_words(line)
    if not parts:
        return []
    gaps = len(parts) - 1
    total = sum(len(p) for p in parts) + gaps
    scale = box.width / total if total else 0
    result: list[Word] = []
    x = float(box.x0)
    for part in parts:
        x1 = x + len(part) * scale
        result.append(Word(part, BBox(round(x), box.y0, max(round(x1), round(x) + 1), box.y1), PERSON_CONFIDENCE))
        x = x1 + scale
    return result


def _line(text: str, ocr: Line | None, box: BBox) -> Line:
    parts = split_words(text)
    if ocr is not None and len(ocr.words) == len(parts):
        return Line(ocr.bbox, [Word(part, w.bbox, w.confidence if w.text == part else PERSON_CONFIDENCE)
                               for part, w in zip(parts, ocr.words, strict=True)])
    return Line(box, spread_words(text, box))


def _strips(area: BBox, count: int) -> list[BBox]:
    step = area.height / max(count, 1)
    return [BBox(area.x0, round(area.y0 + i * step), area.x1, max(round(area.y0 + (i + 1) * step),
                                                                   round(area.y0 + i * step) + 1))
            for i in range(count)]


def align(ocr: Layout | None, text: str, *, width: int, height: int) -> Layout:
    """The OCR layout with the corrected text in it, by the rule in this module's docstring."""
    blocks = text_blocks(text)
    texts = [line for block in blocks for line in block]
    ocr_lines = [line for line in (ocr.lines() if ocr else []) if line.bbox.width > 0 and line.bbox.height > 0]
    if ocr_lines and len(ocr_lines) == len(texts):
        lines = [_line(t, o, o.bbox) for t, o in zip(texts, ocr_lines, strict=True)]
    else:
        area = (BBox.enclosing([line.bbox for line in ocr_lines]) if ocr_lines
                else BBox(0, 0, max(width, 1), max(height, 1)))
        lines = [_line(t, None, box) for t, box in zip(texts, _strips(area, len(texts)), strict=True)]
    result = Layout(width=width, height=height)
    at = 0
    for block in blocks:
        members = lines[at:at + len(block)]
        at += len(block)
        result.blocks.append(Block(BBox.enclosing([line.bbox for line in members]), members))
    return result
