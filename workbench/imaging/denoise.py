"""Sensor noise: measured against the ink's depth, and smoothed where it drowns the letters.

A dark photo of a carbon copy is noisy twice over: the sensor's grain, amplified when the light is
flattened, and faint blurred ink hardly darker than the paper. Stretched to black and white as it is,
its grain becomes specks as dark as the letters and Tesseract reads the page as noise. Where the ink's
depth below the paper is less than ``MIN_CLARITY`` times the noise's spread, a Gaussian of a fraction of
a stroke's width smooths the grain before any smear is measured or undone; anywhere else nothing changes,
as smoothing a page whose letters stand clear of the grain only softens them, and so does a page whose
grain is finer than a grey level (``MIN_NOISE``).

Grain is not always that fine. A dim photo's JPEG blocks and the mottle of its paper, flattened and stretched,
make blots a stroke wide that averaging four pixels hardly calms; white noise it halves. That coarse grain is
measured apart, at a quarter of the page's scale, and smoothed where the ink is less than ``MIN_COARSE_CLARITY``
times as deep, once no smear is found: smoothing first would hide a smear (a page whose smear is undone is
measured again after it, as above).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

ROW_STRIDE = 32  # pairs of rows this far apart are measured: about 100 pairs on a page, 2 ms
# Below this the letters drown: on plans 21000-23000 the three pages read as nothing had 10.9 to 16.2, and
# smoothing brought them to 22-89%; dark photos of black typing (20 to 25) and carbon copies (22 to 25) lost
# up to 0.5 points when smoothed, a mixed photo at 17.8 the same.
MIN_CLARITY = 17.0
MIN_NOISE = 1.0  # grey levels: finer grain breaks no stroke (a clean scan, a blank page); those pages had 1.4 to 3.1
# Coarse grain (at a quarter of the page's scale, where a typed stroke is about one pixel): on the 756 photos of
# plans 1923-2000 and 72000-80000, smoothed where it is at least MIN_COARSE and the ink less than
# MIN_COARSE_CLARITY times as deep, 8 of 13 pages read better (80000/mixed-048, a dark grainy carbon copy of a
# table: 1.2 at half scale, 2.9 at a quarter, ink 64 deep, 22.9% -> 7.5% CER; 1000/mixed-053 4.4% -> 2.2%),
# 3 the same and two dark photos of black typing worse (0.1 and 0.9 points), while faint and carbon pages
# whose grain is finer (1.1 to 1.4 there, ink 26 to 40 deep) lost up to 3 points smoothed, and are left alone.
MIN_COARSE = 1.5
MIN_COARSE_CLARITY = 30.0
SMOOTH_SIGMA = 1.5  # pixels of the page image, whose letters are about 26 px tall: half a typed stroke


@dataclass(slots=True)
class Noise:
    spread: float  # standard deviation of the noise at half the page's scale, grey levels
    depth: float  # the paper's grey less the darkest ink's (its 1st percentile), grey levels
    coarse: float = 0.0  # the same spread at a quarter of the page's scale

    @property
    def clarity(self) -> float:
        return self.depth / self.spread if self.spread > 0 else math.inf

    @property
    def found(self) -> bool:
        """The letters drown in the noise: smooth it."""
        return self.spread >= MIN_NOISE and self.clarity < MIN_CLARITY

    @property
    def coarse_found(self) -> bool:
        """The letters drown in coarse grain: smooth it, once no smear is found (smoothing would hide one)."""
        return self.coarse >= MIN_COARSE and self.depth < MIN_COARSE_CLARITY * self.coarse

    def params(self) -> dict[str, object]:
        return {"noise": round(self.spread, 2), "coarse": round(self.coarse, 2), "ink_depth": round(self.depth, 1),
                "clarity": round(self.clarity, 1) if math.isfinite(self.clarity) else None,
                "smoothed": self.found, "coarse_grain": self.coarse_found}


def _quantile(histogram: np.ndarray, q: float) -> float:
    """The ``q`` quantile of whole numbers from their histogram, each spread evenly over the half unit either
    side of it (a noise's median difference may be one or two grey levels: a whole number is too coarse)."""
    cumulative = np.cumsum(histogram)
    wanted = q * float(cumulative[-1])
    k = int(np.searchsorted(cumulative, wanted))
    below = float(cumulative[k - 1]) if k else 0.0
    share = (wanted - below) / max(float(histogram[k]), 1.0)
    return k - 0.5 + share if k else 0.5 * share


def _histogram(values: np.ndarray, bins: int) -> np.ndarray:
    """Counts of the whole numbers 0 to ``bins - 1`` (OpenCV's histogram: twice as quick as numpy's)."""
    return cv2.calcHist([np.ascontiguousarray(values)], [0], None, [bins], [0, bins]).ravel()


def measure_noise(flat: np.ndarray) -> Noise:
    """The noise's spread and the ink's depth, on a pair of rows every ``ROW_STRIDE`` rows of a flattened page,
    and the coarse grain's spread on four rows every twice as many.

    Each pair is averaged two by two into one row at half the page's scale, where the grain that breaks a
    stroke still shows and the finest (which Tesseract reads through) is halved. Most neighbours there are
    paper beside paper, so the median of their differences over the root of two is the noise's spread; the
    depth is the rows' median grey (paper) less their 1st percentile (the darkest ink). Four rows averaged
    four by four give the coarse grain's spread the same way.
    """
    height, width = flat.shape[:2]
    last = height - 1 - (height - 1) % ROW_STRIDE  # the last pair's first row, so that its second exists
    first, second = flat[0:last:ROW_STRIDE, : width // 2 * 2], flat[1:last:ROW_STRIDE, : width // 2 * 2]
    if first.size == 0:
        return Noise(0.0, 0.0)
    pairs = cv2.add(first, second, dtype=cv2.CV_16U)
    four = pairs[:, 0::2] + pairs[:, 1::2]  # sums of 2 x 2 pixels
    spread = _neighbour_spread(four, 4)
    levels = _histogram(first, 256) + _histogram(second, 256)
    return Noise(spread, _quantile(levels, 0.5) - _quantile(levels, 0.01), _coarse_spread(flat))


def _neighbour_spread(sums: np.ndarray, pixels: int) -> float:
    """The noise's spread from rows of sums of ``pixels`` pixels each, most of them paper beside paper."""
    differences = cv2.absdiff(sums[:, 1:], sums[:, :-1])
    return _quantile(_histogram(differences, pixels * 255 + 1), 0.5) / pixels * 1.4826 / math.sqrt(2)


def _coarse_spread(flat: np.ndarray) -> float:
    """The noise's spread at a quarter of the page's scale, on four rows every ``2 * ROW_STRIDE`` rows."""
    height, width = flat.shape[:2]
    tops = np.arange(0, height - 3, 2 * ROW_STRIDE)
    if not len(tops) or width < 8:
        return 0.0
    rows = flat[tops[:, None] + np.arange(4), : width // 4 * 4].astype(np.uint16)  # groups of four rows
    sixteen = rows.sum(axis=1).reshape(len(tops), -1, 4).sum(axis=2, dtype=np.uint16)  # sums of 4 x 4 pixels
    return _neighbour_spread(sixteen, 16)


def smooth(flat: np.ndarray) -> np.ndarray:
    """The page with its grain smoothed by a Gaussian of ``SMOOTH_SIGMA``."""
    return cv2.GaussianBlur(flat, (0, 0), SMOOTH_SIGMA)
