"""DOCX for translators, and the IIIF Presentation 3 manifest with the transcription as annotations."""

from __future__ import annotations

import io
import json
import zipfile

from docx import Document
from iiif_prezi3 import Manifest

from tests.test_export_support import check_golden, sample_pages
from workbench.export import get_format


def docx_outline(payload: bytes) -> str:
    """The document as style and text per paragraph, italics in _underscores_: what the golden file keeps."""
    document = Document(io.BytesIO(payload))
    out = []
    for paragraph in document.paragraphs:
        text = "".join(f"_{r.text}_" if r.italic else r.text for r in paragraph.runs)
        out.append(f"[{paragraph.style.name}] {text}")
    props = document.core_properties
    out.append(f"title={props.title} language={props.language} created={props.created.isoformat()}")
    return "\n".join(out) + "\n"


def test_docx_has_citations_and_marks_for_the_translator() -> None:
    file = sample_pages()
    fmt = get_format("docx")
    whole = docx_outline(fmt.render_file(file))  # type: ignore[arg-type]
    check_golden("file.docx.txt", whole)
    check_golden("page.docx.txt", docx_outline(fmt.render_page(file.pages[0])))  # type: ignore[arg-type]
    assert "[Title] TsDAHO f. 1, op. 1, d. 42" in whole
    assert "[Heading 1] TsDAHO f. 1, op. 1, d. 42, l. 61 ob." in whole
    assert "т. _Шляпникова_ [?]" in whole and "принять _[…]_ к сведению." in whole
    assert fmt.render_file(file) == fmt.render_file(file)  # stable bytes: no clock in it


def test_docx_parts_are_dated_by_the_transcription_not_the_clock() -> None:
    """Two exports of the same pages a second apart are the same file (the zip members carried the clock)."""
    file = sample_pages()
    payload = get_format("docx").render_file(file)
    assert payload is not None
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        dates = {member.date_time for member in archive.infolist()}
    assert dates == {(2024, 5, 1, 12, 0, 0)}


def test_iiif_manifest_points_annotations_at_the_line_regions() -> None:
    file = sample_pages()
    payload = get_format("iiif").render_file(file)
    assert payload is not None
    check_golden("file.iiif.json", payload)
    check_golden("page.iiif.json", get_format("iiif").render_page(file.pages[0]))  # type: ignore[arg-type]
    data = json.loads(payload)
    manifest = Manifest(**data)  # the IIIF library reads it back
    assert manifest.label == {"none": ["TsDAHO f. 1, op. 1, d. 42"]}
    assert len(manifest.items) == 2
    for canvas, page in zip(data["items"], file.pages, strict=True):
        assert (canvas["width"], canvas["height"]) == (page.width, page.height)
        painting = canvas["items"][0]["items"][0]
        assert painting["motivation"] == "painting" and painting["body"]["id"] == page.image_url
        assert painting["target"] == canvas["id"]
        annotations = canvas["annotations"][0]["items"]
        assert page.layout is not None
        lines = list(page.layout.lines())
        assert [a["body"]["value"] for a in annotations] == [ln.text for ln in lines]
        for annotation, line in zip(annotations, lines, strict=True):
            assert annotation["motivation"] == "supplementing"
            target, region = annotation["target"].split("#xywh=")
            assert target == canvas["id"]
            x, y, w, h = map(int, region.split(","))
            assert (x, y, x + w, y + h) == (line.bbox.x0, line.bbox.y0, line.bbox.x1, line.bbox.y1)
            assert 0 <= x and x + w <= canvas["width"] and 0 <= y and y + h <= canvas["height"]
