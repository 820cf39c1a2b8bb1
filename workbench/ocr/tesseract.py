"""Tesseract through pytesseract: a start-up check, and words and lines with boxes and confidences."""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import numpy as np
import pytesseract
from PIL import Image

from workbench.errors import MissingDependency, OcrError, OcrTimeout
from workbench.ocr import EngineInfo
from workbench.page import BBox, Block, Line, Page, Word

log = logging.getLogger(__name__)

MIN_VERSION = (4, 1)
# Debian package that carries each language's traineddata
LANGUAGE_PACKAGES = {"rus": "tesseract-ocr-rus", "ukr": "tesseract-ocr-ukr", "osd": "tesseract-ocr-osd",
                     "eng": "tesseract-ocr-eng"}
# Tesseract 5's thresholding_method: 0 Otsu over the page (its default), 1 Leptonica's tiled Otsu, 2 Sauvola.
# Sauvola's local threshold reads the pipeline's pages better where the ink's strength varies, as a run carbon
# copy's or a smeared page's does: benchmarks/preprocess.py over 162 photos, mean CER 1.59% -> 1.43%, carbon
# copies 4.23% -> 3.69%, clean scans 0.96% -> 0.93% (Leptonica's Otsu was far worse on carbon and blur).
SAUVOLA = 2
THRESHOLDING_SINCE = 5  # major version: Tesseract 4 has no thresholding_method and ignores it
# Tesseract's TSV levels
LEVEL_BLOCK, LEVEL_PARAGRAPH, LEVEL_LINE, LEVEL_WORD = 2, 3, 4, 5


def split_languages(languages: str) -> list[str]:
    return [lang for lang in languages.split("+") if lang]


@cache
def _probe(command: str) -> EngineInfo:
    if shutil.which(command) is None:
        raise MissingDependency(
            "Tesseract is not installed: run `make run` or `apt-get install tesseract-ocr tesseract-ocr-rus`")
    try:
        version = pytesseract.get_tesseract_version()
        languages = tuple(sorted(pytesseract.get_languages(config="")))
    except (pytesseract.TesseractError, OSError) as exc:
        raise MissingDependency(f"Tesseract does not run: {exc}") from exc
    if (version.major, version.minor) < MIN_VERSION:
        raise MissingDependency(
            f"Tesseract {version} is too old; {'.'.join(map(str, MIN_VERSION))} or newer is needed")
    return EngineInfo(name="tesseract", version=str(version), languages=languages)


class TesseractEngine:
    """One Tesseract thread per call: pages run in parallel as processes, not as threads."""

    def __init__(self, *, psm: int = 3, oem: int = 1, command: str | None = None,
                 thresholding: int | None = None) -> None:
        self.psm = psm
        self.oem = oem
        self.thresholding = thresholding  # None: Tesseract's own default
        if command:  # pytesseract keeps the program in a module global: one per process
            pytesseract.pytesseract.tesseract_cmd = command
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    @property
    def params(self) -> dict[str, int]:
        params = {"psm": self.psm, "oem": self.oem}
        if (method := self._thresholding()) is not None:
            params["thresholding_method"] = method
        return params

    def _thresholding(self) -> int | None:
        """The thresholding method asked for, where this Tesseract has the option (5.0 on); else None."""
        if self.thresholding is None:
            return None
        major = re.match(r"\d+", self.info().version)
        return self.thresholding if major and int(major.group()) >= THRESHOLDING_SINCE else None

    def info(self) -> EngineInfo:
        return _probe(pytesseract.pytesseract.tesseract_cmd)

    def check_languages(self, languages: str) -> EngineInfo:
        """Fail with an actionable message when language data is missing."""
        info = self.info()
        wanted = split_languages(languages)
        if not wanted:
            raise MissingDependency("no OCR language given; use e.g. --lang rus or --lang rus+ukr")
        missing = [lang for lang in wanted if lang not in info.languages]
        if missing:
            packages = " ".join(LANGUAGE_PACKAGES.get(m, f"tesseract-ocr-{m}") for m in missing)
            raise MissingDependency(
                f"Tesseract has no language data for {', '.join(missing)} "
                f"(installed: {', '.join(info.languages) or 'none'}); install it with `apt-get install {packages}`")
        return info

    def recognize(self, image: np.ndarray, *, languages: str, timeout: float, psm: int | None = None) -> Page:
        """Read a page; ``psm`` overrides the engine's page segmentation for this call (a prepared page's own)."""
        height, width = image.shape[:2]
        config = f"--psm {psm or self.psm} --oem {self.oem}"
        if (method := self._thresholding()) is not None:
            config += f" -c thresholding_method={method}"
        with _failures(timeout):
            data = pytesseract.image_to_data(
                Image.fromarray(image), lang=languages, config=config,
                output_type=pytesseract.Output.DICT, timeout=timeout)
        return Page(width=width, height=height, blocks=_layout(data))

    def orientation(self, image: np.ndarray, *, timeout: float) -> tuple[int, float] | None:
        """Tesseract's orientation detection (``--psm 0``, the osd data) over the whole page: the degrees
        clockwise to turn it upright and Tesseract's confidence, or None when it finds too little text."""
        with _failures(timeout):
            try:
                found = pytesseract.image_to_osd(Image.fromarray(image), timeout=timeout,
                                                 output_type=pytesseract.Output.DICT)
            except pytesseract.TesseractError as exc:
                if "too few characters" in str(exc.message).lower():  # nothing to tell by
                    return None
                raise
        if "rotate" not in found or "orientation_conf" not in found:
            return None
        return int(found["rotate"]), float(found["orientation_conf"])


@contextmanager
def _failures(timeout: float) -> Iterator[None]:
    """Tesseract's failures as the workbench's errors: a crash or an error, a timeout, no program."""
    try:
        yield
    except pytesseract.TesseractError as exc:  # before RuntimeError, its base class
        raise OcrError(_failure(exc.status, str(exc.message))) from exc
    except RuntimeError as exc:  # pytesseract raises a bare RuntimeError on its timeout
        if "timeout" in str(exc).lower():
            raise OcrTimeout(f"Tesseract took longer than {timeout:g} s") from exc
        raise OcrError(f"Tesseract failed: {exc}") from exc
    except OSError as exc:
        raise OcrError(f"Tesseract could not run: {exc}") from exc


def _failure(status: int, message: str) -> str:
    """One line that says what happened: a crash by its signal, otherwise Tesseract's own last words."""
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        return f"Tesseract crashed ({name})" + (f": {message.strip()}" if message.strip() else "")
    return f"Tesseract failed (status {status}): {message.strip() or 'no message'}"


def _layout(data: dict[str, list]) -> list[Block]:
    """Group Tesseract's flat TSV rows into blocks, lines and words, dropping empty ones."""
    blocks: dict[int, Block] = {}
    lines: dict[tuple[int, int, int], Line] = {}
    for i, level in enumerate(data["level"]):
        box = BBox(data["left"][i], data["top"][i],
                   data["left"][i] + data["width"][i], data["top"][i] + data["height"][i])
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if level == LEVEL_BLOCK:
            blocks[key[0]] = Block(bbox=box)
        elif level == LEVEL_LINE:
            line = Line(bbox=box)
            lines[key] = line
            blocks[key[0]].lines.append(line)
        elif level == LEVEL_WORD:
            text = str(data["text"][i]).strip()
            if text:
                lines[key].words.append(Word(text=text, bbox=box, confidence=float(data["conf"][i])))
    for block in blocks.values():
        block.lines = [line for line in block.lines if line.words]
    return [block for block in blocks.values() if block.lines]
