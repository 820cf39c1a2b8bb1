"""Archival citations: archive, fond, opis, delo (sprava) and leaf (list, arkush), recto or verso.

Three forms are read and written, each as historians write it:

- ``en``: transliterated, as in English-language scholarship: ``TsDAHO f. 1, op. 1, d. 42, ll. 61-62``,
  ``F. 2595, op. 1, d. 102, l. 21 ob.`` (``spr.``, ``ark.`` and ``zv.`` are read too);
- ``ru``: Russian finding aids: ``ф. 1, оп. 1, д. 42, л. 61 об.``, ``лл. 61–62``;
- ``uk``: Ukrainian finding aids: ``ф. 1, оп. 1, спр. 42, арк. 61 зв.``, ``арк. 61–62``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from workbench.errors import BadInput

Style = Literal["en", "ru", "uk"]
STYLES: tuple[Style, ...] = ("en", "ru", "uk")

# The archives of the mission, by their English abbreviation, with the Russian and Ukrainian ones
ARCHIVES: dict[str, dict[Style, str]] = {
    "TsDAHO": {"en": "TsDAHO", "ru": "ЦДАГО", "uk": "ЦДАГО"},
    "TsDAVO": {"en": "TsDAVO", "ru": "ЦДАВО", "uk": "ЦДАВО"},
    "HDA SBU": {"en": "HDA SBU", "ru": "ГДА СБУ", "uk": "ГДА СБУ"},
    "RGASPI": {"en": "RGASPI", "ru": "РГАСПИ", "uk": "РДАСПІ"},
    "GARF": {"en": "GARF", "ru": "ГАРФ", "uk": "ДАРФ"},
}
_ARCHIVE_BY_NAME = {name.casefold(): key for key, names in ARCHIVES.items() for name in names.values()}


@dataclass(frozen=True, order=True, slots=True)
class Side:
    """One side of a leaf: ``61`` is the recto of leaf 61, ``61 ob.`` its verso; ``61a`` is an inserted leaf."""

    number: int
    suffix: str = ""
    verso: bool = False

    def __post_init__(self) -> None:
        if self.number < 0:
            raise BadInput("a leaf number is 0 or more")

    def next(self, step: Literal["leaf", "side"]) -> Side:
        """The side that follows: the next leaf's recto, or (by side) recto then verso."""
        if step == "side" and not self.verso:
            return replace(self, verso=True)
        return Side(self.number + 1)


@dataclass(frozen=True, slots=True)
class Citation:
    fond: str
    opis: str
    delo: str
    archive: str | None = None
    first: Side | None = None
    last: Side | None = None  # a range's end; None for a single side

    @property
    def file_key(self) -> tuple[str, str, str, str]:
        """What names the file (delo) itself, without the leaves."""
        return (self.archive or "", self.fond, self.opis, self.delo)

    def with_leaves(self, first: Side | None, last: Side | None = None) -> Citation:
        return replace(self, first=first, last=last if last != first else None)


_WORDS: dict[Style, dict[str, str]] = {
    "en": {"fond": "f.", "opis": "op.", "delo": "d.", "leaf": "l.", "leaves": "ll.", "verso": "ob.", "dash": "-"},
    "ru": {"fond": "ф.", "opis": "оп.", "delo": "д.", "leaf": "л.", "leaves": "лл.", "verso": "об.", "dash": "–"},
    "uk": {"fond": "ф.", "opis": "оп.", "delo": "спр.", "leaf": "арк.", "leaves": "арк.", "verso": "зв.",
           "dash": "–"},
}


def format_side(side: Side, style: Style = "en") -> str:
    text = f"{side.number}{side.suffix}"
    return f"{text} {_WORDS[style]['verso']}" if side.verso else text


def format_leaves(citation: Citation, style: Style = "en") -> str:
    if citation.first is None:
        return ""
    words = _WORDS[style]
    if citation.last is None:
        return f"{words['leaf']} {format_side(citation.first, style)}"
    return f"{words['leaves']} {format_side(citation.first, style)}{words['dash']}{format_side(citation.last, style)}"


def format_citation(citation: Citation, style: Style = "en") -> str:
    words = _WORDS[style]
    parts = [f"{words['fond']} {citation.fond}", f"{words['opis']} {citation.opis}", f"{words['delo']} {citation.delo}"]
    leaves = format_leaves(citation, style)
    if leaves:
        parts.append(leaves)
    text = ", ".join(parts)
    if citation.archive:
        archive = ARCHIVES.get(citation.archive, {}).get(style, citation.archive)
        return f"{archive} {text}"
    return text[0].upper() + text[1:] if style == "en" else text


_NUMBER = r"[0-9]+[a-zа-яіїєґ]?(?:-[a-zа-яіїєґ0-9]+)?"  # 42, 42а, Р-2595 (letter prefix handled below)
_SIDE = r"(?P<{n}>[0-9]+)(?P<{n}s>[a-uw-zа-яіїєґ]?)(?:\s*(?P<{n}v>ob|об|zv|зв|v|об\.|zv\.)\.?)?"
_RE = re.compile(
    r"^\s*(?P<archive>.*?)[\s,]*"
    r"\b(?P<fk>f|ф|fond|фонд)\.?\s*(?P<fond>[a-zа-яіїєґ]{0,2}-?" + _NUMBER + r")\s*,?\s*"
    r"\b(?P<ok>op|оп|opys|опис)\.?\s*(?P<opis>" + _NUMBER + r")\s*,?\s*"
    r"\b(?P<dk>d|д|spr|спр|delo|дело|sprava|справа)\.?\s*(?P<delo>" + _NUMBER + r")\s*"
    r"(?:,?\s*\b(?P<lk>ll|l|лл|л|ark|арк|list|лист|листы|arkush|аркуш)\.?\s*"
    + _SIDE.format(n="a") + r"(?:\s*[-–—]\s*" + _SIDE.format(n="b") + r")?)?"
    r"\s*\.?\s*$",
    re.IGNORECASE,
)


def _side(match: re.Match[str], name: str) -> Side | None:
    number = match.group(name)
    if number is None:
        return None
    return Side(int(number), match.group(f"{name}s").lower(), bool(match.group(f"{name}v")))


def _style_of(match: re.Match[str]) -> Style:
    keys = " ".join(k.lower() for k in (match.group("fk"), match.group("dk"), match.group("lk") or "") if k)
    if re.search(r"спр|арк|справа|аркуш", keys):
        return "uk"
    if re.search(r"[а-я]", keys):
        return "ru"
    return "en"


def parse_citation(text: str) -> tuple[Citation, Style]:
    """A citation and the form it was written in; BadInput says what could not be read."""
    if not text or not text.strip():
        raise BadInput("the citation is empty")
    match = _RE.match(text.replace("\u00a0", " "))
    if match is None:
        raise BadInput(
            f"cannot read the citation {text!r}: expected fond, opis and delo, then optionally leaves, as in "
            "'TsDAHO f. 1, op. 1, d. 42, l. 61', 'ф. 1, оп. 1, д. 42, л. 61 об.' or "
            "'ф. 1, оп. 1, спр. 42, арк. 61 зв.'")
    archive_text = match.group("archive").strip(" ,.")
    archive = _ARCHIVE_BY_NAME.get(archive_text.casefold(), archive_text) or None
    first, last = _side(match, "a"), _side(match, "b")
    if first is not None and last is not None and last < first:
        raise BadInput(f"cannot read the citation {text!r}: the range ends before it starts")
    citation = Citation(fond=match.group("fond"), opis=match.group("opis"), delo=match.group("delo"),
                        archive=archive, first=first, last=last)
    return citation, _style_of(match)


def parse_side(text: str) -> Side:
    """A single side as typed in the editor: ``61``, ``61 ob.``, ``61а зв.``."""
    match = re.fullmatch(r"\s*" + _SIDE.format(n="a") + r"\s*\.?\s*", text, re.IGNORECASE)
    if match is None:
        raise BadInput(f"cannot read the leaf {text!r}: expected a number, optionally a letter and 'ob.'")
    side = _side(match, "a")
    assert side is not None
    return side
