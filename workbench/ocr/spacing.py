"""Letter-spaced words: typists stressed a heading or a name by spacing its letters (М А Н Д А Т, разрядка),
and Tesseract reads the letters as one word. Such a word is split back into its letters.

A word may be letter-spaced when its width per letter is above that of the page's ordinary words (about
twice, in a typewriter's fixed cells; a third more, in a print font's capitals, measured 1.3 to 1.6), and is
taken for one when the image confirms it: between its letters, gaps of paper about as wide as the page's
spaces between words (one pair may touch, kerned or run together by blur). Capitals set close have gaps of a
fraction of a space, and a word whose box a stamp or a pencil stroke widened has the width but not the gaps.

A sign before a number is typed a space apart from it (№ 37, § 2.), and Tesseract often reads the two as
one word (№37, §1.): where the image shows a gap after the sign as wide as those between words, the word
is split there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cv2
import numpy as np

from workbench.page import BBox, Page, Step, Word

SPACED_PITCH = 1.3  # width per letter, over the page's median, from which a word may be letter-spaced
MIN_LETTERS = 3
MIN_WORDS = 10  # ordinary words the page's median width per letter is taken over
GAP_SHARE = 0.5  # of a letter cell: a column run of paper at least this wide is a gap between letters
SPACE_SHARE = 0.6  # of the page's median space between words: a gap between letters is at least this wide
TOUCHING = 5  # a word of this many letters or more may have one pair without a gap
MAX_SPACE = 3.0  # of the page's median width per letter: a wider gap between words is a column or a tab
_SIGN_NUMBER = re.compile(r"([№§])(\d\S*)")  # a sign run into the number after it: №37, §1.
# The gap after the sign opens this many of the word's letter widths (its box over its letters) after its first
# ink: № is about one and a third of them in a print font, one in a typewriter's cells, a speck or a stamp's
# mark beside the word far less; and the number after the gap has ink over at least half a width a digit.
SIGN_INK = (0.5, 1.5)
NUMBER_INK = 0.5


def _pitch(word: Word) -> float:
    return word.bbox.width / max(1, len(word.text))


def _cell(word: Word) -> float:
    """The width of one letter's cell if the word is letter-spaced: its letters and the gaps between them."""
    return word.bbox.width / (2 * len(word.text) - 1)


def _paper_runs(image: np.ndarray, box: BBox, min_width: float) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """The page columns of the first and after the last ink in the box, and the runs of paper columns at least
    ``min_width`` wide between them, left to right (first, after last); no runs where there is no ink."""
    x0 = max(0, box.x0)
    crop = image[max(0, box.y0):box.y1, x0:box.x1]
    if crop.size == 0:
        return (x0, x0), []
    if crop.ndim == 3:
        crop = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    columns = ink.sum(axis=0) > 0
    inked = np.flatnonzero(columns)
    if len(inked) < 2:
        return (x0, x0), []
    paper = ~columns[inked[0]:inked[-1] + 1]
    edges = np.diff(np.concatenate(([0], paper.astype(np.int8), [0])))
    offset = x0 + int(inked[0])
    runs = [(offset + int(a), offset + int(b)) for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1),
                                                               strict=True) if b - a >= min_width]
    return (offset, x0 + int(inked[-1]) + 1), runs


def _gaps(image: np.ndarray, box: BBox, min_width: float) -> int:
    """How many runs of paper columns at least ``min_width`` wide lie between the first and last ink in the box."""
    return len(_paper_runs(image, box, min_width)[1])


def _spacing(page: Page) -> tuple[float, float] | None:
    """The page's median width per letter of its ordinary words and its median space between words; None
    with too few words to tell."""
    ordinary = sorted(_pitch(w) for w in page.words() if len(w.text) >= 4 and w.text.isalpha())
    if len(ordinary) < MIN_WORDS:
        return None
    median = ordinary[len(ordinary) // 2]
    # the space between words, over gaps of a few letters at most: a table's columns, a tab or a signature's
    # blank would widen it past the gaps of a letter-spaced word
    spaces = sorted(gap for line in page.lines() for a, b in zip(line.words, line.words[1:], strict=False)
                    if (gap := b.bbox.x0 - a.bbox.x1) <= MAX_SPACE * median)
    return median, (spaces[len(spaces) // 2] if spaces else 0)


def _letters_apart(word: Word) -> list[Word]:
    """The word's letters as words of their own, in equal cells across its box with a cell between each."""
    cell = _cell(word)
    return [Word(ch, BBox(int(round(word.bbox.x0 + 2 * i * cell)), word.bbox.y0,
                          int(round(word.bbox.x0 + (2 * i + 1) * cell)), word.bbox.y1), word.confidence)
            for i, ch in enumerate(word.text)]


def space_letters(page: Page, image: np.ndarray) -> Page:
    """The page with its letter-spaced words split into letters; those words go to a ``letter-spacing`` step."""
    if (spacing := _spacing(page)) is None:
        return page
    median, space = spacing

    def letters(word: Word) -> list[Word] | None:
        n = len(word.text)
        if (n >= MIN_LETTERS and word.text.isalpha() and _pitch(word) >= SPACED_PITCH * median
                and _gaps(image, word.bbox, max(GAP_SHARE * _cell(word), SPACE_SHARE * space))
                >= n - (2 if n >= TOUCHING else 1)):
            return _letters_apart(word)
        return None

    return _split_words(page, letters, "letter-spacing")


def space_signs(page: Page, image: np.ndarray) -> Page:
    """The page with a sign read run into the number after it (``№37``) split in two where the image shows a
    space between them; the words split go to a ``sign-spacing`` step."""
    if (spacing := _spacing(page)) is None or not (space := spacing[1]):
        return page

    def apart(word: Word) -> list[Word] | None:
        run_in = _SIGN_NUMBER.fullmatch(word.text)
        if not run_in:
            return None
        (first, last), runs = _paper_runs(image, word.bbox, SPACE_SHARE * space)
        if not runs:
            return None
        sign, number = run_in.groups()
        start, end = runs[0]
        box = word.bbox
        cell = box.width / len(word.text)
        # the sign's ink, then the gap, then the number's: not a speck or a mark beside the word
        if not (SIGN_INK[0] * cell <= start - first <= SIGN_INK[1] * cell
                and last - end >= NUMBER_INK * cell * len(number)):
            return None
        return [Word(sign, BBox(box.x0, box.y0, start, box.y1), word.confidence),
                Word(number, BBox(end, box.y0, box.x1, box.y1), word.confidence)]

    return _split_words(page, apart, "sign-spacing")


def _split_words(page: Page, split: Callable[[Word], list[Word] | None], step: str) -> Page:
    """Every word through ``split``: the words it is to become, or None to stay as read; the words split
    go to a step."""
    changed: list[str] = []
    for line in page.lines():
        words: list[Word] = []
        for word in line.words:
            parts = split(word)
            if parts is None:
                words.append(word)
            else:
                changed.append(word.text)
                words.extend(parts)
        line.words = words
    if changed:
        page.steps = [*page.steps, Step(step, {"words": changed}, 0.0)]
    return page
