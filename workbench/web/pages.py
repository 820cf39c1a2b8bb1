"""The list of pages, filtered by status."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from workbench.db.models import Status
from workbench.db.store import count_by_status, failed_images, list_pages
from workbench.db.tags import format_page_citation
from workbench.errors import BadInput
from workbench.web import database

bp = Blueprint("pages", __name__)
FILE_FIELDS = ("archive", "fond", "opis", "delo")


def parse_status(raw: str | None) -> Status | None:
    if not raw:
        return None
    try:
        return Status(raw)
    except ValueError:
        raise BadInput(f"unknown status {raw!r}; known: {', '.join(s.value for s in Status)}") from None


@bp.get("/")
def index() -> str:
    status = parse_status(request.args.get("status"))
    file = {name: request.args.get(name, "").strip() for name in FILE_FIELDS}
    by_citation = request.args.get("sort") == "citation"
    with database().session() as session:
        pages = list_pages(session, status=status, file=file, by_citation=by_citation)
        counts = count_by_status(session)
        failed = failed_images(session)
        return render_template("pages/index.html", pages=pages, counts=counts, statuses=list(Status),
                               current=status, failed=failed, file=file, by_citation=by_citation,
                               cite=format_page_citation,
                               keep={k: v for k, v in request.args.items() if k != "status" and v})
