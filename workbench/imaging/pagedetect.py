"""Find the page in a photo as a quadrilateral, or say that no page edge is visible."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from itertools import combinations

import cv2
import numpy as np

from workbench.imaging.components import components, off_the_edge

log = logging.getLogger(__name__)

DETECT_SIDE = 750  # long side of the copy the page is looked for on
MIN_AREA = 0.04  # a page smaller than this share of the frame is more likely a label or a shadow
MAX_CORNER_SHARE = 0.015  # corners this close to the frame corners mean "the frame is the page"
MIN_PAGE_INK = 300  # pixels of letter-like ink on the small copy: fewer tell nothing of where the text is
MIN_TEXT_INSIDE = 0.85  # a page quad must hold this share of the photo's letter-like ink,
MIN_TEXT_MOST = 0.6  # or this share when the ink outside is this much sparser than inside it:
MAX_SPECK_DENSITY = 0.25  # the grain of a pale table, not text the quad cuts off
# A quad of straight lines must have no text within this share of the long side beyond its sides, as densely as
# text lies within it: a pencil stroke across a page whose corner lay outside the frame was taken for its bottom
# edge, and the lines below it were left out (90000/mixed-051 of the benchmark: 36.5% CER).
RUN_PAST = 0.03
MAX_TEXT_CUT_OFF = 0.05  # share of the text inside a quad's own outline that the quad may leave out,
# unless what it leaves out is as sparse as MAX_SPECK_DENSITY says the grain of a table is
# A page has margins: a band just inside each of its edges is blank along nearly all its length. An outline
# through a text block has line ends or letters along at least one side; a page edge darkened by shadow or
# a textured table beyond it does not, because the band lies inside the page. A few binding holes or
# stains cover only a few per cent of a side.
MARGIN_INSET = 0.025  # the band runs this share of the way from the outline to the centre
MAX_MARGIN_COVER = 0.08  # share of a side's length along which the band may hold ink
# A page edge is an edge in the photo. An outline that follows the frame or runs across the table where
# light and shade meet has little edge under it; the quad whose sides lie on edges is preferred.
EDGE_REACH = 2  # pixels between a side and an edge pixel that supports it
MIN_EDGE_SUPPORT = 0.5
# A side fitted to the page's outline (see _fit_sides): the outline's points this share of the side's
# length from its ends are left to the corners, and points farther than SIDE_FIT_REACH of it from the side
# are another side's or a bump's.
SIDE_FIT_ENDS = 0.1
SIDE_FIT_REACH = 0.04
# The page by its colour (see _paleness). Saturation levels between the paler and the more colourful part of
# the photo (their means, Otsu's split): a page on cardboard in shade measured 25, close-ups of one sheet 2 to
# 9, their paper's own blotches split apart. Its edge must also show in brightness along part of it: a
# lamp's glare burns paper and table alike to no colour at all, and split so, a dark photo's glare blob made
# a "page" with no step in brightness under its outline (0.00; the cardboard page in shade 0.53).
MIN_COLOUR_STEP = 12
MIN_BRIGHTNESS_SUPPORT = 0.25


@dataclass(slots=True)
class PageQuad:
    corners: np.ndarray  # (4, 2) float: top-left, top-right, bottom-right, bottom-left
    area_share: float
    solidity: float
    method: str
    edge_support: float = 1.0  # share of the sides that lie on edges of the photo

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the page as the mean lengths of its opposite edges."""
        tl, tr, br, bl = self.corners
        width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
        height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
        return float(width), float(height)


def order_corners(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left, by angle around the centre."""
    pts = np.asarray(points, dtype=float).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # from -pi: top-left first for an upright quad
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def _quad_from_contour(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.045, 0.06, 0.08):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(float)
        if len(approx) < 4:
            break
    return None


def _angles_ok(quad: np.ndarray) -> bool:
    for i in range(4):
        a, b, c = quad[i - 1], quad[i], quad[(i + 1) % 4]
        v1, v2 = a - b, c - b
        cos = float(v1 @ v2 / (np.linalg.norm(v1) * np.linalg.norm(v2) + 1e-9))
        if not 55 <= math.degrees(math.acos(np.clip(cos, -1, 1))) <= 125:
            return False
    return True


def _brightness_masks(blur: np.ndarray, edges: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Where the photo is bright (Otsu's threshold, then a local one) and where its edges are."""
    height, width = blur.shape
    _, otsu = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    block = max(3, (max(height, width) // 3) | 1)
    local = cv2.adaptiveThreshold(blur, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, -4)
    return [("otsu", otsu), ("local", local),
            ("edges", cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))))]


def _candidates(masks: list[tuple[str, np.ndarray]]) -> list[tuple[str, np.ndarray]]:
    """The three largest contours of each mask, closed and opened (an edge mask only closed) to a page's size."""
    height, width = masks[0][1].shape
    k = max(3, int(max(height, width) * 0.015) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    result: list[tuple[str, np.ndarray]] = []
    for name, mask in masks:
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
        if name != "edges":
            mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL if name != "edges" else cv2.RETR_LIST,
                                       cv2.CHAIN_APPROX_SIMPLE)
        contours = sorted(contours, key=cv2.contourArea, reverse=True)[:3]
        result.extend((name, c) for c in contours)
    return result


def _sides(polygon: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(polygon[i], polygon[(i + 1) % len(polygon)]) for i in range(len(polygon))]


def _band_points(a: np.ndarray, b: np.ndarray, band: int, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Pixel rows and columns of a band ``band`` pixels wide along the side a-b, one row of them per pixel."""
    length = float(np.linalg.norm(b - a))
    along = (b - a) / max(length, 1e-9)
    normal = np.array([-along[1], along[0]])
    offsets = np.arange(band) - (band - 1) / 2  # across the band
    t = np.arange(0.0, length, 1.0)
    points = a + t[:, None, None] * along + offsets[None, :, None] * normal
    xs = np.clip(np.rint(points[..., 0]).astype(int), 0, shape[1] - 1)
    ys = np.clip(np.rint(points[..., 1]).astype(int), 0, shape[0] - 1)
    return ys, xs


def _margin_cover(ink: np.ndarray, outline: np.ndarray, band: int) -> float:
    """The largest share of a side of ``outline`` along which a band ``band`` pixels wide holds ink."""
    cover = 0.0
    for a, b in _sides(outline):
        if np.linalg.norm(b - a) < 2:
            continue
        ys, xs = _band_points(a, b, band, ink.shape)
        cover = max(cover, float(ink[ys, xs].any(axis=1).mean()))
    return cover


def _edge_support(edges: np.ndarray, quad: np.ndarray) -> float:
    """The share of the quad's perimeter that lies on an edge of the photo."""
    on_edge, total = 0, 0
    for a, b in _sides(quad):
        if np.linalg.norm(b - a) < 2:
            continue
        ys, xs = _band_points(a, b, 2 * EDGE_REACH + 1, edges.shape)
        hits = edges[ys, xs].any(axis=1)
        on_edge += int(hits.sum())
        total += len(hits)
    return on_edge / total if total else 0.0


def _outline(contour: np.ndarray) -> np.ndarray:
    """The page's own outline, a few dozen sides at most: a curled page's edges bow, its quad's do not."""
    hull = cv2.convexHull(contour)
    return cv2.approxPolyDP(hull, 0.004 * cv2.arcLength(hull, True), True).reshape(-1, 2).astype(float)


def _stretch(grey: np.ndarray) -> np.ndarray:
    """Grey levels stretched to the full range, so a dark photo's page edge is as strong as a bright one's."""
    low, high = (float(v) for v in np.percentile(grey[::4, ::4], (1, 99)))
    if high - low < 8 or (low <= 8 and high >= 247):
        return grey
    table = np.clip((np.arange(256) - low) * 255.0 / (high - low), 0, 255).astype(np.uint8)
    return cv2.LUT(grey, table)


@dataclass(slots=True)
class _Outline:
    """A candidate page: its quad, the outline it was drawn from, and the area that outline encloses."""

    method: str
    quad: np.ndarray
    outline: np.ndarray
    area: float


def _holds_the_text(inside: float, area: float) -> bool:
    """The quad holds nearly all the ink, or most of it while what lies outside is sparse (grain, specks)."""
    if inside >= MIN_TEXT_INSIDE:
        return True
    outside_density = (1 - inside) / max(1 - area, 1e-6)
    return inside >= MIN_TEXT_MOST and outside_density <= MAX_SPECK_DENSITY * inside / max(area, 1e-6)


def _cuts_off_text(text: np.ndarray, outline: np.ndarray, area_mask: np.ndarray) -> bool:
    """Whether the quad drawn in ``area_mask`` (0 outside it, 1 inside) leaves out part of the text within
    ``outline``: more than MAX_TEXT_CUT_OFF of it, lying as densely as text does inside the quad, not as the
    sparse grain of a patch of table the outline took in.

    Simplifying an outline to four corners may cut off a corner of it, and with it part of the page's text
    (57000/exif_rot-007 of the benchmark: a lit patch of table joined the page's outline, and one of the
    quad's corners went to the patch, a side running across the ends of the lines)."""
    own = np.zeros(text.shape, np.uint8)
    cv2.fillPoly(own, [outline.astype(np.int32).reshape(-1, 1, 2)], 1)
    own_text = text & (own == 1)
    total = int(np.count_nonzero(own_text))
    if total < MIN_PAGE_INK:
        return False
    left_out = (own == 1) & (area_mask == 0)
    cut = int(np.count_nonzero(own_text & left_out))
    if cut <= MAX_TEXT_CUT_OFF * total:
        return False
    inside = area_mask == 1
    inside_density = int(np.count_nonzero(text & inside)) / max(int(np.count_nonzero(inside)), 1)
    return cut / max(int(np.count_nonzero(left_out)), 1) > MAX_SPECK_DENSITY * inside_density


def _text_runs_past(text: np.ndarray, area_mask: np.ndarray, reach: int) -> bool:
    """Whether the text lies as densely just outside a quad (within ``reach`` of it) as inside it, by more than
    the sparse grain of a table (MAX_SPECK_DENSITY): the quad's side runs across the page, not along its edge."""
    inside = (area_mask == 1).astype(np.uint8)
    near = cv2.dilate(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach + 1, 2 * reach + 1)))
    beyond = (near == 1) & (area_mask == 0)
    inside_density = np.count_nonzero(text & (inside == 1)) / max(int(np.count_nonzero(inside)), 1)
    beyond_density = np.count_nonzero(text & beyond) / max(int(np.count_nonzero(beyond)), 1)
    return bool(beyond_density > MAX_SPECK_DENSITY * inside_density)


def _contour_outlines(masks: list[tuple[str, np.ndarray]], min_area: float) -> list[_Outline]:
    found = []
    for method, contour in _candidates(masks):
        area = cv2.contourArea(contour)
        if area < min_area:
            continue
        quad = _quad_from_contour(contour)
        if quad is not None:
            found.append(_Outline(method, order_corners(quad), _outline(contour), area))
    return found


def _fit_sides(quad: np.ndarray, outline: np.ndarray) -> np.ndarray | None:
    """The quad with each side a straight line fitted to the outline along it, corners where they meet; None
    when that moves no corner by a pixel, or moves one too far to be the same page.

    The quad's corners are points of the outline's hull picked by simplifying it, and a rounded or bent
    corner pulls a side off the page's edge; the outline itself follows the edge. Points near a side's ends
    are left out of its fit, as are points farther from it than SIDE_FIT_REACH of its length.
    """
    points = _densify(outline)
    lines = []
    for a, b in _sides(quad):
        length = float(np.linalg.norm(b - a))
        if length < 8:
            return None
        along = (b - a) / length
        normal = np.array([-along[1], along[0]])
        t = (points - a) @ along
        d = np.abs((points - a) @ normal)
        near = points[(t > SIDE_FIT_ENDS * length) & (t < (1 - SIDE_FIT_ENDS) * length)
                      & (d < SIDE_FIT_REACH * length)]
        if len(near) < 0.15 * length:  # a point every two pixels along at least 30% of it
            return None
        vx, vy, x0, y0 = (float(v) for v in cv2.fitLine(near.astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel())
        theta = math.atan2(vx, -vy)  # the line's normal (-vy, vx), as Hough gives lines
        lines.append((x0 * math.cos(theta) + y0 * math.sin(theta), theta))
    corners = [_intersect(lines[i - 1], lines[i]) for i in range(4)]  # side i-1 ends where side i starts
    if any(corner is None for corner in corners):
        return None
    fitted = np.array(corners, dtype=float)
    moved = float(np.linalg.norm(fitted - quad, axis=1).max())  # pixels, the corner that moved most
    longest = max(float(np.linalg.norm(b - a)) for a, b in _sides(quad))
    if moved < 1.0 or moved > SIDE_FIT_REACH * longest:
        return None
    return fitted


def _densify(polygon: np.ndarray, step: float = 2.0) -> np.ndarray:
    """Points every ``step`` pixels along a closed polygon's sides."""
    points = []
    for a, b in _sides(polygon):
        n = max(1, int(np.ceil(np.linalg.norm(b - a) / step)))
        points.append(a + (np.arange(n)[:, None] / n) * (b - a))
    return np.vstack(points)


def _line_outlines(edges: np.ndarray, min_area: float, *, per_side: int = 6) -> list[_Outline]:
    """Quads from the strongest straight edges, two roughly parallel pairs: a page whose outline did not
    close (a faint edge against a pale table) or bows (a curled page) still has four straight-ish sides."""
    height, width = edges.shape
    lines = cv2.HoughLines(edges, 2, np.pi / 180, int(0.12 * min(height, width)))
    if lines is None:
        return []
    kept: list[tuple[float, float]] = []
    for rho, theta in lines[:60, 0]:
        if all(abs(rho - r) > 0.03 * max(height, width) or _angle_gap(theta, t) > math.radians(6) for r, t in kept):
            kept.append((float(rho), float(theta)))
    if len(kept) < 4:
        return []
    first = kept[0][1]
    groups: list[list[tuple[float, float]]] = [[], []]
    for rho, theta in kept:
        for g, axis in enumerate((first, first + math.pi / 2)):
            if _angle_gap(theta, axis) < math.radians(30) and len(groups[g]) < per_side:
                groups[g].append((rho, theta))
    found = []
    for a1, a2 in combinations(groups[0], 2):
        for b1, b2 in combinations(groups[1], 2):
            points = [_intersect(a, b) for a in (a1, a2) for b in (b1, b2)]
            if any(p is None for p in points):
                continue
            quad = np.array(points, dtype=float)
            hull = cv2.convexHull(quad.astype(np.float32)).reshape(-1, 2)
            if len(hull) != 4:
                continue
            quad = order_corners(hull.astype(float))
            area = cv2.contourArea(quad.astype(np.float32))
            if area >= min_area:
                found.append(_Outline("lines", quad, quad, area))
    return found


def _angle_gap(a: float, b: float) -> float:
    """Angle between two line normals, lines having no direction: 0 to pi/2."""
    gap = abs(a - b) % math.pi
    return min(gap, math.pi - gap)


def _intersect(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float] | None:
    (r1, t1), (r2, t2) = a, b
    matrix = np.array([[math.cos(t1), math.sin(t1)], [math.cos(t2), math.sin(t2)]])
    if abs(np.linalg.det(matrix)) < 1e-3:
        return None
    x, y = np.linalg.solve(matrix, np.array([r1, r2]))
    return float(x), float(y)


def find_page(image: np.ndarray) -> PageQuad | None:
    """The page's quadrilateral in a small photo, or None when no sound one is found.

    Three masks (global and local brightness, edges) each offer their largest contours, and when none of
    them makes a page, the strongest straight edges do, and then the paper's colour (see ``_paleness``); a
    quad must be convex, near-rectangular in angles, fill its outline, hold the text with a blank margin
    inside its edges, lie on edges of the photo and not simply be the frame.
    """
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    scale = min(1.0, DETECT_SIDE / max(grey.shape))
    size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
    if scale < 1.0:  # a page's edges are large: a smaller copy finds them as well, in half the time
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    height, width = grey.shape
    frame_area = float(height * width)
    from workbench.imaging.light import estimate_background, ink_mask, paper_like  # light imports nothing from here

    background = estimate_background(grey)
    ink = (ink_mask(cv2.divide(grey, background, scale=255)) > 0) & paper_like(background)
    blur = cv2.GaussianBlur(_stretch(grey), (0, 0), 2)
    edges = cv2.Canny(blur, 30, 90)
    best = _best(_contour_outlines(_brightness_masks(blur, edges), MIN_AREA * frame_area), ink, edges)
    if best is None:
        best = _best(_line_outlines(edges, MIN_AREA * frame_area), ink, edges)
    if best is None and image.ndim == 3:
        best = _colour_page(_paleness(image, size), ink, edges)
    if best is not None:
        log.debug("page found by %s: %.0f%% of the frame", best.method, best.area_share * 100)
        if scale < 1.0:  # pixel centres of the small copy back to the image's, each axis by its own factor
            factors = np.array([image.shape[1] / width, image.shape[0] / height])
            best.corners = (best.corners + 0.5) * factors - 0.5
    return best


def _colour_page(pale: np.ndarray, ink: np.ndarray, edges: np.ndarray) -> PageQuad | None:
    """The page as the paler of two colours (Otsu's split of ``pale``), when they differ clearly; edges in
    colour count as edges, and some of its outline must lie on an edge in brightness too."""
    _, paper = cv2.threshold(pale, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    share = cv2.countNonZero(paper) / paper.size
    if not MIN_AREA <= share <= 1 - MIN_AREA:  # one colour: nothing to split
        return None
    step = cv2.mean(pale, paper)[0] - cv2.mean(pale, cv2.bitwise_not(paper))[0]
    if step < MIN_COLOUR_STEP:  # one colour split by its noise
        return None
    colour_edges = cv2.bitwise_or(edges, cv2.Canny(_stretch(pale), 30, 90))
    page = _best(_contour_outlines([("colour", paper)], MIN_AREA * paper.size), ink, colour_edges)
    if page is None or _edge_support(edges, page.corners) < MIN_BRIGHTNESS_SUPPORT:
        return None
    return page


def _paleness(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """How grey each pixel is (255 less its saturation), at ``size``, smoothed as ``blur`` is.

    Paper is greyer than a wooden table, a cloth or cardboard, and saturation does not change with the
    light: a pale page on a light table, its edge in shade or in the same light as the table beyond it,
    shows no step in brightness there, and a clear one in colour (54000/shadow-010 of the benchmark: the
    top edge of cream paper on cardboard, read as no page at all).
    """
    saturation = cv2.extractChannel(cv2.cvtColor(image, cv2.COLOR_BGR2HSV), 1)
    if saturation.shape[::-1] != size:
        saturation = cv2.resize(saturation, size, interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(255 - saturation, (0, 0), 2)


def _best(outlines: list[_Outline], ink: np.ndarray, edges: np.ndarray) -> PageQuad | None:
    """The soundest page among the candidates: the largest, fullest quad with most edge under it. A contour's
    quad whose shape makes a page is judged as it is and with its sides fitted to its outline (``_fit_sides``)."""
    height, width = ink.shape
    frame_area = float(height * width)
    frame = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=float)
    ink_total = int(np.count_nonzero(ink))
    band = max(2, int(round(0.008 * max(width, height))))

    def shaped(candidate: _Outline, quad: np.ndarray) -> tuple[float, float] | None:
        """The quad's area and solidity, if it is shaped as a page seen in perspective, not the frame."""
        quad_area = cv2.contourArea(quad.astype(np.float32))
        if quad_area < MIN_AREA * frame_area or not cv2.isContourConvex(quad.astype(np.float32)):
            return None
        solidity = min(candidate.area, quad_area) / max(candidate.area, quad_area)
        if solidity < 0.85 or not _angles_ok(quad):
            return None
        corner_gap = np.linalg.norm(quad - frame, axis=1) / math.hypot(width, height)
        if (corner_gap < MAX_CORNER_SHARE * 3).sum() >= 3:
            return None
        margin = MAX_CORNER_SHARE * max(width, height)
        on_border = ((quad[:, 0] < margin) | (quad[:, 0] > width - 1 - margin)
                     | (quad[:, 1] < margin) | (quad[:, 1] > height - 1 - margin))
        if on_border.sum() >= 3:  # an outline that follows the frame is the frame, not a page edge
            return None
        return quad_area, solidity

    def text_and_margins_ok(candidate: _Outline, quad: np.ndarray, quad_area: float) -> bool:
        """The page holds the text, not a blank patch beside it or a block of it, with margins inside."""
        if ink_total < MIN_PAGE_INK:
            return True
        area_mask = np.zeros((height, width), np.uint8)
        corners = quad.astype(np.int32).reshape(-1, 1, 2)
        cv2.fillConvexPoly(area_mask, corners, 1)
        # the quad's own edge, broken into letter-sized bits along a faint page, is no text either side of it
        cv2.polylines(area_mask, [corners], True, 2, thickness=2 * band + 1)
        text = ink & (area_mask != 2)
        text_total = int(np.count_nonzero(text))
        # a page whose ink was nearly all its own edge's bits: blank or too faint to say, as with no ink
        inside = np.count_nonzero(text & (area_mask == 1)) / text_total if text_total >= MIN_PAGE_INK else 1.0
        if not _holds_the_text(inside, quad_area / frame_area):
            return False
        # a quad drawn from a larger outline cuts part of it off: that part must not hold the page's text
        if candidate.method != "lines" and _cuts_off_text(text, candidate.outline, area_mask):
            return False
        # a quad of straight lines may take a line drawn on the page for its edge: the text must not run past it
        reach = max(2, round(RUN_PAST * max(width, height)))
        if candidate.method == "lines" and _text_runs_past(text, area_mask, reach):
            return False
        return _margin_cover(ink, inset(candidate.outline, MARGIN_INSET), band) <= MAX_MARGIN_COVER

    best: PageQuad | None = None
    best_score = 0.0
    for candidate in outlines:
        # a version's area share times its solidity is at most the outline's own area share, and its edge
        # support at most 1: an outline that small cannot beat the best, whatever its quad or fitted sides
        if candidate.area / frame_area <= best_score:
            continue
        measured = shaped(candidate, candidate.quad)
        if measured is None:
            continue
        versions = [(candidate.quad, measured)]
        # a quad from lines is its own outline: nothing to fit
        fitted = _fit_sides(candidate.quad, candidate.outline) if candidate.method != "lines" else None
        if fitted is not None and (fitted_measured := shaped(candidate, fitted)) is not None:
            versions.append((fitted, fitted_measured))
        for quad, (quad_area, solidity) in versions:
            area_share = quad_area / frame_area
            if area_share * solidity <= best_score:  # no better with all of it on edges
                continue
            support = _edge_support(edges, quad)
            score = area_share * solidity * support ** 2
            if support < MIN_EDGE_SUPPORT or score <= best_score:
                continue
            if not text_and_margins_ok(candidate, quad, quad_area):
                continue
            best, best_score = PageQuad(corners=quad, area_share=area_share, solidity=solidity,
                                        method=candidate.method, edge_support=support), score
    return best


def inset(corners: np.ndarray, share: float) -> np.ndarray:
    """Pull the corners towards the centre, so the page edge itself stays out of the crop."""
    centre = corners.mean(axis=0)
    return centre + (corners - centre) * (1 - share)


# Without a page edge, the text's place (find_text_box)
TEXT_WINDOW = 0.04  # of the long side: the window the ink's density is read in
TEXT_DENSITY = 0.1  # of the densest window's: where the text lies
TEXT_PART = 0.05  # of the dense ink: a cluster this big is part of the text, a smaller one a speck
TEXT_MARGIN = 0.03  # of the long side, around the text
MIN_TEXT_INK = 200  # pixels of letter-like ink on the analysis copy: fewer make no text to read
MAX_TEXT_SHARE = 0.3  # a text box this share of the frame or more: the photo is close up, keep it whole
# The light around the text's box over the light in it: a table is darker than the paper (a far page on
# cardboard measured 0.77, a faded page on a dark table 0.90); more of the same sheet is as light (scans
# 1.0, close-ups 0.96 to 1.04)
MAX_LIGHT_AROUND = 0.93


def _light_around(background: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """The median light outside ``box`` over the median light inside it."""
    x0, y0, x1, y1 = box
    outside = np.ones(background.shape, bool)
    outside[y0:y1, x0:x1] = False
    if not outside.any():
        return 1.0
    return float(np.median(background[outside])) / max(float(np.median(background[y0:y1, x0:x1])), 1.0)


def find_text_box(mask: np.ndarray, background: np.ndarray | None = None) -> tuple[int, int, int, int] | None:
    """Where the text lies on a photo without a page edge (x0, y0, x1, y1): the clusters of dense ink, with a
    margin; None when they fill much of the frame (a close-up, a scan) or there is no ink, or when what lies
    around them is as light as the paper under them (``background``, the photo's light): a sheet filling the
    frame, whose folio or signature far from the text is still the page's.

    A page far off on a grainy table whose edge was not found is a small patch of text in the frame; read
    whole, the frame cannot be enlarged enough for its letters (4000/far-019 of the benchmark: 100% CER, 3.2%
    cropped to its text). Ink is dense where text is and sparse where grain is, so the windows at least a
    tenth as dense as the densest make the clusters, and those holding a twentieth of their ink or more
    are text.
    """
    height, width = mask.shape
    k = max(3, int(TEXT_WINDOW * max(height, width)))
    density = cv2.boxFilter((mask > 0).astype(np.float32), -1, (k, k))
    top = float(density.max())
    if top <= 0:
        return None
    dense = (density >= TEXT_DENSITY * top).astype(np.uint8)
    count, labels, stats, _ = components(dense)
    if count <= 1:
        return None
    ink_per = np.bincount(labels.ravel(), weights=(mask > 0).ravel(), minlength=count)
    keep = [i for i in range(1, count) if ink_per[i] >= TEXT_PART * ink_per[1:].sum()]
    if not keep or sum(ink_per[i] for i in keep) < MIN_TEXT_INK:  # specks of dust on a blank sheet
        return None
    x = min(int(stats[i, 0]) for i in keep)
    y = min(int(stats[i, 1]) for i in keep)
    xe = max(int(stats[i, 0] + stats[i, 2]) for i in keep)
    ye = max(int(stats[i, 1] + stats[i, 3]) for i in keep)
    m = int(TEXT_MARGIN * max(height, width))
    x0, y0, x1, y1 = max(0, x - m), max(0, y - m), min(width, xe + m), min(height, ye + m)
    if (x1 - x0) * (y1 - y0) >= MAX_TEXT_SHARE * width * height:
        return None
    if background is not None and _light_around(background, (x0, y0, x1, y1)) > MAX_LIGHT_AROUND:
        return None
    return x0, y0, x1, y1


# Beyond a curled or torn page edge the crop holds table, which the contrast step turns into a solid black band;
# Tesseract reads a page beside one badly or not at all (a curled page: 50% character errors, 1.4% with the
# band cropped away). So the band is left out of the ink fit, being no ink, and made paper in the OCR image.
OFF_PAGE_DARK = 128  # grey level below which a pixel of the flattened page is ink or no paper
OFF_PAGE_SOLID = 5  # pixels: dark this wide every way is no letter stroke on the ink step's sample of a page
# Share of the page below which dark along the border is a rim of grain or a frayed edge, not a band of table:
# whitening such rims (0.3-1% of a page) changed readings both ways, by up to 3 points, at random.
OFF_PAGE_MIN_SHARE = 0.02


def off_page(grey: np.ndarray, colour: np.ndarray | None = None, paper: tuple[float, float, float] | None = None,
             text_box: tuple[int, int, int, int] | None = None) -> np.ndarray | None:
    """Where a flattened page, sampled as the ink step samples it (about 50,000 pixels), shows solid bands that
    reach its border (255) and are no paper, or None if they cover less than OFF_PAGE_MIN_SHARE of it.

    No paper is dark in ``grey``, or, given the page's ``colour`` sample before flattening and its ``paper``
    colour (BGR), a colour other than the paper's that meets the paper at an edge (``unlike_paper``), outside
    ``text_box`` (x0, y0, x1, y1), the box the letters span: a shadow over the text may shift the paper's colour
    too. Letters' strokes are a pixel or two wide at that scale, so an opening by OFF_PAGE_SOLID removes every
    letter and leaves the solid rest; of that, only what touches the border is taken, as table beyond the edge.
    """
    _, dark = cv2.threshold(grey, OFF_PAGE_DARK - 1, 255, cv2.THRESH_BINARY_INV)
    solid = _solid(dark)
    if colour is not None and colour.ndim == 3 and paper is not None:
        cv2.bitwise_or(solid, unlike_paper(colour, paper, text_box), dst=solid)
    least = OFF_PAGE_MIN_SHARE * solid.size
    if cv2.countNonZero(solid) < least:  # most pages: nothing solid at all, wherever it lies
        return None
    band = cv2.subtract(solid, off_the_edge(solid))  # what touches the border
    if cv2.countNonZero(band) < least:
        return None
    return cv2.dilate(band, np.ones((3, 3), np.uint8))  # and the blurred rim around it


def _solid(mask: np.ndarray) -> np.ndarray:
    """What of a mask of the ink step's sample is too wide every way for any letter's stroke."""
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((OFF_PAGE_SOLID, OFF_PAGE_SOLID), np.uint8))


# A table seen beyond a curled edge is not always dark: flattened, a pale one turns into mid-grey grain, which
# the contrast step makes a band of specks that Tesseract reads as a line of letters and signs (111000/phone-064,
# a light green table above a wavy top edge: a line of 45 characters of nonsense, 9.7% -> 1.9%). Its colour
# gives it away: on that page the chromaticity (each channel's share of the pixel's sum) of the paper lay within
# 0.01 of the paper colour's, the black letters' within 0.025 (opened away in any case), the table's 0.07 to
# 0.09 away. The paper's own colour is not the same all over: a lamp's glare burns the middle of a page white
# (the paper colour then, the brighter half's) and its edges keep their cream, 0.06 to 0.08 from white
# (108000/glare-060), as far as a table. But a tint fades across the page and a table meets the paper at an
# edge: OFF_PAGE_RING pixels beyond the table, the sample is the paper's colour again (median 0.005 to 0.015 on
# three pages with tables, 108000-111000), beyond the cream edge of the glared page still nearly as far (0.057).
# A burnt-out glare is white, on a yellowed page as far from its colour as a table: it is brighter than the
# paper, as a table seldom is.
OFF_PAGE_CHROMA = 0.06
OFF_PAGE_EDGE = 0.03  # the chromaticity's median distance from the paper's beyond a table, at most
OFF_PAGE_RING = 6  # pixels of the sample
OFF_PAGE_LIGHT = 40  # of 255, the channels' mean: a darker pixel's chromaticity is its noise's, and not judged


def unlike_paper(colour: np.ndarray, paper: tuple[float, float, float],
                 text_box: tuple[int, int, int, int] | None = None) -> np.ndarray:
    """Where a BGR sample, outside ``text_box``, is solidly of a colour unlike the ``paper``'s and no brighter,
    in parts that meet the paper at an edge (255): their chromaticity lies more than OFF_PAGE_CHROMA from the
    paper's, and OFF_PAGE_RING pixels beyond them it lies within OFF_PAGE_EDGE of it."""
    pixels = colour.astype(np.float32)
    channels = np.ones((1, 3), np.float32)  # summed across by cv2.transform: several times faster than numpy's sum
    total = cv2.transform(pixels, channels)
    paper_total = max(1.0, float(sum(paper)))
    away = pixels / np.maximum(total, 1.0)[..., None] - np.asarray(paper, np.float32) / paper_total
    distance = cv2.sqrt(cv2.transform(away * away, channels))
    judged = (total >= 3 * OFF_PAGE_LIGHT) & (total <= paper_total)
    unlike = ((distance > OFF_PAGE_CHROMA) & judged).astype(np.uint8) * 255
    if text_box is not None:
        x0, y0, x1, y1 = text_box
        unlike[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = 0
    solid = _solid(unlike)
    count, labels = cv2.connectedComponents(solid, connectivity=8)
    ring = np.ones((2 * OFF_PAGE_RING + 1, 2 * OFF_PAGE_RING + 1), np.uint8)
    for label in range(1, count):
        part = (labels == label).astype(np.uint8)
        beyond = (cv2.dilate(part, ring) > 0) & (unlike == 0)
        if beyond.any() and float(np.median(distance[beyond])) > OFF_PAGE_EDGE:
            solid[labels == label] = 0  # a tint fading into the paper's
    return solid
