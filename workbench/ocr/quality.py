"""Is an OCR result worth correcting? Handwriting gives Tesseract noise, which is no help to a person.

On a printed page, specks, a page edge, a pencil mark or a stamp's rim read as short lines of stray
letters and signs, and a page edge left at the border of the image as a doubtful line of scraps, as a line
near the top or bottom Tesseract all but rejects, or as ``|`` or a doubtful letter at the ends of lines or
set apart from them; a stamp over the ends of lines reads as doubtful signs there (``[=``, ``[|``), and a
grainy page's specks beyond the ends of the lines as doubtful scraps set apart from the text, and a speck,
a spot or a binding hole as a line of one sign (``*``), sure or not. Those are dropped from the reading and
kept in the run's parameters.
"""

from __future__ import annotations

import re

import numpy as np

from workbench.imaging.textlines import find_line_boxes
from workbench.ocr.mend import mend_marks, mend_prereform, mend_scripts, mend_section_signs, mend_sentence_case
from workbench.ocr.spacing import space_letters, space_signs
from workbench.ocr.spelling import mend_spelling, speller, split_token
from workbench.page import BBox, Block, Line, Page, Step, Word

# Measured: scribbled handwriting gives a mean near 20 and almost no sure words; a hard carbon copy read
# at 22% CER gives a mean near 41 with a quarter of its letters in sure words, and is worth correcting.
GOOD_WORD_CONFIDENCE = 70.0
MIN_GOOD_SHARE = 0.12  # of the letters, in words Tesseract is sure of
MIN_MEAN_CONFIDENCE = 32.0
# A doubtful reading is still print when this share of its letters is in words of six letters or more that
# the page's dictionary knows: twenty of the tests' scribbles, read as Russian and as Ukrainian, had none,
# while smeared typing with a stamp that Tesseract doubted throughout (69000/mixed-048, mean confidence 26)
# had 0.28, at 31% CER: worth correcting, not typing again. Noise makes shorter words the dictionary knows
# (ЛАДА, думу, ЛУКИ): counted from four letters, the scribbles had up to 0.26. Blurred typing on a dark photo
# (119000/mixed-049, never seen before it was run) had 0.164 at 32% CER, as worth correcting, and was set aside
# at 0.2; the typed pages set aside below that read at 57% to 83% CER (0.127 and under), more to type than to mend.
MIN_KNOWN_SHARE = 0.15
KNOWN_WORD_LETTERS = 6
# A stray line: Tesseract less sure of it than a coin toss, no digit or numero sign (dates, numbers, leaf and
# file references stay however badly read) and no word with a run of four letters. On the benchmark's photos
# such lines were all margin noise; real text read that badly still holds longer words.
NOISE_LINE_CONFIDENCE = 50.0
NOISE_LINE_LETTERS = 4
# A page edge or a curl at the border of the page image reads as a doubtful line along the top or bottom,
# or as signs and single letters (``|``, ``я``) at the ends of lines; a box this close to the border
# (share of the side) touches it.
EDGE_SHARE = 0.004
EDGE_WORD_LETTERS = 2
# In the top or bottom 5% of the page image, a line read at this mean confidence is the edge whatever its
# words (a wavy edge read as "НОВИНИ" at 0, a curl's shadow as "оакна діниіньві"); on the benchmark's
# 180 photos dropping these lost no page any text.
EDGE_LINE_CONFIDENCE = 25.0
EDGE_ZONE = 0.05
# Letter heights between a line's text and a sign or doubtful scraps at its end: a rule, an edge or the paper's
# grain beyond the text, not text
APART_GAP = 3.0
EDGE_SIGNS = frozenset("|[]!/\\¦‖")  # what a page edge or a ruled line is read as
# Scraps this short (``Е".``, ``2%``, ``1``), all doubted, set apart from a line's text and reaching the border of
# the page image: the grain along the page's edge; a doubtful word or number there (``Петровскай 12.900`` at
# the border of a spread's page) is longer
BORDER_SCRAP = 3
# Signs a typist never puts alone at a line's end: a doubtful word of signs with one of them is a scrap of a
# stamp or an edge. Dashes, quotes, ditto marks, underscores and stops are text (a table's nil, a
# signature's blank, a list number's stop read as ``‹.``) and stay however doubtful.
SCRAP_SIGNS = EDGE_SIGNS | frozenset("{}~^<>=")
EDGE_LINE_WORDS = 3  # a line this short with a number in it is a folio or a leaf number, however doubtful
# A line of one or two such signs alone, however sure Tesseract is of it (``*`` at 84, ``\\`` at 66): a speck, a
# spot of foxing or a binding hole, not text. Not ``%.`` or ``$.``: a section sign read so, which the mending
# puts back (``§``); nor a dash or quote, a table's nil or a ditto mark.
SPECK_SIGNS = frozenset("*<>\\/|`.,°~^=·•:;")
MAX_SPECK = 2
_LETTER_RUN = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")  # п'ять, Северо-Донецкой: one run
_NUMBER = re.compile(r"[\d№]")


def looks_like_noise(page: Page) -> bool:
    """Mostly low-confidence words, or words without letters: what Tesseract makes of handwriting."""
    words = list(page.words())
    letters = sum(len(w.text) for w in words)
    if not letters:
        return False
    good = sum(len(w.text) for w in words
               if w.confidence >= GOOD_WORD_CONFIDENCE and sum(ch.isalpha() for ch in w.text) * 2 >= len(w.text))
    mean = page.mean_confidence or 0.0
    return mean < MIN_MEAN_CONFIDENCE or good / letters < MIN_GOOD_SHARE


def known_share(page: Page, languages: str) -> float:
    """The share of a reading's letters in words of KNOWN_WORD_LETTERS or more that the dictionary of the
    page's languages knows (in modern spelling, a pre-reform word too); 0 without a dictionary."""
    checker = speller(languages)
    words = [w.text for w in page.words()]
    letters = sum(len(w) for w in words)
    if checker is None or not letters:
        return 0.0
    known = 0
    for text in words:
        word = split_token(text)[1]
        if len(word) >= KNOWN_WORD_LETTERS and word.isalpha() and checker.knows_as_read(word):
            known += len(text)
    return known / letters


def lines_only(page: Page, boxes: list[BBox]) -> Page:
    """The page with its words dropped and the given line boxes, for transcription by hand."""
    blocks = [Block(bbox=BBox.enclosing(boxes), lines=[Line(bbox=b) for b in boxes])] if boxes else []
    return Page(width=page.width, height=page.height, blocks=blocks, steps=page.steps)


def _line_confidence(line: Line) -> float:
    """Mean confidence of a line's words, each word counted once (a line of words only)."""
    return sum(w.confidence for w in line.words) / len(line.words)


def _doubtful_scraps(line: Line) -> bool:
    """Tesseract less sure of the line than a coin toss, and no word in it with a run of four letters."""
    return _line_confidence(line) < NOISE_LINE_CONFIDENCE and _longest_letter_run(line.words) < NOISE_LINE_LETTERS


def _longest_letter_run(words: list[Word]) -> int:
    return max((len(run) for w in words for run in _LETTER_RUN.findall(w.text)), default=0)


def is_noise_line(line: Line) -> bool:
    """A short low-confidence line of stray letters and signs: a mark on the page, not text."""
    if not line.words or any(_NUMBER.search(w.text) for w in line.words):
        return False
    return _doubtful_scraps(line)


def _lone_speck(line: Line) -> bool:
    """One word of at most ``MAX_SPECK`` of the signs a speck reads as (``SPECK_SIGNS``): a speck read alone."""
    text = "".join(w.text for w in line.words)
    return len(line.words) == 1 and 0 < len(text) <= MAX_SPECK and set(text) <= SPECK_SIGNS


def _margins(page: Page) -> tuple[float, float]:
    return max(2.0, EDGE_SHARE * page.width), max(2.0, EDGE_SHARE * page.height)


def _at_side(box: BBox, page: Page) -> bool:
    """The box reaches the left or right border of the page image."""
    mx, _ = _margins(page)
    return box.x0 <= mx or box.x1 >= page.width - mx


def _at_top_or_bottom(box: BBox, page: Page) -> bool:
    _, my = _margins(page)
    return box.y0 <= my or box.y1 >= page.height - my


def _near_top_or_bottom(box: BBox, page: Page) -> bool:
    """The box lies in the top or bottom strip where a curled or shadowed page edge falls."""
    return box.y0 <= EDGE_ZONE * page.height or box.y1 >= (1 - EDGE_ZONE) * page.height


def _is_edge_word(word: Word, page: Page) -> bool:
    """Signs, or a letter or two Tesseract doubts, at the left or right border, no number: the page's edge,
    not a word (a sure ``и`` or ``на`` at the border of a close-up stays)."""
    text = word.text
    if not _at_side(word.bbox, page) or _NUMBER.search(text):
        return False
    if not any(ch.isalnum() for ch in text):
        return True
    return len(text) <= EDGE_WORD_LETTERS and word.confidence < NOISE_LINE_CONFIDENCE


def _is_set_apart_sign(line: Line, index: int) -> bool:
    """The first or last word of a line is a scrap, not text: signs Tesseract doubts with one that no typist
    types there (a stamp's rim read as ``[=`` or ``[|``), or what an edge reads as (``|``, ``[``) standing
    apart from the text by more than a few letters' width (a page edge, a ruled line). A table's ``№``,
    ditto mark or dash, a list's dash and a signature's blank stay however doubtful."""
    words = line.words
    if len(words) < 2 or index not in (0, len(words) - 1):
        return False
    word, neighbour = words[index], words[1] if index == 0 else words[-2]
    text = word.text
    if (word.confidence < NOISE_LINE_CONFIDENCE and not any(ch.isalnum() for ch in text)
            and any(ch in SCRAP_SIGNS for ch in text)):
        return True
    if not set(text) <= EDGE_SIGNS:
        return False
    return _set_apart(word, neighbour, neighbour) if index == 0 else _set_apart(neighbour, word, neighbour)


def _set_apart(left: Word, right: Word, text: Word) -> bool:
    """Two neighbours in a line lie more than APART_GAP letter heights (``text``'s height) apart."""
    return right.bbox.x0 - left.bbox.x1 > APART_GAP * max(1, text.bbox.y1 - text.bbox.y0)


def _grain_read_as_letters(words: list[Word]) -> bool:
    """Letters Tesseract all but rejects, no run of four of them and no number: specks read as letters."""
    return (any(ch.isalpha() for w in words for ch in w.text) and _longest_letter_run(words) < NOISE_LINE_LETTERS
            and not any(_NUMBER.search(w.text) for w in words)
            and sum(w.confidence for w in words) / len(words) < EDGE_LINE_CONFIDENCE)


def _set_apart_scraps(line: Line, page: Page) -> set[int]:
    """The indices of words at a line's end, or its start, set apart from its text by a gap of more than
    APART_GAP letter heights, that are all together letters Tesseract all but rejects (a grainy page's
    specks beyond the text, not a word of it), or that reach the border of the page image and Tesseract
    doubts them all, scraps of three characters at most, numbers or not (the grain along a page's edge read
    as ``Е".``, ``< 2%`` or ``| 1``). A name set apart (a signature's ``Ткач``), a date, a number, a lone
    letter in a table's column read at all surely, and the signs a typist types (a table's nil, a ditto mark,
    a signature's blank) stay."""
    words = line.words
    if is_noise_line(line):  # the whole line goes; what was left of it might pass for text
        return set()
    mx, _ = _margins(page)
    gone: set[int] = set()
    for i in range(1, len(words)):  # the leftmost gap with only scraps right of it
        if _set_apart(words[i - 1], words[i], words[i - 1]) and (
                _grain_read_as_letters(words[i:])
                or (words[-1].bbox.x1 >= page.width - mx and _border_grain(words[i:]))):
            gone.update(range(i, len(words)))
            break
    for i in range(len(words) - 1, 0, -1):  # the rightmost gap with only scraps left of it
        if _set_apart(words[i - 1], words[i], words[i]) and (
                _grain_read_as_letters(words[:i]) or (words[0].bbox.x0 <= mx and _border_grain(words[:i]))):
            gone.update(range(i))
            break
    return gone if len(gone) < len(words) else set()  # a line all scraps is a stray line's to drop


def _border_grain(words: list[Word]) -> bool:
    """Scraps of at most ``BORDER_SCRAP`` characters, all doubted: grain, not a doubtful word or number."""
    return all(w.confidence < NOISE_LINE_CONFIDENCE and len(w.text) <= BORDER_SCRAP for w in words)


def _without_edge_words(line: Line, page: Page) -> Line:
    apart = _set_apart_scraps(line, page)
    kept = [w for i, w in enumerate(line.words)
            if not (i in apart or _is_edge_word(w, page) or _is_set_apart_sign(line, i))]
    if len(kept) == len(line.words):
        return line
    return Line(bbox=BBox.enclosing([w.bbox for w in kept]) if kept else line.bbox, words=kept)


def _is_stray(line: Line, page: Page) -> bool:
    """A stray line of signs anywhere, along the top or bottom border a doubtful line of scraps even with
    numbers in it, or near it one Tesseract all but rejects (a curled or shadowed page edge); a doubtful
    line of real words there stays."""
    if not line.words:
        return True
    if is_noise_line(line) or _lone_speck(line):
        return True
    if _at_top_or_bottom(line.bbox, page) and _doubtful_scraps(line):
        return True
    folio = len(line.words) <= EDGE_LINE_WORDS and any(_NUMBER.search(w.text) for w in line.words)
    return (_near_top_or_bottom(line.bbox, page) and _line_confidence(line) < EDGE_LINE_CONFIDENCE
            and not folio)


def drop_noise_lines(page: Page) -> Page:
    """The page without its stray lines and edge words; each one's text, box and confidence go to a
    ``noise-lines`` step."""
    dropped: list[dict[str, object]] = []
    blocks: list[Block] = []
    for block in page.blocks:
        lines = [_without_edge_words(line, page) for line in block.lines]
        flags = [_is_stray(line, page) for line in lines]
        changed = [line is not original for line, original in zip(lines, block.lines, strict=True)]
        if not any(flags) and not any(changed):
            blocks.append(block)
            continue
        for original, line, noise in zip(block.lines, lines, flags, strict=True):
            gone = original.words if noise else [w for w in original.words if w not in line.words]
            if gone:
                box = BBox.enclosing([w.bbox for w in gone])
                dropped.append({"text": " ".join(w.text for w in gone), "bbox": [box.x0, box.y0, box.x1, box.y1],
                                "confidence": round(sum(w.confidence for w in gone) / len(gone), 1)})
        kept = [line for line, noise in zip(lines, flags, strict=True) if not noise]
        if kept:
            blocks.append(Block(bbox=BBox.enclosing([line.bbox for line in kept]), lines=kept))
    if not dropped:
        return page
    steps = [*page.steps, Step("noise-lines", {"dropped": dropped}, 0.0)]
    return Page(width=page.width, height=page.height, blocks=blocks, steps=steps)


def settle(layout: Page, image: np.ndarray, languages: str = "rus") -> tuple[Page, bool]:
    """The reading to keep, and whether the page is for transcription by hand.

    Noise (unless MIN_KNOWN_SHARE of it is words the dictionary knows, ``known_share``), or no words where there
    are lines of ink: handwriting, given as line strips to type into. Print keeps its words, less its stray
    lines, with words spelled in two scripts mended, on a pre-reform page its ``ѣ`` restored, the section
    signs the model lacks put back (``§``, and on a Ukrainian page ``№``), an initial's ``О`` and a list's
    ``б)`` read as digits mended, a sentence's first letter read small by its size made a capital,
    letter-spaced words read as one split into their letters again, and a sign read run into its number
    (``№37``) split from it where the image shows the space.
    """
    noise = looks_like_noise(layout) and known_share(layout, languages) < MIN_KNOWN_SHARE
    if not noise and any(True for _ in layout.words()):
        mended = mend_spelling(mend_prereform(mend_scripts(drop_noise_lines(layout))), languages)
        mended = mend_sentence_case(mend_marks(mend_section_signs(mended), languages))
        return space_signs(space_letters(mended, image), image), False
    boxes = find_line_boxes(image)
    if noise or len(boxes) >= 2:
        return lines_only(layout, boxes), True
    return layout, False
