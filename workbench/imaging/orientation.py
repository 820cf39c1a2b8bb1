"""Upright or upside down: a cheap margin cue first, else read one small crop both ways up and compare.

Line direction settles 0/90 cheaply (see ``skew``). Telling 0 from 180 needs more: for Cyrillic
ascender statistics are unreliable, but typescript lines start at one left margin and end ragged, so
a page whose line starts line up and whose line ends do not is taken as upright without any OCR. Only a
page that shows no such margin (justified, centred, too few lines, or turned) is read both ways up; when
neither way reads well, Tesseract's orientation detection over the whole page decides if it is sure, and the
margins if it is not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from workbench.errors import OcrError
from workbench.imaging.components import components

log = logging.getLogger(__name__)

# A reader takes a grey image and returns (word centre y, confidence 0..100, characters) per word.
Reader = Callable[[np.ndarray], list[tuple[float, float, int]]]
# An orientation guess takes a grey page and returns the degrees to turn it upright (clockwise) and how sure
# it is, or None when it cannot tell.
Guess = Callable[[np.ndarray], tuple[int, float] | None]


@dataclass(slots=True)
class UpsideDown:
    flipped: bool
    upright_confidence: float
    flipped_confidence: float
    x_height: float = 0.0
    upright_letters: int = 0  # letters read in the crop the right way up, and turned
    flipped_letters: int = 0
    by: str = "read"  # what decided: the read both ways up, or (when neither read well) "osd" or the margins


READ_X_HEIGHT = 12.0  # x-height of the crop as read
MIN_CONFIDENCE = 50.0  # a turn is only taken when the turned crop reads at least this well
# When neither way of the crop reads that well, Tesseract's orientation detection over the whole page decides
# if it is this sure (its confidence), before the margins: on a faded, grainy page the smeared lines break into
# pieces, and the margins show nothing (64000/mixed-049, an upside-down faded page read at 26 and 40 both ways
# up, was left upside down: 100% CER, 17.0% turned; the detection: turned, at 15). On the prepared pages of
# the 252 faded, carbon, smeared, dark, glare and mixed photos of twelve plans it never took an upright page
# for one upside down (the right way up at 0.2 to 40, once on its side at 0.2). An unsure guess is no guess.
MIN_GUESS_CONFIDENCE = 2.0
# Letters (the characters of words with a letter) the crop must read, one way up or the other, for the read to
# tell anything, and turned, for the page to turn by it: a crop meant to hold four lines of 22 letters read 25
# to 43 a side on the 171 photos of plans 81000-83000. Where the grain of a faint page passed for the letters,
# the x-height measured 8 px for 20, and the crop held one word: read at 24 upright and 75 turned, five letters
# each, the upright page was turned over (79000/mixed-049, 100% CER).
MIN_READ_LETTERS = 15


def text_mask(grey: np.ndarray, letter: float) -> np.ndarray:
    """Letter-sized dark components only: a page's shadowed edge or a noisy margin is no text."""
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, labels, stats, _ = components(mask)
    if count <= 1:
        return mask
    w, h, area = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    keep = (h >= 0.5 * letter) & (h <= 2.0 * letter) & (w <= 3.0 * letter) & (area >= 0.1 * w * h)
    keep &= area <= 0.8 * w * h  # a solid blob is a spot or a speck cluster, not a letter
    keep[0] = False
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def densest_window(mask: np.ndarray, width: int, height: int) -> tuple[int, int]:
    """Top-left corner of the ``width`` x ``height`` window with the most ink of a binary mask."""
    factor = 2
    small = cv2.resize(mask, (max(1, mask.shape[1] // factor), max(1, mask.shape[0] // factor)),
                       interpolation=cv2.INTER_AREA)
    ink = small.astype(np.float32)
    kw, kh = max(1, width // factor), max(1, height // factor)
    density = cv2.boxFilter(ink, -1, (kw, kh), normalize=False, anchor=(0, 0),
                            borderType=cv2.BORDER_CONSTANT)
    valid = density[: max(1, ink.shape[0] - kh + 1), : max(1, ink.shape[1] - kw + 1)]
    y, x = np.unravel_index(int(np.argmax(valid)), valid.shape)
    return int(x) * factor, int(y) * factor


def _mean_confidence(words: list[tuple[float, float, int]]) -> float:
    weight = sum(n for _, _, n in words)
    return sum(c * n for _, c, n in words) / weight if weight else 0.0


def x_height(grey: np.ndarray) -> float | None:
    """The body x-height of a page in pixels, from its letter-like components."""
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = components(mask)
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    h = h[(h >= 3) & (w <= 3 * h) & (h <= grey.shape[0] * 0.05) & (w <= grey.shape[1] * 0.1)]
    if len(h) < 15:
        return None
    body = h[h >= 0.6 * np.median(h)]
    # lower-case bodies are the most common height; capitals and ascenders sit above the median
    return float(np.percentile(body, 35))


@dataclass(slots=True)
class Margins:
    left: float  # share of text lines starting within a letter of the commonest start
    right: float  # the same for line ends
    lines: int


MIN_MARGIN_LINES = 8
MARGIN_LEAD = 0.25  # left alignment must beat right alignment by this share to skip the OCR read


def line_margins(grey: np.ndarray) -> Margins | None:
    """How well the text lines' starts and ends line up, from words smeared into lines (at most 8 px high)."""
    half = grey
    letter = x_height(half) or 7.5
    while letter > 8.0:
        half, letter = cv2.pyrDown(half), letter / 2
    _, mask = cv2.threshold(half, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    smear = cv2.getStructuringElement(cv2.MORPH_RECT, (int(letter * 2.5) | 1, 1))
    lines = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, smear)
    _, _, stats, _ = components(lines)
    x, w, h = stats[1:, cv2.CC_STAT_LEFT], stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    keep = (h >= 0.8 * letter) & (h <= 4 * letter) & (w >= 8 * letter)
    starts, ends = x[keep].astype(float), (x + w)[keep].astype(float)
    if len(starts) < MIN_MARGIN_LINES:
        return None

    def aligned(edges: np.ndarray) -> float:
        near = np.abs(edges[:, None] - edges[None, :]) <= letter
        return float(near.mean(axis=0).max())

    return Margins(left=aligned(starts), right=aligned(ends), lines=len(starts))


def clearly_upright(grey: np.ndarray) -> bool:
    """Lines start at a common left margin and end ragged: left-to-right text the right way up."""
    margins = line_margins(grey)
    return margins is not None and margins.left - margins.right >= MARGIN_LEAD


def check_upside_down(grey: np.ndarray, read: Reader, *, margin: float = 8.0,
                      guess: Guess | None = None) -> UpsideDown:
    """Stack a dense crop above its own 180-degree turn, read both at once, keep the likelier way up.

    The page turns only when the turned crop reads well, and enough of it. When neither way reads well or
    enough (no text in the crop, a blurred page, a crop of one word) ``guess`` (Tesseract's orientation
    detection) decides if it is sure either way up; else the whole page turns only if its lines end at one
    margin and start ragged, as typescript turned upside down does. The page is searched at half size, for
    speed.
    """
    height, width = grey.shape[:2]
    half = cv2.pyrDown(grey)
    letter = 2 * (x_height(half) or 7.5)
    crop_w = int(min(width, letter * 22))
    crop_h = int(min(height, letter * 4.5))
    x, y = densest_window(text_mask(half, letter / 2), crop_w // 2, crop_h // 2)
    x, y = 2 * x, 2 * y
    crop = grey[y:y + crop_h, x:x + crop_w]
    gap = np.full((max(8, int(letter * 3)), crop.shape[1]), 255, dtype=np.uint8)
    stacked = np.vstack([crop, gap, cv2.rotate(crop, cv2.ROTATE_180)])
    shrink = min(1.0, READ_X_HEIGHT / letter)  # the read's cost grows with its pixels, not its certainty
    if shrink < 1.0:
        stacked = cv2.resize(stacked, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    words = read(stacked)
    middle = (crop.shape[0] + gap.shape[0] / 2) * shrink
    above, below = [w for w in words if w[0] < middle], [w for w in words if w[0] >= middle]
    top, bottom = _mean_confidence(above), _mean_confidence(below)
    top_letters, bottom_letters = sum(n for _, _, n in above), sum(n for _, _, n in below)
    told = max(top_letters, bottom_letters) >= MIN_READ_LETTERS
    flipped = bottom_letters >= MIN_READ_LETTERS and bottom > top + margin and bottom >= MIN_CONFIDENCE
    by = "read"
    # too little read to tell, or neither way read well (a blurred page) nor the right way up clearly better:
    # the orientation detection decides if it is sure, else the margins
    if not told or (not flipped and max(top, bottom) < MIN_CONFIDENCE and top <= bottom + margin):
        guessed = guess(grey) if guess is not None else None
        if guessed is not None and guessed[0] in (0, 180) and guessed[1] >= MIN_GUESS_CONFIDENCE:
            flipped, by = guessed[0] == 180, "osd"
        else:
            flipped, by = clearly_upright(cv2.rotate(grey, cv2.ROTATE_180)), "margins"
    return UpsideDown(flipped=flipped, upright_confidence=top, flipped_confidence=bottom, x_height=letter, by=by,
                      upright_letters=top_letters, flipped_letters=bottom_letters)


def tesseract_reader(languages: str, *, timeout: float = 10.0) -> Reader:
    """The default reader: Tesseract on one uniform block of text."""

    def read(image: np.ndarray) -> list[tuple[float, float, int]]:
        from workbench.ocr.tesseract import TesseractEngine  # the engine is only needed when this runs

        page = TesseractEngine(psm=6).recognize(image, languages=languages, timeout=timeout)
        return [((w.bbox.y0 + w.bbox.y1) / 2, w.confidence, len(w.text)) for w in page.words()
                if any(ch.isalpha() for ch in w.text)]

    return read


def tesseract_guess(*, timeout: float = 10.0) -> Guess:
    """The default orientation guess: Tesseract's orientation detection (the osd data) on the page."""

    def guess(image: np.ndarray) -> tuple[int, float] | None:
        from workbench.ocr.tesseract import TesseractEngine

        try:
            return TesseractEngine().orientation(image, timeout=timeout)
        except OcrError as exc:  # no osd data, a crash, a timeout: no guess, and the margins decide as before
            log.warning("orientation detection failed, the margins decide: %s", exc)
            return None

    return guess
