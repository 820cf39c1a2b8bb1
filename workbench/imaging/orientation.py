"""Upright or upside down: read one small crop both ways up in a single OCR call and compare.

Line direction settles 0/90 cheaply (see ``skew``); telling 0 from 180 needs the script itself,
and for Cyrillic neither ascender statistics nor margins are reliable, so the OCR engine decides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

log = logging.getLogger(__name__)

# A reader takes a grey image and returns (word centre y, confidence 0..100, characters) per word.
Reader = Callable[[np.ndarray], list[tuple[float, float, int]]]


@dataclass(slots=True)
class UpsideDown:
    flipped: bool
    upright_confidence: float
    flipped_confidence: float


def densest_window(grey: np.ndarray, width: int, height: int) -> tuple[int, int]:
    """Top-left corner of the ``width`` x ``height`` window with the most ink."""
    factor = 4
    small = cv2.resize(grey, (max(1, grey.shape[1] // factor), max(1, grey.shape[0] // factor)),
                       interpolation=cv2.INTER_AREA)
    ink = (small < 128).astype(np.float32)
    kw, kh = max(1, width // factor), max(1, height // factor)
    density = cv2.boxFilter(ink, -1, (kw, kh), normalize=False, anchor=(0, 0),
                            borderType=cv2.BORDER_CONSTANT)
    valid = density[: max(1, ink.shape[0] - kh + 1), : max(1, ink.shape[1] - kw + 1)]
    y, x = np.unravel_index(int(np.argmax(valid)), valid.shape)
    return int(x) * factor, int(y) * factor


def _mean_confidence(words: list[tuple[float, float, int]]) -> float:
    weight = sum(n for _, _, n in words)
    return sum(c * n for _, c, n in words) / weight if weight else 0.0


def check_upside_down(grey: np.ndarray, letter: float, read: Reader, *, margin: float = 8.0) -> UpsideDown:
    """Stack a dense crop above its own 180-degree turn, read both at once, keep the likelier way up."""
    height, width = grey.shape[:2]
    crop_w = int(min(width, letter * 24))
    crop_h = int(min(height, letter * 4.5))
    x, y = densest_window(grey, crop_w, crop_h)
    crop = grey[y:y + crop_h, x:x + crop_w]
    gap = np.full((max(8, int(letter * 3)), crop.shape[1]), 255, dtype=np.uint8)
    stacked = np.vstack([crop, gap, cv2.rotate(crop, cv2.ROTATE_180)])
    words = read(stacked)
    middle = crop.shape[0] + gap.shape[0] / 2
    top = _mean_confidence([w for w in words if w[0] < middle])
    bottom = _mean_confidence([w for w in words if w[0] >= middle])
    return UpsideDown(flipped=bottom > top + margin, upright_confidence=top, flipped_confidence=bottom)


def tesseract_reader(languages: str, *, timeout: float = 10.0) -> Reader:
    """The default reader: Tesseract on one uniform block of text."""

    def read(image: np.ndarray) -> list[tuple[float, float, int]]:
        from workbench.ocr.tesseract import TesseractEngine  # the engine is only needed when this runs

        page = TesseractEngine(psm=6).recognize(image, languages=languages, timeout=timeout)
        return [((w.bbox.y0 + w.bbox.y1) / 2, w.confidence, len(w.text)) for w in page.words()
                if any(ch.isalpha() for ch in w.text)]

    return read
