"""Motion blur: a shaking hand smears every stroke along one direction; measure the smear and undo it.

A sharp page has edges about equally sharp at every orientation. Motion blur of length L along a
direction widens the edges that cross it and leaves those along it sharp, so the steepest edges at each
orientation dip where the edge normals point along the smear. Along that direction, the derivative of a
box-smeared page is the page minus itself shifted by L, so the derivative's autocorrelation has a
trough at the lag L along it: one point of the 2-D lag map, where the text's own rhythm gives bands.
With direction and length known, a Wiener filter undoes the smear. A smear without that trough (a
slower shake, a carbon copy's spread ink foreshortened by a slanted view) is taken for a Gaussian along
the soft direction, as wide as the edges along it are softer than across.

The page is measured and restored once flattened and before its tone is stretched (clipping would bend
the arithmetic), at the letter height Tesseract reads, so L is in page pixels.

Defocus, and the spread ink of a carbon copy, soften every orientation alike. Their width is read off
the same tiles: a step edge blurred by a Gaussian of width sigma rises at most by contrast / (sigma *
sqrt(2 pi)) per pixel. A page whose edges are clearly softer than a sharp page's is restored with a
Gaussian Wiener filter of the width measured.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

log = logging.getLogger(__name__)

SMEAR_RANGE = 2.0  # a smear seen about another part of the page is at most this many times longer or shorter
TILE = 256  # side of the tiles the blur is measured on
TILES = 16  # the tiles with most ink
ORIENTATIONS = 24  # bins of edge orientation over 180 degrees
EDGE_FLOOR = 0.1  # of the steepest gradients (99.5th percentile): weaker ones are no edge
# Steepest edges across the smear over along it. Smears of 9 to 16 px measured 0.25 to 0.31 on clean
# renderings and 0.37 to 0.48 on noisy photos, sharp pages 0.56 and up: the bound lies between the two,
# not on the last smear measured (a page at 0.480 went unrestored when its corners moved by a pixel).
# Blurred pages let through at 0.68 to 0.74 showed troughs at 22 to 24 px (the text's own rhythm, not
# their smear) that passed the after-check, and "restoring" them destroyed them. Well below 0.2 one
# orientation dominates for another reason (a ruled line, the page's own edge).
ANISOTROPY = (0.2, 0.52)
MIN_LENGTH = 6  # a shorter smear is within what Tesseract reads through
MAX_LENGTH = 30  # a longer smear leaves nothing to read; a trough there is the text's own rhythm
MIN_TROUGH = -0.15  # the autocorrelation at the smear's length, of 1 at lag 0
# Along a near-vertical direction the text has troughs of its own, at its letters' x-height and beyond (tops
# and bottoms of letters are edges of opposite sign that far apart), sometimes deeper than the smear's: a
# 12 px smear at 81 degrees measured -0.28 at 12 px and -0.32 at 18 px (its x-height), and undoing 18 px
# left the page unreadable. That rhythm holds at every sideways offset, a band across the lag map; a smear's
# trough is one point of it (``_smear_lag``). The point is looked for this many degrees either side of the
# weakest edges' direction, which smeared upright strokes pull towards the vertical: on unseen
# 29000/mixed-051 (12 px at about 117 degrees on the page) the edges said 107, and undoing 15 px there
# left it unreadable (100% CER; the point's 117 degrees and 11 px read it at 4.4%).
SMEAR_SEARCH = 20.0
# A phone's camera sharpens what it saves, and sharpened grain fills a smear's trough with fine detail of its
# own: 102000/phone-063 (12 px at about 94 degrees, read as nothing) showed -0.10 there. Looked for again
# with what a Gaussian of this many pixels would leave of the spectrum, the trough showed at -0.29 and the
# page read at 6.7%. A wider Gaussian moves the trough longer: there it lay at 15.0 px with 1 px, 15.9 with
# 1.5 and 17.8 with 2 (the raw autocorrelation is flattest at 14-15 px; the generator smeared 12 photo pixels).
CALM_SIGMA = 1.0
SHORTER_SHARE = 0.75  # of the length: a trough left this far short of it is another smear, not this one's edge
RESIDUAL_TROUGH = -0.15  # what undoing a smear at its true length leaves at that length, at least
SHORTER_MARGIN = 0.05  # how much deeper a shorter trough must be than the length's to be another smear
# A smear leaves the strokes across it sharp: there the derivative's autocorrelation dips deep at a stroke's
# width (-0.32 to -0.55 on nine smeared photos of five benchmark plans, -0.22 to -0.44 on the tests' clean
# renderings). A faded carbon copy photographed at a slant, soft every way, dipped to -0.17 across, and its
# trough along (-0.17, at its letters' x-height: tops and bottoms of letters are edges of opposite sign that
# far apart) was as deep as a true smear's (-0.18 to -0.31): undoing that "smear" left the page unreadable.
MAX_ACROSS_TROUGH = -0.2
# A trough along this deep is a smear's whatever the strokes across show: a photo read at its own scale keeps
# its sensor noise, which fills the trough across (-0.18 on a spread of serif print smeared 10 px, whose
# trough along was -0.27 at 12 px; both its pages undone, it read at 12% CER instead of 100%). On the 33 of
# 41 motion-smeared benchmark photos (plans 1000-17000) whose smear was measured, its trough lay at -0.18 to
# -0.36; the carbon copy above had -0.17.
CLEAR_TROUGH = -0.25
ACROSS_LAGS = 10  # a stroke is narrower than this
# A smear leaves the edges across it as sharp as the photo's, and the page's steepest edges are those: their
# width (``edge_width``) measured 1.02 to 1.4 px on the smears of plans 1923-2000 and 54000-56000. A defocused
# page is soft every way; seen at a slant and curled, one way softer than the others, and along near-vertical
# its text's x-height gave a trough (55000/mixed-052: 19 px at 84 degrees, -0.17, edges 2.34 px wide):
# undoing that "smear" left it unreadable (100% CER).
MAX_SMEARED_EDGE = 1.8
# Undoing a box smear must even out the edges' sharpness by this much; a Gaussian one, regularised more,
# evens them out less (0.02 to 0.06 on renderings it brought closer to sharp) and must by SPREAD_GAIN.
MIN_GAIN = 0.08
SPREAD_GAIN = 0.02
# Wiener regularisation of a box smear: higher is safer, lower is sharper. 0.02 read the benchmark's five
# smeared photos (three plans) at 0.4 to 5.7% CER against 0.5 to 9.0% at 0.03 (one of them 2.1 -> 2.5%);
# 0.015 made the test suite's smeared photo worse.
NOISE_TO_SIGNAL = 0.02
# A smear without a box's trough is undone as a Gaussian along it, of this share of the measured spread
# (the measure reads the steepest edges, which noise steepens, and a wide kernel's ringing costs more
# than a little softness left), between these sigmas (page pixels), regularised as a defocus is.
SPREAD_WIDTH = 0.75
MIN_SPREAD = 1.0
MAX_SPREAD = 4.0
SPREAD_NOISE_TO_SIGNAL = 0.1


# Edge width (the sigma of a Gaussian edge, page pixels) as the measure reads it: flat scans at the
# letter height Tesseract reads measured 0.78 to 0.91, sharp photos up to 1.17; carbon copies and
# defocused or still-smeared pages 1.27 to 2.4.
SHARP_EDGE = 0.8  # what a sharp edge measures: the measure's own width, not blur
MIN_SOFT_EDGE = 1.25
MAX_SOFT_EDGE = 3.0  # wider is no text edge (a fold, a shadow on a blank page): nothing to restore
# The filter undoes a Gaussian somewhat wider than the width beyond a sharp edge's (the measure reads a
# blurred edge's steepest rise, which its noise steepens) and is regularised more than a smear's.
DEFOCUS_WIDTH = 1.3
DEFOCUS_NOISE_TO_SIGNAL = 0.1
# A heavy defocus needs the filter to dare more: at 0.1 it gives back at most 1.6 times what a frequency lost,
# and a page softened by a Gaussian of 3.3 px kept its letters' stems as grey smudges (88000/mixed-050 16.3%,
# 89000/blur-043 17.4% CER). The regularisation is lowered until the stems' frequency (a period of about half
# the x-height, STEM_PERIOD page pixels at the letter height the pipeline scales to) is restored to at least
# half its loss: the Wiener gain H / (H^2 + k) is half the inverse's where H^2 = k. Up to a sigma of 2.6 that
# asks no more than 0.1, so softer pages keep the tuned filter (carbon copies there, noisier, read worse with
# less regularisation: 88000/carbon-025 5.2% at 0.1, 8.2% at 0.03).
STEM_PERIOD = 10.8
MIN_DEFOCUS_NOISE_TO_SIGNAL = 0.01


@dataclass(slots=True)
class Blur:
    anisotropy: float  # weakest over strongest edge orientation: 1 = evenly sharp
    angle: float  # degrees, y down: the direction of the smear
    length: float  # pixels; 0 when no smear was measured
    after: float | None = None  # the anisotropy once the smear is undone, on the measured tiles
    spread: float = 0.0  # sigma of a Gaussian smear along ``angle`` (no box smear's trough), pixels
    at: tuple[float, float] | None = None  # page point (x, y) the smear was measured about: its tiles' centre

    @property
    def found(self) -> bool:
        return self.length >= MIN_LENGTH or self.spread > 0

    def kernel(self) -> np.ndarray:
        return motion_kernel(self.length, self.angle) if self.length else line_gaussian(self.spread, self.angle)

    @property
    def noise_to_signal(self) -> float:
        return NOISE_TO_SIGNAL if self.length else SPREAD_NOISE_TO_SIGNAL

    def params(self) -> dict[str, float | list[int] | None]:
        return {"anisotropy": round(self.anisotropy, 3), "angle": round(self.angle, 1), "length": self.length,
                "spread": round(self.spread, 2), "after": None if self.after is None else round(self.after, 3),
                "at": None if self.at is None else [round(v) for v in self.at]}

    def scaled(self, factor: float) -> Blur:
        """The same smear on a page resampled by ``factor``."""
        return Blur(self.anisotropy, self.angle, round(self.length * factor), spread=self.spread * factor)

    def seen_at(self, point: tuple[float, float], to_photo: Callable[[np.ndarray], np.ndarray]) -> Blur:
        """The smear about another ``point`` of a page rectified from a photo (``to_photo`` maps page points
        to photo points).

        A shaking hand smears the photo evenly; rectifying a page seen at a slant stretches its far end more
        than its near end, so the page's smear grows and turns from one end to the other. The smear measured
        about ``at`` is carried into the photo by the map's local derivative there, and back at ``point``.
        """
        if self.at is None:
            return self
        base = self.length or self.spread
        photo = _derivative(to_photo, self.at) @ _vector(self.angle, base)
        here = _derivative(to_photo, point)
        if abs(float(np.linalg.det(here))) < 1e-6:  # a degenerate map: nothing to carry the smear by
            return self
        local = np.linalg.solve(here, photo)
        # a page seen so steeply that its scale changes more than twice over is beyond this model (or the map
        # is extrapolated past the page): the smear is kept within half and twice the one measured
        size = min(max(float(np.hypot(*local)), base / SMEAR_RANGE), base * SMEAR_RANGE)
        angle = math.degrees(math.atan2(local[1], local[0])) % 180
        if self.length:
            return Blur(self.anisotropy, angle, size, after=self.after, at=point)
        return Blur(self.anisotropy, angle, 0, after=self.after, spread=size, at=point)


def _vector(angle: float, size: float) -> np.ndarray:
    return size * np.array([math.cos(math.radians(angle)), math.sin(math.radians(angle))])


def _derivative(to_photo: Callable[[np.ndarray], np.ndarray], point: tuple[float, float]) -> np.ndarray:
    """The 2 x 2 derivative of a page-to-photo map at a page point, by central differences of 8 pixels."""
    x, y = point
    d = 8.0
    ends = to_photo(np.array([[x + d, y], [x - d, y], [x, y + d], [x, y - d]], dtype=np.float64))
    return np.column_stack([(ends[0] - ends[1]) / (2 * d), (ends[2] - ends[3]) / (2 * d)])


@dataclass(slots=True)
class InkTiles:
    """A page's ``TILES`` tiles with the most contrast, stacked, and their gradients: measured once for both
    the smear (``measure_blur``) and the softness (``measure_defocus``) of a page that neither changed."""

    origins: list[tuple[int, int]]
    stack: np.ndarray
    gx: np.ndarray  # Sobel of the stack, every other pixel, float32
    gy: np.ndarray

    @property
    def tiles(self) -> list[np.ndarray]:
        return np.vsplit(self.stack, len(self.origins))


def ink_tiles(grey: np.ndarray) -> InkTiles | None:
    """The page's ink tiles and their gradients; None on a page smaller than a tile."""
    if grey.ndim == 3:
        grey = cv2.cvtColor(grey, cv2.COLOR_BGR2GRAY)
    origins = _ink_tile_origins(grey)
    if not origins:
        return None
    stack = np.vstack(_tiles_at(grey, origins))
    return InkTiles(origins, stack, *_gradients(stack))


def _gradients(stack: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sobel's x and y gradients on every other pixel (neighbours say the same): of 8-bit grey a whole number
    within 16 bits, computed so faster."""
    gx = cv2.Sobel(stack, cv2.CV_16S, 1, 0, ksize=3)[::2, ::2].astype(np.float32)
    gy = cv2.Sobel(stack, cv2.CV_16S, 0, 1, ksize=3)[::2, ::2].astype(np.float32)
    return gx, gy


def _tiles_at(grey: np.ndarray, origins: list[tuple[int, int]]) -> list[np.ndarray]:
    return [grey[top:top + TILE, left:left + TILE] for top, left in origins]


def _ink_tile_origins(grey: np.ndarray) -> list[tuple[int, int]]:
    """The top left corners of the ``TILES`` tiles with the most contrast, none touching the page's border
    when enough lie clear of it: a band of table left along a curled edge has more contrast than any text, and
    its straight edge was measured instead of the letters (90000/mixed-052, smeared 11 px: its smear unseen,
    100% CER; measured on the text, 1.4%). Of 567 photos of nine plans, 7 read better by more than 0.1 points
    (91000/mixed-052 100% -> 6.0%, 88000/mixed-048 16.3% -> 15.3%, 2000/carbon-025 3.8% -> 3.2%) and 8 worse,
    2000/mixed-048 1.2% -> 2.6% (its text's edges measure 1.22, just short of soft, where the band's said 1.48),
    the others by 0.1 to 0.3 points."""
    height, width = grey.shape
    if height < TILE or width < TILE:
        return []
    half = TILE // 2
    rows, cols = height // half, width // half
    coarse = grey[: rows * half: 8, : cols * half: 8].astype(np.float32)  # every 8th pixel is enough to rank
    cells = coarse.reshape(rows, half // 8, cols, half // 8)
    mean = cells.mean(axis=(1, 3))
    square = (cells * cells).mean(axis=(1, 3))
    variance = square - mean * mean
    spread = variance[:-1, :-1] + variance[1:, :-1] + variance[:-1, 1:] + variance[1:, 1:]  # 2 x 2 cells a tile
    if max(0, spread.shape[0] - 2) * max(0, spread.shape[1] - 2) >= TILES:  # enough tiles clear of the border
        spread[[0, -1], :] = -1.0
        spread[:, [0, -1]] = -1.0
    order = np.argsort(spread.ravel())[::-1][:TILES]
    top, left = np.unravel_index(order, spread.shape)
    return [(int(r) * half, int(c) * half) for r, c in zip(top, left, strict=True)]


def _edge_profile(tiles: list[np.ndarray]) -> np.ndarray:
    """The 90th percentile of the gradient per edge-normal orientation, over pixels on an edge at all.

    An orientation with (almost) no edge pixels is a smeared one: it gets the edge floor itself.
    """
    return _gradient_profile(*_gradients(np.vstack(tiles)))


def _gradient_profile(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """``_edge_profile`` of tiles with these gradients."""
    mag, ang = cv2.cartToPolar(gx, gy, angleInDegrees=True)
    mag, ang = mag.ravel(), ang.ravel()
    sample = mag[::3].copy()
    floor = EDGE_FLOOR * _kth_smallest(sample, int(len(sample) * 0.995))
    if floor <= 0:  # a blank page: no edges at all, so none weaker than another
        return np.ones(ORIENTATIONS)
    edge = mag > floor
    bins = (ang[edge] * (ORIENTATIONS / 180.0)).astype(np.int64) % ORIENTATIONS
    # the percentile per orientation from a histogram of 256 gradient levels: one pass, no sorting
    top = 2.0 * floor / EDGE_FLOOR
    levels = np.minimum((mag[edge] * (255.0 / top)).astype(np.int64), 255)
    histogram = np.bincount(bins * 256 + levels, minlength=ORIENTATIONS * 256).reshape(ORIENTATIONS, 256)
    cumulative = np.cumsum(histogram, axis=1)
    counts = cumulative[:, -1]
    p90 = (np.argmax(cumulative >= 0.9 * counts[:, None], axis=1) + 0.5) * (top / 255.0)
    return np.where(counts >= 30, p90, floor)


def _smear_direction(profile: np.ndarray) -> float:
    """Degrees of the orientation whose edges are weakest, by the doubled-angle mean of the deficits."""
    centres = (np.arange(ORIENTATIONS) + 0.5) * 180.0 / ORIENTATIONS
    deficit = profile.max() - profile
    doubled = np.deg2rad(2 * centres)
    return float(np.rad2deg(math.atan2((deficit * np.sin(doubled)).sum(), (deficit * np.cos(doubled)).sum())) / 2) % 180


def _power(tiles: list[np.ndarray]) -> np.ndarray:
    """The tiles' summed power spectrum, each windowed and centred."""
    window = np.outer(np.hanning(TILE), np.hanning(TILE)).astype(np.float32)
    power = np.zeros((TILE, TILE), np.float64)
    for tile in tiles:
        centred = tile.astype(np.float32) - float(tile.mean())
        power += np.abs(np.fft.fft2(centred * window)) ** 2
    return power


def _derivative_autocorrelation_map(power: np.ndarray, angle: float) -> np.ndarray:
    """Autocorrelation of the derivative along ``angle`` at every 2-D lag (lag 0 at the centre, of 1 there)."""
    theta = math.radians(angle)
    freq = np.fft.fftfreq(TILE) * 2 * np.pi
    fx, fy = np.meshgrid(freq, freq)
    derivative = (2 * np.sin((fx * math.cos(theta) + fy * math.sin(theta)) / 2)) ** 2
    auto = np.fft.fftshift(np.real(np.fft.ifft2(power * derivative))).astype(np.float32)
    return auto / max(float(auto[TILE // 2, TILE // 2]), 1e-9)


def _along(lag_map: np.ndarray, angle: float, lags: np.ndarray) -> np.ndarray:
    """A lag map's values at ``lags`` pixels along ``angle`` from its centre."""
    theta = math.radians(angle)
    xs = (TILE // 2 + lags * math.cos(theta)).astype(np.float32).reshape(1, -1)
    ys = (TILE // 2 + lags * math.sin(theta)).astype(np.float32).reshape(1, -1)
    return cv2.remap(lag_map, xs, ys, cv2.INTER_LINEAR)[0]


def _derivative_autocorrelation(power: np.ndarray, angle: float, max_lag: int) -> np.ndarray:
    """Normalised autocorrelation of the derivative along ``angle`` at lags 0..max_lag, from the tiles' power."""
    return _along(_derivative_autocorrelation_map(power, angle), angle, np.arange(max_lag + 1, dtype=np.float32))


def _smear_lag(power: np.ndarray, angle: float) -> tuple[float, float]:
    """The deepest point trough of the derivative's autocorrelation within ``SMEAR_SEARCH`` degrees of
    ``angle``, from lag 3 to ``MAX_LENGTH``: the smear's (direction, length). One shorter than
    ``MIN_LENGTH`` is a stroke's width (a page soft along one direction, no box smear), left to the caller.

    The text's rhythm gives troughs at every sideways offset of one vertical lag, a band along a row of the
    lag map; a smear gives one point. Each row less its median leaves the point and drops the band. The
    length is read to a tenth of a pixel from the parabola through the lowest three lags along the ray
    (one pixel either way changed a smeared page's reading by one to two points).
    """
    lag_map = _derivative_autocorrelation_map(power, angle)
    points = lag_map - np.median(lag_map, axis=1, keepdims=True)
    lags = np.arange(3, MAX_LENGTH + 0.5, 0.5, dtype=np.float32)
    best = (math.inf, angle % 180, float(MAX_LENGTH))
    for candidate in np.arange(angle - SMEAR_SEARCH, angle + SMEAR_SEARCH + 0.5, 1.0):
        values = _along(points, float(candidate), lags)
        i = int(np.argmin(values))
        if values[i] >= best[0]:
            continue
        offset = 0.0
        if 0 < i < len(values) - 1:
            left, mid, right = (float(v) for v in values[i - 1:i + 2])
            curve = left - 2 * mid + right
            offset = 0.5 * (left - right) / curve if curve > 1e-9 else 0.0
        best = (float(values[i]), float(candidate) % 180, float(lags[i]) + 0.5 * offset)
    return best[1], round(best[2], 1)


def _box_smear(power: np.ndarray, angle: float) -> tuple[float, float, bool]:
    """The direction and length of the deepest trough near ``angle`` (``_smear_lag``), and whether it is a box
    smear's signature."""
    angle, length = _smear_lag(power, angle)
    trough = float(_derivative_autocorrelation(power, angle, MAX_LENGTH + 2)[round(length)])
    return angle, length, (MIN_LENGTH <= length <= MAX_LENGTH and trough <= MIN_TROUGH
                           and (trough <= CLEAR_TROUGH
                                or _derivative_autocorrelation(power, angle + 90, ACROSS_LAGS)[2:].min()
                                <= MAX_ACROSS_TROUGH))


def _calming(sigma: float) -> np.ndarray:
    """What a Gaussian of ``sigma`` pixels leaves of each frequency's power in a tile's spectrum."""
    freq = np.fft.fftfreq(TILE) * 2 * np.pi
    return np.exp(-(freq[None, :] ** 2 + freq[:, None] ** 2) * sigma * sigma)


def _profile_anisotropy(profile: np.ndarray) -> tuple[float, float]:
    """Weakest over strongest orientation's edges, and the direction of the weakest (the smear's)."""
    return float(profile.min() / max(float(profile.max()), 1e-9)), _smear_direction(profile)


def _anisotropy(tiles: list[np.ndarray]) -> tuple[float, float]:
    return _profile_anisotropy(_edge_profile(tiles))


def _contrast(stack: np.ndarray) -> float:
    """Paper against ink on the stacked tiles: the 95th grey percentile less the 2nd, on every other pixel."""
    sample = stack[::2, ::2]
    return _percentile(sample, 95) - _percentile(sample, 2)


def _gaussian_edge_width(contrast: float, sobel_rise: float | np.ndarray) -> float | np.ndarray:
    """The sigma of a Gaussian edge of ``contrast`` whose steepest 3x3 Sobel response is ``sobel_rise``:
    such an edge rises at most by contrast / (sigma * sqrt(2 pi)) a pixel, and Sobel's weights sum to 8."""
    return contrast / np.maximum(np.asarray(sobel_rise) / 8, 1e-6) / math.sqrt(2 * math.pi)


def _directional_spread(tiles: list[np.ndarray], profile: np.ndarray) -> float:
    """The sigma of a Gaussian smear along the weakest orientation, from the edge widths across and along.

    Each orientation's edges (``profile``: their steepest rise) are read as Gaussian edges of the tiles'
    contrast: along the smear their width squared is the sharp width's plus the smear's, so the smear is
    the root of the difference.
    """
    widths = np.asarray(_gaussian_edge_width(_contrast(np.vstack(tiles)), profile))
    return SPREAD_WIDTH * math.sqrt(max(0.0, float(widths.max() ** 2 - widths.min() ** 2)))


def _smear_left(restored: list[np.ndarray], blur: Blur) -> bool:
    """Whether undoing a box smear left another one: a trough between ``MIN_LENGTH`` and ``SHORTER_SHARE``
    of the length (and three lags short of it) clearly deeper than what is left about the length, which
    itself is all but gone.

    The regularised filter cannot give back the frequencies the box took (its zeros), so undoing the
    true length leaves a trough about it (-0.15 to -0.28 on ten smeared photos of seven plans) and none
    deeper well before it. Undoing the text's rhythm instead (a trough at the x-height, or at twice the
    smear) all but removes the trough at that length (-0.05 to -0.15) and leaves the true, shorter smear
    standing out: 9 to 11 px smears undone as 18 to 29 px left -0.15 to -0.44 at 9 to 12 px, and a
    defocused page undone as a 20 px smear -0.35 at 7 px. A stroke's own width can leave a trough
    short of the length too (-0.31 at 6 px after undoing a 16 px smear), so both must hold. Lengths under
    eight pixels have no lag to look at, and are never refused.
    """
    if not blur.length:
        return False
    length = round(blur.length)
    along = _derivative_autocorrelation(_power(restored), blur.angle, length + 1)
    shorter = along[MIN_LENGTH:min(int(SHORTER_SHARE * length), length - 3) + 1]
    about_length = float(along[length - 1:length + 2].min())  # the length is measured to a pixel
    return (len(shorter) > 0 and float(shorter.min()) < about_length - SHORTER_MARGIN
            and about_length > RESIDUAL_TROUGH)


def measure_blur(grey: np.ndarray, *, same_photo: Blur | None = None, measured: InkTiles | None = None) -> Blur:
    """How far and which way the page is smeared; not ``found`` when its edges are evenly sharp.

    A box smear is taken when the derivative's autocorrelation along it has a clear trough (its
    signature) at a length a shaking hand gives, else a Gaussian one as wide as the edges along it are
    softer than across; either only when undoing it on the measured tiles makes their edges evenly sharp.
    ``same_photo`` is the smear found on the other page of a spread, in this page's pixels: one shake
    smeared both, so it is tried, on the same terms, after this page's own box smear and before a Gaussian
    guess, for a page whose fewer lines show no clear signature of their own. Anything else is left alone.
    ``measured``: the page's ``ink_tiles``, when the caller has them.
    """
    measured = measured or ink_tiles(grey)
    if measured is None:
        return Blur(anisotropy=1.0, angle=0.0, length=0)
    tiles, origins = measured.tiles, measured.origins
    at = (float(np.mean([left for _, left in origins])) + TILE / 2,
          float(np.mean([top for top, _ in origins])) + TILE / 2)
    profile = _gradient_profile(measured.gx, measured.gy)
    anisotropy, angle = _profile_anisotropy(profile)
    if not ANISOTROPY[0] <= anisotropy <= ANISOTROPY[1]:
        return Blur(anisotropy=anisotropy, angle=angle, length=0)
    power = _power(tiles)
    edges = angle
    angle, length, box = _box_smear(power, edges)
    if not box:  # a camera's sharpened grain may fill the trough: looked for again without the finest detail
        calm_angle, calm_length, calm = _box_smear(power * _calming(CALM_SIGMA), edges)
        if calm and edge_width(measured) <= MAX_SMEARED_EDGE:  # else all goes on as if it had not been looked for
            angle, length, box = calm_angle, calm_length, True
    candidates = []
    if box and edge_width(measured) <= MAX_SMEARED_EDGE:
        candidates.append(Blur(anisotropy=anisotropy, angle=angle, length=length))
    if same_photo is not None and same_photo.found:
        candidates.append(Blur(anisotropy=anisotropy, angle=same_photo.angle, length=same_photo.length,
                               spread=same_photo.spread))
    # no box smear, or none that undoing evens out: one direction softer than the others, as a hand's
    # slower shake or a carbon copy photographed at a slant leaves it, undone as a Gaussian along it
    spread = _directional_spread(tiles, profile)
    if MIN_SPREAD <= spread <= MAX_SPREAD:
        candidates.append(Blur(anisotropy=anisotropy, angle=angle, length=0, spread=spread))
    after = None
    for blur in candidates:
        restored = [255 - wiener(255 - tile, blur.kernel(), tile=TILE + 128, noise_to_signal=blur.noise_to_signal)
                    for tile in tiles]
        after, _ = _anisotropy(restored)
        blur.after = after
        if after >= anisotropy + (MIN_GAIN if blur.length else SPREAD_GAIN) and not _smear_left(restored, blur):
            blur.at = at
            return blur
    return Blur(anisotropy=anisotropy, angle=angle, length=0, after=after)  # what the last one tried gave


@dataclass(slots=True)
class Defocus:
    edge_width: float  # the sigma of a Gaussian edge, page pixels; 0 on a page without text tiles
    sigma: float  # of the Gaussian blur undone; 0 when the edges are sharp enough

    @property
    def found(self) -> bool:
        return self.sigma > 0

    @property
    def noise_to_signal(self) -> float:
        """The Wiener filter's regularisation: ``DEFOCUS_NOISE_TO_SIGNAL``, or less for a blur so wide that
        the letters' stems would stay lost (``STEM_PERIOD``)."""
        stems = math.exp(-(2 * math.pi * self.sigma / STEM_PERIOD) ** 2)  # H^2 at the stems' frequency
        return max(MIN_DEFOCUS_NOISE_TO_SIGNAL, min(DEFOCUS_NOISE_TO_SIGNAL, stems))

    def params(self) -> dict[str, float]:
        return {"edge_width": round(self.edge_width, 2), "defocus_sigma": round(self.sigma, 2),
                **({"defocus_noise_to_signal": round(self.noise_to_signal, 4)} if self.found else {})}


def edge_width(measured: InkTiles) -> float:
    """The sigma of a Gaussian edge with the tiles' contrast and steepest rise (page pixels)."""
    steepest = _percentile(cv2.magnitude(measured.gx, measured.gy), 99.5)
    return float(_gaussian_edge_width(_contrast(measured.stack), steepest))


def _percentile(values: np.ndarray, q: float) -> float:
    """One percentile, the k-th smallest value (no interpolation): by counting for 8-bit grey, by partition
    otherwise (np.percentile takes several times longer than either)."""
    flat = values.ravel()
    k = min(len(flat) - 1, int(len(flat) * q / 100))
    if flat.dtype == np.uint8:
        return float(np.searchsorted(np.cumsum(np.bincount(flat, minlength=256)), k, side="right"))
    return _kth_smallest(flat, k)


def _kth_smallest(values: np.ndarray, k: int) -> float:
    """The k-th smallest of a flat array (from 0). When k lies in the top 2%, only the values at or above the
    99th percentile of every 16th value are partitioned, if there are enough of them to hold it: ten times
    faster than partitioning all."""
    top = len(values) - k  # how many values are at least the k-th smallest
    sample = values[::16]
    if top <= len(values) // 50 and len(sample):
        level = np.partition(sample, int(len(sample) * 0.99))[int(len(sample) * 0.99)]
        above = values[values >= level]
        if len(above) >= top:  # else the sample's level lies above the k-th smallest
            return float(np.partition(above, len(above) - top)[len(above) - top])
    return float(np.partition(values, k)[k])


def measure_defocus(grey: np.ndarray, *, measured: InkTiles | None = None) -> Defocus:
    """How soft the page's edges are, and the Gaussian to undo when they are clearly soft. ``measured``: the
    page's ``ink_tiles``, when the caller has them."""
    measured = measured or ink_tiles(grey)
    if measured is None:
        return Defocus(0.0, 0.0)
    width = edge_width(measured)
    if not MIN_SOFT_EDGE <= width <= MAX_SOFT_EDGE:
        return Defocus(width, 0.0)
    return Defocus(width, DEFOCUS_WIDTH * math.sqrt(width * width - SHARP_EDGE * SHARP_EDGE))


def gaussian_kernel(sigma: float) -> np.ndarray:
    """A square Gaussian three sigmas each way, summing to one."""
    column = cv2.getGaussianKernel(2 * int(math.ceil(3 * sigma)) + 1, sigma)
    return (column @ column.T).astype(np.float32)


def refocus(grey: np.ndarray, defocus: Defocus) -> np.ndarray:
    """The grey page with its measured softness undone; the page itself when its edges are sharp."""
    if not defocus.found:
        return grey
    return cv2.bitwise_not(wiener(cv2.bitwise_not(grey), gaussian_kernel(defocus.sigma),
                                  noise_to_signal=defocus.noise_to_signal))


def line_gaussian(sigma: float, angle: float) -> np.ndarray:
    """A Gaussian of ``sigma`` pixels along a line at ``angle`` degrees (y down), antialiased, summing to one."""
    reach = 3 * sigma
    return _along_line(np.linspace(-reach, reach, max(3, int(reach * 8)) | 1), angle,
                       lambda t: np.exp(-t * t / (2 * sigma * sigma)))


def motion_kernel(length: float, angle: float) -> np.ndarray:
    """A line ``length`` pixels long at ``angle`` degrees (y down), antialiased, summing to one."""
    half = (length - 1) / 2
    return _along_line(np.linspace(-half, half, max(2, int(length * 4))), angle, np.ones_like)


def _along_line(ts: np.ndarray, angle: float, weight: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """A kernel of points ``ts`` pixels from its centre along ``angle``, each weighted and spread bilinearly."""
    size = int(math.ceil(2 * float(np.abs(ts).max()) + 1)) + 3 | 1
    kernel = np.zeros((size, size), np.float32)
    centre = (size - 1) / 2
    for t, w in zip(ts, weight(ts), strict=True):
        x, y = centre + t * math.cos(math.radians(angle)), centre + t * math.sin(math.radians(angle))
        x0, y0 = int(math.floor(x)), int(math.floor(y))
        fx, fy = x - x0, y - y0
        kernel[y0, x0] += w * (1 - fx) * (1 - fy)
        kernel[y0, x0 + 1] += w * fx * (1 - fy)
        kernel[y0 + 1, x0] += w * (1 - fx) * fy
        kernel[y0 + 1, x0 + 1] += w * fx * fy
    return kernel / kernel.sum()


def _wiener_multiplier(kernel: np.ndarray, size: int, noise_to_signal: float) -> np.ndarray:
    """H / (H^2 + noise_to_signal) for a centred symmetric kernel, in OpenCV's packed (CCS) layout.

    ``size`` must be even (the packed layout of odd sizes differs). A kernel symmetric about its centre
    has a real transfer function H, so the filter multiplies the real
    and the imaginary part of each frequency alike: each value is copied into its pair's second slot.
    The filter's gain at zero frequency is 1, so blank paper stays as bright as it was.
    """
    if size % 2:
        raise ValueError(f"the Wiener multiplier is laid out for an even size, not {size}")
    k = kernel.shape[0]
    psf = np.zeros((size, size), np.float32)
    psf[:k, :k] = kernel
    psf = np.roll(psf, (-(k // 2), -(k // 2)), axis=(0, 1))
    real = cv2.dft(psf)  # packed; the imaginary slots are zero up to rounding
    real[:, 2:size - 1:2] = real[:, 1:size - 2:2]  # rows: (re, im) pairs in columns 1-2, 3-4, ...
    for column in (0, size - 1):  # the first and last columns pair rows 1-2, 3-4, ...
        real[2:size - 1:2, column] = real[1:size - 2:2, column]
    multiplier = real / (real * real + noise_to_signal)
    return multiplier / float(multiplier[0, 0])


def wiener(ink: np.ndarray, kernel: np.ndarray, *, noise_to_signal: float = NOISE_TO_SIGNAL,
           tile: int = 512, kernel_at: Callable[[float, float], np.ndarray] | None = None) -> np.ndarray:
    """Undo a known blur of an ink image (paper 0), tile by tile; tiles without ink are left as they are.

    Overlapping tiles (overlap-save) keep each FFT small and in cache: a whole page at once is slower. The
    overlap holds most of the inverse filter's tail, not all of it: along a seam the result differs from
    one whole-page pass by under one grey level on average. ``kernel_at`` gives the blur about a page
    point (x, y) where it changes over the page: each tile is undone with its centre's.
    """
    tile += tile % 2  # the packed multiplier is laid out for an even size
    height, width = ink.shape
    if kernel_at is not None:  # the widest of the corners' and the centre's sets the overlap
        kernel = max((kernel_at(x, y) for x, y in ((0, 0), (width, 0), (0, height), (width, height),
                                                   (width / 2, height / 2))), key=len)
    margin = max(16, 2 * kernel.shape[0])
    step = tile - 2 * margin
    if step < tile // 4:
        raise ValueError(f"a {kernel.shape[0]}-pixel kernel is too wide for {tile}-pixel tiles")
    if kernel_at is None:
        uniform = _wiener_multiplier(kernel, tile, noise_to_signal)

        def multiplier_at(x: float, y: float) -> np.ndarray:
            return uniform
    else:
        def multiplier_at(x: float, y: float) -> np.ndarray:
            return _wiener_multiplier(kernel_at(x, y), tile, noise_to_signal)
    rows, cols = -(-height // step) * step, -(-width // step) * step
    padded = cv2.copyMakeBorder(ink, margin, rows - height + margin, margin, cols - width + margin,
                                cv2.BORDER_REFLECT).astype(np.float32)
    out = np.zeros((rows, cols), np.float32)
    for y in range(0, rows, step):
        for x in range(0, cols, step):
            window = padded[y:y + tile, x:x + tile]
            core = window[margin:margin + step, margin:margin + step]
            if float(core.max()) < 24:  # blank paper: nothing to sharpen
                out[y:y + step, x:x + step] = core
                continue
            restored = cv2.idft(cv2.multiply(cv2.dft(window), multiplier_at(x + step / 2, y + step / 2)),
                                flags=cv2.DFT_REAL_OUTPUT | cv2.DFT_SCALE)
            out[y:y + step, x:x + step] = restored[margin:margin + step, margin:margin + step]
    kept = cv2.max(out[:height, :width], 0.0)  # clipped by OpenCV: numpy's clip takes 2.6 times as long here
    cv2.min(kept, 255.0, dst=kept)
    return kept.astype(np.uint8)


def deblur(grey: np.ndarray, blur: Blur, *,
           to_photo: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """The page with its measured smear undone; the page itself when none was measured.

    ``to_photo`` maps page points to the photo's: the smear is then undone as the photo's one shake seen
    about each part of the page (``Blur.seen_at``).
    """
    if not blur.found:
        return grey
    kernel_at = None
    if to_photo is not None and blur.at is not None:
        def kernel_at(x: float, y: float) -> np.ndarray:
            return blur.seen_at((x, y), to_photo).kernel()
    return cv2.bitwise_not(wiener(cv2.bitwise_not(grey), blur.kernel(), noise_to_signal=blur.noise_to_signal,
                                  kernel_at=kernel_at))
