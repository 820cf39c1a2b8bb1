"""Search keys: every word, Cyrillic or Latin, old orthography or new, Russian or Ukrainian, reduced to one
plain Latin spelling, so that Шляпникова, ШЛЯПНИКОВА, Шляпніков and "Shliapnikov" meet.

The reduction follows the Library of Congress romanization without diacritics, then merges what
romanizations and orthographies tell apart (й/и/ы/і, е/ё/э/ѣ, г/ґ/h, ya/ja/ia), which costs a little
precision and gains the recall a historian needs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "ѣ": "e", "ѳ": "f", "ѵ": "i",
}
_LATIN_LETTERS = {"š": "sh", "ž": "zh", "č": "ch", "ŝ": "sh", "ẑ": "zh", "ĉ": "ch", "ć": "ch", "ś": "s",
                  "ź": "z", "ł": "l", "ı": "i", "ß": "ss"}
_LATIN_RULES = [
    (re.compile(r"sch"), "shch"),      # German-style щ
    (re.compile(r"x"), "kh"),
    (re.compile(r"w"), "v"),
    (re.compile(r"(?<![kzcs])h"), "g"),  # Ukrainian г is h in LC romanization, g in Russian
    (re.compile(r"[jy]"), "i"),         # ya, ja, ia; yu, ju, iu; й, ы
    (re.compile(r"tz"), "ts"),
    (re.compile(r"shshch"), "shch"),
]
_APOSTROPHES = re.compile(r"['’ʼʹ`´\u02bb\u02bc]")
WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC_CHAR = re.compile(r"[\u0400-\u04ff]")

# inflectional endings, in key spelling, longest first; stripped from query words so that a prefix search
# finds the other cases of the same name (Шляпникова, Шляпникову, Шляпниковым)
_ENDINGS = sorted(["iami", "ami", "iakh", "akh", "ogo", "ego", "omu", "emu", "imi", "oi", "ei", "ii", "aia",
                   "oe", "ee", "uiu", "iuiu", "om", "em", "im", "ia", "iu", "a", "u", "e", "i"],
                  key=len, reverse=True)
MIN_STEM = 4


def _plain_latin(text: str) -> str:
    text = "".join(_LATIN_LETTERS.get(ch, ch) for ch in text)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    for pattern, replacement in _LATIN_RULES:
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=262_144)
def key(word: str) -> str:
    """One word's key: lower case, transliterated, merged; '' for a word with no letters or digits."""
    word = _APOSTROPHES.sub("", unicodedata.normalize("NFC", word).lower())
    if _CYRILLIC_CHAR.search(word):
        word = "".join(_CYRILLIC.get(ch, ch) for ch in word)
    return re.sub(r"[^a-z0-9]", "", _plain_latin(word))


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    key: str


# A run of single letters one space apart is a letter-spaced word (М А Н Д А Т): three capitals or more, or
# four letters or more of either case (three small ones are words: "и я с ним", "а я й").
SPACED_MIN_CAPITALS = 3
SPACED_MIN_LETTERS = 4


def _is_spaced_run(run: list[Token]) -> bool:
    return len(run) >= SPACED_MIN_LETTERS or (len(run) >= SPACED_MIN_CAPITALS
                                              and all(t.text.isupper() for t in run))


def _join_spaced_letters(text: str, words: list[Token]) -> list[Token]:
    """A run of single letters one space apart (a letter-spaced heading, М А Н Д А Т) is one word."""
    out: list[Token] = []
    i = 0
    while i < len(words):
        j = i
        while (j + 1 < len(words) and len(words[j].text) == 1 == len(words[j + 1].text)
               and words[j].text.isalpha() and words[j + 1].text.isalpha()
               and text[words[j].end:words[j + 1].start] == " "):
            j += 1
        if _is_spaced_run(words[i:j + 1]):
            start, end = words[i].start, words[j].end
            out.append(Token(text[start:end], start, end, key("".join(w.text for w in words[i:j + 1]))))
            i = j + 1
        else:
            out.append(words[i])
            i += 1
    return out


def tokens(text: str) -> list[Token]:
    """The words of a text with their places, so hits can be marked in the text as it stands."""
    joined = _APOSTROPHES.sub("\u2060", text)  # an apostrophe inside a word (п'ять) keeps it one word
    out: list[Token] = []
    for match in re.finditer(r"[^\W_]+(?:\u2060[^\W_]+)*", joined):
        k = key(match.group().replace("\u2060", ""))
        if k:
            out.append(Token(text[match.start():match.end()], match.start(), match.end(), k))
    return _join_spaced_letters(text, out)


def document_keys(text: str) -> str:
    """What the index holds for a page: its words' keys, in order."""
    return " ".join(t.key for t in tokens(text))


def stem(word_key: str) -> str:
    """A query word's key without its inflectional ending, never shorter than MIN_STEM letters."""
    for ending in _ENDINGS:
        if word_key.endswith(ending) and len(word_key) - len(ending) >= MIN_STEM:
            return word_key[: -len(ending)]
    return word_key
