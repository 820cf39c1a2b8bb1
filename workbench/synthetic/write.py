"""Write synthetic photos and scans to disk with their ground truth beside them.

``NAME.jpg`` (or ``NAME.png`` for a clean scan) and ``NAME.gt.txt``. The ground truth keeps the
lines as they stand on the page. For a ``spread`` it is the left page (verso), then a line holding
only a form feed (``"\\f"``), then the right page (recto); :func:`split_pages` undoes that.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from workbench.imaging.load import EXIF_DATETIME, EXIF_DATETIME_ORIGINAL, EXIF_IFD, EXIF_ORIENTATION
from workbench.synthetic.photo import FORM_FEED_LINE, SyntheticPhoto, check_damages, photograph
from workbench.synthetic.render import A4_MM, RenderedPage, render_page

log = logging.getLogger(__name__)

EXIF_SOFTWARE = 0x0131
SOFTWARE = "workbench.synthetic"
BASE_CAPTURE = datetime(2024, 3, 12, 10, 0, 0)


@dataclass(slots=True)
class SampleFiles:
    image: Path
    ground_truth: Path
    captured_at: datetime | None = None
    photo: SyntheticPhoto | None = None
    pages: list[RenderedPage] | None = None


def split_pages(ground_truth: str) -> list[str]:
    """Page texts of a ``.gt.txt``: one for a page, verso and recto for a spread."""
    return [part.strip("\n") + "\n" for part in ground_truth.split(f"\n{FORM_FEED_LINE}\n")]


def default_capture_time(seed: int) -> datetime:
    """A capture time that grows with the seed, so capture order follows sample order."""
    return BASE_CAPTURE + timedelta(seconds=23 * seed)


def save_jpeg(path: Path, image: np.ndarray, *, quality: int = 88, orientation: int = 1,
              captured_at: datetime | None = None) -> None:
    """Save BGR pixels as a phone would: EXIF orientation and capture time in the file."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    exif[EXIF_SOFTWARE] = SOFTWARE
    if captured_at is not None:
        stamp = captured_at.strftime("%Y:%m:%d %H:%M:%S")
        exif[EXIF_DATETIME] = stamp
        exif.get_ifd(EXIF_IFD)[EXIF_DATETIME_ORIGINAL] = stamp
    rgb = Image.fromarray(np.ascontiguousarray(image[:, :, ::-1]))
    path.parent.mkdir(parents=True, exist_ok=True)
    rgb.save(path, "JPEG", quality=quality, exif=exif.tobytes(), optimize=True)


def _split_text(text: str) -> tuple[str, str]:
    """Cut one text into verso and recto at the paragraph boundary nearest its middle."""
    lines = text.strip("\n").split("\n")
    if len(lines) < 2:
        return text, text
    sizes = np.cumsum([len(line) + 1 for line in lines])
    cut = int(np.argmin(np.abs(sizes - sizes[-1] / 2))) + 1
    cut = min(max(cut, 1), len(lines) - 1)
    return "\n".join(lines[:cut]) + "\n", "\n".join(lines[cut:]) + "\n"


def render_pages(text: str | Sequence[str], *, spread: bool, font: str, seed: int,
                 size_pt: float, dpi: int, page_mm: tuple[float, float] = A4_MM) -> list[RenderedPage]:
    """One page, or two for a spread (a single text is cut in two; two texts are taken as they are)."""
    if isinstance(text, str):
        texts = list(_split_text(text)) if spread else [text]
    else:
        texts = list(text)
    if len(texts) != (2 if spread else 1):
        raise ValueError(f"expected {2 if spread else 1} text(s), got {len(texts)}")
    return [render_page(t, font=font, size_pt=size_pt, dpi=dpi, page_mm=page_mm, seed=seed * 2 + i)
            for i, t in enumerate(texts)]


def write_sample(
    out_dir: Path,
    name: str,
    *,
    text: str | Sequence[str],
    font: str = "Liberation Mono",
    damages: Iterable[str] = ("perspective",),
    seed: int = 0,
    size_pt: float = 12.0,
    dpi: int = 200,
    page_mm: tuple[float, float] = A4_MM,
    long_side: int = 4000,
    quality: int = 88,
    captured_at: datetime | None = None,
    with_params: bool = False,
) -> SampleFiles:
    """Render, photograph and write ``NAME.jpg`` and ``NAME.gt.txt`` (and ``NAME.json`` if asked).

    The JPEG always carries an EXIF orientation (1 unless ``exif_rot``) and DateTimeOriginal
    (``captured_at``, by default a time that grows with ``seed``).
    """
    wanted = check_damages(damages)
    pages = render_pages(text, spread="spread" in wanted, font=font, seed=seed, size_pt=size_pt, dpi=dpi,
                         page_mm=page_mm)
    photo = photograph(pages, damages=wanted, seed=seed, long_side=long_side)
    when = captured_at if captured_at is not None else default_capture_time(seed)
    image_path = out_dir / f"{name}.jpg"
    save_jpeg(image_path, photo.image, quality=quality, orientation=photo.exif_orientation or 1, captured_at=when)
    gt_path = out_dir / f"{name}.gt.txt"
    gt_path.write_text(photo.ground_truth, encoding="utf-8")
    if with_params:
        record = {"damages": list(photo.damages), "seed": seed, "font": font, "size_pt": size_pt, "dpi": dpi,
                  "quarter_turns": photo.quarter_turns, "exif_orientation": photo.exif_orientation,
                  "page_corners": [c.round(1).tolist() for c in photo.page_corners], "params": photo.params}
        (out_dir / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    log.info("wrote %s (%s)", image_path, ", ".join(wanted) or "no damage")
    return SampleFiles(image=image_path, ground_truth=gt_path, captured_at=when, photo=photo, pages=pages)


def write_clean(
    out_dir: Path,
    name: str,
    *,
    text: str,
    font: str = "Liberation Mono",
    seed: int = 0,
    size_pt: float = 12.0,
    dpi: int = 200,
    page_mm: tuple[float, float] = A4_MM,
) -> SampleFiles:
    """A flat clean scan, ``NAME.png`` and ``NAME.gt.txt``: the reference a pipeline must not make worse."""
    page = render_page(text, font=font, size_pt=size_pt, dpi=dpi, page_mm=page_mm, seed=seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    image_path = out_dir / f"{name}.png"
    if not cv2.imwrite(str(image_path), page.image):
        raise OSError(f"could not write {image_path}")
    gt_path = out_dir / f"{name}.gt.txt"
    gt_path.write_text(page.text, encoding="utf-8")
    return SampleFiles(image=image_path, ground_truth=gt_path, pages=[page])
