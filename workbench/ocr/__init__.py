"""OCR engines behind one protocol; tesseract.py is the only module that imports pytesseract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from workbench.page import Page


@dataclass(frozen=True, slots=True)
class EngineInfo:
    name: str
    version: str
    languages: tuple[str, ...]  # the language data the engine has installed


class OcrEngine(Protocol):
    def info(self) -> EngineInfo: ...

    def recognize(self, image: np.ndarray, *, languages: str, timeout: float) -> Page: ...
