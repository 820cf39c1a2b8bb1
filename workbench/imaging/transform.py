"""The map from a prepared page's pixels back to the upright photo, stored with the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(slots=True)
class Mesh:
    """Photo coordinates sampled on a rectilinear grid of page points, for steps that are not projective.

    ``xs`` and ``ys`` are the page columns and rows of the grid (increasing); ``photo_x`` and ``photo_y``
    are (len(ys), len(xs)) arrays of where those page points lie in the photo.
    """

    xs: np.ndarray
    ys: np.ndarray
    photo_x: np.ndarray
    photo_y: np.ndarray

    def apply(self, points: np.ndarray) -> np.ndarray:
        """Bilinear interpolation of the grid; points outside it continue the border cells linearly."""
        pts = np.asarray(points, dtype=float).reshape(-1, 2)
        i = np.clip(np.searchsorted(self.xs, pts[:, 0]) - 1, 0, len(self.xs) - 2)
        j = np.clip(np.searchsorted(self.ys, pts[:, 1]) - 1, 0, len(self.ys) - 2)
        tx = (pts[:, 0] - self.xs[i]) / (self.xs[i + 1] - self.xs[i])
        ty = (pts[:, 1] - self.ys[j]) / (self.ys[j + 1] - self.ys[j])
        out = np.empty_like(pts)
        for k, grid in enumerate((self.photo_x, self.photo_y)):
            top = grid[j, i] * (1 - tx) + grid[j, i + 1] * tx
            bottom = grid[j + 1, i] * (1 - tx) + grid[j + 1, i + 1] * tx
            out[:, k] = top * (1 - ty) + bottom * ty
        return out

    def turned_half(self, width: int, height: int) -> Mesh:
        """The same mesh for the page turned by 180 degrees (``width`` x ``height`` pixels)."""
        return Mesh(xs=(width - 1 - self.xs)[::-1].copy(), ys=(height - 1 - self.ys)[::-1].copy(),
                    photo_x=self.photo_x[::-1, ::-1].copy(), photo_y=self.photo_y[::-1, ::-1].copy())

    def to_json(self) -> dict[str, Any]:
        return {"xs": [round(float(v), 2) for v in self.xs], "ys": [round(float(v), 2) for v in self.ys],
                "photo_x": np.round(self.photo_x, 1).tolist(), "photo_y": np.round(self.photo_y, 1).tolist()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mesh:
        return cls(xs=np.array(data["xs"], dtype=float), ys=np.array(data["ys"], dtype=float),
                   photo_x=np.array(data["photo_x"], dtype=float), photo_y=np.array(data["photo_y"], dtype=float))


@dataclass(slots=True)
class PageTransform:
    """A 3x3 homography page -> photo; steps that are not projective compose as an approximation.

    When a page was dewarped, ``mesh`` holds the exact map and ``matrix`` its best homography fit;
    ``apply`` uses the mesh.
    """

    matrix: np.ndarray = field(default_factory=lambda: np.eye(3))
    mesh: Mesh | None = None

    def then(self, later: np.ndarray) -> PageTransform:
        """The transform after a further step that maps new page pixels to the old ones by ``later``."""
        if self.mesh is not None:
            raise ValueError("a dewarped page's mesh cannot absorb a further homography")
        return PageTransform(self.matrix @ later)

    def apply(self, points: np.ndarray) -> np.ndarray:
        """Map an (N, 2) array of page points to photo points."""
        if self.mesh is not None:
            return self.mesh.apply(points)
        pts = np.hstack([np.asarray(points, dtype=float), np.ones((len(points), 1))])
        mapped = pts @ self.matrix.T
        return mapped[:, :2] / mapped[:, 2:3]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"homography": [[round(float(v), 8) for v in row] for row in self.matrix]}
        if self.mesh is not None:
            data["mesh"] = self.mesh.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageTransform:
        mesh = Mesh.from_json(data["mesh"]) if data.get("mesh") else None
        return cls(np.array(data["homography"], dtype=float), mesh)
