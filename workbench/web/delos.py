"""Files (delos): tagging runs of photos, each file's leaves in order, completion, near-duplicates."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from workbench.archive.citation import format_citation, format_side, parse_citation
from workbench.db import store, tags
from workbench.db.models import ImageState, Page, SourceImage
from workbench.errors import BadInput
from workbench.web import database

bp = Blueprint("delos", __name__, url_prefix="/delos")


@bp.get("/")
def index() -> str:
    with database().session() as session:
        files, fonds = tags.completion(session)
        return render_template("delos/index.html", files=files, fonds=fonds)


@bp.get("/<int:delo_id>")
def view(delo_id: int) -> str:
    with database().session() as session:
        file = tags.file_view(session, delo_id)
        confidence = {p.id: (run.mean_confidence if (run := store.latest_run(session, p.id, with_layout=False))
                             else None) for p in file.pages}
        return render_template("delos/view.html", file=file, confidence=confidence, side=tags.first_side,
                               format_side=format_side, title=format_citation(file.citation))


@bp.post("/<int:delo_id>")
def describe(delo_id: int) -> BaseResponse:
    """The file's title and dates, as the finding aid gives them."""
    with database().session(write=True) as session:
        delo = tags.file_view(session, delo_id).delo
        delo.title = (request.form.get("title") or "").strip()[:2000] or None
        delo.dates = (request.form.get("dates") or "").strip()[:80] or None
    return redirect(url_for("delos.view", delo_id=delo_id))


@bp.post("/keep/<int:page_id>")
def keep(page_id: int) -> BaseResponse:
    """Of the photos of one side, keep this one; the others become its retakes."""
    with database().session(write=True) as session:
        tags.choose_retake(session, page_id)
        delo_id = store.get_page(session, page_id).delo_id
    return redirect(url_for("delos.view", delo_id=delo_id))


@bp.route("/tag", methods=["GET", "POST"])
def tag() -> str | BaseResponse:
    """Tag a run of photos in capture order: choose the first and the last, give the first one's leaf."""
    with database().session(write=True) as session:
        images = tags.photos_in_capture_order(session, session.scalars(
            select(SourceImage).where(SourceImage.state == ImageState.DONE)
            .options(selectinload(SourceImage.pages).selectinload(Page.delo_row))))
        if request.method == "POST":
            chosen = set(request.form.getlist("image", type=int))
            run = [i for i in images if i.id in chosen]
            if not run:
                raise BadInput("choose the photos to tag")
            citation, style = parse_citation(request.form.get("citation", ""))
            step = request.form.get("step", "leaf")
            if step not in ("leaf", "side"):
                raise BadInput("step is leaf or side")
            done = tags.tag_run(session, run, citation, step)  # type: ignore[arg-type]
            flash(f"Tagged {len(done)} page(s): {format_side(done[0].side, style)} to "
                  f"{format_side(done[-1].side, style)}.")
            return redirect(url_for("delos.view", delo_id=done[0].page.delo_id))
        return render_template("delos/tag.html", images=images, format_page=tags.format_page_citation)


@bp.get("/duplicates")
def duplicates() -> str:
    with database().session() as session:
        pairs = tags.near_duplicates(session)
        return render_template("delos/duplicates.html", pairs=pairs, format_page=tags.format_page_citation)


@bp.post("/duplicates")
def mark_retake() -> BaseResponse:
    page_id = request.form.get("page", type=int)
    of = request.form.get("of", type=int)
    if page_id is None or of is None:
        raise BadInput("page and of are needed")
    with database().session(write=True) as session:
        tags.mark_retake(session, page_id, of=of)
    flash("Marked as a retake; the photo to keep has the same leaf.")
    return redirect(url_for("delos.duplicates"))
