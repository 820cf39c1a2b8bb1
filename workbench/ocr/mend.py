"""Mend words Tesseract spelled with the wrong script: a Latin ``o`` or a digit ``1`` inside a Cyrillic word.

The Russian model has Latin letters and digits but no ``і``; it reads the ``і`` of Ukrainian and pre-reform
Russian as ``1`` or ``i``, and now and then a Cyrillic letter as its Latin twin. Such a word looks right and
is found by no search. Only letters of one look in both scripts are changed, and a digit only between two
Cyrillic letters, so numbers, Latin words and mixed references (``№1``, ``1-го``, ``F. 2595``) stay.
"""

from __future__ import annotations

import re

from workbench.page import Page, Step, Word

# Latin letter -> the Cyrillic letter drawn the same way
_TWINS = str.maketrans("aceopxyiABCEHIKMOPTX", "асеорхуіАВСЕНІКМОРТХ")
_DIGITS = {"1": ("і", "І"), "0": ("о", "О")}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def _is_cyrillic(ch: str) -> bool:
    return bool(_CYRILLIC.match(ch))


def mend_word(text: str) -> str:
    """The word with Latin twins and digits between Cyrillic letters turned Cyrillic, if it is Cyrillic."""
    cyrillic = len(_CYRILLIC.findall(text))
    if cyrillic == 0 or len(_LATIN.findall(text)) >= cyrillic:
        return text
    out = list(text.translate(_TWINS))
    for i, ch in enumerate(text):
        if ch in _DIGITS and 0 < i < len(text) - 1 and _is_cyrillic(out[i - 1]) and _is_cyrillic(out[i + 1]):
            lower, upper = _DIGITS[ch]
            out[i] = upper if out[i - 1].isupper() and out[i + 1].isupper() else lower
    return "".join(out)


def mend_scripts(page: Page) -> Page:
    """The page with its mixed-script words mended in place; the changes are kept in a ``scripts`` step."""
    changed: list[list[str]] = []
    for line in page.lines():
        for n, word in enumerate(line.words):
            mended = mend_word(word.text)
            if mended != word.text:
                changed.append([word.text, mended])
                line.words[n] = Word(mended, word.bbox, word.confidence)
    if changed:
        page.steps = [*page.steps, Step("scripts", {"mended": changed}, 0.0)]
    return page
