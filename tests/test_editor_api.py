"""The editor's server side: login, roles, history, restore, navigation, conflicts."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, csrf_token, invoke, login
from workbench.db.models import RevisionSource
from workbench.db.store import get_page

pytestmark = pytest.mark.ocr


def post_text(client, page_id: int, text: str, base: int, action: str = "save"):  # type: ignore[no-untyped-def]
    return client.post(f"/api/pages/{page_id}/text", json={"text": text, "base_version": base, "action": action},
                       headers={"X-CSRFToken": csrf_token(client)})


def test_every_route_needs_a_login(app, page_ids) -> None:  # type: ignore[no-untyped-def]
    anonymous = app.test_client()
    for url in ["/", f"/pages/{page_ids[0]}", f"/pages/{page_ids[0]}/history", f"/files/pages/{page_ids[0]}.jpg",
                f"/files/photos/{page_ids[0]}.jpg", "/next"]:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response.location, url
    assert anonymous.get(f"/api/pages/{page_ids[0]}").status_code == 401
    assert anonymous.get("/static/editor.js").status_code == 200


def test_login_refuses_a_wrong_password_and_never_redirects_off_site(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    wrong = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "name": "tanya",
                                        "password": "wrong password"})
    assert wrong.status_code == 401 and "Wrong name or password" in wrong.get_data(as_text=True)
    ok = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "name": "tanya",
                                     "password": PASSWORD, "next": "//evil.example/"})
    assert ok.status_code == 302 and ok.location == "/"
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    for target in ["/\\evil.example", "/\t/evil.example"]:
        again = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "name": "tanya",
                                            "password": PASSWORD, "next": target})
        assert again.location == "/", target
        client.post("/logout", data={"csrf_token": csrf_token(client)})


def test_only_reviewers_and_admins_verify(transcriber, client, db, page_ids) -> None:  # type: ignore[no-untyped-def]
    refused = post_text(transcriber, page_ids[0], "текст", 1, action="verify")
    assert refused.status_code == 403 and "reviewer" in refused.get_json()["error"]
    assert "Save and mark verified" not in transcriber.get(f"/pages/{page_ids[0]}").get_data(as_text=True)
    review = post_text(transcriber, page_ids[0], "текст", 1, action="review")
    assert review.get_json() == {"version": 2, "status": "needs_review"}
    verified = post_text(client, page_ids[0], "текст.", 2, action="verify")
    assert verified.get_json() == {"version": 3, "status": "verified"}
    # an edit after verification sends the page back for review
    assert post_text(transcriber, page_ids[0], "текст!", 3).get_json()["status"] == "needs_review"
    with db.session() as session:
        authors = [r.author for r in get_page(session, page_ids[0]).transcription.revisions]
    assert authors == [None, "tanya", "roman", "tanya"]


def test_a_conflict_returns_the_other_text_and_the_differences(client, transcriber, page_ids) -> None:  # type: ignore[no-untyped-def]
    assert post_text(transcriber, page_ids[1], "Постановили: принять.", 1).status_code == 200
    stale = post_text(client, page_ids[1], "Постановили: отклонить.", 1)
    body = stale.get_json()
    assert stale.status_code == 409 and body["current_version"] == 2
    assert body["current_text"] == "Постановили: принять."
    assert ["delete", "принять."] in body["diff"] and ["insert", "отклонить."] in body["diff"]


def test_history_lists_diffs_and_restores_as_a_new_revision(client, db, page_ids) -> None:  # type: ignore[no-untyped-def]
    page_id = page_ids[2]
    post_text(client, page_id, "первая правка", 1)
    post_text(client, page_id, "вторая правка", 2)
    html = client.get(f"/pages/{page_id}/history?a=2&b=3").get_data(as_text=True)
    assert "<del>первая</del>" in html and "<ins>вторая</ins>" in html and "roman" in html and "OCR" in html
    restored = client.post(f"/pages/{page_id}/restore", data={"csrf_token": csrf_token(client), "version": "2",
                                                               "base_version": "3"})
    assert restored.status_code == 302
    stale = client.post(f"/pages/{page_id}/restore", data={"csrf_token": csrf_token(client), "version": "1",
                                                            "base_version": "3"})
    assert stale.status_code == 302 and "history" in stale.location
    with db.session() as session:
        t = get_page(session, page_id).transcription
        assert (t.version, t.text) == (4, "первая правка")
        assert [r.source for r in t.revisions] == [RevisionSource.OCR] + [RevisionSource.PERSON] * 3
    assert client.get(f"/pages/{page_id}/history?a=1&b=99").status_code == 404


def test_next_page_that_needs_work_skips_finished_ones(client, page_ids) -> None:  # type: ignore[no-untyped-def]
    first, second, third = page_ids
    post_text(client, second, "готово", 1, action="verify")
    assert client.get(f"/next?after={first}").location == f"/pages/{third}"
    assert client.get(f"/next?after={third}").location == f"/pages/{first}"
    post_text(client, first, "готово", 1, action="review")
    post_text(client, third, "готово", 1, action="verify")
    done = client.get(f"/next?after={first}")
    assert done.location == "/"
    assert "No page needs work" in client.get("/").get_data(as_text=True)


def test_the_layout_api_gives_boxes_and_the_map_to_the_photo(client, page_ids) -> None:  # type: ignore[no-untyped-def]
    data = client.get(f"/api/pages/{page_ids[0]}").get_json()
    assert data["handwriting"] is False and "homography" in data["to_photo"]
    assert data["photo_size"][0] > 0
    word = data["lines"][0]["words"][0]
    assert 0 <= word["box"][0] < word["box"][2] <= data["width"]


def test_user_add_takes_the_password_from_the_environment(runner, settings, db, monkeypatch, app) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WORKBENCH_PASSWORD", "a long enough secret")
    result = invoke(runner, settings, "user", "add", "olena", "--role", "reviewer")
    assert result.exit_code == 0 and "added olena as reviewer" in result.output
    login(app.test_client(), "olena", "a long enough secret")
    again = invoke(runner, settings, "user", "add", "olena")
    assert again.exit_code == 2 and "already a user" in again.output
    monkeypatch.setenv("WORKBENCH_PASSWORD", "short")
    assert "at least 8" in invoke(runner, settings, "user", "add", "petro").output


def test_user_add_prompts_when_no_password_is_given(runner, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from workbench.cli import cli

    monkeypatch.delenv("WORKBENCH_PASSWORD", raising=False)
    result = runner.invoke(cli, ["--instance", str(settings.instance_path), "user", "add", "ivan"],
                           input="typed secret 1\ntyped secret 1\n")
    assert result.exit_code == 0 and "added ivan as transcriber" in result.output


def test_a_person_cannot_set_ocr_statuses(client, page_ids) -> None:  # type: ignore[no-untyped-def]
    response = post_text(client, page_ids[0], "x", 1, action="ocr_done")
    assert response.status_code == 400 and "unknown action" in response.get_json()["error"]


def test_control_characters_are_refused_before_they_reach_an_export(client, page_ids) -> None:  # type: ignore[no-untyped-def]
    response = post_text(client, page_ids[0], "вставлено из Word\x0bи\x1b", 1)
    assert response.status_code == 400 and "U+000B" in response.get_json()["error"]
    assert post_text(client, page_ids[0], "таб\tи\nстрока", 1).status_code == 200
