"""Downloads: one page, or a whole file (delo) in leaf order, in any export format."""

from __future__ import annotations

import io
import zipfile

from flask import Blueprint, Response, render_template, request, send_file, url_for

from workbench.db import store
from workbench.db.models import Page
from workbench.errors import BadInput
from workbench.export import ExportFile, formats, get_format
from workbench.export.source import delo_file, export_page
from workbench.web import database, settings

bp = Blueprint("downloads", __name__, url_prefix="/downloads")


def _image_url(page: Page) -> str:
    return url_for("files.page_image", page_id=page.id, _external=True)


def _send(payload: bytes, name: str, media_type: str) -> Response:
    return send_file(io.BytesIO(payload), mimetype=media_type, as_attachment=True, download_name=name,
                     max_age=0)


def _verified_only() -> bool:
    status = request.args.get("status", "verified")
    if status not in ("verified", "any"):
        raise BadInput("status is verified or any")
    return status == "verified"


@bp.get("/pages/<int:page_id>")
def page_formats(page_id: int) -> str:
    with database().session() as session:
        page = store.get_page(session, page_id)
        return render_template("downloads/page.html", page=page, formats=formats().values())


@bp.get("/pages/<int:page_id>.<fmt>")
def page_download(page_id: int, fmt: str) -> Response:
    """A page in any status: the person looking at it asked for it."""
    renderer = get_format(fmt)
    with database().session() as session:
        page = export_page(session, store.get_page(session, page_id),
                           derived_path=settings().derived_path.resolve(), image_url=_image_url)
    payload = renderer.render_page(page)
    if payload is None:
        payload = renderer.render_file(ExportFile(name=page.name, citation=page.citation, pages=[page]))
    assert payload is not None
    name = page.path.replace("/", "_") + renderer.suffix
    return _send(payload, name, renderer.media_type)


@bp.get("/delos/<int:delo_id>")
def delo_formats(delo_id: int) -> str:
    with database().session() as session:
        file = delo_file(session, delo_id, verified_only=False)
        return render_template("downloads/delo.html", file=file, delo_id=delo_id, formats=formats().values(),
                               verified=sum(p.status == "verified" for p in file.pages))


@bp.get("/delos/<int:delo_id>.<fmt>")
def delo_download(delo_id: int, fmt: str) -> Response:
    """The file's pages in leaf order as one document; PAGE (one page per document) comes as a zip."""
    renderer = get_format(fmt)
    with database().session() as session:
        file = delo_file(session, delo_id, verified_only=_verified_only(),
                         derived_path=settings().derived_path.resolve(), image_url=_image_url)
    if not file.pages:
        raise BadInput("no pages to download: none is verified yet (choose all pages instead)")
    payload = renderer.render_file(file)
    if payload is not None:
        return _send(payload, file.name + renderer.suffix, renderer.media_type)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for page in file.pages:
            single = renderer.render_page(page)
            if single is not None:
                archive.writestr(page.path + renderer.suffix, single)
    return _send(buffer.getvalue(), file.name + f"_{renderer.name}.zip", "application/zip")
