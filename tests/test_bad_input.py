"""Bad input gets a clear error and changes nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from tests.bad_inputs import write_corpus
from tests.conftest import TEXTS, draw_page
from workbench.batch import BatchOptions, run_batch
from workbench.db.store import list_pages
from workbench.errors import ImageError
from workbench.imaging.load import load_photo


def test_every_bad_file_gets_its_own_clear_error(tmp_path: Path) -> None:
    for name, error in write_corpus(tmp_path).items():
        if error is None:
            photo = load_photo(tmp_path / name)
            assert photo.pixels.dtype == np.uint8 and photo.pixels.shape[2] == 3, name
        else:
            with pytest.raises(ImageError, match=error):
                load_photo(tmp_path / name)


def test_a_missing_file_named_as_text_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="not a readable image"):
        load_photo(str(tmp_path / "gone.jpg"))  # a path given as a string, as a script would


def test_sixteen_bit_grey_keeps_its_contrast(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    pixels = load_photo(tmp_path / "sixteen_bit.tif").pixels
    assert pixels.min() < 20 and pixels.max() > 235  # scaled by its range, not clipped to white


@pytest.mark.ocr
def test_a_batch_with_bad_files_records_each_and_reads_the_rest(settings, db, tmp_path: Path) -> None:
    expected = write_corpus(tmp_path / "in")
    draw_page(tmp_path / "in" / "good.png", TEXTS["letter"])
    summary = run_batch(db, [tmp_path / "in"], BatchOptions(jobs=2, derived_path=settings.derived_path), bar=False)
    reasons = {path.name: reason for path, reason in summary.failed}
    assert set(reasons) == {name for name, error in expected.items() if error}
    for name, reason in reasons.items():
        assert re.search(expected[name], reason), (name, reason)  # type: ignore[arg-type]
    with db.session() as session:
        texts = {p.image.stem: p.transcription.text for p in list_pages(session)}
    assert "отчёта" in texts["good"] or "отчета" in texts["good"]
    assert {"sixteen_bit", "cmyk", "png_named"} <= set(texts)
