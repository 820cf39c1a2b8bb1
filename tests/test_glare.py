"""Glare: a lamp's reflection adds light over paper and ink alike; the ink under it is deepened again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.test_denoise import _error
from tests.test_imaging import TEXT, render
from workbench.imaging.light import InkModel, lift_glare, measure_glare
from workbench.imaging.load import load_photo
from workbench.imaging.pipeline import PipelineOptions, prepare


def photographed(*, glare: float = 0.0, faded: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A flattened page of typescript on grainy paper, and where it was changed: the lower half under a lamp's
    reflection of ``glare`` times the paper's light, or its typing ``faded`` by that share there."""
    ink = (255 - render(TEXT * 3).astype(np.float32)) / 255  # 18 lines of typing
    height, width = ink.shape
    ys = np.arange(height, dtype=np.float32)[:, None] / height
    below = np.clip((ys - 0.4) / 0.2, 0, 1) * np.ones((1, width), np.float32)  # the lower half, a soft edge
    rng = np.random.default_rng(seed)
    texture = 1 + rng.normal(0, 0.03, ink.shape)  # the paper's own grain
    reflectance = (1 - 0.85 * ink * (1 - faded * below)) * texture  # paper 1, ink 0.15
    light, added = 200.0, glare * 200.0 * below
    seen = light * reflectance + added
    flat = np.clip(seen / (light + added) * 255, 0, 255).astype(np.uint8)  # flattened: paper 255 everywhere
    return flat, below > 0.99


def _depth(flat: np.ndarray, where: np.ndarray) -> float:
    """How far below the paper the darkest ink goes in a part of the page."""
    return float(np.percentile(255 - flat[where], 99.5))


def test_ink_paled_by_glare_is_deepened_as_far_as_the_light_added() -> None:
    flat, under = photographed(glare=1.5)
    clear = ~under
    assert _depth(flat, under) < 0.5 * _depth(flat, clear)  # the letters under the lamp lost most of their depth
    glare = measure_glare(flat)
    assert glare.found and 2.0 < glare.peak <= 3.0  # light added 1.5 times over: 2.5 times paler
    lifted = lift_glare(flat, glare)
    assert _depth(lifted, under) == pytest.approx(_depth(flat, clear), rel=0.2)
    assert _depth(lifted, clear) == pytest.approx(_depth(flat, clear), rel=0.05)  # the rest left as it was
    assert np.median(lifted[under]) >= 250  # the paper stays paper


def test_ink_under_a_burnt_out_lamp_is_deepened_though_the_noise_there_is_grainy() -> None:
    """Where the reflection burns the photo out to its white, the sensor's noise (brightest where the light is)
    keeps a grain there that the paper's own does not: the light, not the grain, tells glare there."""
    flat, under = photographed(glare=1.5)
    rng = np.random.default_rng(1)
    noisy = flat.astype(np.float32)
    noisy[under] += rng.normal(0, 6, int(under.sum()))  # twice the paper's grain, and more
    flat = np.clip(noisy, 0, 255).astype(np.uint8)
    by_grain = lift_glare(flat, measure_glare(flat))
    assert _depth(by_grain, under) < 0.6 * _depth(flat, ~under)  # pale ink on grainy paper, as a faded page's
    light = np.full(flat.shape, 200, np.uint8)  # the page's light before flattening; white is 255
    light[int(0.4 * flat.shape[0]):] = 255  # the lamp lights more than half the page
    lifted = lift_glare(flat, measure_glare(flat, light, 255.0))
    assert _depth(lifted, under) == pytest.approx(_depth(flat, ~under), rel=0.2)
    # a lamp that burns out all but a strip of the page (its top eighth): the strip still tells it from a page
    # photographed bright all over
    most = np.full(flat.shape, 255, np.uint8)
    most[: flat.shape[0] // 8] = 200
    lifted = lift_glare(flat, measure_glare(flat, most, 255.0))
    assert _depth(lifted, under) == pytest.approx(_depth(flat, ~under), rel=0.2)
    # a page photographed as bright as white all over has no burnt-out part to tell apart
    assert np.array_equal(lift_glare(flat, measure_glare(flat, np.full_like(light, 250), 255.0)), by_grain)


def test_the_photos_white_is_where_the_projection_would_put_it_unclipped() -> None:
    """The projection puts the paper at 200; the photo's white lies above it by as much as the paper is darker
    than white, beyond the 255 the projected image clips at when the paper was photographed at 200 or darker."""
    for paper, white in ((230.0, 200 * 255 / 230), (160.0, 200 * 255 / 160)):
        model = InkModel(weights=(0.5, 0.6, 0.7), floor=0.0, gain=1.0, text_colour=(0.5, 0.6, 0.7),
                         paper=(paper, paper, paper))
        assert model.project(np.full((1, 1, 3), paper, np.uint8))[0, 0] == pytest.approx(200, abs=1)
        assert model.white() == pytest.approx(white, rel=1e-6)
        assert model.project(np.full((1, 1, 3), 255, np.uint8))[0, 0] == min(255, round(white))


def test_faded_typing_on_paper_as_grainy_as_the_rest_is_no_glare() -> None:
    flat, under = photographed(faded=0.6)
    assert _depth(flat, under) < 0.5 * _depth(flat, ~under)  # as pale as under the lamp above
    glare = measure_glare(flat)
    assert not glare.found
    assert lift_glare(flat, glare) is flat


def test_an_even_page_and_a_clean_scan_have_no_glare() -> None:
    even, _ = photographed()
    assert not measure_glare(even).found
    assert not measure_glare(render()).found  # no grain anywhere: nothing to tell glare from pale ink by
    assert not measure_glare(np.full((400, 300), 255, np.uint8)).found  # blank paper


@pytest.mark.ocr
def test_a_photo_with_a_lamp_reflected_on_its_text_is_read(tmp_path: Path) -> None:
    """The benchmark's 2000/glare-061: flattened only, the lines under the reflection read as fragments. Without
    the glare step the contrast step now darkens the pale letters under it as an unevenly faded page's, which
    gets part of the way (2.9% CER against 1.2% with it)."""
    from workbench.synthetic import load_text, write_sample

    files = write_sample(tmp_path, "photo", text=load_text("mandate"), font="FreeMono", seed=2061, size_pt=10.0,
                         damages=("perspective", "glare", "noise"), long_side=4000)
    image, truth = files.image, files.ground_truth.read_text(encoding="utf-8")
    errors = {}
    for glare in (True, False):
        page = prepare(load_photo(image), PipelineOptions(glare=glare, upside_down=False, languages="rus"))[0]
        params = next(s for s in page.steps if s.name == "glare").params
        assert params.get("found") is (True if glare else None)
        errors[glare] = _error([page], truth)
        contrast = next(s for s in page.steps if s.name == "contrast").params
        assert contrast["deepened"] is (not glare)  # with the glare lifted, no longer pale
    assert errors[True] < 0.04 and errors[True] < errors[False] - 0.01
