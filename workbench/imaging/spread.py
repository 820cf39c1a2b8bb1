"""Two facing pages in one photo: find the gutter between two text columns and split there."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Gutter:
    x: int  # split column
    gap: int  # width of the empty band around it
    left_share: float  # share of the ink left of the gutter


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
    smooth = cv2.blur(profile.reshape(1, -1), (max(3, width // 100), 1)).ravel()
    lo, hi = int(width * 0.3), int(width * 0.7)
    text_level = float(np.percentile(smooth[smooth > 0], 60)) if (smooth > 0).any() else 0.0
    empty = smooth <= max(0.04 * text_level, 0.5)
    best: tuple[int, int] | None = None
    x = lo
    while x < hi:
        if empty[x]:
            start = x
            while x < width and empty[x]:
                x += 1
            end = x
            while start > 0 and empty[start - 1]:
                start -= 1
            if best is None or end - start > best[1] - best[0]:
                best = (start, end)
        x += 1
    if best is None:
        return None
    start, end = best
    gap = end - start
    if gap < width * 0.02:
        return None
    split = (start + end) // 2
    left = float(profile[:split].sum()) / total
    if not 0.2 <= left <= 0.8:
        return None
    # both sides must hold text columns, not a margin note: their ink spans a good part of the width
    for side in (profile[:start], profile[end:]):
        cols = np.nonzero(side > 0)[0]
        if len(cols) == 0 or cols[-1] - cols[0] < width * 0.2:
            return None
    return Gutter(x=split, gap=gap, left_share=left)
