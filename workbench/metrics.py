"""Character error rate against ground truth, the one accuracy figure the project reports."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFC, whitespace runs to one space, trimmed: layout is not what CER measures."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def edit_distance(reference: str, hypothesis: str) -> int:
    return int(Levenshtein.distance(normalize(reference), normalize(hypothesis)))


def cer(reference: str, hypothesis: str) -> float:
    """Edits needed to turn the OCR text into the reference, over the reference's length."""
    ref = normalize(reference)
    if not ref:
        return 0.0 if not normalize(hypothesis) else 1.0
    return edit_distance(reference, hypothesis) / len(ref)
