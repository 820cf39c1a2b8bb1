"""Import of ALTO, PAGE and hOCR from other tools: a layer with boxes on the matching page."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.conftest import invoke
from tests.test_export_support import sample_pages, store_sample
from workbench.db.models import RevisionSource
from workbench.db.store import get_page, latest_run, revisions
from workbench.export import get_format
from workbench.export.source import run_layout

HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta name="ocr-system" content="tesseract 5.3.0"/></head><body>
<div class="ocr_page" id="page_1" title='image "IMG_0414.jpg"; bbox 0 0 1600 2200; ppageno 0'>
 <div class="ocr_carea" id="block_1_1" title="bbox 100 100 700 180">
  <p class="ocr_par" id="par_1_1" lang="rus" title="bbox 100 100 700 180">
   <span class="ocr_line" id="line_1_1" title="bbox 100 100 700 180; baseline 0 -10">
    <span class="ocrx_word" id="word_1_1" title="bbox 100 100 380 180; x_wconf 88">Черновик</span>
    <span class="ocrx_word" id="word_1_2" title="bbox 420 100 700 180; x_wconf 71">письма</span>
   </span>
  </p>
 </div>
</div></body></html>
"""


def test_alto_from_another_tool_becomes_the_text_of_an_unedited_page(runner, settings, db, tmp_path: Path) -> None:
    ids = store_sample(db, settings.derived_path, tmp_path / "photos")
    page = replace(sample_pages().pages[1], image_path="/elsewhere/IMG_0414.jpg")
    alto = tmp_path / "transkribus.xml"
    alto.write_bytes(get_format("alto").render_page(page))  # type: ignore[arg-type]
    result = invoke(runner, settings, "import", str(alto))
    assert result.exit_code == 0, result.output
    assert f"alto layer with 2 line(s) on page {ids[2]}" in result.output
    with db.session() as session:
        stored = get_page(session, ids[2])
        assert stored.transcription.text == "Секретарь Лутовинов\n«Южбюро» № 5 & <копия>"
        assert revisions(session, ids[2])[-1].source is RevisionSource.OCR
        run = latest_run(session, ids[2])
        assert run is not None and run.engine == "import:alto"
        layout = run_layout(run, width=800, height=1100)
        assert page.layout is not None and layout is not None
        assert [(w.text, w.bbox) for w in layout.words()] == [(w.text, w.bbox) for w in page.layout.words()]


def test_a_persons_text_is_kept_and_the_layer_stored_beside_it(runner, settings, db, tmp_path: Path) -> None:
    ids = store_sample(db, settings.derived_path, tmp_path / "photos")
    xml = tmp_path / "other.page.xml"
    xml.write_bytes(get_format("page").render_page(sample_pages().pages[1]))  # type: ignore[arg-type]
    result = invoke(runner, settings, "import", str(xml), "--page", str(ids[0]))
    assert result.exit_code == 0 and "a person's text kept" in result.output
    with db.session() as session:
        assert "[[?Шляпникова]]" in get_page(session, ids[0]).transcription.text
        assert latest_run(session, ids[0]).engine == "import:page"  # type: ignore[union-attr]


def test_page_round_trip_through_the_store(runner, settings, db, tmp_path: Path) -> None:
    ids = store_sample(db, settings.derived_path, tmp_path / "photos")
    out = tmp_path / "out"
    assert invoke(runner, settings, "export", "--format", "page", "--out", str(out)).exit_code == 0
    exported = (out / "TsDAHO_f1_op1_d42" / "l0061.page.xml").read_bytes()
    with db.session() as session:
        before = run_layout(latest_run(session, ids[0]), width=800, height=1100)
    result = invoke(runner, settings, "import", str(out / "TsDAHO_f1_op1_d42" / "l0061.page.xml"))
    assert result.exit_code == 0, result.output
    with db.session() as session:
        after = run_layout(latest_run(session, ids[0]), width=800, height=1100)
    from workbench.export.read import read_page

    assert before is not None and after is not None
    assert [ln.bbox for ln in after.lines()] == [ln.bbox for ln in read_page(exported)[0].layout.lines()]
    assert [ln.bbox for ln in after.lines()] == [ln.bbox for ln in before.lines()]


def test_tesseract_hocr_is_scaled_to_the_page(runner, settings, db, tmp_path: Path) -> None:
    ids = store_sample(db, settings.derived_path, tmp_path / "photos")
    hocr = tmp_path / "IMG_0414.hocr"
    hocr.write_text(HOCR, encoding="utf-8")
    result = invoke(runner, settings, "import", str(hocr))
    assert result.exit_code == 0, result.output
    with db.session() as session:
        assert get_page(session, ids[2]).transcription.text == "Черновик письма"
        run = latest_run(session, ids[2])
        assert run is not None and run.engine == "import:hocr" and run.engine_version == "tesseract 5.3.0"
        word = run.blocks[0].lines[0].words[1]
        assert (word.x0, word.y0, word.x1, word.y1, word.confidence) == (210, 50, 350, 90, 71.0)  # half size


def test_unknown_pages_and_broken_files_are_clear_errors(runner, settings, db, tmp_path: Path) -> None:
    store_sample(db, settings.derived_path, tmp_path / "photos")
    stranger = tmp_path / "stranger.hocr"
    stranger.write_text(HOCR.replace("IMG_0414", "IMG_9999"), encoding="utf-8")
    result = invoke(runner, settings, "import", str(stranger))
    assert result.exit_code == 2 and "no page matches the image 'IMG_9999.jpg'" in result.output
    broken = tmp_path / "broken.xml"
    broken.write_text('<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout>', encoding="utf-8")
    result = invoke(runner, settings, "import", str(broken))
    assert result.exit_code == 2 and "not well-formed XML" in result.output
    result = invoke(runner, settings, "import", str(stranger), "--page", "999")
    assert result.exit_code == 2 and "no page 999" in result.output
