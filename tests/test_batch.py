"""Batch OCR from the CLI, with the real Tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import TEXTS, draw_page, invoke
from workbench.batch import BatchOptions, collect_photos, run_batch
from workbench.db.models import ImageState, OcrRun, Revision, RevisionSource, SourceImage, Status
from workbench.db.store import list_pages, save_text
from workbench.errors import BadInput
from workbench.metrics import cer
from workbench.ocr.tesseract import SAUVOLA

pytestmark = pytest.mark.ocr


def stored_texts(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return {p.image.stem: p.transcription.text for p in list_pages(session)}


def test_ocr_reads_a_folder_in_parallel(runner, settings, db, photos: Path) -> None:
    result = invoke(runner, settings, "ocr", str(photos), "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "read 3 photo(s), 3 page(s)" in result.output
    texts = stored_texts(db)
    assert set(texts) == {"IMG_0001", "IMG_0002", "IMG_0003"}
    assert cer(TEXTS["protocol"], texts["IMG_0001"]) < 0.05
    assert cer(TEXTS["letter"], texts["IMG_0003"]) < 0.05
    with db.session() as session:
        run = session.scalars(select(OcrRun)).first()
        assert run is not None and run.engine == "tesseract" and run.languages == "rus"
        assert run.word_count > 3 and run.mean_confidence is not None and run.seconds_ocr > 0
        assert run.blocks[0].lines[0].words[0].x1 > run.blocks[0].lines[0].words[0].x0


def test_rerun_skips_pages_already_read(runner, settings, db, photos: Path) -> None:
    assert invoke(runner, settings, "ocr", str(photos), "-j", "1").exit_code == 0
    again = invoke(runner, settings, "ocr", str(photos), "-j", "1")
    assert again.exit_code == 0
    assert "read 0 photo(s)" in again.output and "skipped 3 already read" in again.output
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(OcrRun)) == 3
        # the pipeline's pages are read with Sauvola's threshold, and the run says so
        assert {run.parameters["thresholding_method"] for run in session.scalars(select(OcrRun))} == {SAUVOLA}


def test_force_reads_again_but_keeps_a_persons_text(runner, settings, db, photos: Path) -> None:
    assert invoke(runner, settings, "ocr", str(photos), "-j", "1").exit_code == 0
    with db.session() as session:
        pages = {p.image.stem: p for p in list_pages(session)}
        edited = pages["IMG_0001"]
        save_text(session, edited.id, text="исправлено человеком", base_version=1, author="olena")
    result = invoke(runner, settings, "ocr", str(photos), "-j", "1", "--force")
    assert result.exit_code == 0 and "read 3 photo(s)" in result.output
    texts = stored_texts(db)
    assert texts["IMG_0001"] == "исправлено человеком"
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(OcrRun)) == 6
        pages = {p.image.stem: p for p in list_pages(session)}
        assert pages["IMG_0001"].transcription.version == 2  # OCR 1, person 2; the new OCR is a run only
        assert pages["IMG_0002"].transcription.version == 2  # OCR twice
        sources = [r.source for r in pages["IMG_0002"].transcription.revisions]
        assert sources == [RevisionSource.OCR, RevisionSource.OCR]


def test_a_page_read_again_with_other_geometry_keeps_the_old_page_image(settings, db, photos: Path) -> None:
    """The image the stored boxes refer to stays until a new run is committed: the new one gets its own name."""
    derived = settings.derived_path
    run_batch(db, [photos / "IMG_0003.jpg"], BatchOptions(jobs=1, preprocess=False, derived_path=derived), bar=False)
    with db.session() as session:
        first = list_pages(session)[0].derived_file
    assert first and (derived / first).is_file()
    run_batch(db, [photos / "IMG_0003.jpg"], BatchOptions(jobs=1, force=True, derived_path=derived), bar=False)
    with db.session() as session:
        second = list_pages(session)[0].derived_file
    assert second and second != first and (derived / second).is_file()
    assert (derived / first).is_file()


def test_a_failing_page_is_recorded_and_the_batch_goes_on(runner, settings, db, photos: Path) -> None:
    (photos / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not the rest of a JPEG")
    result = invoke(runner, settings, "ocr", str(photos), "-j", "2")
    assert result.exit_code == 7
    assert "failed 1" in result.output and "broken.jpg" in result.output
    assert "1 photo(s) failed; the rest were stored" in result.output
    with db.session() as session:
        states = {Path(i.path).name: (i.state, i.error) for i in session.scalars(select(SourceImage))}
    assert states["broken.jpg"][0] is ImageState.FAILED and "not a readable image" in states["broken.jpg"][1]
    assert len(stored_texts(db)) == 3


def test_an_interrupted_batch_resumes_without_reading_a_page_twice(settings, db, photos: Path) -> None:
    options = BatchOptions(jobs=1, derived_path=settings.derived_path)
    seen: list[str] = []

    def stop_after_first(result) -> None:  # type: ignore[no-untyped-def]
        seen.append(result.path.name)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(db, [photos], options, on_result=stop_after_first, bar=False)
    assert len(stored_texts(db)) == 1
    summary = run_batch(db, [photos], options, bar=False)
    assert len(summary.read) == 2 and len(summary.already_read) == 1
    assert seen[0] not in {p.name for p in summary.read}
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(OcrRun)) == 3
        assert session.scalar(select(func.count()).select_from(Revision)) == 3
        assert all(p.transcription.status is Status.OCR_DONE for p in list_pages(session))


def test_duplicates_are_skipped_by_content(runner, settings, db, photos: Path) -> None:
    (photos / "copy_of_0001.png").write_bytes((photos / "IMG_0001.png").read_bytes())
    result = invoke(runner, settings, "ocr", str(photos), "-j", "1")
    assert result.exit_code == 0
    assert "1 duplicate(s)" in result.output and "copy_of_0001.png has the same content as" in result.output
    assert len(stored_texts(db)) == 3


def test_languages_are_configurable(runner, settings, db, tmp_path: Path) -> None:
    draw_page(tmp_path / "ukr.png", "Протокол засідання\nПостановили: їхати")
    result = invoke(runner, settings, "ocr", str(tmp_path / "ukr.png"), "--lang", "rus+ukr")
    assert result.exit_code == 0, result.output
    with db.session() as session:
        assert session.scalars(select(OcrRun)).one().languages == "rus+ukr"
    assert "засідання" in stored_texts(db)["ukr"]


def test_missing_language_data_is_an_actionable_error(runner, settings, photos: Path) -> None:
    result = invoke(runner, settings, "ocr", str(photos), "--lang", "rus+deu")
    assert result.exit_code == 4
    assert "no language data for deu" in result.output and "apt-get install tesseract-ocr-deu" in result.output


def test_collect_takes_image_files_in_any_case_and_refuses_others(tmp_path: Path) -> None:
    for name in ("a.JPG", "b.jpeg", "c.Tif", "d.tiff", "e.webp", "f.png", "notes.txt", "g.gt.txt"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "h.jpg").write_bytes(b"x")
    names = [p.name for p in collect_photos([tmp_path])]
    assert names == ["a.JPG", "b.jpeg", "c.Tif", "d.tiff", "e.webp", "f.png"]
    with pytest.raises(BadInput, match="not an image file"):
        collect_photos([tmp_path / "notes.txt"])
    with pytest.raises(BadInput, match="no such file"):
        collect_photos([tmp_path / "missing"])


def test_a_hung_tesseract_fails_that_page_only(settings, db, photos: Path) -> None:
    options = BatchOptions(jobs=1, timeout=0.01, derived_path=settings.derived_path)
    summary = run_batch(db, [photos / "IMG_0001.png"], options, bar=False)
    assert len(summary.failed) == 1 and "longer than" in summary.failed[0][1]


def test_preprocess_writes_every_stage_image(runner, settings, photos: Path, tmp_path: Path) -> None:
    out = tmp_path / "stages"
    result = invoke(runner, settings, "preprocess", str(photos / "IMG_0001.png"), "--debug", str(out))
    assert result.exit_code == 0, result.output
    stages = sorted(p.name for p in out.iterdir())
    assert len(stages) >= 4 and all(name.startswith("IMG_0001.") and name.endswith(".png") for name in stages)
    assert "1 page(s)" in result.output and "page" in result.output
    missing = invoke(runner, settings, "preprocess", str(tmp_path / "nope.jpg"), "--debug", str(out))
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_no_preprocess_gives_tesseract_the_photo_as_it_is(runner, settings, db, photos: Path) -> None:
    result = invoke(runner, settings, "ocr", str(photos / "IMG_0001.png"), "--no-preprocess")
    assert result.exit_code == 0
    with db.session() as session:
        run = session.scalars(select(OcrRun)).one()
        assert run.parameters["preprocess"] is False
        assert [s["name"] for s in run.parameters["steps"]] == ["exif", "grey"]
