"""Read a photo from disk with its EXIF orientation applied and its capture time."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from workbench.errors import ImageError

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"})
EXIF_ORIENTATION = 0x0112
EXIF_DATETIME_ORIGINAL = 0x9003
EXIF_DATETIME = 0x0132
EXIF_IFD = 0x8769


@dataclass(slots=True)
class Photo:
    pixels: np.ndarray  # BGR uint8, upright as the EXIF orientation says
    exif_orientation: int | None
    captured_at: datetime | None
    stored_width: int  # as stored in the file, before the EXIF orientation
    stored_height: int


def _capture_time(exif: Image.Exif) -> datetime | None:
    raw = exif.get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL) or exif.get(EXIF_DATETIME)
    if not raw:
        return None
    try:
        return datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        log.debug("unreadable EXIF time %r", raw)
        return None


def load_photo(path: Path) -> Photo:
    try:
        with Image.open(path) as img:
            img.load()
            exif = img.getexif()
            orientation = exif.get(EXIF_ORIENTATION)
            stored = img.size
            upright = ImageOps.exif_transpose(img)
            rgb = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"not a readable image ({str(exc).replace(str(path), path.name)})") from exc
    pixels = np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1])
    return Photo(
        pixels=pixels,
        exif_orientation=int(orientation) if orientation else None,
        captured_at=_capture_time(exif),
        stored_width=stored[0],
        stored_height=stored[1],
    )
