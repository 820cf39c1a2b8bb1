"""A page whose text Tesseract's layout analysis partly took for a picture is read again as one block."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.test_imaging import TEXT, render
from workbench.metrics import cer
from workbench.ocr.reading import read_page, unread_ink
from workbench.page import BBox, Block, Line, Page, Word


def stamped_page() -> np.ndarray:
    """Typescript with a round stamp pressed over its upper lines, in grey as the pipeline hands it on."""
    page = render(TEXT * 2, size=26, width=1700)
    cv2.circle(page, (700, 300), 160, 110, 10)
    cv2.putText(page, "N 17", (620, 320), cv2.FONT_HERSHEY_SIMPLEX, 2.5, 110, 6)
    return page


def test_unread_ink_is_the_share_of_letters_outside_every_word_box() -> None:
    page = render(TEXT, size=26, width=1700)
    rows = np.flatnonzero((page < 128).any(axis=1))
    middle = int(rows[0] + (rows[-1] - rows[0]) / 2)
    top_half = BBox(0, 0, page.shape[1], middle)
    layout = Page(page.shape[1], page.shape[0], [Block(top_half, [Line(top_half, [Word("x", top_half, 90.0)])])])
    assert 0.35 < unread_ink(layout, page) < 0.65
    everything = BBox(0, 0, page.shape[1], page.shape[0])
    whole = Page(page.shape[1], page.shape[0], [Block(everything, [Line(everything, [Word("x", everything, 90.0)])])])
    assert unread_ink(whole, page) == 0.0
    assert unread_ink(Page(10, 10, []), np.full((10, 10), 255, np.uint8)) == 0.0


@pytest.mark.ocr
def test_a_page_half_lost_around_a_stamp_is_read_again_as_one_block() -> None:
    from workbench.ocr.tesseract import TesseractEngine

    engine = TesseractEngine()
    page = stamped_page()
    first = engine.recognize(page, languages="rus", timeout=120, psm=4)
    assert cer(TEXT * 2, first.text) > 0.2  # the fault itself, as Tesseract 5 has it
    layout = read_page(engine, page, languages="rus", timeout=120, psm=4)
    assert cer(TEXT * 2, layout.text) < 0.08
    look = next(step for step in layout.steps if step.name == "second-look")
    assert look.params["kept"] and look.params["unread"] > 0.2 > look.params["unread_as_block"]


@pytest.mark.ocr
def test_a_page_read_whole_gets_no_second_look() -> None:
    from workbench.ocr.tesseract import TesseractEngine

    layout = read_page(TesseractEngine(), render(TEXT, size=26, width=1700), languages="rus", timeout=120, psm=4)
    assert cer(TEXT, layout.text) < 0.03
    assert not [step for step in layout.steps if step.name == "second-look"]
