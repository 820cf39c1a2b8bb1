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
# A line's end broken off by a steep bend (see _Pieces): smears at least PIECE_WIDTH letters wide that begin
# within PIECE_GAP letters of the line's end (or overlap it by up to a letter) and within PIECE_REACH letters
# of where its slope over its last PIECE_SLOPE_POINTS points leads.
PIECE_WIDTH = 2.0
PIECE_GAP = 4.0
PIECE_REACH = 0.75
PIECE_SLOPE_POINTS = 4


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


Trace = tuple[list[int], list[float], list[int]]  # a smeared line's middle and thickness, a letter apart


def _trace(sub: np.ndarray, x: int, y: int, letter: float) -> Trace:
    """A letter apart, the middle between a smear's top and bottom row in each column it covers, and its
    thickness there."""
    h, w = sub.shape
    cols = np.arange(0, w, max(1, int(letter)))
    sampled = sub[:, cols]
    inked = sampled.any(axis=0)
    top = np.argmax(sampled, axis=0)[inked]
    bottom = h - 1 - np.argmax(sampled[::-1], axis=0)[inked]
    return (x + cols[inked]).tolist(), (y + (top + bottom) / 2).tolist(), (bottom - top + 1).tolist()


class _Pieces:
    """The smears too short to be lines, which may carry a line on where a steep bend broke it: a curl that
    bends the end of a line steeply sets each word below the one before by more than the horizontal smear
    bridges, and without its pieces the line's field stops where the bend begins (96000/curl-038 of the
    benchmark: the last third of every line left bent down, 17.5% CER; 2.2% with the pieces). Each is traced
    when first looked at, and joins one line at most."""

    def __init__(self, mask: np.ndarray, labels: np.ndarray, stats: np.ndarray, letter: float) -> None:
        self.mask, self.labels, self.stats, self.letter = mask, labels, stats, letter
        self.free = np.zeros(len(stats), bool)  # by label: a piece no line has taken yet
        self.left = stats[:, cv2.CC_STAT_LEFT]
        self.right = self.left + stats[:, cv2.CC_STAT_WIDTH] - 1
        self.top = stats[:, cv2.CC_STAT_TOP]
        self.bottom = self.top + stats[:, cv2.CC_STAT_HEIGHT] - 1
        self._traced: dict[int, Trace | None] = {}

    def _traced_piece(self, label: int) -> Trace | None:
        """The piece's smooth run, or None if its marks are no letters."""
        if label not in self._traced:
            x, y, w, h, _ = self.stats[label]
            sub = self.labels[y:y + h, x:x + w] == label
            letters = _letters(self.mask[y:y + h, x:x + w], sub, self.letter)
            self._traced[label] = _smooth_run(*_trace(sub, x, y, self.letter), self.letter) if letters else None
        return self._traced[label]

    def _next(self, xs: list[int], ys: list[float], outwards: int) -> Trace | None:
        """The nearest free piece carrying the line on beyond its right (``outwards`` 1) or left (-1) end, less
        its points short of that end (a steep line's words overlap), taken from the free ones."""
        letter = self.letter
        end = -1 if outwards == 1 else 0
        k = min(len(xs), PIECE_SLOPE_POINTS)
        run = xs[-k:] if end == -1 else xs[:k]
        rise = ys[-k:] if end == -1 else ys[:k]
        slope = (rise[-1] - rise[0]) / (run[-1] - run[0]) if run[-1] != run[0] else 0.0
        best: tuple[float, int, Trace] | None = None
        # by their boxes, the pieces that can lie within reach: beginning no more than a letter short of the end
        # and PIECE_GAP letters beyond it, and high or low enough for the slope to lead to them
        facing, far = (self.left, self.right) if outwards == 1 else (self.right, self.left)
        ahead = (facing - xs[end]) * outwards
        reach = PIECE_REACH * letter + abs(slope) * (PIECE_GAP + 1) * letter
        within = (self.free & (ahead > -letter) & (ahead <= PIECE_GAP * letter) & ((far - xs[end]) * outwards > 0)
                & (self.top <= ys[end] + reach) & (self.bottom >= ys[end] - reach))
        for label in np.flatnonzero(within).tolist():
            piece = self._traced_piece(label)
            if piece is None:
                continue
            beyond = [j for j, px in enumerate(piece[0]) if (px - xs[end]) * outwards > 0]
            if not beyond:
                continue
            near = beyond[0] if outwards == 1 else beyond[-1]
            gap = (piece[0][near] - xs[end]) * outwards
            led = ys[end] + slope * (piece[0][near] - xs[end])
            if gap <= PIECE_GAP * letter and abs(piece[1][near] - led) <= PIECE_REACH * letter:
                if best is None or gap < best[0]:
                    px, py, pt = piece
                    best = (gap, label, ([px[j] for j in beyond], [py[j] for j in beyond], [pt[j] for j in beyond]))
        if best is None:
            return None
        self.free[best[1]] = False
        return best[2]

    def extend(self, line: Trace) -> Trace:
        """The line with the pieces that carry it on at either end, one after the other."""
        xs, ys, thickness = line
        if len(xs) < 2:
            return line
        for outwards in (1, -1):
            while (piece := self._next(xs, ys, outwards)) is not None:
                px, py, pt = piece
                xs, ys, thickness = ((xs + px, ys + py, thickness + pt) if outwards == 1
                                     else (px + xs, py + ys, pt + thickness))
        return xs, ys, thickness


def find_lines(mask: np.ndarray, letter: float) -> list[LineFit]:
    """Text lines of a deskewed binary mask as fitted curves, carried on by the pieces a steep bend broke off
    their ends (``_Pieces``); short and stray blobs are left out."""
    height, width = mask.shape
    run = max(3, int(letter * 2.5))
    smear = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    smear = cv2.morphologyEx(smear, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(letter * 1.5)), 1)))
    count, labels, stats, _ = components(smear)
    pieces = _Pieces(mask, labels, stats, letter)
    traces: list[Trace] = []
    min_width = max(width * 0.3, letter * 12)
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if w < PIECE_WIDTH * letter or h < letter * 0.5 or h > letter * MAX_LINE_RISE:
            continue
        if w < min_width:
            pieces.free[label] = True
            continue
        sub = labels[y:y + h, x:x + w] == label
        if _letters(mask[y:y + h, x:x + w], sub, letter):
            traces.append(_smooth_run(*_trace(sub, x, y, letter), letter))
    points: list[tuple[np.ndarray, np.ndarray]] = []
    for trace in traces:
        xs_, ys_, thickness = pieces.extend(trace)
        # A line bent or tilted across the page is tall overall but one line thick at every column; two
        # lines run together by their ascenders and descenders are twice as thick.
        if (len(xs_) < 6 or np.percentile(thickness, 90) > letter * MAX_LINE_THICKNESS
                or np.median(thickness) < letter * MIN_LINE_THICKNESS):
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
