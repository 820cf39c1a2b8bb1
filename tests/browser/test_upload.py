"""Adding photos in the browser: choose files, watch both progress bars, find the pages read."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import logged_in
from tests.conftest import TEXTS, draw_page
from workbench.db.store import list_pages

pytestmark = [pytest.mark.browser, pytest.mark.ocr]


def test_photos_chosen_in_the_browser_are_sent_and_read(browser, live_server, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = draw_page(tmp_path / "IMG_0500.png", TEXTS["order"] + "\nЛист 5")  # unlike the photos read before
    bad = tmp_path / "notes.jpg"
    bad.write_bytes(b"<html>not a photo</html>")
    page = logged_in(browser, live_server, "tanya")
    page.click("text=Add photos")
    page.set_input_files("#files", [str(good), str(bad)])
    expect(page.locator("#finished")).to_be_visible(timeout=60_000)
    expect(page.locator("#refused")).to_contain_text("notes.jpg")
    expect(page.locator("#refused")).to_contain_text("an HTML page")
    expect(page.locator("#ocr-figure")).to_have_text("1 of 1")
    with db.session() as session:
        texts = {p.image.stem: p.transcription.text for p in list_pages(session)}
    assert "Лутовинов" in texts["IMG_0500"]


def test_a_file_chosen_before_the_script_has_run_is_still_sent(browser, live_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "early.jpg"
    bad.write_bytes(b"<html>not a photo</html>")
    page = logged_in(browser, live_server, "tanya")
    held = []
    page.route("**/static/upload.js", lambda route: held.append(route))  # the script waits until the file is chosen
    page.goto(f"{live_server}/upload", wait_until="commit")
    page.wait_for_selector("#files", state="attached")
    page.set_input_files("#files", [str(bad)])
    page.wait_for_timeout(100)
    assert held, "the page asked for its script"
    held[0].continue_()
    expect(page.locator("#refused")).to_contain_text("early.jpg", timeout=20_000)
