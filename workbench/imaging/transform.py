"""The map from a prepared page's pixels back to the upright photo, stored with the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(slots=True)
class PageTransform:
    """A 3x3 homography page -> photo; steps that are not projective compose as an approximation."""

    matrix: np.ndarray = field(default_factory=lambda: np.eye(3))

    def then(self, later: np.ndarray) -> PageTransform:
        """The transform after a further step that maps new page pixels to the old ones by ``later``."""
        return PageTransform(self.matrix @ later)

    def apply(self, points: np.ndarray) -> np.ndarray:
        """Map an (N, 2) array of page points to photo points."""
        pts = np.hstack([np.asarray(points, dtype=float), np.ones((len(points), 1))])
        mapped = pts @ self.matrix.T
        return mapped[:, :2] / mapped[:, 2:3]

    def to_json(self) -> dict[str, Any]:
        return {"homography": [[round(float(v), 8) for v in row] for row in self.matrix]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageTransform:
        return cls(np.array(data["homography"], dtype=float))
