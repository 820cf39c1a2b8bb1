"""A page whose text Tesseract's layout analysis partly took for a picture is read again as one block."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.test_imaging import TEXT, render
from workbench.metrics import cer
from workbench.ocr.reading import as_one_column, read_page, unread_ink
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


def _line(text: str, x0: int, y0: int, x1: int, y1: int) -> Line:
    words = text.split()
    step = (x1 - x0) // len(words)
    return Line(BBox(x0, y0, x1, y1), [Word(w, BBox(x0 + i * step, y0, x0 + (i + 1) * step - 5, y1), 90.0)
                                       for i, w in enumerate(words)])


def _block(*lines: Line) -> Block:
    return Block(BBox.enclosing([line.bbox for line in lines]), list(lines))


def test_rows_cut_in_two_by_a_picture_region_are_joined_left_to_right() -> None:
    # Tesseract read the lines left of a stamp as one block and the rest of those lines as the next
    left = _block(_line("Участившиеся случаи", 100, 400, 600, 440),
                  _line("предупредить начальников", 100, 460, 650, 500))
    right = _block(_line("хищения грузов", 900, 402, 1400, 442), _line("станций что впредь", 880, 458, 1500, 498))
    below = _block(_line("Объявляю благодарность", 100, 600, 900, 640))
    page = as_one_column(Page(1600, 800, [left, right, below]))
    assert page.text == ("Участившиеся случаи хищения грузов\nпредупредить начальников станций что впредь"
                         "\n\nОбъявляю благодарность")
    assert len(page.blocks) == 2
    assert page.blocks[0].bbox == BBox(100, 400, 1500, 500)
    assert page.steps[-1].params == {"rows_joined": 2, "blocks_put_between": 0, "blocks_moved": 0}


def test_a_row_s_right_piece_that_lies_higher_joins_the_line_it_overlaps_more() -> None:
    # 62000/curl-038: the dewarp left the row's right-hand end higher than its start, a block of its own
    left = _block(_line("или только работающих.", 100, 400, 900, 440),
                  _line("получили два разных указания", 100, 460, 1000, 500))
    right = _block(_line("от Вас и от ЦК союза", 1050, 436, 1600, 476))  # over 0.4 of the second, 0.1 of the first
    page = as_one_column(Page(1700, 800, [right, left]))
    assert page.text == "или только работающих.\nполучили два разных указания от Вас и от ЦК союза"
    # lines set closer: the piece overlaps both by more than MIN_ROW_OVERLAP, the second more (0.4 to 0.35)
    left = _block(_line("Председатель губпрофсовета", 100, 400, 900, 440), _line("Секретарь", 100, 450, 500, 490))
    right = _block(_line("Т. Кравец", 1050, 426, 1400, 466))
    assert as_one_column(Page(1700, 800, [left, right])).text == ("Председатель губпрофсовета\n"
                                                                "Секретарь Т. Кравец")


def test_blocks_of_one_column_are_read_top_to_bottom() -> None:
    title = _block(_line("ДОКЛАДНАЯ ЗАПИСКА", 500, 200, 900, 240))
    address = _block(_line("В ЦЕНТРАЛЬНЫЙ КОМИТЕТ", 300, 100, 1200, 140))
    page = as_one_column(Page(1600, 800, [title, address]))
    assert page.text == "В ЦЕНТРАЛЬНЫЙ КОМИТЕТ\n\nДОКЛАДНАЯ ЗАПИСКА"
    assert page.steps[-1].params == {"rows_joined": 0, "blocks_put_between": 0, "blocks_moved": 2}


def test_a_mark_beside_a_line_does_not_take_the_line_out_of_its_paragraph() -> None:
    # 1000/pencil-032: a pencil tick in the margin, a block of its own, on the row of a paragraph's line
    paragraph = _block(_line("Одновременно просим разъяснить", 320, 1057, 2100, 1102),
                       _line("безработных членов союза", 325, 1125, 2030, 1169),
                       _line("или только работающих", 328, 1198, 1950, 1243))
    tick = _block(_line("`/", 108, 1150, 137, 1175))
    page = as_one_column(Page(2200, 2000, [tick, paragraph]))
    assert page.text == "Одновременно просим разъяснить\n`/ безработных членов союза\nили только работающих"


def test_a_line_tesseract_made_a_block_of_its_own_goes_back_among_its_paragraph_s_lines() -> None:
    # 51000/stamp-028: a stamp over a line; the line came out as a block after the paragraph it lies in
    paragraph = _block(_line("бумаги и керосина", 317, 657, 1130, 701), _line("Н", 863, 748, 872, 759),
                       _line("побывала в четырёх волостях.", 316, 774, 909, 814),
                       _line("4. Снабжение.", 316, 833, 2098, 878))
    line = _block(_line("3. Внешкольная работа.", 317, 717, 2013, 761))
    signature = _block(_line("Заведующий уоно", 318, 1125, 1129, 1166))
    page = as_one_column(Page(2400, 1400, [paragraph, line, signature]))
    assert page.text == ("бумаги и керосина\n3. Внешкольная работа.\nН\nпобывала в четырёх волостях.\n4. Снабжение."
                         "\n\nЗаведующий уоно")
    assert page.steps[-1].params == {"rows_joined": 0, "blocks_put_between": 1, "blocks_moved": 0}


def test_a_column_in_order_is_left_as_it_is() -> None:
    # lines of one block above and below each other, and a short line beside a taller one it barely touches
    first = _block(_line("Приказ № 37", 100, 100, 500, 140), _line("по Управлению дороги", 100, 160, 800, 200))
    second = _block(_line("Начальник дороги", 100, 300, 600, 340))
    signature = _block(_line("Лазарев", 900, 336, 1200, 376))
    page = Page(1600, 800, [first, second, signature])
    assert as_one_column(page) is page


@pytest.mark.ocr
def test_a_line_the_layout_skipped_is_read_on_its_own_and_put_in_its_place() -> None:
    """Tesseract now and then leaves out one whole line (a pencil stroke touching it); its ink, unread and as
    long and high as a line, is read alone and goes back between its neighbours. The skip is made here by
    taking the line out of a real reading."""
    from workbench.ocr.reading import _read_missed_lines, missed_lines
    from workbench.ocr.tesseract import TesseractEngine

    engine = TesseractEngine()
    page = render(TEXT, size=26, width=1700)
    layout = engine.recognize(page, languages="rus", timeout=120, psm=4)
    lines = [line for line in layout.lines() if line.words]
    assert len(lines) >= 3
    skipped = lines[1]
    for block in layout.blocks:
        block.lines = [line for line in block.lines if line is not skipped]
    boxes = missed_lines(layout, page)
    assert len(boxes) == 1 and abs(boxes[0].y0 - skipped.bbox.y0) < skipped.bbox.height
    mended = _read_missed_lines(engine, layout, page, languages="rus", timeout=120)
    texts = [" ".join(w.text for w in line.words) for line in mended.lines() if line.words]
    assert cer(" ".join(w.text for w in skipped.words), texts[1]) < 0.05  # between its neighbours again
    assert mended.steps[-1].name == "missed-lines"
    whole = engine.recognize(page, languages="rus", timeout=120, psm=4)
    assert missed_lines(whole, page) == []  # a page read whole has no line to add


@pytest.mark.ocr
def test_a_tall_unsure_word_over_a_stamp_does_not_hide_the_line_below_it() -> None:
    """Over a stamp's rim Tesseract draws a word box two lines high, at low confidence, and leaves out the
    line its box covers; such a box does not count as reading that ink, so the line is found and read. A
    sure box as high is taken at its word."""
    from workbench.ocr.reading import _read_missed_lines, missed_lines
    from workbench.ocr.tesseract import TesseractEngine

    engine = TesseractEngine()
    page = render(TEXT, size=26, width=1700)
    layout = engine.recognize(page, languages="rus", timeout=120, psm=4)
    lines = [line for line in layout.lines() if line.words]
    above, skipped = lines[0], lines[1]
    for block in layout.blocks:
        block.lines = [line for line in block.lines if line is not skipped]
    last = above.words[-1]
    tall = BBox(last.bbox.x0, last.bbox.y0, last.bbox.x1, skipped.bbox.y1)
    cover = BBox(skipped.bbox.x0, skipped.bbox.y0, skipped.bbox.x1, skipped.bbox.y1)
    above.words.append(Word("задё", BBox.enclosing([tall, cover]), 24.0))
    boxes = missed_lines(layout, page)
    assert len(boxes) == 1 and abs(boxes[0].y0 - skipped.bbox.y0) < skipped.bbox.height
    mended = _read_missed_lines(engine, layout, page, languages="rus", timeout=120)
    assert cer(" ".join(w.text for w in skipped.words), mended.steps[-1].params["added"][0]["text"]) < 0.05
    above.words[-1].confidence = 90.0
    assert missed_lines(layout, page) == []


@pytest.mark.ocr
def test_a_word_read_together_with_the_one_below_it_is_read_again_within_its_line() -> None:
    """Where tight lines' strokes touch, Tesseract now and then draws one word's box down over the word below
    and reads the two as a scrap it doubts (85000/blur-042: "Губпрофсовет" as "а" at 29, its box 80 px high
    among 33); read again between its line's top and bottom, the word comes back. A sure word is left as read."""
    from workbench.ocr.reading import _read_garbled_words
    from workbench.ocr.tesseract import TesseractEngine

    engine = TesseractEngine()
    page = render(TEXT, size=26, width=1700)
    layout = engine.recognize(page, languages="rus", timeout=120, psm=4)
    lines = [line for line in layout.lines() if len(line.words) >= 4]
    line, below = lines[0], lines[1]
    word = line.words[1]
    original = word.text
    word.text, word.confidence = "а", 29.0
    word.bbox = BBox(word.bbox.x0, word.bbox.y0, word.bbox.x1, below.bbox.y1)  # down over the line below
    mended = _read_garbled_words(engine, layout, page, languages="rus", timeout=120)
    assert cer(original, line.words[1].text) < 0.2 and line.words[1].confidence > 60
    assert line.words[1].bbox.y1 < below.bbox.y0 + below.bbox.height // 2  # within its own line now
    step = mended.steps[-1]
    assert step.name == "garbled-words" and step.params["replaced"][0]["was"] == "а"

    again = engine.recognize(page, languages="rus", timeout=120, psm=4)
    sure = [line for line in again.lines() if len(line.words) >= 4][0].words[1]
    sure.bbox = BBox(sure.bbox.x0, sure.bbox.y0, sure.bbox.x1, sure.bbox.y1 + 60)
    sure.text = "ыыы"  # what a sure reading says stays, however tall its box
    assert not [s for s in _read_garbled_words(engine, again, page, languages="rus", timeout=120).steps
                if s.name == "garbled-words"]
    assert sure.text == "ыыы"


@pytest.mark.ocr
def test_a_narrow_word_is_read_again_on_paper_wide_enough_for_tesseract(caplog: pytest.LogCaptureFixture) -> None:
    """Tesseract's Sauvola thresholding fails on a crop narrower than 8 px ("whsize must be >= 2"): a word
    squeezed between its neighbours is widened with paper and read; where Tesseract still fails (a crop a
    few pixels each way) nothing is read again and the page's own reading stands."""
    from workbench.ocr.reading import _read_alone
    from workbench.ocr.tesseract import SAUVOLA, TesseractEngine

    engine = TesseractEngine(thresholding=SAUVOLA)  # as the batch reads a prepared page
    page = render(TEXT, size=26, width=1700)
    layout = engine.recognize(page, languages="rus", timeout=120, psm=4)
    line = next(line for line in layout.lines() if any(w.text == "и" for w in line.words))
    letter = next(w for w in line.words if w.text == "и")
    top, bottom = min(w.bbox.y0 for w in line.words), max(w.bbox.y1 for w in line.words)
    with caplog.at_level("WARNING", logger="workbench.ocr.reading"):
        read = _read_alone(engine, page, BBox(letter.bbox.x0 - 2, top, letter.bbox.x1 + 2, bottom),
                           languages="rus", timeout=120)
        assert [w.text for w in read] == ["и"]
        assert letter.bbox.x0 - 2 <= read[0].bbox.x0 and read[0].bbox.x1 <= letter.bbox.x1 + 2  # page pixels
        middle = (letter.bbox.x0 + letter.bbox.x1) // 2
        _read_alone(engine, page, BBox(middle - 3, top, middle + 3, bottom), languages="rus", timeout=120)
        assert not caplog.records  # 6 px wide: read on paper, not failed
        assert _read_alone(engine, page, BBox(middle, top, middle + 3, top + 3), languages="rus", timeout=120) == []
        assert "could not be read again" in caplog.records[-1].getMessage()
