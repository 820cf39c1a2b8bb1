"""Mend a word misread by letters the model confuses, when the dictionary knows the mended word only.

On a smeared, faded or small page Tesseract takes letters for their look-alikes: ``л`` for ``п``, ``д`` for
``л``, ``в`` for ``з``, ``к`` for ``х``, ``н`` for ``и`` (``попучении``, ``свеления``, ``профессиоиальиым``). A
word so misread is mostly no word at all. If it is not in the page's dictionary (Debian's Hunspell
dictionaries, through Enchant) and, among the words one look-alike away (or two, when none is one away),
exactly one is, that one was meant. A word the dictionary knows is never changed, nor is a word with no
such neighbour or with several (a name, an abbreviation, a word of the time the dictionary lacks stay as
read), nor a word in capitals, a short word, or a pre-reform page, which no modern dictionary spells.

A word broken at a line's end by a hyphen is two fragments, neither in the dictionary: both stay as read
(``заседа-`` is no misread ``засела``).

The Ukrainian model has no ``ґ`` either, but ``г`` is not given one: Ukrainian spelling dropped it from 1933
to 1990, and a page typed then has ``грунт`` where the dictionary has ``ґрунт``.
"""

from __future__ import annotations

import logging
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
_PAIRS = ("лп", "дл", "вз", "кх", "ни", "ос", "нч", "пг", "дп", "ес", "шщ", "ип", "тг", "ий", "цщ")
DICTIONARIES = {"rus": "ru_RU", "ukr": "uk_UA"}
HYPHENS = ("-", "¬", "‐")  # a word broken at a line's end
MIN_LETTERS = 4  # a shorter word has too many neighbours to tell
MAX_CHANGES = 2
# Two changes only in a word this long (a quarter of its letters at most): a shorter fragment of a word split
# by a misread space lies two look-alikes from too many others (предос -> прелое, сзедени -> озелени)
MIN_LETTERS_FOR_TWO = 8


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

    def knows(self, word: str) -> bool:
        with self._lock:
            return any(d.check(word) for d in self.dictionaries)

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


def _split(token: str) -> tuple[str, str, str]:
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
    ``spelling`` step. A pre-reform page is left as read."""
    checker = speller(languages)
    if checker is None or is_prereform([w.text for w in page.words()]):
        return page

    broken = False  # the last line ended in a hyphen: its word goes on at the start of the next

    def mend(tokens: list[str]) -> list[str]:
        nonlocal broken
        out = []
        for n, token in enumerate(tokens):
            before, letters, after = _split(token)
            fragment = after.startswith(HYPHENS) or (n == 0 and broken)
            out.append(token if fragment else before + checker.mend(letters) + after)
        broken = bool(tokens) and tokens[-1].endswith(HYPHENS)
        return out

    return mend_lines(page, mend, "spelling")
