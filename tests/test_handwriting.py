"""Pages Tesseract cannot read: marked for transcription by hand, with line strips from OpenCV."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from sqlalchemy import select

from tests.conftest import TEXTS, draw_page
from workbench.batch import BatchOptions, run_batch
from workbench.db.models import OcrRun
from workbench.db.store import list_pages
from workbench.imaging.textlines import find_line_boxes
from workbench.ocr.quality import drop_noise_lines, known_share, looks_like_noise, settle
from workbench.page import BBox, Block, Line, Page, Word


def scribble_page(path: Path, *, lines: int = 6, seed: int = 3) -> Path:
    """Cursive-like loops along ruled lines: ink that reads as handwriting, not as letters."""
    rng = np.random.default_rng(seed)
    page = np.full((1400, 1000), 250, np.uint8)
    for n in range(lines):
        base = 180 + n * 150
        x = 90.0
        while x < 880:
            word = int(rng.integers(60, 180))
            t = np.linspace(0, word, word * 2)
            ys = base + 18 * np.sin(t / rng.uniform(3.5, 6.0)) * rng.uniform(0.6, 1.2) - 8 * np.sin(t / 11)
            xs = x + t + 6 * np.cos(t / 2.5)
            pts = np.stack([xs, ys], axis=1).astype(np.int32)
            cv2.polylines(page, [pts], False, 40, thickness=3, lineType=cv2.LINE_AA)
            x += word + rng.integers(25, 50)
    cv2.imwrite(str(path), page)
    return path


def test_noise_is_told_from_print() -> None:
    def page(*words: tuple[str, float]) -> Page:
        box = BBox(0, 0, 10, 10)
        return Page(100, 100, [Block(box, [Line(box, [Word(t, box, c) for t, c in words])])])

    assert looks_like_noise(page(("~;|", 20.0), ("Ьп", 31.0), ("ии", 12.0)))
    assert looks_like_noise(page(("1/", 91.0), ("—:", 90.0), ("Протокольный", 35.0), ("Ябу", 33.0)))
    assert not looks_like_noise(page(("Протокол", 93.0), ("заседания", 88.0), ("бюро", 40.0)))
    # a hard carbon copy: low confidence, but a fair share of sure words; worth correcting
    assert not looks_like_noise(page(("Приказ", 85.0), ("УВольНЯЮ", 30.0), ("несяц", 25.0), ("срок", 80.0),
                                     ("Бойко", 36.0)))
    assert not looks_like_noise(page())


def test_a_doubtful_reading_of_dictionary_words_is_print_not_handwriting() -> None:
    """Smeared typing Tesseract doubts throughout (69000/mixed-048: mean confidence 26, 5% of its letters in
    sure words) still reads as words the dictionary knows, which a scribble's noise does not."""
    def page(*lines: list[tuple[str, float]]) -> Page:
        return Page(400, 200, [Block(BBox(0, 0, 400, 200), [_line(40 * n, *words) for n, words in enumerate(lines)])])

    smeared = page([("ПРОТОКОЛ", 30.0), ("№", 20.0), ("14", 25.0)],
                   [("заседания", 28.0), ("бюро", 22.0), ("коллектива", 31.0), ("РКП(б)", 12.0)],
                   [("Слушали:", 27.0), ("1.", 40.0), ("Доклад", 26.0), ("т.", 18.0), ("Дорохова", 21.0)],
                   [("о", 20.0), ("выдаче", 24.0), ("прдовольственвого", 15.0), ("пайка", 19.0)])
    scribble = page([("Ляляя", 30.0), ("МОЖ", 20.0), ("Азубх.", 25.0)],
                    [("ИУ", 28.0), ("яя", 22.0), ("Лоу", 31.0), ("Кудах", 12.0)],
                    [("Ауд.", 27.0), ("Зачот", 40.0), ("Ре", 26.0), ("бе", 18.0), ("АК", 21.0)])
    blank = np.full((200, 400), 255, np.uint8)
    assert looks_like_noise(smeared) and looks_like_noise(scribble)
    assert known_share(smeared, "rus") >= 0.4 and known_share(scribble, "rus") == 0.0
    kept, handwriting = settle(smeared, blank, "rus")
    assert not handwriting and "заседания бюро" in kept.text
    assert settle(scribble, blank, "rus")[1]
    # blurred typing read at about a third wrong (119000/mixed-049): a sixth of its letters in known words
    blurred = page([("Предъявитель", 30.0), ("ceго", 20.0), ("тсв.", 25.0), ("ГЕКОБИЮЮ", 22.0)],
                   [("командиру", 28.0), ("Юрии", 22.0), ("эцейс", 31.0), ("Екахериноспаюскую,", 12.0)],
                   [("Абиецкую", 27.0), ("Задорожекую", 40.0), ("вая", 26.0), ("мт", 18.0), ("рабаты", 21.0)],
                   [("пубарнских", 20.0), ("пруфеовезов", 24.0), ("зак", 15.0), ("зочьнию", 19.0)])
    assert looks_like_noise(blurred) and 0.15 <= known_share(blurred, "rus") < 0.2
    assert not settle(blurred, blank, "rus")[1]
    # a pre-reform page's words are looked up in modern spelling
    assert known_share(page([("Правленіе", 20.0), ("доводитъ", 20.0), ("свѣдѣнія", 25.0)]), "rus") == 1.0


def _line(y: int, *words: tuple[str, float]) -> Line:
    box = BBox(10, y, 400, y + 30)
    return Line(box, [Word(t, box, c) for t, c in words])


def _word(text: str, x0: int, y0: int, x1: int, confidence: float, *, height: int = 40) -> Word:
    return Word(text, BBox(x0, y0, x1, y0 + height), confidence)


def _line_of(*words: Word) -> Line:
    return Line(BBox.enclosing([w.bbox for w in words]), list(words))


def test_stray_lines_of_signs_are_dropped_and_kept_in_the_run() -> None:
    # what Tesseract made of a pencil mark and a page edge above a printed order (benchmark pencil-032)
    lines = [_line(0, ("ут}", 22.0), ("г", 45.0)), _line(40, ("#", 25.0)),
             _line(80, ("СВОДКА", 96.0)), _line(120, ("о", 96.0), ("ходе", 96.0), ("сева", 95.0)),
             _line(160, ("52", 90.0)),  # a page number read with confidence stays
             _line(200, ("гопова", 15.0), ("гравазнхя", 20.0)),  # blurred text: poor, but words to correct
             _line(240, ("ААА", 20.0), ("о", 25.0)),
             # a poor carbon copy: dates, numbers and references stay however unsure Tesseract is
             _line(280, ("20.VII.26", 45.0)), _line(320, ("№", 40.0), ("37", 45.0)),
             _line(360, ("ф.", 40.0), ("1,", 40.0), ("оп.", 40.0)), _line(400, ("п'ять", 40.0))]
    other = Block(BBox(500, 0, 900, 30), [_line(0, ("Справка", 90.0))])
    page = Page(1000, 1000, [Block(BBox(10, 0, 400, 430), lines), other])
    kept = drop_noise_lines(page)
    assert kept.text.splitlines() == ["СВОДКА", "о ходе сева", "52", "гопова гравазнхя", "20.VII.26", "№ 37",
                                      "ф. 1, оп.", "п'ять", "", "Справка"]
    assert kept.blocks[0].bbox == BBox(10, 80, 400, 430)
    assert kept.blocks[1] is other  # a block that lost nothing is left as it was
    assert kept.steps[-1].name == "noise-lines"
    assert kept.steps[-1].params["dropped"] == [
        {"text": "ут} г", "bbox": [10, 0, 400, 30], "confidence": 33.5},
        {"text": "#", "bbox": [10, 40, 400, 70], "confidence": 25.0},
        {"text": "ААА о", "bbox": [10, 240, 400, 270], "confidence": 22.5}]
    assert drop_noise_lines(kept) is kept  # nothing more to drop


def test_a_page_edge_read_at_the_border_of_the_image_is_dropped() -> None:
    # curl-038: the curled top edge read as a line (with a "100" in it) and the right edge as "|"
    def word(text: str, x0: int, y0: int, x1: int, confidence: float) -> Word:
        return _word(text, x0, y0, x1, confidence, height=35)

    line = _line_of
    edge = line(word("ие", 283, 0, 330, 20.0), word("|", 340, 0, 350, 12.0), word("100", 1480, 0, 1522, 26.0))
    signed = line(word("Секретарь", 282, 1114, 500, 96.0), word("Зуева", 1000, 1114, 1151, 96.0),
                  word("|", 1950, 1114, 1960, 82.0))
    date = line(word("20.VII.26", 282, 1200, 500, 45.0))  # doubtful, but away from the border: kept
    # a doubtful carbon-copy line between the page's dark edges keeps its words, not the edges' letters
    carbon = line(word(":", 0, 1300, 20, 0.0), word("правлений", 300, 1300, 520, 42.0),
                  word("союзов", 540, 1300, 700, 40.0), word("я", 1940, 1300, 1960, 30.0))
    margin = line(word("38", 1900, 2560, 1958, 91.0))  # a sure folio number at the corner stays
    # a close-up: a doubtful line of real words cut by the bottom of the frame, a sure "и" at its right edge
    cut = line(word("Объявляю", 300, 2570, 520, 44.0), word("и", 1945, 2570, 1960, 93.0))
    page = Page(1960, 2604, [Block(BBox(0, 0, 1960, 2604), [edge, signed, date, carbon, margin, cut])])
    kept = drop_noise_lines(page)
    assert kept.text == "Секретарь Зуева\n20.VII.26\nправлений союзов\n38\nОбъявляю и"
    assert kept.blocks[0].lines[0].bbox == BBox(282, 1114, 1151, 1149)
    assert [d["text"] for d in kept.steps[-1].params["dropped"]] == ["ие | 100", "|", ": я"]
    assert drop_noise_lines(kept) is kept


def test_a_wavy_page_edge_is_dropped_beside_and_above_the_text() -> None:
    # 2000/mixed-053: a curled page's top edge read as long words Tesseract all but rejects, and its
    # left edge as a "|" at the start of every line, far from the text; 2000/curl-036: the curl's shadow
    # near the foot of the page read as words
    word, line = _word, _line_of
    top = line(word("М", 331, 0, 360, 16.0), word("зыбь", 1300, 10, 1390, 23.0), word("НОВИНИ", 1400, 0, 1560, 0.0))
    heading = line(word("|", 260, 238, 272, 90.0), word("ПРАВЛЕНІЕ", 820, 236, 1100, 93.0))
    signed = line(word("Секретарь", 420, 400, 640, 96.0), word("(", 1000, 400, 1010, 80.0),
                  word("подпись", 1012, 400, 1180, 90.0), word(")", 1182, 400, 1192, 80.0))
    blurred = line(word("Сумского", 600, 1400, 800, 12.0))  # read all but rejected, but mid-page: kept
    shadow = line(word("оакна", 890, 2690, 1000, 0.0), word("діниіньві", 1010, 2690, 1200, 1.0))  # near the foot
    doubtful = line(word("Объявляю", 300, 2780, 520, 30.0))  # a real line at the bottom, read badly: kept
    folio = line(word("Лист", 1900, 60, 1990, 17.0), word("17", 2000, 60, 2040, 20.0))  # pencilled, doubtful
    table = line(word("№", 300, 500, 330, 90.0), word("Фамилия,", 600, 500, 800, 90.0),
                 word("—", 1900, 500, 1930, 90.0))
    page = Page(2188, 2812, [Block(BBox(0, 0, 2188, 2812),
                                   [top, folio, heading, signed, table, blurred, shadow, doubtful])])
    kept = drop_noise_lines(page)
    assert kept.text == "Лист 17\nПРАВЛЕНІЕ\nСекретарь ( подпись )\n№ Фамилия, —\nСумского\nОбъявляю"
    assert [d["text"] for d in kept.steps[-1].params["dropped"]] == ["М зыбь НОВИНИ", "|", "оакна діниіньві"]


def test_a_stamps_scraps_at_the_ends_of_lines_are_dropped_and_doubtful_text_signs_stay() -> None:
    # stamp-027 and 2000/stamp-029: a stamp over the ends of lines read as "[=" and "[|"
    word, line = _word, _line_of
    paragraph = line(word("§2.", 295, 400, 353, 74.0), word("[=", 415, 400, 465, 41.0))
    signed = line(word("Предсѣдатель", 327, 500, 646, 48.0), word("Воробьевъ", 1300, 500, 1536, 83.0),
                  word("[|", 1652, 500, 1701, 41.0))
    # what a typist types stays however doubtfully read: a per cent as "$.", a list number as "‹.", a
    # table's nil or ditto, a list's dash, a signature's blank, a lone letter in a table's column
    percent = line(word("на", 300, 800, 340, 90.0), word("58", 360, 800, 400, 90.0), word("$.", 420, 800, 450, 30.0))
    number = line(word("‹.", 300, 900, 320, 20.0), word("Школы", 340, 900, 480, 90.0))
    table = line(word("Итого", 300, 1000, 420, 90.0), word("—", 1500, 1000, 1530, 31.0))
    ditto = line(word("Петров", 300, 1100, 450, 90.0), word('"', 1500, 1100, 1510, 20.0))
    listed = line(word("—", 300, 1200, 330, 25.0), word("выдать", 350, 1200, 500, 90.0))
    blank = line(word("Секретарь", 300, 1300, 520, 96.0), word("______", 1200, 1300, 1400, 10.0))
    column = line(word("Иванов", 300, 1400, 450, 90.0), word("м", 1500, 1400, 1520, 40.0))
    page = Page(2188, 2812, [Block(BBox(0, 0, 2188, 2812),
                                   [paragraph, signed, percent, number, table, ditto, listed, blank, column])])
    kept = drop_noise_lines(page)
    assert kept.text == ('§2.\nПредсѣдатель Воробьевъ\nна 58 $.\n‹. Школы\nИтого —\nПетров "\n— выдать\n'
                         "Секретарь ______\nИванов м")
    assert [d["text"] for d in kept.steps[-1].params["dropped"]] == ["[=", "[|"]


def test_a_grainy_pages_specks_read_as_letters_beyond_the_text_are_dropped() -> None:
    # 67000/mixed-048, a dark grainy photo: the paper's grain beyond the ends of lines read as letters
    word, line = _word, _line_of
    tail = line(word("листопада.", 300, 100, 560, 96.0), word("ЖЕН", 900, 100, 980, 0.0))
    several = line(word("Зеленський.", 300, 200, 590, 77.0), word("-", 610, 200, 630, 68.0),
                   word("ант", 1000, 200, 1080, 28.0), word("ю", 1100, 200, 1120, 0.0),
                   word("Бах", 1140, 200, 1220, 21.0))
    head = line(word("я", 100, 300, 120, 5.0), word("Школы", 300, 300, 440, 90.0), word("первой", 460, 300, 620, 90.0))
    # what stays: a doubtful word beside the text, a doubtful name, a date or a number set apart
    near = line(word("його", 300, 400, 400, 96.0), word("до", 420, 400, 470, 94.0), word("нео", 490, 400, 560, 28.0))
    name = line(word("Верно:", 300, 500, 450, 90.0), word("Ткач", 1200, 500, 1300, 20.0))
    dated = line(word("Харьков", 300, 600, 480, 90.0), word("5", 1200, 600, 1220, 20.0),
                 word("г.", 1240, 600, 1270, 10.0))
    # a stray line goes whole: a scrap set apart is not trimmed from it so that the rest might pass for text
    stray = line(word("ОТ", 100, 700, 160, 0.0), word("РУ", 600, 700, 650, 29.0), word("|", 670, 700, 680, 71.0))
    page = Page(2000, 2800, [Block(BBox(0, 0, 2000, 2800), [tail, several, head, near, name, dated, stray])])
    kept = drop_noise_lines(page)
    assert kept.text == "листопада.\nЗеленський. -\nШколы первой\nйого до нео\nВерно: Ткач\nХарьков 5 г."
    assert [d["text"] for d in kept.steps[-1].params["dropped"]] == ["ЖЕН", "ант ю Бах", "я", "ОТ РУ |"]
    assert kept.blocks[0].lines[0].bbox == BBox(300, 100, 560, 140)  # the line's box is its text's


def test_a_handwritten_page_keeps_its_line_strips_not_filtered(tmp_path: Path) -> None:
    grey = cv2.imread(str(scribble_page(tmp_path / "hand.png", lines=6)), cv2.IMREAD_GRAYSCALE)
    noise = Page(grey.shape[1], grey.shape[0], [Block(BBox(0, 0, 10, 10), [_line(0, ("~;|", 20.0), ("ии", 12.0))])])
    layout, handwriting = settle(noise, grey)
    assert handwriting and len(list(layout.lines())) == 6


def test_opencv_finds_the_lines_of_handwriting(tmp_path: Path) -> None:
    grey = cv2.imread(str(scribble_page(tmp_path / "hand.png", lines=6)), cv2.IMREAD_GRAYSCALE)
    boxes = find_line_boxes(grey)
    assert len(boxes) == 6
    for n, box in enumerate(boxes):
        assert abs((box.y0 + box.y1) / 2 - (180 + n * 150)) < 30 and box.width > 600


@pytest.mark.ocr
def test_a_handwritten_page_is_marked_for_transcription_by_hand(settings, db, tmp_path: Path) -> None:
    scribble_page(tmp_path / "letter.png", lines=5)
    draw_page(tmp_path / "typed.png", TEXTS["protocol"])
    summary = run_batch(db, [tmp_path], BatchOptions(jobs=1, derived_path=settings.derived_path), bar=False)
    assert not summary.failed
    with db.session() as session:
        runs = {Path(r.page.image.path).stem: r for r in session.scalars(select(OcrRun))}
        texts = {p.image.stem: p.transcription.text for p in list_pages(session)}
        hand = runs["letter"]
        assert hand.handwriting and hand.word_count == 0
        assert len([ln for b in hand.blocks for ln in b.lines]) == 5
        assert texts["letter"] == ""
        assert not runs["typed"].handwriting and "Шляпникова" in texts["typed"]


def test_a_speck_read_alone_as_a_sign_is_dropped_however_sure() -> None:
    # 86000/carbon-024: specks below the signatures read as lines of "*" at 43 to 84
    lines = [_line(0, ("Секретарь", 96.0), ("С.", 93.0), ("Гуреевъ", 88.0)),
             _line(40, ("*", 84.0)), _line(80, ("°.", 60.0)), _line(120, ("|", 96.0)),
             # signs that are text stay: a table's nil, a ditto mark, a signature's blank, a section sign and
             # one read as "%." (the mending puts the sign back)
             _line(160, ("—", 90.0)), _line(200, ("〃", 80.0)), _line(240, ("__", 70.0)), _line(280, ("%.", 92.0)),
             _line(320, ("*", 80.0), ("*", 80.0), ("*", 80.0)),  # three: a separator
             _line(360, ("*", 84.0), ("Примечание", 90.0))]  # a footnote's mark before its words
    page = Page(1000, 1000, [Block(BBox(10, 0, 900, 400), lines)])
    kept = drop_noise_lines(page)
    assert kept.text.splitlines() == ["Секретарь С. Гуреевъ", "—", "〃", "__", "%.", "* * *", "* Примечание"]
    assert [d["text"] for d in kept.steps[-1].params["dropped"]] == ["*", "°.", "|"]


def test_grain_along_the_page_s_edge_read_at_the_ends_of_lines_is_dropped() -> None:
    # 84000/faded-021: the grainy right edge of a faded page, beyond a heading's short lines, read as `Е".`,
    # `| 1` and `< 2%` at 0 to 45 (the rule for letters alone asks under 25 and no number)
    def word(text: str, x0: int, y: int, x1: int, confidence: float) -> Word:
        return _word(text, x0, y, x1, confidence, height=30)

    line = _line_of
    heading = line(word("ПРАВЛЕНІЕ", 561, 100, 758, 92.0), word("Е\".", 2114, 100, 2152, 28.0))
    district = line(word("Сумского", 452, 200, 627, 81.0), word("уѣзда", 650, 200, 758, 24.0),
                    word("|", 1636, 200, 1639, 20.0), word("1", 2136, 200, 2151, 45.0))
    dated = line(word("31", 432, 300, 473, 93.0), word("января", 498, 300, 624, 95.0),
                 word("<", 2060, 300, 2063, 0.0), word("2%", 2118, 300, 2152, 25.0))
    # what stays: a sure folio at the border, a doubtful number or word there, doubtful scraps not at the border
    folio = line(word("Справка", 300, 400, 450, 90.0), word("38", 2110, 400, 2152, 91.0))
    spread = line(word("Петровский", 3, 500, 200, 15.0), word("12.900", 230, 500, 330, 20.0),
                  word("верно", 900, 500, 1000, 80.0), word("сдано", 1020, 500, 1120, 80.0))
    inside = line(word("Секретарь", 300, 600, 480, 96.0), word("1", 1500, 600, 1515, 40.0))
    page = Page(2152, 3000, [Block(BBox(0, 0, 2152, 700), [heading, district, dated, folio, spread, inside])])
    kept = drop_noise_lines(page)
    assert kept.text.splitlines() == ["ПРАВЛЕНІЕ", "Сумского уѣзда", "31 января", "Справка 38",
                                      "Петровский 12.900 верно сдано", "Секретарь 1"]
