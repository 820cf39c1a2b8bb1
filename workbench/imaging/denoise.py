"""Sensor noise: measured against the ink's depth, and smoothed where it drowns the letters.

A dark photo of a carbon copy is noisy twice over: the sensor's grain, amplified when the light is
flattened, and faint blurred ink hardly darker than the paper. Stretched to black and white as it is,
its grain becomes specks as dark as the letters and Tesseract reads the page as noise. Where the ink's
depth below the paper is less than ``MIN_CLARITY`` times the noise's spread, a Gaussian of a fraction of
a stroke's width smooths the grain before any smear is measured or undone; anywhere else nothing changes,
as smoothing a page whose letters stand clear of the grain only softens them, and so does a page whose
grain is finer than a grey level (``MIN_NOISE``).
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
SMOOTH_SIGMA = 1.5  # pixels of the page image, whose letters are about 26 px tall: half a typed stroke


@dataclass(slots=True)
class Noise:
    spread: float  # standard deviation of the noise at half the page's scale, grey levels
    depth: float  # the paper's grey less the darkest ink's (its 1st percentile), grey levels

    @property
    def clarity(self) -> float:
        return self.depth / self.spread if self.spread > 0 else math.inf

    @property
    def found(self) -> bool:
        """The letters drown in the noise: smooth it."""
        return self.spread >= MIN_NOISE and self.clarity < MIN_CLARITY

    def params(self) -> dict[str, object]:
        return {"noise": round(self.spread, 2), "ink_depth": round(self.depth, 1),
                "clarity": round(self.clarity, 1) if math.isfinite(self.clarity) else None,
                "smoothed": self.found}


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
    """The noise's spread and the ink's depth, on a pair of rows every ``ROW_STRIDE`` rows of a flattened page.

    Each pair is averaged two by two into one row at half the page's scale, where the grain that breaks a
    stroke still shows and the finest (which Tesseract reads through) is halved. Most neighbours there are
    paper beside paper, so the median of their differences over the root of two is the noise's spread; the
    depth is the rows' median grey (paper) less their 1st percentile (the darkest ink).
    """
    height, width = flat.shape[:2]
    last = height - 1 - (height - 1) % ROW_STRIDE  # the last pair's first row, so that its second exists
    first, second = flat[0:last:ROW_STRIDE, : width // 2 * 2], flat[1:last:ROW_STRIDE, : width // 2 * 2]
    if first.size == 0:
        return Noise(0.0, 0.0)
    pairs = cv2.add(first, second, dtype=cv2.CV_16U)
    four = pairs[:, 0::2] + pairs[:, 1::2]  # sums of 2 x 2 pixels
    differences = cv2.absdiff(four[:, 1:], four[:, :-1])
    spread = _quantile(_histogram(differences, 4 * 255 + 1), 0.5) / 4 * 1.4826 / math.sqrt(2)
    levels = _histogram(first, 256) + _histogram(second, 256)
    return Noise(spread, _quantile(levels, 0.5) - _quantile(levels, 0.01))


def smooth(flat: np.ndarray) -> np.ndarray:
    """The page with its grain smoothed by a Gaussian of ``SMOOTH_SIGMA``."""
    return cv2.GaussianBlur(flat, (0, 0), SMOOTH_SIGMA)
