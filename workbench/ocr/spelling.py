"""Mend a word misread by letters the model confuses, when the dictionary knows the mended word only.

On a smeared, faded or small page Tesseract takes letters for their look-alikes: ``л`` for ``п``, ``д`` for
``л``, ``в`` for ``з``, ``к`` for ``х``, ``н`` for ``и`` (``попучении``, ``свеления``, ``профессиоиальиым``). A
word so misread is mostly no word at all. If it is not in the page's dictionary (Debian's Hunspell
dictionaries, through Enchant) and, among the words one look-alike away (or two, when none is one away),
exactly one is, that one was meant. A word the dictionary knows is never changed, nor is a word with no
such neighbour or with several (a name, an abbreviation, a word of the time the dictionary lacks stay as
read), nor, on a modern page, a word in capitals or a short word.

A pre-reform page is in no modern dictionary, so its words are looked up in modern spelling: ``ѣ`` as ``е``,
``і`` as ``и``, the final hard sign dropped and the adjective ending ``-аго`` as ``-ого``. The model has no
``ѣ`` and reads ``і`` poorly; it puts in their place signs that the rules in ``workbench.ocr.mend`` cannot
always tell from the letters they are (``ф`` between ``д`` and ``л``, ``ѣ`` read as the two signs ``ъф``, a
final hard sign read as ``ь`` or ``ѣ``, a capital ``І`` as ``Т``, ``ці`` run into ``щ``, a faint ``і`` not at
all). A word whose modern spelling the dictionary lacks is given the one reading it knows, of those signs put
back as ``ѣ``, ``і`` or ``ъ`` and of the look-alikes above, fewest changes first (``распредфляется`` ->
``распредѣляется``, ``пудовь`` -> ``пудовъ``). Of two readings alike, one among the commonest function words
wins (``тьмъ`` -> ``тѣмъ``, not ``тьмѣ``).

A word broken at a line's end by a hyphen is two fragments, neither in the dictionary: both stay as read
(``заседа-`` is no misread ``засела``).

The Ukrainian model has no ``ґ`` either, but ``г`` is not given one: Ukrainian spelling dropped it from 1933
to 1990, and a page typed then has ``грунт`` where the dictionary has ``ґрунт``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from functools import cache
from itertools import combinations, product
from typing import Protocol

from workbench.ocr.mend import is_prereform, mend_lines
from workbench.page import Page

log = logging.getLogger(__name__)

# Look-alikes the Russian and Ukrainian models confuse on degraded pages (counted on the benchmark's photos),
# each way round
_PAIRS = ("лп", "дл", "вз", "кх", "ни", "ос", "нч", "пг", "дп", "ес", "шщ", "ип", "тг", "ий", "цщ",
          # and where a smear's restoration rings over a letter, or a typewriter's д has a tail: on the cached
          # readings of 540 photos of nine plans these four bettered 16 pages by 0.1 to 0.7 points and made one
          # 0.1 worse (a misread word mended into another wrong one)
          "нй", "лй", "нм", "дц")
DICTIONARIES = {"rus": "ru_RU", "ukr": "uk_UA"}
HYPHENS = ("-", "¬", "‐")  # a word broken at a line's end
MIN_LETTERS = 4  # a shorter word has too many neighbours to tell
MAX_CHANGES = 2
# Two changes only in a word this long (a quarter of its letters at most): a shorter fragment of a word split
# by a misread space lies two look-alikes from too many others (предос -> прелое, сзедени -> озелени)
MIN_LETTERS_FOR_TWO = 8
KNOWN_CACHE = 200_000  # dictionary answers kept (some 40 MB): a long pre-reform word may ask thousands

# Signs the Russian model reads in place of a pre-reform letter, on the word in small letters
_YAT_READS = ("ъф", "ьф", "ѣф", "ф", "б", "ь", "ъ")  # for ѣ, inside or at the end of a word
_I_READS = ("1", "!", "{", "ф", "i", "l", "ш")  # for і, inside a word
_I_RUN_INTO = {"щ": "ці", "ш": "ні"}  # і run together with the letter before it, inside a word
_CAPITAL_I_READS = ("т",)  # for І, in a word of capitals
_HARD_SIGN_READS = ("ь", "ѣ")  # for ъ, ending a word after a consonant
_CONSONANTS = "бвгджзклмнпрстфхцчшщ"
_VOWELS = "аеиоуыэюя"
# Pre-reform function words, the commonest of all, which settle a tie between readings the dictionary knows
# alike (тьмъ: тѣмъ, not тьмѣ; сь: съ, not сѣ)
COMMON_WORDS = frozenset({
    "въ", "съ", "къ", "изъ", "отъ", "объ", "подъ", "надъ", "предъ", "безъ", "черезъ", "тѣмъ", "тѣ", "тѣхъ",
    "всѣ", "всѣхъ", "всѣмъ", "гдѣ", "нѣтъ", "какъ", "такъ", "послѣ", "чѣмъ", "при", "уже", "также", "тоже",
})
# Pre-reform words that have no modern spelling of their own, which are right as read (онѣ is not онъ misread)
PREREFORM_ONLY = frozenset({"онѣ", "однѣ", "однѣхъ", "однѣми", "ея", "нея", "сія", "сіе", "сіи", "сей", "коихъ",
                            "коими", "коего", "коей", "коему", "сіею", "оныя", "оныхъ"})
MIN_PREREFORM_LETTERS_FOR_THREE = 7  # a word this long may have three signs misread (свьдьн{я: свѣдѣнія)
MAX_PREREFORM_LETTERS = 20  # a longer "word" is words run together, and its readings too many to try
MAX_SITES_FOR_THREE = 40
_NO_I_AFTER = "жчшщ"  # a faint і is not looked for after these (Высочайше is no Высочайшіе)
# the genitive adjective ending, -аго after a hard consonant, -яго and -аго after a hissing one: -ого, -его
_OLD_ADJECTIVE_ENDING = (re.compile(r"(?<=[жчшщ])аго$|яго$"), "его"), (re.compile(r"аго$"), "ого")


def modern_spellings(word: str) -> list[str]:
    """A pre-reform word in modern spelling, in small letters: as it is and, if it may be an adjective in the
    genitive, with the modern ending too (``Народнаго`` -> ``народнаго``, ``народного``; ``благо`` stays)."""
    w = word.lower().replace("ѣ", "е").replace("і", "и").replace("ѳ", "ф").replace("ѵ", "и")
    if len(w) > 1 and w.endswith("ъ"):
        w = w[:-1]
    for pattern, ending in _OLD_ADJECTIVE_ENDING:
        if pattern.search(w):
            return [w, pattern.sub(ending, w)]
    return [w]


class Dictionary(Protocol):
    def check(self, word: str) -> bool: ...


def _look_alikes(pairs: tuple[str, ...]) -> dict[str, str]:
    alikes: dict[str, str] = {}
    for a, b in (tuple(pair) for pair in pairs):
        alikes[a] = alikes.get(a, "") + b
        alikes[b] = alikes.get(b, "") + a
    return alikes


class Speller:
    """The dictionaries of a page's languages, and the look-alikes of the models that read it."""

    def __init__(self, dictionaries: list[Dictionary]) -> None:
        self.dictionaries = dictionaries
        self.alikes = _look_alikes(_PAIRS)
        # one Hunspell object answers wrongly when two threads ask at once (the web app reads uploads in threads)
        self._lock = threading.Lock()
        self._known: dict[str, bool] = {}

    def knows(self, word: str) -> bool:
        with self._lock:
            known = self._known.get(word)
            if known is None:
                if len(self._known) >= KNOWN_CACHE:  # a server reading for months: all answers go and are asked again
                    self._known.clear()
                known = self._known[word] = any(d.check(word) for d in self.dictionaries)
            return known

    def _neighbours(self, word: str, changes: int, keep_first: bool = False) -> Iterator[str]:
        letters = word.lower()
        places = [i for i, ch in enumerate(letters) if ch in self.alikes and (i or not keep_first)]
        for chosen in combinations(places, changes):
            for swaps in product(*(self.alikes[letters[i]] for i in chosen)):
                chars = list(word)
                for i, swap in zip(chosen, swaps, strict=True):
                    chars[i] = swap.upper() if word[i].isupper() else swap
                yield "".join(chars)

    def mend(self, word: str) -> str:
        """The one dictionary word fewest look-alikes away from an unknown ``word``, else ``word``."""
        if len(word) < MIN_LETTERS or not word.isalpha() or not word[1:].islower() or self.knows(word):
            return word
        # a word with a capital may be a name the dictionary lacks (Дорохов is not Пороков): its capital
        # stays, and one letter at most is changed, as in a short word
        name = word[0].isupper()
        for changes in range(1, 1 + (1 if name or len(word) < MIN_LETTERS_FOR_TWO else MAX_CHANGES)):
            known = {n for n in self._neighbours(word, changes, keep_first=name) if self.knows(n)}
            if len(known) == 1:
                return known.pop()
            if known:
                return word
        return word

    def knows_as_read(self, word: str) -> bool:
        """Whether the dictionary knows a word as Tesseract read it, in whatever case, in modern spelling or
        in pre-reform spelling put into modern (``ПРОТОКОЛ``, ``Протокол``, ``Совѣта``, ``Харьков``)."""
        return self.knows(word) or self._knows_modern(word.lower(), capital=word[:1].isupper())

    def _knows_modern(self, word: str, *, capital: bool = False) -> bool:
        """Whether the dictionary knows ``word`` (small letters) in modern spelling; with ``capital`` (it was
        read with one) also as a name, which Hunspell knows only with its capital (Дарья, Москва)."""
        spellings = modern_spellings(word)
        if capital:
            spellings += [w[:1].upper() + w[1:] for w in spellings]
        return word in PREREFORM_ONLY or any(self.knows(w) for w in spellings)

    def _prereform_sites(self, word: str, *, capitals: bool, capital: bool) -> list[tuple[int, int, str]]:
        """Where a pre-reform letter may have been misread in ``word`` (small letters; it was read all in
        ``capitals``, or with a first ``capital``): (start, end, the letter meant)."""
        sites = []
        capital_reads = _CAPITAL_I_READS if capitals else ()
        for reads, letter, inside in ((_YAT_READS, "ѣ", False), (_I_READS + capital_reads, "і", True)):
            for read in reads:
                for m in re.finditer(re.escape(read), word):
                    if m.start() > 0 and (not inside or m.end() < len(word)):
                        sites.append((m.start(), m.end(), letter))
        sites += [(i, i + 1, _I_RUN_INTO[ch]) for i, ch in enumerate(word[:-1]) if i and ch in _I_RUN_INTO]
        # a faint і not read at all, after a consonant before a vowel (населеня, Правлене)
        sites += [(i, i, "і") for i in range(1, len(word))
                  if word[i - 1] in _CONSONANTS and word[i - 1] not in _NO_I_AFTER and word[i] in _VOWELS]
        # a final ъ read as a soft sign; not after л in a name (Коваль, Гоголь are no Ковалъ, Гоголъ)
        if (len(word) >= 2 and word[-1] in _HARD_SIGN_READS and word[-2] in _CONSONANTS
                and not (capital and word[-2:] == "ль")):
            sites.append((len(word) - 1, len(word), "ъ"))
        return sites

    def _look_alike_sites(self, word: str) -> list[tuple[int, int, str]]:
        return [(i, i + 1, alike) for i, ch in enumerate(word) if ch in self.alikes for alike in self.alikes[ch]]

    def mend_prereform(self, word: str) -> str:
        """The one pre-reform reading of ``word`` whose modern spelling the dictionary knows, if its own is
        unknown; else ``word``. Fewest changes first; a reading with ``ѣѣ`` or ``іі`` is none, and of several
        alike one among ``COMMON_WORDS`` wins. A word with a capital may be a name: it is known with its capital
        too, its first letter stays, and two changes at most are made, one of them a look-alike."""
        letters = word.lower()
        capital = word[:1].isupper()
        if (len(word) < 2 or len(word) > MAX_PREREFORM_LETTERS or not any(ch.isalpha() for ch in word)
                or self._knows_modern(letters, capital=capital)):
            return word
        capitals = _in_capitals(word)
        sites = [(*site, False) for site in self._prereform_sites(letters, capitals=capitals, capital=capital)]
        # look-alikes as in modern spelling: none in capitals, two in a long word, one in a name and not its first
        if not capitals and len(word) >= MIN_LETTERS:
            sites += [(*site, True) for site in self._look_alike_sites(letters) if site[0] or not capital]
        max_alikes = MAX_CHANGES if len(word) >= MIN_LETTERS_FOR_TWO and not capital else 1
        # three changes in a long word, not in a name's, nor among so many places (too many readings to try)
        three = len(word) >= MIN_PREREFORM_LETTERS_FOR_THREE and (capitals or not capital)
        max_changes = 3 if three and len(sites) <= MAX_SITES_FOR_THREE else 2
        for changes in range(1, max_changes + 1):
            known = set()
            for chosen in combinations(sorted(sites), changes):
                if (any(a[1] > b[0] for a, b in zip(chosen, chosen[1:], strict=False))  # overlapping
                        or sum(alike for *_, alike in chosen) > max_alikes):
                    continue
                mended = letters
                for start, end, letter, _ in reversed(chosen):
                    mended = mended[:start] + letter + mended[end:]
                if (mended.isalpha() and "ѣѣ" not in mended and "іі" not in mended
                        and self._knows_modern(mended, capital=capital)):
                    known.add(mended)
            if len(known) > 1 and len(common := known & COMMON_WORDS) == 1:
                known = common
            known = _hard_sign_first(known)
            if len(known) == 1:
                return _cased_like(known.pop(), word)
            if known:
                return word
        return word


def _hard_sign_first(known: set[str]) -> set[str]:
    """Of two readings alike but for a final ``ъ`` or ``ѣ`` (вызываетъ, вызываетѣ), the hard sign's: a word's
    final soft sign, unknown as read, is wrong either way, and pre-reform spelling ends every word that ends in
    a consonant with ``ъ``, few with ``ѣ`` (on plans 78000-80000, 46 final hard signs were read as soft against
    6 final yats)."""
    if len(known) == 2 and {w[-1] for w in known} == {"ъ", "ѣ"} and len({w[:-1] for w in known}) == 1:
        return {w for w in known if w.endswith("ъ")}
    return known


def _in_capitals(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)


def _cased_like(mended: str, word: str) -> str:
    """``mended`` (small letters) in the case of ``word``: all capitals, a first capital, or small."""
    if _in_capitals(word):
        return mended.upper()
    return mended[0].upper() + mended[1:] if word[0].isupper() else mended


def split_token(token: str) -> tuple[str, str, str]:
    """Leading signs, the letters, trailing signs (``«попучении,»`` -> ``«``, ``попучении``, ``,»``)."""
    start = 0
    while start < len(token) and not token[start].isalpha():
        start += 1
    end = len(token)
    while end > start and not token[end - 1].isalpha():
        end -= 1
    return token[:start], token[start:end], token[end:]


@cache
def speller(languages: str) -> Speller | None:
    """The speller for Tesseract's ``languages`` (``rus``, ``ukr``, ``rus+ukr``); None without a dictionary."""
    try:
        import enchant
    except ImportError:  # pragma: no cover - pyenchant is a dependency; its C library comes from Debian
        log.warning("pyenchant is not installed: words are not checked against a dictionary")
        return None
    dictionaries = []
    for code in languages.split("+"):
        tag = DICTIONARIES.get(code)
        if tag is None:
            continue
        if not enchant.dict_exists(tag):
            log.warning("no %s dictionary (Debian's hunspell package for it): %s words are not checked", tag, code)
            continue
        dictionaries.append(enchant.Dict(tag))
    return Speller(dictionaries) if dictionaries else None


def mend_spelling(page: Page, languages: str) -> Page:
    """Words misread by a look-alike letter mended where the dictionary is sure; the changes go to a
    ``spelling`` step. A pre-reform page's words are looked up in modern spelling."""
    checker = speller(languages)
    if checker is None:
        return page
    mend_word = checker.mend_prereform if is_prereform([w.text for w in page.words()]) else checker.mend

    broken = False  # the last line ended in a hyphen: its word goes on at the start of the next

    def mend(tokens: list[str]) -> list[str]:
        nonlocal broken
        out = []
        for n, token in enumerate(tokens):
            before, letters, after = split_token(token)
            fragment = after.startswith(HYPHENS) or (n == 0 and broken)
            out.append(token if fragment or not letters else before + mend_word(letters) + after)
        broken = bool(tokens) and tokens[-1].endswith(HYPHENS)
        return out

    return mend_lines(page, mend, "spelling")
