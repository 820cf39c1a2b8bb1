"""Two facing pages in one photo: find the gutter between two text columns and split there."""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

import cv2
import numpy as np

from workbench.imaging.components import components
from workbench.imaging.textsize import letter_height

log = logging.getLogger(__name__)


# A column of text crosses its lines; a gutter is crossed at most by a spot of foxing or dust, or runs down
# a fold's shadow: columns crossed by no more marks than this (top to bottom, averaged over a hundredth of the
# width) are gutter however much ink the marks hold. On 40000/mixed-053 (a dark, faded spread) spots of
# foxing in the gutter hid it and both pages were read as one, line by line across (83% CER; 17% split, 4.9%
# with the dewarp mended too).
GUTTER_MARKS = 1.5
# A column whose ink is one mark this long a crossing, as a share of the height, is crossed by a fold's shadow
# or a page's edge, not by letters: clear, when bands are weighed by their clear columns.
LONG_MARK = 0.25
# Each side's text spans at least this share of the width: less is a note in the margin, not a page. A left
# page seen at a slant spans less than a fifth (34000/spread-040, 36000/spread-039: 18% and 19%), and was
# found only while a mark in its gutter stretched it.
MIN_SIDE = 0.15
# Letter heights across which the words of a line are joined when the gutter is narrowed to clear the lines
# that reach into it: wider than the gap between words.
WORD_GAP = 3.0
# What is left of the gutter once it is cleared of the lines reaching into it, at least: the band the lines
# first left empty was measured on a profile smoothed over a hundredth of the width, and is that much wider.
MIN_CLEAR = 0.01
SAME_GUTTER = 0.5  # of the text's level of ink, per column: see find_gutter


@dataclass(slots=True)
class Gutter:
    x: int  # split column
    gap: int  # width of the empty band around it
    left_share: float  # share of the ink left of the gutter

    @property
    def start(self) -> int:
        """The first column of the empty band: where the left page's text ends."""
        return self.x - self.gap // 2

    @property
    def end(self) -> int:
        """The column after the empty band: where the right page's text begins."""
        return self.start + self.gap


def find_gutter(mask: np.ndarray, *, min_aspect: float = 1.0) -> Gutter | None:
    """The gutter of a spread in a deskewed binary mask, or None for a single page.

    A spread is wider than tall, has an empty band near the middle at least as wide as a few letters,
    and carries a comparable amount of text on both sides of it.
    """
    height, width = mask.shape
    if width < min_aspect * height:
        return None
    profile = (mask > 0).sum(axis=0).astype(np.float32)
    total = float(profile.sum())
    if total <= 0:
        return None
    window = (max(3, width // 100), 1)
    smooth = cv2.blur(profile.reshape(1, -1), window).ravel()
    lo, hi = int(width * 0.3), int(width * 0.7)
    text_level = float(np.percentile(smooth[smooth > 0], 60)) if (smooth > 0).any() else 0.0
    marks = _crossings(mask, window)
    # no ink at all, or a fold's shadow: one mark down a good part of the page, no letter
    clear = (smooth <= max(0.04 * text_level, 0.5)) | (smooth >= LONG_MARK * height * np.maximum(marks, 1.0))
    empty = clear | (marks <= GUTTER_MARKS)
    bands: list[tuple[tuple[int, int], int, int]] = []  # each band's clear columns, width, and the band
    x = lo
    while x < hi:
        if empty[x]:
            start = x
            while x < width and empty[x]:
                x += 1
            end = x
            while start > 0 and empty[start - 1]:
                start -= 1
            bands.append(((int(clear[start:end].sum()), end - start), start, end))
        x += 1
    # Of the bands, the one with most columns clear (of ink, or but for a fold's shadow), then the widest: on a
    # spread of a few faded lines a page (76000/mixed-051: six, pale mid-line) the text's columns cross one or
    # two marks, and a band of them wider than the fold's passed; foxing in the true gutter takes a few of its
    # columns, the text had ink in most of its own. When that band fails the checks below, the next of the same
    # gutter is tried: pencil marks in a gutter cut it into bands (115000/mixed-049, an X and a stroke: 23, 11
    # and 32 columns), and the one with most clear columns may hold a mark a line of text reaches (narrowed to 4
    # columns there). Bands are of one gutter when the columns between them hold under SAME_GUTTER of the text's
    # level of ink (that page: 0.4 of it); a band beyond a column of text is another gap (a table's), never tried.
    if not bands:
        return None
    group = [0]  # the bands lie left to right, each apart from the last by a column that is not empty at least
    for (_, _, last_end), (_, start, _) in itertools.pairwise(bands):
        group.append(group[-1] + int(float(smooth[last_end:start].mean()) >= SAME_GUTTER * text_level))
    best = max(range(len(bands)), key=lambda i: bands[i][0])
    letter = letter_height(mask)
    reach = max(window[0], int(WORD_GAP * letter) if letter else 0)
    same = [band for band, g in zip(bands, group, strict=True) if g == group[best]]
    for _, start, end in sorted(same, key=lambda band: band[0], reverse=True):
        if (gutter := _gutter_in(mask, profile, total, start, end, reach)) is not None:
            return gutter
    return None


def _gutter_in(mask: np.ndarray, profile: np.ndarray, total: float, start: int, end: int,
               reach: int) -> Gutter | None:
    """The gutter in the empty band ``start:end`` of a spread's mask (``profile``: its ink per column, ``total``
    all of it), if the band is wide enough and clear of lines, and both sides of it hold comparable text."""
    width = mask.shape[1]
    if end - start < width * 0.02:
        return None
    start, end = _clear_of_lines(mask, start, end, reach=reach)
    gap = end - start
    if gap < width * MIN_CLEAR:
        return None
    split = (start + end) // 2
    left = float(profile[:split].sum()) / total
    if not 0.2 <= left <= 0.8:
        return None
    # both sides must hold text columns, not a margin note: their ink spans a good part of the width
    for side in (profile[:start], profile[end:]):
        cols = np.nonzero(side > 0)[0]
        if len(cols) == 0 or cols[-1] - cols[0] < width * MIN_SIDE:
            return None
    return Gutter(x=int(split), gap=int(gap), left_share=left)


def _clear_of_lines(mask: np.ndarray, start: int, end: int, *, reach: int) -> tuple[int, int]:
    """The band ``start:end`` narrowed until no line of text reaches into it from either side.

    A column crossed by one line counts as gutter as one crossed by a spot does: a line longer than the
    others, running into the inner margin, would have the page split through it. Its words, joined across
    ``reach`` pixels, make one mark that lies partly outside the band; a spot or a fold lies wholly inside,
    and a speck narrower than ``reach`` is no word.
    """
    _, _, stats, _ = components(cv2.dilate((mask > 0).astype(np.uint8), np.ones((1, reach), np.uint8)))
    half = reach // 2  # the joining widened each mark by about this much on either side
    marks = [(x + half, x + w - half) for x, _, w, _, _ in stats[1:] if w - 2 * half >= reach]  # words, not specks
    moved = True
    while moved and start < end:
        moved = False
        for x0, x1 in marks:
            if x0 < start < x1:  # reaches in from the left page
                start, moved = x1, True
            if x0 < end < x1:  # from the right page
                end, moved = x0, True
    return start, max(start, end)


def _crossings(mask: np.ndarray, window: tuple[int, int]) -> np.ndarray:
    """Per column, how many separate marks it crosses top to bottom, averaged over ``window``."""
    ink = (mask > 0).astype(np.uint8)
    tops = ink.copy()
    tops[1:] &= 1 - ink[:-1]
    return cv2.blur(tops.sum(axis=0, dtype=np.float32).reshape(1, -1), window).ravel()
