"""Distributed batch OCR: a real Celery worker against the local Redis, killed mid-run; every page read once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import TEXTS, draw_page, invoke
from workbench.db.models import ImageState, Job, JobState, OcrRun, Revision, SourceImage

pytestmark = pytest.mark.ocr

PAGES = 8


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "workbench.cli", "worker", "--concurrency", "1"], env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def job_state(db, job_id: int) -> tuple[JobState, int, int]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        job = session.get(Job, job_id)
        return job.state, job.done, job.failed


def test_a_worker_killed_mid_run_loses_nothing_and_reads_nothing_twice(runner, settings, db, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_QUEUE_NAME", f"test-{uuid.uuid4().hex[:10]}")  # this test's own queue
    monkeypatch.setenv("WORKBENCH_QUEUE_VISIBILITY_TIMEOUT", "4")  # a dead worker's page comes back quickly
    folder = tmp_path / "queued"
    folder.mkdir()
    for n in range(PAGES):
        draw_page(folder / f"IMG_{n:04d}.png", f"{TEXTS['protocol']}\nЛист {n + 1}")
    queued = invoke(runner, settings, "ocr", str(folder), "--queue", "--no-wait")
    assert queued.exit_code == 0, queued.output
    assert f"queued {PAGES} photo(s)" in queued.output
    job_id = int(queued.output.split()[1].rstrip(":"))

    env = {**os.environ, "WORKBENCH_INSTANCE_PATH": str(settings.instance_path)}
    log = tmp_path / "worker.log"
    first = start_worker(env, log)
    try:
        deadline = time.monotonic() + 90
        while job_state(db, job_id)[1] < 2:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool, mid-page
        first.wait()
        _, done_then, _ = job_state(db, job_id)
        assert done_then < PAGES
        second = start_worker(env, log)
        try:
            deadline = time.monotonic() + 120
            while job_state(db, job_id)[0] is not JobState.DONE:
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert job_state(db, job_id) == (JobState.DONE, PAGES, 0)
    assert log.read_text().count("ready: one thread each for OpenCV and Tesseract") >= 2  # each worker's pool
    with db.session() as session:
        assert list(session.scalars(select(SourceImage.state))) == [ImageState.DONE] * PAGES
        assert session.scalar(select(func.count()).select_from(OcrRun)) == PAGES  # each page read once
        assert session.scalar(select(func.count()).select_from(Revision)) == PAGES
    listing = invoke(runner, settings, "jobs")
    assert f"job {job_id} (queue, done): {PAGES}/{PAGES} read" in listing.output


def test_job_progress_is_shown_on_the_web(client, db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        session.add(Job(kind="queue", state=JobState.RUNNING, total=10, done=3, failed=1, author="ada"))
    html = client.get("/jobs").get_data(as_text=True)
    assert 'value="4" max="10"' in html and "4/10, 1 failed" in html and "running" in html


def test_a_dead_workers_restore_lock_lasts_no_longer_than_the_visibility_timeout(settings) -> None:  # type: ignore[no-untyped-def]
    """A worker killed while it handed a dead worker's tasks out again holds Redis's restore lock until it
    expires; with kombu's default, 300 s, a short visibility timeout (the test above's 4 s) may wait that long
    for it. (One run of the test above, on a clean clone, timed out after two minutes with the killed worker's
    page not yet back; whether the lock was the cause could not be shown, as the kill's moment is chance.)"""
    from dataclasses import replace

    from workbench.queue import make_celery

    for timeout in (4.0, 3600.0):
        options = make_celery(replace(settings, queue_visibility_timeout=timeout)).conf.broker_transport_options
        assert options["visibility_timeout"] == timeout
        assert options["unacked_mutex_expire"] == min(300.0, timeout)
