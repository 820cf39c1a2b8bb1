"""Photos added from the browser: checked by content, stored under names of the workbench's own."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from PIL import Image

from workbench.errors import BadInput, ImageError
from workbench.imaging.load import load_photo

log = logging.getLogger(__name__)

SUFFIX_BY_FORMAT = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "TIFF": ".tif", "WEBP": ".webp"}
CHUNK = 1 << 20
# decoded inside a web request, so kept lower than the batch's limit: still above any phone (108 MP)
UPLOAD_MAX_PIXELS = 120_000_000


def safe_stem(original: str) -> str:
    """The file's own name without folders, control characters or anything a path could abuse."""
    name = re.split(r"[\\/]", original or "")[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if not unicodedata.category(ch).startswith("C"))
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = re.sub(r"[^\w.-]+", "_", stem).strip("._-")[:100]
    return stem or "photo"


@dataclass(frozen=True, slots=True)
class Stored:
    path: Path
    sha256: str
    original: str


def store_upload(stream: IO[bytes], original_name: str, folder: Path, *, max_bytes: int) -> Stored:
    """Copy an upload into ``folder/<sha[:2]>/<sha[:12]>/<name>.<suffix by content>``; refuse what is not a photo.

    The photo's own name is kept as the last part, so exports still name it as its owner did.
    """
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".upload-{os.getpid()}-{id(stream)}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        with tmp.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise BadInput(f"{safe_stem(original_name)}: larger than the {max_bytes // (1 << 20)} MB limit")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ImageError(f"{safe_stem(original_name)}: an empty file")
        try:
            load_photo(tmp, max_pixels=UPLOAD_MAX_PIXELS)
        except ImageError as exc:
            raise ImageError(f"{safe_stem(original_name)}: {exc}") from None
        with Image.open(tmp) as img:
            suffix = SUFFIX_BY_FORMAT[str(img.format)]
        sha = digest.hexdigest()
        target = folder / sha[:2] / sha[:12] / f"{safe_stem(original_name)}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
        return Stored(target, sha, original_name)
    finally:
        tmp.unlink(missing_ok=True)
