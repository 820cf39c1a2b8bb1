"""Cheap facts about a photo for choosing between photos of one leaf: a perceptual hash and sharpness."""

from __future__ import annotations

import cv2
import numpy as np

HASH_SIDE = 8


def _grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def difference_hash(image: np.ndarray) -> str:
    """64-bit dHash as 16 hex digits: neighbouring brightness comparisons survive scaling, JPEG and light."""
    small = cv2.resize(_grey(image), (HASH_SIDE + 1, HASH_SIDE), interpolation=cv2.INTER_AREA).astype(np.int16)
    bits = (small[:, 1:] > small[:, :-1]).flatten()
    return f"{int(''.join('1' if b else '0' for b in bits), 2):016x}"


def hash_distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def sharpness(image: np.ndarray, *, long_side: int = 1000) -> float:
    """Variance of the Laplacian at a fixed size: higher is sharper, comparable between photos."""
    grey = _grey(image)
    scale = long_side / max(grey.shape[:2])
    if scale < 1:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())
