"""Tagging and files in the browser's server side: the tag form, the file view, the editor's citation."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, invoke
from tests.test_tagging import stored_photos
from workbench.archive.citation import Side
from workbench.db.models import Page, SourceImage
from workbench.db.tags import first_side


def image_ids(db) -> list[int]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return list(session.scalars(select(SourceImage.id).order_by(SourceImage.captured_at)))


def test_a_run_is_tagged_from_the_form_and_shown_in_leaf_order(client, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stored_photos(db, tmp_path / "p", 4, spreads=frozenset({2}))
    ids = image_ids(db)
    form = client.get("/delos/tag").get_data(as_text=True)
    assert form.index("IMG_0000.png") < form.index("IMG_0003.png")
    response = client.post("/delos/tag", data={"csrf_token": csrf_token(client), "image": ids[1:],
                                               "citation": "ЦДАВО ф. 2595, оп. 1, спр. 102, арк. 21 зв.",
                                               "step": "side"})
    assert response.status_code == 302 and response.location.startswith("/delos/")
    view = client.get(response.location).get_data(as_text=True)
    assert "TsDAVO f. 2595, op. 1, d. 102" in view and "0 of 4 pages verified" in view
    assert [view.index(n) for n in ("21 ob.", "22<", "22 ob.", "23<")] == sorted(
        view.index(n) for n in ("21 ob.", "22<", "22 ob.", "23<"))
    listing = client.get("/delos/").get_data(as_text=True)
    assert "TsDAVO f. 2595, op. 1, d. 102" in listing and "0 / 4 (0%)" in listing and "TsDAVO f. 2595" in listing
    bad = client.post("/delos/tag", data={"csrf_token": csrf_token(client), "image": ids[:1], "citation": "nonsense"})
    assert bad.status_code == 400 and "cannot read the citation" in bad.get_data(as_text=True)


def test_the_editor_shows_edits_and_proposes_the_citation(client, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stored_photos(db, tmp_path / "p", 3)
    with db.session() as session:
        pages = list(session.scalars(select(Page).join(Page.image).order_by(SourceImage.captured_at)))
        ids = [p.id for p in pages]
    token = csrf_token(client)
    tagged = client.post(f"/pages/{ids[0]}/citation", data={"csrf_token": token,
                                                            "citation": "TsDAHO f. 1, op. 1, d. 42, l. 61"})
    assert tagged.status_code == 302
    assert 'value="TsDAHO f. 1, op. 1, d. 42, l. 61"' in client.get(f"/pages/{ids[0]}").get_data(as_text=True)
    proposed = client.get(f"/pages/{ids[1]}").get_data(as_text=True)
    assert 'value="TsDAHO f. 1, op. 1, d. 42, l. 62"' in proposed and 'class="proposed"' in proposed
    assert client.post(f"/pages/{ids[1]}/citation", data={"csrf_token": token, "citation": "l. 62"}).status_code == 400
    client.post(f"/pages/{ids[2]}/citation", data={"csrf_token": token, "citation": "TsDAHO f. 1, op. 1, d. 42, l. 61"})
    with db.session() as session:
        third = session.get(Page, ids[2])
        first = session.get(Page, ids[0])
        assert first_side(third) == Side(61)
        assert {first.retake_of, third.retake_of} in ({None, ids[0]}, {None, ids[2]})  # one kept, one its retake
    untag = client.post(f"/pages/{ids[2]}/citation", data={"csrf_token": token, "citation": ""})
    assert untag.status_code == 302
    with db.session() as session:
        assert session.get(Page, ids[2]).delo_id is None and session.get(Page, ids[0]).retake_of is None


def test_the_list_filters_and_sorts_by_citation(runner, settings, client, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    photos = stored_photos(db, tmp_path / "p", 3)
    assert invoke(runner, settings, "tag", str(photos[0]), "--cite", "f. 9, op. 1, d. 2, l. 5").exit_code == 0
    assert invoke(runner, settings, "tag", str(photos[1]), "--cite", "f. 9, op. 1, d. 1, l. 7").exit_code == 0
    html = client.get("/?fond=9&sort=citation").get_data(as_text=True)
    assert html.index("F. 9, op. 1, d. 1, l. 7") < html.index("F. 9, op. 1, d. 2, l. 5")
    assert "IMG_0002.png" not in html
    only = client.get("/?delo=2").get_data(as_text=True)
    assert "F. 9, op. 1, d. 2, l. 5" in only and "d. 1, l. 7" not in only


@pytest.mark.ocr
def test_thumbnails_duplicates_and_choosing_a_retake(runner, settings, client, db, photos: Path) -> None:  # type: ignore[no-untyped-def]
    (photos / "again.png").write_bytes((photos / "IMG_0001.png").read_bytes() + b"\x00")  # same look, other bytes
    assert invoke(runner, settings, "ocr", str(photos), "-j", "1").exit_code == 0
    with db.session() as session:
        by_name = {Path(p.image.path).name: p.id for p in session.scalars(select(Page).join(Page.image))}
    thumb = client.get(f"/files/thumbs/{by_name['IMG_0001.png']}.jpg")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    page = client.get("/delos/duplicates").get_data(as_text=True)
    assert "again.png" in page and "IMG_0001.png" in page
    token = csrf_token(client)
    client.post(f"/pages/{by_name['IMG_0001.png']}/citation", data={"csrf_token": token,
                                                                      "citation": "f. 1, op. 1, d. 3, l. 4"})
    marked = client.post("/delos/duplicates", data={"csrf_token": token, "page": by_name["again.png"],
                                                    "of": by_name["IMG_0001.png"]})
    assert marked.status_code == 302
    with db.session() as session:
        again = session.get(Page, by_name["again.png"])
        assert again.retake_of == by_name["IMG_0001.png"] and first_side(again) == Side(4)
    kept = client.post(f"/delos/keep/{by_name['again.png']}", data={"csrf_token": token})
    assert kept.status_code == 302
    with db.session() as session:
        assert session.get(Page, by_name["IMG_0001.png"]).retake_of == by_name["again.png"]
        assert session.get(Page, by_name["again.png"]).retake_of is None
