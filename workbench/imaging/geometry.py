"""Small geometric helpers shared by the steps: matrices map new image pixels to old ones."""

from __future__ import annotations

import math

import cv2
import numpy as np


def resize_long_side(image: np.ndarray, long_side: int) -> tuple[np.ndarray, float]:
    """Shrink (never enlarge) so the longer side is ``long_side``; return the image and its scale."""
    height, width = image.shape[:2]
    scale = min(1.0, long_side / max(height, width))
    if scale >= 1.0:
        return image, 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    source = image
    while max(source.shape[:2]) >= 2 * long_side:  # halving is cheaper than area-averaging 12 MP
        source = cv2.pyrDown(source)
    return cv2.resize(source, size, interpolation=cv2.INTER_AREA), size[0] / width


def scale_matrix(factor: float) -> np.ndarray:
    """New pixels at ``factor`` times the old resolution -> old pixels."""
    return np.diag([1.0 / factor, 1.0 / factor, 1.0])


def translate_matrix(dx: float, dy: float) -> np.ndarray:
    """New pixel (x, y) -> old pixel (x + dx, y + dy): a crop whose corner is at (dx, dy)."""
    return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])


def rot90_matrix(quarter_turns: int, width: int, height: int) -> np.ndarray:
    """New pixel -> old pixel after turning an image of ``width`` x ``height`` clockwise by 90 * k degrees."""
    k = quarter_turns % 4
    if k == 0:
        return np.eye(3)
    if k == 1:  # new (x, y) came from old (y, H-1-x)
        return np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, height - 1.0], [0.0, 0.0, 1.0]])
    if k == 2:
        return np.array([[-1.0, 0.0, width - 1.0], [0.0, -1.0, height - 1.0], [0.0, 0.0, 1.0]])
    return np.array([[0.0, -1.0, width - 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])


def rotated_size(quarter_turns: int, width: int, height: int) -> tuple[int, int]:
    return (height, width) if quarter_turns % 2 else (width, height)


def rotate_matrix(degrees: float, width: int, height: int) -> tuple[np.ndarray, int, int]:
    """Rotate by ``degrees`` counter-clockwise about the centre, grown to keep the corners.

    Returns the new -> old matrix and the new size.
    """
    theta = math.radians(degrees)
    cos, sin = abs(math.cos(theta)), abs(math.sin(theta))
    new_w = int(math.ceil(width * cos + height * sin))
    new_h = int(math.ceil(width * sin + height * cos))
    forward = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), degrees, 1.0)
    forward[0, 2] += (new_w - width) / 2
    forward[1, 2] += (new_h - height) / 2
    full = np.vstack([forward, [0.0, 0.0, 1.0]])
    return np.linalg.inv(full), new_w, new_h


def warp(image: np.ndarray, new_to_old: np.ndarray, size: tuple[int, int], *,
         border: int | tuple[int, ...] = 255) -> np.ndarray:
    """Resample ``image`` into ``size`` (width, height) by a new -> old homography."""
    value = border if isinstance(border, tuple) else (border,) * 3
    return cv2.warpPerspective(image, new_to_old, size, flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                               borderMode=cv2.BORDER_REPLICATE if border == -1 else cv2.BORDER_CONSTANT,
                               borderValue=value)


def map_points(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    pts = np.hstack([np.asarray(points, dtype=float).reshape(-1, 2), np.ones((len(points), 1))])
    mapped = pts @ matrix.T
    return mapped[:, :2] / mapped[:, 2:3]
