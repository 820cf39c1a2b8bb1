"""Plain data classes for a recognised page: no Flask, no SQLAlchemy.

Coordinates are pixels of the page image the OCR engine read (after preprocessing),
x to the right and y down, boxes half-open: ``x0 <= x < x1``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class BBox:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def union(self, other: BBox) -> BBox:
        return BBox(min(self.x0, other.x0), min(self.y0, other.y0),
                    max(self.x1, other.x1), max(self.y1, other.y1))

    @staticmethod
    def enclosing(boxes: list[BBox]) -> BBox:
        if not boxes:
            raise ValueError("no boxes to enclose")
        box = boxes[0]
        for other in boxes[1:]:
            box = box.union(other)
        return box


@dataclass(slots=True)
class Word:
    text: str
    bbox: BBox
    confidence: float  # 0..100, as Tesseract reports it


@dataclass(slots=True)
class Line:
    bbox: BBox
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(slots=True)
class Block:
    bbox: BBox
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(slots=True)
class Step:
    """One processing step and the parameters it ran with, kept on the OCR run."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(slots=True)
class Page:
    width: int
    height: int
    blocks: list[Block] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Lines kept, blocks separated by an empty line."""
        return "\n\n".join(b.text for b in self.blocks if b.lines)

    def lines(self) -> Iterator[Line]:
        for block in self.blocks:
            yield from block.lines

    def words(self) -> Iterator[Word]:
        for line in self.lines():
            yield from line.words

    @property
    def mean_confidence(self) -> float | None:
        """Mean word confidence, weighted by word length; None for a page without words."""
        total = weight = 0.0
        for word in self.words():
            n = max(len(word.text), 1)
            total += word.confidence * n
            weight += n
        return total / weight if weight else None
