"""The Tesseract wrapper: start-up checks and layout, with the real binary."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytesseract
import pytest
from PIL import Image

from tests.conftest import TEXTS, draw_page
from workbench.errors import MissingDependency
from workbench.metrics import cer
from workbench.ocr.tesseract import SAUVOLA, TesseractEngine

pytestmark = pytest.mark.ocr


def test_words_and_lines_come_with_boxes_and_confidences(tmp_path: Path) -> None:
    image = np.asarray(Image.open(draw_page(tmp_path / "p.png", TEXTS["protocol"])))
    page = TesseractEngine().recognize(image, languages="rus", timeout=60)
    assert cer(TEXTS["protocol"], page.text) < 0.05
    lines = list(page.lines())
    assert len(lines) == 3
    assert lines[0].bbox.y1 <= lines[1].bbox.y0  # in reading order, one above the next
    for word in page.words():
        assert 0 <= word.bbox.x0 < word.bbox.x1 <= page.width and 0 <= word.confidence <= 100
    assert page.mean_confidence is not None and page.mean_confidence > 80


def test_a_blank_page_is_an_empty_result_not_an_error() -> None:
    page = TesseractEngine().recognize(np.full((200, 300), 255, np.uint8), languages="rus", timeout=60)
    assert page.text == "" and page.mean_confidence is None


def test_a_missing_binary_is_an_actionable_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(MissingDependency, match="apt-get install tesseract-ocr"):
        TesseractEngine().check_languages("rus")


def test_sauvola_reads_ink_whose_strength_varies_where_one_threshold_cannot(tmp_path: Path) -> None:
    """The right part of every line is in faint ink (its darkest 165 of 255), as where a carbon copy's ink
    ran thin: Otsu's one threshold for the page, set by the black part, takes it for paper; Sauvola's local
    threshold reads it."""
    page = np.asarray(Image.open(draw_page(tmp_path / "p.png", TEXTS["protocol"]))).astype(np.float32)
    faint = 255 - (255 - page) * (255 - 165) / 255
    image = page.copy()
    image[:, page.shape[1] * 40 // 100:] = faint[:, page.shape[1] * 40 // 100:]
    image = image.astype(np.uint8)
    otsu = TesseractEngine().recognize(image, languages="rus", timeout=60)
    engine = TesseractEngine(thresholding=SAUVOLA)
    sauvola = engine.recognize(image, languages="rus", timeout=60)
    assert engine.params["thresholding_method"] == SAUVOLA and "thresholding_method" not in TesseractEngine().params
    assert cer(TEXTS["protocol"], sauvola.text) < 0.05 < cer(TEXTS["protocol"], otsu.text)


def test_tesseract_4_is_not_asked_for_a_threshold_it_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tesseract 4 ignores thresholding_method with a warning: the run must not claim it was used.
    (No Tesseract 4 on this machine, so its version is the one thing faked.)"""
    from workbench.ocr import EngineInfo

    engine = TesseractEngine(thresholding=SAUVOLA)
    monkeypatch.setattr(TesseractEngine, "info", lambda self: EngineInfo("tesseract", "4.1.1", ("rus",)))
    assert "thresholding_method" not in engine.params
