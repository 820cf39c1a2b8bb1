"""Words read in two scripts at once are mended to Cyrillic; numbers and Latin words stay as read."""

from __future__ import annotations

import pytest

from workbench.ocr.mend import mend_scripts, mend_word
from workbench.page import BBox, Block, Line, Page, Word


@pytest.mark.parametrize(("read", "meant"), [
    ("Правлен1е", "Правленіе"),  # pre-reform і, which the Russian model reads as a one
    ("ПРАВЛЕН1Е", "ПРАВЛЕНІЕ"),
    ("в1йськовий", "військовий"),
    ("стoл", "стол"),  # a Latin o
    ("Хapьков", "Харьков"),  # Latin a and p
    ("Сiчень", "Січень"),  # Ukrainian і read as Latin i
    ("пр0токол", "протокол"),
    ("IV-ого.Хapьков", "IV-ого.Харьков"),  # run by run: the numeral stays, the town is mended
])
def test_mixed_words_become_cyrillic(read: str, meant: str) -> None:
    assert mend_word(read) == meant


@pytest.mark.parametrize("word", ["1-го", "№1", "1926г.", "F.", "Kiev", "Лист", "в1", "1з", "ф.2595", "Nо",
                                  "ll.", "IV", "ДОЛ-10", "IV-ого", "I-го", "Николай-II", "1.X.1926года",
                                  "тов.X", "X-лучи", "F. 2595, op. 1, d. 102, l. 21 ob."])
def test_numbers_latin_words_and_references_stay(word: str) -> None:
    assert mend_word(word) == word


def test_a_page_keeps_its_boxes_and_records_what_was_mended() -> None:
    box = BBox(0, 0, 50, 20)
    page = Page(100, 100, [Block(box, [Line(box, [Word("станц1и", box, 80.0), Word("F.", box, 90.0)])])])
    mended = mend_scripts(page)
    assert [(w.text, w.bbox, w.confidence) for w in mended.words()] == [("станціи", box, 80.0), ("F.", box, 90.0)]
    assert mended.steps[-1].name == "scripts" and mended.steps[-1].params["mended"] == [["станц1и", "станціи"]]
