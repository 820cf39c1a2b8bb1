"""The project's own ground-truth texts, shipped as package data in ``texts/``."""

from __future__ import annotations

import logging
from importlib import resources

log = logging.getLogger(__name__)

_PACKAGE = "workbench.synthetic"


def list_texts() -> list[str]:
    """Names (file stems) of the bundled texts, sorted so a seed picks the same one everywhere."""
    folder = resources.files(_PACKAGE).joinpath("texts")
    return sorted(entry.name.removesuffix(".txt") for entry in folder.iterdir() if entry.name.endswith(".txt"))


def load_text(name: str) -> str:
    """One bundled text; trailing blank lines dropped so the ground truth ends where the typing does."""
    entry = resources.files(_PACKAGE).joinpath("texts", f"{name}.txt")
    if not entry.is_file():
        raise KeyError(f"no synthetic text {name!r}; known: {', '.join(list_texts())}")
    return entry.read_text(encoding="utf-8").rstrip() + "\n"


def language_of(name: str) -> str:
    """Tesseract language for a bundled text: Ukrainian texts are named ``ukr_*``."""
    return "ukr" if name.startswith("ukr_") else "rus"
