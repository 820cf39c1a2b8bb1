"""The preprocessing pipeline: from an upright photo to the page image(s) Tesseract reads."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from workbench.imaging.load import Photo
from workbench.imaging.transform import PageTransform
from workbench.page import Step


@dataclass(slots=True)
class PipelineOptions:
    enabled: bool = True


@dataclass(slots=True)
class PreparedPage:
    image: np.ndarray  # what the OCR engine reads: grey or binary uint8
    display: np.ndarray  # what the editor shows, same geometry as ``image``
    to_photo: PageTransform  # page pixel -> upright photo pixel
    part: int = 0  # 0 = the whole photo; 1 and 2 = left and right page of a spread
    steps: list[Step] = field(default_factory=list)


def prepare(photo: Photo, options: PipelineOptions | None = None) -> list[PreparedPage]:
    options = options or PipelineOptions()
    start = time.perf_counter()
    grey = cv2.cvtColor(photo.pixels, cv2.COLOR_BGR2GRAY)
    step = Step("grey", {}, time.perf_counter() - start)
    return [PreparedPage(image=grey, display=grey, to_photo=PageTransform(), steps=[step])]
