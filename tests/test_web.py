"""The editor through Flask's test client, on pages read by the real Tesseract."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from tests.conftest import csrf_token
from workbench.db.models import RevisionSource, Status
from workbench.db.store import get_page

pytestmark = pytest.mark.ocr


def test_the_list_shows_pages_and_filters_by_status(client, page_ids) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").get_data(as_text=True)
    assert "IMG_0001.png" in html and "IMG_0003.jpg" in html and "ocr done (3)" in html
    assert "IMG_0001.png" not in client.get("/?status=verified").get_data(as_text=True)
    assert client.get("/?status=nonsense").status_code == 400


def test_the_page_view_shows_the_image_beside_the_text(client, page_ids) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/pages/{page_ids[0]}").get_data(as_text=True)
    assert f'data-page-image="/files/pages/{page_ids[0]}.jpg"' in html
    assert "Шляпникова" in html and 'name="base_version" id="base-version" value="1"' in html
    assert 'rel="next"' in html and 'rel="prev"' not in html
    image = client.get(f"/files/pages/{page_ids[0]}.jpg")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert Image.open(BytesIO(image.data)).size[0] > 100
    assert client.get("/pages/9999").status_code == 404


def test_saving_makes_a_revision_and_verifying_marks_the_page(client, db, page_ids) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(client)
    page_id = page_ids[0]
    saved = client.post(f"/pages/{page_id}", data={"csrf_token": token, "text": "Протокол № 1\r\nисправлен",
                                                  "base_version": "1", "action": "save"})
    assert saved.status_code == 302
    verified = client.post(f"/pages/{page_id}", data={"csrf_token": token, "text": "Протокол № 1\nисправлен.",
                                                     "base_version": "2", "action": "verify"})
    assert verified.status_code == 302
    with db.session() as session:
        t = get_page(session, page_id).transcription
        assert (t.text, t.version, t.status) == ("Протокол № 1\nисправлен.", 3, Status.VERIFIED)
        assert [(r.version, r.source, r.status) for r in t.revisions] == [
            (1, RevisionSource.OCR, Status.OCR_DONE), (2, RevisionSource.PERSON, Status.IN_PROGRESS),
            (3, RevisionSource.PERSON, Status.VERIFIED)]
        assert t.revisions[1].text == "Протокол № 1\nисправлен"


def test_a_stale_save_is_refused_and_both_texts_are_shown(client, db, page_ids) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(client)
    page_id = page_ids[1]
    first = client.post(f"/pages/{page_id}", data={"csrf_token": token, "text": "первый", "base_version": "1"})
    assert first.status_code == 302
    stale = client.post(f"/pages/{page_id}", data={"csrf_token": token, "text": "второй", "base_version": "1"})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "первый" in html and "второй" in html and "version 2" in html
    with db.session() as session:
        assert get_page(session, page_id).transcription.text == "первый"


def test_the_json_api_saves_and_refuses_stale_versions(client, page_ids) -> None:  # type: ignore[no-untyped-def]
    headers = {"X-CSRFToken": csrf_token(client)}
    page_id = page_ids[2]
    data = client.get(f"/api/pages/{page_id}").get_json()
    assert data["version"] == 1 and data["lines"] and data["lines"][0]["words"][0]["confidence"] > 0
    ok = client.post(f"/api/pages/{page_id}/text", json={"text": "новый", "base_version": 1}, headers=headers)
    assert ok.status_code == 200 and ok.get_json() == {"version": 2, "status": "in_progress"}
    stale = client.post(f"/api/pages/{page_id}/text", json={"text": "x", "base_version": 1}, headers=headers)
    assert stale.status_code == 409 and stale.get_json()["current_version"] == 2
    bad = client.post(f"/api/pages/{page_id}/text", json={"text": "x", "base_version": "one"}, headers=headers)
    assert bad.status_code == 400 and "whole number" in bad.get_json()["error"]


def test_a_save_without_the_csrf_token_is_refused(client, db, page_ids) -> None:  # type: ignore[no-untyped-def]
    response = client.post(f"/api/pages/{page_ids[0]}/text", json={"text": "x", "base_version": 1})
    assert response.status_code == 400
    with db.session() as session:
        assert get_page(session, page_ids[0]).transcription.version == 1


def test_text_with_markup_is_escaped(client, page_ids) -> None:  # type: ignore[no-untyped-def]
    headers = {"X-CSRFToken": csrf_token(client)}
    client.post(f"/api/pages/{page_ids[0]}/text", json={"text": "<script>alert(1)</script>", "base_version": 1},
                headers=headers)
    html = client.get(f"/pages/{page_ids[0]}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
