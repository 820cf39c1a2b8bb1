"""Text line direction by projection profiles: the coarse 0/90 turn and the fine skew in one search."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

MAX_POINTS = 6000  # a random sample of the ink: as sharp a profile as 12000, at half the cost


@dataclass(slots=True)
class LineDirection:
    angle: float  # degrees in [-90, 90): the direction text lines run, y down, counter-clockwise positive
    strength: float  # profile contrast at the best angle over the median angle; < 1.5 means "no lines"

    @property
    def quarter_turns(self) -> int:
        """Clockwise quarter turns that bring the lines to horizontal (1 or 3 left to the caller's test)."""
        return 0 if abs(self.angle) <= 45 else 1

    @property
    def residual(self) -> float:
        """The skew left after the quarter turn, in degrees counter-clockwise."""
        if abs(self.angle) <= 45:
            return self.angle
        return self.angle - 90 if self.angle > 0 else self.angle + 90


def ink_points(mask: np.ndarray, *, max_points: int = MAX_POINTS, seed: int = 0) -> np.ndarray:
    """(N, 2) float x, y of ink pixels, a random subset when there are many."""
    ys, xs = np.nonzero(mask)
    if len(xs) > max_points:
        pick = np.random.default_rng(seed).choice(len(xs), max_points, replace=False)
        xs, ys = xs[pick], ys[pick]
    return np.stack([xs, ys], axis=1).astype(np.float32)


def _score(points: np.ndarray, degrees: float, *, extent_weighted: bool = False) -> float:
    """Sharpness of the profile across lines running at ``degrees``: sum of squared bin counts.

    ``extent_weighted`` multiplies the sum by the profile's length, so that scattered points score alike at
    every angle however narrow the region: otherwise a profile across a narrow strip's short side, all its
    points in few bins, scores high for noise too.
    """
    theta = np.deg2rad(degrees)
    # text running along (cos t, -sin t) in image coords (y down, counter-clockwise positive)
    offset = points[:, 0] * np.sin(theta) + points[:, 1] * np.cos(theta)
    bins = np.floor(offset - offset.min()).astype(np.int64)
    counts = np.bincount(bins).astype(np.float64)
    return float((counts * counts).sum()) * (len(counts) if extent_weighted else 1)


def line_direction(mask: np.ndarray, *, search: float = 90.0, coarse: float = 1.5,
                   extent_weighted: bool = False) -> LineDirection:
    """Direction of the text lines in a binary mask (ink = nonzero), searched over +-``search`` degrees.

    ``extent_weighted`` weighs each angle's score by the length of its profile (see ``_score``), for a region far
    from square.
    """
    points = ink_points(mask)
    if len(points) < 100:
        return LineDirection(angle=0.0, strength=0.0)
    points -= points.mean(axis=0)
    if search >= 90:
        angles = np.arange(-90.0, 90.0, coarse)
    else:
        angles = np.arange(-search, search + 1e-9, coarse)
    scores = np.array([_score(points, a, extent_weighted=extent_weighted) for a in angles])
    best = float(angles[int(np.argmax(scores))])
    strength = float(scores.max() / max(np.median(scores), 1e-9))
    fine = np.arange(best - coarse, best + coarse + 1e-9, coarse / 8)
    fine_scores = np.array([_score(points, a, extent_weighted=extent_weighted) for a in fine])
    angle = float(fine[int(np.argmax(fine_scores))])
    if angle >= 90:
        angle -= 180
    elif angle < -90:
        angle += 180
    return LineDirection(angle=angle, strength=strength)
