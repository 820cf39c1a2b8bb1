"""JSON with all the data: text, status, citation, image, and the layout with every box."""

from __future__ import annotations

import json
from typing import Any

from workbench.export.model import ExportFile, ExportPage
from workbench.page import BBox
from workbench.page import Page as Layout

SCHEMA = "workbench-export/1"


def _box(box: BBox) -> list[int]:
    return [box.x0, box.y0, box.x1, box.y1]


def layout_data(layout: Layout | None) -> dict[str, Any] | None:
    if layout is None:
        return None
    return {"width": layout.width, "height": layout.height, "blocks": [
        {"bbox": _box(b.bbox), "lines": [
            {"bbox": _box(line.bbox), "text": line.text,
             "words": [{"text": w.text, "bbox": _box(w.bbox), "confidence": round(w.confidence, 2)}
                       for w in line.words]} for line in b.lines]} for b in layout.blocks]}


def page_data(page: ExportPage) -> dict[str, Any]:
    return {"name": page.name, "path": page.path, "page_id": page.page_id, "citation": page.citation,
            "citation_local": page.citation_local, "leaf": page.leaf, "status": page.status,
            "version": page.version, "updated": page.updated, "languages": page.languages,
            "photo": page.image_name, "page_image": page.page_image.replace("\\", "/").rsplit("/", 1)[-1]
            if page.page_image else None, "width": page.width, "height": page.height, "text": page.text,
            "layout": layout_data(page.layout)}


def json_bytes(data: dict[str, Any]) -> bytes:
    """UTF-8 JSON as every JSON the exports write it: Cyrillic as is, indented, ending in a newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class Json:
    name = "json"
    suffix = ".json"
    media_type = "application/json"
    label = "JSON (all the data)"

    def render_page(self, page: ExportPage) -> bytes:
        return json_bytes({"schema": SCHEMA, "page": page_data(page)})

    def render_file(self, file: ExportFile) -> bytes:
        return json_bytes({"schema": SCHEMA, "file": {
            "name": file.name, "citation": file.citation, "citation_local": file.citation_local,
            "archive": file.archive, "fond": file.fond, "opis": file.opis, "delo": file.delo, "title": file.title},
            "pages": [page_data(p) for p in file.pages]})
