"""The side-by-side editor: the page image on the left, its text on the right; every save is a revision."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from workbench.archive.citation import format_citation, parse_citation
from workbench.db import store, tags
from workbench.db.models import Status
from workbench.errors import BadInput, StaleVersion
from workbench.search import hit_spans
from workbench.textdiff import as_json, diff_words
from workbench.web import database
from workbench.web.auth import me, require_role_to_verify

bp = Blueprint("editor", __name__)

MAX_TEXT_CHARS = 200_000
ACTIONS = {"save": None, "review": Status.NEEDS_REVIEW, "verify": Status.VERIFIED}


def _int(raw: Any, name: str) -> int:
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


def _action_status(action: Any) -> Status | None:
    if action is None or action == "":
        return None
    if action not in ACTIONS:
        raise BadInput(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    status = ACTIONS[action]
    if status is Status.VERIFIED:
        require_role_to_verify()
    return status


def _save(page_id: int, *, text: str, base_version: int, action: Any) -> store.Saved:
    status = _action_status(action)
    with database().session(write=True) as session:
        return store.save_text(session, page_id, text=text, base_version=base_version, author=me().name,
                               status=status)


def _editor_page(page_id: int, *, conflict: dict[str, Any] | None = None) -> str:
    query = request.args.get("q", "").strip()
    with database().session() as session:
        page = store.get_page(session, page_id)
        run = store.latest_run(session, page_id, with_layout=False)
        order = store.page_order(session)
        i = order.index(page_id) if page_id in order else -1
        previous = order[i - 1] if i > 0 else None
        following = order[i + 1] if 0 <= i < len(order) - 1 else None
        citation = tags.format_page_citation(page)
        proposal = "" if citation else format_citation(proposed) if (
            proposed := tags.proposed_citation(session, page)) else ""
        hits = hit_spans(page.transcription.text, query) if query else []
        return render_template("editor/edit.html", page=page, run=run, previous=previous, following=following,
                               conflict=conflict, can_verify=me().role.can_verify, citation=citation,
                               proposal=proposal, hits=hits)


@bp.get("/pages/<int:page_id>")
def edit(page_id: int) -> str:
    return _editor_page(page_id)


@bp.post("/pages/<int:page_id>")
def save_form(page_id: int) -> BaseResponse | tuple[str, int]:
    """Saving without the script; the script uses the JSON endpoint below."""
    text = _text(request.form.get("text"))
    try:
        _save(page_id, text=text, base_version=_int(request.form.get("base_version"), "base_version"),
              action=request.form.get("action"))
    except StaleVersion as exc:
        with database().session() as session:
            current = store.get_page(session, page_id).transcription.text
        conflict = {"mine": text, "message": str(exc), "diff": diff_words(current, text)}
        return _editor_page(page_id, conflict=conflict), 409
    return redirect(url_for("editor.edit", page_id=page_id))


@bp.post("/api/pages/<int:page_id>/text")
def save_json(page_id: int) -> Response | tuple[Response, int]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadInput("expected a JSON object with text and base_version")
    text = _text(body.get("text"))
    try:
        saved = _save(page_id, text=text, base_version=_int(body.get("base_version"), "base_version"),
                      action=body.get("action"))
    except StaleVersion as exc:
        with database().session() as session:
            current = store.get_page(session, page_id).transcription
            payload = {"error": str(exc), "current_version": current.version, "current_text": current.text,
                       "current_status": current.status.value, "diff": as_json(diff_words(current.text, text))}
        return jsonify(payload), 409
    return jsonify({"version": saved.version, "status": saved.status.value})


@bp.get("/api/pages/<int:page_id>")
def page_json(page_id: int) -> Response:
    """The page's text and its latest OCR layout, with boxes in the page image's pixels."""
    with database().session() as session:
        page = store.get_page(session, page_id)
        run = store.latest_run(session, page_id)
        lines = [] if run is None else [
            {"box": [ln.x0, ln.y0, ln.x1, ln.y1],
             "words": [{"text": w.text, "confidence": round(w.confidence, 1), "box": [w.x0, w.y0, w.x1, w.y1]}
                       for w in ln.words]}
            for block in run.blocks for ln in block.lines]
        t = page.transcription
        return jsonify({"id": page.id, "width": page.width, "height": page.height, "text": t.text,
                        "version": t.version, "status": t.status.value, "lines": lines,
                        "handwriting": bool(run and run.handwriting), "to_photo": page.transform,
                        "photo_size": [page.image.width, page.image.height],
                        "mean_confidence": None if run is None else run.mean_confidence})


@bp.post("/pages/<int:page_id>/citation")
def cite(page_id: int) -> BaseResponse:
    """The page's place in its file; an empty citation untags it."""
    text = (request.form.get("citation") or "").strip()
    citation = parse_citation(text)[0] if text else None
    with database().session(write=True) as session:
        tags.set_citation(session, store.get_page(session, page_id), citation)
    flash(f"Tagged as {format_citation(citation)}." if citation else "Tag removed.")
    return redirect(url_for("editor.edit", page_id=page_id))


@bp.get("/pages/<int:page_id>/history")
def history(page_id: int) -> str:
    with database().session() as session:
        page = store.get_page(session, page_id)
        revisions = store.revisions(session, page_id)
        newest = revisions[-1].version if revisions else 0
        a = _int(request.args.get("a", max(newest - 1, 1)), "a")
        b = _int(request.args.get("b", newest), "b")
        chunks = []
        if revisions:
            chunks = diff_words(store.revision(session, page_id, a).text, store.revision(session, page_id, b).text)
        return render_template("editor/history.html", page=page, revisions=revisions, a=a, b=b, chunks=chunks)


@bp.post("/pages/<int:page_id>/restore")
def restore(page_id: int) -> BaseResponse:
    version = _int(request.form.get("version"), "version")
    try:
        with database().session(write=True) as session:
            store.restore(session, page_id, version=version,
                          base_version=_int(request.form.get("base_version"), "base_version"), author=me().name)
    except StaleVersion as exc:
        flash(f"Not restored: {exc}. Look at the newest version first.")
        return redirect(url_for("editor.history", page_id=page_id))
    flash(f"Version {version} restored as a new version.")
    return redirect(url_for("editor.edit", page_id=page_id))


@bp.get("/next")
def next_page() -> BaseResponse:
    """The next page that needs work, after the one the transcriber is on."""
    after = request.args.get("after")
    with database().session() as session:
        target = store.next_needing_work(session, after=_int(after, "after") if after else None)
    if target is None:
        flash("No page needs work: every page is in review or verified.")
        return redirect(url_for("pages.index"))
    return redirect(url_for("editor.edit", page_id=target))
