"""Mend words Tesseract spelled with the wrong script: a Latin ``o`` or a digit ``1`` inside a Cyrillic word.

The Russian model has Latin letters and digits but no ``і``; it reads the ``і`` of Ukrainian and pre-reform
Russian as ``1`` or ``i``, and now and then a Cyrillic letter as its Latin twin. Such a word looks right and
is found by no search. A word is mended run by run (letters, with the digits ``0`` and ``1``, between other
signs): only a run that is mostly Cyrillic changes, only letters that look the same in both scripts, and a
digit only between two Cyrillic letters. Numbers, Latin words and Roman numerals (``IV-го``, ``F. 2595``,
``1.X.1926``) stay as read. A capital that is its small letter drawn larger (``П``, ``Ѣ``, ``Ъ``) between
two small letters, or a capital sign ending a word of small letters, was read by its size alone and is
made small; an abbreviation that never stands before a comma (``тов,``) gets the full stop read as one.

The Russian model has no ``ѣ`` either, which pre-reform pages (typed up to the early 1920s) are full of; it
reads it as ``ъ``, ``ь`` or both. On a page that is pre-reform by its own evidence (words ending in a hard
sign after a consonant, which modern spelling never has), a hard sign inside a word before a consonant or
before ``а о у ы`` (it separates only before ``е ё ю я э ѣ і и``), or before ``е ё ю я`` where no prefix ends,
can only be ``ѣ``, and so can ``ьъ`` or ``ъь``, a capital ``Б`` amid small letters and a ``ф`` between two
consonants where loanwords have none. Nor has the model an ``і``: in small print ``ні`` and ``ці`` run
together into ``ш`` and ``щ``, which Russian never puts before ``я ю й``, where pre-reform ``і`` stands; and
an ``и`` before a vowel, where pre-reform spelling has ``і``, is one read as ``и``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from workbench.page import Page, Step, Word

# Latin letter -> the Cyrillic letter drawn the same way
_TWINS = str.maketrans("aceopxyiABCEHIKMOPTX", "асеорхуіАВСЕНІКМОРТХ")
_DIGITS = {"1": ("і", "І"), "0": ("о", "О")}
_RUN = re.compile(r"(?:[^\W\d_]|[01])+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def _is_cyrillic(ch: str) -> bool:
    return bool(_CYRILLIC.match(ch))


def _mend_run(run: str) -> str:
    cyrillic = len(_CYRILLIC.findall(run))
    if cyrillic == 0 or len(_LATIN.findall(run)) >= cyrillic:
        return run
    out = list(run.translate(_TWINS))
    for i, ch in enumerate(run):
        if ch in _DIGITS and 0 < i < len(run) - 1 and _is_cyrillic(out[i - 1]) and _is_cyrillic(out[i + 1]):
            lower, upper = _DIGITS[ch]
            out[i] = upper if out[i - 1].isupper() and out[i + 1].isupper() else lower
    return "".join(out)


def mend_word(text: str) -> str:
    """The word with Latin twins and digits between Cyrillic letters turned Cyrillic, where it is Cyrillic."""
    return _RUN.sub(lambda m: _mend_run(m.group(0)), text)


def mend_lines(page: Page, mend: Callable[[list[str]], list[str]], step: str) -> Page:
    """Every line's words through ``mend`` (texts in, as many texts out), in order, in place, each keeping
    its box; what changed goes to a step."""
    changed: list[list[str]] = []
    for line in page.lines():
        if not line.words:
            continue
        for n, (word, mended) in enumerate(zip(line.words, mend([w.text for w in line.words]), strict=True)):
            if mended != word.text:
                changed.append([word.text, mended])
                line.words[n] = Word(mended, word.bbox, word.confidence)
    if changed:
        page.steps = [*page.steps, Step(step, {"mended": changed}, 0.0)]
    return page


def mend_words(page: Page, mend: Callable[[str], str], step: str) -> Page:
    """Every word of the page through ``mend``; what changed goes to a step."""
    return mend_lines(page, lambda texts: [mend(text) for text in texts], step)


# Capitals whose small letter is the same shape made smaller: in a blurred or small photo Tesseract takes
# one for the other by its size alone (отПравленныхъ, свѢдѢнія). Between two small letters such a capital
# is small: no spelling puts one there, and abbreviations that mix cases (ГубЧК, ВУЦИК) have it beside
# another capital. A hard or soft sign ending a word of small letters is small too (вагоновЪ).
_SMALL_CAPITAL = re.compile(r"(?<=[а-яёіїєґѣ])(?:[ВГЖЗИЙКЛМНОПСТХЦЧШЩЪЫЬЭЮЯЇЄҐѢ](?=[а-яёіїєґѣ])|[ЪЬ](?![^\W\d_]))")
# A word that opens with a capital may be a compound name of the time (НарКомПрос, ЦентроСоюз): in it only
# the signs and the yat, which open no word, are made small.
_SMALL_SIGN = re.compile(r"(?<=[а-яёіїєґѣ])(?:[ЪЬѢ](?=[а-яёіїєґѣ])|[ЪЬ](?![^\W\d_]))")


def mend_case(text: str) -> str:
    """The word with a size-only capital between two small letters made small."""
    pattern = _SMALL_SIGN if text[:1].isupper() else _SMALL_CAPITAL
    return pattern.sub(lambda m: m.group(0).lower(), text)


# Abbreviations that end in a full stop and never stand before a comma (тов. гр. ст.): at small sizes the
# stop is read as a comma (тов, Гребенюку). One letter (г, т, м) may be a list's letter or a unit: left.
_ABBREVIATION_COMMA = re.compile(r"^([Тт]ов|гр|ст)(,)$")


def mend_abbreviation(text: str) -> str:
    """An abbreviation read with a comma for its full stop gets its stop."""
    return _ABBREVIATION_COMMA.sub(r"\1.", text)


def _mend_script_and_case(text: str) -> str:
    return mend_abbreviation(mend_case(mend_word(text)))


def mend_scripts(page: Page) -> Page:
    """The page with its mixed-script words, and capitals read for small letters inside a word, mended in
    place; the changes are kept in a ``scripts`` step."""
    return mend_words(page, _mend_script_and_case, "scripts")


_FINAL_HARD_SIGN = re.compile(r"[бвгджзклмнпрстфхцчшщ][ъЪ]$", re.IGNORECASE)
_YAT_AS_TWO = re.compile(r"(?<=[а-яіё])(?:ьъ|ъь|ъъ)", re.IGNORECASE)
# before a consonant or a vowel it never separates (it does before е ё ю я э ѣ і и: подъѣздъ, объявленіе,
# трехъэтажный)
_YAT_AS_HARD_SIGN = re.compile(r"(?<=[а-яіё])[ъЪ](?=[бвгджзйклмнпрстфхцчшщаоуы])", re.IGNORECASE)
# or a capital Б inside a word in small letters, which no spelling has: свБдБнія, УБздъ
_YAT_AS_CAPITAL_BE = re.compile(r"(?<=[а-яіёА-ЯІЁ])Б(?=[а-яіё])")
# or a small ф between two small consonants (the yat's crossed stem read as ф: Совфтъ, Предсфдатель),
# which no Russian word has but loanwords do after л м н р or before л р (конфликтъ, инфляція,
# Дюссельдорфскій) and abbreviations in capitals (РСФСР); шрифтъ and Уфа have a vowel beside theirs
_YAT_AS_EF = re.compile(r"(?<=[бвгджзкпстхцчшщ])ф(?=[бвгджзкмнпстхцчшщ])")
# no Russian word ends in a soft sign after к г х ц; on a pre-reform page such an ending is the hard sign
# of складахъ, бочекъ, какъ, read as soft
_SOFT_FOR_HARD = re.compile(r"(?<=[кгхцКГХЦ])([ьЬ])(?![^\W\d_])")
# before е ё ю я the hard sign separates only after a prefix or a first part that ends in a consonant
# (объявленіе, подъемъ, съѣздъ, разъясненіе, субъектъ, двухъярусный); after anything else it is the ѣ
# read as one (имъется)
_YAT_BEFORE_IOTATED = re.compile(r"(?<=[а-яіё])[ъЪ](?=[еёюяЕЁЮЯ])")
_SEPARATING_PREFIXES = ("об", "под", "над", "от", "с", "в", "вз", "воз", "из", "раз", "без", "пред", "меж",
                        "сверх", "ад", "суб", "ин", "кон", "дез", "пан", "транс", "контр", "фельд", "двух", "трех",
                        "трёх", "четырех", "четырёх")
# Russian spelling never puts я, ю or й after ш or щ; pre-reform spelling puts і before them (правленія,
# станцію, послѣдній), and a small print's ні or ці, the model having no і, runs together into ш or щ (not
# after a word's first letter: Шюцкоръ; not in брошюра, парашютъ). No word ends in "еше" either (the word
# "еше" itself is ещё misread), and the pre-reform nouns in -еніе are many (правленіе, положеніе).
_I_RUN_IN = re.compile(r"(?<=[а-яёѣі])(?<!бро)(?<!пара)([шщ])(?=[яюй])|(?<=[А-ЯЁѢІ])([ШЩ])(?=[ЯЮЙ])"
                       r"|(?<=[^\W\d_][еЕ])([шШ])(?=[еЕ](?![^\W\d_]))")
_I_RUN_IN_LETTERS = {"ш": "ні", "щ": "ці", "Ш": "НІ", "Щ": "ЦІ"}
# Pre-reform spelling puts і before a vowel (станціи, Россія): an и there is the і read as one, unless it ends
# the first part of a compound (пятиэтажный, семиугольникъ, антиалкогольный)
_I_BEFORE_VOWEL = re.compile(r"(?<=[^\W\d_])([иИ])(?=[аеёиоуыэюяѣАЕЁИОУЫЭЮЯѢ])")
_COMPOUND_FIRST_PARTS = ("пяти", "шести", "семи", "восьми", "девяти", "десяти", "анти", "поли", "мини")


def _i_before_vowel(word: str) -> str:
    part = next((len(first) - 1 for first in _COMPOUND_FIRST_PARTS if word.lower().startswith(first)), None)
    return _I_BEFORE_VOWEL.sub(lambda m: m.group(0) if m.start() == part else "І" if m.group(1) == "И" else "і",
                               word)


_FINAL_CONSONANT = re.compile(r"[бвгджзклмнпрстфхцчшщ]$", re.IGNORECASE)
# a page is pre-reform when this many of its Cyrillic words, and this share, end in a hard sign
PREREFORM_WORDS = 3
PREREFORM_SHARE = 0.04


def is_prereform(words: list[str]) -> bool:
    """True if the words end in a hard sign after a consonant often enough to be pre-reform spelling.

    Pre-reform spelling ends every word that ends in a consonant with a hard sign; a modern page that
    Tesseract read with a few soft signs as hard ones still has many words ending in a bare consonant.
    """
    letters = [w.strip(".,:;!?»«()\"'-") for w in words]
    cyrillic = [w for w in letters if len(w) >= 2 and _CYRILLIC.search(w)]
    final = sum(bool(_FINAL_HARD_SIGN.search(w)) for w in cyrillic)
    bare = sum(bool(_FINAL_CONSONANT.search(w)) for w in cyrillic)
    return final >= PREREFORM_WORDS and final >= PREREFORM_SHARE * len(cyrillic) and final >= 2 * bare


def _yat(match: re.Match[str]) -> str:
    """A capital only in a word of capitals, by the letters around it, not by the sign read: СовЪта and
    Уъздный have a small one, УЪЗДЪ a capital."""
    text, start, end = match.string, match.start(), match.end()
    after = text[end] if end < len(text) else ""
    return "Ѣ" if text[start - 1].isupper() and not after.islower() else "ѣ"


def _yat_or_separator(match: re.Match[str]) -> str:
    if match.string[:match.start()].lower().endswith(_SEPARATING_PREFIXES):
        return match.group(0)
    return _yat(match)


def mend_yat(word: str) -> str:
    """A pre-reform word with its ``ѣ`` back where the Russian model could only read a hard or soft sign,
    or a capital Б amid small letters, its ``і`` where it ran into a ш or щ before я ю й or was read as an и
    before a vowel, and its final hard sign where a soft one cannot stand."""
    word = _YAT_AS_CAPITAL_BE.sub("ѣ", _YAT_AS_HARD_SIGN.sub(_yat, _YAT_AS_TWO.sub(_yat, word)))
    word = _YAT_AS_EF.sub(_yat, word)
    word = _YAT_BEFORE_IOTATED.sub(_yat_or_separator, word)
    word = _I_RUN_IN.sub(lambda m: _I_RUN_IN_LETTERS[m.group(1) or m.group(2) or m.group(3)], word)
    word = _i_before_vowel(word)
    return _SOFT_FOR_HARD.sub(lambda m: "Ъ" if m.group(1) == "Ь" else "ъ", word)


def mend_prereform(page: Page) -> Page:
    """On a pre-reform page, ``ѣ`` back in place of the signs read for it; the changes go to a ``yat`` step."""
    if not is_prereform([w.text for w in page.words()]):
        return page
    return mend_words(page, mend_yat, "yat")


# The Russian model has no section sign either: it reads ``§`` as 8, $, 5 or S. A paragraph of an order or
# a protocol opens with "§ 3."; a line opening with one of those signs as a word of its own and then a
# number with a full stop ("8 3.", "$ 1."), or with a dollar sign run into one ("$2."), has the section
# sign. On such a page "83." at a line's start is "§3." when 3 is the next paragraph's number.
_SECTION_ALONE = frozenset({"8", "$", "5", "S", "s"})
_PARAGRAPH_NUMBER = re.compile(r"\d{1,3}\.")
_SIGN_PARAGRAPH = re.compile(r"[$§](\d{1,3}\.)")  # "$2." read, or "§2." read right
_EIGHT_PARAGRAPH = re.compile(r"8(\d{1,2}\.)")


def _number(text: str) -> int:
    return int(text.rstrip("."))


def _section_sign(texts: list[str], last: int | None) -> tuple[list[str], int | None]:
    """The line's words with its section sign back, and the number of the paragraph it opens, if any."""
    if len(texts) >= 2 and texts[0] in _SECTION_ALONE | {"§"} and _PARAGRAPH_NUMBER.fullmatch(texts[1]):
        return ["§", *texts[1:]], _number(texts[1])
    if texts and (m := _SIGN_PARAGRAPH.fullmatch(texts[0])):
        return [f"§{m.group(1)}", *texts[1:]], _number(m.group(1))
    if (texts and last is not None and (m := _EIGHT_PARAGRAPH.fullmatch(texts[0]))
            and _number(m.group(1)) == last + 1):
        return [f"§{m.group(1)}", *texts[1:]], last + 1
    return texts, None


def mend_section_signs(page: Page) -> Page:
    """``§`` back where a line opens with a sign read for it; the changes go to a ``section-signs`` step."""
    last: int | None = None  # the number of the page's last paragraph so far, line by line

    def mend(texts: list[str]) -> list[str]:
        nonlocal last
        texts, number = _section_sign(texts, last)
        last = number if number is not None else last
        return texts

    return mend_lines(page, mend, "section-signs")


# Signs and letters read as others where a document's conventions leave one reading:
# - the Ukrainian model has no ``№`` (nor ``§`` or ``ґ``: none is in its character set) and reads the sign as
#   a look-alike of one or two letters (``М``, ``Ме``, ``Мо``, ``М»``, ``ю``); on a page read only with models
#   that lack it, such a word before a number is the sign (``ПРОТОКОЛ Ме 9`` -> ``№ 9``): the two-letter
#   readings, which are no word, anywhere; a lone letter (``серія М 9``, ``літера Ю 3`` are real) only where
#   the sign opens a line or follows a heading's word in capitals. The Russian model has the sign;
# - an initial's ``О`` read as ``0`` (``Яковенко 0.П.``): a zero with a full stop and a capital initial after
#   it is no number;
# - a list lettered ``а) б) в)`` has its ``б)`` read as ``6)`` (a digit before a bracket is the model's
#   likelier reading): a line opening with ``6)`` is ``б)`` when the page's last list mark opening a line was
#   ``а)`` and no line has opened with a numbered list's ``5)`` or ``5.``.
NO_NUMERO_SIGN = frozenset({"ukr", "eng"})  # models whose character set lacks the sign
_NUMERO_READ = re.compile(r"[МЮю][еоo»?]")
_NUMERO_LETTER = frozenset({"М", "Ю", "ю"})
_HEADING_WORD = re.compile(r"[А-ЯЁІЇЄҐ]+")  # ПРОТОКОЛ, or its letters read apart (ПРОТОК Л)
_NUMBER = re.compile(r"\d[\d.,;:)-]*")
_INITIAL_ZERO = re.compile(r"0(\.[А-ЯЁІЇЄҐ]\..*)")
_LIST_MARK = re.compile(r"(?:\d{1,2}|[^\W\d_])[.)]")


def mend_marks(page: Page, languages: str) -> Page:
    """``№``, an initial's ``О`` and a list's ``б)`` back where they were read as look-alikes; the changes go
    to a ``marks`` step."""
    no_sign = all(lang in NO_NUMERO_SIGN for lang in languages.split("+"))
    lettered = False  # whether the page's last line opening with a list mark opened with а)
    numbered_to_five = False  # whether a line has opened with 5) or 5.

    def numero(texts: list[str], n: int) -> bool:
        if not (no_sign and n + 1 < len(texts) and _NUMBER.fullmatch(texts[n + 1])):
            return False
        return bool(_NUMERO_READ.fullmatch(texts[n])) or (
            texts[n] in _NUMERO_LETTER and (n == 0 or bool(_HEADING_WORD.fullmatch(texts[n - 1]))))

    def mend(texts: list[str]) -> list[str]:
        nonlocal lettered, numbered_to_five
        out = list(texts)
        for n, text in enumerate(texts):
            if numero(texts, n):
                out[n] = "№"
            elif m := _INITIAL_ZERO.fullmatch(text):
                out[n] = "О" + m.group(1)
        if out and out[0] == "6)" and lettered and not numbered_to_five:
            out[0] = "б)"
        if out and _LIST_MARK.fullmatch(out[0]):
            lettered = out[0] in ("а)", "a)")  # Cyrillic or its Latin twin
            numbered_to_five = numbered_to_five or out[0] in ("5)", "5.")
        return out

    return mend_lines(page, mend, "marks")


# Small letters that are their capital drawn smaller: at a small or blurred size the model tells the two
# by height alone, and reads a sentence's first letter small (человек. ощущается). Letters with a shape of
# their own (а б д е р у ф) it reads by their shape, and are left.
_SIZE_ONLY_SMALL = "вгґжзийклмнопстхцчшщэюяіїє"
_OPENS_SMALL = re.compile(f"[{_SIZE_ONLY_SMALL}][а-яёіїєґѣ'’-]+")
# What ends a sentence: a word of five letters or more with a full stop or a question mark (a closing
# quote or bracket either side of it), unless the word ends in two consonants, as words cut short mostly
# do (уездн. сельск.; one cut after a vowel, исполнит., is not told from a verb, говорит.). Shorter ones
# may be abbreviations (г. тов. губ. руб.), and an exclamation mark may be an і misread (наявн!). A list's
# number at a line's start (2. Заяву) opens one too. After an initial only the line's last word is taken
# for a name (a signature: Секретарь А. Зуева): in running text the initial may follow the surname
# (Петров А. заявил, что).
_INITIAL = re.compile(r"[А-ЯЁІЇЄҐ]\.")
_SENTENCE_END = re.compile(r"[^\W\d_]{5,}(?<![бвгджзклмнпрстфхцчшщ]{2})[»\")]*[.?][»\")]*", re.IGNORECASE)
_LIST_NUMBER = re.compile(r"\d{1,2}\.")
MIN_SENTENCE_WORD = 2  # a single letter after a stop may be an abbreviation (т. е.), left as read


def _opens_sentence(previous: str | None, at_line_start: bool, ends_line: bool) -> bool:
    """Whether the word after ``previous`` opens a sentence or a name; ``at_line_start``: ``previous`` opened
    its line; ``ends_line``: the word itself ends its line."""
    if previous is None:
        return False
    return bool(_SENTENCE_END.fullmatch(previous) or (at_line_start and _LIST_NUMBER.fullmatch(previous))
                or (ends_line and _INITIAL.fullmatch(previous)))


def mend_sentence_case(page: Page) -> Page:
    """A word that opens a sentence, or a signature's surname after an initial, read with a size-only small
    first letter gets its capital; the changes go to a ``sentence-case`` step."""
    previous: str | None = None  # the page's last word so far, line by line
    first_of_line = True  # whether ``previous`` opened its line

    def mend(texts: list[str]) -> list[str]:
        nonlocal previous, first_of_line
        out = []
        for n, text in enumerate(texts):
            if (len(text) >= MIN_SENTENCE_WORD and _OPENS_SMALL.match(text)
                    and _opens_sentence(previous, first_of_line, n == len(texts) - 1)):
                text = text[0].upper() + text[1:]
            out.append(text)
            previous, first_of_line = texts[n], n == 0
        return out

    return mend_lines(page, mend, "sentence-case")
