"""Import and OCR many photos: used by the CLI (and later the web upload and the queue worker).

Workers only read files and run the pipeline and Tesseract; the parent process alone writes the
database, one short transaction per photo, so a batch killed at any moment resumes cleanly.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import multiprocessing.context
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from workbench.db.models import ImageState, Job, JobState, utcnow
from workbench.db.session import Database
from workbench.db.store import (
    OcrMeta,
    PhotoFacts,
    RecognizedPage,
    image_by_hash,
    record_failure,
    record_ocr,
    register_image,
)
from workbench.errors import BadInput, WorkbenchError
from workbench.imaging.fingerprint import difference_hash, sharpness
from workbench.imaging.load import IMAGE_SUFFIXES, load_photo
from workbench.imaging.memory import keep_freed_memory
from workbench.imaging.pipeline import PipelineOptions, prepare
from workbench.ocr.quality import settle
from workbench.ocr.reading import read_page
from workbench.ocr.tesseract import SAUVOLA, TesseractEngine

log = logging.getLogger(__name__)

DERIVED_JPEG_QUALITY = 90


@dataclass(frozen=True, slots=True)
class BatchOptions:
    languages: str = "rus"
    jobs: int = 0  # 0: one process per core
    force: bool = False
    preprocess: bool = True
    timeout: float = 180.0
    derived_path: Path = Path("instance/derived")
    tesseract: str | None = None  # the program to run; None: `tesseract` on the PATH

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


@dataclass(slots=True)
class PhotoResult:
    """What a worker hands back for one photo: its pages, or the reason it failed."""

    path: Path
    sha256: str
    pages: list[RecognizedPage] = field(default_factory=list)
    width: int = 0
    height: int = 0
    exif_orientation: int | None = None
    captured_at: datetime | None = None
    phash: str | None = None
    error: str | None = None


@dataclass(slots=True)
class BatchSummary:
    read: list[Path] = field(default_factory=list)
    pages: int = 0
    already_read: list[Path] = field(default_factory=list)
    duplicates: list[tuple[Path, Path]] = field(default_factory=list)  # (skipped, same content as)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        rate = self.pages / self.seconds * 60 if self.seconds and self.pages else 0.0
        out = [f"read {len(self.read)} photo(s), {self.pages} page(s) in {self.seconds:.1f} s"
               + (f" ({rate:.1f} pages/min)" if rate else ""),
               f"skipped {len(self.already_read)} already read, {len(self.duplicates)} duplicate(s)",
               f"failed {len(self.failed)}"]
        out += [f"  duplicate: {dup} has the same content as {orig}" for dup, orig in self.duplicates]
        out += [f"  FAILED {path}: {reason}" for path, reason in self.failed]
        return out


def collect_photos(paths: Iterable[Path], *, exclude: Iterable[Path] = ()) -> list[Path]:
    """Image files named or found (recursively, in name order) in folders; anything else is an error.

    Folders under ``exclude`` (the instance folder with its derived images) and hidden ones are skipped.
    """
    skip = [p.resolve() for p in exclude]

    def wanted(p: Path) -> bool:
        resolved = p.resolve()
        return (p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
                and not any(part.startswith(".") for part in p.parts[len(path.parts):])
                and not any(resolved.is_relative_to(s) for s in skip))

    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if wanted(p))
        elif path.is_file():
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                raise BadInput(f"{path}: not an image file this workbench reads "
                               f"({', '.join(sorted(IMAGE_SUFFIXES))})")
            found.append(path)
        else:
            raise BadInput(f"{path}: no such file or folder")
    return found


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_page_image(folder: Path, stem: str, image: np.ndarray) -> str:
    """Write a page image under a name of its own content (``STEM-DIGEST.jpg``); return it relative to ``folder``.

    A page read again with other geometry gets a new file, so the image the stored boxes refer to stays
    in place until the new OCR run is committed; a temporary name keeps half an image from any reader.
    """
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, DERIVED_JPEG_QUALITY])
    if not ok:
        raise WorkbenchError(f"could not encode the page image {stem}")
    data = encoded.tobytes()
    name = f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}.jpg"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return name


def read_photo(path: Path, sha256: str, options: BatchOptions) -> PhotoResult:
    """Load, preprocess and OCR one photo; every failure becomes the result's reason, never a crash."""
    result = PhotoResult(path=path, sha256=sha256)
    try:
        photo = load_photo(path)
        result.height, result.width = photo.pixels.shape[:2]
        result.exif_orientation, result.captured_at = photo.exif_orientation, photo.captured_at
        result.phash = difference_hash(photo.pixels)
        engine = engine_for(options)
        started = time.perf_counter()
        prepared = prepare(photo, PipelineOptions(enabled=options.preprocess))
        seconds_preprocess = (time.perf_counter() - started) / max(len(prepared), 1)
        for page in prepared:
            started = time.perf_counter()
            layout = read_page(engine, page.image, languages=options.languages, timeout=options.timeout,
                               psm=page.psm)
            seconds_ocr = time.perf_counter() - started
            layout.steps = [*page.steps, *layout.steps]
            layout, handwriting = settle(layout, page.image, options.languages)
            derived = _write_page_image(options.derived_path, f"{sha256[:2]}/{sha256}-{page.part}", page.display)
            result.pages.append(RecognizedPage(
                part=page.part, layout=layout, derived_file=derived, transform=page.to_photo.to_json(),
                seconds_preprocess=seconds_preprocess, seconds_ocr=seconds_ocr, handwriting=handwriting,
                sharpness=sharpness(page.image)))
    except WorkbenchError as exc:
        result.error = str(exc)
    except Exception as exc:  # a bug or a library fault on one photo must not end the batch
        log.exception("unexpected failure on %s", path)
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def _process_context() -> multiprocessing.context.BaseContext:
    """Workers start from a fresh server process, not a fork of this one: a fork of a process with threads
    (the web app's job threads, a test runner's) can inherit a lock held mid-use and hang."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["workbench.batch"])
    return context


def init_worker(*, own_process: bool = True) -> None:
    """One thread each for OpenCV and Tesseract; a worker process of its own also keeps freed memory for
    the next page (not when pages are read in the caller's process, the web app's say)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    cv2.setNumThreads(1)
    if own_process:
        keep_freed_memory()


def _results(todo: list[tuple[Path, str]], options: BatchOptions) -> Iterator[PhotoResult]:
    if options.workers == 1 or len(todo) <= 1:
        init_worker(own_process=False)
        for path, sha in todo:
            yield read_photo(path, sha, options)
        return
    with ProcessPoolExecutor(max_workers=min(options.workers, len(todo)), initializer=init_worker,
                             mp_context=_process_context()) as pool:
        futures: list[Future[PhotoResult]] = [pool.submit(read_photo, path, sha, options) for path, sha in todo]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


class Progress:
    """A bar on a terminal; plain log lines otherwise."""

    def __init__(self, total: int, *, bar: bool | None = None) -> None:
        self.total = total
        self.done = 0
        self.started = time.perf_counter()
        use_bar = sys.stderr.isatty() if bar is None else bar
        self._bar = None
        if use_bar:
            from tqdm import tqdm
            self._bar = tqdm(total=total, unit="photo", dynamic_ncols=True)

    def step(self, result: PhotoResult) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.set_postfix_str(result.path.name)
            self._bar.update(1)
            return
        elapsed = time.perf_counter() - self.started
        left = elapsed / self.done * (self.total - self.done)
        outcome = f"FAILED: {result.error}" if result.error else f"{len(result.pages)} page(s)"
        log.info("[%d/%d] %s: %s (%.1f s elapsed, about %.0f s left)", self.done, self.total,
                 result.path, outcome, elapsed, left)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def engine_for(options: BatchOptions) -> TesseractEngine:
    """Tesseract as the batch runs it: on the pipeline's pages with Sauvola's local threshold, on photos read
    as they are with its own default."""
    return TesseractEngine(command=options.tesseract, thresholding=SAUVOLA if options.preprocess else None)


def ocr_meta(options: BatchOptions) -> OcrMeta:
    """The engine's facts for the OCR runs; checking its language data first, so a batch fails early."""
    engine = engine_for(options)
    info = engine.check_languages(options.languages)
    return OcrMeta(engine=info.name, engine_version=info.version, languages=options.languages,
                   parameters={**engine.params, "preprocess": options.preprocess})


def plan_batch(db: Database, paths: Iterable[Path], options: BatchOptions, summary: BatchSummary
               ) -> list[tuple[Path, str]]:
    """The photos to read, each registered first (so a killed batch knows it); duplicates and photos already
    read are noted in the summary and left out."""
    todo: list[tuple[Path, str]] = []
    seen: dict[str, Path] = {}
    for path in collect_photos(paths, exclude=[options.derived_path]):
        path = path.resolve()
        sha = file_sha256(path)
        if sha in seen:
            summary.duplicates.append((path, seen[sha]))
            continue
        seen[sha] = path
        with db.session() as session:
            image = image_by_hash(session, sha)
            if image is not None and Path(image.path) != path and Path(image.path).exists():
                summary.duplicates.append((path, Path(image.path)))
                continue
            if image is not None and image.state is ImageState.DONE and not options.force:
                summary.already_read.append(path)
                continue
            register_image(session, PhotoFacts(path=str(path), sha256=sha, size_bytes=path.stat().st_size))
        todo.append((path, sha))
    return todo


def run_batch(db: Database, paths: Iterable[Path], options: BatchOptions,
              *, on_result: Callable[[PhotoResult], None] | None = None, bar: bool | None = None) -> BatchSummary:
    started = time.perf_counter()
    meta = ocr_meta(options)
    summary = BatchSummary()
    todo = plan_batch(db, paths, options, summary)
    progress = Progress(len(todo), bar=bar)
    try:
        for result in _results(todo, options):
            try:
                store_result(db, result, meta, summary)
            except SQLAlchemyError as exc:  # one photo that cannot be stored must not end the batch
                log.exception("could not store %s", result.path)
                summary.failed.append((result.path, f"could not store it: {exc.__class__.__name__}"))
            progress.step(result)
            if on_result is not None:
                on_result(result)
    finally:
        progress.close()
    summary.seconds = time.perf_counter() - started
    return summary


def count_on_job(session: Session, job_id: int, *, failed: bool) -> None:
    """One more photo of the job done (or failed), in the transaction that stores it; the last one ends it."""
    counter = Job.failed if failed else Job.done
    session.execute(update(Job).where(Job.id == job_id).values(
        {counter: counter + 1, Job.updated_at: utcnow(), Job.state: JobState.RUNNING}))
    job = session.get(Job, job_id)
    if job is not None:
        session.refresh(job)
        if job.done + job.failed >= job.total:
            job.state = JobState.DONE
            job.message = f"read {job.done}, failed {job.failed}"


def store_result(db: Database, result: PhotoResult, meta: OcrMeta, summary: BatchSummary, *,
                 job_id: int | None = None) -> bool:
    """Store one photo's OCR in one short transaction. With a job id it is idempotent: a photo that job has
    already stored (a task delivered twice after a worker died) is not stored again. False when skipped."""
    with db.session(write=True) as session:
        image = image_by_hash(session, result.sha256, for_update=job_id is not None)
        assert image is not None, "registered before OCR"
        if job_id is not None:
            if image.last_job_id == job_id:
                return False
            image.last_job_id = job_id
            count_on_job(session, job_id, failed=bool(result.error))
        if result.error:
            record_failure(session, image, result.error)
            summary.failed.append((result.path, result.error))
            return True
        record_ocr(session, image, pages=result.pages, meta=meta, width=result.width, height=result.height,
                   exif_orientation=result.exif_orientation, captured_at=result.captured_at, phash=result.phash)
    summary.read.append(result.path)
    summary.pages += len(result.pages)
    return True
