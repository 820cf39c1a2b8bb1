"""Mend words Tesseract spelled with the wrong script: a Latin ``o`` or a digit ``1`` inside a Cyrillic word.

The Russian model has Latin letters and digits but no ``і``; it reads the ``і`` of Ukrainian and pre-reform
Russian as ``1`` or ``i``, and now and then a Cyrillic letter as its Latin twin. Such a word looks right and
is found by no search. A word is mended run by run (letters, with the digits ``0`` and ``1``, between other
signs): only a run that is mostly Cyrillic changes, only letters that look the same in both scripts, and a
digit only between two Cyrillic letters. Numbers, Latin words and Roman numerals (``IV-го``, ``F. 2595``,
``1.X.1926``) stay as read.
"""

from __future__ import annotations

import re

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
