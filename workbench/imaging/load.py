"""Read a photo from disk with its EXIF orientation applied and its capture time."""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import cv2
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


READABLE_FORMATS = frozenset({"JPEG", "MPO", "PNG", "TIFF", "WEBP"})  # MPO: some phones' JPEGs
MAX_PIXELS = 200_000_000  # far above any phone (12-108 MP); beyond it a file is a decompression bomb
MIN_SIDE = 64  # smaller than this is no page anyone can read
_KNOWN_OTHERS = [(b"%PDF", "a PDF document, not a photo: save its pages as images first"),
                 (b"<!doctype html", "an HTML page, not a photo (a download that went wrong?)"),
                 (b"<html", "an HTML page, not a photo (a download that went wrong?)"),
                 (b"GIF8", "a GIF; the workbench reads JPEG, PNG, TIFF and WebP photos")]


def _what_else(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError:
        return None
    if not head:
        return "an empty file"
    lowered = head.lstrip().lower()
    return next((what for magic, what in _KNOWN_OTHERS if lowered.startswith(magic.lower())), None)


def _eight_bit(img: Image.Image) -> Image.Image:
    """16-bit and 32-bit grey scaled into 8 bits by its own range (convert() would clip it to white)."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(img, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) * (255.0 / (high - low)) if high > low else np.zeros_like(values)
        return Image.fromarray(scaled.astype(np.uint8), "L")
    return img


def load_photo(path: Path | str, *, max_pixels: int = MAX_PIXELS) -> Photo:
    """The photo upright, in 8-bit colour; anything that is not a single photo is a clear ImageError."""
    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                width, height = img.size
                if width * height > max_pixels:
                    raise ImageError(f"the image claims {width} x {height} pixels, more than the "
                                     f"{max_pixels // 1_000_000}-megapixel limit: a decompression bomb, not a photo")
                if min(width, height) < MIN_SIDE:
                    raise ImageError(f"the image is {width} x {height} pixels: too small to be a page")
                if img.format not in READABLE_FORMATS:
                    raise ImageError(f"a {img.format} image; the workbench reads JPEG, PNG, TIFF and WebP photos")
                if getattr(img, "n_frames", 1) > 1 and img.format != "MPO":
                    raise ImageError(f"the file holds {img.n_frames} images (animated or multi-page): "
                                     "save each page as its own photo")
                img.load()
                exif = img.getexif()
                orientation = exif.get(EXIF_ORIENTATION)
                upright = ImageOps.exif_transpose(_eight_bit(img))
                rgb = upright.convert("RGB")
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        claimed = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(claimed.group(1)):,} pixels" if claimed else "too many pixels"
        raise ImageError(f"the image claims {size}, more than the {MAX_PIXELS // 1_000_000}-megapixel limit: "
                         "a decompression bomb, not a photo") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        what = _what_else(path)
        if what is not None:
            raise ImageError(f"not a photo: {what}") from exc
        raise ImageError(f"not a readable image ({str(exc).replace(str(path), path.name)})") from exc
    pixels = cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2BGR)  # five times quicker than numpy's [:, :, ::-1]
    return Photo(
        pixels=pixels,
        exif_orientation=int(orientation) if orientation else None,
        captured_at=_capture_time(exif),
        stored_width=width,
        stored_height=height,
    )
