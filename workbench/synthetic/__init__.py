"""Synthetic archive pages with known text, and simulated phone photos of them, for tests and benchmarks.

``render_page`` makes a clean flat page, ``photograph`` turns it into a phone photo with named
``DAMAGES``, ``write_sample`` / ``write_clean`` put either on disk with a ``.gt.txt`` beside it.
"""

from __future__ import annotations

from workbench.synthetic.corpus import language_of, list_texts, load_text
from workbench.synthetic.photo import DAMAGES, SyntheticPhoto, photograph
from workbench.synthetic.render import (
    PRINT_FONTS,
    TYPEWRITER_FONTS,
    RenderedPage,
    available_fonts,
    find_font,
    render_page,
)
from workbench.synthetic.write import SampleFiles, split_pages, write_clean, write_sample

__all__ = [
    "DAMAGES", "PRINT_FONTS", "TYPEWRITER_FONTS", "RenderedPage", "SampleFiles", "SyntheticPhoto",
    "available_fonts", "find_font", "language_of", "list_texts", "load_text", "photograph", "render_page",
    "split_pages", "write_clean", "write_sample",
]
