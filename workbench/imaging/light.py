"""Light and colour: flatten uneven light, separate the text ink from stamps, stretch faded ink.

Everything works on absorbance, ``255 - pixel / paper * 255`` per channel, so that a shadow, a dark photo
and a faded ribbon all become "paper = 0, ink > 0" before any threshold is chosen.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from workbench.imaging.components import components, off_the_edge
from workbench.imaging.geometry import halve, resize_long_side

log = logging.getLogger(__name__)

BACKGROUND_SIDE = 256  # the light is estimated on an image this long
BACKGROUND_KERNEL = 1 / 24  # closing kernel as a share of the long side: wider than a character


def estimate_background(image: np.ndarray, *, kernel_share: float = BACKGROUND_KERNEL) -> np.ndarray:
    """Paper brightness without the ink, by a morphological closing on a small copy, at full size."""
    height, width = image.shape[:2]
    small, _ = resize_long_side(image, BACKGROUND_SIDE)  # halvings first: area-averaging a page costs 20 ms
    k = max(3, int(round(max(small.shape[:2]) * kernel_share)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    closed = cv2.medianBlur(closed, 5)
    closed = cv2.GaussianBlur(closed, (0, 0), k / 3)
    closed = np.maximum(closed, 8)  # a black frame border must not divide by zero
    return cv2.resize(closed, (width, height), interpolation=cv2.INTER_LINEAR)


def flatten(image: np.ndarray, *, kernel_share: float = BACKGROUND_KERNEL,
            light: np.ndarray | None = None) -> np.ndarray:
    """Divide by the paper brightness: paper becomes 255 under shadow and in a dark photo alike. ``light``: the
    image's ``estimate_background``, when the caller keeps it for another use."""
    background = estimate_background(image, kernel_share=kernel_share) if light is None else light
    return cv2.divide(image, background, scale=255)


PAPER_SHARE = (0.45, 0.6)  # of the brightest paper: what is always, and what may be, too dark to be paper


def paper_like(background: np.ndarray) -> np.ndarray:
    """Where the light estimate is bright enough to be paper (True), not a dark table or frame.

    Flattening a dark table amplifies its grain into specks the size of letters; they are no text. Below
    45% of the brightest paper is never paper; up to 60% is not when the light splits there in two
    (Otsu), as a page on a dark table does even in a dark photo.
    """
    sample = np.ascontiguousarray(background[::4, ::4])
    bright = float(np.percentile(sample, 95))
    split, _ = cv2.threshold(sample, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return background >= max(PAPER_SHARE[0] * bright, min(float(split), PAPER_SHARE[1] * bright))


@dataclass(slots=True)
class InkModel:
    """How to turn a flattened colour page into one grey channel where the text is dark.

    ``weights`` project the absorbance (B, G, R) onto the text ink and away from a second ink
    (a stamp, pencil over a carbon copy); ``floor`` is the absorbance below which a mark is taken
    for show-through or noise, and ``gain`` stretches the text ink to nearly black.
    """

    weights: tuple[float, float, float]
    floor: float
    gain: float
    text_colour: tuple[float, float, float]  # unit absorbance direction, B G R
    removed_colour: tuple[float, float, float] | None = None
    removed_share: float = 0.0
    removed_angle: float = 0.0  # degrees between the two inks' colours
    paper: tuple[float, float, float] = (255.0, 255.0, 255.0)  # paper colour of the unflattened page
    # a second ink is removed where it lies (``removal_region``), the text's plain projection elsewhere; one
    # that lies all over the page over the whole page, if it is far enough from the text's colour (this flag)
    everywhere: bool = False
    plain_levels: tuple[float, float] | None = None  # the tone's floor and gain for the text ink alone

    def plain(self) -> InkModel:
        """The same model without the second ink's removal: the text ink alone, projected as it is."""
        if self.plain_levels is None:
            raise ValueError("only a model that removes a second ink keeps the plain projection's tone")
        floor, gain = self.plain_levels
        direction = np.array(self.text_colour)
        weights = direction / float(direction @ direction)
        return InkModel(weights=(float(weights[0]), float(weights[1]), float(weights[2])), floor=floor, gain=gain,
                        text_colour=self.text_colour, paper=self.paper)

    def blend(self, flat: np.ndarray, plain_flat: np.ndarray, plain: InkModel, region: np.ndarray) -> np.ndarray:
        """A flattened projection of this model inside ``region`` (0/255, any size) and of ``plain`` outside
        it, outside rescaled so that ``tone`` treats the text ink of both alike."""
        if flat.shape != plain_flat.shape or flat.dtype != np.uint8 or plain_flat.dtype != np.uint8:
            raise ValueError(f"blend needs two 8-bit pages of one size, not {flat.shape} {flat.dtype} and "
                             f"{plain_flat.shape} {plain_flat.dtype}")
        ratio = float(np.array(plain.weights).sum()) / float(np.array(self.weights).sum())
        # saturated, not folded: convertScaleAbs would take the absolute value of what falls below 0; a table
        # of the 256 values and a masked copy give the same page nine times faster than arithmetic on it
        table = np.clip(np.arange(256, dtype=np.float32) * ratio + 255.0 * (1 - ratio), 0, 255).astype(np.uint8)
        blended = cv2.LUT(plain_flat, table)
        inside = cv2.resize(region, (flat.shape[1], flat.shape[0]), interpolation=cv2.INTER_LINEAR)
        cv2.copyTo(flat, cv2.threshold(inside, 127, 255, cv2.THRESH_BINARY)[1], blended)  # above 127: inside
        return blended

    def project(self, bgr: np.ndarray) -> np.ndarray:
        """One channel, before flattening, in which the text ink is dark and a removed ink is paper.

        Light falls on every channel alike, so projecting first and flattening the one channel after
        equals flattening each channel first, at a third of the cost.
        """
        if bgr.ndim == 2:
            return bgr
        w = self._channel_weights()
        # three equal rows take OpenCV's fixed-point path, twice as fast as one row in floating point
        return cv2.extractChannel(cv2.transform(bgr, np.repeat(np.array([w], dtype=np.float32), 3, axis=0)), 0)

    def white(self) -> float:
        """The photo's white (255, 255, 255) as ``project`` would give it unclipped: where a burnt-out photo's
        light is. Above 255 (paper photographed at 200 or darker), the projection clips before the camera does."""
        return float(255.0 * self._channel_weights().sum())

    def _channel_weights(self) -> np.ndarray:
        """What ``project`` weighs each channel (B, G, R) by: the paper projected to 200."""
        return np.array(self.weights) / np.array(self.paper) * (200.0 / float(np.array(self.weights).sum()))

    def tone(self, flat: np.ndarray) -> np.ndarray:
        """Stretch a flattened projection: the text ink to near black, show-through and noise to white."""
        total = float(np.array(self.weights).sum())
        values = np.arange(256, dtype=np.float64)
        absorbance = (255.0 - values) * total
        table = np.clip(255.0 - self.gain * (absorbance - self.floor), 0, 255).astype(np.uint8)
        return cv2.LUT(flat, table)

    def params(self) -> dict[str, object]:
        return {"weights": [round(w, 3) for w in self.weights], "floor": round(self.floor, 1),
                "gain": round(self.gain, 2), "text_colour": [round(c, 2) for c in self.text_colour],
                "removed_colour": None if self.removed_colour is None
                else [round(c, 2) for c in self.removed_colour],
                "removed_share": round(self.removed_share, 3), "removed_angle": round(self.removed_angle, 1)}

    def apply(self, flat_bgr: np.ndarray) -> np.ndarray:
        """Grey page: ``255 - gain * (weights . (255 - flat) - floor)``, in one saturating pass."""
        w = np.array(self.weights) * self.gain
        offset = 255.0 - 255.0 * w.sum() + self.gain * self.floor
        matrix = np.array([[w[0], w[1], w[2], offset]], dtype=np.float32)
        if flat_bgr.ndim == 2:
            single = np.array([[w.sum(), offset]], dtype=np.float32)
            return cv2.transform(flat_bgr[:, :, None], single)
        return cv2.transform(flat_bgr, matrix)


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


# Absorbance in the blue channel by this much above the others is yellow to brown: the colour of aged paper's
# stains, foxing and tint, not of a stamp (violet, blue, red) or pencil (grey).
STAIN_LEAD = 0.2


def _stain_coloured(direction: np.ndarray) -> bool:
    """A unit absorbance direction (B, G, R) of yellow to brown: the paper's own, not a second ink.

    Weighing the channels against each other to remove it only raises the noise and thins a carbon copy's
    violet; flattening and the tone's floor already fade such marks.
    """
    return bool(_stains(np.asarray(direction)[None])[0])


def _two_inks(dirs: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The ink's colour directions split in two by k-means: the larger part's colour, the smaller's, the
    smaller's share and the degrees between them."""
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 1e-3)
    cv2.setRNGSeed(0)  # k-means++ draws from OpenCV's global generator: the same page, the same model
    _, labels, centres = cv2.kmeans(dirs, 2, None, criteria, 2, cv2.KMEANS_PP_CENTERS)  # type: ignore[call-overload, unused-ignore]
    labels = labels.ravel()
    counts = np.bincount(labels, minlength=2)
    major = int(np.argmax(counts))
    minor = 1 - major
    a, b = _unit(centres[major].astype(float)), _unit(centres[minor].astype(float))
    angle = math.degrees(math.acos(float(np.clip(a @ b, -1, 1))))
    return (_unit(np.median(dirs[labels == major], axis=0)), _unit(np.median(dirs[labels == minor], axis=0)),
            float(counts[minor] / counts.sum()), angle)


def _stains(directions: np.ndarray) -> np.ndarray:
    """Which of many unit absorbance directions (one a row) are stain-coloured (see ``_stain_coloured``)."""
    return directions[:, 0] - np.maximum(directions[:, 1], directions[:, 2]) >= STAIN_LEAD


MIN_INK = 50  # pixels of the sample: fewer, and there is no ink to fit
# A page's ink is mostly its text. Where most of what passes for ink lies outside the box its letters span, it is
# something else: the grain of a dark table that a curled page's wavy edge let into the crop, which flattening
# turns from solid dark (``pagedetect.off_page``) into mid-grey grain. Split in two colours, that grain was the
# larger part and the violet typing the smaller, removed as a second ink where it lay (109000/curl-036: the text
# gone, 100% CER). The inks are then told apart on the ink in the letters' box only; the text's colour when no
# second ink is found, and the tone's levels, still come from all of it (109000/curl-036 1.0%: its typing and the
# grain toned as one ink, as when no colour is removed at all). The price: on such a page a stamp or pencil mark
# outside the box is not told apart either. On 540 photos of nine plans (1923-2000, 105000-110000) the ink in
# the box was 0.43 of the whole on 109000/curl-036 and 0.48 on 2000/mixed-053 (a curled page in a shadow, which
# reads the same, 1.34%), 0.68 and more on the rest.
MIN_BOXED_INK = 0.5
MIN_STRENGTH = 14.0  # absorbance: fainter is the paper's
TEXT_LEVEL = 90  # percentile of the projected ink that the tone stretches to near black
# A page curled at its edge leaves table beyond it inside the sample's 4% margin: a dark band along the border
# that holds the darkest tenth of the ink. The text's level is then taken from the ink clear of the border,
# when the band lifts the level by this much: on 28000/curl-037 (thin FreeMono) it lifted it 2.2 times and the
# text was toned to pale grey (32% CER; 1.7% without it); on 540 photos of nine plans every other page measured
# 0.88 to 1.0, where the ink at the border is text cut by the frame or a gutter's shadow, and is kept.
BORDER_LIFT = 1.5


def _clear_of_border(is_ink: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Of the sample's ink pixels (a flat mask of ``shape``), those in components that do not touch its border."""
    mask = is_ink.reshape(shape).astype(np.uint8) * 255
    return (off_the_edge(mask) > 0).ravel()


# How hard parting the two inks weighs the channels against each other (the weights' absolute sum): up to
# MAX_LOCAL_WEIGHTS a second ink is removed where it lies (a stamp, a pencil note), and the text's plain
# projection kept elsewhere, which the weighing would only make noisier: on a dark page the colour noise
# weighed so all over it was read as dots and commas (39000/mixed-050, a violet stamp on faded black typing
# photographed dark: 12.0% removed over the whole page, 5.4% where it lies). Only an ink that lies all over
# the page (``InkRegion.where == "all over"``) is removed everywhere, only up to MAX_WEIGHTS (weights like
# (3.3, -1.2, 0.1) turn the coarser colour a phone's JPEG keeps at every letter's edge into specks) and only
# if its colour lies NEAR_ANGLE or more from the text's. Beyond MAX_LOCAL_WEIGHTS the two are taken for one ink.
MAX_WEIGHTS = 4.0
MAX_LOCAL_WEIGHTS = 8.0
MAX_REGION_SHARE = 0.25  # of the page: a second ink spread wider is no stamp, and is left
REGION_REACH = 0.03  # of the page's long side: how far around the second ink's pixels its removal reaches
# A second ink whose region is nearly as wide as the text's lies all over it: no stamp but the text's own
# colour split in two by a low-quality JPEG's blocks (41000/mixed-050: a carbon copy at quality 40, whose
# removal left blotches where the letters were, 1.5 times the text's region). A near ink (under NEAR_ANGLE) is
# not judged so: its colour is also the text's own noise, strewn in pixels over every line, and its region is
# measured where it is most of the ink, below. 61000/stamp-028, a blue ring on violet typing 15 degrees apart:
# its pixels reached over 0.69 of the text's region, it was most of the ink over 0.23 of it; left, 7.7% CER,
# removed 3.3% (57000/stamp-028 4.8% -> 0.8%, 59000/stamp-027 2.4% -> 0.5%; no other page of nine plans moved).
MAX_REGION_TO_TEXT = 0.6
# A second "ink" whose pixels nearly all touch the text's (on the small sample) is the letters' own colour
# fringes (a JPEG's coarser colour, a lens's): on twelve plans such pages measured 0.88 to 0.94 and read worse
# with it removed; stamps over text measured 0.13 to 0.71.
MAX_FRINGE = 0.8
# Two inks are told apart when their colours lie MIN_ANGLE degrees apart. Under NEAR_ANGLE the second may be the
# text's own colour split in two by noise (a dark page's grain, a smear's fringes) as well as a stamp of a near
# colour (blue on grey typing, violet on violet): it is removed only in the one place where it gathers, as a stamp
# does, and that place must hold MIN_GATHERED of its pixels. On a dark page of grey typing (43000/dark-013) such a
# "second ink" lay in 35 places, the largest 0.21 of their area (0.14 of the pixels; removed, 0.9% -> 69% CER);
# the near stamps of twelve plans (1923-2000, 39000-47000) 0.58 to 1 of the area, measured so until the 93000
# round (see _gathering_place). A near ink is never removed over the whole page. The angle is the one between the
# two parts' mean colours, and a stamp struck over typing brings pixels of both colours mixed into its part: on
# 105000/mixed-049 (grey typing, a violet stamp over its words, pencil) the stamp's part measured 12.2 degrees,
# and with the bound at 14 it was left (7.6% CER; removed, 2.7%). At 12 degrees, of the 720 photos of twelve
# plans (1923-2000, 105000-113000) two others moved, perspective-046 0.13% -> 0.0%, 108000/shadow-010 0.0% ->
# 0.29%.
MIN_ANGLE = 12.0
NEAR_ANGLE = 20.0
MIN_GATHERED = 0.5
# Gathered in one place, a near ink must still be a stamp's size: where it is most of the ink over more than
# a quarter of the text's region and more than MAX_STAMP_SHARE of the page, it is the text's own colour in one
# part of the page (a phone's tone curve shifts the hue of ink it renders paler: 58000/blur-043, smeared
# typing whose paler words about a third of the text were read as a second ink 16 degrees off, removed there
# and read at 13.9% CER, 3.7% left; its region 0.32 of the text's, 7.9% of the page). The 19 near stamps of
# 25 plans (1923-12000, 48000-59000) measured 0.08 to 0.19 of the text's region and 1.7% to 4.3% of the
# page; on a short document a stamp may well cover a quarter of the text's region, not 6% of the page. The
# three more that the 60000 round removes (see MAX_REGION_TO_TEXT) measured 0.19, 0.23 and 0.27 of the text's
# region and 3.3%, 5.5% and 5.7% of the page: 57000/stamp-028 passes by the page's share alone, near its limit.
MAX_NEAR_REGION_TO_TEXT = 0.25
MAX_STAMP_SHARE = 0.06
# A second ink is removed only about where it is most of the ink (in a window of REGION_REACH): where a stamp
# crosses the text, the letters beside it are the text's, and a removal weighing the channels against each
# other would only make them noisier. Pixels of the second colour strewn among the letters (their own colour
# noise) are so left alone.
MIN_LOCAL_SHARE = 0.5


def _absorbance(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel, the absorbance (B, G, R) of a flattened colour image, one row each, and its strongest channel."""
    absorb = 255.0 - bgr.reshape(-1, 3).astype(np.float32)
    # 255 less the darkest channel, by OpenCV: numpy's max along rows of three takes fifty times longer
    blue, green, red = cv2.split(np.ascontiguousarray(bgr))
    darkest = cv2.min(cv2.min(blue, green), red)
    return absorb, (255.0 - darkest.astype(np.float32)).ravel()


def _directions(absorb: np.ndarray) -> np.ndarray:
    """Each row of absorbance as a unit direction: its colour, whatever its depth."""
    square = absorb * absorb  # the norm summed column by column, as numpy sums a row of three, but faster
    norm = np.sqrt(square[:, 0] + square[:, 1] + square[:, 2])[:, None]
    return (absorb / np.maximum(norm, 1e-6)).astype(np.float32)


# A dark blot in one place (a stamp of the text's own colour, not told apart) can hold the darkest tenth of a
# faint page's ink, and the text is toned to pale grey that Tesseract's thresholding takes for paper. The page
# is cut in BLOT_TILES x BLOT_TILES tiles, and each with BLOT_MIN ink pixels or more says where its darkest tenth
# lies; when the whole page's level is BLOT_LIFT times theirs (the median), and the tiles that lie that far above
# it fit in BLOT_PLACE x BLOT_PLACE tiles (one place: a stamp; dark typing over a third of the page above faint
# specks elsewhere is no blot), theirs is the text's. On 378 photos of six plans (1923-2000, 72000-74000) the
# ratio was 0.8 to 1.59 but for one: 74000/mixed-049, a faded carbon copy under a dark stamp, at 2.34 (100% CER,
# the text left pale grey; 17.3% at the tiles' level), its dark tiles 2 x 2. At 1.5, 2000/mixed-053 (1.59) read
# 1.3% -> 1.9%.
BLOT_TILES = 6
BLOT_MIN = 5
BLOT_LIFT = 2.0
BLOT_PLACE = 3


def _blot_free_level(projected: np.ndarray, tiles: np.ndarray, page_level: float) -> float | None:
    """The text's level when a dark blot in one place lifted the page's (``page_level``) BLOT_LIFT times above
    the median of the tiles' (``tiles``: each ink pixel's), else None; ink the projection removes (red ticks
    all over a page of grey typing) is in no tile."""
    kept = projected >= MIN_STRENGTH
    projected, tiles = projected[kept], tiles[kept]
    counts = np.bincount(tiles, minlength=BLOT_TILES * BLOT_TILES)
    enough = np.flatnonzero(counts >= BLOT_MIN)
    if len(enough) < 4:  # too few places to tell one from the rest
        return None
    order = np.argsort(tiles, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)])
    levels = np.array([np.percentile(projected[order[starts[t]:starts[t + 1]]], TEXT_LEVEL) for t in enough])
    level = float(np.median(levels))
    dark = enough[levels > BLOT_LIFT * level]
    if page_level <= BLOT_LIFT * level or len(dark) == 0:
        return None
    rows, cols = np.divmod(dark, BLOT_TILES)
    if rows.max() - rows.min() >= BLOT_PLACE or cols.max() - cols.min() >= BLOT_PLACE:
        return None  # dark all over a part of the page: its text, not a blot
    return level


def _tone_levels(projected: np.ndarray, clear: np.ndarray, floor_share: float,
                 tiles: np.ndarray) -> tuple[float, float]:
    """The tone's floor and gain for the sample's ink projected (``clear``: clear of the sample's border;
    ``tiles``: in which of the sample's tiles each ink pixel lies)."""
    text_level = float(np.percentile(projected, TEXT_LEVEL))
    if int(clear.sum()) >= MIN_INK:
        clear_level = float(np.percentile(projected[clear], TEXT_LEVEL))
        if text_level > BORDER_LIFT * clear_level:  # table beyond a curled edge, not text
            text_level = clear_level
    if (level := _blot_free_level(projected, tiles, text_level)) is not None:
        text_level = level
    floor = floor_share * text_level
    return floor, min(235.0 / max(text_level - floor, 20.0), 6.0)


def _in_letters_box(rows: np.ndarray, cols: np.ndarray, box: tuple[int, int, int, int] | None) -> np.ndarray:
    """Which ink pixels (``rows``, ``cols`` of the sample) to tell the inks apart on: those in the letters'
    ``box`` (x0, y0, x1, y1 on the sample) when under MIN_BOXED_INK of them lie there, else all."""
    all_ink = np.ones(len(rows), bool)
    if box is None or not len(rows):
        return all_ink
    x0, y0, x1, y1 = box
    inside = (rows >= y0) & (rows < y1) & (cols >= x0) & (cols < x1)
    return inside if np.count_nonzero(inside) < MIN_BOXED_INK * len(rows) else all_ink


def fit_ink(flat: np.ndarray, *, remove_colours: bool = True, floor_share: float = 0.12,
            min_second_share: float = 0.03, min_angle: float = MIN_ANGLE,
            paper: tuple[float, float, float] = (255.0, 255.0, 255.0), has_text: bool = False,
            letters_box: tuple[int, int, int, int] | None = None) -> InkModel:
    """Find the text ink colour and any second ink to remove, on a small flattened page.

    A second ink is removed only if its colour differs clearly from the text ink's: a violet carbon
    copy keeps its violet, but loses a red stamp or grey pencil over it. ``has_text``: letters were
    found on the page, so ink hardly above the noise may be its text (see below); on a blank page it is
    the noise's own tail, which stretched would turn to dark specks. ``letters_box``: the box (x0, y0, x1,
    y1, in ``flat``'s pixels) the page's letters span, where it has letters (see MIN_BOXED_INK).
    """
    if flat.ndim == 2:
        flat = cv2.cvtColor(flat, cv2.COLOR_GRAY2BGR)
    height, width = flat.shape[:2]
    my, mx = int(height * 0.04), int(width * 0.04)
    inner = flat[my:height - my, mx:width - mx]  # the page edge and what lies beyond it are no ink
    absorb, strength = _absorbance(inner)
    median = float(np.median(strength))
    spread = float(np.median(np.abs(strength - median))) * 1.4826
    is_ink = strength > max(MIN_STRENGTH, median + 7.0 * spread)
    # Blurred text in a dark photo's noise, which flattening amplifies, hardly rises that far above it: it is
    # looked for nearer the noise, for its level only, as noise has colours enough to fake a second ink.
    near_noise = has_text and int(is_ink.sum()) < MIN_INK
    if near_noise:
        is_ink = strength > max(MIN_STRENGTH, median + 4.5 * spread)
    ink = absorb[is_ink]
    neutral = np.ones(3) / math.sqrt(3)
    if len(ink) < MIN_INK:
        return InkModel(weights=(1 / 3, 1 / 3, 1 / 3), floor=0.0, gain=1.0,
                        text_colour=(float(neutral[0]), float(neutral[1]), float(neutral[2])), paper=paper)
    # for the text's level, below: which ink lies clear of the sample's border, and in which tile
    clear = _clear_of_border(is_ink, inner.shape[:2])[is_ink]
    rows, cols = np.divmod(np.flatnonzero(is_ink), inner.shape[1])
    tiles = rows * BLOT_TILES // inner.shape[0] * BLOT_TILES + cols * BLOT_TILES // inner.shape[1]
    boxed = _in_letters_box(rows + my, cols + mx, letters_box)  # the ink the colours are told apart on
    if len(ink) > 8000:
        chosen = np.random.default_rng(0).choice(len(ink), 8000, replace=False)
        ink = ink[chosen]
        clear = clear[chosen]
        tiles = tiles[chosen]
        boxed = boxed[chosen]
    dirs = _directions(ink)
    text_dir = one_ink = _unit(np.median(dirs, axis=0))  # all the ink's colour, kept if no second is removed
    removed: np.ndarray | None = None
    share = angle = 0.0
    everywhere = False
    if remove_colours and not near_noise and np.count_nonzero(boxed) >= 200:
        major, second, share, angle = _two_inks(dirs[boxed])
        if _stain_coloured(second) and np.count_nonzero(inky := ~_stains(dirs) & boxed) >= 200:
            # a stain's colour split off (foxing, tint): a stamp may lie among the rest, nearer the text's (the
            # share recorded is then of the rest)
            major, second, share, angle = _two_inks(dirs[inky])
        if share >= min_second_share and angle >= min_angle and not _stain_coloured(second):
            text_dir, removed = major, second
    if removed is not None:
        ortho = text_dir - (text_dir @ removed) * removed
        weights = ortho / float(ortho @ text_dir)
        size = float(np.abs(weights).sum())
        everywhere = size <= MAX_WEIGHTS and angle >= NEAR_ANGLE
        if size > MAX_LOCAL_WEIGHTS:  # too close in colour: removal would drown the text in colour noise
            removed = None
    if removed is None:
        text_dir = one_ink
        weights = text_dir / float(text_dir @ text_dir)
    weights = weights / max(1e-6, float(weights @ text_dir))
    if weights.sum() < 0.4:  # the projection would leave no paper to flatten against
        text_dir, removed = one_ink, None
        weights = text_dir / float(text_dir @ text_dir)
    floor, gain = _tone_levels(ink @ weights, clear, floor_share, tiles)
    plain_levels = (_tone_levels(ink @ (text_dir / float(text_dir @ text_dir)), clear, floor_share, tiles)
                    if removed is not None else None)
    return InkModel(weights=(float(weights[0]), float(weights[1]), float(weights[2])), floor=floor, gain=gain,
                    plain_levels=plain_levels,
                    paper=paper,
                    text_colour=(float(text_dir[0]), float(text_dir[1]), float(text_dir[2])),
                    removed_colour=None if removed is None else (float(removed[0]), float(removed[1]),
                                                                 float(removed[2])),
                    removed_share=float(share) if removed is not None else 0.0,
                    removed_angle=float(angle) if removed is not None else 0.0,
                    everywhere=everywhere and removed is not None)


@dataclass(slots=True)
class InkRegion:
    """Where on the page a second ink lies, as ``removal_region`` finds it.

    ``where``: ``"region"`` (``mask``, 0/255 at the sample's size, is where to remove it), ``"all over"`` (it
    would cover more than ``MAX_REGION_SHARE`` of the page: ruling, ticks, notes everywhere), ``"on the
    text"`` (a far colour over more than ``MAX_REGION_TO_TEXT`` of the text's own region: the text's colour
    split in two; or a near colour most of the ink over more than ``MAX_NEAR_REGION_TO_TEXT`` of it and
    ``MAX_STAMP_SHARE`` of the page: the text's own colour in one part of the page), ``"fringe"`` (along the
    letters' edges: their own colour fringe), ``"scattered"`` (a colour near the text's strewn over the page in
    many places, not gathered in one as a stamp is) or ``"nowhere"`` (nowhere on the page is it most of the
    ink: none at all, or pixels of its colour among the letters).
    """

    where: Literal["region", "all over", "on the text", "fringe", "scattered", "nowhere"]
    mask: np.ndarray | None = None


def removal_region(flat: np.ndarray, model: InkModel) -> InkRegion:
    """Where on a small flattened colour page the model's second ink is to be removed: about the places
    where it is most of the ink (``MIN_LOCAL_SHARE``), grown by ``REGION_REACH``, after the checks that it is
    no colour fringe, lies neither all over the page nor over the text, and, if near the text's colour, is
    gathered in one place of a stamp's size (see ``InkRegion``)."""
    if model.removed_colour is None or flat.ndim != 3:
        return InkRegion("nowhere")
    absorb, strength = _absorbance(flat)
    is_ink = strength > max(MIN_STRENGTH, float(np.median(strength)) + 20.0)
    dirs = _directions(absorb)
    second = is_ink & (dirs @ np.array(model.removed_colour) > dirs @ np.array(model.text_colour))
    text = (is_ink & ~second).reshape(flat.shape[:2]).astype(np.uint8)
    beside_text = cv2.dilate(text, np.ones((3, 3), np.uint8)).ravel() > 0
    if np.count_nonzero(second & beside_text) > MAX_FRINGE * np.count_nonzero(second):
        return InkRegion("fringe")  # the letters' own colour fringes, not a stamp's strokes
    reach = max(3, int(REGION_REACH * max(flat.shape[:2])) | 1)
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach))
    mask = cv2.dilate(second.reshape(flat.shape[:2]).astype(np.uint8) * 255, disc)
    share = cv2.countNonZero(mask) / mask.size
    if share == 0:
        return InkRegion("nowhere")
    if share > MAX_REGION_SHARE:
        return InkRegion("all over")
    text_share = cv2.countNonZero(cv2.dilate(text * 255, disc)) / mask.size
    near = _angle_between(model) < NEAR_ANGLE
    if not near and share > MAX_REGION_TO_TEXT * text_share:
        return InkRegion("on the text")
    second_map = second.reshape(flat.shape[:2]).astype(np.float32)
    near_second = cv2.blur(second_map, (reach, reach))
    near_ink = cv2.blur(is_ink.reshape(flat.shape[:2]).astype(np.float32), (reach, reach))
    most = ((second_map > 0) & (near_second >= MIN_LOCAL_SHARE * near_ink)).astype(np.uint8) * 255
    if not most.any():
        return InkRegion("nowhere")
    mask = cv2.dilate(most, disc)
    if near:
        mask, held = _gathering_place(mask, most)
        if held < MIN_GATHERED:
            return InkRegion("scattered")
        region_share = cv2.countNonZero(mask) / mask.size
        if region_share > MAX_NEAR_REGION_TO_TEXT * text_share and region_share > MAX_STAMP_SHARE:
            return InkRegion("on the text")
    return InkRegion("region", mask)


def _angle_between(model: InkModel) -> float:
    """Degrees between the model's two inks: as ``fit_ink`` measured them, or from their colours."""
    if model.removed_angle or model.removed_colour is None:
        return model.removed_angle
    cosine = float(np.clip(np.array(model.text_colour) @ np.array(model.removed_colour), -1, 1))
    return math.degrees(math.acos(cosine))


def _gathering_place(mask: np.ndarray, pixels: np.ndarray) -> tuple[np.ndarray, float]:
    """The connected part of ``mask`` that holds most of ``pixels`` (non-zero), as a mask, and its share of them.

    Counted in the pixels, not in the mask's area: each of a colour noise's specks among the letters grows to a
    whole disc of the reach, and twenty of them outweighed a stamp's ring (95000/stamp-029: 0.48 of the area,
    0.73 of the pixels; removed there, 7.2% -> 2.1% CER).
    """
    count, labels, _, _ = components(mask)
    if count <= 1:
        return mask, 0.0
    held = np.bincount(labels[pixels > 0], minlength=count)[1:]
    place = 1 + int(np.argmax(held))
    return (labels == place).astype(np.uint8) * 255, float(held.max() / max(1, held.sum()))


# Glare: a lamp reflected by the paper's sheen or a plastic sleeve adds light to paper and ink alike. Dividing by
# the paper's brightness then leaves the letters under it pale: their depth below the paper is the fraction
# of the light the paper reflects, and the added light is no reflection. The depth of the ink is measured
# about each part of the page, on a copy a quarter its size (the letters, which the scale step made about
# 26 px tall, 6 or 7 px there), as the deepest ink in a window GLARE_REACH of the long side wide (a line or two
# of text), against the page's usual depth (GLARE_USUAL percentile of the text's), and the ink deepened by the
# shortfall, up to MAX_GLARE_GAIN (paler is burnt out or no text).
# Faded typing, pencil and a dark photo's grain are pale too; deepened, their paper's grain grows with them
# (on 342 photos of six plans that cost as much as the glare photos gained). Glare's added light carries no
# texture of the paper: flattened, the paper's grain under it is thinned by the same factor as the ink's
# depth (where the paper burns out, see BURNT). So the ink is deepened only as far as the paper's
# grain there stays as fine as the page's usual (under ink of usual depth). Blank paper takes the gain of
# the text about it, smoothed over GLARE_SMOOTH of the long side (a lamp's reflection is broad), and only a
# clear shortfall (MIN_GLARE_GAIN, somewhere) is lifted at all.
GLARE_REACH = 1 / 25
GLARE_USUAL = 90
MIN_GLARE_DEPTH = 12  # grey levels below the paper on the small copy: shallower is the paper's grain
MAX_GLARE_GAIN = 4.0
MIN_GLARE_GAIN = 1.6
GLARE_SMOOTH = 1 / 30
MIN_PAPER_PIXELS = 10  # of the small copy within a reach: fewer tell nothing of the paper's grain
MIN_GRAIN = 0.05  # grey levels: paper this smooth under ink of usual depth is a scan's, with no grain to compare


@dataclass(slots=True)
class Glare:
    """The ink's depth about each part of a flattened page, against the page's usual depth."""

    gain: np.ndarray | None  # float32 at a small copy's size; None when no part of the page falls clearly short
    usual: float  # the usual depth of the text's ink on the small copy, grey levels
    peak: float  # the gain over the text that only 1% of it exceeds, before smoothing
    share: float  # of the page, deepened by more than MIN_GLARE_GAIN

    @property
    def found(self) -> bool:
        return self.gain is not None

    def params(self) -> dict[str, float | bool]:
        return {"found": self.found, "usual_depth": round(self.usual, 1), "peak_gain": round(self.peak, 2),
                "share": round(self.share, 3)}


def _paper_grain(small: np.ndarray, reach: int) -> tuple[np.ndarray, np.ndarray]:
    """About each pixel of a small flattened page, the mean grain of its paper (``|pixel - 3 x 3 median|`` on
    paper two pixels clear of ink) within ``reach``, and how many pixels of paper that was measured on."""
    paper = cv2.erode((small >= 255 - MIN_GLARE_DEPTH).astype(np.uint8), np.ones((5, 5), np.uint8))
    grain = cv2.absdiff(small, cv2.medianBlur(small, 3)).astype(np.float32) * paper
    total = cv2.boxFilter(grain, -1, (reach, reach), normalize=False)
    count = cv2.boxFilter(paper.astype(np.float32), -1, (reach, reach), normalize=False)
    return total / np.maximum(count, 1.0), count


# Where the lamp burns the photo out, its light is the photo's white and the letters under it lose most of their
# depth, but not their paper's grain, which the sensor's noise (brightest where the light is) keeps: there the
# grain says nothing, and the ink is deepened as far as the shortfall asks. The light is taken as burnt out
# within BURNT of the white that the page's ink projection gives the photo's (255, 255, 255), on a page whose
# paper is at most PAPER_UNDER_WHITE of it (its PAPER_PERCENTILE percentile: a lamp's reflection may light half
# the page; a page photographed as bright as white all over has no glare to tell apart). 73000/glare-061: its
# core's grain 0.5 to 0.74 against 0.36 usual, not deepened there, 11.3% CER; its white 229, a seventh of the
# page burnt out and deepened: 5.7%. On the 45 glare photos of fifteen other plans (57000-71000) 4.08% ->
# 2.68% (67000/glare-062 37.3% -> 13.6%, 69000/glare-061 27.7% -> 12.6%, 64000/glare-060 27.0% -> 18.3%; one
# worse, 65000/glare-061 5.5% -> 5.7%); at the median instead of the 20th percentile, those three, lit near
# white over half the page, were left (4.01%); the white taken unclipped (InkModel.white), 2.56% (64000/glare-060
# 15.6%, 66000/glare-061 3.7% -> 1.9%, 64000/glare-062 3.8% -> 2.9%, where the projection clipped the white to
# 255; 73000/glare-061 5.7% -> 5.9%). Of 342 photos of six plans (1923-2000, 72000-74000), by 0.2 points or more
# only glare photos moved (72000/glare-061 6.4% -> 4.9%, 2000/glare-061 1.9% -> 1.2%, 2000/glare-060 1.0% -> 0.6%,
# 74000/glare-062 1.7% -> 2.1%) and 74000/mixed-049, a faded page at 0.91 of its white, 17.3% -> 17.8%; less,
# five other glare photos and two curls (1000/curl-036, 72000/curl-037, +0.1); of 90 faded, pencilled,
# shadowed, dark and mixed photos of 57000-61000 one, 59000/pencil-032, 0.39% -> 0.52%. The 93000 round took the
# 5th percentile: a lamp that burns out most of a warm page leaves only a strip or a corner darker, and the
# letters under it were left pale. 93000/glare-061, its paper at 0.92 of the white at the 20th percentile and
# 0.86 at the 10th: 23.2% -> 15.4% (the rest of its centre's letters are gone in the photo itself);
# 92000/glare-060, lit near white but for its top and a corner: 14.9% -> 7.3%; 92000/glare-061 9.1% -> 5.1%;
# 87000/glare-060 3.9% -> 3.4%; no other photo of twelve plans (1923-2000, 87000-95000) moved, and at the 1st
# percentile only 2000/far-019 (0.1% -> 0.4%).
BURNT = 0.97
PAPER_UNDER_WHITE = 0.9
PAPER_PERCENTILE = 5


def _burnt_out(light: np.ndarray, size: tuple[int, int], white: float, paper: np.ndarray) -> np.ndarray | None:
    """Where the page's light (unflattened, at ``size``) is the photo's white; None on a page whose paper
    (``paper``: where it was measured) is nearly as bright as that nearly all over."""
    bright = cv2.resize(light, size, interpolation=cv2.INTER_NEAREST)  # smooth already: sampled, not averaged
    level = float(np.percentile(bright[paper], PAPER_PERCENTILE))  # measure_glare asks only with paper measured
    if level > PAPER_UNDER_WHITE * white:
        return None
    return bright >= BURNT * white


def measure_glare(flat: np.ndarray, light: np.ndarray | None = None, white: float = 255.0) -> Glare:
    """Where the ink of a flattened grey page (paper 255) is paler than the page's usual on paper no grainier
    than its usual or burnt out, and by how much. ``light``: the page's light before flattening (its
    ``estimate_background``), ``white``: the photo's white in it."""
    small = halve(halve(flat))  # block averages: several times faster than any other shrinking
    reach = max(3, int(round(max(small.shape) * GLARE_REACH)) | 1)
    depth = cv2.dilate(255 - small, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    grain, paper = _paper_grain(small, reach)
    # the rest on a quarter of the copy: every measure is already one over a reach, and the gain is as broad as
    # the glare; blurs this wide and the arithmetic cost 16 times less there
    depth = halve(halve(depth)).astype(np.float32)
    grain = halve(halve(grain))
    told = halve(halve(paper)) >= MIN_PAPER_PIXELS
    coarse = (depth.shape[1], depth.shape[0])
    text = depth >= MIN_GLARE_DEPTH
    if int(text.sum()) * 16 < reach * reach:  # hardly any ink: nothing to compare
        return Glare(None, 0.0, 1.0, 0.0)
    usual = float(np.percentile(depth[text], GLARE_USUAL))
    typical = told & (depth >= 0.7 * usual)
    if not typical.any():
        return Glare(None, usual, 1.0, 0.0)
    usual_grain = float(np.median(grain[typical]))
    if usual_grain < MIN_GRAIN:  # a clean scan: no grain to tell glare from pale ink by
        return Glare(None, usual, 1.0, 0.0)
    allowed = np.where(told, usual_grain / np.maximum(grain, usual_grain / MAX_GLARE_GAIN), 1.0)
    if light is not None and (burnt := _burnt_out(light, coarse, white, told)) is not None:
        allowed[burnt] = MAX_GLARE_GAIN  # measured paper or not: the grain says nothing there
    known = depth >= max(MIN_GLARE_DEPTH, usual / MAX_GLARE_GAIN)
    shortfall = np.minimum(np.clip(usual / np.maximum(depth, 1.0), 1.0, MAX_GLARE_GAIN), np.maximum(allowed, 1.0))
    raw = np.where(known, shortfall, 0).astype(np.float32)
    peak = float(np.percentile(raw[known], 99)) if known.any() else 1.0
    if peak < MIN_GLARE_GAIN:
        return Glare(None, usual, peak, 0.0)
    sigma = max(coarse) * GLARE_SMOOTH
    weight = cv2.GaussianBlur(known.astype(np.float32), (0, 0), sigma)
    spread = cv2.GaussianBlur(raw, (0, 0), sigma)
    gain = np.where(weight > 0.05, spread / np.maximum(weight, 1e-6), 1.0).astype(np.float32)
    gain = np.clip(gain, 1.0, MAX_GLARE_GAIN)
    return Glare(gain, usual, peak, float((gain > MIN_GLARE_GAIN).mean()))


GAIN_STEPS = 32  # the gain is applied in 8-bit fixed point, in steps of 1/32


def lift_glare(flat: np.ndarray, glare: Glare) -> np.ndarray:
    """The flattened grey page (one channel) with its ink deepened where glare paled it; the page itself where
    none did."""
    if glare.gain is None:
        return flat
    steps = np.clip(np.round(glare.gain * GAIN_STEPS), GAIN_STEPS, 255).astype(np.uint8)  # a gain of 1 to 8
    gain = cv2.resize(steps, (flat.shape[1], flat.shape[0]), interpolation=cv2.INTER_LINEAR)
    ink = cv2.multiply(cv2.bitwise_not(flat), gain, scale=1 / GAIN_STEPS)  # 255 - flat; saturates at 255: black
    return cv2.bitwise_not(ink)


def normalize_contrast(grey: np.ndarray, *, target: float = 90.0) -> np.ndarray:
    """Deepen faint ink on a flattened page so its darkest strokes reach ``target``."""
    darkest = float(np.percentile(grey[::2, ::2], 0.5))
    if darkest <= target or darkest >= 250:
        return grey
    gain = (255.0 - target) / (255.0 - darkest)
    table = np.clip(255.0 - (255.0 - np.arange(256)) * gain, 0, 255).astype(np.uint8)
    return cv2.LUT(grey, table)


# Uneven fading: a typewriter ribbon running dry, or a carbon copy struck unevenly, leaves whole words far paler
# than the rest, and the page's one tone curve stretches the usual ink to black and leaves them mid-grey, which
# Tesseract's thresholding (Sauvola's, about 0.66 of the local mean at its default) drops with the paper. On a
# toned page a letter is a letter-sized component darker than PALE_LOW, at half size; it is pale when none of
# its pixels there (2 x 2 averages) is darker than PALE_DARK. A black stroke a pixel wide averages about 140
# there and counts as pale too: looked for at full size, dark pixels left 12 of the pages darkened below
# undarkened, 9 of them reading worse so (2000/faded-021 0.47% -> 2.35%, 78000/faded-022 0.0% -> 1.8%), 2
# better; the 90 clean scans of fifteen plans measured at most 0.04 either way.
# Where MIN_PALE_SHARE of the letters are pale, the text's greys are darkened by a gamma of
# PALE_GAMMA (185 -> 157, 200 -> 177, 230 -> 218; black and white stay). Only on a sharp page: on a soft one (a
# smear or defocus undone, grain smoothed; with deblurring off, softness is not measured and nothing is
# darkened) the pale letters are the blur's outskirts, and darkened they thicken and run together
# (83000/blur-044 4.3% -> 11.7%, 78000/mixed-051 9.8% -> 34.8%). On the sharp pages of plans 1923-2000 and
# 72000-83000 with such a share: 83000/mixed-048 9.6% -> 2.2%, 75000/faded-022 6.5% -> 1.7%, 83000/faded-022
# 4.5% -> 0.5%, 77000/mixed-048 8.3% -> 4.4%, 76000/faded-021 3.4% -> 0.8%, 16 more better; worse
# 73000/mixed-049 18.9% -> 22.0% (faded carbon under a stamp) and five by 0.1 to 0.6 points (benchmarks/README.md).
# Only the text is darkened: letter-tall components darker than DEEPEN_LOW (the palest words are lighter than
# PALE_LOW), and PALE_REACH pixels about them. The whole page's mid-greys, darkened alike, took in the grain of
# a noisy page and the show-through about its lines, which Tesseract then read as signs and words
# (89000/mixed-049, faded in a shadow: 7.2% left as it was, 15.6% darkened whole, 5.3% its text only;
# 87000/mixed-049, faded with show-through: 5.2%, 17.5%, 10.0%). Of the 13 pages of plans 1923-2000 and
# 87000-89000 with such a share, 5 read better so than darkened whole, 6 the same (within 0.1 points), 2
# worse by 0.2 (2000/faded-021 0.5% -> 0.7%, 89000/faded-023 0.5% -> 0.7%); 83000/mixed-048 2.2% -> 3.2%.
PALE_LOW = 200
PALE_DARK = 100
MIN_PALE_SHARE = 0.15
PALE_GAMMA = 1.5
DEEPEN_LOW = 225
# Nor are letters seen through the paper from the back: the paper spreads them, and on a faded page they are as
# dark and as tall as its pale words (101000/mixed-053: darkened with them, Tesseract read them as lines of
# their own, 34.3% CER; 20.0% left as they were; 15.9% with nothing darkened). A letter of the page's own
# (a sharp page's, as darkening needs) has edges as steep as its depth allows: the steepest gradient (Sobel's,
# at half size) within two pixels of each of its pixels, averaged over the letter, measured 3.2 to 3.8 times
# its depth (medians of five pages; a faded page's palest letters down to 2.3), show-through 2.2 to 2.7
# (101000/mixed-053). A component under SOFT_EDGE is left as it was; one where the two run together is soft
# or sharp as the larger part of it is.
SOFT_EDGE = 2.8
PALE_REACH = 2  # page pixels about the text darkened with it: its softer edge
_PALE_TABLE = np.clip(255.0 * (np.arange(256) / 255.0) ** PALE_GAMMA, 0, 255).astype(np.uint8)


def _letter_tall(half: np.ndarray, level: int, size: float) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """The components of a half-size toned page darker than ``level`` (count, labels, stats) and which of them
    are as tall as its letters (``size``, at half size), the background never."""
    _, mask = cv2.threshold(half, level - 1, 255, cv2.THRESH_BINARY_INV)
    count, labels, stats, _ = components(mask)
    height = stats[:, cv2.CC_STAT_HEIGHT]
    tall = (height >= 0.35 * size) & (height <= 1.6 * size)
    tall[0] = False
    return count, labels, stats, tall


def _soft(half: np.ndarray, labels: np.ndarray, count: int) -> np.ndarray:
    """Which components of a half-size toned page (``labels``, ``count`` with the background) have soft edges:
    the steepest gradient (Sobel's) about each of their pixels, averaged, under SOFT_EDGE times their depth."""
    gradient = cv2.magnitude(cv2.Sobel(half, cv2.CV_32F, 1, 0), cv2.Sobel(half, cv2.CV_32F, 0, 1))
    gradient = cv2.dilate(gradient, np.ones((5, 5), np.uint8))  # a pale letter's edge lies outside its core
    inside = labels > 0
    owner = labels[inside]
    area = np.bincount(owner, minlength=count)
    total = np.bincount(owner, gradient[inside], minlength=count)
    depth = np.zeros(count, np.uint8)
    np.maximum.at(depth, owner, 255 - half[inside])
    return total < SOFT_EDGE * np.maximum(depth, 1).astype(np.float64) * area


def pale_share(grey: np.ndarray, letter: float) -> float:
    """Of the letter-sized components of a toned page (``letter``: its letters' height), the share with no
    pixel darker than ``PALE_DARK``, all measured at half size."""
    half, size = halve(grey), letter / 2
    count, labels, stats, tall = _letter_tall(half, PALE_LOW, size)
    if count <= 1:
        return 0.0
    width = stats[:, cv2.CC_STAT_WIDTH]
    letters = tall & (width >= 2) & (width <= 2.5 * size)
    dark = np.bincount(labels[half < PALE_DARK], minlength=count) > 0
    found = int(np.count_nonzero(letters))
    return int(np.count_nonzero(letters & ~dark)) / found if found else 0.0


def deepen_pale(grey: np.ndarray, letter: float) -> np.ndarray:
    """A toned page's letters and words darkened (``PALE_GAMMA``) toward the usual ink, the pale ones with them;
    the grain and show-through between them as they were. ``letter``: the letters' height."""
    half = halve(grey)
    count, labels, _, text = _letter_tall(half, DEEPEN_LOW, letter / 2)  # letters and words, as wide as they run
    text &= ~_soft(half, labels, count)
    where = cv2.resize(np.take(np.where(text, 255, 0).astype(np.uint8), labels), (grey.shape[1], grey.shape[0]),
                       interpolation=cv2.INTER_NEAREST)
    where = cv2.dilate(where, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * PALE_REACH + 1, 2 * PALE_REACH + 1)))
    darker = grey.copy()
    cv2.copyTo(cv2.LUT(grey, _PALE_TABLE), where, darker)  # a masked copy: several times faster than np.where
    return darker


def paper_colour(bgr: np.ndarray) -> tuple[float, float, float]:
    """Median colour of the brighter half of a page: the paper, whatever the light."""
    if bgr.ndim == 2:
        return (255.0, 255.0, 255.0)
    pixels = bgr[::3, ::3].reshape(-1, 3)
    brightness = pixels.sum(axis=1)
    bright = pixels[brightness >= np.median(brightness)]
    b, g, r = (max(8.0, float(v)) for v in np.median(bright, axis=0))
    return (b, g, r)


# Share of Otsu's dark class in components that are no letters (too big, too thin, hollow, or specks) beyond
# which the threshold was set by them and not by the text.
OTHER_DARK = 0.5


def ink_mask(grey: np.ndarray, level: float | None = None) -> np.ndarray:
    """Binary text mask (255 = ink) of a flattened grey page: Otsu (or ``level``), never above 225, letter-sized
    blobs.

    Page edges, the table and sensor noise are not letters: long, tall or tiny components go.
    """
    if level is None:
        otsu, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
        if otsu <= 225:
            return _letter_blobs(mask)
        level = otsu
    _, mask = cv2.threshold(grey, min(level, 225), 255, cv2.THRESH_BINARY_INV)
    return _letter_blobs(mask)


def ink_level_beside_dark(grey: np.ndarray) -> float | None:
    """Otsu's threshold among the page less its dark parts that are no letters, when those took most of Otsu's
    dark class: a black band of table or shadow along a dark photo's edge, against which the faint text is
    paper. None when the first threshold stands.
    """
    level, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    dropped = cv2.subtract(mask, _letter_blobs(mask))
    if np.count_nonzero(dropped) <= OTHER_DARK * np.count_nonzero(mask):
        return None
    again, _ = cv2.threshold(grey[dropped == 0].reshape(1, -1), 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    again = min(float(again), 225.0)  # as ink_mask caps it
    return again if again > min(level, 225.0) else None


def _letter_blobs(mask: np.ndarray) -> np.ndarray:
    """The letter-sized components of a mask."""
    count, labels, stats, _ = components(mask)
    if count <= 1:
        return mask
    height, width = mask.shape
    w, h, area = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    keep = (h <= max(6, height * 0.06)) & (w <= max(6, width * 0.25)) & (area >= 4) & (h >= 2)
    keep &= area >= 0.12 * w * h  # not the outline of a frame or a long thin edge
    keep[0] = False
    return np.take(np.where(keep, 255, 0).astype(np.uint8), labels)  # take: twice as fast as indexing


def binarize(grey: np.ndarray) -> np.ndarray:
    """Black text on white by Otsu: the page is already flat, so one threshold fits all of it."""
    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return binary
