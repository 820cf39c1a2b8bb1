"""The side-by-side editor: the page image on the left, its text on the right; every save is a revision."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from workbench.db.models import Status
from workbench.db.store import get_page, latest_run, list_pages, save_text
from workbench.errors import BadInput, StaleVersion
from workbench.web import database

bp = Blueprint("editor", __name__)

MAX_TEXT_CHARS = 200_000


def _form_int(raw: Any, name: str) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise BadInput(f"{name} must be a whole number") from None


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise BadInput("text is missing")
    if len(raw) > MAX_TEXT_CHARS:
        raise BadInput(f"the text is longer than {MAX_TEXT_CHARS} characters")
    return raw.replace("\r\n", "\n")


def _neighbours(page_id: int) -> tuple[int | None, int | None]:
    with database().session() as session:
        ids = [p.id for p in list_pages(session)]
    if page_id not in ids:
        return None, None
    i = ids.index(page_id)
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)


@bp.get("/pages/<int:page_id>")
def edit(page_id: int) -> str:
    with database().session() as session:
        page = get_page(session, page_id)
        run = latest_run(session, page_id)
        previous, following = _neighbours(page_id)
        return render_template("editor/edit.html", page=page, run=run, previous=previous, following=following,
                               conflict=None)


@bp.post("/pages/<int:page_id>")
def save_form(page_id: int) -> BaseResponse | tuple[str, int]:
    """The form fallback for saving; the script uses the JSON endpoint below."""
    text = _text(request.form.get("text"))
    base_version = _form_int(request.form.get("base_version"), "base_version")
    status = Status.VERIFIED if request.form.get("action") == "verify" else None
    try:
        with database().session() as session:
            save_text(session, page_id, text=text, base_version=base_version, author=None, status=status)
    except StaleVersion as exc:
        with database().session() as session:
            page = get_page(session, page_id)
            run = latest_run(session, page_id)
            previous, following = _neighbours(page_id)
            html = render_template("editor/edit.html", page=page, run=run, previous=previous,
                                   following=following, conflict={"mine": text, "message": str(exc)})
        return html, 409
    return redirect(url_for("editor.edit", page_id=page_id))


@bp.post("/api/pages/<int:page_id>/text")
def save_json(page_id: int) -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadInput("expected a JSON object with text and base_version")
    text = _text(body.get("text"))
    base_version = _form_int(body.get("base_version"), "base_version")
    status = None
    if body.get("status"):
        from workbench.web.pages import parse_status
        status = parse_status(body["status"])
    with database().session() as session:
        transcription = save_text(session, page_id, text=text, base_version=base_version, author=None,
                                  status=status)
        return jsonify({"version": transcription.version, "status": transcription.status.value})


@bp.get("/api/pages/<int:page_id>")
def page_json(page_id: int) -> Response:
    """The page's text and its latest OCR layout, with boxes in the page image's pixels."""
    with database().session() as session:
        page = get_page(session, page_id)
        run = latest_run(session, page_id)
        lines = [] if run is None else [
            {"box": [ln.x0, ln.y0, ln.x1, ln.y1],
             "words": [{"text": w.text, "confidence": round(w.confidence, 1), "box": [w.x0, w.y0, w.x1, w.y1]}
                       for w in ln.words]}
            for block in run.blocks for ln in block.lines]
        t = page.transcription
        return jsonify({"id": page.id, "width": page.width, "height": page.height, "text": t.text,
                        "version": t.version, "status": t.status.value, "lines": lines,
                        "mean_confidence": None if run is None else run.mean_confidence})
