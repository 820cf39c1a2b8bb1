"""Word-level differences between two texts, for conflicts and history: one implementation, server-side."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "insert", "delete"]
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class Chunk:
    op: Op
    text: str


def diff_words(old: str, new: str) -> list[Chunk]:
    """Chunks that turn ``old`` into ``new``; whitespace is kept, so equal + delete chunks rebuild ``old``."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    chunks: list[Chunk] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            chunks.append(Chunk("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            chunks.append(Chunk("delete", "".join(a[i1:i2])))
        if j2 > j1:
            chunks.append(Chunk("insert", "".join(b[j1:j2])))
    return chunks


def as_json(chunks: list[Chunk]) -> list[list[str]]:
    return [[c.op, c.text] for c in chunks]
