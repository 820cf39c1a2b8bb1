"""Render ground-truthed text as a clean flat page: a typewritten or printed "scan".

The page is grey uint8 on white; paper colour, ink colour and every photographic fault are added
later by :mod:`workbench.synthetic.photo`, so the clean page can serve as the "does no harm" reference.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from workbench.errors import BadInput, MissingDependency
from workbench.page import BBox

log = logging.getLogger(__name__)

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
# file names as Debian ships them (fonts-liberation, fonts-freefont-ttf, fonts-paratype, fonts-dejavu-core)
FONT_FILES: dict[str, tuple[str, ...]] = {
    "Liberation Mono": ("LiberationMono-Regular.ttf",),
    "FreeMono": ("FreeMono.ttf", "FreeMono.otf"),
    "PT Mono": ("PTM55F.ttf", "PTMono-Regular.ttf", "PT_Mono.ttf"),
    "PT Serif": ("PTF55F.ttf", "PTSerif-Regular.ttf", "PT_Serif-Web-Regular.ttf"),
    "Liberation Serif": ("LiberationSerif-Regular.ttf",),
    "DejaVu Serif": ("DejaVuSerif.ttf",),
}
FONT_PACKAGES = {
    "Liberation Mono": "fonts-liberation", "Liberation Serif": "fonts-liberation",
    "FreeMono": "fonts-freefont-ttf", "PT Mono": "fonts-paratype", "PT Serif": "fonts-paratype",
    "DejaVu Serif": "fonts-dejavu-core",
}
TYPEWRITER_FONTS = ("Liberation Mono", "FreeMono", "PT Mono")
PRINT_FONTS = ("PT Serif", "Liberation Serif", "DejaVu Serif")
MM_PER_INCH = 25.4
A4_MM = (210.0, 297.0)

_TOKEN = re.compile(r"\s*\S+")


@dataclass(frozen=True, slots=True)
class RenderedLine:
    text: str
    bbox: BBox  # pixels of the rendered page: baseline minus ascent to baseline plus descent


@dataclass(slots=True)
class RenderedPage:
    """A clean page and its ground truth: ``text`` is the lines as they stand on the page."""

    image: np.ndarray  # grey uint8, ink dark on white
    text: str
    lines: list[RenderedLine] = field(default_factory=list)
    font: str = ""
    size_pt: float = 12.0
    dpi: int = 200
    typewriter: bool = True
    truncated: bool = False  # text did not fit; ``text`` holds only what is on the page

    @property
    def x_height_px(self) -> float:
        """Approximate body x-height, the size Tesseract is sensitive to."""
        return 0.5 * self.size_pt * self.dpi / 72.0


def find_font(name: str, *, search_dirs: tuple[Path, ...] = FONT_DIRS) -> Path:
    """The font file for a family name, found by file name so no fontconfig is needed."""
    if name not in FONT_FILES:
        raise BadInput(f"unknown font {name!r}; known: {', '.join(FONT_FILES)}")
    return _find_font(name, search_dirs)


@cache
def _find_font(name: str, search_dirs: tuple[Path, ...]) -> Path:
    wanted = FONT_FILES[name]
    for folder in search_dirs:
        if not folder.is_dir():
            continue
        for file_name in wanted:
            hits = sorted(folder.rglob(file_name))
            if hits:
                return hits[0]
    package = FONT_PACKAGES.get(name, "a package with it")
    raise MissingDependency(
        f"font {name!r} not found (looked for {', '.join(wanted)} under "
        f"{', '.join(str(d) for d in search_dirs)}); install it with `apt-get install {package}`")


def available_fonts(text: str = "", *, typewriter: bool | None = None) -> list[str]:
    """Installed fonts that have a glyph for every character of ``text``."""
    names = [n for n in FONT_FILES
             if typewriter is None or (n in TYPEWRITER_FONTS) == typewriter]
    found = []
    for name in names:
        try:
            path = find_font(name)
        except MissingDependency:
            continue
        if not missing_glyphs(path, text):
            found.append(name)
    return found


def missing_glyphs(font_path: Path, text: str) -> set[str]:
    """Characters the font would draw as its empty box (compared with a private-use code point)."""
    return {ch for ch in set(text) if not ch.isspace() and not _has_glyph(font_path, ch)}


@cache
def _has_glyph(font_path: Path, ch: str) -> bool:
    """Drawing a glyph to compare it costs about 0.1 ms; a benchmark plan asks for the same ones thousands of times."""
    font = _font_at_48(font_path)
    return _glyph_bitmap(font, ch) != _glyph_bitmap(font, "\ue000")


@cache
def _font_at_48(font_path: Path) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path), 48)


def _glyph_bitmap(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    mask = font.getmask(ch)
    return bytes(mask.size) + bytes(mask)


def _wrap(paragraph: str, width_px: float, measure: ImageFont.FreeTypeFont) -> list[str]:
    """Greedy wrap that keeps a typist's runs of spaces; continuation lines start at the margin."""
    tokens = _TOKEN.findall(paragraph.rstrip())
    lines: list[str] = []
    current = ""
    for token in tokens:
        candidate = current + token
        if current and measure.getlength(candidate) > width_px:
            lines.append(current)
            current = token.lstrip()
        else:
            current = candidate
        while measure.getlength(current) > width_px and len(current) > 1:  # a word wider than the line
            cut = len(current)
            while cut > 1 and measure.getlength(current[:cut]) > width_px:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:].lstrip()
    if current or not lines:
        lines.append(current)
    return lines


def render_page(
    text: str,
    *,
    font: str = "Liberation Mono",
    size_pt: float = 12.0,
    dpi: int = 200,
    page_mm: tuple[float, float] = A4_MM,
    margins_mm: tuple[float, float, float, float] = (30.0, 20.0, 15.0, 20.0),
    line_spacing: float | None = None,
    typewriter: bool | None = None,
    seed: int = 0,
) -> RenderedPage:
    """Lay ``text`` out on a page; each input line is a paragraph, blank lines are kept.

    ``margins_mm`` is left, top, right, bottom. ``typewriter`` defaults to whether the font is
    monospace and adds per-glyph ink and baseline variation; ``seed`` makes that repeatable.
    """
    path = find_font(font)
    missing = missing_glyphs(path, text)
    if missing:
        fits = available_fonts(text)
        raise BadInput(f"font {font!r} has no glyph for {''.join(sorted(missing))!r}; "
                       f"fonts that cover the text: {', '.join(fits) or 'none'}")
    if typewriter is None:
        typewriter = font in TYPEWRITER_FONTS
    if line_spacing is None:
        line_spacing = 1.5 if typewriter else 1.3
    px_per_mm = dpi / MM_PER_INCH
    width, height = round(page_mm[0] * px_per_mm), round(page_mm[1] * px_per_mm)
    left, top, right, bottom = (round(m * px_per_mm) for m in margins_mm)
    size_px = max(6, round(size_pt * dpi / 72.0))
    face = ImageFont.truetype(str(path), size_px)
    ascent, descent = face.getmetrics()
    pitch = size_px * line_spacing
    text_width = width - left - right
    if text_width < size_px * 4:
        raise BadInput("page too narrow for the text size")

    laid_out: list[str] = []
    for paragraph in text.strip("\n").split("\n"):
        laid_out.extend(_wrap(paragraph, text_width, face) if paragraph.strip() else [""])

    rng = np.random.default_rng(seed)
    ink = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(ink)
    machine = _TypeMachine(rng, size_px) if typewriter else None
    lines: list[RenderedLine] = []
    kept: list[str] = []
    baseline = top + ascent
    truncated = False
    for line in laid_out:
        if baseline + descent > height - bottom:
            truncated = True
            break
        stripped = line.strip()
        if stripped:
            indent = face.getlength(line) - face.getlength(line.lstrip())
            x = left + indent
            if machine is not None:
                machine.type_line(draw, face, line.lstrip(), x, baseline)
            else:
                draw.text((x, baseline), line.lstrip(), font=face, fill=255, anchor="ls")
            x1 = x + face.getlength(line.strip())
            lines.append(RenderedLine(stripped, BBox(int(x), baseline - ascent, int(np.ceil(x1)), baseline + descent)))
        kept.append(stripped)
        baseline += round(pitch)
    if truncated:
        log.warning("text did not fit the page: %d of %d lines rendered", len(kept), len(laid_out))
    while kept and not kept[-1]:
        kept.pop()

    ink_level: np.ndarray = np.asarray(ink, dtype=np.float32) / 255.0
    if machine is not None:
        ink_level = machine.ribbon(ink_level)
    else:
        ink_level = cv2.GaussianBlur(ink_level, (0, 0), 0.35)
    grey = np.clip(255.0 * (1.0 - 0.92 * ink_level), 0, 255).astype(np.uint8)
    return RenderedPage(image=grey, text="\n".join(kept) + "\n", lines=lines, font=font, size_pt=size_pt,
                        dpi=dpi, typewriter=typewriter, truncated=truncated)


class _TypeMachine:
    """One typewriter: each type bar sits a little off, each strike inks a little differently."""

    def __init__(self, rng: np.random.Generator, size_px: int) -> None:
        self.rng = rng
        self.size_px = size_px
        self.wear = rng.uniform(0.6, 1.4)  # how worn the machine and the ribbon are
        self.bar_offsets: dict[str, tuple[float, float]] = {}
        self.uneven: list[tuple[int, int, int, int, int, float]] = []  # box, side, depth of a tilted strike

    def _bar(self, ch: str) -> tuple[float, float]:
        if ch not in self.bar_offsets:
            dx, dy = self.rng.normal(0.0, [0.012, 0.022]) * self.size_px * self.wear
            self.bar_offsets[ch] = (float(dx), float(dy))
        return self.bar_offsets[ch]

    def type_line(self, draw: ImageDraw.ImageDraw, face: ImageFont.FreeTypeFont, line: str,
                  x: float, baseline: int) -> None:
        advance = face.getlength("n")
        line_dy = self.rng.normal(0.0, 0.02 * self.size_px)  # the platen never returns quite level
        for i, ch in enumerate(line):
            if ch.isspace():
                continue
            bar_dx, bar_dy = self._bar(ch)
            jitter = self.rng.normal(0.0, 0.012 * self.size_px, size=2)
            strike = self.rng.normal(0.93, 0.06 * self.wear)
            roll = self.rng.random()
            if roll < 0.03 * self.wear:
                strike = self.rng.uniform(0.4, 0.65)  # a light strike
            elif roll > 1.0 - 0.01 * self.wear:
                strike = 1.0  # a heavy one
            fill = int(255 * float(np.clip(strike, 0.3, 1.0)))
            gx = x + i * advance + bar_dx + jitter[0]
            gy = baseline + line_dy + bar_dy + jitter[1]
            draw.text((gx, gy), ch, font=face, fill=fill, anchor="ls")
            if self.rng.random() < 0.05 * self.wear:  # the type face hit the platen at a slant
                box = draw.textbbox((gx, gy), ch, font=face, anchor="ls")
                self.uneven.append((int(box[0]), int(box[1]), int(box[2]) + 1, int(box[3]) + 1,
                                    int(self.rng.integers(0, 4)), float(self.rng.uniform(0.4, 0.85))))

    def ribbon(self, ink: np.ndarray) -> np.ndarray:
        """Ink spread into the paper fibres, and a ribbon that inks unevenly."""
        h, w = ink.shape
        ink = ink.copy()
        for x0, y0, x1, y1, side, depth in self.uneven:
            x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
            if x1 - x0 < 2 or y1 - y0 < 2:
                continue
            along = np.linspace(1.0, 1.0 - depth, (x1 - x0) if side < 2 else (y1 - y0), dtype=np.float32)
            ramp = along[::-1] if side % 2 else along
            ink[y0:y1, x0:x1] *= ramp[None, :] if side < 2 else ramp[:, None]
        spread = cv2.GaussianBlur(ink, (0, 0), 0.5 + 0.25 * self.wear)
        grain: np.ndarray = self.rng.normal(0.0, 1.0, size=(h, w)).astype(np.float32)
        grain = cv2.GaussianBlur(grain, (0, 0), max(0.6, self.size_px / 40))
        grain = grain / (grain.std() + 1e-6)
        low = cv2.resize(self.rng.normal(0.0, 1.0, size=(8, 6)).astype(np.float32), (w, h),
                         interpolation=cv2.INTER_CUBIC)
        level = spread * (1.0 + 0.12 * self.wear * grain) * (1.0 + 0.06 * low)
        return np.clip(1.35 * level, 0.0, 1.0)
