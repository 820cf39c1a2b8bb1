"""Downloads in the web app: a page or a whole file in any format, for logged-in people only."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.test_export_support import CORRECTED, store_sample
from workbench.db.store import get_page

ALL = ["txt", "json", "csv", "docx", "hocr", "alto", "page", "tei", "pdf", "iiif"]


@pytest.fixture
def sample(app, db, settings, tmp_path: Path) -> list[int]:  # type: ignore[no-untyped-def]
    return store_sample(db, settings.derived_path, tmp_path / "photos")


@pytest.mark.parametrize("fmt", ALL)
def test_a_page_downloads_in_every_format(client, sample: list[int], fmt: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/downloads/pages/{sample[0]}.{fmt}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "attachment" in response.headers["Content-Disposition"]
    assert "TsDAHO_f1_op1_d42_l0061" in response.headers["Content-Disposition"]
    assert response.data


@pytest.mark.parametrize("fmt", ALL)
def test_a_file_downloads_in_every_format(client, db, sample: list[int], fmt: str) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        delo_id = get_page(session, sample[0]).delo_id
    response = client.get(f"/downloads/delos/{delo_id}.{fmt}")
    assert response.status_code == 200, response.get_data(as_text=True)
    if fmt == "page":
        names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
        assert names == ["TsDAHO_f1_op1_d42/l0061.page.xml", "TsDAHO_f1_op1_d42/l0061v.page.xml"]
    if fmt == "json":
        assert json.loads(response.data)["pages"][0]["text"] == CORRECTED
    if fmt == "iiif":
        canvas = json.loads(response.data)["items"][0]
        assert canvas["items"][0]["items"][0]["body"]["id"] == f"http://localhost/files/pages/{sample[0]}.jpg"


def test_download_pages_list_the_formats_and_link_from_the_editor(client, db, sample: list[int]) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/pages/{sample[0]}").get_data(as_text=True)
    assert f"/downloads/pages/{sample[0]}" in html
    listing = client.get(f"/downloads/pages/{sample[0]}").get_data(as_text=True)
    assert "ALTO 4.3" in listing and f"/downloads/pages/{sample[0]}.pdf" in listing
    with db.session() as session:
        delo_id = get_page(session, sample[0]).delo_id
    assert f"/downloads/delos/{delo_id}" in client.get(f"/delos/{delo_id}").get_data(as_text=True)
    assert "2 of 2 pages are verified" in client.get(f"/downloads/delos/{delo_id}").get_data(as_text=True)


def test_downloads_need_a_login_and_a_known_format(app, client, sample: list[int]) -> None:  # type: ignore[no-untyped-def]
    anonymous = app.test_client().get(f"/downloads/pages/{sample[0]}.txt")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert client.get(f"/downloads/pages/{sample[0]}.odt").status_code == 400
    assert client.get("/downloads/pages/999.txt").status_code == 404
