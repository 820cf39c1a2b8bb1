"""Editor latency under concurrent transcribers: open and save, server time and round trip.

    .venv/bin/python benchmarks/editor_latency.py [--users 20] [--rounds 25] [--pages 60] [--threads 4]

Starts `workbench serve` (waitress) on a fresh SQLite instance holding pages with a real Tesseract
layout, then has N users, each in its own thread with its own login, open pages and save text at once.
Prints the 50th, 95th and 99th percentiles of the server's own time (its Server-Timing header) and of
the round trip over loopback. Targets: open p95 <= 150 ms, save p99 <= 50 ms, server time, on SQLite.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.config import ensure_instance, load_settings  # noqa: E402
from workbench.db.models import Role  # noqa: E402
from workbench.db.session import Database  # noqa: E402
from workbench.db.store import OcrMeta, PhotoFacts, RecognizedPage, record_ocr, register_image  # noqa: E402
from workbench.db.users import add_user  # noqa: E402
from workbench.ocr.tesseract import TesseractEngine  # noqa: E402
from workbench.synthetic import list_texts, load_text, render_page  # noqa: E402

PASSWORD = "benchmark password"


def make_instance(root: Path, pages: int, users: int) -> Path:
    """Pages with one real OCR layout, copied: the benchmark measures the editor, not Tesseract."""
    settings = ensure_instance(load_settings(root / "instance"))
    db = Database(settings.resolved_database_url)
    rendered = render_page(load_text(list_texts()[0]), font="PT Mono")
    layout = TesseractEngine().recognize(rendered.image, languages="rus", timeout=120)
    page_file = settings.derived_path / "page.jpg"
    import cv2

    cv2.imwrite(str(page_file), rendered.image)
    meta = OcrMeta(engine="tesseract", engine_version="bench", languages="rus", parameters={})
    with db.session() as session:
        for n in range(pages):
            image = register_image(session, PhotoFacts(path=str(page_file), sha256=f"{n:064d}", size_bytes=1))
            record_ocr(session, image, pages=[RecognizedPage(part=0, layout=layout, derived_file="page.jpg",
                                                             transform={}, seconds_preprocess=0, seconds_ocr=0)],
                       meta=meta, width=layout.width, height=layout.height, exif_orientation=None, captured_at=None)
        for u in range(users):
            add_user(session, f"user{u}", PASSWORD, Role.TRANSCRIBER)
    db.dispose()
    return settings.instance_path


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""

    def request(self, path: str, *, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, float, float]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as response:
                body, status, timing = response.read(), response.status, response.headers.get("Server-Timing", "")
        except urllib.error.HTTPError as exc:
            body, status, timing = exc.read(), exc.code, exc.headers.get("Server-Timing", "")
        round_trip = (time.perf_counter() - started) * 1000
        match = re.search(r"dur=([\d.]+)", timing)
        return status, body, float(match.group(1)) if match else float("nan"), round_trip

    def login(self, name: str) -> None:
        _, body, _, _ = self.request("/login")
        token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()  # type: ignore[union-attr]
        form = urllib.parse.urlencode({"csrf_token": token, "name": name, "password": PASSWORD}).encode()
        status, body, _, _ = self.request("/login", data=form)
        self.csrf = re.search(rb'name="csrf-token" content="([^"]+)"', body).group(1).decode()  # type: ignore[union-attr]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentiles(values: list[float]) -> str:
    p = np.percentile(values, [50, 95, 99])
    return f"p50 {p[0]:7.1f}  p95 {p[1]:7.1f}  p99 {p[2]:7.1f} ms  (n={len(values)})"


def run(users: int, rounds: int, pages: int, threads: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        instance = make_instance(Path(tmp), pages, users)
        port = free_port()
        env = {**os.environ, "WORKBENCH_INSTANCE_PATH": str(instance)}
        server = subprocess.Popen(
            [sys.executable, "-m", "workbench.cli", "serve", "--port", str(port), "--threads", str(threads)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/login", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            clients = [Client(base) for _ in range(users)]
            for n, client in enumerate(clients):
                client.login(f"user{n}")
            results: dict[str, list[tuple[float, float]]] = {"open page": [], "open layout": [], "save": []}
            errors: list[str] = []
            lock = threading.Lock()
            barrier = threading.Barrier(users)

            def work(n: int, client: Client) -> None:
                page_id = n % pages + 1
                barrier.wait()
                for r in range(rounds):
                    target = (page_id + r) % pages + 1
                    status, _, server_ms, rt = client.request(f"/pages/{target}")
                    status2, body, server2, rt2 = client.request(f"/api/pages/{target}")
                    with lock:
                        results["open page"].append((server_ms, rt))
                        results["open layout"].append((server2, rt2))
                    if status != 200 or status2 != 200:
                        errors.append(f"open {status} {status2}")
                barrier.wait()
                version = json.loads(client.request(f"/api/pages/{page_id}")[1])["version"]
                for r in range(rounds):
                    payload = json.dumps({"text": f"правка {n} номер {r}", "base_version": version}).encode()
                    status, body, server_ms, rt = client.request(
                        f"/api/pages/{page_id}/text", data=payload,
                        headers={"Content-Type": "application/json", "X-CSRFToken": client.csrf})
                    with lock:
                        results["save"].append((server_ms, rt))
                    if status == 200:
                        version = json.loads(body)["version"]
                    else:
                        errors.append(f"save {status} {body[:80]!r}")

            workers = [threading.Thread(target=work, args=(n, c)) for n, c in enumerate(clients)]
            started = time.perf_counter()
            for t in workers:
                t.start()
            for t in workers:
                t.join()
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"editor latency: {users} users at once, {rounds} rounds each, {pages} pages, SQLite, "
          f"waitress with {threads} threads ({elapsed:.1f} s)")
    for name, values in results.items():
        print(f"  {name:12s} server  {percentiles([v[0] for v in values])}")
        print(f"  {'':12s} round   {percentiles([v[1] for v in values])}")
    print(f"  errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    open_p95 = float(np.percentile([v[0] for v in results['open page']], 95))
    save_p99 = float(np.percentile([v[0] for v in results['save']], 99))
    print(f"  targets: open p95 {open_p95:.1f} ms <= 150: {'met' if open_p95 <= 150 else 'NOT met'}; "
          f"save p99 {save_p99:.1f} ms <= 50: {'met' if save_p99 <= 50 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--threads", type=int, default=4, help="the server's request threads")
    args = parser.parse_args()
    run(args.users, args.rounds, args.pages, args.threads)


if __name__ == "__main__":
    main()
