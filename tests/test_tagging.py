"""Tagging photos to their file and leaf: runs in capture order, spreads, gaps, retakes, CSV."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from tests.conftest import invoke
from workbench.archive.citation import Side, parse_citation
from workbench.batch import file_sha256
from workbench.db.models import Page, SourceImage
from workbench.db.store import OcrMeta, PhotoFacts, RecognizedPage, record_ocr, register_image
from workbench.db.tags import completion, export_csv, file_view, first_side, import_csv, near_duplicates
from workbench.errors import BadInput
from workbench.page import BBox, Block, Line, Word
from workbench.page import Page as Layout

START = datetime(1989, 6, 1, 10, 0, 0)
META = OcrMeta(engine="tesseract", engine_version="test", languages="rus", parameters={})


def stored_photos(db, folder: Path, count: int, *, spreads: frozenset[int] = frozenset(),
                  confidence: dict[int, float] | None = None, shuffle_names: bool = False) -> list[Path]:  # type: ignore[no-untyped-def]
    """Photos on disk and as read (without Tesseract: the tagging is under test, not the OCR)."""
    folder.mkdir(exist_ok=True)
    paths = []
    with db.session() as session:
        for n in range(count):
            # names run against capture time when shuffled, to show capture time wins
            name = f"IMG_{(count - n if shuffle_names else n):04d}.png"
            path = folder / name
            Image.new("L", (8, 8), n % 256).save(path)
            path.write_bytes(path.read_bytes() + n.to_bytes(4, "big"))  # distinct content
            image = register_image(session, PhotoFacts(str(path.resolve()), file_sha256(path), path.stat().st_size))
            box = BBox(0, 0, 5, 5)
            layout = Layout(100, 100, [Block(box, [Line(box, [Word("слово", box, (confidence or {}).get(n, 90.0))])])])
            parts = [1, 2] if n in spreads else [0]
            pages = [RecognizedPage(part=p, layout=layout, derived_file="x.jpg", transform={}, seconds_preprocess=0,
                                    seconds_ocr=0) for p in parts]
            record_ocr(session, image, pages=pages, meta=META, width=100, height=100, exif_orientation=None,
                       captured_at=START + timedelta(seconds=n))
            paths.append(path)
    return paths


def sides(db) -> list[tuple[str, int, Side | None]]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        pages = session.scalars(select(Page).join(Page.image).order_by(SourceImage.captured_at, Page.part))
        return [(Path(p.image.path).name, p.part, first_side(p)) for p in pages]


def test_two_hundred_photos_of_one_file_in_one_command(runner, settings, db, tmp_path: Path) -> None:
    stored_photos(db, tmp_path / "d42", 200, shuffle_names=True)
    result = invoke(runner, settings, "tag", str(tmp_path / "d42"), "--cite", "TsDAHO f. 1, op. 1, d. 42, l. 61")
    assert result.exit_code == 0, result.output
    assert "tagged 200 page(s) of 200 photo(s) to TsDAHO f. 1, op. 1, d. 42: 61 to 260" in result.output
    assert "gaps" not in result.output
    # capture order, not name order
    assert [s for _, _, s in sides(db)] == [Side(n) for n in range(61, 261)]
    with db.session() as session:
        view = file_view(session, 1)
        assert [first_side(p) for p in view.pages] == [Side(n) for n in range(61, 261)]
        assert view.report.ok and (view.done, view.total) == (0, 200)


def test_recto_and_verso_alternate_and_a_spread_takes_two_sides(runner, settings, db, tmp_path: Path) -> None:
    stored_photos(db, tmp_path / "d102", 4, spreads=frozenset({1}))
    result = invoke(runner, settings, "tag", str(tmp_path / "d102"), "--cite", "ф. 2595, оп. 1, д. 102, л. 21 об.",
                    "--step", "side")
    assert result.exit_code == 0, result.output
    assert "21 об. to 23 об." in result.output
    assert [(part, side) for _, part, side in sides(db)] == [
        (0, Side(21, verso=True)), (1, Side(22)), (2, Side(22, verso=True)), (0, Side(23)),
        (0, Side(23, verso=True))]


def test_gaps_and_retakes_are_flagged_and_the_better_photo_chosen(runner, settings, db, tmp_path: Path) -> None:
    photos = stored_photos(db, tmp_path / "d7", 5, confidence={3: 95.0, 4: 60.0})
    assert invoke(runner, settings, "tag", *map(str, photos[:3]), "--cite", "F. 5, op. 2, d. 7, l. 1").exit_code == 0
    # two photos of leaf 6, the second retake worse; leaves 4 and 5 were never photographed
    first = invoke(runner, settings, "tag", str(photos[3]), "--cite", "F. 5, op. 2, d. 7, l. 6")
    second = invoke(runner, settings, "tag", str(photos[4]), "--cite", "F. 5, op. 2, d. 7, l. 6")
    assert first.exit_code == second.exit_code == 0
    assert "gaps in the file's leaves: 4, 5" in second.output and "more than once" in second.output
    with db.session() as session:
        view = file_view(session, 1)
        kept = {Path(p.image.path).name: p.retake_of for p in view.pages if first_side(p) == Side(6)}
        assert kept["IMG_0003.png"] is None and kept["IMG_0004.png"] is not None
        assert view.report.gaps == [4, 5] and view.report.duplicates == [Side(6)] and view.total == 4
        files, fonds = completion(session)
        assert [(f.label, f.total) for f in files] == [("F. 5, op. 2, d. 7", 4)] and fonds[0].label == "f. 5"


def test_tags_round_trip_through_csv(runner, settings, db, tmp_path: Path) -> None:
    stored_photos(db, tmp_path / "p", 3)
    assert invoke(runner, settings, "tag", str(tmp_path / "p"), "--cite", "ф. 1, оп. 1, спр. 9, арк. 3").exit_code == 0
    out = tmp_path / "tags.csv"
    assert invoke(runner, settings, "tags", "export", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("IMG_0000.png,") and "F. 1, op. 1, d. 9, l. 3" in text
    edited = text.replace('"F. 1, op. 1, d. 9, l. 3"', '"ф. 1, оп. 1, д. 10, л. 1 об."')
    (tmp_path / "edited.csv").write_text(edited, encoding="utf-8")
    result = invoke(runner, settings, "tags", "import", str(tmp_path / "edited.csv"))
    assert result.exit_code == 0 and "tagged 3 page(s)" in result.output
    with db.session() as session:
        again = export_csv(session)
    assert "F. 1, op. 1, d. 10, l. 1 ob." in again and "F. 1, op. 1, d. 9, l. 4" in again


def test_a_bad_csv_changes_nothing(db, tmp_path: Path) -> None:
    stored_photos(db, tmp_path / "p", 2)
    with db.session() as session:
        before = export_csv(session)
        bad = ("file_name,citation\n"
               'IMG_0000.png,"F. 1, op. 1, d. 2, l. 1"\n'  # good, but must not land alone
               "IMG_0001.png,not a citation\n")
        with pytest.raises(BadInput, match="line 3: cannot read the citation 'not a citation'"):
            import_csv(session, bad)
        with pytest.raises(BadInput, match="line 2: no single photo"):
            import_csv(session, 'file_name,citation\nIMG_9999.png,"F. 1, op. 1, d. 2, l. 1"\n')
        with pytest.raises(BadInput, match="needs a header"):
            import_csv(session, "just text\n")
    with db.session() as session:
        assert export_csv(session) == before


def test_unreadable_citations_and_unread_photos_are_clear_errors(runner, settings, db, tmp_path: Path) -> None:
    photos = stored_photos(db, tmp_path / "p", 1)
    bad = invoke(runner, settings, "tag", str(photos[0]), "--cite", "fond one")
    assert bad.exit_code == 2 and "cannot read the citation" in bad.output
    no_leaf = invoke(runner, settings, "tag", str(photos[0]), "--cite", "f. 1, op. 1, d. 1")
    assert no_leaf.exit_code == 2 and "first photo's leaf" in no_leaf.output
    Image.new("L", (8, 8), 7).save(tmp_path / "unread.png")
    unread = invoke(runner, settings, "tag", str(tmp_path / "unread.png"), "--cite", "f. 1, op. 1, d. 1, l. 1")
    assert unread.exit_code == 2 and "has not been read yet" in unread.output


def test_near_duplicate_photos_are_found_by_their_look(db, tmp_path: Path) -> None:
    import numpy as np

    from workbench.imaging.fingerprint import difference_hash, hash_distance

    rng = np.random.default_rng(1)
    page = (rng.random((60, 80)) * 255).astype(np.uint8)
    retake = np.clip(page.astype(int) + rng.integers(-12, 12, page.shape), 0, 255).astype(np.uint8)
    other = (rng.random((60, 80)) * 255).astype(np.uint8)
    assert hash_distance(difference_hash(page), difference_hash(retake)) <= 6
    assert hash_distance(difference_hash(page), difference_hash(other)) > 16
    stored_photos(db, tmp_path / "p", 3)
    with db.session() as session:
        images = list(session.scalars(select(SourceImage).order_by(SourceImage.id)))
        images[0].phash, images[1].phash, images[2].phash = (difference_hash(page), difference_hash(retake),
                                                             difference_hash(other))
    with db.session() as session:
        pairs = near_duplicates(session)
        assert [(Path(a.image.path).name, Path(b.image.path).name) for a, b, _ in pairs] == [
            ("IMG_0000.png", "IMG_0001.png")]
    assert parse_citation("f. 1, op. 1, d. 1")[0].first is None


def test_a_page_showing_a_range_is_no_retake_of_one_showing_its_first_side(db, tmp_path: Path) -> None:
    from workbench.db.tags import set_citation

    stored_photos(db, tmp_path / "p", 2)
    with db.session() as session:
        pages = list(session.scalars(select(Page).order_by(Page.id)))
        set_citation(session, pages[0], parse_citation("f. 1, op. 1, d. 5, ll. 61 ob.-62")[0])
        set_citation(session, pages[1], parse_citation("f. 1, op. 1, d. 5, l. 61 ob.")[0])
    with db.session() as session:
        assert [p.retake_of for p in session.scalars(select(Page).order_by(Page.id))] == [None, None]


def test_a_csv_with_a_bad_part_is_a_clear_error(db, tmp_path: Path) -> None:
    stored_photos(db, tmp_path / "p", 1)
    with db.session() as session, pytest.raises(BadInput, match="line 2: part must be"):
        import_csv(session, 'file_name,part,citation\nIMG_0000.png,left,"f. 1, op. 1, d. 2, l. 1"\n')


def test_ocr_read_again_while_a_person_saves_keeps_the_persons_text(db, tmp_path: Path) -> None:
    """The OCR's store reads the transcription again, locked: a save that landed meanwhile wins."""
    from workbench.db.store import RecognizedPage, record_ocr, save_text

    stored_photos(db, tmp_path / "p", 1)
    box = BBox(0, 0, 5, 5)
    layout = Layout(100, 100, [Block(box, [Line(box, [Word("новое", box, 90.0)])])])
    with db.session() as ocr_session:
        image = ocr_session.scalars(select(SourceImage)).one()
        assert not image.pages[0].transcription.edited_by_person  # what the batch saw when it started
        with db.session() as person:
            save_text(person, image.pages[0].id, text="человек", base_version=1, author="olena")
        record_ocr(ocr_session, image, pages=[RecognizedPage(part=0, layout=layout, derived_file="x.jpg",
                                                             transform={}, seconds_preprocess=0, seconds_ocr=0)],
                   meta=META, width=100, height=100, exif_orientation=None, captured_at=None)
    with db.session() as session:
        t = session.scalars(select(Page)).one().transcription
        assert (t.text, t.version) == ("человек", 2)
