"""Straighten curled pages by fitting a curve to each text line and moving the rows between them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import pairwise

import cv2
import numpy as np

from workbench.imaging.components import components

log = logging.getLogger(__name__)


@dataclass(slots=True)
class LineFit:
    x0: float
    x1: float
    target: float  # the row the line is moved to: its height at the middle of its span
    coeffs: np.ndarray  # polynomial y(x), highest power first

    def offset(self, x: np.ndarray) -> np.ndarray:
        return np.polyval(self.coeffs, np.clip(x, self.x0, self.x1)) - self.target


@dataclass(slots=True)
class Dewarp:
    """Vertical displacement on a coarse grid: page pixel (x, y) comes from (x, y + dy)."""

    xs: np.ndarray
    ys: np.ndarray
    dy: np.ndarray  # (len(ys), len(xs))
    lines: list[LineFit]

    @property
    def max_shift(self) -> float:
        return float(np.abs(self.dy).max()) if self.dy.size else 0.0

    def scaled(self, factor: float) -> Dewarp:
        """The same field for the page drawn ``factor`` times larger."""
        return Dewarp(xs=self.xs * factor, ys=self.ys * factor, dy=self.dy * factor, lines=self.lines)


MAX_LINE_THICKNESS = 2.0  # letters: a text line's smear, measured up a column (merged pairs measure 2.5 and more)
MIN_LINE_THICKNESS = 0.5  # thinner is a stroke (a pencil cross-out, a signature's sweep), not letters
# Along a line, sampled a letter apart, a curl turns the line's middle gradually; where the smear runs into a
# blot or a piece of the line below, the middle steps aside: a turn of more than MAX_TURN letters from one
# step to the next ends the run of points the line is fitted to (40000/mixed-053: a line piece of a faded,
# dark spread that ran into a spot of foxing bent the field by 47 px on a flat page, 16.6% CER; 4.9% so).
MAX_TURN = 0.5
MAX_LINE_RISE = 12.0  # letters from a line's lowest to its highest point; the deepest curl seen rose 6
# On a dark or faded page the grain left in the ink mask runs together into rows as long as lines; its marks
# measure a third to a half of a letter, the letters of a line two thirds and more.
MIN_MARK_HEIGHT = 0.6


# A curl bends neighbouring lines alike; one or two lines off straight on a flat page are mis-fits (a row
# of a signature with wide gaps, a heading). Flat scans had 1 or 2 of 11 lines bent by 0.3 letters or
# more, the mildest curl 4 of 8.
MIN_BENT_SHARE = 1 / 3


# A cubic leaving more than this root-mean-square residual (letters) over a line of at least so many points has
# missed a wave in it (a page curled one way, then the other) if a fifth-degree curve cuts the residual to
# less than WAVE_GAIN of it.
WAVE_RESIDUAL = 0.15
WAVE_POINTS = 40
WAVE_GAIN = 0.6


def _fit_curve(px: np.ndarray, py: np.ndarray, degree: int, letter: float) -> tuple[np.ndarray, float]:
    """A polynomial y(x) through the points, fitted again without those far off it, and its residual."""
    coeffs = np.polyfit(px, py, degree)
    resid = py - np.polyval(coeffs, px)
    good = np.abs(resid) < max(letter * 0.5, 2.5 * float(np.std(resid)))
    if good.sum() >= 6:
        coeffs = np.polyfit(px[good], py[good], degree)
        resid = py[good] - np.polyval(coeffs, px[good])
    return coeffs, float(np.sqrt(np.mean(resid * resid)))


def _letters(mask: np.ndarray, line: np.ndarray, letter: float) -> bool:
    """The ink under a smeared line is letters, not the grain of a dark or faded page run together: its marks
    are, in the median, at least ``MIN_MARK_HEIGHT`` letters high."""
    _, _, stats, _ = components(np.where(line, mask, 0).astype(np.uint8))
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    return len(heights) > 0 and float(np.median(heights)) >= MIN_MARK_HEIGHT * letter


def _smooth_run(xs: list[int], ys: list[float], thickness: list[int],
                letter: float) -> tuple[list[int], list[float], list[int]]:
    """The longest run of a line's points (a letter apart) along which its middle bends smoothly: where the
    smear runs into a blot or the line below, the middle steps aside, turning by more than ``MAX_TURN`` letters
    from one step to the next; a curl, however steep, turns gradually. The run ends before the point where
    the middle turns and starts after the point beyond it (a step aside over two points turns twice, and the
    points between belong to neither side), so a clean jump costs the point before it."""
    steps = np.diff(np.asarray(ys, dtype=float))
    if len(steps) < 2:
        return xs, ys, thickness
    turns = np.abs(np.diff(steps))  # turns[i]: between step i and step i + 1, at point i + 1
    cuts = sorted({j for i in np.flatnonzero(turns > MAX_TURN * letter).tolist() for j in (i + 1, i + 2)})
    breaks: list[int] = [0, *cuts, len(ys)]
    start, end = max(pairwise(breaks), key=lambda run: run[1] - run[0])
    return xs[start:end], ys[start:end], thickness[start:end]


def find_lines(mask: np.ndarray, letter: float) -> list[LineFit]:
    """Text lines of a deskewed binary mask as fitted curves; short and stray blobs are left out."""
    height, width = mask.shape
    run = max(3, int(letter * 2.5))
    smear = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    smear = cv2.morphologyEx(smear, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(letter * 1.5)), 1)))
    count, labels, stats, _ = components(smear)
    points: list[tuple[np.ndarray, np.ndarray]] = []
    min_width = max(width * 0.3, letter * 12)
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if w < min_width or h < letter * 0.5:
            continue
        sub = labels[y:y + h, x:x + w] == label
        if not _letters(mask[y:y + h, x:x + w], sub, letter):
            continue
        # a letter apart, the line's top and bottom row in each column it covers
        cols = np.arange(0, w, max(1, int(letter)))
        sampled = sub[:, cols]
        inked = sampled.any(axis=0)
        top = np.argmax(sampled, axis=0)[inked]
        bottom = h - 1 - np.argmax(sampled[::-1], axis=0)[inked]
        xs_, ys_, thickness = _smooth_run((x + cols[inked]).tolist(), (y + (top + bottom) / 2).tolist(),
                                          (bottom - top + 1).tolist(), letter)
        # A line bent or tilted across the page is tall overall but one line thick at every column; two
        # lines run together by their ascenders and descenders are twice as thick.
        if (len(xs_) < 6 or np.percentile(thickness, 90) > letter * MAX_LINE_THICKNESS
                or np.median(thickness) < letter * MIN_LINE_THICKNESS or h > letter * MAX_LINE_RISE):
            continue
        points.append((np.array(xs_, dtype=float), np.array(ys_, dtype=float)))
    fits = [_fit_curve(px, py, 3 if len(px) >= 15 else 2, letter) for px, py in points]
    # Neighbouring lines must be fitted alike, or the rows between them are pulled apart: the fifth degree is
    # taken for all long lines or for none, when a wave the cubic cannot follow runs through many of them.
    long = [i for i, (px, _) in enumerate(points) if len(px) >= WAVE_POINTS]
    wavy = {i: _fit_curve(*points[i], 5, letter) for i in long if fits[i][1] > WAVE_RESIDUAL * letter}
    waves = sum(1 for i, fit in wavy.items() if fit[1] < WAVE_GAIN * fits[i][1])
    if waves >= max(2, MIN_BENT_SHARE * len(points)):
        quintic = {i: wavy[i] if i in wavy else _fit_curve(*points[i], 5, letter) for i in long}
        fits = [quintic.get(i, fit) for i, fit in enumerate(fits)]
    lines = [LineFit(x0=float(px[0]), x1=float(px[-1]), target=float(np.polyval(coeffs, (px[0] + px[-1]) / 2)),
                     coeffs=coeffs) for (px, _), (coeffs, _) in zip(points, fits, strict=True)]
    lines.sort(key=lambda line: line.target)
    return lines


def fit_dewarp(mask: np.ndarray, letter: float, *, min_lines: int = 4, min_shift: float = 0.3,
               step: int = 16) -> Dewarp | None:
    """A displacement field that makes the text lines straight, or None if they already are: fewer than
    a third of them bent by ``min_shift`` letters."""
    height, width = mask.shape
    lines = find_lines(mask, letter)
    if len(lines) < min_lines:
        return None
    xs = np.arange(0, width + step, step, dtype=float)
    xs[-1] = min(xs[-1], width - 1) if xs[-1] > width - 1 else xs[-1]
    ys = np.arange(0, height + step, step, dtype=float)
    offsets = np.array([line.offset(xs) for line in lines])  # (lines, xs)
    covered = np.array([(xs >= line.x0 - 2 * letter) & (xs <= line.x1 + 2 * letter) for line in lines])
    bent = int(np.count_nonzero(np.abs(offsets).max(axis=1) >= min_shift * letter))
    if bent < max(2, MIN_BENT_SHARE * len(lines)):
        return None
    targets = np.array([line.target for line in lines])
    dy = np.zeros((len(ys), len(xs)))
    for i in range(len(xs)):
        use = covered[:, i]
        if use.sum() == 0:
            use = np.ones(len(lines), dtype=bool)
        dy[:, i] = np.interp(ys, targets[use], offsets[use, i])
    dy = cv2.GaussianBlur(dy.astype(np.float32), (0, 0), 0.8).astype(float)
    return Dewarp(xs=xs, ys=ys, dy=dy, lines=lines)


def draw_lines(grey: np.ndarray, dewarp: Dewarp | None, lines: list[LineFit]) -> np.ndarray:
    """A debug view: the fitted lines over the page."""
    view = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR) if grey.ndim == 2 else grey.copy()
    for line in lines:
        x = np.arange(line.x0, line.x1, 2.0)
        y = np.polyval(line.coeffs, x)
        pts = np.stack([x, y], axis=1).astype(np.int32)
        cv2.polylines(view, [pts], False, (0, 0, 255) if dewarp else (0, 160, 0), 1)
    return view
