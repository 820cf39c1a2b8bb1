"""A word misread by look-alike letters is mended only where Debian's dictionary knows the one word meant."""

from __future__ import annotations

import pytest

from workbench.ocr.spelling import Speller, mend_spelling, speller
from workbench.page import BBox, Block, Line, Page, Word


def _page(text: str) -> Page:
    box = BBox(0, 0, 50, 20)
    return Page(100, 100, [Block(box, [Line(box, [Word(w, box, 60.0) for w in text.split()])])])


@pytest.fixture(scope="module")
def russian() -> Speller:
    found = speller("rus")
    assert found is not None, "the ru_RU dictionary (Debian's hunspell-ru) must be installed by `make`"
    return found


@pytest.mark.parametrize(("read", "meant"), [
    ("попучении", "получении"),  # л read as п
    ("свеления", "сведения"),  # д as л
    ("хомандиру", "командиру"),  # к as х
    ("профессиоиальиым", "профессиональным"),  # н as и, twice
    ("Попучении", "Получении"),  # a sentence's first word keeps its capital
    ("получейии", "получении"),  # н as й, where a smear's restoration rings over it
    ("коплективмых", "коллективных"),  # л as п and н as м
    ("Манцат", "Мандат"),  # a typewriter's д as ц
])
def test_a_misread_word_gets_the_one_dictionary_word_a_look_alike_away(russian: Speller, read: str,
                                                                        meant: str) -> None:
    assert russian.mend(read) == meant


@pytest.mark.parametrize("word", [
    "получении",  # a word the dictionary knows
    "Дорохов",  # a name: its capital stays, and Пороков is two look-alikes away
    "Гребенюку",  # a name with no dictionary neighbour
    "ВЦСПС",  # an abbreviation in capitals
    "тов",  # too short to tell
    "ганку",  # several neighbours (панку, танку): no telling which
    "предос",  # a fragment of a word split by a misread space: two look-alikes from прелое, too short for two
])
def test_a_known_word_a_name_or_a_doubtful_case_stays(russian: Speller, word: str) -> None:
    assert russian.mend(word) == word


def test_the_page_keeps_its_signs_and_records_what_changed() -> None:
    page = mend_spelling(_page("«попучении», свеления. Гребенюку"), "rus")
    assert [w.text for w in page.words()] == ["«получении»,", "сведения.", "Гребенюку"]
    assert page.steps[-1].name == "spelling"
    assert page.steps[-1].params["mended"] == [["«попучении»,", "«получении»,"], ["свеления.", "сведения."]]


def test_a_ukrainian_page_is_not_given_a_g_with_upturn() -> None:
    """The Ukrainian model has no ґ and reads г, but pages typed from 1933 to 1990 had none: грунту stays."""
    page = mend_spelling(_page("Якість грунту"), "ukr")
    assert [w.text for w in page.words()] == ["Якість", "грунту"]


def test_a_word_broken_at_a_line_end_stays_as_read() -> None:
    """Neither half of a hyphenated word is in the dictionary; neither is a misread word."""
    box = BBox(0, 0, 50, 20)
    lines = [["Заслушали", "доклад", "о", "заседа-"], ["нии", "попучении"]]
    page = Page(100, 100, [Block(box, [Line(box, [Word(w, box, 60.0) for w in words]) for words in lines])])
    mended = mend_spelling(page, "rus")
    assert [w.text for w in mended.words()] == ["Заслушали", "доклад", "о", "заседа-", "нии", "получении"]


def test_the_dictionary_answers_right_from_several_threads_at_once(russian: Speller) -> None:
    """The web app reads uploads in threads; one Hunspell object must not be asked by two at once."""
    import re
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    import workbench.synthetic

    texts = Path(workbench.synthetic.__file__).parent / "texts"
    words = sorted({w for f in texts.iterdir() for w in re.findall(r"[а-яё]+", f.read_text(encoding="utf-8"))})
    words += [w[:-1] + "ц" for w in words]  # and as many unknown ones
    expected = [russian.knows(w) for w in words]

    def ask_all(_: int) -> list[bool]:
        return [russian.knows(w) for w in words]

    with ThreadPoolExecutor(6) as pool:
        assert all(answers == expected for answers in pool.map(ask_all, range(6)))


@pytest.mark.parametrize(("read", "meant"), [
    ("раздфлъ", "раздѣлъ"),  # ѣ read as ф between д and л, where loanwords may have one
    ("ръфшеніе", "рѣшеніе"),  # ѣ read as two signs
    ("Совбтъ", "Совѣтъ"),  # as б
    ("изѣ", "изъ"),  # a final ъ read as ѣ
    ("домовь", "домовъ"),  # and as ь
    ("положен!я", "положенія"),  # і read as !
    ("ОБЪЯВЛЕНТЕ", "ОБЪЯВЛЕНІЕ"),  # and in capitals as Т
    ("свьдьн{я", "свѣдѣнія"),  # three signs in one word
    ("обшество", "общество"),  # a look-alike, as on a modern page
    ("Попучении", "Получении"),  # one in a word with a capital, not its first letter
    ("станщи", "станціи"),  # ці run together into щ
    ("населеня", "населенія"),  # a faint і not read at all
    ("Совѣфтъ", "Совѣтъ"),  # not Совѣѣтъ, though совеет is a modern word: no word has ѣѣ
    ("тьмъ", "тѣмъ"),  # тьмѣ is a word too, but тѣмъ among the commonest
    ("сь", "съ"),
    ("городь", "городъ"),  # городѣ is known too, but a final ъ read as ь is far likelier than a final ѣ
    ("вызываеть", "вызываетъ"),
])
def test_a_pre_reform_word_gets_the_one_reading_whose_modern_spelling_the_dictionary_knows(
        russian: Speller, read: str, meant: str) -> None:
    assert russian.mend_prereform(read) == meant


@pytest.mark.parametrize("word", [
    "Совѣтъ",  # known in modern spelling: совет
    "губернскаго",  # known with the modern ending: губернского
    "благо",  # not an adjective's old ending
    "доводитъ",  # and the infinitive доводить would be known too: a known word never changes
    "Гуреевъ",  # a name the dictionary lacks, with no known reading
    "Тихонъ",  # a name the dictionary knows only with its capital (not Тихонѣ)
    "Дарья",
    "Коваль",  # a name ending in -ль is no verb's -лъ misread
    "Высочайше",  # no і is looked for after ш (not Высочайшіе)
    "онѣ",  # a pre-reform word with no modern spelling of its own (not онъ)
])
def test_a_pre_reform_word_known_or_doubtful_stays(russian: Speller, word: str) -> None:
    assert russian.mend_prereform(word) == word


def test_a_pre_reform_page_is_mended_in_modern_spelling_and_its_right_words_stay() -> None:
    text = "Правленіе Союза доводитъ до свѣдѣнія Совѣта, что въ складахъ распредфляется попучении, имѣется"
    page = mend_spelling(_page(text), "rus")
    assert page.steps[-1].params["mended"] == [["распредфляется", "распредѣляется"], ["попучении,", "получении,"]]


def test_without_a_dictionary_for_the_language_nothing_changes() -> None:
    assert speller("deu") is None
    assert mend_spelling(_page("попучении"), "deu").steps == []
