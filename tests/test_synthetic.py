"""The synthetic page generator: text kept, damages seeded, files readable by the loader."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from workbench.errors import BadInput, MissingDependency
from workbench.imaging.load import load_photo
from workbench.metrics import cer, normalize
from workbench.synthetic import (
    DAMAGES,
    RenderedPage,
    find_font,
    list_texts,
    load_text,
    photograph,
    render_page,
    split_pages,
    write_clean,
    write_sample,
)
from workbench.synthetic.samples import PLAN, sample_plan
from workbench.synthetic.samples import main as samples_main

REPO = Path(__file__).resolve().parents[1]
SHORT = "ПРОТОКОЛ № 3\nзаседания бюро ячейки\n\nСлушали: о ремонте клуба.\nПостановили: отложить до 1 мая.\n"


@pytest.fixture(scope="module")
def small_page() -> RenderedPage:
    """A tiny page: enough to see every damage act, fast enough to photograph many times."""
    return render_page(load_text("protocol_buro_14"), dpi=60, seed=1)


def test_texts_are_bundled_and_varied() -> None:
    names = list_texts()
    assert len(names) >= 8
    for name in names:
        assert 500 <= len(load_text(name)) <= 1300, name
    ukrainian = "".join(load_text(n) for n in names if n.startswith("ukr_"))
    assert set("іїєґ") <= set(ukrainian.lower())
    assert set("ѣъі") <= set(load_text("prereform_1919"))


@pytest.mark.parametrize("font", ["Liberation Mono", "PT Serif"])
def test_render_keeps_the_text(font: str) -> None:
    text = load_text("report_uono")
    page = render_page(text, font=font, dpi=100)
    assert not page.truncated
    assert normalize(page.text) == normalize(text)
    assert page.image.dtype == np.uint8 and page.image.ndim == 2
    assert [line.text for line in page.lines] == [t for t in page.text.splitlines() if t]
    h, w = page.image.shape
    assert all(0 <= ln.bbox.x0 < ln.bbox.x1 <= w and 0 <= ln.bbox.y0 < ln.bbox.y1 <= h for ln in page.lines)
    assert page.image.min() < 80 and np.median(page.image) == 255


def test_render_is_seeded() -> None:
    a = render_page(SHORT, dpi=100, seed=5).image
    assert np.array_equal(a, render_page(SHORT, dpi=100, seed=5).image)
    assert not np.array_equal(a, render_page(SHORT, dpi=100, seed=6).image)


def test_render_refuses_what_it_cannot_draw(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no glyph"):
        render_page(load_text("prereform_1919"), font="Liberation Mono")
    with pytest.raises(BadInput, match="unknown font"):
        render_page(SHORT, font="Underwood No. 5")
    with pytest.raises(MissingDependency, match="apt-get install fonts-paratype"):
        find_font("PT Mono", search_dirs=(tmp_path,))


def test_render_marks_a_text_that_overflows() -> None:
    page = render_page(load_text("svodka_1930"), dpi=100, page_mm=(210, 60))
    assert page.truncated
    assert 0 < len(page.text) < len(load_text("svodka_1930"))


@pytest.mark.ocr
@pytest.mark.parametrize("font", ["Liberation Mono", "PT Mono", "PT Serif"])
def test_tesseract_reads_a_clean_page(font: str) -> None:
    from workbench.ocr.tesseract import TesseractEngine

    text = "\n".join(load_text("protocol_buro_14").splitlines()[:10])
    page = render_page(text, font=font, page_mm=(210, 130), seed=2)
    result = TesseractEngine().recognize(page.image, languages="rus", timeout=60)
    assert cer(page.text, result.text) < 0.03


@pytest.mark.parametrize("damage", [d for d in DAMAGES if d != "spread"])
def test_each_damage_changes_the_photo_and_is_seeded(small_page: RenderedPage, damage: str) -> None:
    plain = photograph(small_page, seed=3, long_side=400)
    hurt = photograph(small_page, damages=[damage], seed=3, long_side=400)
    again = photograph(small_page, damages=[damage], seed=3, long_side=400)
    assert hurt.image.dtype == np.uint8 and hurt.image.shape[2] == 3
    assert max(hurt.image.shape[:2]) == 400
    assert np.array_equal(hurt.image, again.image)
    assert hurt.image.shape != plain.image.shape or not np.array_equal(hurt.image, plain.image)
    assert hurt.texts == [small_page.text]


def test_spread_has_two_pages_and_a_landscape_frame(small_page: RenderedPage) -> None:
    recto = render_page(load_text("mandate"), dpi=60, seed=2)
    photo = photograph([small_page, recto], damages=["spread"], seed=1, long_side=400)
    assert photo.image.shape[:2] == (300, 400)
    assert photo.texts == [small_page.text, recto.text]
    assert split_pages(photo.ground_truth) == photo.texts
    assert len(photo.page_corners) == 2
    assert photo.page_corners[0][:, 0].mean() < photo.page_corners[1][:, 0].mean()
    with pytest.raises(BadInput):
        photograph(small_page, damages=["spread"])


def test_a_phone_lifts_shadows_holds_down_light_and_rings_the_strokes() -> None:
    from workbench.synthetic.photo import _phone

    scene = np.full((1200, 1600, 3), 0.8, np.float32)  # the camera's radii scale with the frame: not too small
    scene[:, :800] = 0.15  # a shadow over the left half
    scene[600:606, 1000:1400] = 0.1  # a dark stroke in the light
    params: dict = {}
    seen = _phone(scene.copy(), np.random.default_rng(7), params)
    assert seen[100, 100].mean() > 0.15 * 1.2  # the shadow lifted
    light = seen[100, 1500].mean()
    assert light < 0.8  # the light held down
    assert seen[590:600, 1100:1300].mean(axis=(1, 2)).max() > light + 0.05  # a bright halo above the stroke
    assert set(params["phone"]) >= {"denoise", "tone_lift", "sharpen"}


def test_a_phone_lens_images_red_larger_than_blue_so_strokes_fringe_towards_the_corners() -> None:
    from workbench.synthetic.photo import _lens

    scene = np.full((1200, 1600, 3), 0.9, np.float32)
    scene[:, 1500:1506] = 0.1  # a dark upright stroke near the right edge, far from the centre
    scene[:, 797:803] = 0.1  # and one through the centre

    def stroke_x(channel: np.ndarray, x0: int, x1: int) -> float:  # where the stroke lies, along the middle row
        darkness = 1.0 - channel[600, x0:x1]
        return x0 + float((darkness * np.arange(x1 - x0)).sum() / darkness.sum())

    params: dict = {}
    seen = _lens(scene.copy(), np.random.default_rng(5), params)
    blue, red = seen[:, :, 0], seen[:, :, 2]
    assert stroke_x(red, 1470, 1540) - stroke_x(blue, 1470, 1540) > 0.3  # red imaged larger: further out
    assert abs(stroke_x(red, 770, 830) - stroke_x(blue, 770, 830)) < 0.05  # at the centre no fringe
    assert set(params["lens"]) == {"bow", "fringe"}


def test_damages_do_what_they_say(small_page: RenderedPage) -> None:
    plain = photograph(small_page, seed=4, long_side=400)
    assert photograph(small_page, damages=["dark"], seed=4, long_side=400).image.mean() < 0.7 * plain.image.mean()

    turned = photograph(small_page, damages=["rot90"], seed=4, long_side=400)
    assert turned.quarter_turns in (1, 2, 3)
    assert np.array_equal(np.rot90(turned.image, -turned.quarter_turns), plain.image)

    def page_area(corners: np.ndarray) -> float:
        return float(cv2.contourArea(corners.astype(np.float32)))

    frame = 300 * 400
    assert page_area(photograph(small_page, damages=["far"], seed=4, long_side=400).page_corners[0]) < 0.3 * frame
    close = photograph(small_page, damages=["closeup"], seed=4, long_side=400)
    for x, y in [(0, 0), (299, 0), (299, 399), (0, 399)]:
        assert cv2.pointPolygonTest(close.page_corners[0].reshape(-1, 1, 2), (x, y), False) > 0
    with pytest.raises(BadInput, match="unknown damage"):
        photograph(small_page, damages=["coffee"])


def test_exif_orientation_and_capture_time_round_trip(tmp_path: Path) -> None:
    when = datetime(1991, 8, 19, 6, 30, 5)
    files = write_sample(tmp_path, "leaf", text=SHORT, damages=["exif_rot"], seed=7, dpi=60, long_side=400,
                         captured_at=when)
    assert files.photo is not None
    upright = photograph(files.pages or [], seed=7, long_side=400).image  # same draws before the turn
    loaded = load_photo(files.image)
    assert loaded.exif_orientation in (3, 6, 8)
    assert loaded.exif_orientation == files.photo.exif_orientation
    assert loaded.captured_at == when
    assert loaded.pixels.shape == upright.shape
    assert np.abs(loaded.pixels.astype(int) - upright.astype(int)).mean() < 6
    assert files.ground_truth.read_text(encoding="utf-8") == files.photo.ground_truth


def test_capture_order_follows_seed(tmp_path: Path) -> None:
    times = [load_photo(write_sample(tmp_path, f"p{s}", text=SHORT, seed=s, dpi=60, long_side=300).image).captured_at
             for s in (1, 2, 3)]
    known = [t for t in times if t is not None]
    assert len(known) == 3
    assert known == sorted(known) and len(set(known)) == 3


def test_spread_ground_truth_file(tmp_path: Path) -> None:
    files = write_sample(tmp_path, "spread", text=load_text("order_37"), damages=["spread"], seed=2, dpi=60,
                         long_side=400)
    written = files.ground_truth.read_text(encoding="utf-8")
    assert "\n\f\n" in written
    verso, recto = split_pages(written)
    assert normalize(verso + " " + recto) == normalize(load_text("order_37"))


def test_clean_scan_is_a_png_with_its_text(tmp_path: Path) -> None:
    files = write_clean(tmp_path, "clean", text=SHORT, dpi=100, seed=1)
    assert files.image.suffix == ".png"
    assert files.pages is not None
    stored = cv2.imread(str(files.image), cv2.IMREAD_GRAYSCALE)
    assert stored is not None and np.array_equal(stored, files.pages[0].image)
    assert normalize(files.ground_truth.read_text(encoding="utf-8")) == normalize(SHORT)


def test_samples_entry_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert samples_main([str(tmp_path), "--count", "2", "--long-side", "500"]) == 0
    photos = sorted(tmp_path.glob("*.jpg"))
    assert [p.name for p in photos] == ["sample-01.jpg", "sample-02.jpg"]
    assert all(p.with_suffix("").with_suffix(".gt.txt").is_file() for p in photos)
    assert "sample-02.jpg" in capsys.readouterr().out


def test_sample_plan_goes_past_the_fixed_five() -> None:
    plan = sample_plan(9, seed=3)
    assert plan[:5] == list(PLAN) and len(plan) == 9
    assert plan == sample_plan(9, seed=3)
    assert all("perspective" in damages and set(damages) <= set(DAMAGES) for _, _, damages in plan)


def test_committed_samples_have_ground_truth() -> None:
    photos = sorted((REPO / "images").glob("sample-*.jpg"))
    assert len(photos) >= 5
    for photo in photos:
        assert photo.stat().st_size < 1_100_000
        assert photo.with_suffix("").with_suffix(".gt.txt").read_text(encoding="utf-8").strip()


def test_closeup_keeps_the_text_in_frame_and_the_truth_lists_what_is_seen(small_page: RenderedPage) -> None:
    for seed in range(4):
        close = photograph(small_page, damages=["closeup"], seed=seed, long_side=400)
        assert close.texts == [small_page.text]  # the text block fits: every line is in the frame
        corners = close.page_corners[0]
        assert (corners.min(axis=0) < 0).any() or (corners.max(axis=0) > [299, 399]).any()  # edges cut
