"""Turn clean rendered pages into simulated phone photos of an archive file lying on a table.

Every damage draws its parameters from one seeded ``numpy.random.Generator`` over wide, realistic
ranges, so a preprocessing pipeline benchmarked on these is not tuned to one look.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from workbench.errors import BadInput
from workbench.synthetic.render import PRINT_FONTS, RenderedPage, available_fonts, find_font

log = logging.getLogger(__name__)

DAMAGES = (
    "perspective", "rotate", "rot90", "exif_rot", "shadow", "dark", "closeup", "far", "faded",
    "carbon", "stamp", "pencil", "showthrough", "curl", "spread", "blur", "noise", "glare", "phone",
)
# how to make stored pixels upright, keyed by counter-clockwise quarter turns applied to upright pixels
_EXIF_FOR_TURNS = {0: 1, 1: 6, 2: 3, 3: 8}
FORM_FEED_LINE = "\f"

Array = np.ndarray


@dataclass(slots=True)
class SyntheticPhoto:
    """A simulated photo and what is known about it.

    ``image`` is stored pixels (what goes in the file); ``page_corners`` are the page corners
    (top-left, top-right, bottom-right, bottom-left of each page as read) in the upright view, i.e.
    after applying ``exif_orientation`` as :func:`workbench.imaging.load.load_photo` does. They may
    lie outside the frame (``closeup``) and ignore ``curl`` and a ``phone`` lens's bow. ``texts`` hold only the
    lines wholly in the frame, as placed before that bow (which moves a corner by up to 1% of the diagonal).
    """

    image: Array  # BGR uint8
    texts: list[str]  # ground truth per page: one page, or verso then recto for a spread
    damages: tuple[str, ...]
    seed: int
    exif_orientation: int | None = None
    quarter_turns: int = 0  # counter-clockwise quarter turns of the upright view (``rot90``)
    page_corners: list[Array] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ground_truth(self) -> str:
        """One text; a spread is left page, a line holding only a form feed, right page."""
        return f"\n{FORM_FEED_LINE}\n".join(t.rstrip("\n") for t in self.texts) + "\n"


def check_damages(damages: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(damages))
    unknown = [d for d in wanted if d not in DAMAGES]
    if unknown:
        raise BadInput(f"unknown damage {', '.join(unknown)}; known: {', '.join(DAMAGES)}")
    if "closeup" in wanted and "far" in wanted:
        raise BadInput("closeup and far exclude each other")
    return wanted


def photograph(
    pages: RenderedPage | Sequence[RenderedPage],
    *,
    damages: Iterable[str] = (),
    seed: int = 0,
    long_side: int = 4000,
) -> SyntheticPhoto:
    """Photograph one page (or two for ``spread``: verso, recto) with the named damages.

    ``long_side`` is the frame's long side in pixels; the frame is 4:3, portrait for a page and
    landscape for a spread, as a phone held to fit the subject.
    """
    wanted = check_damages(damages)
    page_list = [pages] if isinstance(pages, RenderedPage) else list(pages)
    spread = "spread" in wanted
    if len(page_list) != (2 if spread else 1):
        raise BadInput(f"{'spread' if spread else 'a single page'} needs "
                       f"{2 if spread else 1} rendered page(s), got {len(page_list)}")
    rng = np.random.default_rng(seed)
    params: dict[str, Any] = {}

    sheet, alpha, page_boxes = _make_sheet(page_list, wanted, rng, params)
    if "curl" in wanted:
        sheet, alpha, page_boxes = _curl(sheet, alpha, page_boxes, rng, params)

    short_side = round(long_side * 3 / 4)
    frame_w, frame_h = (long_side, short_side) if spread else (short_side, long_side)
    text_boxes = [_text_box(page, box) for page, box in zip(page_list, page_boxes, strict=True)]
    image, corners, to_frame = _place_on_table(sheet, alpha, page_boxes, (frame_w, frame_h), wanted, rng, params,
                                               text_boxes=text_boxes)
    texts = [_visible_text(page, box, to_frame, (frame_w, frame_h))
             for page, box in zip(page_list, page_boxes, strict=True)]
    _light(image, wanted, rng, params)
    if "blur" in wanted:
        image = _blur(image, rng, params)
    image = _sensor(image, wanted, rng, params)

    quarter_turns = 0
    if "rot90" in wanted:
        quarter_turns = int(rng.integers(1, 4))
        image, corners = _turn(image, corners, quarter_turns)
    exif_orientation = None
    if "exif_rot" in wanted:
        turns = int(rng.integers(1, 4))
        image, _ = _turn(image, [], turns)
        exif_orientation = _EXIF_FOR_TURNS[turns]
    params.update(quarter_turns=quarter_turns, exif_orientation=exif_orientation)
    return SyntheticPhoto(image=image, texts=texts, damages=wanted, seed=seed,
                          exif_orientation=exif_orientation, quarter_turns=quarter_turns,
                          page_corners=corners, params=params)


# ---------------------------------------------------------------- the sheet: paper, ink, marks

def _field(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> Array:
    """Smooth random field, zero mean and unit spread, with about ``cells`` bumps on the long side."""
    h, w = shape
    scale = max(h, w) / max(cells, 1)
    small = rng.normal(0.0, 1.0, size=(max(2, round(h / scale) + 2), max(2, round(w / scale) + 2)))
    big = cv2.resize(small.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    return (big - big.mean()) / (big.std() + 1e-6)


def _paper(shape: tuple[int, int], rng: np.random.Generator, stock: Array, params: dict[str, Any]) -> Array:
    """Yellowed or greyish paper: mottled, grainy, darker and browner towards the edges."""
    h, w = shape
    colour = stock * rng.uniform(0.97, 1.03, size=3)
    paper = np.empty((h, w, 3), np.float32)
    paper[:] = colour.astype(np.float32)
    mottle = rng.uniform(0.004, 0.02) * _field(rng, shape, 6) + 0.006 * _field(rng, shape, 30)
    grain = rng.normal(0.0, 0.012, size=(h, w)).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    edge = np.minimum(np.minimum(xx, w - 1 - xx), np.minimum(yy, h - 1 - yy)) / (0.04 * min(h, w))
    edge_dark = 0.12 * rng.uniform(0.2, 1.0) * np.exp(-edge) * (1 + 0.5 * _field(rng, shape, 12))
    shade = 1.0 + mottle + grain - edge_dark
    paper *= shade[:, :, None]
    paper[:, :, 0] -= (0.5 * edge_dark)  # edges yellow: blue falls faster
    n_spots = int(rng.poisson(rng.uniform(0, 6)))
    for _ in range(n_spots):  # foxing
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(0.002, 0.012) * w
        spot = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))
        paper *= (1 - 0.18 * spot[:, :, None] * np.array([1.6, 1.0, 0.6], np.float32))
    params.setdefault("paper_bgr", [round(float(c), 3) for c in colour])
    return np.clip(paper, 0, 1)


def _paper_stock(rng: np.random.Generator) -> Array:
    """BGR of an old sheet: cream, yellowed, greyish or bluish-grey office paper."""
    kind = rng.choice(["cream", "yellowed", "grey", "bluish"], p=[0.35, 0.35, 0.2, 0.1])
    base = {"cream": (0.78, 0.88, 0.92), "yellowed": (0.66, 0.81, 0.88),
            "grey": (0.78, 0.80, 0.80), "bluish": (0.84, 0.83, 0.80)}[str(kind)]
    return np.array(base, np.float64) * rng.uniform(0.92, 1.05)


def _ink_colour(wanted: tuple[str, ...], rng: np.random.Generator) -> tuple[Array, float, float]:
    """BGR of the ink, its strength and its blur in page pixels at 200 dpi."""
    if "carbon" in wanted:
        colour = np.array([rng.uniform(0.45, 0.65), rng.uniform(0.12, 0.3), rng.uniform(0.3, 0.5)])
        return colour, rng.uniform(0.55, 0.85), rng.uniform(1.2, 2.6)
    colour = np.full(3, rng.uniform(0.05, 0.2)) + rng.normal(0, 0.03, 3)
    if rng.random() < 0.3:  # a violet or blue ribbon
        colour = np.array([rng.uniform(0.35, 0.55), rng.uniform(0.1, 0.25), rng.uniform(0.2, 0.4)])
    return np.clip(colour, 0, 1), rng.uniform(0.85, 1.0), 0.0


def _make_sheet(pages: list[RenderedPage], wanted: tuple[str, ...], rng: np.random.Generator,
                params: dict[str, Any]) -> tuple[Array, Array, list[Array]]:
    """The paper with ink, marks and stamps, flat; for a spread the two pages with the fold between."""
    stock = _paper_stock(rng)
    ink_colour, strength, blur = _ink_colour(wanted, rng)
    params.update(ink_bgr=[round(float(c), 3) for c in ink_colour], ink_strength=round(float(strength), 3))
    sheets = []
    for page in pages:
        h, w = page.image.shape
        px = page.dpi / 200.0
        paper = _paper((h, w), rng, stock, params)
        ink: Array = 1.0 - page.image.astype(np.float32) / 255.0
        if blur:
            ink = cv2.GaussianBlur(ink, (0, 0), blur * px)
            ink = np.clip(ink * 1.3, 0, 1)
        amount = np.full((h, w), strength, np.float32)
        if "faded" in wanted:
            fade = rng.uniform(0.25, 0.5)
            patchy = np.clip(1.0 + rng.uniform(0.1, 0.35) * _field(rng, (h, w), 5), 0.4, 1.4)
            amount *= fade * patchy
            params["faded"] = round(float(fade), 3)
        if "showthrough" in wanted:
            _showthrough(paper, ink, rng, params, px)
        _apply_ink(paper, ink * amount, ink_colour)
        if "pencil" in wanted:
            _pencil(paper, page, rng, params)
        if "stamp" in wanted:
            _stamp(paper, page, rng, params)
        sheets.append(paper)
    if len(sheets) == 1:
        sheet = sheets[0]
        h, w = sheet.shape[:2]
        boxes = [np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)]
    else:
        sheet, boxes = _join_spread(sheets, rng, params)
    alpha = np.ones(sheet.shape[:2], np.float32)
    return sheet, alpha, boxes


def _apply_ink(paper: Array, amount: Array, colour: Array) -> None:
    a = np.clip(amount, 0, 1)[:, :, None]
    paper *= 1.0 - a
    paper += a * colour.astype(np.float32)


def _showthrough(paper: Array, ink: Array, rng: np.random.Generator, params: dict[str, Any], px: float) -> None:
    """Typing on the back of the leaf, seen mirrored through thin paper."""
    h, w = ink.shape
    back = ink[:, ::-1]
    shift = np.array([[1, 0, rng.uniform(-0.05, 0.05) * w], [0, 1, rng.uniform(0.1, 0.6) * 0.02 * h]], np.float32)
    back = cv2.warpAffine(back, shift, (w, h), borderValue=0)
    back = cv2.GaussianBlur(back, (0, 0), rng.uniform(1.0, 3.0) * px)
    level = rng.uniform(0.06, 0.16)
    params["showthrough"] = round(float(level), 3)
    paper *= (1.0 - level * back)[:, :, None]


def _stroke_mask(shape: tuple[int, int], draw_fn: Any) -> Array:
    mask = Image.new("L", (shape[1], shape[0]), 0)
    draw_fn(ImageDraw.Draw(mask))
    return np.asarray(mask, dtype=np.float32) / 255.0


def _text_area(page: RenderedPage) -> tuple[int, int, int, int]:
    h, w = page.image.shape
    if not page.lines:
        return w // 8, h // 8, w * 7 // 8, h // 2
    return (min(ln.bbox.x0 for ln in page.lines), min(ln.bbox.y0 for ln in page.lines),
            max(ln.bbox.x1 for ln in page.lines), max(ln.bbox.y1 for ln in page.lines))


def _pencil(paper: Array, page: RenderedPage, rng: np.random.Generator, params: dict[str, Any]) -> None:
    """An archivist's folio number top right, a margin line, an underline or a tick, in graphite."""
    h, w = paper.shape[:2]
    px = page.dpi / 200.0
    x0, y0, x1, y1 = _text_area(page)
    width = max(1, round(rng.uniform(1.5, 3.5) * px))
    marks: list[str] = []
    font_path = find_font(str(rng.choice(available_fonts("0123456789", typewriter=False) or ["DejaVu Serif"])))

    def draw(d: ImageDraw.ImageDraw) -> None:
        folio = str(int(rng.integers(1, 400)))
        size = round(rng.uniform(40, 70) * px)
        face = ImageFont.truetype(str(font_path), size)
        fx = w - round(rng.uniform(0.06, 0.12) * w) - face.getlength(folio)
        fy = round(rng.uniform(0.015, 0.04) * h)
        d.text((fx, fy), folio, font=face, fill=255, stroke_width=max(0, width // 2 - 1))
        marks.append(f"folio {folio}")
        if rng.random() < 0.5:  # crossed-out old folio beside it
            old = face.getlength(folio)
            d.text((fx - 1.6 * old, fy + 0.4 * size), str(int(rng.integers(1, 400))), font=face, fill=255)
            d.line([(fx - 1.7 * old, fy + 0.9 * size), (fx - 0.5 * old, fy + 0.5 * size)], fill=255, width=width)
            marks.append("old folio")
        for _ in range(int(rng.integers(1, 4))):
            kind = rng.choice(["margin", "underline", "tick", "cross"])
            ya = rng.uniform(y0, max(y0 + 1, y1 - 0.1 * h))
            if kind == "margin":
                xm = rng.uniform(0.25, 0.75) * x0
                yb = ya + rng.uniform(0.05, 0.2) * h
                d.line(_wobbly([(xm, ya), (xm + rng.normal(0, 8 * px), yb)], rng, 6 * px), fill=255, width=width)
            elif kind == "underline":
                xa = rng.uniform(x0, (x0 + x1) / 2)
                xb = xa + rng.uniform(0.15, 0.45) * (x1 - x0)
                d.line(_wobbly([(xa, ya), (xb, ya + rng.normal(0, 6 * px))], rng, 3 * px), fill=255, width=width)
            elif kind == "tick":
                xa = rng.uniform(0.2, 0.7) * x0
                s = rng.uniform(20, 40) * px
                d.line([(xa, ya), (xa + 0.4 * s, ya + 0.5 * s), (xa + s, ya - 0.6 * s)], fill=255, width=width)
            else:
                xa = rng.uniform(x1, w - 0.03 * w) if x1 < w * 0.9 else rng.uniform(0.2, 0.7) * x0
                s = rng.uniform(15, 35) * px
                d.line([(xa - s, ya - s), (xa + s, ya + s)], fill=255, width=width)
                d.line([(xa - s, ya + s), (xa + s, ya - s)], fill=255, width=width)
            marks.append(str(kind))

    mask = _stroke_mask((h, w), draw)
    mask = cv2.GaussianBlur(mask, (0, 0), 0.7 * px)
    grain = np.clip(rng.uniform(0.5, 0.8) + 0.35 * rng.normal(0, 1, size=(h, w)).astype(np.float32), 0, 1)
    _apply_ink(paper, mask * grain, np.array([0.42, 0.41, 0.40]) * rng.uniform(0.8, 1.2))
    params["pencil"] = marks


def _wobbly(points: list[tuple[float, float]], rng: np.random.Generator, amount: float) -> list[tuple[float, float]]:
    """A hand-drawn line: the straight segment with a smooth sideways drift."""
    (xa, ya), (xb, yb) = points
    t = np.linspace(0, 1, 24)
    nx, ny = -(yb - ya), xb - xa
    norm = math.hypot(nx, ny) or 1.0
    drift = amount * np.sin(np.pi * t * rng.uniform(0.5, 2) + rng.uniform(0, np.pi))
    return [(float(xa + (xb - xa) * s + nx / norm * o), float(ya + (yb - ya) * s + ny / norm * o))
            for s, o in zip(t, drift, strict=True)]


def _stamp(paper: Array, page: RenderedPage, rng: np.random.Generator, params: dict[str, Any]) -> None:
    """A round office stamp, violet or blue, unevenly inked, over part of the text."""
    h, w = paper.shape[:2]
    px = page.dpi / 200.0
    diameter = round(rng.uniform(250, 380) * px)
    fonts = available_fonts("ОТДЕЛ№", typewriter=False) or list(PRINT_FONTS)
    face_path = find_font(str(rng.choice(fonts)))
    size = diameter * 4  # drawn large, then scaled down: smoother letters along the ring
    canvas = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(canvas)
    c = size / 2
    ring = max(2, round(size * 0.012))
    d.ellipse([ring, ring, size - ring, size - ring], outline=255, width=ring * 2)
    inner = size * 0.31
    d.ellipse([c - inner, c - inner, c + inner, c + inner], outline=255, width=ring)
    words = str(rng.choice([
        "ПРАВЛЕНИЕ СОЮЗА РАБОЧИХ-МЕТАЛЛИСТОВ * ",
        "УЕЗДНЫЙ ИСПОЛНИТЕЛЬНЫЙ КОМИТЕТ * ОБЩИЙ ОТДЕЛ * ",
        "ГУБЕРНСКИЙ СОВЕТ ПРОФЕССИОНАЛЬНЫХ СОЮЗОВ * ",
        "КАНЦЕЛЯРИЯ УПРАВЛЕНИЯ ДОРОГИ * ДЛЯ ПАКЕТОВ * ",
        "ОКРУЖНИЙ ВІДДІЛ НАРОДНЬОЇ ОСВІТИ * ",
    ]))
    letter = ImageFont.truetype(str(face_path), round(size * 0.085))
    radius = size / 2 - ring * 2 - size * 0.075
    start = rng.uniform(0, 360)
    for i, ch in enumerate(words):
        angle = start + 360.0 * i / len(words)
        glyph = Image.new("L", (round(size * 0.12), round(size * 0.12)), 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=letter, fill=255, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC)
        gx = c + radius * math.sin(math.radians(angle)) - glyph.width / 2
        gy = c - radius * math.cos(math.radians(angle)) - glyph.height / 2
        canvas.paste(255, (round(gx), round(gy)), glyph)
    centre = ImageFont.truetype(str(face_path), round(size * 0.11))
    d.text((c, c - size * 0.06), str(rng.choice(["№", "ДЕЛО", "ВХ."])), font=centre, fill=255, anchor="mm")
    d.text((c, c + size * 0.08), str(int(rng.integers(1, 99))), font=centre, fill=255, anchor="mm")
    stamp: Array = np.asarray(canvas.resize((diameter, diameter), Image.Resampling.LANCZOS), np.float32) / 255.0
    squash = rng.uniform(0.85, 1.0)  # pressed at a slant
    angle = rng.uniform(-40, 40)
    m = cv2.getRotationMatrix2D((diameter / 2, diameter / 2), angle, 1.0)
    m[1] *= squash
    stamp = cv2.warpAffine(stamp, m, (diameter, diameter))
    patchy = np.clip(rng.uniform(0.55, 0.9) + 0.45 * _field(rng, stamp.shape, 6)
                     + 0.25 * rng.normal(0, 1, stamp.shape).astype(np.float32), 0, 1)
    stamp = cv2.GaussianBlur(stamp * patchy, (0, 0), rng.uniform(0.6, 1.5) * px)
    x0, y0, x1, y1 = _text_area(page)
    cx = rng.uniform(x0 + 0.1 * (x1 - x0), x1 - 0.1 * (x1 - x0))
    cy = rng.uniform(y0 + 0.3 * (y1 - y0), y1 + 0.05 * h)
    left, top = round(cx - diameter / 2), round(cy - diameter / 2)
    full = np.zeros((h, w), np.float32)
    sx0, sy0 = max(0, left), max(0, top)
    sx1, sy1 = min(w, left + diameter), min(h, top + diameter)
    if sx1 > sx0 and sy1 > sy0:
        full[sy0:sy1, sx0:sx1] = stamp[sy0 - top:sy1 - top, sx0 - left:sx1 - left]
    colour = (np.array([0.62, 0.22, 0.42]) if rng.random() < 0.6 else np.array([0.65, 0.35, 0.2]))
    colour = np.clip(colour + rng.normal(0, 0.05, 3), 0, 1)
    _apply_ink(paper, full * rng.uniform(0.6, 0.9), colour)
    params["stamp"] = {"centre": [round(float(cx)), round(float(cy))], "diameter": diameter}


def _join_spread(sheets: list[Array], rng: np.random.Generator,
                 params: dict[str, Any]) -> tuple[Array, list[Array]]:
    """Verso on the left, recto on the right, a shadowed fold between them."""
    h = max(s.shape[0] for s in sheets)
    gutter = round(rng.uniform(0.0, 0.02) * sheets[0].shape[1])
    widths = [s.shape[1] for s in sheets]
    total = widths[0] + gutter + widths[1]
    spread = np.empty((h, total, 3), np.float32)
    spread[:] = np.median(sheets[0].reshape(-1, 3), axis=0) * 0.9
    spread[: sheets[0].shape[0], : widths[0]] = sheets[0]
    spread[: sheets[1].shape[0], widths[0] + gutter:] = sheets[1]
    fold = widths[0] + gutter / 2
    xx = np.arange(total, dtype=np.float32)
    depth = rng.uniform(0.15, 0.4)
    falloff = rng.uniform(0.02, 0.06) * total
    shade = 1.0 - depth * np.exp(-np.abs(xx - fold) / falloff)
    spread *= shade[None, :, None]
    boxes = [np.array([[0, 0], [widths[0], 0], [widths[0], h], [0, h]], np.float32),
             np.array([[widths[0] + gutter, 0], [total, 0], [total, h], [widths[0] + gutter, h]], np.float32)]
    params["fold_shadow"] = round(float(depth), 3)
    return spread, boxes


def _curl(sheet: Array, alpha: Array, boxes: list[Array], rng: np.random.Generator,
          params: dict[str, Any]) -> tuple[Array, Array, list[Array]]:
    """A page that does not lie flat: lines bend smoothly, and the bend is shaded."""
    h, w = alpha.shape
    mode = str(rng.choice(["edge", "wave", "bulge"]))
    amp = rng.uniform(0.008, 0.03) * h
    pad = round(amp * 1.6) + 4
    H, W = h + 2 * pad, w + 2 * pad
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    u = (xx - pad) / w  # 0..1 across the page
    v = (yy - pad) / h
    if mode == "edge":  # one side lifts, as a leaf sewn into a file does
        side = u if rng.random() < 0.5 else 1 - u
        p = rng.uniform(2.0, 4.0)
        bend = np.clip(side, 0, 1) ** p
        tilt = 1 + rng.uniform(-0.8, 0.8) * (v - 0.5)
        dy = amp * bend * tilt * (1 if rng.random() < 0.5 else -1)
        dx = -0.4 * amp * bend
    elif mode == "wave":
        f = rng.uniform(0.5, 1.5)
        phase = rng.uniform(0, 2 * np.pi)
        dy = 0.6 * amp * np.sin(2 * np.pi * f * u + phase) * (1 + 0.5 * (v - 0.5))
        dx = np.zeros_like(dy)
    else:  # the middle bulges up
        dy = amp * (4 * (u - 0.5) ** 2 - 1 / 3) * (2 * v - 1) * rng.uniform(0.6, 1.2)
        dx = 0.2 * amp * (u - 0.5) * (2 * v - 1)
    map_x = (xx - pad + dx).astype(np.float32)
    map_y = (yy - pad + dy).astype(np.float32)
    out = cv2.remap(sheet, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    out_alpha = cv2.remap(alpha, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    slope = np.gradient(dy, axis=1) * w / max(amp, 1.0)
    shading = 1.0 - rng.uniform(0.05, 0.15) * np.clip(np.abs(slope), 0, 3) / 3 * np.sign(slope + 1e-6)
    out *= shading[:, :, None]
    params["curl"] = {"mode": mode, "amplitude_px": round(float(amp), 1), "pad": pad}
    return out, out_alpha, [b + pad for b in boxes]


# ---------------------------------------------------------------- the camera: table, view, light

def _table(shape: tuple[int, int], rng: np.random.Generator, params: dict[str, Any]) -> Array:
    """A desk, a table cloth, linoleum or the cardboard cover of the file under the page."""
    h, w = shape
    kind = str(rng.choice(["wood", "cloth", "linoleum", "cardboard", "dark"]))
    base = {
        "wood": (0.18, 0.32, 0.48), "cloth": (0.35, 0.42, 0.30), "linoleum": (0.45, 0.50, 0.55),
        "cardboard": (0.42, 0.55, 0.62), "dark": (0.12, 0.12, 0.14),
    }[kind]
    colour = np.array(base) * rng.uniform(0.75, 1.25, 3)
    sh, sw = max(8, h // 4), max(8, w // 4)
    if kind == "wood":
        along = rng.random() < 0.5
        t = np.linspace(0, 1, sw if along else sh, dtype=np.float32)
        across = np.arange(sh if along else sw, dtype=np.float32)[:, None]
        grain = np.sin(across / rng.uniform(3, 9) + 4 * _field(rng, (len(across), 1), 4)) * 0.5
        rings = np.sin(across / rng.uniform(15, 40) + 2 * t[None, :] * rng.uniform(1, 3))
        tex = 0.06 * grain + 0.05 * rings + 0.03 * rng.normal(0, 1, (len(across), len(t)))
        tex = tex if along else tex.T
        tex = tex.astype(np.float32)
    else:
        tex = (0.05 * _field(rng, (sh, sw), 8)
               + {"cloth": 0.05, "linoleum": 0.03, "cardboard": 0.03, "dark": 0.02}[kind]
               * rng.normal(0, 1, (sh, sw))).astype(np.float32)
    tex = cv2.resize(tex, (w, h), interpolation=cv2.INTER_LINEAR)
    table = np.empty((h, w, 3), np.float32)
    table[:] = colour.astype(np.float32)
    table *= (1.0 + tex)[:, :, None]
    params["table"] = kind
    return np.clip(table, 0, 1)


def _view(page_w: float, page_h: float, wanted: tuple[str, ...], rng: np.random.Generator,
          params: dict[str, Any]) -> Array:
    """Page corners as a camera sees them: tilted plane, rolled phone, pinhole projection."""
    top_far = True
    if "perspective" in wanted:
        pitch = rng.uniform(8, 30)
        yaw = rng.uniform(-15, 15)
        top_far = rng.random() < 0.8  # mostly taken from the near edge, so the top recedes
    else:
        pitch, yaw = rng.uniform(0, 3), rng.uniform(-2, 2)
    roll = rng.uniform(1.5, 6) * rng.choice([-1, 1]) if "rotate" in wanted else rng.uniform(-0.8, 0.8)
    focal = rng.uniform(0.75, 1.4) * max(page_w, page_h)
    params["view"] = {"pitch": round(float(pitch), 2), "yaw": round(float(yaw), 2),
                      "roll": round(float(roll), 2)}
    a, b, c = (math.radians(v) for v in (pitch, yaw, roll))
    rx = np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])
    ry = np.array([[math.cos(b), 0, math.sin(b)], [0, 1, 0], [-math.sin(b), 0, math.cos(b)]])
    rz = np.array([[math.cos(c), -math.sin(c), 0], [math.sin(c), math.cos(c), 0], [0, 0, 1]])
    corners = np.array([[-page_w / 2, -page_h / 2, 0], [page_w / 2, -page_h / 2, 0],
                        [page_w / 2, page_h / 2, 0], [-page_w / 2, page_h / 2, 0]])
    seen = np.zeros((4, 2))
    for sign in (1, -1):
        tilt = rx if sign == 1 else rx.T
        cam = corners @ (rz @ ry @ tilt).T + np.array([0, 0, focal * 1.2])
        seen = focal * cam[:, :2] / cam[:, 2:3]
        top, bottom = np.linalg.norm(seen[1] - seen[0]), np.linalg.norm(seen[2] - seen[3])
        if (top <= bottom) == top_far:
            break
    return seen.astype(np.float64)


def _text_box(page: RenderedPage, box: Array) -> Array:
    """Corners of the page's text block in sheet pixels."""
    x0, y0, x1, y1 = _text_area(page)
    left, top = float(box[0][0]), float(box[0][1])
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64) + np.array([left, top])


def _visible_text(page: RenderedPage, box: Array, to_frame: Array, frame: tuple[int, int]) -> str:
    """The ground truth is what the photo shows: the page's lines that lie wholly inside the frame."""
    if not page.lines:
        return page.text
    left, top = float(box[0][0]), float(box[0][1])
    corners = np.array([[[ln.bbox.x0 + left, ln.bbox.y0 + top], [ln.bbox.x1 + left, ln.bbox.y0 + top],
                         [ln.bbox.x1 + left, ln.bbox.y1 + top], [ln.bbox.x0 + left, ln.bbox.y1 + top]]
                        for ln in page.lines], np.float64)
    seen = cv2.perspectiveTransform(corners.reshape(-1, 1, 2), to_frame).reshape(-1, 4, 2)
    inside = ((seen >= 0).all(axis=(1, 2)) & (seen[:, :, 0] <= frame[0] - 1).all(axis=1)
              & (seen[:, :, 1] <= frame[1] - 1).all(axis=1))
    if inside.all():
        return page.text
    return "\n".join(ln.text for ln, ok in zip(page.lines, list(np.atleast_1d(inside)), strict=True) if ok) + "\n"


def _closeup_framing(page: Array, text: Array, frame: tuple[int, int], rng: np.random.Generator) -> tuple[float, Array]:
    """Scale and offset of a close shot: the text block fills the frame, the page edges fall outside it.

    ``page`` and ``text`` are corners at scale 1 around the frame centre. A photographer moving in
    keeps the text in the frame; only when the margins are too narrow for that does a page edge show.
    """
    size = np.array(frame, np.float64)
    margin = rng.uniform(0.01, 0.04) * size
    t_lo, t_hi = text.min(axis=0), text.max(axis=0)
    # the largest axis-aligned box inside the (nearly rectangular) page outline
    p_lo = np.array([max(page[0, 0], page[3, 0]), max(page[0, 1], page[1, 1])])
    p_hi = np.array([min(page[1, 0], page[2, 0]), min(page[2, 1], page[3, 1])])
    most = float(np.min((size - 2 * margin) / np.maximum(t_hi - t_lo, 1.0)))  # text still fits
    least = float(np.max(size / np.maximum(p_hi - p_lo, 1.0)))  # page covers the frame
    scale = rng.uniform(least, most) if least <= most else most * rng.uniform(0.92, 1.0)
    # offsets keeping the text in the frame, and within those the page over the frame
    text_range = (margin - size / 2 - scale * t_lo, size / 2 - margin - scale * t_hi)
    page_range = (size / 2 - scale * p_hi, -size / 2 - scale * p_lo)
    lo = np.maximum(text_range[0], page_range[0])
    hi = np.minimum(text_range[1], page_range[1])
    lo, hi = np.where(lo <= hi, lo, text_range[0]), np.where(lo <= hi, hi, text_range[1])
    offset = lo + rng.uniform(0, 1, 2) * np.maximum(hi - lo, 0)
    return scale, offset


def _place_on_table(sheet: Array, alpha: Array, boxes: list[Array], frame: tuple[int, int],
                    wanted: tuple[str, ...], rng: np.random.Generator,
                    params: dict[str, Any], *, text_boxes: list[Array]) -> tuple[Array, list[Array], Array]:
    fw, fh = frame
    grow = float(params.get("curl", {}).get("pad", 0))  # a curled edge reaches past the flat outline
    outline = np.array([boxes[0][0], boxes[-1][1], boxes[-1][2], boxes[0][3]], np.float64)
    outline += np.array([[-grow, -grow], [grow, -grow], [grow, grow], [-grow, grow]])
    src_w = float(outline[1, 0] - outline[0, 0])
    src_h = float(outline[3, 1] - outline[0, 1])
    seen = _view(src_w, src_h, wanted, rng, params)
    seen -= seen.mean(axis=0)
    span = seen.max(axis=0) - seen.min(axis=0)
    fit = min(fw / span[0], fh / span[1])
    if "far" in wanted:
        fill = rng.uniform(0.3, 0.5)
    else:
        fill = rng.uniform(0.78, 0.93)
    scale = fit * fill
    room = np.array([fw, fh]) - span * scale
    offset = rng.uniform(-0.5, 0.5, 2) * np.maximum(room - 0.04 * np.array([fw, fh]), 0)
    if "closeup" in wanted:
        # at scale 1 around the frame centre the photo is an exact affine image of this homography's
        unit = cv2.getPerspectiveTransform(outline.astype(np.float32), seen.astype(np.float32)).astype(np.float64)
        text = np.concatenate(text_boxes)
        seen_text = cv2.perspectiveTransform(text.reshape(-1, 1, 2), unit).reshape(-1, 2)
        scale, offset = _closeup_framing(seen, seen_text, frame, rng)
        fill = scale / fit
    params["fill"] = round(float(fill), 3)
    table = _table((fh, fw), rng, params)
    dst = seen * scale + np.array([fw / 2, fh / 2]) + offset
    homography = cv2.getPerspectiveTransform(outline.astype(np.float32), dst.astype(np.float32))
    pre = min(1.0, scale * 1.25)  # shrink first so the warp does not alias the typing
    if pre < 1.0:
        small = cv2.resize(sheet, None, fx=pre, fy=pre, interpolation=cv2.INTER_AREA)
        small_alpha = cv2.resize(alpha, None, fx=pre, fy=pre, interpolation=cv2.INTER_AREA)
        warp = homography @ np.diag([1 / pre, 1 / pre, 1.0])
    else:
        small, small_alpha, warp = sheet, alpha, homography
    page = cv2.warpPerspective(small, warp, (fw, fh), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    cover = cv2.warpPerspective(small_alpha, warp, (fw, fh), flags=cv2.INTER_LINEAR, borderValue=0)
    drop = cv2.GaussianBlur(cover, (0, 0), rng.uniform(0.004, 0.015) * fw)
    drop = np.roll(drop, (round(rng.uniform(0, 0.006) * fh), round(rng.uniform(-0.004, 0.004) * fw)), (0, 1))
    table *= (1.0 - rng.uniform(0.2, 0.5) * drop)[:, :, None]
    image = page + table * (1.0 - cover)[:, :, None]
    corners = []
    for box in boxes:
        pts = cv2.perspectiveTransform(box.reshape(-1, 1, 2).astype(np.float64), homography).reshape(-1, 2)
        corners.append(pts.astype(np.float32))
    return image, corners, homography.astype(np.float64)


def _light(image: Array, wanted: tuple[str, ...], rng: np.random.Generator, params: dict[str, Any]) -> None:
    """Room light: a gradient, vignetting, a colour cast; and the named shadow and underexposure."""
    h, w = image.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = xx / w - 0.5, yy / h - 0.5
    angle = rng.uniform(0, 2 * np.pi)
    gain = 1.0 + rng.uniform(0.0, 0.15) * (math.cos(angle) * u + math.sin(angle) * v) * 2
    gain -= rng.uniform(0.05, 0.25) * (u * u + v * v) * 2
    cast = np.array([1.0, 1.0, 1.0]) + np.array([-1, 0, 1]) * rng.uniform(-0.08, 0.12) + rng.normal(0, 0.015, 3)
    if "shadow" in wanted:
        strength = rng.uniform(0.25, 0.55)
        soft = rng.uniform(0.04, 0.15) * max(h, w)
        if rng.random() < 0.5:  # edge of a phone's or a head's shadow: a curved boundary
            theta = rng.uniform(0, 2 * np.pi)
            d = math.cos(theta) * (xx - rng.uniform(0.3, 0.7) * w) + math.sin(theta) * (yy - rng.uniform(0.3, 0.7) * h)
            d += rng.uniform(-0.3, 0.3) * (math.sin(theta) * (xx - w / 2) / w) ** 2 * w
            mask = 1 / (1 + np.exp(-d / soft * 1.5))
        else:  # a blob: a hand or the phone itself
            cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
            rx, ry = rng.uniform(0.15, 0.4) * w, rng.uniform(0.15, 0.4) * h
            r = np.sqrt(((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2)
            r = r * (1 + 0.15 * _field(rng, (h, w), 4))  # no hand casts an ellipse
            mask = 1 / (1 + np.exp((r - 1) * max(rx, ry) / soft * 1.5))
        gain = gain * (1 - strength * mask)
        params["shadow"] = round(float(strength), 3)
        cast_shadow = np.array([1.06, 1.0, 0.94])  # shade is lit by the cooler sky light
        image *= (1 + (cast_shadow - 1) * mask[:, :, None] * strength).astype(np.float32)
    exposure = rng.uniform(0.95, 1.1)
    if "dark" in wanted:
        exposure = rng.uniform(0.3, 0.55)
        params["exposure"] = round(float(exposure), 3)
    image *= (gain * exposure)[:, :, None]
    image *= cast.astype(np.float32)
    if "glare" in wanted:
        _glare(image, xx, yy, rng, params)


def _glare(image: Array, xx: Array, yy: Array, rng: np.random.Generator, params: dict[str, Any]) -> None:
    """A lamp reflected by the paper's sheen or a plastic sleeve: light added over paper and ink alike, so the
    letters under it lose their contrast rather than their brightness, a core that may burn out to white."""
    h, w = image.shape[:2]
    # up to where a photographer still sees the letters under it: stronger burns them out, and the photo is retaken
    strength = rng.uniform(0.25, 0.55)
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.2, 0.55) * h
    rx = rng.uniform(0.08, 0.22) * max(h, w)
    ry = rx * rng.uniform(0.6, 1.4)
    turn = rng.uniform(0, np.pi)
    dx, dy = xx - cx, yy - cy
    along = (dx * math.cos(turn) + dy * math.sin(turn)) / rx
    across = (-dx * math.sin(turn) + dy * math.cos(turn)) / ry
    spot = np.exp(-0.5 * (along * along + across * across)).astype(np.float32)
    spot *= (1 + 0.1 * _field(rng, (h, w), 6)).astype(np.float32)  # sheen is never an even ellipse
    lamp = np.array([0.97, 1.0, 1.03], np.float32) * strength  # warm lamp light, in B, G, R
    image += spot[:, :, None] * lamp
    params["glare"] = {"strength": round(float(strength), 3), "radius": round(float(rx / max(h, w)), 3)}


def _blur(image: Array, rng: np.random.Generator, params: dict[str, Any]) -> Array:
    h, w = image.shape[:2]
    unit = max(h, w) / 3000
    if rng.random() < 0.5:
        sigma = rng.uniform(1.0, 2.6) * unit
        params["blur"] = {"defocus_sigma": round(float(sigma), 2)}
        return cv2.GaussianBlur(image, (0, 0), sigma)
    length = max(3, round(rng.uniform(5, 13) * unit))
    angle = rng.uniform(0, 180)
    kernel: Array = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    kernel = kernel / kernel.sum()
    params["blur"] = {"motion_px": length, "angle": round(float(angle), 1)}
    return cv2.filter2D(image, -1, kernel)


def _sensor(image: Array, wanted: tuple[str, ...], rng: np.random.Generator, params: dict[str, Any]) -> Array:
    """Tone curve, noise and, with ``noise``, a first round of heavy JPEG as a messenger app does; with ``phone``,
    a dim room's photo through the phone's lens (``_lens``) as its camera makes it (``_phone``), saved as the
    phone saves it (a lighter JPEG, in place of the messenger's)."""
    np.clip(image, 0, 1, out=image)
    exposure = 1.0
    if "phone" in wanted:
        image = _lens(image, rng, params)
        exposure = rng.uniform(0.3, 1.0)  # of the light a well-lit page would give
    image *= exposure
    if "noise" in wanted or "dark" in wanted:
        h, w = image.shape[:2]
        shot = rng.uniform(0.01, 0.03) * (2.0 if "dark" in wanted else 1.0)
        read = rng.uniform(0.004, 0.015)
        sigma = np.sqrt(shot ** 2 * image + read ** 2).astype(np.float32)
        image = image + sigma * rng.standard_normal(image.shape, dtype=np.float32)
        chroma = cv2.resize(rng.normal(0, read, (h // 4, w // 4, 3)).astype(np.float32), (w, h))
        image += chroma
        params["noise"] = {"shot": round(float(shot), 4), "read": round(float(read), 4)}
    else:
        image = image + rng.normal(0, 0.004, image.shape).astype(np.float32)
    if "phone" in wanted:
        image = _phone(image / exposure, rng, params)  # the camera's gain brings the dim page up, noise and all
        params["phone"]["exposure"] = round(float(exposure), 3)
    gamma = rng.uniform(0.85, 1.05)
    out = (np.clip(image, 0, 1) ** gamma * 255.0 + 0.5).astype(np.uint8)
    if "noise" in wanted or "phone" in wanted:
        # a messenger's heavy JPEG, or the phone's own, which keeps more
        quality = int(rng.integers(85, 96) if "phone" in wanted else rng.integers(35, 76))
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if ok:
            out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        params["phone" if "phone" in wanted else "noise"]["jpeg_quality"] = quality
    return out


def _lens(image: Array, rng: np.random.Generator, params: dict[str, Any]) -> Array:
    """A phone lens's faults as its software leaves them: straight lines bowed a little (barrel or pincushion,
    up to about 1% of the frame at its corners), and red and blue imaged at slightly different sizes, so that
    towards the corners a dark stroke has a coloured fringe on either side."""
    h, w = image.shape[:2]
    bow = rng.uniform(-0.02, 0.02)  # of the half-diagonal, at the corners
    fringe = rng.uniform(0.0005, 0.002)  # red larger and blue smaller by this share
    half = math.hypot(w, h) / 2
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    dx, dy = (xs - (w - 1) / 2) / half, (ys - (h - 1) / 2) / half
    channels = []
    for channel, size in zip(cv2.split(image), (1 - fringe, 1.0, 1 + fringe), strict=True):  # blue, green, red
        factor = (1 + bow * (dx * dx + dy * dy)) / size  # where in the scene each pixel of this colour looks
        channels.append(cv2.remap(channel, (w - 1) / 2 + dx * half * factor, (h - 1) / 2 + dy * half * factor,
                                  cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT))
    params["lens"] = {"bow": round(float(bow), 4), "fringe": round(float(fringe), 4)}
    return cv2.merge(channels)


def _phone(image: Array, rng: np.random.Generator, params: dict[str, Any]) -> Array:
    """What a phone's camera does to the sensor's picture before it saves it.

    Noise reduction smooths what differs little from its neighbours: the grain, and with it the faint strokes of
    a pale letter; colour noise is blurred away harder than light. Local tone mapping lifts the shadows and
    holds down the bright, so a shadow's edge softens and the grain in it grows. Sharpening puts a light halo
    beside every dark stroke and edge.
    """
    h, w = image.shape[:2]
    unit = max(h, w) / 3000
    ycc = cv2.cvtColor(np.clip(image, 0, 1).astype(np.float32), cv2.COLOR_BGR2YCrCb)
    strength = rng.uniform(0.02, 0.08)  # of the full range: differences below this are taken for grain
    reach = rng.uniform(1.0, 3.0) * unit
    luma = cv2.bilateralFilter(np.ascontiguousarray(ycc[:, :, 0]), 2 * math.ceil(1.5 * reach) + 1, strength, reach)
    chroma = cv2.GaussianBlur(ycc[:, :, 1:], (0, 0), 3.0 * unit)
    image = cv2.cvtColor(np.dstack([luma, chroma]), cv2.COLOR_YCrCb2BGR)

    lift = rng.uniform(0.2, 0.6)  # how far a region's brightness is pulled to the key: 0 none, 1 all the way
    key = rng.uniform(0.45, 0.6)
    reach_tone = rng.uniform(0.02, 0.06) * max(h, w)
    small = cv2.resize(luma, (max(2, w // 16), max(2, h // 16)), interpolation=cv2.INTER_AREA)
    base = cv2.resize(cv2.GaussianBlur(small, (0, 0), reach_tone / 16), (w, h), interpolation=cv2.INTER_LINEAR)
    gain = np.clip((key / np.maximum(base, 0.02)) ** lift, 0.6, 3.0)
    image = (image * gain[:, :, None]).astype(np.float32)

    amount = rng.uniform(0.5, 1.5)
    radius = rng.uniform(0.8, 2.0) * unit
    light = image.mean(axis=2)
    image += (amount * (light - cv2.GaussianBlur(light, (0, 0), radius)))[:, :, None]
    params["phone"] = {"denoise": round(float(strength), 3), "denoise_px": round(float(reach), 2),
                       "tone_lift": round(float(lift), 2), "tone_key": round(float(key), 2),
                       "sharpen": round(float(amount), 2), "sharpen_px": round(float(radius), 2)}
    return image


def _turn(image: Array, corners: list[Array], turns: int) -> tuple[Array, list[Array]]:
    """Rotate pixels counter-clockwise by quarter turns, and the corners with them."""
    out = np.ascontiguousarray(np.rot90(image, turns))
    moved = []
    for pts in corners:
        p = pts.copy()
        h, w = image.shape[:2]
        for _ in range(turns):
            p = np.stack([p[:, 1], (w - 1) - p[:, 0]], axis=1)
            h, w = w, h
        moved.append(p.astype(np.float32))
    return out, moved
