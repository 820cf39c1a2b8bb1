"""Text lines found by OpenCV alone, for pages Tesseract cannot read (handwriting)."""

from __future__ import annotations

import cv2
import numpy as np

from workbench.imaging.light import flatten, ink_mask
from workbench.page import BBox


def find_line_boxes(grey: np.ndarray, *, min_height: int = 6) -> list[BBox]:
    """Boxes of the text lines, top to bottom, from the ink's row profile.

    Ink is smeared along the lines first, so the gaps between handwritten words do not matter; the
    profile's valleys (rows with little ink) separate the lines.
    """
    height, width = grey.shape[:2]
    mask = ink_mask(flatten(grey))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))  # speckle off
    smear = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, width // 40), 1)))
    profile = (smear > 0).sum(axis=1).astype(float)
    if profile.max() <= 0:
        return []
    inked = profile > max(profile.max() * 0.08, width * 0.01)
    boxes: list[BBox] = []
    y = 0
    while y < height:
        if not inked[y]:
            y += 1
            continue
        top = y
        while y < height and inked[y]:
            y += 1
        if y - top >= min_height:
            cols = np.flatnonzero(mask[top:y].any(axis=0))
            if cols.size:
                boxes.append(BBox(int(cols[0]), top, int(cols[-1]) + 1, y))
    return boxes
