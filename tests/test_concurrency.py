"""Twenty clients saving the same and different pages at once through the real server: every accepted save
is in the history, every stale one gets 409, no update is lost."""

from __future__ import annotations

import http.cookiejar
import json
import random
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from tests.conftest import PASSWORD
from tests.test_tagging import stored_photos
from workbench.db.models import Revision, RevisionSource, Transcription

CLIENTS = 20
SAVES = 15


@pytest.fixture
def server(app, db, tmp_path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    stored_photos(db, tmp_path / "p", 3)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


class Client:
    def __init__(self, base: str, name: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(f"{base}/login").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        form = urllib.parse.urlencode({"csrf_token": token, "name": name, "password": PASSWORD}).encode()
        home = self.opener.open(f"{base}/login", data=form).read().decode()
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', home).group(1)  # type: ignore[union-attr]

    def save(self, page_id: int, text: str, base_version: int) -> tuple[int, dict]:
        body = json.dumps({"text": text, "base_version": base_version}).encode()
        request = urllib.request.Request(f"{self.base}/api/pages/{page_id}/text", data=body, headers={
            "Content-Type": "application/json", "X-CSRFToken": self.csrf})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())


def test_twenty_clients_saving_at_once_lose_nothing(server: str, db) -> None:  # type: ignore[no-untyped-def]
    accepted: list[tuple[int, int, str]] = []  # page, version, text
    refused: list[tuple[int, int]] = []  # page, the version the refusal named
    other: list[tuple[int, dict]] = []
    lock = threading.Lock()
    clients = [Client(server, ["tanya", "roman", "ada"][n % 3]) for n in range(CLIENTS)]
    start = threading.Barrier(CLIENTS)

    def work(n: int, client: Client) -> None:
        rng = random.Random(n)
        known = {1: 1, 2: 1, 3: 1}  # what this client last saw of each page: often stale by the time it saves
        start.wait()
        for k in range(SAVES):
            page = rng.choice([1, 2, 3]) if n % 2 else 1 + n % 3
            base = known[page] if rng.random() > 0.2 else max(1, known[page] - 1)  # now and then an old one
            text = f"клиент {n}, правка {k}"
            status, body = client.save(page, text, base)
            with lock:
                if status == 200:
                    accepted.append((page, body["version"], text))
                    known[page] = body["version"]
                elif status == 409:
                    refused.append((page, body["current_version"]))
                    known[page] = body["current_version"]
                else:
                    other.append((status, body))

    threads = [threading.Thread(target=work, args=(n, c)) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert other == []
    assert len(accepted) + len(refused) == CLIENTS * SAVES and refused and accepted
    with db.session() as session:
        for page in (1, 2, 3):
            mine = sorted((v, text) for p, v, text in accepted if p == page)
            t = session.scalars(select(Transcription).where(Transcription.page_id == page)).one()
            history = [(r.version, r.text) for r in session.scalars(
                select(Revision).where(Revision.transcription_id == t.id, Revision.source == RevisionSource.PERSON)
                .order_by(Revision.version))]
            assert history == mine  # every accepted save, in order, nothing else
            assert [v for v, _ in mine] == list(range(2, t.version + 1))  # no gap, no version won twice
            assert t.text == (mine[-1][1] if mine else t.text)
