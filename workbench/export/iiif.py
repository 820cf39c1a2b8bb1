"""IIIF Presentation 3: a canvas per page with its image, and the transcription as one supplementing
annotation per line, targeting the line's region (``#xywh=``) in the page image's pixels."""

from __future__ import annotations

import json
from typing import Any

from workbench.export.jsondata import json_bytes
from workbench.export.model import ExportFile, ExportPage

FALLBACK_BASE = "https://workbench.invalid"


def base_of(page: ExportPage) -> str:
    """Where the workbench serves, taken from the page image's address."""
    if "/files/" in page.image_url:
        return page.image_url.split("/files/", 1)[0]
    return FALLBACK_BASE


def canvas_id(page: ExportPage) -> str:
    return f"{base_of(page)}/iiif/{page.path}/canvas"


def _canvas(manifest: Any, page: ExportPage) -> None:
    from iiif_prezi3 import Annotation, AnnotationPage

    cid = canvas_id(page)
    width, height = max(page.width, 1), max(page.height, 1)
    canvas = manifest.make_canvas(id=cid, label={"none": [page.leaf or page.name]}, width=width, height=height)
    if page.citation:
        canvas.metadata = [{"label": {"en": ["Citation"]}, "value": {"none": [page.citation]}}]
    image = page.image_url or f"{base_of(page)}/iiif/{page.path}.jpg"
    canvas.add_image(image_url=image, anno_page_id=f"{cid}/page", anno_id=f"{cid}/image", format="image/jpeg",
                     width=width, height=height)
    annotations = AnnotationPage(id=f"{cid}/transcription")
    for n, line in enumerate(page.layout.lines() if page.layout else [], start=1):
        box = line.bbox
        annotations.add_item(Annotation(
            id=f"{cid}/line/{n}", motivation="supplementing",
            body={"type": "TextualBody", "value": line.text, "format": "text/plain", "language": page.lang},
            target=f"{cid}#xywh={box.x0},{box.y0},{box.width},{box.height}"))
    canvas.annotations = [annotations]


def _manifest(mid: str, label: str, pages: list[ExportPage], summary: str = "") -> bytes:
    from iiif_prezi3 import Manifest

    manifest = Manifest(id=mid, label={"none": [label]})
    if summary:
        manifest.summary = {"none": [summary]}
    for page in pages:
        _canvas(manifest, page)
    data = json.loads(manifest.json())
    return json_bytes(data)


class Iiif:
    name = "iiif"
    suffix = ".iiif.json"
    media_type = "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\""
    label = "IIIF Presentation 3 manifest"

    def render_page(self, page: ExportPage) -> bytes:
        return _manifest(f"{base_of(page)}/iiif/{page.path}/manifest.json", page.title, [page])

    def render_file(self, file: ExportFile) -> bytes:
        base = base_of(file.pages[0]) if file.pages else FALLBACK_BASE
        return _manifest(f"{base}/iiif/{file.name}/manifest.json", file.citation, file.pages, file.title)
