"""The transcribers' marks: ``[[?reading]]`` an uncertain reading, ``[[...]]`` illegible text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

MARK = re.compile(r"\[\[(\?)?(.*?)\]\]", re.S)
# a word: a run of non-space characters, where a mark counts as one piece even with spaces inside
WORD = re.compile(r"(?:\[\[.*?\]\]|\S)+")


@dataclass(frozen=True, slots=True)
class Segment:
    kind: Literal["text", "unclear", "gap"]
    text: str  # the reading for "unclear", "" for "gap"


def segments(text: str) -> list[Segment]:
    """Text cut into plain runs, uncertain readings and gaps; ``[[...]]`` or ``[[…]]`` is a gap."""
    result: list[Segment] = []
    at = 0
    for match in MARK.finditer(text):
        if match.start() > at:
            result.append(Segment("text", text[at:match.start()]))
        inner = match.group(2)
        if match.group(1):
            result.append(Segment("unclear", inner))
        elif inner.strip() in ("...", "…", ""):
            result.append(Segment("gap", ""))
        else:  # [[word]] without a question mark: read as uncertain, not lost
            result.append(Segment("unclear", inner))
        at = match.end()
    if at < len(text):
        result.append(Segment("text", text[at:]))
    return result


def words(line: str) -> list[str]:
    """A line's words; a mark with spaces inside stays one word."""
    return WORD.findall(line)


def plain(text: str) -> str:
    """The text without marks: uncertain readings kept, gaps as an ellipsis."""
    return "".join(s.text if s.kind != "gap" else "…" for s in segments(text))
