"""Search across every transcription; each hit opens the page with the hits marked."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from workbench.search import Filters, search
from workbench.web import database
from workbench.web.pages import FILE_FIELDS, parse_status

bp = Blueprint("search", __name__)


@bp.get("/search")
def results() -> str:
    query = request.args.get("q", "").strip()
    status = parse_status(request.args.get("status"))
    fields = {name: request.args.get(name, "").strip() or None for name in FILE_FIELDS}
    hits = []
    if query:
        with database().session() as session:
            hits = search(session, query, filters=Filters(status=status.value if status else None, **fields),
                          limit=50)
    return render_template("search/results.html", query=query, hits=hits, fields=fields, status=status)
