"""Adding photos from the browser's side of the server: checked by content, stored safely, then read."""

from __future__ import annotations

import io
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.bad_inputs import write_corpus
from tests.conftest import TEXTS, csrf_token, draw_page
from workbench.db.models import SourceImage
from workbench.db.store import list_pages


def send(client, name: str, payload: bytes):  # type: ignore[no-untyped-def]
    return client.post("/api/uploads", data={"photo": (io.BytesIO(payload), name)},
                       headers={"X-CSRFToken": csrf_token(client)}, content_type="multipart/form-data")


def stored_files(settings) -> list[Path]:  # type: ignore[no-untyped-def]
    return sorted(p for p in settings.upload_path.rglob("*") if p.is_file())


@pytest.mark.ocr
def test_photos_sent_one_by_one_are_stored_and_read_in_one_job(client, db, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shas = []
    for name, text in [("IMG_0101.png", TEXTS["protocol"]), ("IMG_0102.png", TEXTS["letter"])]:
        response = send(client, f"phone/DCIM/{name}", draw_page(tmp_path / name, text).read_bytes())
        assert response.status_code == 201, response.get_json()
        shas.append(response.get_json()["sha256"])
    assert sorted(p.name for p in stored_files(settings)) == ["IMG_0101.png", "IMG_0102.png"]
    started = client.post("/api/jobs", json={"photos": shas}, headers={"X-CSRFToken": csrf_token(client)})
    assert started.status_code == 202
    job_id = started.get_json()["job"]
    deadline = time.monotonic() + 60
    while (job := client.get(f"/api/jobs/{job_id}").get_json())["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job["state"] == "done" and (job["total"], job["done"], job["failed"]) == (2, 2, 0)
    with db.session() as session:
        texts = {p.image.stem: p.transcription.text for p in list_pages(session)}
    assert "Шляпникова" in texts["IMG_0101"] and "Товарищу" in texts["IMG_0102"]
    assert "Add photos" in client.get("/upload").get_data(as_text=True)


def test_bad_files_are_refused_one_by_one_and_nothing_of_them_is_kept(client, db, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name, error in write_corpus(tmp_path / "bad").items():
        response = send(client, name, (tmp_path / "bad" / name).read_bytes())
        if error is None:
            assert response.status_code == 201, (name, response.get_json())
        else:
            assert response.status_code == 400, name
            assert re.search(error, response.get_json()["error"]), (name, response.get_json())
    kept = stored_files(settings)
    assert sorted(p.name for p in kept) == ["cmyk.tif", "png_named.png", "sixteen_bit.tif"]  # suffix by content
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SourceImage)) == 0  # stored, not yet read


def test_hostile_names_become_the_workbenchs_own(client, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    payload = draw_page(tmp_path / "p.png", TEXTS["order"]).read_bytes()
    for name in ["../../etc/passwd.png", "..\\..\\boot.ini", "evil\x00.png", "line\tbreak\x07.png", ".hidden", ""]:
        assert send(client, name, payload + name.encode()).status_code == 201, name
    for path in stored_files(settings):
        assert path.resolve().is_relative_to(settings.upload_path.resolve())
        assert re.fullmatch(r"[\w.-]+", path.name) and not path.name.startswith(".")
    assert {p.name for p in stored_files(settings)} >= {"passwd.png", "boot.png", "evil.png", "linebreak.png"}


def test_an_upload_beyond_the_limit_is_refused_whole(app, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import login

    app.config["MAX_CONTENT_LENGTH"] = 2 << 20
    app.config["WORKBENCH_SETTINGS"] = replace(settings, max_upload_mb=1)
    client = login(app.test_client(), "tanya")
    response = send(client, "huge.jpg", b"\xff\xd8" + b"\x00" * (3 << 20))
    assert response.status_code == 413 and "larger than the 1 MB limit" in response.get_json()["error"]
    limit = send(client, "big.jpg", b"\xff\xd8" + b"\x00" * (1 << 20) + b"\x00" * 1000)
    assert limit.status_code == 400 and "larger than the 1 MB limit" in limit.get_json()["error"]
    assert stored_files(settings) == []


def test_jobs_accept_only_uploads(client) -> None:  # type: ignore[no-untyped-def]
    headers = {"X-CSRFToken": csrf_token(client)}
    assert client.post("/api/jobs", json={"photos": ["../../x"]}, headers=headers).status_code == 400
    assert client.post("/api/jobs", json={"photos": ["a" * 64]}, headers=headers).status_code == 404
    assert client.post("/api/jobs", json={}, headers=headers).status_code == 400
    assert client.get("/api/jobs/999").status_code == 404
