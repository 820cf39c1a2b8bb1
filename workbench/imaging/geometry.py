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
    while max(source.shape[:2]) >= 2 * long_side:
        source = halve(source)
    return cv2.resize(source, size, interpolation=cv2.INTER_AREA), size[0] / width


def halve(image: np.ndarray) -> np.ndarray:
    """Half the size by averaging 2 x 2 blocks: OpenCV's fast path, three times quicker than ``pyrDown``.

    An odd last row or column is dropped, which moves nothing: pixel (x, y) still covers (2x, 2y).
    """
    height, width = image.shape[:2]
    if height < 2 or width < 2:  # a one-pixel side cannot be halved by blocks
        return cv2.resize(image, (max(1, width // 2), max(1, height // 2)), interpolation=cv2.INTER_AREA)
    even = image[: height - height % 2, : width - width % 2]
    return cv2.resize(even, (width // 2, height // 2), interpolation=cv2.INTER_AREA)


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


STRIP_ROWS = 256  # a colour page is remapped along a mesh this many rows at a time


def warp(image: np.ndarray, new_to_old: np.ndarray, size: tuple[int, int], *,
         border: int | tuple[int, ...] = 255) -> np.ndarray:
    """Resample ``image`` into ``size`` (width, height) by a new -> old homography, bilinearly.

    One call for colour too: OpenCV 4.14 and 5.x warp three channels faster than the four-channel strips
    an older OpenCV needed (5.1: 20 against 53 ms for a 6 MP page of a 12 MP photo).
    """
    value = border if isinstance(border, tuple) else (border,) * 3
    mode = cv2.BORDER_REPLICATE if border == -1 else cv2.BORDER_CONSTANT
    return cv2.warpPerspective(image, new_to_old, size, flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                               borderMode=mode, borderValue=value)


def remap_grid(image: np.ndarray, grid_x: np.ndarray, grid_y: np.ndarray, step: float,
               size: tuple[int, int]) -> np.ndarray:
    """Resample ``image`` into ``size`` where new pixel (x, y) comes from the old position that the grids
    give at (x / step, y / step), bilinearly interpolated; the border is replicated.

    The full-size maps are never made: each strip of rows interpolates its own from the grids (an affine
    warp, exact where resizing the grids drifts) and, for colour, goes through four channels as in ``warp``.
    """
    width, height = size
    grid_x, grid_y = grid_x.astype(np.float32), grid_y.astype(np.float32)
    flags, mode = cv2.INTER_LINEAR, cv2.BORDER_REPLICATE
    colour = image.ndim == 3 and image.shape[2] == 3
    out = np.empty((height, width, 3) if colour else (height, width), np.uint8)
    for y in range(0, height, STRIP_ROWS):
        rows = min(STRIP_ROWS, height - y)
        to_grid = np.array([[1 / step, 0, 0], [0, 1 / step, y / step]])
        xs, ys = (cv2.warpAffine(grid, to_grid, (width, rows), flags=flags | cv2.WARP_INVERSE_MAP,
                                 borderMode=mode) for grid in (grid_x, grid_y))
        x0, y0, x1, y1 = _read_box(xs.min(), ys.min(), xs.max(), ys.max(), image.shape[1], image.shape[0])
        xs -= x0
        ys -= y0
        if not colour:
            out[y:y + rows] = cv2.remap(image[y0:y1, x0:x1], xs, ys, flags, borderMode=mode)
            continue
        padded = cv2.cvtColor(image[y0:y1, x0:x1], cv2.COLOR_BGR2BGRA)
        cv2.cvtColor(cv2.remap(padded, xs, ys, flags, borderMode=mode), cv2.COLOR_BGRA2BGR, dst=out[y:y + rows])
    return out


def _read_box(x_min: float, y_min: float, x_max: float, y_max: float, width: int,
              height: int) -> tuple[int, int, int, int]:
    """The pixels a bilinear resampling of positions within these bounds reads, clipped to the image."""
    x0 = max(0, min(int(np.floor(x_min)) - 2, width - 1))
    y0 = max(0, min(int(np.floor(y_min)) - 2, height - 1))
    x1 = max(x0 + 1, min(int(np.ceil(x_max)) + 3, width))
    y1 = max(y0 + 1, min(int(np.ceil(y_max)) + 3, height))
    return x0, y0, x1, y1


def map_points(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    pts = np.hstack([np.asarray(points, dtype=float).reshape(-1, 2), np.ones((len(points), 1))])
    mapped = pts @ matrix.T
    return mapped[:, :2] / mapped[:, 2:3]
