"""Words read in two scripts at once are mended to Cyrillic; numbers and Latin words stay as read."""

from __future__ import annotations

import pytest

from workbench.ocr.mend import (
    is_prereform,
    mend_abbreviation,
    mend_case,
    mend_marks,
    mend_prereform,
    mend_scripts,
    mend_section_signs,
    mend_sentence_case,
    mend_word,
    mend_yat,
)
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


@pytest.mark.parametrize(("read", "meant"), [
    ("Уъздный", "Уѣздный"),  # the Russian model has no ѣ: it reads a hard sign
    ("Совътъ", "Совѣтъ"),
    ("СовЪтъ", "Совѣтъ"),  # small amid small letters, whatever the size of the sign read
    ("УЪЗДЪ", "УѢЗДЪ"),  # a capital in a word of capitals
    ("Вмьъстъ", "Вмѣстъ"),  # or a soft and a hard sign
    ("распредъляется", "распредѣляется"),
    ("свБдБнія", "свѣдѣнія"),  # or a capital Б amid small letters
    ("УБздный", "Уѣздный"),
    ("складахь", "складахъ"),  # a final soft sign after к г х ц, which no Russian word has
    ("бочекь,", "бочекъ,"),
    ("Совфтъ", "Совѣтъ"),  # or ф between two consonants, which no Russian word has
    ("Предсфдатель", "Предсѣдатель"),
    ("тфмъ", "тѣмъ"),
    ("имъется", "имѣется"),  # or a hard sign before е where no prefix ends
    ("Правлешя", "Правленія"),  # small print's ні run into ш, ці into щ, before я ю й, which follow neither
    ("станщю", "станцію"),
    ("послъдшй", "послѣдній"),
    ("Правлеше,", "Правленіе,"),  # and ні into ш in a word's ending -еше, which no word has
    ("населения", "населенія"),  # an и before a vowel, where pre-reform spelling has і
    ("РОССИИ", "РОССІИ"),
])
def test_yat_comes_back_where_a_hard_sign_cannot_stand(read: str, meant: str) -> None:
    assert mend_yat(read) == meant


@pytest.mark.parametrize("word", ["подъѣздъ", "объявленіе", "съ", "подъемъ", "разъясненіе", "субъектъ",
                                  "неразъемный", "двухъярусный", "предъявить", "лучше", "ваше", "шея", "щеки",
                                  "фельдъегерь", "взъерошить", "трёхъярусный", "брошюра", "парашютъ", "Шюцкоръ",
                                  "еше",
                                  "раскладкъ", "Въ", "только",
                                  "ОБЩЕСТВО", "Бердянскъ", "НЭБ", "мать", "ночь", "Воробьевь", "шрифтъ",
                                  "Уфа", "нефть", "атмосфера", "Уфздный", "РСФСР", "конфликтъ", "инфляція",
                                  "Дюссельдорфскій", "комфортъ", "пятиэтажный", "семиугольникъ"])
def test_a_hard_sign_that_can_stand_stays(word: str) -> None:
    """A separating hard sign (after a prefix: объ-, подъ-, разъ-, субъ-), a final one, is left as read;
    so is a ф beside a vowel (шрифтъ, Уфа, and so Уфздный too), or where loanwords and abbreviations have one
    between consonants (конфликтъ, РСФСР), and an и ending a compound's first part before a vowel
    (пятиэтажный)."""
    assert mend_yat(word) == word


@pytest.mark.parametrize(("read", "meant"), [
    ("отПравленныхъ", "отправленныхъ"),  # a capital read for its small twin between small letters
    ("свѢдѢнія", "свѣдѣнія"),
    ("Присутствовали:", "Присутствовали:"),
    ("вагоновЪ,", "вагоновъ,"),  # a hard sign ending a word of small letters
    ("СовЪта", "Совъта"),  # in a word opening with a capital, only the signs and the yat
    ("сЪезд", "съезд"),
])
def test_a_capital_between_small_letters_is_made_small(read: str, meant: str) -> None:
    assert mend_case(read) == meant


@pytest.mark.parametrize("word", ["ГубЧК", "ВУЦИК", "КП(б)У", "НКВД", "Київ", "ЦК", "Наркомзем", "СССР,", "ТОВ.",
                                  "НарКомПрос", "ЦентроСоюз", "РабКрИн"])
def test_abbreviations_and_words_of_capitals_keep_their_case(word: str) -> None:
    assert mend_case(word) == word


@pytest.mark.parametrize(("read", "meant"), [("тов,", "тов."), ("Тов,", "Тов."), ("гр,", "гр."), ("сто,", "сто,"),
                                             ("г,", "г,"), ("м,", "м,"), ("Харьков,", "Харьков,")])
def test_an_abbreviation_read_with_a_comma_gets_its_full_stop(read: str, meant: str) -> None:
    assert mend_abbreviation(read) == meant


def _lines_page(lines: list[list[str]]) -> Page:
    box = BBox(0, 0, 50, 20)
    return Page(100, 100, [Block(box, [Line(box, [Word(w, box, 80.0) for w in words]) for words in lines])])


def _page_of(words: list[str]) -> Page:
    return _lines_page([words])


def test_yat_is_restored_only_on_a_pre_reform_page() -> None:
    prereform = mend_prereform(_page_of("Въ Уъздный Совътъ Народнаго Хозяйства доводитъ".split()))
    assert [w.text for w in prereform.words()][1] == "Уѣздный"
    assert prereform.steps[-1].name == "yat" and ["Совътъ", "Совѣтъ"] in prereform.steps[-1].params["mended"]
    modern = mend_prereform(_page_of("В Уъздный Совет народного хозяйства".split()))  # an OCR slip, not ѣ
    assert [w.text for w in modern.words()][1] == "Уъздный" and not modern.steps


def test_a_modern_page_with_a_few_soft_signs_read_hard_is_not_pre_reform() -> None:
    """Modern words end in bare consonants all the time; pre-reform ones never do."""
    modern = ("Президиум губисполкома заслушал доклад тов. Петров о работе отдел народного образования за "
              "истекший год и постановил: естъ недостаток учебников, пятъ школ закрыты, бытъ посему").split()
    assert not is_prereform(modern)
    assert mend_prereform(_page_of(["палътом", *modern])).steps == []
    assert mend_yat("съэкономить") == "съэкономить"  # a hard sign separates before э too



def test_section_signs_come_back_at_the_start_of_paragraphs() -> None:
    """The Russian model reads § as 8, $ or 5: "8 1.", "$2.", and then "83." on the same page."""
    page = mend_section_signs(_lines_page([
        ["Харьков"], ["8", "1.", "Начальника", "службы"], ["$2.", "Участившиеся", "случаи"],
        ["83.", "Объявляю", "благодарность"], ["8", "марта", "1926", "г."], ["5", "3.", "Слушали"],
    ]))
    assert [line.text for line in page.lines()] == [
        "Харьков", "§ 1. Начальника службы", "§2. Участившиеся случаи", "§3. Объявляю благодарность",
        "8 марта 1926 г.", "§ 3. Слушали"]
    assert page.steps[-1].name == "section-signs" and ["$2.", "§2."] in page.steps[-1].params["mended"]


def test_a_numbered_list_keeps_its_numbers() -> None:
    """Only the next paragraph's number run into its sign is taken; a list and dollars stay as read."""
    page = mend_section_signs(_lines_page([["8", "1.", "Начальника"], ["82.", "Иванов"], ["85.", "Петров"],
                                           ["$100", "долл."]]))
    assert [line.text for line in page.lines()] == ["§ 1. Начальника", "§2. Иванов", "85. Петров", "$100 долл."]
    lines = [["83.", "Объявляю", "благодарность"], ["84.", "Уволить"], ["8", "ящиков"], ["в", "$", "США"]]
    page = mend_section_signs(_lines_page(lines))
    assert [line.text for line in page.lines()] == [" ".join(words) for words in lines]
    assert page.steps == []


def test_the_numero_sign_an_initial_and_a_lists_letter_come_back_from_their_look_alikes() -> None:
    lines = [["ПРОТОКОЛ", "Ме", "9"], ["наряд", "Мо", "318;"], ["ПРОТОКОЛ", "М", "14"], ["ю", "2271"],
             ["Яковенко", "0.П.,", "члени"], ["а)", "ускорити", "відправку"], ["вугілля;"], ["6)", "вислати"],
             ["6)", "шість"]]
    page = mend_marks(_lines_page(lines), "ukr")
    assert [line.text for line in page.lines()] == [
        "ПРОТОКОЛ № 9", "наряд № 318;", "ПРОТОКОЛ № 14", "№ 2271", "Яковенко О.П., члени", "а) ускорити відправку",
        "вугілля;", "б) вислати", "6) шість"]  # after б) a six is a six
    assert page.steps[-1].name == "marks" and ["Ме", "№"] in page.steps[-1].params["mended"]
    # a lone letter before a number in running text is a letter; the Russian model reads the sign itself
    kept = [["серія", "М", "9"], ["літера", "Ю", "3"], ["вагон", "М", "5"]]
    assert [line.text for line in mend_marks(_lines_page(kept), "ukr").lines()] == [" ".join(w) for w in kept]
    assert mend_marks(_lines_page([["ПРОТОКОЛ", "Ме", "9"]]), "rus").text == "ПРОТОКОЛ Ме 9"
    # a list numbered to 5) keeps its six after a lettered sub-item, and so does one after a 1. between;
    # a zero in a number stays
    for numbered in ([["5)", "п'ять:"], ["а)", "підпункт"], ["6)", "шість"]],
                     [["а)", "перше"], ["1.", "один"], ["6)", "шість"]],
                     [["в", "0.5", "пуда"], ["Мо", "пудов"]]):
        assert [line.text for line in mend_marks(_lines_page(numbered), "ukr").lines()] == [
            " ".join(words) for words in numbered]


def test_a_sentence_read_with_a_small_first_letter_gets_its_capital() -> None:
    """Size-only letters (о з с п) at a sentence's start or after a list's number are capitals."""
    page = mend_sentence_case(_lines_page([
        ["Обучается", "взрослых", "412", "человек.", "ощущается", "острый", "недостаток."],
        ["отдел", "ходатайствует"],  # the line before ended a sentence
        ["2.", "заяву", "громадянина"],
        ["Звіт", "затвердити?", "зібрання"],
        ["«Нова", "громада».", "громада", "збирається"],
        ["Секретарь", "А.", "зуева"],  # a signature: the surname after an initial ends the line
    ]))
    assert [line.text for line in page.lines()] == [
        "Обучается взрослых 412 человек. Ощущается острый недостаток.", "Отдел ходатайствует",
        "2. Заяву громадянина", "Звіт затвердити? Зібрання",
        "«Нова громада». Громада збирається", "Секретарь А. Зуева"]
    assert page.steps[-1].name == "sentence-case" and ["заяву", "Заяву"] in page.steps[-1].params["mended"]


def test_abbreviations_initials_and_letters_of_their_own_shape_keep_their_case() -> None:
    lines = [["1920", "г.", "в", "Луганском"], ["сдать", "тов.", "сидорову"], ["т.", "е.", "по", "норме"],
             ["наявн!", "зовсім"], ["получено", "2", "пуда.", "мела"], ["человек.", "анкеты"],
             ["на", "2.", "пуда"], ["работы.", "и"], ["Уездн.", "комитет"],
             ["уполн.", "по", "сельск.", "хозяйству"], ["Петров", "А.", "заявил,", "что"]]
    page = mend_sentence_case(_lines_page(lines))
    assert [line.text for line in page.lines()] == [" ".join(words) for words in lines]
    assert page.steps == []
