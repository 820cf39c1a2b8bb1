"""The preprocessing pipeline: from an upright photo to the page image(s) Tesseract reads.

Every decision (page quad, quarter turns, skew, spread, letter height, dewarp) is taken on a small
analysis copy; the full-size photo is resampled once per page, straight into the final geometry, and
then only flattened and projected to grey. That keeps the whole pipeline a fraction of the OCR time.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from workbench.imaging import dewarp as dewarping
from workbench.imaging.components import off_the_edge
from workbench.imaging.deblur import Blur, deblur, ink_tiles, measure_blur, measure_defocus, refocus
from workbench.imaging.denoise import measure_noise, smooth
from workbench.imaging.geometry import (
    map_points,
    remap_grid,
    resize_long_side,
    rot90_matrix,
    rotate_matrix,
    rotated_size,
    scale_matrix,
    translate_matrix,
    warp,
)
from workbench.imaging.light import (
    MIN_PALE_SHARE,
    binarize,
    deepen_pale,
    estimate_background,
    fit_ink,
    flatten,
    ink_level_beside_dark,
    ink_mask,
    lift_glare,
    measure_glare,
    normalize_contrast,
    pale_share,
    paper_colour,
    paper_like,
    removal_region,
)
from workbench.imaging.load import Photo
from workbench.imaging.orientation import (
    Reader,
    check_upside_down,
    clearly_upright,
    tesseract_guess,
    tesseract_reader,
)
from workbench.imaging.pagedetect import find_page, find_text_box, inset, off_page
from workbench.imaging.skew import LineDirection, line_direction
from workbench.imaging.spread import find_gutter
from workbench.imaging.textsize import letter_height
from workbench.imaging.transform import Mesh, PageTransform
from workbench.page import Step

log = logging.getLogger(__name__)

# Called with a stage name and that stage's image, for `workbench preprocess --debug DIR`.
DebugHook = Callable[[str, np.ndarray], None]

# The line profile's strength below which it is noise, not lines: the page is left as it is.
LINE_STRENGTH = 1.8
# Degrees within which the two halves of a page must find about the same line direction, when the whole page
# finds none: a steep curl's halves sloped 12 degrees apart (one each way); noise that finds lines in a half
# now and then does so at unrelated angles.
HALVES_AGREE = 15.0
# Text lines found one by one as curves (see dewarp.find_lines) that show a page has lines when no straight
# profile across it does: a page curled one way at the top and flat at the bottom.
MIN_CURLED_LINES = 6
MAX_SIDE = 6000  # no page image longer than this, whatever the letter height says
# Within this band of page pixels per photo pixel the photo keeps its own resolution: the letters are near
# enough the target height, and the letter height itself is measured on the small copy only to a pixel (10 pt
# print scanned at 300 dpi measures 6 px there, and was enlarged 1.235 times up to 1.12: nine plans' clean
# scans read 0.631% -> 0.599% kept as they are, their 486 photos 1.827% -> 1.831%, within the noise).
NATIVE_BAND = (0.8, 1.3)
# Photo pixels: text smaller than this cannot be read, so such a measure is noise (the specks of a dark,
# faded page measured 5.3; the smallest text of far-off photos 8).
MIN_PHOTO_LETTER = 6.0
# Of a spread's width, how much of the gutter each page keeps beside its text: split at the middle, the
# fold's shadow and marks at a page's inner edge were read as a column of stray signs and numbers
# (2000/mixed-050 0.9% -> 3.3% once spots no longer hid the gutter; 0.2% so).
GUTTER_PAD = 0.02
# Analysis pixels (a page about 800 px long): the smoothing that lets faint letters stand out of a dark
# photo's grain when no lines are found otherwise (79000/mixed-049: faded typing in a dark photo, lines
# found at strength 1.2 as it was and 2.8 smoothed).
CALM_SIGMA = 1.0
# Analysis pixels: a page smaller than this on the small copy is far off in the photo, its letters a pixel or two
# there and its words run together into blobs that measure as letters (80000/far-018: 8 px "letters" on a page
# 273 px tall, its text read at the photo's scale, 8 px high, 6.2% CER); its letters are measured on the photo.
SMALL_PAGE = 400
INK_SAMPLE = 50_000  # pixels of the page the ink colours are fitted on: the fit takes at most 8000 of them
# Letter heights about the box the letters span, for the ink step (see light.MIN_BOXED_INK). The letters' mask is
# the page's before dewarping, and a curl moves its letters (on 109000/curl-036 by about 4 letter heights): the box
# is no exact outline, only where the text is rather than the table beside it.
LETTERS_BOX_PAD = 2.0


@dataclass(slots=True)
class PipelineOptions:
    enabled: bool = True
    detect_page: bool = True
    orientation: bool = True  # quarter turns from the line direction
    upside_down: bool = True  # 0 or 180: one small OCR read of a crop both ways up
    deskew: bool = True
    split_spreads: bool = True
    dewarp: bool = True
    flatten: bool = True
    glare: bool = True  # deepen the ink a lamp's reflection paled (with flatten)
    denoise: bool = True  # smooth the grain of a dark photo where it drowns faint letters
    deblur: bool = True  # undo motion blur (a shaking hand) and soft edges (defocus, carbon) when measured
    remove_colours: bool = True  # stamps, pencil: an ink of another colour than the text
    binarize: bool = False  # hand Tesseract the clean grey page unless asked
    letter_height: float = 26.0  # target median letter height of the page image: an x-height of about 20 px
    analysis_side: int = 1000  # long side of the analysis copy of the photo
    languages: str = "rus"  # for the upside-down read
    # A prepared page is one level column (a spread is split): read it as one column, so a table's rows
    # stay rows; psm 3 hunts for columns and reads a table column after column.
    psm: int = 4
    reader: Reader | None = None  # replaces Tesseract in the upside-down read, and turns its osd guess off (tests)


@dataclass(slots=True)
class PreparedPage:
    image: np.ndarray  # what the OCR engine reads: grey or binary uint8
    display: np.ndarray  # what the editor shows, same geometry as ``image``
    to_photo: PageTransform  # page pixel -> upright photo pixel
    part: int = 0  # 0 = the whole photo; 1 and 2 = left and right page of a spread
    steps: list[Step] = field(default_factory=list)
    psm: int | None = None  # Tesseract page segmentation for this page; None = the engine's own


class _Recorder:
    """Times steps and hands stage images to the debug hook."""

    def __init__(self, debug: DebugHook | None) -> None:
        self.debug = debug

    @contextmanager
    def step(self, steps: list[Step], name: str) -> Iterator[Step]:
        record = Step(name, {}, 0.0)
        start = time.perf_counter()
        try:
            yield record
        finally:
            record.seconds = time.perf_counter() - start
            steps.append(record)

    def show(self, name: str, image: np.ndarray | Callable[[], np.ndarray]) -> None:
        if self.debug is not None:
            self.debug(name, image() if callable(image) else image)


def debug_writer(directory: Path, stem: str) -> DebugHook:
    """A debug hook writing ``STEM.NN-STAGE.png`` into ``directory``, numbered in stage order."""
    directory.mkdir(parents=True, exist_ok=True)
    counter = iter(range(100))

    def write(name: str, image: np.ndarray) -> None:
        path = directory / f"{stem}.{next(counter):02d}-{name}.png"
        cv2.imwrite(str(path), image)
        log.debug("wrote %s", path)

    return write


def _grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


def _render(photo: np.ndarray, to_photo: np.ndarray, size: tuple[int, int],
            pyramid: dict[int, np.ndarray]) -> np.ndarray:
    """Resample the photo into a page of ``size``, from a halved copy when the page is much smaller."""
    centre = np.array([[size[0] / 2, size[1] / 2], [size[0] / 2 + 1, size[1] / 2],
                       [size[0] / 2, size[1] / 2 + 1]])
    p = map_points(to_photo, centre)
    step = max(np.linalg.norm(p[1] - p[0]), np.linalg.norm(p[2] - p[0]))
    level = 0
    while step / 2 ** level > 1.8 and level < 4:
        level += 1
    source = photo
    for lv in range(1, level + 1):
        if lv not in pyramid:
            pyramid[lv] = cv2.pyrDown(pyramid.get(lv - 1, photo))
        source = pyramid[lv]
    matrix = scale_matrix(2 ** level) @ to_photo if level else to_photo
    return warp(source, matrix, size, border=-1)


def _mesh_map(to_photo: np.ndarray, field_: dewarping.Dewarp, size: tuple[int, int]) -> Mesh:
    gx, gy = np.meshgrid(field_.xs, field_.ys)
    pts = np.stack([gx.ravel(), (gy + field_.dy).ravel()], axis=1)
    photo = map_points(to_photo, pts)
    return Mesh(xs=field_.xs.copy(), ys=field_.ys.copy(), photo_x=photo[:, 0].reshape(gx.shape),
                photo_y=photo[:, 1].reshape(gx.shape))


def _remap(photo: np.ndarray, mesh: Mesh, size: tuple[int, int]) -> np.ndarray:
    """The page along the mesh: its grid is regular from 0 with a constant step, interpolated as ``Mesh.apply`` does."""
    return remap_grid(photo, mesh.photo_x, mesh.photo_y, float(mesh.xs[1] - mesh.xs[0]), size)


def _regular_grid(field_: dewarping.Dewarp, width: int, height: int, step: int) -> dewarping.Dewarp:
    """Resample a displacement field onto a grid from 0 with a whole-pixel step covering the page."""
    xs = np.arange(0, width + step, step, dtype=float)
    ys = np.arange(0, height + step, step, dtype=float)
    dy = np.empty((len(ys), len(xs)))
    inner = np.empty((len(field_.ys), len(xs)))
    for j in range(len(field_.ys)):
        inner[j] = np.interp(xs, field_.xs, field_.dy[j])
    for i in range(len(xs)):
        dy[:, i] = np.interp(ys, field_.ys, inner[:, i])
    return dewarping.Dewarp(xs=xs, ys=ys, dy=dy, lines=field_.lines)


def _fit_homography(mesh: Mesh) -> np.ndarray:
    gx, gy = np.meshgrid(mesh.xs, mesh.ys)
    src = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
    dst = np.stack([mesh.photo_x.ravel(), mesh.photo_y.ravel()], axis=1).astype(np.float32)
    matrix, _ = cv2.findHomography(src, dst, 0)
    return matrix if matrix is not None else np.eye(3)


def prepare(photo: Photo, options: PipelineOptions | None = None, *,
            debug: DebugHook | None = None) -> list[PreparedPage]:
    """The page image(s) of a photo: one page, or the left and right page of a spread."""
    options = options or PipelineOptions()
    rec = _Recorder(debug)
    shared: list[Step] = [Step("exif", {"orientation": photo.exif_orientation,
                                        "stored_size": [photo.stored_width, photo.stored_height]}, 0.0)]
    pixels = photo.pixels
    rec.show("photo", pixels)
    if not options.enabled:
        with rec.step(shared, "grey"):
            grey = _grey(pixels)
        return [PreparedPage(image=grey, display=grey, to_photo=PageTransform(), steps=shared)]

    with rec.step(shared, "analysis-copy") as step:
        small, factor = resize_long_side(pixels, options.analysis_side)
        step.params = {"scale": round(factor, 4)}
    small_to_photo = scale_matrix(factor)

    with rec.step(shared, "page") as step:
        quad = find_page(small) if options.detect_page else None
        if quad is not None:
            corners = inset(quad.corners, 0.01)
            page_w, page_h = (max(8, int(round(v))) for v in quad.size)
            rect = np.array([[0, 0], [page_w - 1, 0], [page_w - 1, page_h - 1], [0, page_h - 1]], np.float32)
            page_to_small = cv2.getPerspectiveTransform(rect, corners.astype(np.float32)).astype(float)
            step.params = {"found": True, "method": quad.method, "area_share": round(quad.area_share, 3),
                           "corners": np.round(map_points(small_to_photo, corners), 1).tolist()}
        else:
            page_h, page_w = small.shape[:2]
            page_to_small = np.eye(3)
            step.params = {"found": False, "fallback": "whole frame"}
        page_small = warp(small, page_to_small, (page_w, page_h), border=-1) if quad is not None else small
        page_grey = _grey(page_small)
        if options.flatten:
            background = estimate_background(page_grey)
            page_grey = normalize_contrast(cv2.divide(page_grey, background, scale=255))
        page_mask = ink_mask(page_grey)
        table = None
        box = None
        if quad is None and options.flatten:
            table = np.where(paper_like(background), 0, 255).astype(np.uint8)
            page_mask[table > 0] = 0  # the table's grain, flattened, is no text
            box = find_text_box(page_mask, background)  # no page edge: read where the text is, so a far page
            if box is not None:  # gets the pixels it needs
                x0, y0, x1, y1 = box
                page_to_small = translate_matrix(x0, y0)
                page_w, page_h = x1 - x0, y1 - y0
                page_grey, page_mask, table = (a[y0:y1, x0:x1] for a in (page_grey, page_mask, table))
                corners = np.array([[x0, y0], [x1, y1]], float)
                step.params = {"found": False, "fallback": "text",
                               "box": np.round(map_points(small_to_photo, corners), 1).ravel().tolist()}
    if debug is not None:
        def _quad_view() -> np.ndarray:
            view = small.copy()
            if quad is not None:
                cv2.polylines(view, [quad.corners.astype(np.int32)], True, (0, 0, 255), 3)
            elif box is not None:
                cv2.rectangle(view, box[:2], box[2:], (0, 160, 255), 3)
            return view
        rec.show("page", _quad_view)

    with rec.step(shared, "orientation") as step:
        turns, skew, has_lines = 0, 0.0, True
        ink_level = None  # the ink threshold, when Otsu's was set by a dark band and not by the text
        calmed = False  # the analysis copy smoothed to find the lines in its grain
        if options.orientation or options.deskew:
            search = 90.0 if options.orientation else 15.0
            off_table = None if table is None else table > 0
            # The text alone first: a faded page's dark edges run along the crop and can outweigh it.
            direction = line_direction(off_the_edge(page_mask), search=search)
            # the level among the rest, when dark that is no letters (a band of table or shadow, the table beyond
            # a curled edge) took Otsu's dark class and the letters fell to paper
            beside = ink_level_beside_dark(page_grey) if direction.strength < LINE_STRENGTH else None
            beside_mask = _text_mask(page_grey, beside, off_table) if beside is not None else None
            if beside_mask is not None:
                # The text alone again at that level, before the mask with the edges, whose dark bands would give
                # their own slope (80000/curl-037: 7.5 degrees from the bands, -5.8 from the text).
                again = line_direction(off_the_edge(beside_mask), search=search)
                if again.strength >= LINE_STRENGTH:
                    direction, ink_level = again, beside
            if direction.strength < LINE_STRENGTH:
                direction = line_direction(page_mask, search=search)
            # A retry after the page's own box: a page with no edge found, its faint text beside a dark band,
            # is still boxed by the first mask.
            if direction.strength < LINE_STRENGTH and beside_mask is not None:
                again = line_direction(beside_mask, search=search)
                if again.strength >= LINE_STRENGTH:
                    direction, ink_level = again, beside
            if direction.strength < LINE_STRENGTH:
                # A curled page's lines bend too much to line up across it, but less so across half of it.
                for halves in _halves(page_mask):  # ink_level is None here: the dark-band retries found no lines
                    both = _agreeing(*(line_direction(m, search=search, extent_weighted=True) for m in halves))
                    if both is not None:
                        direction = both
                        break
            if direction.strength < LINE_STRENGTH and options.orientation:
                # A curl that bends each line its own way defeats every straight profile; the lines are still
                # there, one by one, if the page lies as it is (a page on its side shows none this way).
                direction = _curled_lines(page_mask) or direction
            if direction.strength < LINE_STRENGTH and ink_level is None:
                # Faint letters in a dark photo's grain, which flattening amplified: thresholded, the grain's
                # specks outnumber the strokes, but letters are wider than a grain and outlast a smoothing.
                # Found so, the smoothed copy serves the whole photo's analysis: the letters' height, the gutter,
                # and the margins that tell an upright page (on the grainy copy they told none, and the reading
                # check turned 79000/mixed-049 upside down).
                calm = cv2.GaussianBlur(page_grey, (0, 0), CALM_SIGMA)
                again = line_direction(off_the_edge(_text_mask(calm, None, off_table)), search=search)
                if again.strength >= LINE_STRENGTH:
                    direction, page_grey, calmed = again, calm, True
            has_lines = direction.strength >= LINE_STRENGTH
            if has_lines:
                turns = direction.quarter_turns if options.orientation else 0
                skew = direction.residual if options.orientation else direction.angle
            step.params = {"line_angle": round(direction.angle, 2), "strength": round(direction.strength, 2),
                           "quarter_turns": turns, "ink_level": ink_level, **({"calmed": True} if calmed else {})}
        turned_w, turned_h = rotated_size(turns, page_w, page_h)
        turn = rot90_matrix(turns, page_w, page_h)
    with rec.step(shared, "deskew") as step:
        if not options.deskew:
            skew = 0.0
        rotation, level_w, level_h = rotate_matrix(-skew, turned_w, turned_h)
        level_to_page = turn @ rotation
        level_grey = warp(page_grey, level_to_page, (level_w, level_h))
        level_table = warp(table, level_to_page, (level_w, level_h), border=0) > 127 if table is not None else None
        level_mask = _text_mask(level_grey, ink_level, level_table)
        step.params = {"degrees": round(skew, 2)}
    rec.show("deskew", level_grey)

    with rec.step(shared, "spread") as step:
        gutter = find_gutter(level_mask) if options.split_spreads else None
        if gutter is None and options.split_spreads and ink_level is None and level_w >= level_h:
            # a fold's shadow may take Otsu's dark class on a wide faint page, and its letters fall to paper
            if (fold_level := ink_level_beside_dark(level_grey)) is not None:
                gutter = find_gutter(_text_mask(level_grey, fold_level, level_table))
        if gutter is None:
            parts = [(0, 0, level_w)]
            step.params = {"spread": False}
        else:
            # each page keeps a little of the gutter beside its text, not the fold's shadow and spots in it
            pad = int(GUTTER_PAD * level_w)
            parts = [(1, 0, min(gutter.x, gutter.start + pad)), (2, max(gutter.x, gutter.end - pad), level_w)]
            step.params = {"spread": True, "gutter_x": round(gutter.x / level_w, 3), "gap": gutter.gap,
                           "pages_x": [[round(x0 / level_w, 3), round(x1 / level_w, 3)] for _, x0, x1 in parts]}
    if debug is not None and gutter is not None:
        view = cv2.cvtColor(level_grey, cv2.COLOR_GRAY2BGR)
        for x in (parts[0][2], parts[1][1]):  # where each page ends at the gutter
            cv2.line(view, (x, 0), (x, level_h), (0, 0, 255), 2)
        rec.show("spread", view)

    level_to_photo = small_to_photo @ page_to_small @ level_to_page
    pyramid: dict[int, np.ndarray] = {}
    shake: list[tuple[float, Blur]] = []  # a spread's first page's scale to the photo and the smear found on it
    pages = [
        _prepare_part(pixels, level_grey, level_mask, options=options, rec=rec, part=part, x0=x0, x1=x1,
                      level_to_photo=level_to_photo, shared=shared, pyramid=pyramid, photo_scale=factor,
                      has_lines=has_lines, ink_level=ink_level, shake=shake)
        for part, x0, x1 in parts
    ]
    if options.upside_down:
        start = time.perf_counter()
        upright = clearly_upright(level_grey[:, parts[0][1]:parts[0][2]])  # a margin shows on the small copy
        record = Step("margins", {"upright": upright}, time.perf_counter() - start)
        for page in pages:
            page.steps.append(record)
        if not upright:
            pages = _settle_upside_down(pages, options, rec)
    return pages


def _letters_box(mask: np.ndarray, letter: float, shape: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """The box (x0, y0, x1, y1) that a part's letters (``mask``, ``letter`` its letters' height in its pixels)
    span, from the 1st to the 99th percentile of their pixels each way (a speck far off is no text), padded by
    LETTERS_BOX_PAD letter heights, in the pixels of an image of the part of ``shape`` (height, width)."""
    columns = cv2.reduce(mask, 0, cv2.REDUCE_SUM, dtype=cv2.CV_32F).ravel()  # the letters' pixels per column
    rows = cv2.reduce(mask, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32F).ravel()
    if not columns.any():
        return None

    def spanned(counts: np.ndarray) -> tuple[float, float]:  # the 1st and 99th percentile of the pixels' places
        share = np.cumsum(counts) / float(counts.sum())
        return float(np.searchsorted(share, 0.01)), float(np.searchsorted(share, 0.99))

    (x0, x1), (y0, y1) = spanned(columns), spanned(rows)
    pad = LETTERS_BOX_PAD * letter
    sy, sx = shape[0] / mask.shape[0], shape[1] / mask.shape[1]
    return (int((x0 - pad) * sx), int((y0 - pad) * sy), int(math.ceil((x1 + 1 + pad) * sx)),
            int(math.ceil((y1 + 1 + pad) * sy)))


def _text_mask(grey: np.ndarray, level: float | None, table: np.ndarray | None) -> np.ndarray:
    """The letters' mask of a page at ``level`` (Otsu's when None), with the table beside the page (a boolean
    mask) cleared."""
    mask = ink_mask(grey, level)
    if table is not None:
        mask[table] = 0
    return mask


def _curled_lines(mask: np.ndarray) -> LineDirection | None:
    """The direction of a page's text lines found one by one as curves, when at least MIN_CURLED_LINES are:
    the median tilt of their chords, given the least strength that counts as lines."""
    letter = letter_height(mask)
    if letter is None:
        return None
    lines = dewarping.find_lines(mask, letter)
    if len(lines) < MIN_CURLED_LINES:
        return None
    tilts = [np.degrees(np.arctan2(np.polyval(line.coeffs, line.x0) - np.polyval(line.coeffs, line.x1),
                                   line.x1 - line.x0)) for line in lines]
    return LineDirection(angle=float(np.median(tilts)), strength=LINE_STRENGTH)


def _halves(mask: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Left and right half of a mask, then top and bottom half: for an upright page first, then one on its side."""
    height, width = mask.shape
    splits = [(mask[:, : width // 2], mask[:, width // 2:]), (mask[: height // 2], mask[height // 2:])]
    yield from (splits if height >= width else splits[::-1])


def _agreeing(first: LineDirection, second: LineDirection) -> LineDirection | None:
    """One direction for the two halves of a page, if both find lines and they run alike; their mean angle."""
    if min(first.strength, second.strength) < LINE_STRENGTH:
        return None
    apart = (second.angle - first.angle + 90.0) % 180.0 - 90.0  # lines at 89 and -89 degrees run alike
    if abs(apart) > HALVES_AGREE:
        return None
    angle = (first.angle + apart / 2 + 90.0) % 180.0 - 90.0
    return LineDirection(angle=angle, strength=min(first.strength, second.strength))


def _prepare_part(pixels: np.ndarray, level_grey: np.ndarray, level_mask: np.ndarray, *, options: PipelineOptions,
                  rec: _Recorder, part: int, x0: int, x1: int, level_to_photo: np.ndarray, shared: list[Step],
                  pyramid: dict[int, np.ndarray], photo_scale: float, has_lines: bool = True,
                  ink_level: float | None = None, shake: list[tuple[float, Blur]] | None = None) -> PreparedPage:
    steps = list(shared)
    tag = f"p{part}-" if part else ""
    crop = level_grey[:, x0:x1]
    height, width = crop.shape
    crop_to_level = translate_matrix(x0, 0)

    with rec.step(steps, "fine-deskew") as step:
        fine = 0.0
        if options.deskew and part:
            direction = line_direction(ink_mask(crop, ink_level), search=4.0, coarse=0.5)
            fine = direction.angle if direction.strength >= 1.3 else 0.0
        rotation, part_w, part_h = rotate_matrix(-fine, width, height)
        part_to_level = crop_to_level @ rotation
        part_grey = warp(level_grey, part_to_level, (part_w, part_h)) if fine or part else crop
        step.params = {"degrees": round(fine, 2)}

    with rec.step(steps, "scale") as step:
        part_to_photo = level_to_photo @ part_to_level
        mask = (level_mask if part_grey is crop and x0 == 0 and x1 == level_grey.shape[1]
                else ink_mask(part_grey, ink_level))
        letter = letter_height(mask)
        analysis = 1.0  # pixels of the analysis image per part pixel
        small_page = max(part_w, part_h) < SMALL_PAGE
        if has_lines and (letter is None or letter < 6 or small_page) and photo_scale < 1.0:
            # too small to measure or to fit lines: look again at up to the photo's own resolution (a far page's
            # whole, cheaply: its lines' letters run together on the small copy into blobs as tall as letters)
            analysis = 1 / photo_scale if small_page else min(1 / photo_scale, 9.0 / (letter or 3.0))
            size = (int(part_w * analysis), int(part_h * analysis))
            part_grey = normalize_contrast(flatten(_grey(_render(pixels, part_to_photo @ scale_matrix(analysis),
                                                                 size, pyramid))))
            # the dark beyond a page's edge, as sharp as the photo now, may take Otsu's dark class and leave the
            # letters broken into pieces, though the analysis copy's own Otsu level was the text's (78000/far-019:
            # at Otsu's level too small to be letters, the page kept the photo's scale; at the level among the
            # rest 9 px in the photo, enlarged 2.5 times)
            level = ink_level if ink_level is not None else ink_level_beside_dark(part_grey)
            mask = ink_mask(part_grey, level)
            refined = letter_height(mask)
            letter = refined / analysis if refined else letter
        if letter is not None and (not has_lines or letter / photo_scale < MIN_PHOTO_LETTER):
            letter = None  # specks of noise on a dark or faded page, not letters: keep the photo's scale
        if letter is None:
            zoom = 1 / photo_scale
        else:
            zoom = options.letter_height / letter
        if NATIVE_BAND[0] <= zoom * photo_scale <= NATIVE_BAND[1]:
            zoom = 1 / photo_scale  # resampling a sharp scan this little only blurs it
        zoom = min(zoom, MAX_SIDE / max(part_w, part_h), 2.5 / photo_scale)
        scale_to_photo = zoom * photo_scale  # page pixels per photo pixel
        step.params = {"letter_height": round(letter, 2) if letter else None, "zoom": round(zoom, 3),
                       "photo_scale": round(scale_to_photo, 3)}
    out_w, out_h = max(16, int(round(part_w * zoom))), max(16, int(round(part_h * zoom)))
    final_to_photo = part_to_photo @ scale_matrix(zoom)

    with rec.step(steps, "dewarp") as step:
        field_ = None
        if options.dewarp and letter is not None:
            field_ = dewarping.fit_dewarp(mask, letter * analysis)
        mesh = None
        if field_ is not None:
            field_ = _regular_grid(field_.scaled(zoom / analysis), out_w, out_h, step=24)
            mesh = _mesh_map(final_to_photo, field_, (out_w, out_h))
        step.params = {"applied": mesh is not None,
                       "lines": len(field_.lines) if field_ is not None else 0,
                       "max_shift_px": round(field_.max_shift, 1) if field_ is not None else 0.0}
    if debug_lines := (rec.debug is not None and letter is not None):
        lines = dewarping.find_lines(mask, letter * analysis) if debug_lines else []
        rec.show(f"{tag}dewarp-lines", dewarping.draw_lines(part_grey, field_, lines))

    with rec.step(steps, "warp") as step:
        if mesh is not None:
            level = 0
            source = pixels
            if scale_to_photo < 0.55:
                level = 1
                pyramid.setdefault(1, cv2.pyrDown(pixels))
                source = pyramid[1]
                mesh_src = Mesh(mesh.xs, mesh.ys, mesh.photo_x / 2, mesh.photo_y / 2)
            else:
                mesh_src = mesh
            colour = _remap(source, mesh_src, (out_w, out_h))
            transform = PageTransform(_fit_homography(mesh), mesh)
            step.params = {"size": [out_w, out_h], "mesh": True, "pyramid": level}
        else:
            colour = _render(pixels, final_to_photo, (out_w, out_h), pyramid)
            transform = PageTransform(final_to_photo)
            step.params = {"size": [out_w, out_h], "mesh": False}
    rec.show(f"{tag}warp", colour)

    with rec.step(steps, "off-page") as step:
        stride = max(1, int(np.sqrt(colour.shape[0] * colour.shape[1] / INK_SAMPLE)))
        sample = colour[::stride, ::stride]
        flat_sample = flatten(sample) if options.flatten else sample.copy()
        paper = paper_colour(sample)
        box = _letters_box(mask, letter * analysis, flat_sample.shape[:2]) if letter is not None else None
        # table beyond a curled edge (see off_page): no ink to fit, and paper in the OCR image below
        beyond = off_page(_grey(flat_sample), sample, paper, box) if options.detect_page else None
        if beyond is not None:
            flat_sample[beyond > 0] = 255
        step.params = {"share": round(cv2.countNonZero(beyond) / beyond.size, 3) if beyond is not None else 0.0}

    with rec.step(steps, "ink") as step:
        model = fit_ink(flat_sample, remove_colours=options.remove_colours, paper=paper, has_text=letter is not None,
                        letters_box=box)
        # a second ink is removed where it lies (on a flattened page: the blend takes paper for white); one that
        # lies all over the page over the whole page, if its colour is far enough from the text's; else none
        found = removal_region(flat_sample, model) if model.removed_colour is not None and options.flatten else None
        region = found.mask if found is not None else None
        removed = None
        fitted = model.params()  # what was found: kept in the record if the second ink is left
        if model.removed_colour is not None:
            if region is not None:
                removed = "where it lies"
            elif model.everywhere and (found is None or found.where == "all over"):
                removed = "everywhere"
            else:  # left, it is part of the page's one ink, as if the two had never been told apart
                model = fit_ink(flat_sample, remove_colours=False, paper=paper, has_text=letter is not None)
                removed = "not removed"
        projected = model.project(colour)
        step.params = {**model.params(), "removed": removed, "second_ink": found.where if found is not None else None,
                       "region_share": round(cv2.countNonZero(region) / region.size, 3) if region is not None else None}
        if removed == "not removed":  # what was found and left, for the record
            step.params.update({key: fitted[key] for key in ("removed_colour", "removed_share", "removed_angle")})
    rec.show(f"{tag}ink", projected)

    with rec.step(steps, "flatten") as step:
        light = estimate_background(projected) if options.flatten else None
        flat = flatten(projected, light=light) if light is not None else projected
        if region is not None:
            plain = model.plain()
            flat = model.blend(flat, flatten(plain.project(colour)), plain, region)
        step.params = {"enabled": options.flatten}
    rec.show(f"{tag}flatten", flat)

    with rec.step(steps, "glare") as step:
        white = model.white() if colour.ndim == 3 else 255.0  # a grey photo is its own projection
        glare = measure_glare(flat, light, white) if options.flatten and options.glare else None
        if glare is not None and glare.found:
            flat = lift_glare(flat, glare)
        step.params = glare.params() if glare is not None else {"enabled": False}
    if glare is not None and glare.found:
        rec.show(f"{tag}glare", flat)

    with rec.step(steps, "denoise") as step:
        noise = measure_noise(flat) if options.denoise else None
        if smoothed := noise is not None and noise.found:
            flat = smooth(flat)
        step.params = noise.params() if noise is not None else {"enabled": False}
    if smoothed:
        rec.show(f"{tag}denoise", flat)

    with rec.step(steps, "deblur") as step:
        same_photo = shake[0][1].scaled(scale_to_photo / shake[0][0]) if shake else None
        measured_on = flat  # its ink tiles serve the softness too, if it stays as it is
        measured = ink_tiles(flat) if options.deblur else None
        blur = measure_blur(flat, same_photo=same_photo, measured=measured) if options.deblur else None
        coarse = False
        if blur is not None and blur.found:
            flat = deblur(flat, blur, to_photo=transform.apply)
            if shake is not None and not shake:
                shake.append((scale_to_photo, blur))
        # coarse grain is smoothed once no smear is found (smoothing first would have hidden one), or at once
        # when deblurring is off and none is looked for
        elif coarse := noise is not None and not smoothed and noise.coarse_found:
            flat = smooth(flat)
        # what a smear undone leaves soft; a page without letters has no text edges to measure
        defocus = (measure_defocus(flat, measured=measured if flat is measured_on else None)
                   if options.deblur and letter is not None else None)
        if defocus is not None and defocus.found:
            flat = refocus(flat, defocus)
        # undoing a smear sharpens the grain with the letters: where it now drowns them, it is smoothed after
        after = (measure_noise(flat) if options.denoise and not smoothed and blur is not None and blur.found
                 else None)
        if after is not None and after.found:
            flat = smooth(flat)
        step.params = {**(blur.params() if blur is not None else {"enabled": False}),
                       **(defocus.params() if defocus is not None else {}),
                       **({"clarity_after": round(after.clarity, 1), "smoothed_after": after.found}
                          if after is not None else {}),
                       **({"smoothed_coarse": True} if coarse else {})}
    if (blur is not None and blur.found) or (defocus is not None and defocus.found) or coarse:
        rec.show(f"{tag}deblur", flat)

    with rec.step(steps, "contrast") as step:
        grey = model.tone(flat)
        if beyond is not None:  # paper for Tesseract; the display, another image, keeps the table
            cv2.bitwise_or(grey, cv2.resize(beyond, grey.shape[::-1], interpolation=cv2.INTER_NEAREST), dst=grey)
        step.params = {"gain": round(model.gain, 2), "floor": round(model.floor, 1)}
        # pale words of an unevenly faded page darkened, on a sharp page only (see light.MIN_PALE_SHARE)
        sharp = (blur is not None and not blur.found and defocus is not None and not defocus.found
                 and not smoothed and not coarse)
        if sharp and letter is not None:
            pale = pale_share(grey, letter * zoom)
            if deepened := pale >= MIN_PALE_SHARE:
                grey = deepen_pale(grey, letter * zoom)
            step.params.update({"pale": round(pale, 3), "deepened": deepened})
    rec.show(f"{tag}contrast", grey)

    if options.binarize:
        with rec.step(steps, "binarize") as step:
            grey = binarize(grey)
            step.params = {"method": "otsu"}
        rec.show(f"{tag}binarize", grey)
    return PreparedPage(image=grey, display=colour, to_photo=transform, part=part, steps=steps, psm=options.psm)


def _settle_upside_down(pages: list[PreparedPage], options: PipelineOptions, rec: _Recorder) -> list[PreparedPage]:
    """Turn all pages by 180 degrees if the first reads better that way; a spread's parts swap."""
    start = time.perf_counter()
    reader = options.reader or tesseract_reader(options.languages)
    # a reader given in place of Tesseract (tests) stands for Tesseract's orientation detection too: none
    guess = None if options.reader else tesseract_guess()
    verdict = check_upside_down(pages[0].image, reader, guess=guess)
    record = Step("upside-down", {"flipped": verdict.flipped, "x_height": round(verdict.x_height, 1),
                                  "upright_confidence": round(verdict.upright_confidence, 1),
                                  "flipped_confidence": round(verdict.flipped_confidence, 1),
                                  "letters": [verdict.upright_letters, verdict.flipped_letters], "by": verdict.by},
                  time.perf_counter() - start)
    for page in pages:
        page.steps.append(record)
    if not verdict.flipped:
        return pages
    turned: list[PreparedPage] = []
    for page in pages:
        height, width = page.image.shape[:2]
        half = rot90_matrix(2, width, height)
        mesh = page.to_photo.mesh
        transform = PageTransform(page.to_photo.matrix @ half,
                                  mesh.turned_half(width, height) if mesh is not None else None)
        turned.append(PreparedPage(image=cv2.rotate(page.image, cv2.ROTATE_180),
                                   display=cv2.rotate(page.display, cv2.ROTATE_180), to_photo=transform,
                                   part=page.part, steps=page.steps, psm=page.psm))
    if len(turned) == 2:
        turned = [turned[1], turned[0]]
        turned[0].part, turned[1].part = 1, 2
    rec.show("upside-down", turned[0].image)
    return turned
