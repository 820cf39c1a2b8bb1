"""Adding photos from the browser: one request per photo (so each shows progress), then one OCR job."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from workbench.batch import BatchOptions
from workbench.errors import BadInput, NotFound
from workbench.jobs import get_job, start_ocr_job
from workbench.uploads import store_upload
from workbench.web import database, settings
from workbench.web.auth import me

bp = Blueprint("upload", __name__)


@bp.get("/upload")
def page() -> str:
    return render_template("upload/upload.html", limit_mb=settings().max_upload_mb)


@bp.post("/api/uploads")
def receive() -> tuple[Response, int]:
    photo = request.files.get("photo")
    if photo is None:
        raise BadInput("send the photo in a form field named photo")
    conf = settings()
    stored = store_upload(photo.stream, photo.filename or "", conf.upload_path, max_bytes=conf.max_upload_mb << 20)
    return jsonify({"sha256": stored.sha256, "name": stored.path.name}), 201


@bp.post("/api/jobs")
def start() -> tuple[Response, int]:
    body = request.get_json(silent=True)
    shas = body.get("photos") if isinstance(body, dict) else None
    if not isinstance(shas, list) or not shas or not all(isinstance(s, str) for s in shas):
        raise BadInput("expected {\"photos\": [sha256, ...]} of uploaded photos")
    conf = settings()
    paths = []
    for sha in shas:
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise BadInput(f"{sha[:80]!r} is not the sha256 of an upload")
        found = sorted((conf.upload_path / sha[:2] / sha[:12]).glob("*"))
        if not found:
            raise NotFound(f"no uploaded photo {sha[:12]}")
        paths.append(found[0])
    options = BatchOptions(languages=conf.languages, jobs=conf.jobs, timeout=conf.ocr_timeout,
                           derived_path=conf.derived_path.resolve(), tesseract=conf.tesseract or None)
    job_id = start_ocr_job(database(), paths, options, author=me().name)
    return jsonify({"job": job_id}), 202


@bp.get("/api/jobs/<int:job_id>")
def status(job_id: int) -> Response:
    with database().session() as session:
        job = get_job(session, job_id)
        return jsonify({"id": job.id, "state": job.state.value, "total": job.total, "done": job.done,
                        "failed": job.failed, "message": job.message})


@bp.get("/jobs")
def jobs() -> str:
    """Batches from the web and the queue, newest first, with their progress."""
    from sqlalchemy import select

    from workbench.db.models import Job

    with database().session() as session:
        rows = list(session.scalars(select(Job).order_by(Job.id.desc()).limit(50)))
        return render_template("upload/jobs.html", jobs=rows)
