"""How tall the text is, from its connected components: Tesseract reads best at a known x-height."""

from __future__ import annotations

import cv2
import numpy as np

from workbench.imaging.components import components


def letter_height(mask: np.ndarray) -> float | None:
    """Median height of letter-like components of a binary mask (ink = 255); None if too few."""
    count, _, stats, _ = components(mask)
    if count < 20:
        return None
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    areas = stats[1:, cv2.CC_STAT_AREA]
    limit = mask.shape[0] * 0.08
    keep = (heights >= 2) & (heights <= limit) & (areas >= 3) & (widths <= heights * 4)
    heights, areas = heights[keep], areas[keep]
    if len(heights) < 15:
        return None
    # Drop dots and commas, then take the middle of what is left: mostly the x-height. What is a dot is judged
    # against the components that hold most of the ink, not the most numerous: specks of grain on a faded,
    # blurred page outnumber its few lines' letters, and their median would make the letters a fifth as tall.
    heights = heights[heights >= 0.6 * _ink_weighted_median(heights, areas)]
    letter = float(np.median(heights))
    return letter if letter >= 3 else None


def _ink_weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
