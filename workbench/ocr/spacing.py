"""Letter-spaced words: typists stressed a heading or a name by spacing its letters (М А Н Д А Т, разрядка),
and Tesseract reads the letters as one word. Such a word is split back into its letters.

A word may be letter-spaced when its width per letter is above that of the page's ordinary words (about
twice, in a typewriter's fixed cells; a third more, in a print font's capitals, measured 1.3 to 1.6), and is
taken for one when the image confirms it: between its letters, gaps of paper about as wide as the page's
spaces between words (one pair may touch, kerned or run together by blur). Capitals set close have gaps of a
fraction of a space, and a word whose box a stamp or a pencil stroke widened has the width but not the gaps.
"""

from __future__ import annotations

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


def _pitch(word: Word) -> float:
    return word.bbox.width / max(1, len(word.text))


def _cell(word: Word) -> float:
    """The width of one letter's cell if the word is letter-spaced: its letters and the gaps between them."""
    return word.bbox.width / (2 * len(word.text) - 1)


def _gaps(image: np.ndarray, box: BBox, min_width: float) -> int:
    """Runs of paper columns at least ``min_width`` wide between the first and last ink in the box."""
    crop = image[max(0, box.y0):box.y1, max(0, box.x0):box.x1]
    if crop.size == 0:
        return 0
    if crop.ndim == 3:
        crop = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    columns = ink.sum(axis=0) > 0
    inked = np.flatnonzero(columns)
    if len(inked) < 2:
        return 0
    paper = ~columns[inked[0]:inked[-1] + 1]
    edges = np.diff(np.concatenate(([0], paper.astype(np.int8), [0])))
    widths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    return int(np.count_nonzero(widths >= min_width))


def _letters_apart(word: Word) -> list[Word]:
    """The word's letters as words of their own, in equal cells across its box with a cell between each."""
    cell = _cell(word)
    return [Word(ch, BBox(int(round(word.bbox.x0 + 2 * i * cell)), word.bbox.y0,
                          int(round(word.bbox.x0 + (2 * i + 1) * cell)), word.bbox.y1), word.confidence)
            for i, ch in enumerate(word.text)]


def space_letters(page: Page, image: np.ndarray) -> Page:
    """The page with its letter-spaced words split into letters; those words go to a ``letter-spacing`` step."""
    ordinary = sorted(_pitch(w) for w in page.words() if len(w.text) >= 4 and w.text.isalpha())
    if len(ordinary) < MIN_WORDS:
        return page
    median = ordinary[len(ordinary) // 2]
    # the space between words, over gaps of a few letters at most: a table's columns, a tab or a signature's
    # blank would widen it past the gaps of a letter-spaced word
    spaces = sorted(gap for line in page.lines() for a, b in zip(line.words, line.words[1:], strict=False)
                    if (gap := b.bbox.x0 - a.bbox.x1) <= MAX_SPACE * median)
    space = spaces[len(spaces) // 2] if spaces else 0
    spaced: list[str] = []
    for line in page.lines():
        words: list[Word] = []
        for word in line.words:
            n = len(word.text)
            if (n >= MIN_LETTERS and word.text.isalpha() and _pitch(word) >= SPACED_PITCH * median
                    and _gaps(image, word.bbox, max(GAP_SHARE * _cell(word), SPACE_SHARE * space))
                    >= n - (2 if n >= TOUCHING else 1)):
                spaced.append(word.text)
                words.extend(_letters_apart(word))
            else:
                words.append(word)
        line.words = words
    if spaced:
        page.steps = [*page.steps, Step("letter-spacing", {"words": spaced}, 0.0)]
    return page
