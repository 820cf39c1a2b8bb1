"""Letter-spaced headings (П Р И К А З): Tesseract reads one word; the page gets the letters back apart."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_imaging import TEXT, render
from workbench.ocr.spacing import space_letters, space_signs
from workbench.page import BBox, Block, Line, Page, Word


def _drawn(image: np.ndarray, x: int, letters: int, cell: int, gap: int) -> BBox:
    """Black letter-sized blocks from ``x``, ``cell`` wide with ``gap`` of paper between them."""
    for i in range(letters):
        left = x + i * (cell + gap)
        image[40:70, left:left + cell] = 0
    return BBox(x, 40, x + letters * cell + (letters - 1) * gap, 70)


def test_a_word_with_its_letters_a_cell_apart_is_split_and_a_widened_box_is_not() -> None:
    image = np.full((120, 3000), 255, np.uint8)
    # words far apart, as in a table's columns: the space between words is not taken from such gaps
    words = [Word("слово", _drawn(image, 20 + 200 * i, 5, 18, 3), 90.0) for i in range(12)]
    spaced = Word("ПРИКАЗ", _drawn(image, 2450, 6, 20, 20), 90.0)
    # a word of ordinary letters whose box a pencil stroke far to its right widened as much
    widened = Word("мела", BBox(2000, 40, 2000 + 4 * 21 + 140, 70), 90.0)
    _drawn(image, 2000, 4, 18, 3)
    image[40:70, 2000 + 4 * 21 + 120:2000 + 4 * 21 + 140] = 0
    box = BBox(0, 0, 3000, 120)
    page = space_letters(Page(3000, 120, [Block(box, [Line(box, [*words, widened, spaced])])]), image)
    line = page.blocks[0].lines[0]
    assert line.text.endswith("мела П Р И К А З")
    letters = line.words[-6:]
    assert [w.bbox.x0 for w in letters] == [2450 + 40 * i for i in range(6)]  # each on its own letter
    assert page.steps[-1].name == "letter-spacing" and page.steps[-1].params["words"] == ["ПРИКАЗ"]


def test_print_capitals_spaced_a_word_space_apart_are_split_and_capitals_set_close_are_not() -> None:
    # a print font: capitals a third wider than small letters, spaced by about a word space, one pair run
    # together by blur (1000/rot90-003); an abbreviation of capitals as wide, half a space apart, stays a word
    image = np.full((120, 3000), 255, np.uint8)
    words = [Word("слово", _drawn(image, 20 + 120 * i, 5, 18, 3), 90.0) for i in range(12)]  # 18 px spaces
    spaced = Word("ПРИКАЗ", BBox(2450, 40, 2450 + 6 * 24 + 4 * 12, 70), 90.0)
    for left, width in [(2450, 24), (2486, 24), (2522, 24), (2558, 48), (2618, 24)]:  # К and А touch
        image[40:70, left:left + width] = 0
    close = Word("ВЦСПС", _drawn(image, 1600, 5, 24, 9), 90.0)  # half a space apart
    box = BBox(0, 0, 3000, 120)
    page = space_letters(Page(3000, 120, [Block(box, [Line(box, [*words, close, spaced])])]), image)
    assert page.blocks[0].lines[0].text.endswith("слово ВЦСПС П Р И К А З")
    assert page.steps[-1].params["words"] == ["ПРИКАЗ"]


def test_a_page_of_few_words_is_left_as_read() -> None:
    image = np.full((120, 800), 255, np.uint8)
    box = BBox(0, 0, 800, 120)
    page = Page(800, 120, [Block(box, [Line(box, [Word("ПРИКАЗ", _drawn(image, 20, 6, 20, 20), 90.0)])])])
    assert space_letters(page, image).text == "ПРИКАЗ"


def test_a_sign_read_run_into_its_number_is_split_where_the_image_shows_a_space() -> None:
    image = np.full((120, 3000), 255, np.uint8)
    words = [Word("слово", _drawn(image, 20 + 120 * i, 5, 18, 3), 90.0) for i in range(12)]  # 18 px spaces
    typed = Word("№37", _drawn(image, 1600, 1, 24, 0), 90.0)  # the sign, then a space, then two digits
    _drawn(image, 1640, 2, 18, 3)
    typed.bbox = BBox(1600, 40, 1640 + 2 * 18 + 3, 70)
    close = Word("№5", _drawn(image, 1800, 2, 20, 3), 90.0)  # set close: one word as typed
    image[60:64, 1858:1862] = 0  # and a speck beyond it, inside its box: a gap, but not after the sign
    close.bbox = BBox(1800, 40, 1862, 70)
    letters = Word("А37", BBox(2000, 40, 2063, 70), 90.0)  # no sign: left as read, however spaced
    _drawn(image, 2000, 1, 20, 0)
    _drawn(image, 2040, 1, 23, 0)
    box = BBox(0, 0, 3000, 120)
    page = space_signs(Page(3000, 120, [Block(box, [Line(box, [*words, typed, close, letters])])]), image)
    line = page.blocks[0].lines[0]
    assert line.text.endswith("слово № 37 №5 А37")
    sign, number = line.words[12:14]
    assert (sign.bbox.x0, sign.bbox.x1, number.bbox.x0, number.bbox.x1) == (1600, 1624, 1640, 1679)
    assert page.steps[-1].name == "sign-spacing" and page.steps[-1].params["words"] == ["№37"]


@pytest.mark.ocr
def test_a_typed_letter_spaced_heading_is_read_letter_by_letter() -> None:
    from workbench.ocr.quality import settle
    from workbench.ocr.reading import read_page
    from workbench.ocr.tesseract import TesseractEngine

    page = render("П Р И К А З\n" + TEXT, size=30, width=1700)
    read, _ = settle(read_page(TesseractEngine(), page, languages="rus", timeout=120, psm=4), page)
    assert read.text.splitlines()[0] == "П Р И К А З", read.text
    assert "Протокол заседания президиума" in read.text
