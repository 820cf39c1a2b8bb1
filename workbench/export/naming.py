"""Stable file names: from the citation (``TsDAHO_f1_op1_d42/l0061v``), else from the photo's stem."""

from __future__ import annotations

import re

from workbench.archive.citation import Citation, Side

_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def safe(text: str) -> str:
    """A piece of a file name: letters, digits, dot, dash and underscore only."""
    return _UNSAFE.sub("_", text).strip("._") or "_"


def folder_name(citation: Citation) -> str:
    """``TsDAHO_f1_op1_d42``: the archive, then fond, opis and delo."""
    parts = [safe(citation.archive.replace(" ", "")) if citation.archive else "",
             f"f{safe(citation.fond)}", f"op{safe(citation.opis)}", f"d{safe(citation.delo)}"]
    return "_".join(p for p in parts if p)


def side_name(side: Side) -> str:
    return f"{side.number:04d}{safe(side.suffix) if side.suffix else ''}{'v' if side.verso else ''}"


def leaf_name(first: Side, last: Side | None = None) -> str:
    """``l0061``, ``l0061v``, ``l0061a``, and for a page showing several sides ``l0061v-0062``."""
    return f"l{side_name(first)}" + (f"-{side_name(last)}" if last is not None and last != first else "")


def stem_name(stem: str, part: int) -> str:
    """An untagged photo: its stem, with ``_1`` and ``_2`` for the two pages of a spread."""
    return stem if part == 0 else f"{stem}_{part}"
