"""Connected components of a binary image, as every step that counts letters or lines needs them."""

from __future__ import annotations

import cv2
import numpy as np


def components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """``cv2.connectedComponentsWithStats`` with 8-connectivity: count, labels, stats, centroids.

    Grana's block-based labelling gives the same labels as OpenCV's default here and, on one core, takes a
    third of its time on a page mask (2.0 against 5.6 ms at 1000 px); the pipeline labels a mask several times
    per photo.
    """
    return cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_GRANA)


def off_the_edge(mask: np.ndarray) -> np.ndarray:
    """The mask without the components that touch its border: a page crop's dark edge, its shadow or the
    table beyond it, which run along the border and outweigh a faint page's text when lines are looked for."""
    count, found = cv2.connectedComponentsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_GRANA)
    labels = np.asarray(found, np.int32)
    if count <= 1:
        return mask
    kept = np.full(count, 255, np.uint8)
    kept[0] = 0
    kept[labels[0]] = kept[labels[-1]] = kept[labels[:, 0]] = kept[labels[:, -1]] = 0
    return np.take(kept, labels)
