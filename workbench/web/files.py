"""Images for the browser: web-size copies made once and cached, never the full-size photo."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from flask import Blueprint, Response, send_file
from PIL import Image, ImageOps

from workbench.db.store import get_page
from workbench.errors import NotFound
from workbench.export import write_atomically
from workbench.web import database, settings

bp = Blueprint("files", __name__, url_prefix="/files")

WEB_JPEG_QUALITY = 85
THUMBNAIL_SIZE = 320


def _web_copy(source: Path, target: Path, long_side: int) -> Path:
    if target.exists():
        return target
    if not source.exists():
        raise NotFound(f"the image file {source} is missing")
    with Image.open(source) as original:
        img: Image.Image = ImageOps.exif_transpose(original)
        img.thumbnail((long_side, long_side))
        if img.mode not in ("L", "RGB"):
            img = img.convert("RGB")
        buffer = BytesIO()
        img.save(buffer, "JPEG", quality=WEB_JPEG_QUALITY)
    write_atomically(target, buffer.getvalue())
    return target


@bp.get("/pages/<int:page_id>.jpg")
def page_image(page_id: int) -> Response:
    """The corrected page, the image the OCR boxes refer to (scaled; the script scales the boxes)."""
    conf = settings()
    with database().session() as session:
        page = get_page(session, page_id)
        if not page.derived_file:
            raise NotFound(f"page {page_id} has no page image yet")
        source = conf.derived_path / page.derived_file
    made = source.stat().st_mtime_ns if source.exists() else 0  # a page read again gets a new copy
    target = conf.derived_path / "web" / f"page-{page_id}-{made}-{conf.web_image_size}.jpg"
    return send_file(_web_copy(source, target, conf.web_image_size).resolve(), mimetype="image/jpeg",
                     max_age=3600)


@bp.get("/thumbs/<int:page_id>.jpg")
def thumbnail(page_id: int) -> Response:
    """A small copy of the page for a file's overview."""
    conf = settings()
    with database().session() as session:
        page = get_page(session, page_id)
        source = conf.derived_path / page.derived_file if page.derived_file else Path(page.image.path)
    made = source.stat().st_mtime_ns if source.exists() else 0
    target = conf.derived_path / "web" / f"thumb-{page_id}-{made}.jpg"
    return send_file(_web_copy(source, target, THUMBNAIL_SIZE).resolve(), mimetype="image/jpeg", max_age=3600)


@bp.get("/photos/<int:page_id>.jpg")
def photo_image(page_id: int) -> Response:
    """The original photo, upright, web-size."""
    conf = settings()
    with database().session() as session:
        page = get_page(session, page_id)
        source = Path(page.image.path)
        sha = page.image.sha256
    target = conf.derived_path / "web" / f"photo-{sha}-{conf.web_image_size}.jpg"
    return send_file(_web_copy(source, target, conf.web_image_size).resolve(), mimetype="image/jpeg",
                     max_age=3600)
