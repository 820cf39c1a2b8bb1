"""Faults: a Tesseract that crashes or hangs on one page, a batch killed mid-run, writers at the same time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import TEXTS, draw_page
from workbench.batch import BatchOptions, run_batch
from workbench.db.models import ImageState, OcrRun, Revision, SourceImage, Transcription
from workbench.db.store import list_pages, save_text

pytestmark = pytest.mark.ocr

REAL_TESSERACT = shutil.which("tesseract") or "/usr/bin/tesseract"


def faulty_tesseract(folder: Path, fault: str) -> Path:
    """A stand-in that runs the real Tesseract but crashes (or hangs) on its second page: the OCRmyPDF way
    of causing a fault that cannot be caused otherwise."""
    script = folder / "tesseract"
    counter = folder / "calls"
    action = "kill -SEGV $$" if fault == "crash" else "sleep 30"
    script.write_text(f"""#!/bin/sh
case "$*" in *--version*|*--list-langs*) exec {REAL_TESSERACT} "$@";; esac
n=$(($(cat {counter} 2>/dev/null || echo 0) + 1)); echo $n > {counter}
if [ "$n" = 2 ]; then {action}; fi
exec {REAL_TESSERACT} "$@"
""")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("fault", ["crash", "hang"])
def test_a_tesseract_that_crashes_or_hangs_fails_that_page_only(settings, db, photos: Path, tmp_path: Path,
                                                                fault: str) -> None:
    program = faulty_tesseract(tmp_path, fault)
    options = BatchOptions(jobs=1, timeout=3, derived_path=settings.derived_path, tesseract=str(program))
    summary = run_batch(db, [photos], options, bar=False)
    assert len(summary.read) == 2 and len(summary.failed) == 1
    reason = summary.failed[0][1]
    assert reason == "Tesseract crashed (SIGSEGV)" if fault == "crash" else "longer than 3 s" in reason
    with db.session() as session:
        assert len(list_pages(session)) == 2


def test_a_batch_killed_mid_run_finishes_on_the_next_without_reading_a_page_twice(settings, db,
                                                                                  tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(10):
        draw_page(folder / f"IMG_{n:04d}.png", f"{TEXTS['protocol']}\nЛист {n + 1}")
    env = {**os.environ, "WORKBENCH_INSTANCE_PATH": str(settings.instance_path)}
    command = [sys.executable, "-m", "workbench.cli", "ocr", str(folder), "--jobs", "2"]
    batch = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with db.session() as session:
            done = session.scalar(select(func.count()).where(SourceImage.state == ImageState.DONE))
        if done and done >= 2:
            break
        time.sleep(0.05)
    os.killpg(batch.pid, signal.SIGKILL)  # the batch and its workers, mid-run
    batch.wait()
    with db.session() as session:
        done_before = session.scalar(select(func.count()).where(SourceImage.state == ImageState.DONE))
    assert done_before is not None and 2 <= done_before < 10
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"skipped {done_before} already read" in again.stdout
    with db.session() as session:
        states = list(session.scalars(select(SourceImage.state)))
        runs = session.scalar(select(func.count()).select_from(OcrRun))
        revisions = session.scalar(select(func.count()).select_from(Revision))
        versions = list(session.scalars(select(Transcription.version)))
    assert states == [ImageState.DONE] * 10
    assert runs == 10 and revisions == 10 and versions == [1] * 10  # every page read exactly once


def test_the_editor_and_a_batch_write_at_once_on_sqlite(settings, db, tmp_path: Path) -> None:
    first = tmp_path / "first"
    first.mkdir()
    draw_page(first / "IMG_0000.png", TEXTS["letter"])
    run_batch(db, [first], BatchOptions(jobs=1, derived_path=settings.derived_path), bar=False)
    with db.session() as session:
        page_id = list_pages(session)[0].id
    second = tmp_path / "second"
    second.mkdir()
    for n in range(6):
        draw_page(second / f"IMG_{n + 1:04d}.png", f"{TEXTS['order']}\n{n}")
    errors: list[Exception] = []
    saves = 0

    def transcriber() -> None:
        nonlocal saves
        version = 1
        try:
            while batch.is_alive() or saves < 20:
                with db.session(write=True) as session:
                    version = save_text(session, page_id, text=f"правка {saves}", base_version=version,
                                        author="olena").version
                saves += 1
        except Exception as exc:  # noqa: BLE001 - any failure is what the test looks for
            errors.append(exc)

    batch_db = type(db)(settings.resolved_database_url)  # the batch has its own engine, as in its own process
    batch = threading.Thread(target=run_batch, args=(batch_db, [second], BatchOptions(
        jobs=2, derived_path=settings.derived_path)), kwargs={"bar": False})
    batch.start()
    writer = threading.Thread(target=transcriber)
    writer.start()
    batch.join()
    writer.join()
    batch_db.dispose()
    assert errors == [] and saves >= 20
    with db.session() as session:
        assert len(list_pages(session)) == 7
        t = session.scalars(select(Transcription).where(Transcription.page_id == page_id)).one()
        assert t.version == saves + 1 and len(t.revisions) == saves + 1
